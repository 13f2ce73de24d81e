"""What every Keras model shares: scaling, seeding, early stopping, fast prediction."""

from functools import partial

import numpy as np
from sklearn.preprocessing import StandardScaler

from pyanalytics.errors import ParameterError
from pyanalytics.evaluation.costs import check_alpha
from pyanalytics.models.base import DirectionClassifier
from pyanalytics.params import check_float, check_int, check_seed

PREDICT_CHUNK = 65_536
# Recurrent layers in NumPy beat one TensorFlow call up to about 32 windows of 20 steps x 12
# features (16: 1.4 vs 1.7 ms; 64: 4.2 vs 3.1 ms; 5,000: 341 vs 54 ms).
NUMPY_WINDOWS = 32

TRAINING_PARAMETER_RULES = {
    "learning_rate": partial(check_float, low=0.0, high=10.0, low_open=True),
    "batch_size": partial(check_int, minimum=1),
    "epochs": partial(check_int, minimum=1),
    "patience": partial(check_int, minimum=0),
    "validation_fraction": partial(check_float, low=0.0, high=0.5),
    "validation_gap": partial(check_int, minimum=0),
    "seed": check_seed,
}

KERAS_PARAMETER_RULES = {
    **TRAINING_PARAMETER_RULES,
    "threshold": partial(check_float, low=0.0, high=1.0),
    "cost_fp": lambda name, value: None if value is None else check_alpha(value, name),
    "tune_threshold": lambda name, value: bool(value),
}


def _inference(network, x):
    return network(x, training=False)


def _as_numpy(outputs):
    """A network's output as a NumPy array, or a list of them for a network with several outputs."""
    if isinstance(outputs, (list, tuple)):
        return [output.numpy() for output in outputs]
    return outputs.numpy()


def _scaler_from_dict(learned: dict) -> StandardScaler:
    scaler = StandardScaler()
    scaler.mean_ = np.asarray(learned["scaler_mean"], dtype=np.float64)
    scaler.scale_ = np.asarray(learned["scaler_scale"], dtype=np.float64)
    scaler.var_ = scaler.scale_**2
    scaler.n_features_in_ = scaler.mean_.shape[0]
    return scaler


