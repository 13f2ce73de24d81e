"""The naive baselines: what each one predicts, computed independently here."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.features import build_dataset
from pyanalytics.models import (
    BASELINES,
    AlwaysUpBaseline,
    LogisticRegressionBaseline,
    MajorityClassBaseline,
    PreviousDirectionBaseline,
)


@pytest.fixture(scope="module")
def data():
    dataset = build_dataset(synthetic_market(1500, signal_strength=2.0, seed=8))
    X, y = dataset.X[dataset.labelled], dataset.y[dataset.labelled].astype(int)
    return X.iloc[:1000], y.iloc[:1000], X.iloc[1000:], y.iloc[1000:]


def test_registry_names_every_baseline():
    assert BASELINES == {
        "majority_class": MajorityClassBaseline,
        "always_up": AlwaysUpBaseline,
        "previous_direction": PreviousDirectionBaseline,
        "logistic_regression": LogisticRegressionBaseline,
    }


@pytest.mark.parametrize("up_share, expected", [(0.3, 0), (0.7, 1)])
def test_majority_class_predicts_the_training_majority_with_its_frequency(up_share, expected):
    n = 100
    y = np.r_[np.ones(int(n * up_share)), np.zeros(n - int(n * up_share))]
    X = np.random.default_rng(0).normal(size=(n, 3))
    model = MajorityClassBaseline().fit(X, y)
    assert model.up_rate_ == pytest.approx(up_share)
    np.testing.assert_array_equal(model.predict_proba(X[:7])[:, 1], np.full(7, up_share))
    np.testing.assert_array_equal(model.predict(X[:7]), np.full(7, expected))


def test_always_up_says_up_with_certainty(data):
    model = AlwaysUpBaseline().fit(data[0], data[1])
    np.testing.assert_array_equal(model.predict_proba(data[2]), np.tile([0.0, 1.0], (len(data[2]), 1)))
    assert model.predict(data[2]).all()


def test_previous_direction_repeats_the_sign_of_the_last_return(data):
    model = PreviousDirectionBaseline().fit(data[0], data[1])
    expected = (data[2]["ret_1"] > 0).to_numpy()
    np.testing.assert_array_equal(model.predict(data[2]), expected)
    np.testing.assert_array_equal(model.predict_proba(data[2])[:, 1], expected.astype(float))
    # found by name, so a reordered frame gives the same answer
    reordered = data[2][list(reversed(data[2].columns))]
    np.testing.assert_array_equal(model.predict(reordered), expected)


def test_previous_direction_uses_the_named_column():
    X = pd.DataFrame({"a": [1.0, -1.0, 2.0], "r": [-0.5, 0.5, 0.0]})
    model = PreviousDirectionBaseline(return_feature="r").fit(X, [0, 1, 0])
    np.testing.assert_array_equal(model.predict(X), [0, 1, 0])


def test_previous_direction_without_its_column_is_a_data_error(data):
    with pytest.raises(DataError, match="no column 'ret_1'"):
        PreviousDirectionBaseline().fit(data[0].drop(columns="ret_1"), data[1])
    with pytest.raises(DataError, match="ret_1"):
        PreviousDirectionBaseline().fit(data[0].to_numpy(), data[1])


def test_logistic_regression_matches_scikit_learn(data):
    model = LogisticRegressionBaseline(C=0.3).fit(data[0], data[1])
    reference = make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=1000))
    reference.fit(data[0].to_numpy(), data[1].to_numpy())
    np.testing.assert_allclose(
        model.predict_proba(data[2]), reference.predict_proba(data[2].to_numpy()), rtol=0, atol=1e-12
    )
    np.testing.assert_array_equal(model.predict(data[2]), reference.predict(data[2].to_numpy()))


def test_logistic_regression_finds_the_planted_volume_signal(data):
    model = LogisticRegressionBaseline().fit(data[0], data[1])
    assert roc_auc_score(data[3], model.predict_proba(data[2])[:, 1]) > 0.8
    columns = list(data[0].columns)
    assert int(np.argmax(np.abs(model.coef_))) == columns.index("volume_z_20")


@pytest.mark.parametrize("C", [0, -1.0, "1", None])
def test_logistic_regression_refuses_a_bad_c_at_fit(data, C):
    model = LogisticRegressionBaseline(C=C)  # stored without a check
    with pytest.raises(ParameterError, match="^C: "):
        model.fit(data[0], data[1])


@pytest.mark.parametrize("cls", list(BASELINES.values()), ids=lambda cls: cls.__name__)
def test_baselines_ignore_validation_data_and_check_labels(cls, data):
    plain = cls().fit(data[0], data[1])
    with_validation = cls().fit(data[0], data[1], validation_data=(data[2], data[3]))
    np.testing.assert_array_equal(plain.predict_proba(data[2]), with_validation.predict_proba(data[2]))
    bad = data[1].astype(float)
    bad.iloc[2] = 2.0
    with pytest.raises(DataError, match=rf"{cls.__name__}\.fit: y row 3 \({bad.index[2].date()}\)"):
        cls().fit(data[0], bad)
