"""DNNClassifier: training on the training rows only, early stopping, seeds, input checks."""

import numpy as np
import pytest
from sklearn.base import clone

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.features import build_dataset
from pyanalytics.models import DNNClassifier
from pyanalytics.models import keras_base

PARAMS = {
    "hidden_units": (16, 8),
    "epochs": 10.0,  # an R-style whole float must be accepted
    "patience": 50,  # never stops: every epoch runs
    "validation_fraction": 0.2,
    "validation_gap": 2,
    "seed": 0,
}


def binary_cross_entropy(y, p) -> float:
    """Keras' binary cross-entropy on probabilities (clipped to [1e-7, 1 - 1e-7])."""
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@pytest.fixture(scope="module")
def data():
    dataset = build_dataset(synthetic_market(700, signal_strength=2.0, seed=4))
    X, y = dataset.X[dataset.labelled], dataset.y[dataset.labelled].astype(int)
    return X.iloc[:500], y.iloc[:500], X.iloc[500:], y.iloc[500:]


@pytest.fixture(scope="module")
def trained(data):
    """The model and every on_epoch call it made."""
    calls = []
    model = DNNClassifier(**PARAMS).fit(
        data[0], data[1], on_epoch=lambda epoch, total, logs: calls.append((epoch, total, logs))
    )
    return model, calls


def test_a_whole_float_epoch_count_runs_that_many_epochs_and_reports_each(trained):
    model, calls = trained
    assert len(model.history_["loss"]) == len(model.history_["val_loss"]) == 10
    assert [(epoch, total) for epoch, total, _ in calls] == [(e, 10) for e in range(1, 11)]
    assert [logs["val_loss"] for _, _, logs in calls] == pytest.approx(model.history_["val_loss"])


