"""MSE and QLIKE of variance forecasts: hand values, QLIKE's asymmetry, refused variances."""

import math

import numpy as np
import pytest

from pyanalytics.errors import DataError
from pyanalytics.evaluation.volatility_metrics import variance_metrics


def test_a_perfect_forecast_scores_zero_on_both():
    realised = np.array([0.01, 0.04, 0.2])
    assert variance_metrics(realised, realised) == {"mse": 0.0, "qlike": 0.0, "n": 3}


def test_hand_computed_values():
    m = variance_metrics([0.04, 0.09], [0.04, 0.06])
    assert m["mse"] == pytest.approx((0.0 + 0.03**2) / 2)
    assert m["qlike"] == pytest.approx((0.0 + (1.5 - math.log(1.5) - 1)) / 2)


def test_qlike_punishes_a_forecast_too_low_more_than_one_as_much_too_high():
    realised = np.full(10, 0.04)
    low, high = variance_metrics(realised, realised / 2), variance_metrics(realised, realised * 2)
    assert low["qlike"] > 1.5 * high["qlike"]
    # MSE sees only the difference: half the variance off either way is the same
    assert variance_metrics(realised, realised - 0.02)["mse"] == pytest.approx(variance_metrics(realised, realised + 0.02)["mse"])


def test_qlike_depends_on_the_ratio_only():
    realised, forecast = np.array([0.01, 0.03]), np.array([0.02, 0.02])
    assert variance_metrics(realised, forecast)["qlike"] == pytest.approx(variance_metrics(realised * 9, forecast * 9)["qlike"])


@pytest.mark.parametrize(("realised", "forecast", "message"), [
    ([0.04, 0.0], [0.04, 0.04], r"realised variance at position 1: expected a finite positive number, got 0\.0"),
    ([0.04, 0.04], [np.nan, 0.04], r"forecast variance at position 0: .* got nan \(1 such value"),
    ([0.04, 0.04], [0.04], r"forecast: 1 variances for 2 realised ones"),
])
def test_unusable_variances_are_refused_in_one_line_naming_them(realised, forecast, message):
    with pytest.raises(DataError, match=message) as error:
        variance_metrics(realised, forecast)
    assert "\n" not in str(error.value)
