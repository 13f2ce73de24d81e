"""SHAP behind an adapter: additive contributions to one model output per case.

The explained output is one of the model's *units*: a direction model's probability of a rise
(its only unit, the default), a multi-class model's probability of a chosen class (one unit per
class), a regressor's predicted value or an anomaly detector's score. ``model_units`` gives them for any estimator.

Three shap explainers are available:

``"gradient"`` (default for the Keras models)
    ``shap.GradientExplainer`` (expected gradients) on the Keras network in *scaled* space, with
    scaled background rows. The estimators scale each feature by an affine map, and expected
    gradients are unchanged by it: ``attribution_i = E[(x_i - x'_i) * dF/dx_i]`` and both factors
    change by reciprocal factors, so the contributions are those of the raw features. The base
    value is the mean model output on the background; base + contributions matches the model
    output only up to the Monte-Carlo error of ``GRADIENT_SAMPLES`` samples per case, which is
    reported as ``additivity_max_error`` (fewer with more ``n_samples``).
``"deep"`` (feed-forward networks only)
    ``shap.DeepExplainer`` (DeepLIFT): additive by construction. Under TensorFlow 2 it fails on
    LSTM/GRU networks (shap has no gradient handler for the ``TensorList`` ops of the recurrent
    loop), so recurrent models are refused before shap is called. A failed call would otherwise
    leave shap's gradient recorder installed and break every later gradient computation in the
    process; ``_restored_gradients`` puts it back whatever happens.
``"kernel"`` (any model)
    ``shap.KernelExplainer`` on the model's units of raw inputs (windows flattened), with a
    k-means summary of the background. Its regression enforces additivity exactly.

Importing this module does not import shap or TensorFlow.
"""

import contextlib
import warnings
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

EXPLAINERS = ("gradient", "deep", "kernel")
CLASS_NAMES = {"gradient": "GradientExplainer", "deep": "DeepExplainer", "kernel": "KernelExplainer"}
GRADIENT_SAMPLES = 200  # expected-gradient samples per case (shap's default)
KERNEL_SAMPLES = 5000  # KernelExplainer's model evaluations per case
GRADIENT_BACKGROUND = 1000  # background rows drawn from; the cost does not depend on it
DEEP_BACKGROUND = 100  # DeepExplainer's cost grows with every background row
KERNEL_BACKGROUND = 20  # k-means centres summarising the background for KernelExplainer


@dataclass(frozen=True)
class ShapOutput:
    """Contributions of every input cell for each case, in the input's own shape."""

    explainer: str
    values: np.ndarray  # (n, features) or (n, timesteps, features)
    base_value: float | np.ndarray  # one value, or one per case when the cases explain different units
    explained: np.ndarray  # (n,), the explained output per case (the probability of a rise by default)
    background_rows: int


