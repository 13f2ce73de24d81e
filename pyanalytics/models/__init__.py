"""Models of every task: the Keras networks and the naive baselines, all in one estimator contract.

Importing this package does not import TensorFlow; a network is built only in ``fit``.
"""

from pyanalytics.defaults import MODEL_NAMES, SEQUENCE_MODEL_NAMES
from pyanalytics.models.anomaly_baselines import (
    ANOMALY_BASELINES,
    IsolationForestBaseline,
    PCABaseline,
    SupervisedCeiling,
)
from pyanalytics.models.autoencoders import (
    AUTOENCODERS,
    Autoencoder,
    DenoisingAutoencoder,
    SparseAutoencoder,
    VariationalAutoencoder,
)
from pyanalytics.models.baselines import (
    BASELINES,
    AlwaysUpBaseline,
    LogisticRegressionBaseline,
    MajorityClassBaseline,
    PreviousDirectionBaseline,
)
from pyanalytics.models.dnn import COURSE_STACKS, DNNClassifier, DNNRegressor
from pyanalytics.models.forecast_baselines import FORECAST_BASELINES, LinearAR, NaiveForecast, SeasonalNaive
from pyanalytics.models.forecasting import GRUForecaster, LSTMForecaster, RecurrentForecaster
from pyanalytics.models.recurrent import GRUClassifier, LSTMClassifier
from pyanalytics.models.regression import REGRESSION_BASELINES, MeanBaseline, RidgeBaseline
from pyanalytics.models.sequence_baselines import SEQUENCE_BASELINES, LastStepLogistic, SequenceMajorityClass

MODELS = dict(zip(MODEL_NAMES, (DNNClassifier, LSTMClassifier, GRUClassifier), strict=True))
SEQUENCE_MODELS = SEQUENCE_MODEL_NAMES


def task_baselines(task) -> dict:
    """The naive baselines a task's models stand beside: name -> unfitted estimator class.

    Args:
        task: a ``pyanalytics.tasks.Task`` (its ``baselines`` names them, ceilings included).
            Sequence classifiers share the binary and multiclass tasks: their domain stands
            them beside ``SEQUENCE_BASELINES`` instead.
    """
    known = {**BASELINES, **REGRESSION_BASELINES, **ANOMALY_BASELINES, **FORECAST_BASELINES}
    return {name: known[name] for name in task.baselines}

__all__ = [
    "ANOMALY_BASELINES",
    "AUTOENCODERS",
    "Autoencoder",
    "DenoisingAutoencoder",
    "SparseAutoencoder",
    "VariationalAutoencoder",
    "BASELINES",
    "COURSE_STACKS",
    "MODELS",
    "REGRESSION_BASELINES",
    "AlwaysUpBaseline",
    "DNNClassifier",
    "DNNRegressor",
    "MeanBaseline",
    "RidgeBaseline",
    "GRUClassifier",
    "GRUForecaster",
    "FORECAST_BASELINES",
    "LastStepLogistic",
    "LinearAR",
    "NaiveForecast",
    "SEQUENCE_BASELINES",
    "SeasonalNaive",
    "SequenceMajorityClass",
    "LSTMForecaster",
    "RecurrentForecaster",
    "IsolationForestBaseline",
    "LSTMClassifier",
    "SEQUENCE_MODELS",
    "SupervisedCeiling",
    "LogisticRegressionBaseline",
    "MajorityClassBaseline",
    "PCABaseline",
    "PreviousDirectionBaseline",
    "task_baselines",
]
