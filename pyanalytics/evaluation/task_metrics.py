"""Metrics of every task beside its naive baselines (their verdict: ``evaluation.verdict.task_verdict``).

The task (``pyanalytics.tasks``) names its metrics, its headline metric, the sense of that metric
and the margin an edge needs; this module computes the metrics:

- regression: MSE, RMSE, MAE, R²;
- binary: ``classification_metrics`` plus PR AUC (average precision);
- multiclass: accuracy, macro-F1, log-loss and the confusion matrix;
- anomaly: ``anomaly_metrics`` of each detector's ``anomaly_score`` at its ``threshold_``;
- forecasting: ``forecast_metrics`` (MAE, RMSE, MASE per horizon; the interval's coverage for a
  model with quantiles).
"""

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn import metrics

from pyanalytics.errors import ParameterError
from pyanalytics.evaluation.anomaly_metrics import anomaly_metrics
from pyanalytics.evaluation.forecast_metrics import forecast_metrics
from pyanalytics.evaluation.metrics import classification_metrics


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


def model_metrics(task, model, X, y, alpha: float = 1.0, *, scale: float | None = None) -> dict:
    """The task's metrics of one fitted model on rows ``X`` with targets ``y`` (anomaly: 0/1 labels).

    Args:
        task, model, X, y: the task, a fitted model, its inputs and the true targets (forecasting:
            windows and the (n, H) future values).
        alpha: a false positive's cost in false negatives (binary).
        scale: MASE's scale, ``forecast_metrics.naive_scale`` of the training target (forecasting
            only, where it is required).

    Raises:
        ParameterError: a forecasting task without ``scale``.
    """
    if task.name == "forecasting":
        if scale is None:
            raise ParameterError(
                "scale: the forecasting task needs MASE's scale; pass scale=naive_scale(training target)."
            )
        if getattr(model, "nominal_coverage_", None) is None:
            return forecast_metrics(y, model.predict(X), scale=scale)
        forecast, lower, upper = model.predict_with_interval(X)  # one pass of the network, not two
        return forecast_metrics(y, forecast, scale=scale, lower=lower, upper=upper, nominal=model.nominal_coverage_)
    if task.name == "regression":
        return regression_metrics(y, model.predict(X))
    if task.name == "anomaly":
        return anomaly_metrics(y, model.anomaly_score(X), model.threshold_)
    probabilities = model.predict_proba(X)
    if task.name == "binary":
        return binary_metrics(y, probabilities[:, 1], model.threshold_, alpha, positive=model.classes_[1])
    return multiclass_metrics(y, probabilities, model.classes_)


def compare_task_models(
    task, models: Mapping[str, object], X, y, alpha: float = 1.0, *, scale: float | None = None
) -> dict[str, dict]:
    """The task's metrics of each fitted model (the model and its baselines) on the same rows
    (``scale``: as in ``model_metrics``)."""
    return {name: model_metrics(task, model, X, y, alpha, scale=scale) for name, model in models.items()}


def task_metrics_table(task, results: Mapping[str, dict]) -> pd.DataFrame:
    """One row per model, one column per metric the task names that a model reports."""
    names = [k for k in task.metric_names if any(k in m for m in results.values())]
    return pd.DataFrame({name: {k: m.get(k, float("nan")) for k in names} for name, m in results.items()}).T
