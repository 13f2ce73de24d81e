"""Features and labels: indicators computed from past prices, direction of future prices."""

from pyanalytics.features.dataset import Dataset, build_dataset
from pyanalytics.features.indicators import compute_features
from pyanalytics.features.labels import direction_labels, forward_returns
from pyanalytics.features.spec import FeatureSpec
from pyanalytics.features.volume import default_spec

__all__ = [
    "Dataset",
    "FeatureSpec",
    "build_dataset",
    "compute_features",
    "default_spec",
    "direction_labels",
    "forward_returns",
]
