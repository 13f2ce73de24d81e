"""Cost-sensitive learning: the weighted loss, the custom training step, and what they buy.

A false positive costs ``alpha`` false negatives. With alpha = 1 the loss is binary
cross-entropy, gradient for gradient; with alpha = 5 on planted-signal data the cost-sensitive
model is cheaper on the test part than the plain model at threshold 0.5, and tuning the plain
model's threshold moves it above 0.5.
"""

import json
import os
import subprocess
import sys
import textwrap
import zipfile

import keras
import numpy as np
import pytest
import tensorflow as tf

from pyanalytics.bundle import load_bundle
from pyanalytics.data.windows import model_inputs
from pyanalytics.errors import ParameterError
from pyanalytics.evaluation.costs import expected_cost
from pyanalytics.finance import random_walk, synthetic_market
from pyanalytics.finance.training import train_direction_model
from pyanalytics.models import DNNClassifier, LSTMClassifier
from pyanalytics.models.cost import CostSensitiveBinaryCrossentropy, CostSensitiveTrainer
from pyanalytics.models.networks import dense_network

ALPHA = 5.0
WINDOW = 5
QUIET_ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
COST_DNN = {"hidden_units": (16, 8), "epochs": 15, "patience": 3, "batch_size": 64}


def _numpy_loss(y, p, alpha, epsilon=1e-7):
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    p = np.clip(np.asarray(p, dtype=np.float64).reshape(-1), epsilon, 1 - epsilon)
    return float(np.mean(-(y * np.log(p) + alpha * (1 - y) * np.log(1 - p))))


# -- the loss ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch():
    """A small dense network and one batch shaped as fit passes it: labels (batch,)."""
    keras.utils.set_random_seed(0)
    network = dense_network(4, hidden_units=(8,), dropout=0.0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype(np.float32)
    y = rng.integers(0, 2, size=64).astype(np.float32)
    return network, x, y


def _loss_and_gradients(loss, network, x, y):
    with tf.GradientTape() as tape:
        y_pred = network(x, training=True)
        assert tuple(y_pred.shape) == (len(x), 1) and y.shape == (len(x),)
        value = loss(y, y_pred)
    return float(value), [g.numpy() for g in tape.gradient(value, network.trainable_variables)]


def test_with_alpha_one_the_gradients_are_those_of_binary_cross_entropy(batch):
    network, x, y = batch
    ours, ours_grads = _loss_and_gradients(CostSensitiveBinaryCrossentropy(1.0), network, x, y)
    plain, plain_grads = _loss_and_gradients(keras.losses.BinaryCrossentropy(), network, x, y)
    assert ours == pytest.approx(plain, rel=1e-6)
    assert len(ours_grads) == len(plain_grads) == len(network.trainable_variables)
    for a, b in zip(ours_grads, plain_grads):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)


def test_with_alpha_five_the_gradients_differ(batch):
    network, x, y = batch
    _, ours_grads = _loss_and_gradients(CostSensitiveBinaryCrossentropy(ALPHA), network, x, y)
    _, plain_grads = _loss_and_gradients(keras.losses.BinaryCrossentropy(), network, x, y)
    assert max(float(np.abs(a - b).max()) for a, b in zip(ours_grads, plain_grads)) > 1e-3


def test_a_negative_example_costs_alpha_times_and_a_positive_one_the_same():
    bce = keras.losses.BinaryCrossentropy()
    weighted = CostSensitiveBinaryCrossentropy(ALPHA)
    p = np.array([[0.3]], dtype=np.float32)
    down, up = np.array([0.0], dtype=np.float32), np.array([1.0], dtype=np.float32)
    assert float(weighted(down, p)) == pytest.approx(ALPHA * float(bce(down, p)), rel=1e-6)
    assert float(weighted(up, p)) == pytest.approx(float(bce(up, p)), rel=1e-6)


def test_the_loss_matches_a_hand_computation():
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0], dtype=np.float32)
    p = np.array([0.9, 0.2, 0.4, 0.7, 1.0, 0.0], dtype=np.float32).reshape(-1, 1)  # edges clip
    by_hand = -(np.log(0.9) + 5 * np.log(0.8) + np.log(0.4) + 5 * np.log(0.3) + np.log(1 - 1e-7) + 5 * np.log(1 - 1e-7)) / 6
    loss = CostSensitiveBinaryCrossentropy(ALPHA)
    assert float(loss(y, p)) == pytest.approx(by_hand, rel=1e-5)
    assert float(loss(y, p)) == pytest.approx(_numpy_loss(y, p, ALPHA), rel=1e-5)
    # labels shaped (batch,) and (batch, 1) give the same loss: no (batch, batch) broadcast
    assert float(loss(y.reshape(-1, 1), p)) == pytest.approx(float(loss(y, p)), rel=1e-7)


