"""The autoencoder detectors on planted data: normal rows lie near a 2-D plane in 8 features,
anomalies lie off it. Each model is trained once (seeded, small, few epochs) and shared."""

import copy
import json
import time
import zipfile

import keras
import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from pyanalytics.errors import ParameterError
from pyanalytics.models import (
    AUTOENCODERS,
    Autoencoder,
    DenoisingAutoencoder,
    SparseAutoencoder,
    VariationalAutoencoder,
)
from pyanalytics.models.dense_forward import numpy_forward

N_FEATURES, MANIFOLD = 8, 2
SMALL = {"hidden_units": (16,), "code_size": 4, "epochs": 25, "patience": 5, "learning_rate": 0.01, "seed": 0}
PLANE = np.random.default_rng(42).normal(size=(MANIFOLD, N_FEATURES))


def normal_rows(n, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, MANIFOLD)) @ PLANE + 0.05 * rng.normal(size=(n, N_FEATURES))


def off_plane_rows(n, seed):
    """Rows as large as normal ones but in random directions, mostly off the plane."""
    return np.random.default_rng(seed).normal(scale=PLANE.std() * 1.5, size=(n, N_FEATURES))


@pytest.fixture(scope="module")
def data():
    X_test = np.vstack([normal_rows(300, 3), off_plane_rows(30, 4)])
    return normal_rows(1200, 1), normal_rows(200, 2), X_test, np.r_[np.zeros(300), np.ones(30)]


@pytest.fixture(scope="module")
def fitted(data):
    """name -> a model of each kind fitted on the normal rows (validation given)."""
    X, X_val = data[:2]
    return {name: cls(**SMALL).fit(X, validation_data=X_val) for name, cls in AUTOENCODERS.items()}


@pytest.fixture(params=list(AUTOENCODERS))
def name(request):
    return request.param


def test_scores_feature_errors_and_flags_have_the_contract_shapes(fitted, data, name):
    model, (X, _, X_test, _) = fitted[name], data
    scores, errors = model.anomaly_score(X_test), model.feature_errors(X_test)
    assert scores.shape == (len(X_test),) and errors.shape == (len(X_test), N_FEATURES)
    assert (errors >= 0).all()
    np.testing.assert_allclose(scores, errors.mean(axis=1), rtol=1e-12)  # the reconstruction score
    assert model.threshold_ == pytest.approx(np.quantile(model.anomaly_score(X), 0.99, method="higher"))
    np.testing.assert_array_equal(model.predict(X_test), np.where(scores >= model.threshold_, -1, 1))
    assert {"loss", "val_loss"} <= set(model.history_)
    assert 1 <= model.best_epoch_ <= len(model.history_["loss"]) <= SMALL["epochs"]


def test_planted_anomalies_off_the_plane_score_higher(fitted, data, name):
    _, _, X_test, y_test = data
    assert roc_auc_score(y_test, fitted[name].anomaly_score(X_test)) > 0.9


def test_early_stopping_keeps_the_best_validation_epoch(fitted, data):
    model, X_val = fitted["autoencoder"], data[1]
    val_loss = model.history_["val_loss"]
    assert model.best_epoch_ == int(np.argmin(val_loss)) + 1
    # the plain autoencoder's val_loss is the mean score of the validation rows, at the restored weights
    assert model.anomaly_score(X_val).mean() == pytest.approx(val_loss[model.best_epoch_ - 1], rel=1e-4)


def test_saved_network_is_plain_keras_and_the_state_rebuilds_identical_scores(fitted, data, name, tmp_path):
    model, X_test = fitted[name], data[2]
    path = tmp_path / "model.keras"
    model.network_.save(path)
    with zipfile.ZipFile(path) as archive:
        assert "pyanalytics" not in archive.read("config.json").decode()  # no custom object inside
    loaded = keras.saving.load_model(path, safe_mode=True)
    state = json.loads(json.dumps(model.to_state(), allow_nan=False))
    restored = type(model).from_state(state, network=loaded)
    np.testing.assert_array_equal(restored.anomaly_score(X_test), model.anomaly_score(X_test))
    np.testing.assert_array_equal(restored.feature_errors(X_test), model.feature_errors(X_test))
    assert restored.threshold_ == model.threshold_ and restored.history_ == model.history_
    assert restored.best_epoch_ == model.best_epoch_


