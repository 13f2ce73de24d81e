"""The course's LSTM, and the GRU as its cheaper sibling, over windows of past timesteps."""

from functools import partial

from pyanalytics.models.base import WindowInputs
from pyanalytics.models.keras_base import KERAS_PARAMETER_RULES, KerasDirectionClassifier
from pyanalytics.params import check_float, check_units

RECURRENT_PARAMETER_RULES = {
    "units": check_units,
    "dropout": partial(check_float, low=0.0, high=0.95),
}


class RecurrentNetwork(WindowInputs):
    """Mixin of the Keras estimators built on ``networks.recurrent_network``: the ``units`` and
    ``dropout`` parameters, the cell (``_cell``) and the output layer the task asks for
    (``_output_layer()``: keyword arguments of ``recurrent_network``)."""

    _cell = "lstm"

    def _output_layer(self) -> dict:
        raise NotImplementedError

    def _build_network(self, input_shape: tuple[int, ...]):
        from pyanalytics.models.networks import recurrent_network

        window, n_features = input_shape
        return recurrent_network(
            window,
            n_features,
            cell=self._cell,
            units=self._params["units"],
            dropout=self._params["dropout"],
            **self._output_layer(),
        )


class RecurrentClassifier(RecurrentNetwork, KerasDirectionClassifier):
    """Stacked recurrent layers over (samples, timesteps, features) windows, a sigmoid head for
    two classes (the direction network, unchanged) or softmax over more.

    ``X`` is a 3-D array of windows whose last timestep is the one predicted (see
    ``pyanalytics.data.windows.model_inputs``). Scaling statistics come from every row of the
    training windows, per feature.

    Args:
        units: size of each recurrent layer, in order.
        dropout: dropout on each recurrent layer's inputs.
        learning_rate, batch_size, epochs, patience, validation_fraction, validation_gap,
        threshold, cost_fp, tune_threshold, seed: as in ``DNNClassifier`` (``cost_fp`` and
        ``threshold`` apply to two classes).
    """

    _multiclass = True
    _parameter_rules = {**KERAS_PARAMETER_RULES, **RECURRENT_PARAMETER_RULES}

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

    def _output_layer(self) -> dict:
        if len(self.classes_) == 2:  # the direction network, as saved in direction bundles
            return {}
        task = self._task()
        return {
            "output_units": task.output_units(len(self.classes_)),
            "output_activation": task.output_activation,
            "output_name": "class_probabilities",
            "name": f"multiclass_{self._cell}",
        }


class LSTMClassifier(RecurrentClassifier):
    """LSTM classifier over windows of past timesteps (see ``RecurrentClassifier``).

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> windows, y = rng.normal(size=(200, 10, 3)), rng.integers(0, 2, 200)
        >>> LSTMClassifier(units=(8,), epochs=2, seed=0).fit(windows, y).predict_proba(windows).shape
        (200, 2)
    """

    _cell = "lstm"


class GRUClassifier(RecurrentClassifier):
    """GRU classifier: the LSTM's cheaper sibling (see ``RecurrentClassifier``)."""

    _cell = "gru"
