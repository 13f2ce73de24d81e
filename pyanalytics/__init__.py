"""pyanalytics: stock-direction deep learning you can trust, explain and call from R.

Importing the package is cheap: TensorFlow, Keras and the explainers are imported only where a
model is built, loaded or explained.

Example:
    >>> import pyanalytics as pa
    >>> prices = pa.synthetic_market(800, signal_strength=2.0, seed=1)
    >>> result = pa.train_direction_model(prices, model_params={"epochs": 3})
    >>> result.metrics["dnn"]["roc_auc"] > 0.5
    True
"""

import os
from importlib import import_module

from pyanalytics import domains

# Set before TensorFlow is first imported (by any entry point: Python, the CLI or R). oneDNN's
# kernels make float results depend on how rows are batched and print a notice on every import;
# the plain Eigen kernels are as fast here for these small networks and give the same numbers
# from every entry point. A value the user set in the environment wins.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"

# The domains on the core, by import path: a bundle names its domain and loading it imports only
# that domain's preprocessing; saving a result imports only its domain's bundle writer; explaining
# a model of a domain with its own explainer imports only that.
domains.register("finance", "pyanalytics.finance.preprocessing:PricePreprocessing", "pyanalytics.bundle:save_result")
domains.register("tabular", "pyanalytics.tabular.preprocessing:TabularPreprocessing",
                 "pyanalytics.tabular.bundle:save_tabular_bundle", "pyanalytics.tabular.bundle:load_tabular_bundle")
domains.register("anomaly", "pyanalytics.anomaly.preprocessing:AnomalyPreprocessing",
                 "pyanalytics.anomaly.bundle:save_anomaly_bundle", "pyanalytics.anomaly.bundle:load_anomaly_bundle",
                 explainer="pyanalytics.anomaly.explain:explain_for_core")
domains.register("sequence", "pyanalytics.sequence.preprocessing:SequencePreprocessing",
                 "pyanalytics.sequence.bundle:save_sequence_bundle", "pyanalytics.sequence.bundle:load_sequence_bundle",
                 explainer="pyanalytics.sequence.explain:explain_for_core")

_PUBLIC = {
    "load_prices": "pyanalytics.finance",
    "synthetic_market": "pyanalytics.finance",
    "random_walk": "pyanalytics.finance",
    "FeatureSpec": "pyanalytics.finance.features",
    "build_dataset": "pyanalytics.finance.features",
    "compute_features": "pyanalytics.finance.features",
    "chronological_split": "pyanalytics.splits",
    "WalkForward": "pyanalytics.splits",
    "DNNClassifier": "pyanalytics.models",
    "train_direction_model": "pyanalytics.finance.training",
    "train_tabular": "pyanalytics.tabular",
    "train_anomaly": "pyanalytics.anomaly",
    "write_anomaly_report": "pyanalytics.anomaly.report",
    "train_sequence_classifier": "pyanalytics.sequence",
    "train_forecaster": "pyanalytics.sequence",
    "walk_forward_forecast": "pyanalytics.sequence",
    "explain_sequences": "pyanalytics.sequence.explain",
    "write_sequence_report": "pyanalytics.sequence.report",
    "load_bundle": "pyanalytics.bundle",
    "explain": "pyanalytics.explain",
    "rank_agreement": "pyanalytics.explain",
    "write_report": "pyanalytics.reports",
    "LSTMClassifier": "pyanalytics.models",
    "GRUClassifier": "pyanalytics.models",
    "classification_metrics": "pyanalytics.evaluation",
    "metrics_table": "pyanalytics.evaluation",
    "backtest": "pyanalytics.finance.backtest",
    "BacktestResult": "pyanalytics.finance.backtest",
    "signals_from_bundle": "pyanalytics.finance.backtest",
    "walk_forward": "pyanalytics.finance.walk_forward",
    "walk_forward_many": "pyanalytics.finance.universe",
    "write_walk_forward_report": "pyanalytics.finance.reports",
}

__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str):
    """Import the public API on first use, so ``import pyanalytics`` stays fast.

    The value is kept as the package's attribute: importing a submodule binds it here under its
    own name, which would otherwise hide a function of that name (``walk_forward``, ``explain``).
    """
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pyanalytics' has no attribute {name!r}")
