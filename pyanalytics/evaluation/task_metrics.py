"""Metrics of every task beside its naive baselines, and one verdict per task.

The task (``pyanalytics.tasks``) names its metrics, its headline metric, the sense of that metric
and the margin an edge needs; this module computes them and judges:

- regression: MSE, RMSE, MAE, R²; the verdict compares RMSE (a relative margin);
- binary: ``classification_metrics`` plus PR AUC (average precision); the verdict compares ROC
  AUC with the ``AUC_EDGE`` margin of the direction models;
- multiclass: accuracy, macro-F1, log-loss and the confusion matrix; the verdict compares
  accuracy.

Example:
    >>> from pyanalytics.tasks import TASKS
    >>> results = {"dnn": {"rmse": 2.0}, "mean": {"rmse": 3.0}, "ridge": {"rmse": 2.5}}
    >>> task_verdict(TASKS["regression"], results, "dnn").judgement
    'better'
"""

import math
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn import metrics

from pyanalytics.evaluation.metrics import AUC_EDGE, classification_metrics


def regression_metrics(y_true, y_pred) -> dict:
    """MSE, RMSE, MAE and R² of predictions ``y_pred`` of ``y_true``, and the row count ``n``.

    Example:
        >>> m = regression_metrics([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
        >>> m["mse"], m["mae"], m["r2"]
        (1.3333333333333333, 0.6666666666666666, -1.0)
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    mse = float(metrics.mean_squared_error(y_true, y_pred))
    return {
        "mse": mse,
        "rmse": math.sqrt(mse),
        "mae": float(metrics.mean_absolute_error(y_true, y_pred)),
        "r2": float(metrics.r2_score(y_true, y_pred)) if len(y_true) > 1 else float("nan"),
        "n": int(len(y_true)),
    }


def binary_metrics(y_true, prob_positive, threshold: float = 0.5, alpha: float = 1.0, positive=1) -> dict:
    """``classification_metrics`` plus ``pr_auc`` (average precision) for any two labels.

    Args:
        y_true: labels; the class ``positive`` counts as 1, any other as 0.
        prob_positive: predicted probabilities of ``positive`` (``predict_proba(X)[:, 1]``).
        threshold, alpha: as in ``classification_metrics``.
        positive: the positive class (``classes_[1]`` of the model).
    """
    hits = (np.asarray(y_true) == positive).astype(np.int64)
    result = classification_metrics(hits, prob_positive, threshold, alpha)
    two_classes = len(np.unique(hits)) == 2
    result["pr_auc"] = float(metrics.average_precision_score(hits, prob_positive)) if two_classes else float("nan")
    return result


def multiclass_metrics(y_true, probabilities, classes) -> dict:
    """Accuracy, macro-F1, log-loss and the confusion matrix of class probabilities.

    Args:
        y_true: the true class of each row.
        probabilities: (n, k) probabilities in the order of ``classes``.
        classes: the model's ``classes_``.

    Returns:
        ``accuracy``, ``macro_f1``, ``log_loss``, ``n``, ``classes`` and ``confusion`` (rows: true
        class, columns: predicted class, both in ``classes`` order).
    """
    classes = np.asarray(classes)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    y_true = np.asarray(y_true)
    y_pred = classes[np.argmax(probabilities, axis=1)]
    return {
        "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "macro_f1": float(metrics.f1_score(y_true, y_pred, labels=classes, average="macro", zero_division=0)),
        "log_loss": float(metrics.log_loss(y_true, probabilities, labels=classes)),
        "n": int(len(y_true)),
        "classes": [c.item() if isinstance(c, np.generic) else c for c in classes],
        "confusion": metrics.confusion_matrix(y_true, y_pred, labels=classes).tolist(),
    }


def model_metrics(task, model, X, y, alpha: float = 1.0) -> dict:
    """The task's metrics of one fitted model on rows ``X`` with targets ``y``."""
    if task.name == "regression":
        return regression_metrics(y, model.predict(X))
    probabilities = model.predict_proba(X)
    if task.name == "binary":
        return binary_metrics(y, probabilities[:, 1], model.threshold_, alpha, positive=model.classes_[1])
    return multiclass_metrics(y, probabilities, model.classes_)


def compare_task_models(task, models: Mapping[str, object], X, y, alpha: float = 1.0) -> dict[str, dict]:
    """The task's metrics of each fitted model (the model and its baselines) on the same rows."""
    return {name: model_metrics(task, model, X, y, alpha) for name, model in models.items()}


def task_metrics_table(task, results: Mapping[str, dict]) -> pd.DataFrame:
    """One row per model, one column per metric the task names."""
    return pd.DataFrame({name: {k: m.get(k, float("nan")) for k in task.metric_names} for name, m in results.items()}).T


class Verdict(NamedTuple):
    """A task's judgement of a model against its strongest baseline.

    ``judgement`` is ``"better"`` (beats every baseline by at least the task's margin),
    ``"no_edge"`` (within the margin), ``"worse"`` (a baseline is better by at least the margin)
    or ``"undefined"`` (the headline metric is not defined for the model or every baseline).
    ``edge`` is the model's advantage in the headline metric (relative for relative margins).
    """

    judgement: str
    sentence: str
    baseline: str | None
    edge: float


_METRIC_LABELS = {"roc_auc": "ROC AUC", "accuracy": "accuracy", "rmse": "RMSE"}


def _margin(task) -> float:
    # The binary margin is the direction models' ROC AUC edge, read from metrics.AUC_EDGE so the
    # two verdicts cannot drift apart.
    return AUC_EDGE if task.name == "binary" else task.margin


def task_verdict(task, results: Mapping[str, dict], model_name: str) -> Verdict:
    """One honest sentence on whether ``model_name`` beats the task's naive baselines.

    Args:
        task: a ``pyanalytics.tasks.Task``.
        results: metrics per model name (the model and its baselines), e.g. from
            ``compare_task_models``.
        model_name: the model judged; every other entry is a baseline.
    """
    metric, label, margin = task.headline, _METRIC_LABELS[task.headline], _margin(task)
    value = results[model_name].get(metric, float("nan"))
    baselines = {
        name: m[metric] for name, m in results.items() if name != model_name and not math.isnan(m.get(metric, math.nan))
    }
    if math.isnan(value) or not baselines:
        return Verdict("undefined", f"{model_name}: {label} is undefined here, so there is no verdict.", None, math.nan)
    pick = max if task.higher_is_better else min
    baseline = pick(baselines, key=baselines.get)
    reference = baselines[baseline]
    advantage = value - reference if task.higher_is_better else reference - value
    edge = advantage / abs(reference) if task.relative_margin else advantage
    if edge >= margin:
        judgement, words = "better", f"beats {_every(baselines, baseline)}"
    elif edge <= -margin:
        judgement, words = "worse", f"does worse than {baseline}"
    else:
        judgement, words = "no_edge", f"does not beat {baseline}: no real edge"
    needed = f"{margin:.0%}" if task.relative_margin else f"{margin:g}"
    shown = f"{edge:+.1%}" if task.relative_margin else f"{edge:+.3f}"
    sentence = (
        f"{model_name} {label} {value:.3f} vs {reference:.3f} for the best baseline, {baseline} "
        f"(edge {shown}): it {words} (an edge under {needed} counts as none)."
    )
    return Verdict(judgement, sentence, baseline, edge)


def _every(baselines: Mapping[str, float], best: str) -> str:
    return best if len(baselines) == 1 else f"every baseline, {best} the strongest"
