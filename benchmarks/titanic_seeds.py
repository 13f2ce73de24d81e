"""How the Titanic figures spread over split seeds: ``train_tabular``'s default network and the
logistic-regression baseline, seeds 0..9, test parts of 15 % (the default) and 20 % (the course's).

Run with ``python -m benchmarks.titanic_seeds [--seeds N]``; writes
``benchmarks/results/titanic_seeds.json``, which ``python -m benchmarks.report`` shows. Not a
timing and not part of ``make bench`` (20 trainings, several minutes): run it after changing the
default network (``pyanalytics.defaults.DEFAULT_NETWORK``), since one seed's split moves ROC AUC
by several points (0.82 to 0.91 on the default test part) and cannot judge a change.

For each test fraction: the mean, lowest and highest test accuracy and ROC AUC of each model, and
the network's mean ROC AUC minus the baseline's on the same split. The course's must-show (test
accuracy >= 0.80, ROC AUC >= 0.85) is the target of the means.
"""

import argparse
import statistics

from benchmarks._results import row, write_results
from pyanalytics.settings import data_dir
from pyanalytics.tabular import train_tabular

TEST_FRACTIONS = (0.15, 0.2)
MODELS = ("dnn", "logistic_regression")
TARGETS = {"accuracy": ">= 0.80", "roc_auc": ">= 0.85"}


def spread_rows(test: float, metrics: list[dict]) -> list[dict]:
    """Mean, lowest and highest of each model's accuracy and ROC AUC over the seeds' metrics."""
    rows = []
    for model in MODELS:
        for metric, target in TARGETS.items():
            values = [m[model][metric] for m in metrics]
            name = f"titanic_test{int(test * 100)}_{model}_{metric}"
            rows += [
                row(f"{name}_mean", round(statistics.mean(values), 3), "", target if model == "dnn" else None),
                row(f"{name}_min", round(min(values), 3), "", None),
                row(f"{name}_max", round(max(values), 3), "", None),
            ]
    edges = [m["dnn"]["roc_auc"] - m["logistic_regression"]["roc_auc"] for m in metrics]
    rows.append(row(f"titanic_test{int(test * 100)}_dnn_minus_logistic_roc_auc_mean", round(statistics.mean(edges), 4), "", None))
    rows.append(row(f"titanic_test{int(test * 100)}_dnn_beats_logistic_roc_auc_seeds", sum(e > 0 for e in edges), "seeds", None))
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="split seeds 0..N-1 (default 10)")
    seeds = range(parser.parse_args(argv).seeds)
    path = data_dir() / "tabular" / "titanic_train.csv"
    if not path.is_file():
        print(f"titanic_seeds: skipped, {path} not found")
        return
    rows = []
    for test in TEST_FRACTIONS:
        metrics = [train_tabular(path, "Survived", task="binary", test=test, seed=seed).metrics for seed in seeds]
        rows += spread_rows(test, metrics)
        dnn = [m["dnn"]["roc_auc"] for m in metrics]
        print(f"titanic_seeds: test {test:.0%}, {len(dnn)} seeds: dnn ROC AUC mean {statistics.mean(dnn):.3f} "
              f"[{min(dnn):.3f}, {max(dnn):.3f}]")
    write_results("titanic_seeds", rows)


if __name__ == "__main__":
    main()
