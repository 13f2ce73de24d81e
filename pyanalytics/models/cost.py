"""Cost-sensitive learning in TensorFlow: a weighted loss and a custom training step.

A broker loses ``alpha`` times more on a false positive (bought, and the price fell) than on a
false negative (stayed out, and it rose). The loss weights the "down" examples by ``alpha``::

    loss = -mean(y * log(p) + alpha * (1 - y) * log(1 - p))

which equals binary cross-entropy when ``alpha == 1``. ``CostSensitiveTrainer`` wraps any
direction network and trains it with a ``tf.GradientTape`` step that Keras compiles into a
``tf.function``, so ``fit``, callbacks, progress and saving keep working. Both classes are
registered, so a saved model loads in a new process once pyanalytics is imported.
"""

import keras
import tensorflow as tf

from pyanalytics.evaluation.costs import check_alpha

PACKAGE = "pyanalytics"


@keras.saving.register_keras_serializable(package=PACKAGE)
class CostSensitiveBinaryCrossentropy(keras.losses.Loss):
    """Binary cross-entropy whose negative (price-down) examples weigh ``alpha``.

    Args:
        alpha: cost of a false positive relative to a false negative (> 0).
        epsilon: probabilities are clipped to ``[epsilon, 1 - epsilon]`` before the log.

    Raises:
        ParameterError: ``alpha`` is not a number > 0.

    Example:
        >>> loss = CostSensitiveBinaryCrossentropy(alpha=5.0)
        >>> round(float(loss([[0.0]], [[0.5]])), 4)  # 5 * -log(0.5)
        3.4657
    """

    def __init__(self, alpha: float = 1.0, epsilon: float = 1e-7, name: str = "cost_sensitive_bce", **kwargs):
        super().__init__(name=name, **kwargs)
        self.alpha = check_alpha(alpha)
        self.epsilon = float(epsilon)

    def call(self, y_true, y_pred):
        # fit passes labels as (batch,) and the network predicts (batch, 1): align them, or the
        # products below would broadcast to (batch, batch).
        y_true = tf.reshape(tf.cast(y_true, y_pred.dtype), tf.shape(y_pred))
        p = tf.clip_by_value(y_pred, self.epsilon, 1.0 - self.epsilon)
        per_output = -(y_true * tf.math.log(p) + self.alpha * (1.0 - y_true) * tf.math.log(1.0 - p))
        return tf.reduce_mean(per_output, axis=-1)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha, "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package=PACKAGE)
class CostSensitiveTrainer(keras.Model):
    """Wraps a direction network and trains it with a custom, compiled ``train_step``.

    Compile it with ``CostSensitiveBinaryCrossentropy(alpha)``; prediction is the wrapped
    network's output.

    Args:
        network: a Keras model mapping features (or windows) to one sigmoid probability.
        alpha: the cost ratio, kept for the record (the loss carries the weighting).
    """

    def __init__(self, network: keras.Model, alpha: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.network = network
        self.alpha = check_alpha(alpha)

    def call(self, inputs, training=False):
        return self.network(inputs, training=training)

    def train_step(self, data):
        x, y = data[0], data[1]
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {metric.name: metric.result() for metric in self.metrics}

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "network": keras.saving.serialize_keras_object(self.network),
            "alpha": self.alpha,
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["network"] = keras.saving.deserialize_keras_object(config["network"])
        return cls(**config)
