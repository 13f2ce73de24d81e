"""The estimator contract, run over every estimator: each model in MODELS and each baseline.

A new model class is picked up automatically; give it small, fast parameters in FAST_PARAMS.
Anomaly detectors (``anomaly_base``) share the scikit-learn part of the contract and have their
own outputs, checked at the end over ANOMALY_DETECTORS.
"""

import json

import numpy as np
import pytest
from sklearn.base import clone

from pyanalytics.data.windows import model_inputs
from pyanalytics.errors import BundleError, NotFittedError, PyAnalyticsError
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.features import build_dataset
from pyanalytics.models import (
    ANOMALY_BASELINES,
    AUTOENCODERS,
    BASELINES,
    MODELS,
    SEQUENCE_BASELINES,
    DNNClassifier,
    GRUClassifier,
    IsolationForestBaseline,
    LSTMClassifier,
    PCABaseline,
    SupervisedCeiling,
)
from pyanalytics.models.keras_base import KerasTraining

WINDOW = 5
RECURRENT_FAST = {"units": (8,), "dropout": 0.1, "epochs": 3, "batch_size": 64, "patience": 2, "seed": 0}

AUTOENCODER_FAST = {
    "hidden_units": (8,), "code_size": 3, "epochs": 3, "batch_size": 64, "patience": 2, "seed": 0,
    "threshold_quantile": 0.95,
}

# Non-default values where a class has parameters, so get_params proves they were stored.
FAST_PARAMS = {
    DNNClassifier: {
        "hidden_units": (16, 8),
        "dropout": 0.1,
        "epochs": 4,
        "batch_size": 64,
        "patience": 2,
        "seed": 0,
    },
    LSTMClassifier: RECURRENT_FAST,
    GRUClassifier: RECURRENT_FAST,
    BASELINES["logistic_regression"]: {"C": 0.5},
    BASELINES["previous_direction"]: {"return_feature": "ret_1"},
    SEQUENCE_BASELINES["last_step_logistic"]: {"C": 0.5},
    IsolationForestBaseline: {"n_estimators": 20, "seed": 1, "threshold_quantile": 0.95},
    PCABaseline: {"n_components": 3, "threshold_quantile": 0.95},
    SupervisedCeiling: {"C": 0.5, "threshold_quantile": 0.95},
    **{cls: AUTOENCODER_FAST for cls in AUTOENCODERS.values()},
}
ESTIMATORS = [*MODELS.values(), *BASELINES.values(), *SEQUENCE_BASELINES.values()]
ANOMALY_DETECTORS = [*ANOMALY_BASELINES.values(), *AUTOENCODERS.values()]


def _params(cls) -> dict:
    return dict(FAST_PARAMS.get(cls, {}))


def _parts(model) -> dict:
    return {"network": model.network_} if isinstance(model, KerasTraining) else {}


def _ndim(cls) -> int:
    return getattr(cls, "_input_ndim", 2)


@pytest.fixture(scope="module")
def datasets():
    """Train and test inputs by input rank: feature rows (2) and windows of WINDOW days (3)."""
    dataset = build_dataset(synthetic_market(600, signal_strength=2.0, seed=3))
    labelled = np.flatnonzero(dataset.labelled)
    train, test = labelled[WINDOW - 1 : 400], labelled[400:]
    y = dataset.y
    return {
        ndim: (
            model_inputs(dataset.X, train, window), y.iloc[train].astype(int),
            model_inputs(dataset.X, test, window), y.iloc[test].astype(int),
        )
        for ndim, window in ((2, None), (3, WINDOW))
    }


@pytest.fixture(params=ESTIMATORS, ids=lambda cls: cls.__name__)
def cls(request):
    return request.param


@pytest.fixture
def data(cls, datasets):
    return datasets[_ndim(cls)]