def test_the_scaler_and_network_see_only_the_rows_before_the_held_out_part(trained, data):
    model, _ = trained
    X = data[0].to_numpy()
    n_val = 100  # 20 % of 500 rows, the last in time
    n_train = 500 - n_val - 2  # minus the validation gap
    np.testing.assert_allclose(model.scaler_.mean_, X[:n_train].mean(axis=0), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(model.scaler_.scale_, X[:n_train].std(axis=0), rtol=1e-10)
    assert not np.allclose(model.scaler_.mean_, X.mean(axis=0), rtol=1e-6, atol=0)
    # the best epoch's weights were restored and its val_loss was measured on the last 100 rows
    assert model.best_epoch_ == int(np.argmin(model.history_["val_loss"])) + 1
    p_up = model.predict_proba(data[0].iloc[-n_val:])[:, 1]
    held_out = binary_cross_entropy(data[1].to_numpy()[-n_val:], p_up)
    assert held_out == pytest.approx(min(model.history_["val_loss"]), abs=1e-5)


def test_the_same_seed_gives_identical_probabilities(trained, data):
    model, _ = trained
    twin = DNNClassifier(**PARAMS).fit(data[0], data[1])
    assert np.array_equal(twin.predict_proba(data[2]), model.predict_proba(data[2]))


@pytest.mark.slow
def test_another_seed_gives_other_probabilities(trained, data):
    model, _ = trained
    other = clone(model).set_params(seed=1).fit(data[0], data[1])
    assert not np.allclose(other.predict_proba(data[2]), model.predict_proba(data[2]))


def test_without_validation_every_epoch_runs_and_the_last_is_kept(data):
    model = DNNClassifier(hidden_units=(8,), epochs=3, validation_fraction=0, seed=0)
    model.fit(data[0], data[1])
    assert model.best_epoch_ == 3 and set(model.history_) == {"loss"}
    assert len(model.history_["loss"]) == 3


def test_early_stopping_restores_the_best_epoch_on_a_random_walk(walk_result):
    """Patience 1 on a random walk: training stops early and keeps the best epoch's weights."""
    model = walk_result.estimator
    history = model.history_
    ran = len(history["loss"])
    assert ran < model.epochs == 20
    assert model.best_epoch_ < ran and ran == model.best_epoch_ + model.patience
    assert model.best_epoch_ == int(np.argmin(history["val_loss"])) + 1
    X = walk_result.dataset.X.iloc[walk_result.rows["validation"]]
    y = walk_result.dataset.y.iloc[walk_result.rows["validation"]]
    restored_loss = binary_cross_entropy(y.to_numpy(), model.predict_proba(X)[:, 1])
    assert abs(restored_loss - min(history["val_loss"])) <= 1e-5
    assert abs(restored_loss - history["val_loss"][-1]) > 1e-5  # the last epoch was worse


def test_prediction_in_chunks_equals_one_batch(trained, data, monkeypatch):
    model, _ = trained
    whole = model.predict_proba(data[2])
    monkeypatch.setattr(keras_base, "PREDICT_CHUNK", 7)
    chunked = model.predict_proba(data[2])
    # float32 matmuls over other batch sizes may round the last ulp differently
    np.testing.assert_allclose(chunked, whole, rtol=0, atol=1e-6)


def test_columns_are_matched_by_name(trained, data):
    model, _ = trained
    reordered = data[2][list(reversed(data[2].columns))]
    np.testing.assert_array_equal(model.predict_proba(reordered), model.predict_proba(data[2]))


def test_a_missing_feature_column_at_prediction_is_named(trained, data):
    model, _ = trained
    message = r"DNNClassifier\.predict_proba: X lacks feature column\(s\) 'rsi_14'"
    with pytest.raises(DataError, match=message):
        model.predict(data[2].drop(columns="rsi_14"))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_non_finite_feature_names_the_column_and_date(data, bad):
    X = data[0].copy()
    X.iloc[37, X.columns.get_loc("macd")] = bad
    date = X.index[37].date()
    with pytest.raises(DataError, match=rf"DNNClassifier\.fit: X column 'macd', row 38 \({date}\)"):
        DNNClassifier(**PARAMS).fit(X, data[1])


def test_a_non_finite_feature_in_validation_data_is_named(data):
    X_val = data[2].copy()
    X_val.iloc[0, 0] = np.nan
    with pytest.raises(DataError, match=r"fit\(validation_data\): X column 'ret_1', row 1"):
        DNNClassifier(**PARAMS).fit(data[0], data[1], validation_data=(X_val, data[3]))


@pytest.mark.parametrize("bad", [np.nan, 2.0])
def test_labels_other_than_0_or_1_are_data_errors(data, bad):
    y = data[1].astype(float)
    y.iloc[10] = bad
    with pytest.raises(DataError, match=r"y row 11 .* expected 0 or 1"):
        DNNClassifier(**PARAMS).fit(data[0], y)


@pytest.mark.parametrize(
    "name, value",
    [
        ("epochs", "ten"),
        ("epochs", 0),
        ("epochs", 2.5),
        ("hidden_units", []),
        ("hidden_units", [16, -1]),
        ("dropout", 1.5),
        ("threshold", 2),
        ("activation", "rleu"),
        ("learning_rate", 0),
        ("batch_size", 0),
        ("patience", -1),
        ("validation_fraction", 0.6),
        ("validation_gap", -1),
        ("seed", -3),
    ],
)
def test_a_bad_parameter_is_refused_at_fit_naming_it(data, name, value):
    model = DNNClassifier(**{**PARAMS, name: value})  # construction only stores
    with pytest.raises(ParameterError, match=rf"^{name}(\[\d\])?: expected"):
        model.fit(data[0], data[1])
    assert not hasattr(model, "threshold_")


def test_dense_network_builds_the_requested_layers():
    from pyanalytics.models.networks import dense_network

    network = dense_network(5, hidden_units=(16, 8, 4), activation="tanh", dropout=0.3)
    dense = [layer for layer in network.layers if type(layer).__name__ == "Dense"]
    dropout = [layer for layer in network.layers if type(layer).__name__ == "Dropout"]
    assert [layer.units for layer in dense] == [16, 8, 4, 1]
    assert [layer.activation.__name__ for layer in dense] == ["tanh"] * 3 + ["sigmoid"]
    assert [layer.rate for layer in dropout] == [0.3] * 3
    assert network.input_shape == (None, 5) and network.output_shape == (None, 1)
    plain = dense_network(5, hidden_units=(4,), dropout=0)
    assert not [layer for layer in plain.layers if type(layer).__name__ == "Dropout"]
    course = dense_network(5)
    assert [layer.units for layer in course.layers if type(layer).__name__ == "Dense"] == [64, 32, 1]


def test_fitted_network_follows_the_parameters(trained):
    model, _ = trained
    units = [layer.units for layer in model.network_.layers if type(layer).__name__ == "Dense"]
    assert units == [16, 8, 1] and model.network_.input_shape == (None, model.n_features_in_)
