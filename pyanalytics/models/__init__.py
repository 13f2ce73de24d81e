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
from pyanalytics.models.recurrent import GRUClassifier, LSTMClassifier

MODELS = {"dnn": DNNClassifier, "lstm": LSTMClassifier, "gru": GRUClassifier}
SEQUENCE_MODELS = ("lstm", "gru")

__all__ = [
    "BASELINES",
    "MODELS",
    "AlwaysUpBaseline",
    "DNNClassifier",
    "GRUClassifier",
    "LSTMClassifier",
    "SEQUENCE_MODELS",
    "LogisticRegressionBaseline",
    "MajorityClassBaseline",
    "PreviousDirectionBaseline",
]
