"""The anomaly baselines: they find planted anomalies, match scikit-learn, and save (or say they do not)."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from pyanalytics.errors import BundleError, DataError, ParameterError
from pyanalytics.models import (
    ANOMALY_BASELINES,
    IsolationForestBaseline,
    PCABaseline,
    SupervisedCeiling,
    task_baselines,
)
from pyanalytics.tasks import TASKS

N_NORMAL, N_ANOMALY = 600, 30


PLANE = np.random.default_rng(42).normal(size=(2, 6))
OFF_PLANE = np.linalg.svd(PLANE)[2][-1]  # a unit direction orthogonal to the plane


def _planted(seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Normal rows near a 2-D plane in 6 features; anomalies pushed 6 units off the plane."""
    rng = np.random.default_rng(seed)
    n = N_NORMAL + N_ANOMALY
    X = rng.normal(size=(n, 2)) @ PLANE + 0.1 * rng.normal(size=(n, 6))
    y = np.r_[np.zeros(N_NORMAL, int), np.ones(N_ANOMALY, int)]
    X[y == 1] += 6 * OFF_PLANE
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(6)]), y


@pytest.fixture(scope="module")
def train():
    return _planted(0)


@pytest.fixture(scope="module")
def test():
    return _planted(1)


@pytest.fixture(scope="module")
def fitted(train):
    return {name: cls().fit(*train) for name, cls in ANOMALY_BASELINES.items()}


def test_the_registry_names_the_anomaly_tasks_baselines():
    assert task_baselines(TASKS["anomaly"]) == {
        "isolation_forest": IsolationForestBaseline,
        "pca": PCABaseline,
        "supervised_ceiling": SupervisedCeiling,
    }


@pytest.mark.parametrize("name", list(ANOMALY_BASELINES))
def test_every_baseline_ranks_the_planted_anomalies_first(fitted, test, name):
    X, y = test
    scores = fitted[name].anomaly_score(X)
    assert roc_auc_score(y, scores) > 0.95


@pytest.mark.parametrize("name", ["pca", "supervised_ceiling"])
def test_the_reconstruction_and_the_ceiling_flag_the_planted_anomalies(fitted, test, name):
    """Off the plane is what PCA sees and the labels teach; the forest ranks these rows high
    (above) but its axis-parallel cuts leave most of them under the 99 % quantile of normal rows."""
    X, y = test
    flags = fitted[name].flag(X)
    assert flags[y == 1].mean() > 0.9 and flags[y == 0].mean() < 0.05


