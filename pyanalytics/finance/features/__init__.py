"""Features and labels: indicators computed from past prices, direction of future prices."""

from pyanalytics.finance.features.dataset import Dataset, build_dataset
from pyanalytics.finance.features.indicators import compute_features
from pyanalytics.finance.features.labels import direction_labels, forward_returns
from pyanalytics.finance.features.spec import FeatureSpec
from pyanalytics.finance.features.volume import default_spec

__all__ = [
    "Dataset",
    "FeatureSpec",
    "build_dataset",
    "compute_features",
    "default_spec",
    "direction_labels",
    "forward_returns",
]
