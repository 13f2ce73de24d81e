"""The R package: time of ``library(pyanalytics)`` and single-row prediction latency from R.

Run with ``python -m benchmarks.bench_r`` (``make bench`` sets ``R_LIBS_USER`` to the project's
R library); writes ``benchmarks/results/r.json``.

* ``library``: ``library(pyanalytics)`` in a fresh ``Rscript``, ``LIBRARY_RUNS`` times. Python
  must not start there, so the run also checks that reticulate is not even loaded.
* ``predict``: a small DNN is trained here and saved as a bundle; an ``Rscript`` loads it with
  ``pa_load`` and, after ``WARMUP`` calls, times ``CALLS`` calls of
  ``predict(model, tail(prices, TAIL), last = 1)`` one by one: features computed from raw
  prices, the R -> Python -> R crossing and the network, as an analyst's R loop would call it.
"""

import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from benchmarks._common import load_market
from benchmarks._results import row, write_results
from pyanalytics.finance.training import train_direction_model

EPOCHS = 3
LIBRARY_RUNS = 5
WARMUP = 20
CALLS = 300
TAIL = 300

LIBRARY_SCRIPT = """
started <- Sys.time()
library(pyanalytics)
cat(sprintf("seconds %.6f\\nreticulate_loaded %s\\n", as.numeric(Sys.time() - started, units = "secs"),
            isNamespaceLoaded("reticulate")))
"""

PREDICT_SCRIPT = """
library(pyanalytics)
args <- commandArgs(trailingOnly = TRUE)
model <- pa_load(args[[1]])
recent <- utils::tail(pa_load_prices(args[[2]]), {tail})
for (i in seq_len({warmup})) predict(model, recent, last = 1)
for (i in seq_len({calls})) {{
  started <- Sys.time()
  predict(model, recent, last = 1)
  cat(sprintf("ms %.4f\\n", 1000 * as.numeric(Sys.time() - started, units = "secs")))
}}
"""


def run_r(script: str, *args: str) -> dict[str, list[str]]:
    """Run an R script with Rscript; return its ``key value`` output lines grouped by key."""
    done = subprocess.run(["Rscript", "-e", script, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"Rscript failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    values: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(" ")
        values.setdefault(key, []).append(value)
    return values


def main() -> None:
    if shutil.which("Rscript") is None:
        write_results("r", [row("skipped: Rscript not found (make bench installs R)", None, "", None)])
        print("r: skipped, Rscript not found")
        return
    library_runs = [run_r(LIBRARY_SCRIPT) for _ in range(LIBRARY_RUNS)]
    library_seconds = statistics.median(float(run["seconds"][0]) for run in library_runs)
    starts_python = any(run["reticulate_loaded"][0] == "TRUE" for run in library_runs)

    prices, label = load_market()
    result = train_direction_model(prices, model_params={"epochs": EPOCHS})
    with tempfile.TemporaryDirectory() as folder:
        bundle = result.save(Path(folder) / "bundle")
        csv = Path(folder) / "prices.csv"
        prices.to_csv(csv)
        script = PREDICT_SCRIPT.format(tail=TAIL, warmup=WARMUP, calls=CALLS)
        latencies = [float(v) for v in run_r(script, str(bundle), str(csv))["ms"]]
    median, p99 = statistics.median(latencies), float(np.percentile(latencies, 99))
    write_results(
        "r",
        [
            row("library_seconds_median", round(library_seconds, 4), "s", "<= 1"),
            row("library_loads_reticulate", starts_python, "", None),
            row(f"predict_from_r_tail{TAIL}_last1_median_ms", round(median, 3), "ms", "<= 10"),
            row(f"predict_from_r_tail{TAIL}_last1_p99_ms", round(p99, 3), "ms", None),
        ],
    )
    print(
        f"r: library() {library_seconds:.3f} s median of {LIBRARY_RUNS} (reticulate loaded: {starts_python}); "
        f"predict from R on {label} {median:.2f} ms median / {p99:.2f} ms p99 ({CALLS} calls)"
    )


if __name__ == "__main__":
    main()
