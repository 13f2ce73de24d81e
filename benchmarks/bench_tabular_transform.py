"""Single-row tabular preprocessing: one Titanic row (missing Age, categorical columns) through a
``TabularPreprocessor`` rebuilt from its JSON state, as a loaded bundle will run it.

Run with ``python -m benchmarks.bench_tabular_transform``; writes
``benchmarks/results/tabular_transform.json``. Skips when the shared Titanic file is absent.
"""

import numpy as np

from benchmarks._common import latencies_ms
from benchmarks._results import row, write_results
from pyanalytics.data.preprocess import TabularPreprocessor
from pyanalytics.data.tabular import read_tabular
from pyanalytics.settings import data_dir


def main() -> None:
    path = data_dir() / "tabular" / "titanic_train.csv"
    if not path.is_file():
        print(f"tabular_transform: skipped, {path} not found")
        return
    titanic = read_tabular(path, "Survived")
    fitted = TabularPreprocessor().fit(titanic.features)
    preprocessor = TabularPreprocessor.from_dict(fitted.to_dict())
    one_row = titanic.features.iloc[[5]]
    times = latencies_ms(lambda: preprocessor.transform(one_row))
    median, p99 = float(np.median(times)), float(np.percentile(times, 99))
    write_results(
        "tabular_transform",
        [
            row("tabular_transform_row_median_ms", round(median, 3), "ms", "<= 1"),
            row("tabular_transform_row_p99_ms", round(p99, 3), "ms", None),
        ],
    )
    print(f"tabular_transform: one Titanic row median {median:.3f} ms, p99 {p99:.3f} ms")


if __name__ == "__main__":
    main()