def _import_shap():
    """shap, imported without its plotting module's matplotlib deprecation notices."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        import shap
    return shap


def keras_network(estimator):
    """The estimator's Keras network; the wrapped network of a cost-sensitive trainer.

    Returns None for models without a network (such as the baselines).
    """
    network = getattr(estimator, "network_", None)
    if network is None:
        return None
    from pyanalytics.models.cost import CostSensitiveTrainer

    return network.network if isinstance(network, CostSensitiveTrainer) else network


def _sample(rows: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    if len(rows) <= size:
        return rows
    return rows[np.sort(rng.choice(len(rows), size, replace=False))]


@contextlib.contextmanager
def _numpy_global_seed_kept():
    """shap seeds numpy's global generator; give the caller's state back afterwards."""
    state = np.random.get_state()
    try:
        yield
    finally:
        np.random.set_state(state)


@contextlib.contextmanager
def _restored_gradients():
    """Undo what a failing ``DeepExplainer`` call leaves behind.

    ``DeepExplainer`` swaps TensorFlow's eager gradient recorder for its own while it runs and
    only swaps it back when the model call succeeds; shap restores its registry overrides in a
    ``finally`` already. After a failure every later gradient (GradientExplainer's too) would
    look up ``shap_<op>`` gradients that no longer exist.
    """
    from tensorflow.python.eager import execute as tf_execute

    recorder = tf_execute.record_gradient
    try:
        yield
    finally:
        tf_execute.record_gradient = recorder


def _compile_forward(gradient, network) -> None:
    """Let shap's TensorFlow backend call the network through one compiled function.

    shap calls the model eagerly once per ``shap_values`` call (for output ranking, unused here)
    and passes it a list of one tensor; an eager Keras call costs ~15 ms, most of a case's time.
    The compiled function gives the same outputs and gradients.
    """
    import tensorflow as tf

    backend = getattr(gradient, "explainer", None)
    if backend is None or not hasattr(backend, "model"):  # pragma: no cover - another shap layout
        return

    @tf.function(reduce_retracing=True)
    def forward(inputs, training=False):
        if isinstance(inputs, (list, tuple)):
            inputs = inputs[0]
        return network(inputs, training=False)

    backend.model = forward


@contextlib.contextmanager
def _quiet():
    """Silence notes about shap's internals that users can do nothing about.

    Keras notes that shap passes a list where the network expects one tensor; DeepExplainer notes
    that TensorFlow 2 has no graph mode in eager execution (it works in eager mode).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"The structure of `inputs` doesn't match")
        warnings.filterwarnings("ignore", message=r"Your TensorFlow version is newer than 2\.4\.0")
        yield


def model_units(estimator, X: np.ndarray) -> np.ndarray:
    """The outputs SHAP can explain, one column per network unit, shape (n, units).

    Two classes: the probability of ``classes_[1]`` (one sigmoid unit); more: each class's
    probability (softmax units); a regressor (no ``predict_proba``): the predicted value (a
    forecaster: one unit per horizon); an
    anomaly detector (``anomaly_score``): its anomaly score (its ``predict`` only flags).
    """
    if hasattr(estimator, "anomaly_score"):
        return np.asarray(estimator.anomaly_score(X), dtype=np.float64).reshape(-1, 1)
    if not hasattr(estimator, "predict_proba"):  # a forecaster's (n, horizons) keeps one unit per horizon
        return np.asarray(estimator.predict(X), dtype=np.float64).reshape(len(X), -1)
    probabilities = estimator.predict_proba(X)
    return probabilities[:, 1:] if probabilities.shape[1] == 2 else probabilities


def _unit_values(values, input_shape: tuple, unit: int) -> np.ndarray:
    """One case's contributions to ``unit`` from shap's output (trailing axis: the units)."""
    array = np.asarray(values, dtype=np.float64)
    return array.reshape(*input_shape, -1)[..., unit]


def _per_case(base: np.ndarray, units: np.ndarray | None) -> float | np.ndarray:
    """The base value of each case's unit; one float when every case explains the first unit."""
    base = np.ravel(np.asarray(base, dtype=np.float64))
    return float(base[0]) if units is None else base[units]


