"""Sequence baselines are the tabular baselines on each window's last timestep, and nothing else."""

import json

import numpy as np
import pytest

from pyanalytics.errors import DataError
from pyanalytics.models import (
    SEQUENCE_BASELINES,
    LastStepLogistic,
    LogisticRegressionBaseline,
    MajorityClassBaseline,
    SequenceMajorityClass,
)


def planted_windows(n=600, window=5, step=-1, seed=0):
    """Three classes separated by the features of one timestep (``step``) of each window."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 3, n)
    X = rng.normal(size=(n, window, 3))
    X[:, step, :] += 3.0 * np.eye(3)[codes]
    return X, np.array(["low", "mid", "high"])[codes]


def test_the_registry_names_both_baselines():
    assert SEQUENCE_BASELINES == {"majority_class": SequenceMajorityClass, "last_step_logistic": LastStepLogistic}


def test_last_step_logistic_is_the_logistic_baseline_on_the_last_timestep():
    X, y = planted_windows()
    model = LastStepLogistic(C=0.5).fit(X[:400], y[:400], validation_data=(X[400:450], y[400:450]))
    tabular = LogisticRegressionBaseline(C=0.5).fit(X[:400, -1], y[:400])
    np.testing.assert_array_equal(model.predict_proba(X[450:]), tabular.predict_proba(X[450:, -1]))
    assert (model.predict(X[450:]) == y[450:]).mean() > 0.9
    assert model.n_timesteps_in_ == 5 and model.feature_names_in_ is None


def test_last_step_logistic_sees_nothing_of_earlier_timesteps():
    X, y = planted_windows(step=0)  # the classes live in the first timestep only
    model = LastStepLogistic().fit(X[:400], y[:400])
    assert (model.predict(X[400:]) == y[400:]).mean() < 0.45  # three classes: chance is a third


def test_majority_class_gives_the_training_frequencies_for_binary_and_more_classes():
    X, y = planted_windows()
    model = SequenceMajorityClass().fit(X, y)
    frequencies = MajorityClassBaseline().fit(X[:, -1], y).class_prior_
    np.testing.assert_array_equal(model.predict_proba(X[:3]), np.tile(frequencies, (3, 1)))
    binary = SequenceMajorityClass().fit(X, y == "high")
    assert binary.up_rate_ == pytest.approx((y == "high").mean())


@pytest.mark.parametrize("cls", [SequenceMajorityClass, LastStepLogistic], ids=lambda cls: cls.__name__)
def test_state_keeps_the_window_length(cls):
    X, y = planted_windows()
    model = cls().fit(X, y)
    restored = cls.from_state(json.loads(json.dumps(model.to_state(), allow_nan=False)))
    np.testing.assert_array_equal(restored.predict_proba(X), model.predict_proba(X))
    with pytest.raises(DataError, match=f"{cls.__name__}.predict_proba: X windows have 4 timesteps, but the model was fitted with 5"):
        restored.predict_proba(X[:, 1:])
    with pytest.raises(DataError, match=r"X must be 3-D \(samples x timesteps x features\)"):
        model.predict(X[:, -1])
