"""LSTM and GRU: they find a signal that lives in the order of the last days, and nothing in a walk.

``synthetic_market(signal="sequence")`` makes tomorrow's direction follow the product of today's
and yesterday's volume shocks, which no single day's features carry: the single-day DNN stays at
chance while the LSTM, reading a window of days, finds it.
"""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.bundle import load_bundle
from pyanalytics.data.windows import model_inputs
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.training import train_direction_model
from pyanalytics.models import GRUClassifier, LSTMClassifier

WINDOW = 5
# The product signal has a plateau at the start: the default learning rate (1e-3) and patience
# (5) stop the LSTM at chance, so these parameters are part of what the test measures.
LSTM_PARAMS = {"units": (16,), "epochs": 40, "patience": 10, "batch_size": 64, "learning_rate": 3e-3}
SMALL_DNN = {"hidden_units": (16, 8), "epochs": 10, "patience": 3, "batch_size": 64}


@pytest.fixture(scope="module")
def sequence_market():
    """4,000 days whose next direction follows the agreement of the last two volume shocks."""
    return synthetic_market(4000, signal_strength=3.0, signal="sequence", seed=1)


@pytest.fixture(scope="module")
def lstm_result(sequence_market):
    return train_direction_model(sequence_market, model="lstm", window=WINDOW, seed=0, model_params=LSTM_PARAMS)


@pytest.fixture(scope="module")
def lstm_walk_result(walk_market):
    return train_direction_model(walk_market, model="lstm", window=WINDOW, seed=0, model_params=LSTM_PARAMS)


@pytest.fixture(scope="module")
def dnn_sequence_result(sequence_market):
    return train_direction_model(sequence_market, model="dnn", seed=0, model_params=SMALL_DNN)


@pytest.fixture(scope="module")
def gru_result(sequence_market):
    return train_direction_model(
        sequence_market.iloc[:1500],
        model="gru",
        window=WINDOW,
        seed=0,
        model_params={"units": (8,), "epochs": 2, "batch_size": 64},
    )


@pytest.fixture(scope="module")
def lstm_bundle(lstm_result, tmp_path_factory):
    path = lstm_result.save(tmp_path_factory.mktemp("lstm") / "bundle")
    return load_bundle(path)


@pytest.mark.slow
def test_the_lstm_finds_a_signal_in_the_order_of_the_last_days(lstm_result):
    assert isinstance(lstm_result.estimator, LSTMClassifier)
    assert lstm_result.window == WINDOW
    assert lstm_result.metrics["lstm"]["roc_auc"] >= 0.80


@pytest.mark.slow
def test_the_lstm_finds_nothing_in_a_random_walk(lstm_walk_result):
    assert 0.44 <= lstm_walk_result.metrics["lstm"]["roc_auc"] <= 0.56


def test_the_single_day_dnn_cannot_see_the_sequence_signal(dnn_sequence_result):
    """The signal lives in the window, not in any one day's features."""
    assert dnn_sequence_result.metrics["dnn"]["roc_auc"] < 0.60


def test_the_gru_trains_and_predicts(gru_result):
    estimator = gru_result.estimator
    assert isinstance(estimator, GRUClassifier) and gru_result.model_name == "gru"
    assert estimator.n_timesteps_in_ == WINDOW
    assert len(estimator.history_["loss"]) <= 2 and "val_loss" in estimator.history_
    windows = model_inputs(gru_result.dataset.X, gru_result.rows["test"], WINDOW)
    proba = estimator.predict_proba(windows)
    assert proba.shape == (len(windows), 2) and np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(np.unique(estimator.predict(windows))) <= {0, 1}
    assert np.isfinite(gru_result.metrics["gru"]["roc_auc"])


def test_recurrent_models_refuse_windows_of_another_length(gru_result):
    from pyanalytics.errors import PyAnalyticsError

    wrong = model_inputs(gru_result.dataset.X, gru_result.rows["test"], WINDOW + 1)
    with pytest.raises(PyAnalyticsError):
        gru_result.estimator.predict_proba(wrong)


@pytest.mark.slow
def test_an_lstm_bundle_loaded_in_process_gives_identical_probabilities(lstm_bundle, lstm_result):
    assert lstm_bundle.model_name == "lstm" and lstm_bundle.window == WINDOW
    assert isinstance(lstm_bundle.estimator, LSTMClassifier)
    rows = np.arange(WINDOW - 1, len(lstm_result.dataset.X))
    windows = model_inputs(lstm_result.dataset.X, rows, WINDOW)
    np.testing.assert_array_equal(
        lstm_bundle.estimator.predict_proba(windows), lstm_result.estimator.predict_proba(windows)
    )
    assert lstm_bundle.estimator.threshold_ == lstm_result.estimator.threshold_


@pytest.mark.slow
def test_bundle_predict_on_prices_starts_at_the_first_complete_window(lstm_bundle, lstm_result, sequence_market):
    X = lstm_result.dataset.X
    frame = lstm_bundle.predict(sequence_market)
    assert list(frame.columns) == ["date", "prob_up", "signal"]
    dates = pd.DatetimeIndex(frame["date"])
    assert dates[0] == X.index[WINDOW - 1] and (dates == X.index[WINDOW - 1 :]).all()
    assert dates[-1] == sequence_market.index[-1]
    rows = np.arange(WINDOW - 1, len(X))
    np.testing.assert_array_equal(
        frame["prob_up"], lstm_result.estimator.predict_proba(model_inputs(X, rows, WINDOW))[:, 1]
    )
    np.testing.assert_array_equal(frame["signal"], frame["prob_up"] >= lstm_bundle.estimator.threshold_)


@pytest.mark.slow
def test_bundle_evaluate_reproduces_the_lstm_test_metrics(lstm_bundle, lstm_result, sequence_market):
    """By default the windows may reach back into the test part, as they did in training."""
    assert lstm_bundle.evaluate(sequence_market) == lstm_result.metrics
    # an explicit `since` keeps whole windows on or after it: the first window - 1 dates go
    since = sequence_market.index[-200]
    assert lstm_bundle.evaluate(sequence_market, since=since)["lstm"]["n"] == 199 - (WINDOW - 1)


def test_a_recurrent_classifier_takes_more_classes_with_softmax_and_keeps_the_binary_network():
    """Three classes planted in the agreement of the last two timesteps; two classes keep the
    direction network, layer names included, as saved direction bundles hold it."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(900, 4, 2))
    codes = np.digitize(X[:, -1, 0] * X[:, -2, 0], [-0.3, 0.3])  # product of two steps: no single step says it
    y = np.array(["apart", "neutral", "together"])[codes]
    model = GRUClassifier(units=(16,), epochs=20, learning_rate=0.02, batch_size=128, patience=5, seed=0)
    model.fit(X[:700], y[:700])
    proba = model.predict_proba(X[700:])
    assert list(model.classes_) == ["apart", "neutral", "together"] and proba.shape == (200, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(model.predict(X[700:]), model.classes_[proba.argmax(axis=1)])
    assert model.network_.name == "multiclass_gru" and model.network_.output.shape == (None, 3)
    majority = max(np.mean(y[700:] == c) for c in model.classes_)
    assert (model.predict(X[700:]) == y[700:]).mean() > majority + 0.3  # 0.905 against 0.445 when written
    binary = LSTMClassifier(units=(4,), epochs=1, seed=0).fit(X[:200], codes[:200] == 2)
    assert binary.network_.name == "direction_lstm"
    assert [layer.name for layer in binary.network_.layers] == ["windows", "lstm_1", "prob_up"]
