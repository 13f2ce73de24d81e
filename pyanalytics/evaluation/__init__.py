"""Evaluation of direction models: metrics beside naive baselines."""

from pyanalytics.evaluation.metrics import (
    METRIC_NAMES,
    classification_metrics,
    compare_models,
    metrics_table,
)

__all__ = ["METRIC_NAMES", "classification_metrics", "compare_models", "metrics_table"]
