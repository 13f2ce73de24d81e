"""The course's LSTM, and the GRU as its cheaper sibling, over windows of past days."""

from functools import partial

from pyanalytics.models.keras_base import KERAS_PARAMETER_RULES, KerasDirectionClassifier
from pyanalytics.params import check_float, check_units


class RecurrentClassifier(KerasDirectionClassifier):
    """Stacked recurrent layers over (samples, timesteps, features) windows, a sigmoid head.

    ``X`` is a 3-D array of windows whose last timestep is the date predicted (see
    ``pyanalytics.data.windows.model_inputs``). Scaling statistics come from every row of the
    training windows, per feature.

    Args:
        units: size of each recurrent layer, in order.
        dropout: dropout on each recurrent layer's inputs.
        learning_rate, batch_size, epochs, patience, validation_fraction, validation_gap,
        threshold, cost_fp, tune_threshold, seed: as in ``DNNClassifier``.
    """

    _input_ndim = 3
    _cell = "lstm"
    _parameter_rules = {
        **KERAS_PARAMETER_RULES,
        "units": check_units,
        "dropout": partial(check_float, low=0.0, high=0.95),
    }

    def __init__(
        self,
        units=(32,),
        dropout=0.0,
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
        self.units = units
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
        from pyanalytics.models.networks import recurrent_network

        window, n_features = input_shape
        return recurrent_network(
            window, n_features, cell=self._cell, units=self._params["units"], dropout=self._params["dropout"]
        )

    def _learned_state(self) -> dict:
        return {**super()._learned_state(), "n_timesteps": self.n_timesteps_in_}

    def _restore_learned(self, learned: dict, *, network) -> None:
        super()._restore_learned(learned, network=network)
        self.n_timesteps_in_ = learned["n_timesteps"]


class LSTMClassifier(RecurrentClassifier):
    """LSTM direction model over windows of past days (see ``RecurrentClassifier``).

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> windows, y = rng.normal(size=(200, 10, 3)), rng.integers(0, 2, 200)
        >>> LSTMClassifier(units=(8,), epochs=2, seed=0).fit(windows, y).predict_proba(windows).shape
        (200, 2)
    """

    _cell = "lstm"


class GRUClassifier(RecurrentClassifier):
    """GRU direction model: the LSTM's cheaper sibling (see ``RecurrentClassifier``)."""

    _cell = "gru"
