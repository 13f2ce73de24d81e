"""Classification metrics of direction models, side by side with the baselines."""

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn import metrics

METRIC_NAMES = ("accuracy", "precision", "recall", "f1", "roc_auc", "brier", "expected_cost")


def classification_metrics(y_true, prob_up, threshold: float = 0.5, alpha: float = 1.0) -> dict:
    """Accuracy, precision, recall, F1, ROC AUC, Brier score, expected cost and confusion counts.

    ``roc_auc`` is NaN when ``y_true`` holds a single class (it is undefined there); precision
    and recall are 0 where nothing was predicted or nothing happened.

    Args:
        y_true: labels 0/1.
        prob_up: predicted probabilities of a rise.
        threshold: probability at or above which the prediction is "up" (or one per row, for
            predictions stitched from models with different thresholds).
        alpha: cost of a false positive in false negatives, for ``expected_cost`` (the average
            cost per decision; with alpha 1 it is the error rate).

    Example:
        >>> m = classification_metrics([0, 1, 1, 0], [0.2, 0.8, 0.4, 0.6])
        >>> m["accuracy"], m["roc_auc"], m["confusion"]
        (0.5, 0.75, {'tn': 1, 'fp': 1, 'fn': 1, 'tp': 1})
    """
    y_true = np.asarray(y_true, dtype=np.int64)
    prob_up = np.asarray(prob_up, dtype=np.float64)
    y_pred = (prob_up >= threshold).astype(np.int64)
    tn, fp, fn, tp = metrics.confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    two_classes = len(np.unique(y_true)) == 2
    return {
        "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "precision": float(metrics.precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(metrics.recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(metrics.f1_score(y_true, y_pred, zero_division=0)),
        "roc_auc": float(metrics.roc_auc_score(y_true, prob_up)) if two_classes else float("nan"),
        "brier": float(metrics.brier_score_loss(y_true, prob_up)),
        "expected_cost": float((alpha * fp + fn) / max(len(y_true), 1)),
        "n": int(len(y_true)),
        "up_rate": float(y_true.mean()) if len(y_true) else float("nan"),
        "confusion": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
    }


def compare_models(models: Mapping[str, object], X, y, alpha: float = 1.0) -> dict[str, dict]:
    """Metrics of each fitted model on the same rows, at each model's own threshold."""
    return {
        name: classification_metrics(y, model.predict_proba(X)[:, 1], model.threshold_, alpha)
        for name, model in models.items()
    }


def best_baseline(results: Mapping[str, dict], model_name: str) -> tuple[str | None, float]:
    """The model's strongest rival: the other entry with the highest ROC AUC (NaN ignored).

    Returns ``(None, nan)`` when no baseline has a defined ROC AUC.
    """
    scored = [
        (name, m["roc_auc"])
        for name, m in results.items()
        if name != model_name and m["roc_auc"] is not None and not math.isnan(m["roc_auc"])
    ]
    return max(scored, key=lambda item: item[1]) if scored else (None, float("nan"))


def fold_spread(values) -> dict:
    """Mean, standard deviation (ddof 1), minimum and maximum of one value per fold.

    NaN folds (a ROC AUC is undefined on a block that holds a single direction) are left out;
    ``n_folds`` counts the folds that remain.

    Example:
        >>> fold_spread([0.5, float("nan"), 0.6])
        {'mean': 0.55, 'std': 0.07071067811865474, 'min': 0.5, 'max': 0.6, 'n_folds': 2}
    """
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    n = len(values)
    return {
        "mean": float(values.mean()) if n else math.nan,
        "std": float(values.std(ddof=1)) if n > 1 else math.nan,
        "min": float(values.min()) if n else math.nan,
        "max": float(values.max()) if n else math.nan,
        "n_folds": n,
    }


def metrics_table(results: Mapping[str, dict]) -> pd.DataFrame:
    """One row per model, one column per metric plus the confusion counts."""
    rows = {
        name: {**{k: m[k] for k in METRIC_NAMES}, **m["confusion"]} for name, m in results.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("model")
