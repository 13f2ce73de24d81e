"""Evaluation of models: metrics beside naive baselines, scored on the same rows."""

from pyanalytics.evaluation.metrics import (
    METRIC_NAMES,
    best_baseline,
    classification_metrics,
    compare_models,
    metrics_table,
)

__all__ = [
    "METRIC_NAMES",
    "best_baseline",
    "classification_metrics",
    "compare_models",
    "metrics_table",
]