def test_the_loss_round_trips_through_its_config():
    loss = CostSensitiveBinaryCrossentropy(ALPHA, epsilon=1e-6)
    again = CostSensitiveBinaryCrossentropy.from_config(loss.get_config())
    assert (again.alpha, again.epsilon, again.name) == (ALPHA, 1e-6, loss.name)


# -- alpha <= 0 is a clear error --------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -1, 0.0, "5", None])
def test_a_loss_with_alpha_not_above_zero_is_refused(bad):
    with pytest.raises(ParameterError, match="alpha: expected a number"):
        CostSensitiveBinaryCrossentropy(bad)


@pytest.mark.parametrize("bad", [0, -1])
def test_train_direction_model_refuses_cost_fp_not_above_zero(bad):
    with pytest.raises(ParameterError, match=rf"cost_fp: expected a number in \(0.0, .*got {bad}"):
        train_direction_model(synthetic_market(300, seed=2), cost_fp=bad)


@pytest.mark.parametrize("bad", [0, -1])
def test_an_estimator_refuses_cost_fp_not_above_zero(bad):
    rng = np.random.default_rng(0)
    with pytest.raises(ParameterError, match=rf"cost_fp: expected a number .*got {bad}"):
        DNNClassifier(cost_fp=bad).fit(rng.normal(size=(60, 3)), np.arange(60) % 2)


# -- a cost-sensitive LSTM bundle, in this process and in another -----------------------------


@pytest.fixture(scope="module")
def cost_lstm():
    prices = synthetic_market(900, signal_strength=2.0, signal="sequence", seed=7)
    result = train_direction_model(
        prices,
        model="lstm",
        window=WINDOW,
        cost_fp=ALPHA,
        model_params={"units": (8,), "epochs": 2, "batch_size": 64},
    )
    return result


@pytest.fixture(scope="module")
def cost_lstm_bundle(cost_lstm, tmp_path_factory):
    return cost_lstm.save(tmp_path_factory.mktemp("cost_lstm") / "bundle")


def test_the_cost_sensitive_lstm_trains_through_the_custom_step(cost_lstm):
    estimator = cost_lstm.estimator
    assert isinstance(estimator, LSTMClassifier)
    assert type(estimator.network_) is CostSensitiveTrainer
    assert type(estimator.network_).train_step is not keras.Model.train_step
    assert isinstance(estimator.network_.loss, CostSensitiveBinaryCrossentropy)
    assert estimator.network_.loss.alpha == ALPHA and estimator.threshold_ == 0.5
    assert {"loss", "val_loss"} <= set(estimator.history_)
    assert cost_lstm.alpha == ALPHA and cost_lstm.summary()["cost_sensitive"]


def test_the_saved_network_names_the_registered_classes(cost_lstm_bundle):
    with zipfile.ZipFile(cost_lstm_bundle / "model.keras") as archive:
        config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "CostSensitiveTrainer"
    assert config["registered_name"] == "pyanalytics>CostSensitiveTrainer"
    assert config["config"]["alpha"] == ALPHA
    assert config["config"]["network"]["class_name"] == "Functional"
    text = json.dumps(config)
    assert "pyanalytics>CostSensitiveBinaryCrossentropy" in text
    assert "lambda" not in text.lower()


@pytest.mark.slow
def test_a_cost_sensitive_lstm_bundle_predicts_identically_in_another_process(
    cost_lstm, cost_lstm_bundle, tmp_path
):
    X = cost_lstm.dataset.X
    windows = model_inputs(X, np.arange(WINDOW - 1, len(X)), WINDOW)
    here = cost_lstm.estimator.predict_proba(windows)[:, 1]
    in_process = load_bundle(cost_lstm_bundle).estimator.predict_proba(windows)[:, 1]
    assert np.array_equal(in_process, here)
    np.save(tmp_path / "windows.npy", windows)
    code = """
        import sys
        import numpy as np
        from pyanalytics.bundle import load_bundle

        bundle = load_bundle(sys.argv[1])
        assert type(bundle.estimator.network_).__name__ == "CostSensitiveTrainer"
        np.save(sys.argv[3], bundle.estimator.predict_proba(np.load(sys.argv[2]))[:, 1])
        """
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(cost_lstm_bundle), str(tmp_path / "windows.npy"), str(tmp_path / "p.npy")],
        check=True,
        env=QUIET_ENV,
        capture_output=True,
    )
    elsewhere = np.load(tmp_path / "p.npy")
    assert elsewhere.shape == here.shape and np.array_equal(elsewhere, here)


