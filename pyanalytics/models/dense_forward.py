"""A network's inference pass in NumPy, for single rows (or windows) without TensorFlow's call cost.

Calling even a compiled ``tf.function`` costs about half a millisecond per call, and more on a
busy machine (its threads wait to be scheduled); the same Dense stack in NumPy costs a few
microseconds. ``numpy_forward(network)`` reads the weights of a chain of Dense,
BatchNormalization, Activation and Dropout layers, after any LSTM or GRU layers over windows
(Keras's gates, one time step at a time: a window of 24 steps costs about a tenth of a
millisecond), and returns a function of rows, or None for any other network (an activation it does
not know, a GRU without ``reset_after``, a result that differs from Keras's on probe inputs),
which then runs in TensorFlow as before. A network with several
outputs, each at the end of such a chain from the one input (a variational autoencoder's
reconstruction, code mean and code log-variance), runs as one chain per output and returns a list.
"""

import numpy as np
from scipy.special import erf

def _sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))  # no overflow for large negative x


_ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "softplus": lambda x: np.logaddexp(0, x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(np.minimum(x, 0))),
    "gelu": lambda x: 0.5 * x * (1 + erf(x / np.sqrt(2, dtype=x.dtype))),  # Keras's exact form
    "swish": lambda x: x * _sigmoid(x),
    "silu": lambda x: x * _sigmoid(x),
    "softmax": lambda x: (e := np.exp(x - x.max(axis=-1, keepdims=True))) / e.sum(axis=-1, keepdims=True),
}
_PASS_THROUGH = {"InputLayer", "Dropout"}  # Dropout does nothing at inference
_PROBE_ROWS = 16
_TOLERANCE = 1e-5


def numpy_forward(network):
    """The network's inference pass as ``forward(rows) -> outputs`` in NumPy, or None when the
    network is not a chain of the layers above or its NumPy pass does not match Keras's."""
    if len(getattr(network, "outputs", None) or ()) > 1:  # a subclassed model has no outputs
        return _several_outputs(network)
    steps = []
    for layer in network.layers:
        step = _step(layer)
        if step is False:
            return None
        if step is not None:
            steps.append(step)

    def forward(rows: np.ndarray) -> np.ndarray:
        # float64 throughout: a row's output then does not depend on the rows batched with it
        # (float32 matrix products round differently by batch size, by about 1e-7)
        x = np.asarray(rows, dtype=np.float64)
        for step in steps:
            x = step(x)
        return x

    return forward if _matches_keras(network, forward) else None


def _several_outputs(network):
    """One NumPy chain per output (each a sub-network from the input), or None if any is not one."""
    import keras

    if len(network.inputs) != 1:
        return None
    chains = [numpy_forward(keras.Model(network.inputs[0], output)) for output in network.outputs]
    if any(chain is None for chain in chains):
        return None
    return lambda rows: [chain(rows) for chain in chains]


def _step(layer):
    """One layer as a NumPy function, None for a pass-through layer, False when unsupported."""
    kind = type(layer).__name__
    if kind in _PASS_THROUGH:
        return None
    if kind == "Activation":
        return _ACTIVATIONS.get(layer.get_config()["activation"], False)
    if kind == "Dense":
        activation = _ACTIVATIONS.get(layer.get_config()["activation"], False)
        if activation is False:
            return False
        kernel = np.asarray(layer.kernel, dtype=np.float64)
        bias = np.asarray(layer.bias, dtype=np.float64) if layer.use_bias else 0.0
        return lambda x: activation(x @ kernel + bias)
    if kind == "BatchNormalization":
        config = layer.get_config()
        if config["axis"] not in (-1, [-1]):
            return False
        scale = 1 / np.sqrt(np.asarray(layer.moving_variance, dtype=np.float64) + config["epsilon"])
        if layer.scale:
            scale = scale * np.asarray(layer.gamma, dtype=np.float64)
        shift = -np.asarray(layer.moving_mean, dtype=np.float64) * scale
        if layer.center:
            shift = shift + np.asarray(layer.beta, dtype=np.float64)
        return lambda x: x * scale + shift
    if kind in ("LSTM", "GRU"):
        return _recurrent_step(layer, kind)
    return False


def _recurrent_step(layer, kind: str):
    """An LSTM or GRU layer over windows (n, steps, features) as a NumPy loop over the steps, giving the
    last state (n, units) or every state (n, steps, units) with ``return_sequences``; False when a
    setting changes what that loop computes."""
    config = layer.get_config()
    activation = _ACTIVATIONS.get(config["activation"], False)
    gate = _ACTIVATIONS.get(config["recurrent_activation"], False)
    if (activation is False or gate is False or config["go_backwards"] or config["stateful"]
            or not config["use_bias"] or (kind == "GRU" and not config["reset_after"])):
        return False
    kernel, recurrent, bias = (np.asarray(w, dtype=np.float64) for w in layer.get_weights())
    units = recurrent.shape[0]
    sequences = config["return_sequences"]

    def lstm(state, cell, z):  # Keras's gate order: input, forget, cell, output
        i, f, c, o = gate(z[:, :units]), gate(z[:, units:2 * units]), z[:, 2 * units:3 * units], gate(z[:, 3 * units:])
        cell = f * cell + i * activation(c)
        return o * activation(cell), cell

    def gru(state, cell, z):  # update, reset, candidate; the reset gate applies after the recurrent kernel
        r_z, r_r, r_h = np.split(state @ recurrent + bias[1], 3, axis=1)
        update, reset = gate(z[:, :units] + r_z), gate(z[:, units:2 * units] + r_r)
        candidate = activation(z[:, 2 * units:] + reset * r_h)
        return update * state + (1 - update) * candidate, cell

    def step(x):
        inputs = x @ kernel + (bias if kind == "LSTM" else bias[0])  # every step's input part at once
        state = np.zeros((len(x), units))
        cell = np.zeros_like(state)
        states = []
        for t in range(x.shape[1]):
            z = inputs[:, t] + state @ recurrent if kind == "LSTM" else inputs[:, t]
            state, cell = (lstm if kind == "LSTM" else gru)(state, cell, z)
            states.append(state)
        return np.stack(states, axis=1) if sequences else state

    return step


def _matches_keras(network, forward) -> bool:
    """Whether ``forward`` gives Keras's outputs on seeded probe inputs (a branched network does not)."""
    shape = network.inputs[0].shape
    if len(network.inputs) != 1 or len(shape) not in (2, 3) or (len(shape) == 3 and shape[1] is None):
        return False
    probe = np.random.default_rng(0).normal(size=(_PROBE_ROWS, *shape[1:])).astype(np.float32)
    expected = np.asarray(network(probe, training=False))
    try:
        found = forward(probe)
    except ValueError:  # layers listed as a chain whose shapes do not chain
        return False
    return found.shape == expected.shape and bool(np.allclose(found, expected, rtol=_TOLERANCE, atol=_TOLERANCE))
