"""Single-row prediction from a loaded tabular bundle, from raw columns to the class.

Run with ``python -m benchmarks.bench_tabular_predict``; writes
``benchmarks/results/tabular_predict.json``. Skips when the shared Titanic file is absent.

``train_tabular`` fits the default network on ``titanic_train.csv`` (``EPOCHS`` epochs: the
weights do not change the cost of a prediction), saves the bundle to a temporary directory and
``load_bundle`` reads it back in this process. The timed call is ``bundle.predict(row)`` where
``row`` is one raw passenger (``ROW``: a missing Age, categorical Sex and Embarked, the
identifier columns still there): preprocessing, the network and the labelled prediction frame,
``CALLS`` calls one by one after 50 warm-up calls.
"""

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks._common import latencies_ms
from benchmarks._results import row, write_results
from pyanalytics.bundle import load_bundle
from pyanalytics.settings import data_dir
from pyanalytics.tabular import train_tabular

EPOCHS = 3
CALLS = 1000
ROW = 5  # Moran, Mr. James: Age missing, Sex male, Embarked Q


def titanic_path() -> Path:
    return data_dir() / "tabular" / "titanic_train.csv"


def one_raw_row() -> pd.DataFrame:
    """The benchmark's passenger as read from the CSV, the response dropped."""
    raw = pd.read_csv(titanic_path()).iloc[[ROW]].drop(columns=["Survived"])
    assert raw["Age"].isna().all() and isinstance(raw["Sex"].iloc[0], str), "the row lost its missing Age"
    return raw


def main() -> None:
    if not titanic_path().is_file():
        print(f"tabular_predict: skipped, {titanic_path()} not found")
        return
    result = train_tabular(titanic_path(), "Survived", epochs=EPOCHS, seed=0)
    passenger = one_raw_row()
    with tempfile.TemporaryDirectory() as folder:
        bundle = load_bundle(result.save(Path(folder) / "bundle"))
        expected = result.preprocessing.prediction_frame(result.estimator, result.preprocessing.features(passenger))
        pd.testing.assert_frame_equal(bundle.predict(passenger), expected, atol=1e-6)
        times = latencies_ms(lambda: bundle.predict(passenger), calls=CALLS)
    median, p99 = float(np.median(times)), float(np.percentile(times, 99))
    write_results(
        "tabular_predict",
        [
            row("tabular_predict_raw_row_median_ms", round(median, 3), "ms", "<= 1"),
            row("tabular_predict_raw_row_p99_ms", round(p99, 3), "ms", "<= 5"),
        ],
    )
    print(f"tabular_predict: one raw Titanic row from a loaded bundle {median:.3f} ms median, {p99:.3f} ms p99 ({CALLS} calls)")


if __name__ == "__main__":
    main()
