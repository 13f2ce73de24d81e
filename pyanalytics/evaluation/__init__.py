"""Evaluation of direction models: metrics beside naive baselines, and the backtest."""

from pyanalytics.evaluation.backtest import MODES, BacktestResult, backtest, backtest_matrix, signals_from_bundle
from pyanalytics.evaluation.metrics import (
    METRIC_NAMES,
    best_baseline,
    classification_metrics,
    compare_models,
    metrics_table,
)

__all__ = [
    "METRIC_NAMES",
    "MODES",
    "BacktestResult",
    "backtest",
    "backtest_matrix",
    "best_baseline",
    "classification_metrics",
    "compare_models",
    "metrics_table",
    "signals_from_bundle",
]
