"""Training steps of the denoising and variational autoencoders, as registered Keras models.

Each wraps plain functional networks and only changes how they learn: ``DenoisingTrainer``
corrupts its input inside ``train_step`` (the target stays the clean row, and validation sees
clean rows), ``VariationalTrainer`` samples the code by reparameterisation and adds the KL term
in ``train_step``, and scores its validation rows in ``test_step`` with the same negative ELBO
(at the code mean), so ``val_loss`` is what ``VariationalAutoencoder.negative_elbo`` gives. The
trainers are registered so Keras can rebuild them, but what an estimator keeps and saves is
the plain network inside, which loads in safe mode with no custom object.
"""

import keras
from keras import ops

from pyanalytics.models.cost import PACKAGE


def corrupted(x, noise: str, level: float, seed):
    """``x`` with Gaussian noise of standard deviation ``level`` added, or (``mask``) each value
    set to 0, the scaled feature's training mean, with probability ``level``."""
    if noise == "gaussian":
        return x + level * keras.random.normal(ops.shape(x), seed=seed, dtype=x.dtype)
    keep = keras.random.uniform(ops.shape(x), seed=seed, dtype=x.dtype) >= level
    return ops.where(keep, x, ops.zeros_like(x))


def negative_elbo_terms(x, reconstruction, z_mean, z_log_var, xp=ops):
    """Per row: the reconstruction term ``0.5 * sum((x - reconstruction)**2)`` (a unit-variance
    Gaussian decoder, without its constant) and ``KL(N(z_mean, exp(z_log_var)) || N(0, I))``.

    Args:
        x, reconstruction, z_mean, z_log_var: tensors, or NumPy arrays with ``xp=numpy``.
        xp: the array namespace (``keras.ops`` in training, ``numpy`` when scoring).
    """
    reconstruction_term = 0.5 * xp.sum(xp.square(x - reconstruction), axis=-1)
    kl = -0.5 * xp.sum(1.0 + z_log_var - xp.square(z_mean) - xp.exp(z_log_var), axis=-1)
    return reconstruction_term, kl


@keras.saving.register_keras_serializable(package=PACKAGE)
class DenoisingTrainer(keras.Model):
    """Trains an autoencoder to rebuild clean rows from corrupted ones.

    Keras's own ``train_step`` runs on the corrupted input with the clean target; validation and
    prediction see the input as given.

    Args:
        network: the autoencoder (rows -> reconstructed rows).
        noise: ``"gaussian"`` (additive) or ``"mask"`` (values dropped to 0).
        noise_level: the Gaussian standard deviation, or the probability of dropping a value.
        seed: seed of the corruption's random numbers (None: not reproducible).
    """

    def __init__(self, network: keras.Model, noise: str = "gaussian", noise_level: float = 0.1, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.network = network
        self.noise = noise
        self.noise_level = float(noise_level)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        return self.network(inputs, training=training)

    def train_step(self, data):
        x, y = data[0], data[1]
        return super().train_step((corrupted(x, self.noise, self.noise_level, self.seed_generator), y))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "network": keras.saving.serialize_keras_object(self.network),
            "noise": self.noise,
            "noise_level": self.noise_level,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["network"] = keras.saving.deserialize_keras_object(config["network"])
        return cls(**config)


@keras.saving.register_keras_serializable(package=PACKAGE)
class VariationalTrainer(keras.Model):
    """Trains a variational autoencoder on the negative ELBO: reconstruction + ``beta`` * KL.

    ``train_step`` decodes a code sampled as ``z_mean + exp(z_log_var / 2) * eps``; ``test_step``
    decodes ``z_mean``, so validation is deterministic. Both report ``loss`` (the mean negative
    ELBO per row), ``reconstruction`` and ``kl`` (its two terms, before ``beta``).

    Args:
        encoder: rows -> ``[z_mean, z_log_var]``.
        decoder: codes -> reconstructed rows.
        beta: weight of the KL term (1: the ELBO; 0: a plain autoencoder with a noisy code).
        seed: seed of the sampled codes (None: not reproducible).
    """

    def __init__(self, encoder: keras.Model, decoder: keras.Model, beta: float = 1.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.beta = float(beta)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = [keras.metrics.Mean(name=name) for name in ("loss", "reconstruction", "kl")]

    @property
    def metrics(self):
        return self.trackers

    def call(self, inputs, training=False):
        z_mean, _ = self.encoder(inputs, training=training)
        return self.decoder(z_mean, training=training)

    def _elbo_terms(self, x, training: bool):
        z_mean, z_log_var = self.encoder(x, training=training)
        z = z_mean
        if training:
            noise = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator, dtype=z_mean.dtype)
            z = z_mean + ops.exp(0.5 * z_log_var) * noise
        reconstruction, kl = negative_elbo_terms(x, self.decoder(z, training=training), z_mean, z_log_var)
        return reconstruction + self.beta * kl, reconstruction, kl

    def _report(self, values):
        # per-row values: each epoch's mean is over rows, not over (unequal) batches
        for tracker, value in zip(self.trackers, values, strict=True):
            tracker.update_state(value)
        return {tracker.name: tracker.result() for tracker in self.trackers}

    def train_step(self, data):
        import tensorflow as tf

        x = data[0]
        with tf.GradientTape() as tape:
            values = self._elbo_terms(x, training=True)
            loss = ops.mean(values[0])
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        return self._report(values)

    def test_step(self, data):
        return self._report(self._elbo_terms(data[0], training=False))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "beta": self.beta,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        for part in ("encoder", "decoder"):
            config[part] = keras.saving.deserialize_keras_object(config[part])
        return cls(**config)


class ValidationPRAUC(keras.callbacks.Callback):
    """Logs ``val_pr_auc`` at each epoch's end: the average precision of the reconstruction score
    (mean squared error per row) of ``network`` on labelled, scaled validation rows, for early
    stopping that watches detection rather than the reconstruction loss.

    Args:
        network: the inference network (its first output is the reconstruction), sharing the
            weights being trained.
        scaled_rows: the validation rows, scaled as the network's inputs.
        labels: their 0/1 labels, both classes present.
    """

    def __init__(self, network, scaled_rows, labels):
        super().__init__()
        self.network, self.rows, self.labels = network, scaled_rows, labels

    def on_epoch_end(self, epoch, logs=None):
        from sklearn.metrics import average_precision_score

        output = self.network(self.rows, training=False)
        reconstruction = output[0] if isinstance(output, (list, tuple)) else output
        scores = ops.convert_to_numpy(ops.mean(ops.square(self.rows - reconstruction), axis=-1))
        if logs is not None:
            logs["val_pr_auc"] = float(average_precision_score(self.labels, scores))