# -- what cost-sensitive training buys --------------------------------------------------------


@pytest.fixture(scope="module")
def cost_market():
    return synthetic_market(2000, signal_strength=1.0, seed=0)


@pytest.fixture(scope="module")
def plain_dnn(cost_market):
    return train_direction_model(cost_market, seed=0, model_params=COST_DNN)


@pytest.fixture(scope="module")
def tuned_dnn(cost_market):
    """Plain binary cross-entropy, threshold tuned on validation for alpha = 5 (Solution 1)."""
    return train_direction_model(cost_market, seed=0, cost_fp=ALPHA, tune_threshold=True, model_params=COST_DNN)


@pytest.fixture(scope="module")
def weighted_dnn(cost_market):
    """The cost-weighted loss in the custom training step, threshold 0.5 (Solution 2)."""
    return train_direction_model(cost_market, seed=0, cost_fp=ALPHA, model_params=COST_DNN)


def _test_part(result):
    rows = result.rows["test"]
    return result.dataset.X.iloc[rows], result.dataset.y.to_numpy()[rows].astype(np.int64)


@pytest.mark.slow
def test_tuning_moves_the_threshold_above_one_half_and_only_the_threshold(plain_dnn, tuned_dnn):
    assert plain_dnn.estimator.threshold_ == 0.5
    assert 0.5 < tuned_dnn.estimator.threshold_ < 1.0
    assert type(tuned_dnn.estimator.network_) is not CostSensitiveTrainer
    X, _ = _test_part(plain_dnn)
    np.testing.assert_array_equal(tuned_dnn.estimator.predict_proba(X), plain_dnn.estimator.predict_proba(X))


@pytest.mark.slow
def test_with_alpha_five_the_cost_sensitive_model_is_cheaper_than_the_plain_one(plain_dnn, tuned_dnn, weighted_dnn):
    X, y = _test_part(plain_dnn)
    plain_cost = expected_cost(y, plain_dnn.estimator.predict_proba(X)[:, 1], 0.5, ALPHA)
    weighted_cost = weighted_dnn.metrics["dnn"]["expected_cost"]
    assert weighted_dnn.estimator.threshold_ == 0.5 and weighted_dnn.alpha == ALPHA
    assert weighted_cost == expected_cost(y, weighted_dnn.estimator.predict_proba(X)[:, 1], 0.5, ALPHA)
    assert weighted_cost < plain_cost
    # tuning the plain model's threshold also pays (and is scored with the same alpha)
    assert tuned_dnn.metrics["dnn"]["expected_cost"] < plain_cost


# -- the custom step keeps fit's machinery: history, callbacks, early stopping ----------------


@pytest.fixture(scope="module")
def early_stopped():
    """A cost-sensitive DNN with a high learning rate on a random walk: it overfits quickly."""
    epochs = []
    result = train_direction_model(
        random_walk(1500, seed=4),
        seed=0,
        cost_fp=ALPHA,
        model_params={"hidden_units": (32,), "epochs": 30, "patience": 2, "batch_size": 32, "learning_rate": 0.03},
        on_epoch=lambda epoch, total, logs: epochs.append((epoch, total, logs)),
    )
    return result, epochs


def test_early_stopping_works_with_the_custom_step(early_stopped):
    result, epochs = early_stopped
    estimator = result.estimator
    assert type(estimator.network_) is CostSensitiveTrainer
    val_loss = estimator.history_["val_loss"]
    assert len(val_loss) == len(estimator.history_["loss"]) < 30  # it stopped early
    assert estimator.best_epoch_ == int(np.argmin(val_loss)) + 1
    assert len(val_loss) == estimator.best_epoch_ + 2  # patience 2
    # the best epoch's weights were restored: the network's weighted loss on the validation part
    # is the lowest val_loss of the history
    rows = result.rows["validation"]
    p = estimator.predict_proba(result.dataset.X.iloc[rows])[:, 1]
    y = result.dataset.y.to_numpy()[rows]
    assert _numpy_loss(y, p, ALPHA) == pytest.approx(min(val_loss), rel=1e-4)
    # progress callbacks still see every epoch with its logs
    assert [e[0] for e in epochs] == list(range(1, len(val_loss) + 1))
    assert all(total == 30 and "val_loss" in logs for _, total, logs in epochs)