@pytest.fixture(scope="module")
def fit_once(datasets):
    """fit_once(cls) -> (model, what fit returned, params before fit); one fit per class."""
    cache = {}

    def fit(cls):
        if cls not in cache:
            model = cls(**_params(cls))
            before = model.get_params()
            X, y = datasets[_ndim(cls)][:2]
            cache[cls] = (model, model.fit(X, y), before)
        return cache[cls]

    return fit


@pytest.fixture
def fitted(cls, fit_once):
    return fit_once(cls)


def _name(cls) -> str:
    return cls.__name__


def test_every_model_has_fast_test_parameters():
    assert set(MODELS.values()) <= set(FAST_PARAMS)
    assert set(BASELINES.values()) <= set(ESTIMATORS)
    assert set(ANOMALY_DETECTORS) <= set(FAST_PARAMS)


@pytest.mark.parametrize("cls", [*ESTIMATORS, *ANOMALY_DETECTORS], ids=_name)
def test_init_only_stores_its_arguments(cls):
    params = _params(cls)
    model = cls(**params)
    assert {k: v for k, v in model.get_params().items() if k in params} == params
    assert vars(model) == model.get_params()  # nothing else is set or derived
    for name in model.get_params():
        marker = object()  # not even checked until fit
        assert cls(**{name: marker}).get_params()[name] is marker


def test_methods_before_fit_raise_not_fitted_naming_the_class(cls, data):
    model = cls(**_params(cls))
    for method in (model.predict, model.predict_proba):
        with pytest.raises(NotFittedError, match=f"{cls.__name__} is not fitted yet"):
            method(data[2])
    with pytest.raises(NotFittedError, match=cls.__name__) as info:
        model.to_state()
    assert isinstance(info.value, PyAnalyticsError)


@pytest.mark.parametrize("cls", [*ESTIMATORS, *ANOMALY_DETECTORS], ids=_name)
def test_fit_returns_self_and_leaves_the_parameters_alone(fitted):
    model, returned, before = fitted
    assert returned is model
    assert model.get_params() == before


def test_learned_attributes_end_in_underscore(fitted):
    model, _, before = fitted
    learned = [name for name in vars(model) if name not in before and not name.startswith("_")]
    assert {"threshold_", "classes_", "n_features_in_", "feature_names_in_"} <= set(learned)
    assert all(name.endswith("_") for name in learned), learned
    if _ndim(type(model)) == 2:  # windows are arrays: their features have no names
        assert list(model.feature_names_in_) == list(build_dataset(synthetic_market(300, seed=0)).X.columns)
    else:
        assert model.feature_names_in_ is None and model.n_timesteps_in_ == WINDOW


def test_clone_gives_an_unfitted_copy_with_the_same_parameters(fitted, data):
    model, _, before = fitted
    copy = clone(model)
    assert type(copy) is type(model) and copy is not model
    assert copy.get_params() == before
    assert vars(copy) == copy.get_params()
    with pytest.raises(NotFittedError):
        copy.predict_proba(data[2])
    model.predict_proba(data[2])  # the original is still fitted


def test_predict_proba_is_n_by_2_and_rows_sum_to_one(fitted, data):
    model, _, _ = fitted
    proba = model.predict_proba(data[2])
    assert proba.shape == (len(data[2]), 2) and proba.dtype == np.float64
    assert ((proba >= 0) & (proba <= 1)).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(model.classes_, [0, 1])


def test_predict_applies_the_learned_threshold(fitted, data):
    model, _, before = fitted
    assert model.threshold_ == float(before.get("threshold", 0.5))
    labels = model.predict(data[2])
    assert labels.dtype == np.int64 and set(np.unique(labels)) <= {0, 1}
    np.testing.assert_array_equal(labels, model.predict_proba(data[2])[:, 1] >= model.threshold_)