def test_a_copied_model_scores_the_same(fitted, data, name):
    model, X_test = fitted[name], data[2]
    expected = model.anomaly_score(X_test)  # its inference pass is cached now; the copy rebuilds its own
    twin = copy.deepcopy(model)
    assert twin._forward_cache == {}
    np.testing.assert_array_equal(twin.anomaly_score(X_test), expected)


def test_scoring_runs_in_numpy_as_keras_computes_it(fitted, data, name):
    model, X_test = fitted[name], data[2]
    assert numpy_forward(model.network_) is not None
    scaled = ((X_test - model.scaler_.mean_) / model.scaler_.scale_).astype(np.float32)
    expected = keras.ops.convert_to_numpy(model.network_(scaled, training=False)[0 if name == "variational" else ...])
    reconstruction = model._network_outputs(X_test)[0]
    np.testing.assert_allclose(reconstruction, expected, rtol=1e-5, atol=1e-5)


def test_one_row_scores_well_under_a_millisecond(fitted, data):
    model, row = fitted["autoencoder"], data[2][:1]
    model.anomaly_score(row)
    times = []
    for _ in range(200):
        start = time.perf_counter()
        model.anomaly_score(row)
        times.append(time.perf_counter() - start)
    assert np.median(times) < 1e-3


def _reconstruct(model, scaled):
    return model._forward()(scaled.astype(np.float32)).astype(np.float64)


def test_denoising_rebuilds_corrupted_normal_rows_closer_to_the_clean_ones(data):
    """Same size and seed; only the denoising one saw corrupted inputs in training."""
    X, X_val = data[:2]
    size = {**SMALL, "code_size": 6}  # room to copy noise through: the plain one does
    plain = Autoencoder(**size).fit(X, validation_data=X_val)
    denoising = DenoisingAutoencoder(**size, noise="gaussian", noise_level=0.5).fit(X, validation_data=X_val)
    clean = normal_rows(500, 7)
    distances = {}
    for label, model in (("plain", plain), ("denoising", denoising)):
        scaled = model._scaled(clean).astype(np.float64)
        noisy = scaled + np.random.default_rng(8).normal(scale=0.5, size=scaled.shape)
        distances[label] = ((_reconstruct(model, noisy) - scaled) ** 2).mean()
    assert distances["denoising"] < 0.8 * distances["plain"], distances  # measured 0.72; ~1.0 at noise_level 0.01


def _code(model, X):
    encoder = keras.Model(model.network_.inputs[0], model.network_.get_layer("code").output)
    return np.asarray(encoder(model._scaled(X), training=False))


def test_the_sparse_code_is_smaller_in_l1_than_the_plain_code(fitted, data):
    X_test = data[2][:300]  # normal rows
    sparse_l1 = np.abs(_code(fitted["sparse"], X_test)).sum(axis=1).mean()
    plain_l1 = np.abs(_code(fitted["autoencoder"], X_test)).sum(axis=1).mean()
    assert sparse_l1 < 0.7 * plain_l1, (sparse_l1, plain_l1)  # measured: about half


def test_the_vae_negative_elbo_is_reconstruction_plus_kl_and_val_loss_is_it(fitted, data):
    model, (_, X_val, X_test, _) = fitted["variational"], data
    elbo = model.negative_elbo(X_test)
    reconstruction_part = 0.5 * model.feature_errors(X_test).sum(axis=1)
    assert (elbo >= reconstruction_part).all() and (elbo - reconstruction_part).mean() > 0.1  # KL present
    assert {"reconstruction", "kl", "val_reconstruction", "val_kl"} <= set(model.history_)
    assert model.negative_elbo(X_val).mean() == pytest.approx(model.history_["val_loss"][model.best_epoch_ - 1], rel=1e-4)
    state = model.to_state()
    state["params"]["score_by"] = "elbo"
    by_elbo = VariationalAutoencoder.from_state(state, network=model.network_)
    np.testing.assert_array_equal(by_elbo.anomaly_score(X_test), elbo)


def test_without_kl_weight_the_vae_code_strays_from_the_prior(fitted, data):
    X, X_val = data[:2]
    free = VariationalAutoencoder(**{**SMALL, "epochs": 10}, beta=0.0).fit(X, validation_data=X_val)
    np.testing.assert_allclose(free.negative_elbo(X_val), 0.5 * free.feature_errors(X_val).sum(axis=1), rtol=1e-12)
    assert free.history_["val_kl"][-1] > 2 * fitted["variational"].history_["val_kl"][-1]


