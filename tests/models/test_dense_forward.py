"""The NumPy inference pass of Dense networks gives Keras's outputs, and steps aside for others."""

import keras
import numpy as np
import pytest

from pyanalytics.models import DNNClassifier, DNNRegressor
from pyanalytics.models.dense_forward import numpy_forward
from pyanalytics.models.dnn import ACTIVATIONS
from pyanalytics.models.networks import dense_network, recurrent_network

ROWS = np.random.default_rng(1).normal(scale=2.0, size=(64, 6)).astype(np.float32)


def keras_output(network, rows=ROWS):
    return np.asarray(network(rows, training=False))


def trained(network):
    """Two epochs of training, so BatchNormalization's moving statistics are not their initial 0 and 1."""
    y = (ROWS[:, 0] > 0).astype(np.float32)
    network.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    network.fit(ROWS, y.reshape(-1, 1) if network.output.shape[-1] == 1 else np.eye(network.output.shape[-1])[y.astype(int)],
                epochs=2, verbose=0)
    return network


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_hidden_activation_an_estimator_accepts_runs_in_numpy_as_in_keras(activation):
    keras.utils.set_random_seed(0)
    network = dense_network(6, hidden_units=(8, 4), activation=activation, dropout=0.0)
    forward = numpy_forward(network)
    assert forward is not None
    np.testing.assert_allclose(forward(ROWS), keras_output(network), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "options",
    [
        {"batch_norm": True, "dropout": 0.3},
        {"output_units": 3, "output_activation": "softmax"},
        {"output_activation": "linear", "output_bias": 12.5},
    ],
    ids=["batch_norm_and_dropout", "softmax", "regression"],
)
def test_trained_batch_norm_dropout_softmax_and_linear_outputs_match_keras(options):
    keras.utils.set_random_seed(0)
    network = trained(dense_network(6, hidden_units=(8, 4), **options))
    forward = numpy_forward(network)
    assert forward is not None
    found = forward(ROWS)
    assert found.dtype == np.float64
    np.testing.assert_allclose(found, keras_output(network), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(forward(ROWS[5:6]), found[5:6], rtol=1e-12)  # a row's output ignores its batch


WINDOWS = np.random.default_rng(2).normal(size=(32, 12, 3)).astype(np.float32)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("units", [(8,), (6, 4)], ids=["one_layer", "stacked"])
def test_trained_lstm_and_gru_windows_run_in_numpy_as_in_keras(cell, units):
    keras.utils.set_random_seed(0)
    network = recurrent_network(12, 3, cell=cell, units=units, output_units=4, output_activation="linear",
                                output_name="forecast")
    network.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    network.fit(WINDOWS, WINDOWS[:, -4:, 0] * 2, epochs=2, verbose=0)  # weights away from their initial values
    forward = numpy_forward(network)
    assert forward is not None
    found = forward(WINDOWS)
    np.testing.assert_allclose(found, keras_output(network, WINDOWS), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(forward(WINDOWS[7:8]), found[7:8], rtol=1e-12)  # a window's output ignores its batch


def test_a_gru_without_reset_after_or_an_unknown_layer_is_left_to_tensorflow():
    inputs = keras.Input(shape=(5, 3))
    legacy = keras.layers.GRU(4, reset_after=False)(inputs)
    assert numpy_forward(keras.Model(inputs, keras.layers.Dense(1)(legacy))) is None
    inputs = keras.Input(shape=(6,))
    normalised = keras.layers.LayerNormalization()(keras.layers.Dense(4)(inputs))
    assert numpy_forward(keras.Model(inputs, keras.layers.Dense(1)(normalised))) is None


@pytest.mark.parametrize("shortcut", ["residual", "side_by_side"])
def test_a_branched_dense_network_is_left_to_tensorflow(shortcut):
    """Its Dense layers list like a chain (the sum is no layer); the probe rows catch it."""
    inputs = keras.Input(shape=(6,))
    if shortcut == "residual":  # shapes chain, values differ
        hidden = inputs + keras.layers.Dense(6)(inputs)
    else:  # the second Dense cannot take the first one's output
        hidden = keras.layers.Dense(4)(inputs) + keras.layers.Dense(4)(inputs)
    outputs = keras.layers.Dense(1)(hidden)
    assert numpy_forward(keras.Model(inputs, outputs)) is None


@pytest.mark.parametrize("estimator", [DNNClassifier, DNNRegressor], ids=["classifier", "regressor"])
def test_a_fitted_estimator_predicts_what_its_keras_network_outputs(estimator):
    y = (ROWS[:, 0] + ROWS[:, 1] > 0).astype(int) if estimator is DNNClassifier else ROWS[:, 0] * 3 + 1
    model = estimator(hidden_units=(8,), batch_norm=True, dropout=0.2, epochs=3, seed=0).fit(ROWS, y)
    scaled = ((ROWS - model.scaler_.mean_) / model.scaler_.scale_).astype(np.float32)
    expected = keras_output(model.network_, scaled).reshape(-1)
    found = model.predict_proba(ROWS)[:, 1] if estimator is DNNClassifier else model.predict(ROWS)
    np.testing.assert_allclose(found, expected, rtol=1e-5, atol=1e-6)


def test_a_network_with_several_chain_outputs_runs_each_in_numpy_or_all_in_tensorflow():
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(6,))
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    head = keras.layers.Dense(2)(hidden)
    chains = keras.Model(inputs, [keras.layers.Dense(6)(head), head, keras.layers.Dense(2)(hidden)])
    forward = numpy_forward(chains)
    assert forward is not None
    for found, expected in zip(forward(ROWS), keras_output_list(chains), strict=True):
        np.testing.assert_allclose(found, expected, rtol=1e-5, atol=1e-6)
    joined = keras.Model(inputs, [head, keras.layers.Dense(1)(hidden + keras.layers.Dense(8)(inputs))])
    assert numpy_forward(joined) is None


def keras_output_list(network):
    return [np.asarray(output) for output in network(ROWS, training=False)]
