"""Course example 9: fraud detection with four autoencoders beside IsolationForest, PCA and a supervised ceiling.

Each autoencoder (undercomplete, sparse, denoising, variational) learns to rebuild normal rows
only; a row it rebuilds badly is flagged. All four are trained on the same seeded split (by time
for the credit-card data, seeded and stratified for the anomaly sets) and judged on the test part
by ROC AUC and average precision (PR AUC: the headline, since frauds are rare) beside the
unsupervised baselines, IsolationForest and a PCA reconstruction error, and beside a supervised
logistic regression that saw the labels: a ceiling, not a competitor.

The baselines are refitted by every ``train_anomaly`` call; with the same split and seed they
are the same models, which the script checks (their test metrics must agree across the four
runs) before printing them once.

Run:  .venv/bin/python scripts/09_fraud_autoencoder.py [creditcard|cardio|mammography|thyroid ...] [--epochs N]
      [--stop-on loss|pr_auc]
"""

import argparse

import pandas as pd

from pyanalytics.anomaly import train_anomaly
from pyanalytics.models import AUTOENCODERS
from pyanalytics.settings import data_dir

DATASETS = {
    "creditcard": ("tabular/creditcard_fraud_enriched.csv", {"label": "Class", "time_column": "Time", "amount_column": "Amount"}),
    "cardio": ("anomaly/cardio.csv", {"label": "label"}),
    "mammography": ("anomaly/mammography.csv", {"label": "label"}),
    "thyroid": ("anomaly/thyroid.csv", {"label": "label"}),
}
CEILING = "supervised_ceiling"


def compare(name: str, epochs: int | None, stop_on: str) -> tuple[pd.DataFrame, dict]:
    """The test table of the four autoencoders and the baselines on one data set, and each
    autoencoder's verdict sentence."""
    relative, columns = DATASETS[name]
    network = {"stop_on": stop_on, **({} if epochs is None else {"epochs": epochs})}
    results = {model: train_anomaly(data_dir() / relative, **columns, model=model, seed=0, **network) for model in AUTOENCODERS}
    first = next(iter(results.values()))
    print(f"\n{name} ({relative}): " + ", ".join(f"{part} {rows} rows" for part, rows in first.parts.items()))
    print("\n".join(first.notes))
    for model, result in results.items():
        if result.baselines.keys() != first.baselines.keys() or any(
            result.metrics[b] != first.metrics[b] for b in first.baselines
        ):
            raise SystemExit(f"{model}: the baselines' test metrics differ from the {first.model_name} run's; "
                             "the split or a baseline's seed is not reproducible.")
    rows = {model: {**result.metrics[model], "best epoch": f"{result.best_epoch}/{len(result.estimator.history_['loss'])}"}
            for model, result in results.items()}
    rows.update({(f"{b} (saw the labels)" if b == CEILING else b): {**first.metrics[b], "best epoch": ""}
                 for b in first.baselines})
    table = pd.DataFrame(rows).T[["roc_auc", "pr_auc", "precision", "recall", "best epoch"]]
    table = table.rename(columns={"roc_auc": "ROC AUC", "pr_auc": "PR AUC", "precision": "precision@thr", "recall": "recall@thr"})
    return table, {model: result.verdict.sentence for model, result in results.items()}


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("data", nargs="*", default=["creditcard"], metavar="DATA",
                    help=f"data sets to compare on, of {', '.join(DATASETS)} (default creditcard)")
parser.add_argument("--epochs", type=int, default=None, help="maximum epochs of each autoencoder (default: its own)")
parser.add_argument("--stop-on", choices=("loss", "pr_auc"), default="loss",
                    help="what early stopping watches on validation: the reconstruction loss (default) or the PR AUC")
args = parser.parse_args()
for name in args.data:
    if name not in DATASETS:
        parser.error(f"DATA: expected one of {', '.join(DATASETS)}, got {name!r}.")
pd.set_option("display.width", 160)
for name in args.data:
    table, sentences = compare(name, args.epochs, args.stop_on)
    print("Test part; baselines identical in all four runs; thresholds chosen on validation (recall 0.8):")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    print("\n".join(sentences.values()))
