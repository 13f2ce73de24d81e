"""Features and labels: indicators computed from past prices, direction of future prices."""

from pyanalytics.features.dataset import Dataset, build_dataset
from pyanalytics.features.indicators import compute_features
from pyanalytics.features.labels import direction_labels, forward_returns
from pyanalytics.features.spec import FeatureSpec

__all__ = [
    "Dataset",
    "FeatureSpec",
    "build_dataset",
    "compute_features",
    "direction_labels",
    "forward_returns",
]
