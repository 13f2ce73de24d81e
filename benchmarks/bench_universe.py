"""Universe walk-forward on the engine: throughput with 1 and 2 local workers, and Dask's overhead.

Run with ``python -m benchmarks.bench_universe``; writes ``benchmarks/results/universe.json``.

The same tasks every time: ``walk_forward_many`` on ``N_TICKERS`` tickers (the first in name
order of the shared universe, ``<PYANALYTICS_DATA_DIR>/universe``, read with ``drop_invalid``;
seeded synthetic markets when it is absent) x ``FOLDS`` folds = one engine task per
(ticker, fold), the DNN with the library defaults (50 epochs with early stopping), seed 0,
no cross-section. Three runs, in this order: the local pool with 1 worker, with 2 workers, then
a local Dask cluster with 2 workers (adjacent to the 2-worker pool it is compared with).

What the figures cover, and why:

* Every time is the whole call's wall time, as a user sees it: reading the files, planning,
  starting the workers (each spawned worker imports TensorFlow, a few seconds; Dask also starts
  its scheduler), the fits and stitching the results. Start-up is part of a real run, so it
  is not taken out; ``N_TICKERS`` x ``FOLDS`` tasks make it a small share. The engine's own
  time (``RunReport.seconds``) is reported beside it.
* Throughput is computed ticker-folds per minute of wall time; the scaling efficiency is
  ``throughput(2) / (2 x throughput(1))`` (target >= 0.8). The uneven tail (the last long fold
  running on one worker while the other idles) is counted, as in a real run.
* Dask's overhead is ``dask_seconds / pool_seconds - 1`` on the same tasks with 2 workers
  (target <= 10%; negative means Dask was faster).
* The results are designed to be identical bit for bit whatever the engine and the number of
  workers: the three runs' out-of-sample predictions, backtests and summaries are compared
  exactly and the check recorded (1 identical, 0 not).

The machine is shared (two cores): one run per setting (each takes minutes), so the load average
before and after each run is recorded beside its time. A change of load between the runs moves
both ratios (a first run under heavier load than the next gives an efficiency above 1): read them
with the load rows, and on a busy machine trust only the identity check.
"""

import json
import os
import time

from benchmarks._common import SYNTHETIC_DAYS
from benchmarks._results import row, write_results
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.universe import walk_forward_many
from pyanalytics.settings import data_dir

N_TICKERS = 8
FOLDS = 5
SEED = 0
RUNS = (("pool_1", "local", 1), ("pool_2", "local", 2), ("dask_2", "dask", 2))


def universe() -> tuple[object, str]:
    """The first ``N_TICKERS`` files of the shared universe, else as many seeded synthetic markets."""
    files = sorted((data_dir() / "universe").glob("*.csv"))[:N_TICKERS]
    if len(files) == N_TICKERS:
        return files, "shared"
    return {f"SYN{i}": synthetic_market(SYNTHETIC_DAYS, seed=i) for i in range(N_TICKERS)}, "synthetic"


def timed_run(tickers, engine: str, workers: int) -> tuple[object, float, tuple, tuple]:
    """``(result, wall seconds, load average before, after)`` of one universe walk-forward."""
    before = os.getloadavg()
    start = time.perf_counter()
    result = walk_forward_many(tickers, engine=engine, workers=workers, model="dnn", folds=FOLDS, seed=SEED,
                               cross_section=False, drop_invalid=True)
    return result, time.perf_counter() - start, before, os.getloadavg()


def identical(first, second) -> bool:
    """Whether two universe results are the same bit for bit (all but the run's own report)."""
    if first.results.keys() != second.results.keys():
        return False
    for name, one in first.results.items():
        other = second.results[name]
        if not (one.predictions.equals(other.predictions) and one.backtest.daily.equals(other.backtest.daily)):
            return False

    def plain(result) -> str:
        return json.dumps({k: v for k, v in result.summary().items() if k != "run"}, sort_keys=True)

    return plain(first) == plain(second)


def main() -> None:
    tickers, label = universe()
    runs = {name: timed_run(tickers, engine, workers) for name, engine, workers in RUNS}
    tasks = runs["pool_1"][0].run.computed
    throughput = {name: 60 * run[0].run.computed / run[1] for name, run in runs.items()}
    engine_throughput = {name: 60 * run[0].run.computed / run[0].run.seconds for name, run in runs.items()}
    efficiency = throughput["pool_2"] / (2 * throughput["pool_1"])
    overhead = runs["dask_2"][1] / runs["pool_2"][1] - 1
    same = all(identical(runs["pool_2"][0], runs[name][0]) for name in ("pool_1", "dask_2"))
    skipped = runs["pool_1"][0].skipped
    rows = [
        row(f"universe_tasks_{label}", tasks, f"{len(runs['pool_1'][0].results)} tickers x {FOLDS} folds", None),
        row("universe_tickers_skipped", ", ".join(f"{k}: {v}" for k, v in skipped.items()) or "none", "", None),
        *(row(f"universe_{name}_wall_seconds", round(run[1], 1), "s", None) for name, run in runs.items()),
        *(row(f"universe_{name}_engine_seconds", round(run[0].run.seconds, 1), "s", None)
          for name, run in runs.items()),
        *(row(f"universe_{name}_ticker_folds_per_minute", round(value, 1), "tasks/min", None)
          for name, value in throughput.items()),
        row("universe_scaling_efficiency_1_to_2_workers", round(efficiency, 3), "wall time", ">= 0.8"),
        row("universe_scaling_efficiency_engine_time", round(engine_throughput["pool_2"]
                                                             / (2 * engine_throughput["pool_1"]), 3), "", None),
        row("universe_dask_overhead_vs_pool_2_workers", round(overhead, 3), "fraction", "<= 0.10"),
        row("universe_identical_results_pool1_pool2_dask2", int(same), "1 = bit for bit", ">= 1"),
        *(row(f"universe_{name}_peak_memory_per_worker_max", round(max(run[0].run.peak_memory.values()), 1),
              "MB", None) for name, run in runs.items()),
        *(row(f"universe_{name}_load_average_before_after", f"{run[2][0]:.2f} / {run[3][0]:.2f}", "1 min", None)
          for name, run in runs.items()),
    ]
    write_results("universe", rows)
    print(
        f"universe: {tasks} ticker-folds ({label}); "
        + ", ".join(f"{name} {run[1]:.0f} s = {throughput[name]:.1f}/min" for name, run in runs.items())
        + f"; scaling efficiency {efficiency:.2f}, Dask overhead {overhead:+.1%}, identical: {same}"
    )


if __name__ == "__main__":
    main()
