"""Single-row prediction of a tabular model from R: ``predict(pa_load(bundle), newdata = row)``.

Run with ``python -m benchmarks.bench_r_tabular`` (``make bench`` sets ``R_LIBS_USER`` to the
project's R library); writes ``benchmarks/results/r_tabular.json``. Skips without ``Rscript`` or
the shared Titanic file.

The bundle of ``bench_tabular_predict`` (``train_tabular`` on ``titanic_train.csv``, saved) is
loaded in an ``Rscript`` with ``pa_load``; the row is the same passenger (a missing Age,
categorical Sex and Embarked) read with ``read.csv`` as a one-row data frame. After ``WARMUP``
calls, ``CALLS`` calls of ``predict(model, newdata = passenger)`` are timed one by one: R's
columns to Python, preprocessing, the network and the probabilities back to R.
"""

import shutil
import statistics
import tempfile
from pathlib import Path

import numpy as np

from benchmarks._results import row, write_results
from benchmarks.bench_r import run_r
from benchmarks.bench_tabular_predict import EPOCHS, ROW, titanic_path
from pyanalytics.tabular import train_tabular

WARMUP = 20
CALLS = 300

PREDICT_SCRIPT = """
library(pyanalytics)
args <- commandArgs(trailingOnly = TRUE)
model <- pa_load(args[[1]])
passenger <- utils::read.csv(args[[2]])[{row}, setdiff(names(utils::read.csv(args[[2]], nrows = 1)), "Survived")]
stopifnot(nrow(passenger) == 1, is.na(passenger$Age))
for (i in seq_len({warmup})) predict(model, newdata = passenger)
cat(sprintf("class %s\\n", as.character(predict(model, newdata = passenger))))
for (i in seq_len({calls})) {{
  started <- Sys.time()
  predict(model, newdata = passenger)
  cat(sprintf("ms %.4f\\n", 1000 * as.numeric(Sys.time() - started, units = "secs")))
}}
"""


def main() -> None:
    if shutil.which("Rscript") is None or not titanic_path().is_file():
        print("r_tabular: skipped, Rscript or the Titanic file not found")
        return
    result = train_tabular(titanic_path(), "Survived", epochs=EPOCHS, seed=0)
    with tempfile.TemporaryDirectory() as folder:
        bundle = result.save(Path(folder) / "bundle")
        script = PREDICT_SCRIPT.format(row=ROW + 1, warmup=WARMUP, calls=CALLS)
        output = run_r(script, str(bundle), str(titanic_path()))
    latencies = [float(v) for v in output["ms"]]
    median, p99 = statistics.median(latencies), float(np.percentile(latencies, 99))
    write_results(
        "r_tabular",
        [
            row("r_tabular_predict_one_row_median_ms", round(median, 3), "ms", "<= 10"),
            row("r_tabular_predict_one_row_p99_ms", round(p99, 3), "ms", None),
        ],
    )
    print(f"r_tabular: predict(pa_load(bundle), newdata = one Titanic row) {median:.2f} ms median / {p99:.2f} ms p99 "
          f"({CALLS} calls; predicted class {output['class'][0]})")


if __name__ == "__main__":
    main()
