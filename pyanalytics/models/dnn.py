"""The course's stock-trend DNN: Dense layers over one day's technical features."""

from functools import partial

from pyanalytics.models.keras_base import KERAS_PARAMETER_RULES, KerasDirectionClassifier
from pyanalytics.params import check_choice, check_float, check_units

ACTIVATIONS = ("relu", "elu", "selu", "gelu", "swish", "tanh", "sigmoid", "softplus", "linear")


class DNNClassifier(KerasDirectionClassifier):
    """Feed-forward network predicting whether the price rises over the label horizon.

    Three Dense layers by default (two hidden, one sigmoid output), trained with binary
    cross-entropy and early stopping on validation loss with the best weights restored.

    Args:
        hidden_units: sizes of the hidden Dense layers.
        activation: activation of the hidden layers.
        dropout: dropout rate after each hidden layer.
        learning_rate: Adam learning rate.
        batch_size: rows per gradient step.
        epochs: maximum number of passes over the training rows.
        patience: epochs without validation improvement before stopping.
        validation_fraction: share of the training rows held out (last in time) when ``fit`` gets
            no ``validation_data``; 0 trains every epoch without early stopping.
        validation_gap: rows dropped between those training and held-out rows (>= horizon).
        threshold: probability of a rise above which ``predict`` says up.
        cost_fp: cost of a false positive in false negatives (alpha); trains with the
            cost-weighted loss in a custom TensorFlow step unless ``tune_threshold`` is set.
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

    _parameter_rules = {
        **KERAS_PARAMETER_RULES,
        "hidden_units": check_units,
        "activation": partial(check_choice, choices=ACTIVATIONS),
        "dropout": partial(check_float, low=0.0, high=0.95),
    }

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

    def _build_network(self, input_shape: tuple[int, ...]):
        from pyanalytics.models.networks import dense_network

        return dense_network(
            input_shape[-1],
            hidden_units=self._params["hidden_units"],
            activation=self._params["activation"],
            dropout=self._params["dropout"],
        )
