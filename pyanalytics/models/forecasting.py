"""Recurrent forecasters: LSTM or GRU layers over a window, horizons 1..H as one linear output layer.

Direct multi-step forecasting (``TASKS["forecasting"]``): one network predicts every step ahead
at once, so no forecast feeds the next. With ``quantiles`` the network outputs H x Q values
trained with the pinball loss (``pyanalytics.models.pinball``): the middle quantile is the
forecast and the outer two bound a prediction interval.
"""

import numpy as np

from pyanalytics.errors import ParameterError
from pyanalytics.models.forecast_base import Forecaster
from pyanalytics.models.keras_base import TRAINING_PARAMETER_RULES, KerasTraining
from pyanalytics.models.recurrent import RECURRENT_PARAMETER_RULES, RecurrentNetwork
from pyanalytics.models.validation import check_features, check_fitted
from pyanalytics.params import check_int, check_quantiles

FORECAST_PARAMETER_RULES = {
    **TRAINING_PARAMETER_RULES,
    **RECURRENT_PARAMETER_RULES,
    "validation_gap": lambda name, value: None if value is None else check_int(name, value, minimum=0),
    "quantiles": check_quantiles,
    "relative_to": lambda name, value: None if value is None else check_int(name, value, minimum=0),
}


class RecurrentForecaster(RecurrentNetwork, KerasTraining, Forecaster):
    """Stacked recurrent layers over (samples, timesteps, features) windows, one linear unit per
    horizon (per horizon and quantile with ``quantiles``).

    The windows are scaled per feature and the targets per horizon with the training part's
    mean and standard deviation (validation rows excluded); predictions are unscaled back.
    Early stopping watches the validation loss and restores the best epoch's weights.

    Args:
        units: size of each recurrent layer, in order.
        dropout: dropout on each recurrent layer's inputs.
        learning_rate: Adam learning rate.
        batch_size: windows per gradient step.
        epochs: maximum number of passes over the training windows.
        patience: epochs without validation improvement before stopping.
        validation_fraction: share of the training windows held out (the last ones) when ``fit``
            gets no ``validation_data``; 0 trains every epoch without early stopping.
        validation_gap: windows dropped between the training and held-out windows; None: the
            horizon H, so no training target overlaps a held-out one.
        quantiles: None (point forecasts, mean squared error) or three or more increasing levels in (0, 1),
            e.g. (0.1, 0.5, 0.9): the pinball loss, ``predict`` gives the middle level (the
            one nearest 0.5) and ``predict_interval`` the outer two.
        relative_to: None (forecast the level) or the position of the target among the window's
            features: then the network reads that feature, and forecasts it, relative to its last
            value in the window, so it learns the shape of the series rather than its level and
            does not meet levels it never saw in training (a trending series, a random walk).
        seed: makes weights, dropout and shuffling reproducible on one machine.

    Attributes:
        horizon_: H, the number of steps forecast.
        n_timesteps_in_: the window length.
        target_mean_, target_scale_: the training targets' mean and standard deviation per horizon.
        nominal_coverage_: the outer quantiles' span (0.8 for (0.1, 0.5, 0.9)); None without quantiles.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> windows, y = rng.normal(size=(200, 12, 2)), rng.normal(size=(200, 3))
        >>> LSTMForecaster(units=(8,), epochs=2, seed=0).fit(windows, y).predict(windows).shape
        (200, 3)
    """

    _parameter_rules = FORECAST_PARAMETER_RULES

    def __init__(
        self,
        units=(32,),
        dropout=0.0,
        learning_rate=1e-3,
        batch_size=32,
        epochs=50,
        patience=5,
        validation_fraction=0.15,
        validation_gap=None,
        quantiles=None,
        relative_to=None,
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
        self.quantiles = quantiles
        self.relative_to = relative_to
        self.seed = seed

    def _task(self):
        from pyanalytics.tasks import TASKS

        return TASKS["forecasting"]

    def _fit(self, X, y, validation, on_epoch):
        levels = self._params["quantiles"]
        self.nominal_coverage_ = None if levels is None else levels[-1] - levels[0]
        if self._params["validation_gap"] is None:
            self._params = {**self._params, "validation_gap": y.shape[1]}
        if self._params["relative_to"] is not None:
            feature = self._params["relative_to"]
            if feature >= X.shape[2]:
                raise ParameterError(f"relative_to: feature {feature} of windows with {X.shape[2]} features; "
                                     "give the target's position among them.")
            X, anchor = self._relative(X)
            y = y - anchor
            if validation is not None:
                X_val, anchor_val = self._relative(validation[0])
                validation = (X_val, validation[1] - anchor_val)
        return super()._fit(X, y, validation, on_epoch)

    def _relative(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The windows with the ``relative_to`` feature less its last value, and that value (n, 1)."""
        feature = self._params["relative_to"]
        anchor = X[:, -1:, feature].copy()
        relative = X.copy()
        relative[:, :, feature] -= anchor
        return relative, anchor

    def _anchored(self, X: np.ndarray, forecast):
        """``forecast(windows)`` of the network, in levels: relative windows in, their anchor added back."""
        if self._params["relative_to"] is None:
            return forecast(X)
        relative, anchor = self._relative(X)
        result = forecast(relative)
        return result + (anchor if result.ndim == 2 else anchor[:, :, None])

    def _split_validation(self, X, y, validation):
        """The training part, as ``KerasTraining`` splits it; its targets give the target scaling."""
        X, y, validation = super()._split_validation(X, y, validation)
        self.target_mean_ = y.mean(axis=0)
        spread = y.std(axis=0)
        self.target_scale_ = np.where(spread > 0, spread, 1.0)
        return X, y, validation

    def _targets(self, y: np.ndarray) -> np.ndarray:
        return ((y - self.target_mean_) / self.target_scale_).astype(np.float32)

    def _compiled_model(self, network):
        levels = self._params["quantiles"]
        if levels is None:
            return super()._compiled_model(network)
        import keras

        from pyanalytics.models.pinball import PinballLoss

        optimizer = keras.optimizers.Adam(learning_rate=self._params["learning_rate"])
        network.compile(optimizer=optimizer, loss=PinballLoss(levels))
        return network

    def _output_layer(self) -> dict:
        levels = self._params["quantiles"]
        return {
            "output_units": self._task().output_units(len(self.target_mean_)) * (1 if levels is None else len(levels)),
            "output_activation": self._task().output_activation,
            "output_name": "forecast",
            "name": f"forecast_{self._cell}",
        }

    def _quantile_forecasts(self, X: np.ndarray) -> np.ndarray:
        """Forecasts per horizon and quantile level, shape (n, H, Q), unscaled and sorted along the
        levels (quantile outputs trained apart can cross; sorting uncrosses them)."""
        levels = self._params["quantiles"]

        def forecast(windows):
            raw = self._network_output(windows).reshape(len(windows), self.horizon_, len(levels))
            return np.sort(raw, axis=-1) * self.target_scale_[:, None] + self.target_mean_[:, None]

        return self._anchored(X, forecast)

    def _predict(self, X):
        if self._params["quantiles"] is None:
            return self._anchored(X, lambda windows: self._network_output(windows) * self.target_scale_ + self.target_mean_)
        return self._quantile_forecasts(X)[..., self._middle()]

    def _middle(self) -> int:
        """The position of the quantile level ``predict`` gives (the one nearest 0.5)."""
        return int(np.argmin(np.abs(np.asarray(self._params["quantiles"]) - 0.5)))

    def predict_interval(self, X) -> tuple[np.ndarray, np.ndarray]:
        """The prediction interval at each horizon: the outer quantile forecasts.

        Returns:
            ``(lower, upper)``, each (samples, H); ``nominal_coverage_`` is their nominal span.

        Raises:
            ParameterError: the model was trained without ``quantiles``.
        """
        forecasts = self._checked_quantile_forecasts(X, "predict_interval")
        return forecasts[..., 0], forecasts[..., -1]

    def predict_with_interval(self, X) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``predict`` and ``predict_interval`` from one pass of the network (half the cost of both).

        Returns:
            ``(forecast, lower, upper)``, each (samples, H).

        Raises:
            ParameterError: the model was trained without ``quantiles``.
        """
        forecasts = self._checked_quantile_forecasts(X, "predict_with_interval")
        return forecasts[..., self._middle()], forecasts[..., 0], forecasts[..., -1]

    def _checked_quantile_forecasts(self, X, where: str) -> np.ndarray:
        check_fitted(self, self._fitted_attribute)
        if self._params["quantiles"] is None:
            raise ParameterError(
                f"quantiles: {type(self).__name__} was trained without quantiles, so it has no interval; "
                "refit with quantiles=(0.1, 0.5, 0.9), say."
            )
        return self._quantile_forecasts(check_features(self, X, where=where, fitted=True))

    def _learned_state(self) -> dict:
        return {
            **super()._learned_state(),
            "target_mean": self.target_mean_.tolist(),
            "target_scale": self.target_scale_.tolist(),
        }

    def _restore_learned(self, learned: dict, *, network) -> None:
        super()._restore_learned(learned, network=network)
        self.target_mean_ = np.asarray(learned["target_mean"], dtype=np.float64)
        self.target_scale_ = np.asarray(learned["target_scale"], dtype=np.float64)
        levels = self._params["quantiles"]
        self.nominal_coverage_ = None if levels is None else levels[-1] - levels[0]


class LSTMForecaster(RecurrentForecaster):
    """LSTM forecaster (see ``RecurrentForecaster``)."""

    _cell = "lstm"


class GRUForecaster(RecurrentForecaster):
    """GRU forecaster: the LSTM's cheaper sibling (see ``RecurrentForecaster``)."""

    _cell = "gru"