def test_state_survives_json_and_rebuilds_identical_probabilities(fitted, data):
    model, _, _ = fitted
    state = model.to_state()
    text = json.dumps(state, allow_nan=False)
    restored = type(model).from_state(json.loads(text), **_parts(model))
    assert type(restored) is type(model)
    np.testing.assert_array_equal(restored.predict_proba(data[2]), model.predict_proba(data[2]))
    np.testing.assert_array_equal(restored.predict(data[2]), model.predict(data[2]))
    assert restored.threshold_ == model.threshold_
    assert restored.to_state()["params"] == state["params"]
    assert restored.to_state()["feature_names"] == state["feature_names"]


def test_a_higher_dnn_threshold_says_up_less_often(datasets, fit_once):
    data = datasets[2]
    usual, _, _ = fit_once(DNNClassifier)
    strict = clone(usual).set_params(threshold=0.9).fit(data[0], data[1])
    assert strict.threshold_ == 0.9
    p_up = strict.predict_proba(data[2])[:, 1]
    # same seed, same data: the threshold does not change training, only the decision
    np.testing.assert_array_equal(p_up, usual.predict_proba(data[2])[:, 1])
    assert ((p_up >= 0.5) & (p_up < 0.9)).any()
    assert strict.predict(data[2]).sum() < usual.predict(data[2]).sum()
    np.testing.assert_array_equal(strict.predict(data[2]), p_up >= 0.9)


# --- anomaly detectors: anomaly_score, the scikit-learn outlier outputs and flag agree --------


@pytest.fixture(params=ANOMALY_DETECTORS, ids=_name)
def detector(request, fit_once):
    """A fitted detector (labels: the direction, 1 standing in for an anomaly)."""
    return fit_once(request.param)[0]


@pytest.mark.parametrize("cls", ANOMALY_DETECTORS, ids=_name)
def test_a_detector_before_fit_raises_not_fitted_naming_the_class(cls, datasets):
    model = cls(**_params(cls))
    for method in (model.anomaly_score, model.score_samples, model.decision_function, model.predict, model.flag):
        with pytest.raises(NotFittedError, match=f"{cls.__name__} is not fitted yet"):
            method(datasets[2][2])
    with pytest.raises(NotFittedError, match=cls.__name__):
        model.to_state()


def test_a_detectors_learned_attributes_end_in_underscore_and_clone_unfits(detector, datasets):
    learned = [name for name in vars(detector) if name not in detector.get_params() and not name.startswith("_")]
    assert {"threshold_", "n_features_in_", "feature_names_in_"} <= set(learned)
    assert all(name.endswith("_") for name in learned), learned
    copy = clone(detector)
    assert vars(copy) == copy.get_params() == detector.get_params()
    with pytest.raises(NotFittedError):
        copy.anomaly_score(datasets[2][2])


def test_a_detectors_outputs_agree_with_its_score_and_threshold(detector, datasets):
    X = datasets[2][2]
    scores = detector.anomaly_score(X)
    flags = detector.flag(X)
    assert scores.shape == (len(X),) and scores.dtype == np.float64
    assert flags.dtype == np.int64 and 0 < flags.sum() < len(X)
    np.testing.assert_array_equal(flags, scores >= detector.threshold_)
    np.testing.assert_array_equal(flags, detector.flags_from_scores(scores))
    np.testing.assert_array_equal(detector.score_samples(X), -scores)
    np.testing.assert_array_equal(detector.decision_function(X) < 0, flags == 1)
    np.testing.assert_array_equal(detector.predict(X), np.where(flags == 1, -1, 1))


def test_a_detectors_state_survives_json_or_says_it_is_not_saved(detector, datasets):
    X = datasets[2][2]
    if not detector.saveable:
        with pytest.raises(BundleError, match=f"{type(detector).__name__} is not saved"):
            detector.to_state()
        return
    state = json.loads(json.dumps(detector.to_state(), allow_nan=False))
    restored = type(detector).from_state(state, **_parts(detector))
    np.testing.assert_array_equal(restored.anomaly_score(X), detector.anomaly_score(X))
    assert restored.threshold_ == detector.threshold_ and restored.to_state() == state
