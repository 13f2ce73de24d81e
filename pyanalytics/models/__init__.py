"""Direction models: the Keras networks and the naive baselines, all in one estimator contract.

Importing this package does not import TensorFlow; a network is built only in ``fit``.
"""

from pyanalytics.models.baselines import (
    BASELINES,
    AlwaysUpBaseline,
    LogisticRegressionBaseline,
    MajorityClassBaseline,
    PreviousDirectionBaseline,
)
from pyanalytics.models.dnn import DNNClassifier

MODELS = {"dnn": DNNClassifier}

__all__ = [
    "BASELINES",
    "MODELS",
    "AlwaysUpBaseline",
    "DNNClassifier",
    "LogisticRegressionBaseline",
    "MajorityClassBaseline",
    "PreviousDirectionBaseline",
]
