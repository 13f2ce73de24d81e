"""Autoencoder anomaly detectors: a row the network cannot rebuild is unusual.

Each learns to reconstruct normal rows (scaled by a StandardScaler fitted on them) through a
narrow code; the anomaly score is a row's mean squared reconstruction error in scaled units,
``feature_errors(X)`` says which features it comes from. Four kinds:

- ``Autoencoder``: undercomplete, Dense encoder, linear code, mirrored decoder, MSE.
- ``SparseAutoencoder``: the same with an L1 penalty on the code's activations (``l1``).
- ``DenoisingAutoencoder``: learns to rebuild clean rows from corrupted ones (``noise``,
  ``noise_level``), corrupted only while training.
- ``VariationalAutoencoder``: a probabilistic code trained on the negative ELBO with a ``beta``
  weighted KL term; scores by reconstruction or (``score_by="elbo"``) by ``negative_elbo``.

Training, early stopping with the best weights restored, and fast scoring are
``KerasTraining``'s; the network kept and saved is always a plain functional Keras model whose
inference runs in NumPy (``dense_forward``).
"""

from functools import partial

import numpy as np

from pyanalytics.defaults import AUTOENCODER_NAMES
from pyanalytics.errors import ParameterError
from pyanalytics.models.anomaly_base import THRESHOLD_RULES, AnomalyDetector
from pyanalytics.models.dnn import ACTIVATIONS
from pyanalytics.models.keras_base import TRAINING_PARAMETER_RULES, KerasTraining
from pyanalytics.models.validation import check_features, check_fitted
from pyanalytics.params import check_choice, check_float, check_int, check_units

NOISES = ("gaussian", "mask")
SCORES = ("reconstruction", "elbo")
STOPPING = ("loss", "pr_auc")  # early stopping watches the validation loss, or the labelled validation PR AUC

AUTOENCODER_PARAMETER_RULES = {
    **THRESHOLD_RULES,
    **{name: rule for name, rule in TRAINING_PARAMETER_RULES.items() if name != "validation_gap"},
    "hidden_units": check_units,
    "code_size": partial(check_int, minimum=1),
    "activation": partial(check_choice, choices=ACTIVATIONS),
    "stop_on": partial(check_choice, choices=STOPPING),
}


