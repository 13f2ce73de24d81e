"""The course's feed-forward networks: Dense layers over one row of features.

``DNNClassifier`` (the stock-trend network, Titanic survival, softmax over classes) and
``DNNRegressor`` (hourly wages). The course's Sequential stacks are configurations of them
(``COURSE_STACKS``), e.g. ``DNNRegressor(**COURSE_STACKS["wages"])``.
"""

from functools import partial

import numpy as np

from pyanalytics.models.keras_base import (
    KERAS_PARAMETER_RULES,
    TRAINING_PARAMETER_RULES,
    KerasDirectionClassifier,
    KerasTraining,
)
from pyanalytics.models.regression import TabularRegressor
from pyanalytics.params import check_choice, check_float, check_units

ACTIVATIONS = ("relu", "elu", "selu", "gelu", "swish", "tanh", "sigmoid", "softplus", "linear")

DENSE_PARAMETER_RULES = {
    "hidden_units": check_units,
    "activation": partial(check_choice, choices=ACTIVATIONS),
    "dropout": partial(check_float, low=0.0, high=0.95),
    "batch_norm": lambda name, value: bool(value),
}

COURSE_STACKS = {
    # hourly wages: Dense(10, relu), Dense(5, relu), Dense(1)
    "wages": {"hidden_units": (10, 5), "activation": "relu", "dropout": 0.0},
    # Titanic survival: Dense(100, relu), Dense(100, relu), Dense(1, sigmoid)
    "titanic": {"hidden_units": (100, 100), "activation": "relu", "dropout": 0.0},
    # the "improved" Titanic model: Dense, BatchNormalization, relu, Dropout per hidden layer
    "titanic_improved": {"hidden_units": (100, 100), "activation": "relu", "dropout": 0.3, "batch_norm": True},
}


class DNNClassifier(KerasDirectionClassifier):
    """Feed-forward classifier: up or down for direction labels, or any two or more classes.

    Three Dense layers by default (two hidden, one sigmoid output; softmax over the classes when
    ``y`` holds more than two), trained with cross-entropy and early stopping on validation loss
    with the best weights restored.

    Args:
        hidden_units: sizes of the hidden Dense layers.
        activation: activation of the hidden layers.
        dropout: dropout rate after each hidden layer.
        batch_norm: the course's improved block per hidden layer (Dense, BatchNormalization,
            activation, Dropout).
        learning_rate: Adam learning rate.
        batch_size: rows per gradient step.
        epochs: maximum number of passes over the training rows.
        patience: epochs without validation improvement before stopping.
        validation_fraction: share of the training rows held out (last in time) when ``fit`` gets
            no ``validation_data``; 0 trains every epoch without early stopping.
        validation_gap: rows dropped between those training and held-out rows (>= horizon).
        threshold: probability of a rise above which ``predict`` says up.
        cost_fp: cost of a false positive in false negatives (alpha); trains with the
            cost-weighted loss in a custom TensorFlow step unless ``tune_threshold`` is set
            (two classes only).
        tune_threshold: learn with plain cross-entropy and tune the threshold on the validation
            rows to the lowest expected cost at ``cost_fp`` (default 1).
        seed: makes weights, dropout and shuffling reproducible on one machine.

    Example:
        >>> from pyanalytics.finance import synthetic_market
        >>> from pyanalytics.finance.features import build_dataset
        >>> data = build_dataset(synthetic_market(600, signal_strength=2.0, seed=1))
        >>> X, y = data.X[data.labelled], data.y[data.labelled]
        >>> model = DNNClassifier(epochs=3, seed=0).fit(X[:400], y[:400])
        >>> model.predict_proba(X[401:]).shape
        (152, 2)
    """

    _parameter_rules = {**KERAS_PARAMETER_RULES, **DENSE_PARAMETER_RULES}
    _multiclass = True

    def __init__(
        self,
        hidden_units=(64, 32),
        activation="relu",
        dropout=0.2,
        learning_rate=1e-3,
        batch_size=32,
        epochs=50,
        patience=5,
        validation_fraction=0.15,
        validation_gap=1,
        threshold=0.5,
        cost_fp=None,
        tune_threshold=False,
        seed=None,
        batch_norm=False,
    ):
        self.hidden_units = hidden_units
        self.activation = activation
        self.dropout = dropout
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.validation_gap = validation_gap
        self.threshold = threshold
        self.cost_fp = cost_fp
        self.tune_threshold = tune_threshold
        self.seed = seed
        self.batch_norm = batch_norm

    def _build_network(self, input_shape: tuple[int, ...]):
        from pyanalytics.models.networks import dense_network

        if len(self.classes_) == 2:  # the direction network, unchanged
            return dense_network(input_shape[-1], **_hidden_layers(self._params))
        task = self._task()
        return dense_network(
            input_shape[-1],
            **_hidden_layers(self._params),
            output_units=task.output_units(len(self.classes_)),
            output_activation=task.output_activation,
            output_name="class_probabilities",
            name="multiclass_dnn",
        )


def _hidden_layers(params: dict) -> dict:
    return {name: params[name] for name in ("hidden_units", "activation", "dropout", "batch_norm")}


class DNNRegressor(KerasTraining, TabularRegressor):
    """Feed-forward regressor: hidden Dense layers, one linear output, mean squared error.

    The course's wages network by default (Dense 10, Dense 5, Dense 1); the mean absolute error
    is tracked in ``history_`` beside the loss. The output unit starts at the training mean, so
    training begins where the mean baseline ends.

    Args:
        hidden_units, activation, dropout, batch_norm, learning_rate, batch_size, epochs,
        patience, seed: as in ``DNNClassifier``.
        validation_fraction: share of the training rows held out (the last ones) when ``fit``
            gets no ``validation_data``; 0 trains every epoch without early stopping.
        validation_gap: rows dropped between those training and held-out rows (0 for
            independent rows; at least the horizon for time series).

    Example:
        >>> X = np.random.default_rng(0).normal(size=(200, 3))
        >>> model = DNNRegressor(epochs=2, seed=0).fit(X, X @ [1.0, 2.0, 0.0])
        >>> model.predict(X[:5]).shape
        (5,)
    """

    _parameter_rules = {**TRAINING_PARAMETER_RULES, **DENSE_PARAMETER_RULES}

    def __init__(
        self,
        hidden_units=(10, 5),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
        learning_rate=1e-3,
        batch_size=32,
        epochs=100,
        patience=10,
        validation_fraction=0.15,
        validation_gap=0,
        seed=None,
    ):
        self.hidden_units = hidden_units
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.validation_gap = validation_gap
        self.seed = seed

    def _task(self):
        from pyanalytics.tasks import TASKS

        return TASKS["regression"]

    def _fit(self, X, y, validation, on_epoch):
        self._output_bias = float(np.mean(y))
        return super()._fit(X, y, validation, on_epoch)

    def _build_network(self, input_shape: tuple[int, ...]):
        from pyanalytics.models.networks import dense_network

        task = self._task()
        return dense_network(
            input_shape[-1],
            **_hidden_layers(self._params),
            output_units=task.output_units(None),
            output_activation=task.output_activation,
            output_bias=self._output_bias,
            output_name="prediction",
            name="regression_dnn",
        )

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return self._network_output(X).reshape(-1)