def test_isolation_forest_is_scikit_learns_forest_on_the_normal_rows(fitted, train, test):
    X, y = train
    forest = IsolationForest(n_estimators=100, random_state=0).fit(X.to_numpy()[y == 0])
    expected = -forest.score_samples(test[0].to_numpy())
    np.testing.assert_allclose(fitted["isolation_forest"].anomaly_score(test[0]), expected, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(fitted["isolation_forest"].score_samples(test[0]), -expected)


def test_isolation_forest_is_seeded(train, test):
    scores = [IsolationForestBaseline(n_estimators=20, seed=s).fit(train[0]).anomaly_score(test[0]) for s in (3, 3, 4)]
    np.testing.assert_array_equal(scores[0], scores[1])
    assert not np.array_equal(scores[0], scores[2])


def test_isolation_forest_is_not_saved_and_says_so(fitted):
    model = fitted["isolation_forest"]
    assert model.saveable is False and PCABaseline.saveable and SupervisedCeiling.saveable
    with pytest.raises(BundleError, match="IsolationForestBaseline is not saved"):
        model.to_state()


@pytest.mark.parametrize("value", ["all", 0.0, 1.5, 0])
def test_isolation_forest_max_samples_is_checked(train, value):
    with pytest.raises(ParameterError, match="max_samples"):
        IsolationForestBaseline(max_samples=value).fit(train[0])


def test_pca_keeps_the_components_for_its_variance_and_scores_the_reconstruction_error(fitted, train, test):
    X, y = train
    normal = X.to_numpy()[y == 0]
    scaler = StandardScaler().fit(normal)
    pca = PCA(n_components=0.9, svd_solver="full").fit(scaler.transform(normal))
    model = fitted["pca"]
    assert model.components_.shape == (pca.n_components_, 6) and pca.n_components_ == 2
    scaled = scaler.transform(test[0].to_numpy())
    expected = ((scaled - pca.inverse_transform(pca.transform(scaled))) ** 2).mean(axis=1)
    np.testing.assert_allclose(model.anomaly_score(test[0]), expected, rtol=1e-9, atol=1e-12)
    errors = model.feature_errors(test[0])
    assert errors.shape == (len(test[0]), 6)
    np.testing.assert_allclose(errors.mean(axis=1), model.anomaly_score(test[0]), rtol=1e-12)


def test_pca_n_components_overrides_the_variance(train):
    assert PCABaseline(n_components=4).fit(*train).components_.shape == (4, 6)
    assert PCABaseline(variance=0.999).fit(*train).components_.shape[0] == 5  # never all six
    with pytest.raises(ParameterError, match=r"n_components: expected at most 5 \(fewer than the 6 features.* got 6"):
        PCABaseline(n_components=6).fit(*train)


def test_pca_of_one_feature_scores_the_squared_z_score():
    x = np.array([[1.0], [2.0], [3.0], [6.0]])
    model = PCABaseline().fit(x)
    z = (x[:, 0] - x.mean()) / x.std()
    np.testing.assert_allclose(model.anomaly_score(x), z**2, rtol=1e-12)
    assert model.components_.shape == (0, 1)


def test_the_ceiling_is_a_class_weighted_logistic_regression(fitted, train, test):
    X, y = train
    scaler = StandardScaler().fit(X.to_numpy())
    reference = LogisticRegression(class_weight="balanced", max_iter=1000).fit(scaler.transform(X.to_numpy()), y)
    expected = reference.predict_proba(scaler.transform(test[0].to_numpy()))[:, 1]
    np.testing.assert_allclose(fitted["supervised_ceiling"].anomaly_score(test[0]), expected, rtol=1e-9)


@pytest.mark.parametrize("labels", [None, "normal only", "anomalies only"])
def test_the_ceiling_without_both_classes_is_a_data_error_naming_y(train, labels):
    X, y = train
    y = {None: None, "normal only": np.zeros(len(X), int), "anomalies only": np.ones(len(X), int)}[labels]
    with pytest.raises(DataError, match=r"SupervisedCeiling\.fit: y must hold both anomalies \(1\) and normal rows \(0\)"):
        SupervisedCeiling().fit(X, y)


@pytest.mark.parametrize("name", ["pca", "supervised_ceiling"])
def test_the_state_survives_json_and_scores_identically(fitted, test, name):
    model = fitted[name]
    restored = type(model).from_state(json.loads(json.dumps(model.to_state(), allow_nan=False)))
    np.testing.assert_array_equal(restored.anomaly_score(test[0]), model.anomaly_score(test[0]))
    np.testing.assert_array_equal(restored.flag(test[0]), model.flag(test[0]))
    assert restored.threshold_ == model.threshold_ and restored.get_params() == model.get_params()


@pytest.mark.parametrize("name", list(ANOMALY_BASELINES))
def test_the_threshold_starts_at_the_quantile_of_normal_training_scores(train, name):
    X, y = train
    model = ANOMALY_BASELINES[name](threshold_quantile=0.9).fit(X, y)
    normal_scores = model.anomaly_score(X[y == 0])
    assert model.threshold_ == pytest.approx(np.quantile(normal_scores, 0.9, method="higher"))
    assert model.flag(X[y == 0]).mean() == pytest.approx(0.1, abs=0.01)
