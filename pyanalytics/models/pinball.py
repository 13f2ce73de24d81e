"""The pinball (quantile) loss that trains a forecaster's quantile outputs.

The network outputs, per sample, H x Q values laid out horizon-major (horizon 1's Q quantiles,
then horizon 2's, ...); the targets are the H values. For quantile ``q`` and error
``e = y - prediction`` the loss is ``max(q * e, (q - 1) * e)``, averaged over horizons and
quantiles: its minimiser is the ``q``-quantile of ``y``. The class is registered, so a compiled
network that names it loads in a new process once this module is imported.
"""

import keras

PACKAGE = "pyanalytics"


@keras.saving.register_keras_serializable(package=PACKAGE)
class PinballLoss(keras.losses.Loss):
    """Mean pinball loss of H x Q quantile outputs against H targets.

    Args:
        quantiles: the Q quantile levels, increasing, each in (0, 1).

    Example:
        >>> loss = PinballLoss([0.1, 0.9])
        >>> round(float(loss([[1.0]], [[0.0, 2.0]])), 4)  # (0.1 * 1 + 0.1 * 1) / 2
        0.1
    """

    def __init__(self, quantiles=(0.5,), name: str = "pinball", **kwargs):
        super().__init__(name=name, **kwargs)
        self.quantiles = [float(q) for q in quantiles]

    def call(self, y_true, y_pred):
        ops = keras.ops
        y_pred = ops.convert_to_tensor(y_pred)
        levels = ops.convert_to_tensor(self.quantiles, dtype=y_pred.dtype)
        horizons = ops.shape(y_true)[-1]
        predicted = ops.reshape(y_pred, (-1, horizons, len(self.quantiles)))
        error = ops.expand_dims(ops.cast(y_true, y_pred.dtype), -1) - predicted
        return ops.mean(ops.maximum(levels * error, (levels - 1.0) * error), axis=(-2, -1))

    def get_config(self) -> dict:
        return {**super().get_config(), "quantiles": self.quantiles}
