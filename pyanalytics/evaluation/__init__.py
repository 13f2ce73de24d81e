"""Evaluation of direction models: metrics beside naive baselines."""

from pyanalytics.evaluation.metrics import (
    METRIC_NAMES,
    best_baseline,
    classification_metrics,
    compare_models,
    metrics_table,
)

__all__ = ["METRIC_NAMES", "best_baseline", "classification_metrics", "compare_models", "metrics_table"]