def explain_shap(
    estimator,
    cases: np.ndarray,
    background: np.ndarray,
    *,
    explainer: str,
    case_seeds: list[int],
    n_samples: int | None,
    seed: int,
    on_case=None,
    units: np.ndarray | None = None,
) -> ShapOutput:
    """SHAP contributions of each case's raw inputs to one model output (``model_units``).

    Args:
        estimator: a fitted direction model.
        cases: inputs to explain in original units, (n, features) or (n, timesteps, features).
        background: reference inputs of the same kind (training rows).
        explainer: ``"gradient"``, ``"deep"`` or ``"kernel"``.
        case_seeds: one seed per case for the explainer's sampling (gradient).
        n_samples: expected-gradient samples per case for ``"gradient"`` (default
            ``GRADIENT_SAMPLES``), model evaluations per case for ``"kernel"`` (default
            ``KERNEL_SAMPLES``); ``"deep"`` is exact and draws none.
        seed: seeds the background sample.
        on_case: ``on_case(done, total)`` after each case.
        units: the explained unit of ``model_units`` per case; None explains the first (a
            direction model's probability of a rise) for every case.
    """
    shap = _import_shap()
    rng = np.random.default_rng(seed)
    cases = np.asarray(cases, dtype=np.float64)
    background = np.asarray(background, dtype=np.float64)
    input_shape = cases.shape[1:]
    n = len(cases)
    case_units = np.zeros(n, dtype=np.int64) if units is None else np.asarray(units, dtype=np.int64)
    explained = model_units(estimator, cases)[np.arange(n), case_units]
    values = np.empty(cases.shape)

    def progress(i):
        if on_case is not None:
            on_case(i, n)

    if explainer == "kernel":
        # one thread: k-means and the explainer's small products gain nothing from more, and
        # OpenMP/BLAS threads spinning on busy cores made them 3-20x slower (k-means: 5 s, not 0.3 s)
        with threadpool_limits(limits=1):
            flat_background = _sample(background, GRADIENT_BACKGROUND, rng).reshape(-1, int(np.prod(input_shape)))

            def prob_of_flat(flat: np.ndarray) -> np.ndarray:
                outputs = model_units(estimator, flat.reshape(-1, *input_shape))
                return outputs[:, 0] if outputs.shape[1] == 1 else outputs

            if len(flat_background) > KERNEL_BACKGROUND:
                summary = shap.kmeans(flat_background, KERNEL_BACKGROUND)
                n_reference = KERNEL_BACKGROUND
            else:
                summary, n_reference = flat_background, len(flat_background)
            kernel = shap.KernelExplainer(prob_of_flat, summary)
            samples = n_samples or KERNEL_SAMPLES
            # one pass gives every unit: a case asked for again (another horizon) reuses it
            passes = {}
            with _numpy_global_seed_kept():
                for i in range(n):
                    key = (cases[i].tobytes(), case_seeds[i])
                    if key not in passes:
                        np.random.seed(case_seeds[i] % 2**32)  # KernelExplainer samples with numpy's global RNG
                        passes[key] = kernel.shap_values(cases[i].reshape(1, -1), nsamples=samples, silent=True,
                                                         l1_reg=False)
                    values[i] = _unit_values(passes[key], input_shape, case_units[i])
                    progress(i + 1)
            base_value = _per_case(kernel.expected_value, units)
            return ShapOutput(CLASS_NAMES[explainer], values, base_value, explained, n_reference)

    network = keras_network(estimator)
    scaled_cases = estimator._scaled(cases)
    if explainer == "gradient":
        reference = _sample(background, GRADIENT_BACKGROUND, rng)
        samples = n_samples or GRADIENT_SAMPLES
        gradient = shap.GradientExplainer(network, estimator._scaled(reference), batch_size=samples)
        _compile_forward(gradient, network)
        base_value = _per_case(np.mean(model_units(estimator, reference), axis=0), units)
        with _quiet(), _numpy_global_seed_kept():
            for i in range(n):
                phi = gradient.shap_values(
                    scaled_cases[i : i + 1], nsamples=samples, rseed=case_seeds[i] % 2**31
                )
                values[i] = _unit_values(phi, input_shape, case_units[i])
                progress(i + 1)
        return ShapOutput(CLASS_NAMES[explainer], values, base_value, explained, len(reference))

    # explainer == "deep": feed-forward networks only (the caller refuses recurrent ones)
    reference = _sample(background, DEEP_BACKGROUND, rng)
    with _quiet(), _restored_gradients():
        deep = shap.DeepExplainer(network, estimator._scaled(reference))
        base_value = _per_case(deep.expected_value, units)
        for i in range(n):
            phi = deep.shap_values(scaled_cases[i : i + 1], check_additivity=False)
            values[i] = _unit_values(phi, input_shape, case_units[i])
            progress(i + 1)
    return ShapOutput(CLASS_NAMES[explainer], values, base_value, explained, len(reference))