class Autoencoder(KerasTraining, AnomalyDetector):
    """Undercomplete deep autoencoder: the anomaly score is the mean squared reconstruction error.

    ``features -> Dense(hidden_units...) -> code (code_size, linear) -> Dense(reversed
    hidden_units...) -> reconstruction (linear)``, trained with Adam on the mean squared error
    between the scaled row and its reconstruction, stopping early on the validation rows' loss
    and restoring the best epoch's weights.

    Args:
        hidden_units: sizes of the encoder's hidden layers; the decoder mirrors them.
        code_size: units of the code (bottleneck) layer.
        activation: activation of the hidden layers.
        learning_rate: Adam learning rate.
        batch_size: rows per gradient step.
        epochs: maximum number of passes over the training rows.
        patience: epochs without validation improvement before stopping.
        validation_fraction: share of the (normal) training rows held out, the last ones, when
            ``fit`` gets no ``validation_data``; 0 trains every epoch without early stopping.
        seed: makes weights, shuffling and noise reproducible on one machine.
        threshold_quantile: ``threshold_`` is this quantile of the training rows' scores.
        stop_on: what early stopping watches on the validation rows: ``"loss"``, the normal rows'
            reconstruction loss, or ``"pr_auc"``, the PR AUC of the reconstruction score on
            labelled rows (``fit(validation_data=(X_val, y_val))`` with both classes). The loss
            keeps falling while the network learns to rebuild anomalies too; the PR AUC stops
            where detection on the validation rows is best.

    Example:
        >>> X = np.random.default_rng(0).normal(size=(300, 5))
        >>> model = Autoencoder(code_size=2, epochs=2, seed=0).fit(X)
        >>> model.anomaly_score(X[:3]).shape, model.feature_errors(X[:3]).shape
        ((3,), (3, 5))
    """

    _parameter_rules = AUTOENCODER_PARAMETER_RULES
    _input_ndim = 2

    def __init__(
        self,
        hidden_units=(16,),
        code_size=4,
        activation="relu",
        learning_rate=1e-3,
        batch_size=64,
        epochs=50,
        patience=5,
        validation_fraction=0.15,
        seed=None,
        threshold_quantile=0.99,
        stop_on="loss",
    ):
        self.hidden_units = hidden_units
        self.code_size = code_size
        self.activation = activation
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.seed = seed
        self.threshold_quantile = threshold_quantile
        self.stop_on = stop_on

    def feature_errors(self, X) -> np.ndarray:
        """Squared reconstruction error of each feature in scaled units, shape (n, n_features).

        Its row mean is the reconstruction score; a large entry names the feature the model
        could not rebuild.
        """
        check_fitted(self, self._fitted_attribute)
        scaled, outputs = self._scaled_and_outputs(check_features(self, X, where="feature_errors", fitted=True))
        return (scaled - outputs[0]) ** 2

    def _score(self, X: np.ndarray) -> np.ndarray:
        scaled, outputs = self._scaled_and_outputs(X)
        return ((scaled - outputs[0]) ** 2).mean(axis=1)

    def _scaled_and_outputs(self, X: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        return self._scaled(X).astype(np.float64), self._network_outputs(X)

    def _fit(self, X, y, validation, on_epoch):
        rows, labels = (None, None) if validation is None else validation
        if self._params["stop_on"] == "pr_auc" and (labels is None or len(np.unique(labels)) < 2):
            raise ParameterError(
                f"stop_on: 'pr_auc' watches the PR AUC of labelled validation rows; pass "
                f"validation_data=(X_val, y_val) with anomalies and normal rows to {type(self).__name__}.fit."
            )
        self._labelled_validation = validation if self._params["stop_on"] == "pr_auc" else None
        normal = rows if labels is None else rows[labels == 0]
        try:  # the target is the input itself, scaled by _targets once the scaler is fitted
            super()._fit(X, X, None if normal is None or not len(normal) else (normal, normal), on_epoch)
        finally:
            del self._labelled_validation  # read by _validation_monitors during training only

    def _stopping_monitor(self) -> tuple[str, str]:
        return ("val_pr_auc", "max") if self._params["stop_on"] == "pr_auc" else ("val_loss", "min")

    def _validation_monitors(self, model) -> list:
        if self._labelled_validation is None:
            return []
        from pyanalytics.models.autoencoder_training import ValidationPRAUC

        rows, labels = self._labelled_validation
        return [ValidationPRAUC(self._inference_network(model), self._scaled(rows), labels)]

    def _targets(self, y: np.ndarray) -> np.ndarray:
        return self._scaled(y)

    def _optimizer(self):
        import keras

        return keras.optimizers.Adam(learning_rate=self._params["learning_rate"])

    def _compiled_model(self, network):
        network.compile(optimizer=self._optimizer(), loss="mse")
        return network

    def _build_network(self, input_shape: tuple[int, ...]):
        from pyanalytics.models.networks import autoencoder_network

        params = self._params
        return autoencoder_network(
            input_shape[-1],
            hidden_units=params["hidden_units"],
            code_size=params["code_size"],
            activation=params["activation"],
            code_l1=params.get("l1", 0.0),
            name=type(self).__name__.lower(),
        )


class SparseAutoencoder(Autoencoder):
    """An autoencoder whose code pays an L1 penalty on its activations: few code units per row.

    Args:
        l1: weight of the L1 activity penalty: ``l1`` times the mean over rows of the code's L1
            norm is added to the mean squared error.
        hidden_units, code_size, activation, learning_rate, batch_size, epochs, patience,
        validation_fraction, seed, threshold_quantile, stop_on: as in ``Autoencoder``.
    """

    _parameter_rules = {**AUTOENCODER_PARAMETER_RULES, "l1": partial(check_float, low=0.0, high=1.0)}

    def __init__(
        self,
        hidden_units=(16,),
        code_size=4,
        activation="relu",
        l1=1e-3,
        learning_rate=1e-3,
        batch_size=64,
        epochs=50,
        patience=5,
        validation_fraction=0.15,
        seed=None,
        threshold_quantile=0.99,
        stop_on="loss",
    ):
        super().__init__(
            hidden_units=hidden_units, code_size=code_size, activation=activation, learning_rate=learning_rate,
            batch_size=batch_size, epochs=epochs, patience=patience, validation_fraction=validation_fraction,
            seed=seed, threshold_quantile=threshold_quantile, stop_on=stop_on,
        )
        self.l1 = l1


class DenoisingAutoencoder(Autoencoder):
    """An autoencoder trained to rebuild each clean row from a corrupted copy of it.

    The corruption happens in a custom training step (``autoencoder_training.DenoisingTrainer``),
    fresh at every step; validation rows and scored rows are used as given.

    Args:
        noise: ``"gaussian"`` adds noise of standard deviation ``noise_level`` (scaled units);
            ``"mask"`` sets each value to its training mean with probability ``noise_level``.
        noise_level: the noise's standard deviation (gaussian) or drop probability (mask, < 1).
        hidden_units, code_size, activation, learning_rate, batch_size, epochs, patience,
        validation_fraction, seed, threshold_quantile, stop_on: as in ``Autoencoder``.

    Raises:
        ParameterError: at fit, ``noise_level`` of 1 or more with ``noise="mask"``.
    """

    _parameter_rules = {
        **AUTOENCODER_PARAMETER_RULES,
        "noise": partial(check_choice, choices=NOISES),
        "noise_level": partial(check_float, low=0.0, high=10.0, low_open=True),
    }

    def __init__(
        self,
        hidden_units=(16,),
        code_size=4,
        activation="relu",
        noise="gaussian",
        noise_level=0.2,
        learning_rate=1e-3,
        batch_size=64,
        epochs=50,
        patience=5,
        validation_fraction=0.15,
        seed=None,
        threshold_quantile=0.99,
        stop_on="loss",
    ):
        super().__init__(
            hidden_units=hidden_units, code_size=code_size, activation=activation, learning_rate=learning_rate,
            batch_size=batch_size, epochs=epochs, patience=patience, validation_fraction=validation_fraction,
            seed=seed, threshold_quantile=threshold_quantile, stop_on=stop_on,
        )
        self.noise = noise
        self.noise_level = noise_level

    def _fit(self, X, y, validation, on_epoch):
        if self._params["noise"] == "mask" and self._params["noise_level"] >= 1:
            raise ParameterError(
                f"noise_level: a mask drops each value with this probability; expected a number in "
                f"(0, 1), got {self.noise_level!r}."
            )
        super()._fit(X, y, validation, on_epoch)

    def _compiled_model(self, network):
        from pyanalytics.models.autoencoder_training import DenoisingTrainer

        params = self._params
        trainer = DenoisingTrainer(network, params["noise"], params["noise_level"], seed=params["seed"])
        trainer.compile(optimizer=self._optimizer(), loss="mse")
        return trainer

    def _inference_network(self, model):
        return model.network


class VariationalAutoencoder(Autoencoder):
    """A variational autoencoder: each row maps to a Gaussian code, trained on the negative ELBO.

    Training (``autoencoder_training.VariationalTrainer``) decodes a sampled code and minimises,
    per row, ``0.5 * sum((x - x_hat)**2) + beta * KL(q(z|x) || N(0, I))`` in scaled units; the
    validation loss (``val_loss``, which early stopping watches) is the same at the code mean.
    The saved network maps rows to ``[reconstruction from z_mean, z_mean, z_log_var]``.

    Args:
        beta: weight of the KL term (1: the ELBO; larger: a smoother, less detailed code).
        score_by: the anomaly score, ``"reconstruction"`` (mean squared error of the
            reconstruction from the code mean, as the other autoencoders) or ``"elbo"``
            (``negative_elbo``).
        hidden_units, code_size, activation, learning_rate, batch_size, epochs, patience,
        validation_fraction, seed, threshold_quantile, stop_on: as in ``Autoencoder``.
    """

    _parameter_rules = {
        **AUTOENCODER_PARAMETER_RULES,
        "beta": partial(check_float, low=0.0, high=1000.0),
        "score_by": partial(check_choice, choices=SCORES),
    }

    def __init__(
        self,
        hidden_units=(16,),
        code_size=4,
        activation="relu",
        beta=1.0,
        score_by="reconstruction",
        learning_rate=1e-3,
        batch_size=64,
        epochs=50,
        patience=5,
        validation_fraction=0.15,
        seed=None,
        threshold_quantile=0.99,
        stop_on="loss",
    ):
        super().__init__(
            hidden_units=hidden_units, code_size=code_size, activation=activation, learning_rate=learning_rate,
            batch_size=batch_size, epochs=epochs, patience=patience, validation_fraction=validation_fraction,
            seed=seed, threshold_quantile=threshold_quantile, stop_on=stop_on,
        )
        self.beta = beta
        self.score_by = score_by

    def negative_elbo(self, X) -> np.ndarray:
        """Each row's negative ELBO at its code mean, shape (n,): ``0.5 * sum of squared
        reconstruction errors + beta * KL`` in scaled units (higher is more unusual)."""
        check_fitted(self, self._fitted_attribute)
        return self._negative_elbo(check_features(self, X, where="negative_elbo", fitted=True))

    def _negative_elbo(self, X: np.ndarray) -> np.ndarray:
        from pyanalytics.models.autoencoder_training import negative_elbo_terms

        scaled, (reconstruction, z_mean, z_log_var) = self._scaled_and_outputs(X)
        reconstruction_term, kl = negative_elbo_terms(scaled, reconstruction, z_mean, z_log_var, xp=np)
        return reconstruction_term + self._params["beta"] * kl

    def _score(self, X: np.ndarray) -> np.ndarray:
        return self._negative_elbo(X) if self._params["score_by"] == "elbo" else super()._score(X)

    def _build_network(self, input_shape: tuple[int, ...]):
        from pyanalytics.models.networks import variational_networks

        params = self._params
        return variational_networks(
            input_shape[-1],
            hidden_units=params["hidden_units"],
            code_size=params["code_size"],
            activation=params["activation"],
        )

    def _compiled_model(self, network):
        from pyanalytics.models.autoencoder_training import VariationalTrainer

        encoder, decoder = network
        trainer = VariationalTrainer(encoder, decoder, beta=self._params["beta"], seed=self._params["seed"])
        trainer.compile(optimizer=self._optimizer())
        return trainer

    def _inference_network(self, model):
        from pyanalytics.models.networks import variational_inference_network

        return variational_inference_network(model.encoder, model.decoder)


AUTOENCODERS = dict(
    zip(AUTOENCODER_NAMES, (Autoencoder, SparseAutoencoder, DenoisingAutoencoder, VariationalAutoencoder), strict=True)
)