class KerasTraining:
    """Training and prediction shared by every Keras estimator, whatever its task.

    Fits a StandardScaler on the training rows only, builds the network from
    ``_build_network(input_shape)``, trains it with Adam, and stops early on validation loss,
    restoring the best epoch's weights. Validation rows come from ``validation_data`` or, failing
    that, the last ``validation_fraction`` of the training rows after a purge gap of
    ``validation_gap`` rows. Prediction calls the network directly through one compiled function,
    not ``model.predict``, which costs about 50 ms per call. Subclasses build the network in
    ``_build_network(input_shape)`` and name the task (``pyanalytics.tasks``) they learn in
    ``_task()``, which gives the loss and the tracked metrics.
    """

    def _task(self):
        raise NotImplementedError

    def __getstate__(self):
        # The cached inference pass is a closure, rebuilt on first use: a copy (deepcopy,
        # scikit-learn's pickling of a fitted model) starts without it.
        state = super().__getstate__()
        return {**state, "_forward_cache": {}} if "_forward_cache" in state else state

    def _build_network(self, input_shape: tuple[int, ...]):
        raise NotImplementedError

    def _compiled_model(self, network):
        import keras

        task = self._task()
        optimizer = keras.optimizers.Adam(learning_rate=self._params["learning_rate"])
        network.compile(optimizer=optimizer, loss=task.loss, metrics=list(task.tracked) or None)
        return network

    def _split_validation(self, X, y, validation):
        if validation is not None or self._params["validation_fraction"] == 0:
            return X, y, validation
        n_val = int(round(len(X) * self._params["validation_fraction"]))
        n_train = len(X) - n_val - self._params.get("validation_gap", 0)
        if n_val == 0 or n_train < 1:
            return X, y, None
        return X[:n_train], y[:n_train], (X[-n_val:], y[-n_val:])

    def _fit(self, X, y, validation, on_epoch):
        import keras

        params = self._params
        if params["seed"] is not None:
            keras.utils.set_random_seed(params["seed"])
        X, y, validation = self._split_validation(X, y, validation)
        self.scaler_ = StandardScaler().fit(X.reshape(-1, X.shape[-1]))
        model = self._compiled_model(self._build_network(X.shape[1:]))
        callbacks = []
        scaled_validation = None
        if validation is not None:
            monitor, mode = self._stopping_monitor()
            stopper = keras.callbacks.EarlyStopping(
                monitor=monitor, mode=mode, patience=params["patience"], restore_best_weights=True
            )
            callbacks += [*self._validation_monitors(model), stopper]  # monitors first: they fill the logs
            scaled_validation = (self._scaled(validation[0]), self._targets(validation[1]))
        if on_epoch is not None:
            epochs = params["epochs"]
            callbacks.append(
                keras.callbacks.LambdaCallback(
                    on_epoch_end=lambda epoch, logs: on_epoch(epoch + 1, epochs, dict(logs or {}))
                )
            )
        history = model.fit(
            self._scaled(X),
            self._targets(y),
            validation_data=scaled_validation,
            epochs=params["epochs"],
            batch_size=params["batch_size"],
            callbacks=callbacks,
            verbose=0,
        )
        self.network_ = self._inference_network(model)
        self._forward_cache = {}
        self.history_ = {k: [float(v) for v in vs] for k, vs in history.history.items()}
        self.best_epoch_ = (stopper.best_epoch if validation is not None else len(history.epoch) - 1) + 1
        return validation

    def _stopping_monitor(self) -> tuple[str, str]:
        """The logged quantity early stopping watches and its sense (``min`` or ``max``)."""
        return "val_loss", "min"

    def _validation_monitors(self, model) -> list:
        """Callbacks that log what ``_stopping_monitor`` names at each epoch's end (none: Keras logs val_loss)."""
        return []

    def _targets(self, y: np.ndarray) -> np.ndarray:
        """What the network learns to output for labels ``y`` (an autoencoder: its scaled input)."""
        return y.astype(np.float32)

    def _inference_network(self, model):
        """The network kept (and saved) after training ``model``: the model itself, unless a
        training wrapper holds a plain network inside."""
        return model

    def _scaled(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.scaler_.mean_) / self.scaler_.scale_).astype(np.float32)

    def _forward(self):
        """The network's inference pass, made once: ``forward(float32 rows) -> array``.

        A Dense stack runs in NumPy (``dense_forward``: microseconds a row). LSTM or GRU layers
        run in NumPy for up to ``NUMPY_WINDOWS`` windows at a time (about a tenth of a millisecond
        for one window of 24 steps) and in TensorFlow for more, where its float32 kernels win (a
        LIME neighbourhood of 5,000 windows: 54 ms, not 341), so a window's output can differ in
        the seventh digit between a small batch and a large one. Any other network runs in one
        ``tf.function`` with an open batch dimension (~0.5 ms a call), since ``predict_on_batch``
        retraces for every new batch size and ``model.predict`` costs about 50 ms per call.
        """
        # The cache is a dict made at fit or load time and filled here, so prediction leaves the
        # estimator's attributes as they were (scikit-learn's check_dict_unchanged).
        cache = self._forward_cache
        if "forward" not in cache:
            from pyanalytics.models.dense_forward import numpy_forward

            numpy = numpy_forward(self.network_)
            if numpy is None:
                cache["forward"] = self._tensorflow_forward()
            elif self._input_ndim == 3:
                tensorflow = self._tensorflow_forward()
                cache["forward"] = lambda rows: numpy(rows) if len(rows) <= NUMPY_WINDOWS else tensorflow(rows)
            else:
                cache["forward"] = numpy
        return cache["forward"]

    def _tensorflow_forward(self):
        import tensorflow as tf

        timesteps = (self.n_timesteps_in_,) if self._input_ndim == 3 else ()
        spec = tf.TensorSpec(shape=(None, *timesteps, self.n_features_in_), dtype=tf.float32)
        # A partial has no __code__, so TensorFlow's retracing detector keys on this object
        # rather than on shared code: each model's function traces once and says nothing.
        function = tf.function(partial(_inference, self.network_), input_signature=[spec])
        return lambda rows: _as_numpy(function(rows))

    def _network_output(self, X: np.ndarray) -> np.ndarray:
        """The network's output for validated rows, shape (n, output units), as float64."""
        return self._network_outputs(X)[0].reshape(len(X), -1)

    def _network_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Each of the network's outputs for validated rows, as float64 arrays of n rows."""
        scaled = self._scaled(X)
        forward = self._forward()
        chunks = [forward(scaled[i : i + PREDICT_CHUNK]) for i in range(0, len(scaled), PREDICT_CHUNK)]
        chunks = [chunk if isinstance(chunk, list) else [chunk] for chunk in chunks]
        return [np.concatenate(parts).astype(np.float64) for parts in zip(*chunks, strict=True)]

    def _learned_state(self) -> dict:
        return {
            **super()._learned_state(),
            "scaler_mean": self.scaler_.mean_.tolist(),
            "scaler_scale": self.scaler_.scale_.tolist(),
            "best_epoch": self.best_epoch_,
            "history": self.history_,
        }

    def _restore_learned(self, learned: dict, *, network) -> None:
        super()._restore_learned(learned)
        self.scaler_ = _scaler_from_dict(learned)
        self.best_epoch_ = learned["best_epoch"]
        self.history_ = learned["history"]
        self.network_ = network
        self._forward_cache = {}


class KerasDirectionClassifier(KerasTraining, DirectionClassifier):
    """Base of the neural classifiers: a sigmoid unit for two classes, softmax for more.

    Mistakes can cost unequally: with ``cost_fp = alpha`` a false positive costs ``alpha`` false
    negatives. By default the network then learns with the cost-weighted loss in a custom
    TensorFlow training step (``pyanalytics.models.cost``); with ``tune_threshold`` it learns with
    plain binary cross-entropy and its decision threshold is tuned on the validation rows instead.
    Cost-sensitive training is binary only.
    """

    _parameter_rules = KERAS_PARAMETER_RULES

    def _task(self):
        from pyanalytics.tasks import classification_task

        return classification_task(len(self.classes_))

    def _compiled_model(self, network):
        """The network itself, or wrapped in the cost-sensitive trainer, compiled."""
        alpha = self._params["cost_fp"]
        if alpha is None or self._params["tune_threshold"]:
            return super()._compiled_model(network)
        if len(self.classes_) > 2:
            raise ParameterError(
                f"cost_fp: cost-sensitive training is binary, but y holds {len(self.classes_)} classes; "
                "leave cost_fp at None for a multi-class model."
            )
        import keras

        from pyanalytics.models.cost import CostSensitiveBinaryCrossentropy, CostSensitiveTrainer

        trainer = CostSensitiveTrainer(network, alpha=alpha)
        optimizer = keras.optimizers.Adam(learning_rate=self._params["learning_rate"])
        trainer.compile(optimizer=optimizer, loss=CostSensitiveBinaryCrossentropy(alpha))
        return trainer

    def _prob_up(self, X: np.ndarray) -> np.ndarray:
        return self._network_output(X).reshape(-1)

    def _class_probabilities(self, X: np.ndarray) -> np.ndarray:
        probabilities = self._network_output(X)
        return probabilities / probabilities.sum(axis=1, keepdims=True)
