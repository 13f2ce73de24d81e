"""A quantile forecaster's forecast and interval from one pass of the network are those of two passes."""

import numpy as np
import pytest

from pyanalytics.errors import ParameterError
from pyanalytics.models import LSTMForecaster

WINDOWS = np.random.default_rng(0).normal(size=(80, 6, 2))
TARGETS = WINDOWS[:, -3:, 0] + 0.1


def test_predict_with_interval_is_predict_and_predict_interval_in_one_pass():
    model = LSTMForecaster(units=(4,), epochs=2, quantiles=(0.1, 0.5, 0.9), validation_fraction=0.0, seed=0)
    model.fit(WINDOWS, TARGETS)
    forecast, lower, upper = model.predict_with_interval(WINDOWS[:5])
    np.testing.assert_array_equal(forecast, model.predict(WINDOWS[:5]))
    np.testing.assert_array_equal(np.stack([lower, upper]), np.stack(model.predict_interval(WINDOWS[:5])))
    assert forecast.shape == (5, 3) and (lower <= forecast).all() and (forecast <= upper).all()


def test_predict_with_interval_needs_quantiles():
    model = LSTMForecaster(units=(4,), epochs=1, validation_fraction=0.0, seed=0).fit(WINDOWS, TARGETS)
    with pytest.raises(ParameterError, match="trained without quantiles"):
        model.predict_with_interval(WINDOWS[:2])
