"""Direction models: the Keras networks and the naive baselines, all in one estimator contract.

Importing this package does not import TensorFlow; a network is built only in ``fit``.
"""

from pyanalytics.defaults import MODEL_NAMES, SEQUENCE_MODEL_NAMES
from pyanalytics.models.baselines import (
    BASELINES,
    AlwaysUpBaseline,
    LogisticRegressionBaseline,
    MajorityClassBaseline,
    PreviousDirectionBaseline,
)
from pyanalytics.models.dnn import DNNClassifier
from pyanalytics.models.recurrent import GRUClassifier, LSTMClassifier

MODELS = dict(zip(MODEL_NAMES, (DNNClassifier, LSTMClassifier, GRUClassifier), strict=True))
SEQUENCE_MODELS = SEQUENCE_MODEL_NAMES

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
