"""Metrics of an anomaly score against 0/1 labels (1 = anomaly), for imbalanced data.

Accuracy says nothing when 0.2 % of rows are frauds, so the anomaly task reports how well the
score ranks (ROC AUC, and PR AUC: average precision, the headline), what the alerts at the
model's threshold catch (precision, recall, F1 and the confusion counts; a row is flagged when
its score is at or above the threshold), and two figures an analyst asks for: the precision of
the top k rows when k is the number of anomalies, and the most anomalies caught while precision
stays at ``RECALL_PRECISION``.
"""

import math

import numpy as np
from sklearn import metrics

from pyanalytics.evaluation.thresholds import alert_curve
from pyanalytics.params import check_float

RECALL_PRECISION = 0.9  # recall_at_precision: the best recall whose alerts are at least this precise


def anomaly_metrics(y, scores, threshold: float) -> dict:
    """Ranking and alert metrics of anomaly ``scores`` against labels ``y``.

    Args:
        y: 1 (anomaly) or 0 (normal) per row; None for unlabelled rows, which give only the
            alerts and the row count (every other metric NaN).
        scores: one anomaly score per row, higher is more unusual.
        threshold: rows scoring at or above it are flagged (the model's ``threshold_``).

    Returns:
        ``roc_auc``, ``pr_auc`` (average precision; both NaN unless both classes are present),
        ``precision``, ``recall``, ``f1`` at ``threshold`` (0 where undefined), ``precision_at_k``
        (the share of anomalies among the k highest scores, k = the anomalies in ``y``; rows
        tied with the k-th score count by their share, as a random tie-break would on average;
        NaN without anomalies), ``recall_at_precision`` (the best recall of a threshold whose
        precision is at least ``RECALL_PRECISION``, tied rows flagged together; 0 if none
        reaches it, NaN without anomalies), ``alerts``, ``tp``, ``fp``, ``fn``, ``tn`` and ``n``.

    Raises:
        DataError: labels other than 0/1, a count of labels unlike the scores', or a score that
            is not a finite number.
        ParameterError: a threshold that is not a number.

    Example:
        >>> m = anomaly_metrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], threshold=0.4)
        >>> m["roc_auc"], m["precision"], m["recall"], m["precision_at_k"]
        (0.75, 0.5, 0.5, 0.5)
    """
    curve = alert_curve(scores, y)  # validates both, naming the bad row
    threshold = check_float("threshold", threshold, low=-math.inf, high=math.inf)
    if y is None:
        alerts = int((np.asarray(scores) >= threshold).sum())
        return {**dict.fromkeys(_LABELLED, math.nan), "alerts": alerts, "n": int(np.size(scores))}
    y = np.asarray(y).astype(np.int64)
    scores = np.asarray(scores, dtype=np.float64)
    flags = (scores >= threshold).astype(np.int64)
    tn, fp, fn, tp = (int(c) for c in metrics.confusion_matrix(y, flags, labels=[0, 1]).ravel())
    anomalies = tp + fn
    two_classes = 0 < anomalies < len(y)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / anomalies if anomalies else 0.0
    reaching = curve.loc[(curve["precision"] >= RECALL_PRECISION) & (curve["alerts"] > 0), "recall"]
    return {
        "roc_auc": float(metrics.roc_auc_score(y, scores)) if two_classes else math.nan,
        "pr_auc": float(metrics.average_precision_score(y, scores)) if two_classes else math.nan,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "precision_at_k": _precision_at_k(y, scores, anomalies) if anomalies else math.nan,
        "recall_at_precision": (float(reaching.max()) if len(reaching) else 0.0) if anomalies else math.nan,
        "alerts": tp + fp,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "n": int(len(y)),
    }


_LABELLED = ("roc_auc", "pr_auc", "precision", "recall", "f1", "precision_at_k", "recall_at_precision", "tp", "fp",
             "fn", "tn")


def _precision_at_k(y: np.ndarray, scores: np.ndarray, k: int) -> float:
    """Anomalies among the ``k`` highest scores over ``k``; rows tied with the k-th score fill the
    remaining places in proportion to the anomalies among them."""
    kth = np.sort(scores)[::-1][k - 1]
    above, tied = scores > kth, scores == kth
    places = k - int(above.sum())
    caught = y[above].sum() + places * y[tied].mean()
    return float(caught / k)