def test_fit_with_labels_leaves_the_known_anomalies_out(data):
    X = data[0][:600]
    anomalies = off_plane_rows(1, 9) + np.random.default_rng(10).normal(scale=0.05, size=(60, N_FEATURES))
    rows, labels = np.vstack([X, anomalies]), np.r_[np.zeros(len(X)), np.ones(len(anomalies))]
    small = {**SMALL, "epochs": 15, "validation_fraction": 0.0}
    learned = Autoencoder(**small).fit(rows)
    left_out = Autoencoder(**small).fit(rows, labels)
    assert left_out.anomaly_score(anomalies).mean() > 3 * learned.anomaly_score(anomalies).mean()


@pytest.mark.parametrize(
    ("cls", "param", "value"),
    [
        (Autoencoder, "code_size", 0),
        (Autoencoder, "hidden_units", []),
        (Autoencoder, "activation", "wiggle"),
        (Autoencoder, "threshold_quantile", 1.5),
        (Autoencoder, "validation_fraction", 0.9),
        (SparseAutoencoder, "l1", -1.0),
        (DenoisingAutoencoder, "noise", "salt"),
        (DenoisingAutoencoder, "noise_level", 0.0),
        (VariationalAutoencoder, "beta", -1.0),
        (VariationalAutoencoder, "score_by", "likelihood"),
    ],
)
def test_a_bad_parameter_is_named(cls, param, value, data):
    with pytest.raises(ParameterError, match=f"^{param}: expected"):
        cls(**{param: value}).fit(data[0][:50])


def test_a_mask_that_drops_every_value_is_refused(data):
    with pytest.raises(ParameterError, match=r"^noise_level: .*\(0, 1\), got 1"):
        DenoisingAutoencoder(noise="mask", noise_level=1, epochs=1).fit(data[0][:50])


def test_the_training_wrappers_are_registered_and_rebuild_from_their_config():
    from pyanalytics.models.autoencoder_training import DenoisingTrainer, VariationalTrainer
    from pyanalytics.models.networks import autoencoder_network, variational_networks

    denoising = DenoisingTrainer(autoencoder_network(5, code_size=2), noise="mask", noise_level=0.3, seed=4)
    variational = VariationalTrainer(*variational_networks(5, code_size=2), beta=0.5, seed=4)
    rows = np.random.default_rng(0).normal(size=(3, 5)).astype(np.float32)
    for trainer, fields in ((denoising, ("noise", "noise_level", "seed")), (variational, ("beta", "seed"))):
        config = keras.saving.serialize_keras_object(trainer)
        assert config["registered_name"] == f"pyanalytics>{type(trainer).__name__}"
        rebuilt = keras.saving.deserialize_keras_object(config)
        assert type(rebuilt) is type(trainer)
        assert [getattr(rebuilt, f) for f in fields] == [getattr(trainer, f) for f in fields]
        rebuilt.set_weights(trainer.get_weights())
        np.testing.assert_allclose(np.asarray(rebuilt(rows)), np.asarray(trainer(rows)), rtol=1e-6)


@pytest.mark.parametrize("cls", [Autoencoder, VariationalAutoencoder])
def test_stopping_on_pr_auc_keeps_the_epoch_that_ranked_labelled_validation_rows_best(data, cls):
    from sklearn.metrics import average_precision_score

    X, _, X_test, y_test = data
    model = cls(**{**SMALL, "epochs": 12, "patience": 12}, stop_on="pr_auc").fit(X, validation_data=(X_test, y_test))
    curve = model.history_["val_pr_auc"]
    assert len(curve) == 12 and model.best_epoch_ == int(np.argmax(curve)) + 1
    kept = average_precision_score(y_test, model.anomaly_score(X_test))  # the restored weights' PR AUC
    assert kept == pytest.approx(max(curve), abs=1e-3)


def test_stopping_on_pr_auc_needs_labelled_validation_rows(data):
    X, X_val = data[:2]
    with pytest.raises(ParameterError, match=r"stop_on: 'pr_auc' watches the PR AUC of labelled validation rows"):
        Autoencoder(**SMALL, stop_on="pr_auc").fit(X, validation_data=X_val)
    with pytest.raises(ParameterError, match=r"stop_on: expected one of 'loss', 'pr_auc', got 'auc'"):
        Autoencoder(**SMALL, stop_on="auc").fit(X, validation_data=X_val)
