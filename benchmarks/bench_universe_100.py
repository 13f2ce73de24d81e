"""The 100-ticker shared universe run from the CLI as a user would: wall time and peak memory per worker.

Run with ``python -m benchmarks.run_all universe_100`` (alone: it takes 10-20 minutes on two
cores); writes ``benchmarks/results/universe_100.json`` (the rows) and the CLI's whole JSON
summary to ``benchmarks/results/universe_100/summary.json`` (a subfolder, so the table does not
read it as rows) for quoting.

The command is ``pyanalytics walk-forward --data <PYANALYTICS_DATA_DIR>/universe --folds 5
--drop-invalid --json`` with every other option at the CLI's default: the DNN, 50 epochs with
early stopping, the local process pool on every core, the pooled cross-section (the default with
the DNN and at least 10 tickers). ``--drop-invalid`` because the universe's files with ``Open = 0``
rows would otherwise be set aside whole; with it their bad rows are dropped and listed in the
summary's ``notes``. With no shared universe the benchmark records that and stops: there is no
synthetic stand-in for a real, messy universe.

Wall time covers the whole command, start-up of the CLI and of every worker included (no
target: the issue asks for the figure). Peak memory per worker is the largest resident memory of
each worker process over its tasks (the summary's ``run.peak_memory``); the target, under 2 GB
per worker, is what lets ``workers = cores`` fit a compute-optimised cloud machine (2 GB per
vCPU) beside the parent. The parent's own peak is reported beside it (``ru_maxrss`` of the
largest finished child of this process: the CLI or one of its workers).
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._results import RESULTS_DIR, row, write_results
from pyanalytics.settings import data_dir

FOLDS = 5
ARGS = ("--folds", str(FOLDS), "--drop-invalid", "--json")
MEMORY_TARGET_MB = 2048


def main() -> None:
    universe = data_dir() / "universe"
    files = sorted(universe.glob("*.csv"))
    if not files:
        write_results("universe_100", [row(f"universe_100_missing: no CSV in {universe}", None, "", None)])
        print(f"universe_100: no shared universe in {universe}; nothing measured")
        return
    command = [str(Path(sys.executable).with_name("pyanalytics")), "walk-forward", "--data", str(universe), *ARGS]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"universe_100: {' '.join(command)} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    summary = json.loads(done.stdout)
    folder = RESULTS_DIR / "universe_100"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary, indent=2))
    run = summary["run"]
    memory = run["peak_memory"]
    largest_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ran = len(summary["tickers"])
    rows = [
        row("universe_100_wall_seconds", round(seconds, 1), "s", None),
        row("universe_100_engine_seconds", round(run["seconds"], 1), "s", None),
        row("universe_100_ticker_folds_per_minute", round(60 * run["computed"] / seconds, 1), "tasks/min", None),
        row("universe_100_workers", run["workers"], "", None),
        row("universe_100_tasks_computed", run["computed"], "", None),
        row("universe_100_tasks_failed", run["failed"], "", None),
        row("universe_100_tickers_in_folder", len(files), "", None),
        row("universe_100_tickers_run", ran, "", None),
        row("universe_100_tickers_skipped", len(summary["skipped"]), "", None),
        row("universe_100_peak_memory_per_worker_max", round(max(memory.values()), 1), "MB",
            f"<= {MEMORY_TARGET_MB}"),
        *(row(f"universe_100_peak_memory_worker_{worker}", round(mb, 1), "MB", None)
          for worker, mb in sorted(memory.items())),
        row("universe_100_largest_process_maxrss", round(largest_child, 1), "MB", None),
    ]
    write_results("universe_100", rows)
    print(
        f"universe_100: {ran} of {len(files)} tickers run ({len(summary['skipped'])} skipped), {FOLDS} folds, "
        f"{run['computed']} tasks on {run['workers']} workers in {seconds:.0f} s; peak memory per worker "
        f"{', '.join(f'{mb:.0f}' for mb in memory.values())} MB; summary in {folder / 'summary.json'}"
    )


if __name__ == "__main__":
    main()
