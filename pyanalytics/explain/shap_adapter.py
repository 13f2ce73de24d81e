"""SHAP behind an adapter: additive contributions to the probability of a rise.

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
    ``shap.KernelExplainer`` on ``predict_proba[:, 1]`` of raw inputs (windows flattened), with a
    k-means summary of the background. Its regression enforces additivity exactly.

Importing this module does not import shap or TensorFlow.
"""

import contextlib
import warnings
from dataclasses import dataclass

import numpy as np

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
    base_value: float
    prob_up: np.ndarray  # (n,), the model's probability of a rise
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


def _single_output(values, n_cases: int, input_shape: tuple) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    return array.reshape(n_cases, *input_shape)  # drops shap's trailing output axis of size 1


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
) -> ShapOutput:
    """SHAP contributions of each case's raw inputs to the probability of a rise.

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
    """
    shap = _import_shap()
    rng = np.random.default_rng(seed)
    cases = np.asarray(cases, dtype=np.float64)
    background = np.asarray(background, dtype=np.float64)
    input_shape = cases.shape[1:]
    prob_up = estimator.predict_proba(cases)[:, 1]
    n = len(cases)
    values = np.empty(cases.shape)

    def progress(i):
        if on_case is not None:
            on_case(i, n)

    if explainer == "kernel":
        flat_background = _sample(background, GRADIENT_BACKGROUND, rng).reshape(-1, int(np.prod(input_shape)))

        def prob_of_flat(flat: np.ndarray) -> np.ndarray:
            return estimator.predict_proba(flat.reshape(-1, *input_shape))[:, 1]

        if len(flat_background) > KERNEL_BACKGROUND:
            summary = shap.kmeans(flat_background, KERNEL_BACKGROUND)
            n_reference = KERNEL_BACKGROUND
        else:
            summary, n_reference = flat_background, len(flat_background)
        kernel = shap.KernelExplainer(prob_of_flat, summary)
        samples = n_samples or KERNEL_SAMPLES
        with _numpy_global_seed_kept():
            for i in range(n):
                np.random.seed(case_seeds[i] % 2**32)  # KernelExplainer samples with numpy's global RNG
                phi = kernel.shap_values(cases[i].reshape(1, -1), nsamples=samples, silent=True, l1_reg=False)
                values[i] = _single_output(phi, 1, input_shape)[0]
                progress(i + 1)
        base_value = float(np.ravel(kernel.expected_value)[0])
        return ShapOutput(CLASS_NAMES[explainer], values, base_value, prob_up, n_reference)

    network = keras_network(estimator)
    scaled_cases = estimator._scaled(cases)
    if explainer == "gradient":
        reference = _sample(background, GRADIENT_BACKGROUND, rng)
        samples = n_samples or GRADIENT_SAMPLES
        gradient = shap.GradientExplainer(network, estimator._scaled(reference), batch_size=samples)
        _compile_forward(gradient, network)
        base_value = float(np.mean(estimator.predict_proba(reference)[:, 1]))
        with _quiet(), _numpy_global_seed_kept():
            for i in range(n):
                phi = gradient.shap_values(
                    scaled_cases[i : i + 1], nsamples=samples, rseed=case_seeds[i] % 2**31
                )
                values[i] = _single_output(phi, 1, input_shape)[0]
                progress(i + 1)
        return ShapOutput(CLASS_NAMES[explainer], values, base_value, prob_up, len(reference))

    # explainer == "deep": feed-forward networks only (the caller refuses recurrent ones)
    reference = _sample(background, DEEP_BACKGROUND, rng)
    with _quiet(), _restored_gradients():
        deep = shap.DeepExplainer(network, estimator._scaled(reference))
        base_value = float(np.ravel(np.asarray(deep.expected_value))[0])
        for i in range(n):
            phi = deep.shap_values(scaled_cases[i : i + 1], check_additivity=False)
            values[i] = _single_output(phi, 1, input_shape)[0]
            progress(i + 1)
    return ShapOutput(CLASS_NAMES[explainer], values, base_value, prob_up, len(reference))
