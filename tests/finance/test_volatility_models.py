"""The volatility forecasters: hand-checked recursions, a planted GARCH signal they find, no look-ahead."""

import numpy as np
import pytest

from pyanalytics.errors import DataError, NotFittedError, ParameterError
from pyanalytics.evaluation.volatility_metrics import variance_metrics
from pyanalytics.finance import garch_market
from pyanalytics.finance.volatility_data import volatility_data
from pyanalytics.finance.volatility_models import (
    EWMAVolatility,
    GARCHVolatility,
    HARVolatility,
    har_regressors,
)

BASELINES = (EWMAVolatility, HARVolatility, GARCHVolatility)
TRUE = {"omega": 2e-6, "alpha": 0.08, "beta": 0.9}


@pytest.fixture(scope="module")
def prices():
    return garch_market(3000, seed=21, **TRUE)


@pytest.fixture(scope="module")
def data(prices):
    return volatility_data(prices, horizons=(5, 21))


@pytest.fixture(scope="module")
def parts(data):
    """Training dates, then a purge gap of the longest horizon, then the test dates."""
    return data.rows[:2000], data.rows[2021:]


@pytest.fixture(scope="module")
def fitted(data, parts):
    return {model.__name__: model().fit(data, parts[0]) for model in BASELINES}


def test_ewma_is_the_riskmetrics_recursion_annualised_and_flat_across_horizons(data, fitted, parts):
    r = data.returns.to_numpy()
    s = np.mean(r[1:23] ** 2)  # the month of returns up to the first date with features
    for t in range(23, 40):
        s = 0.94 * s + 0.06 * r[t] ** 2
    forecast = fitted["EWMAVolatility"].forecast(data, [39])
    assert forecast[0] == pytest.approx([252 * s, 252 * s], rel=1e-12)


def test_har_is_least_squares_of_the_realised_volatility_on_its_three_regressors(data, fitted, parts):
    train = parts[0]
    X = np.column_stack([np.ones(len(train)), har_regressors(data, train)])
    for i, k in enumerate(data.horizons):
        coef = np.linalg.lstsq(X, data.realised[k].to_numpy()[train], rcond=None)[0]
        regression = fitted["HARVolatility"].regression_
        assert np.allclose([regression.intercept_[i], *regression.coef_[i]], coef)
    X_test = np.column_stack([np.ones(3), har_regressors(data, parts[1][:3])])
    expected = np.maximum(X_test @ coef, fitted["HARVolatility"].floor_[1]) ** 2
    assert fitted["HARVolatility"].forecast(data, parts[1][:3])[:, 1] == pytest.approx(expected)


def test_garch_recovers_the_planted_parameters(fitted):
    omega, alpha, beta = fitted["GARCHVolatility"].params_
    assert fitted["GARCHVolatility"].converged_
    assert alpha == pytest.approx(TRUE["alpha"], abs=0.04) and beta == pytest.approx(TRUE["beta"], abs=0.05)
    assert omega / 1e4 == pytest.approx(TRUE["omega"], rel=1.0)  # fitted on returns in percent


def test_garch_forecast_is_the_mean_of_its_daily_variance_forecasts_with_the_fitted_parameters(data, fitted, parts):
    omega, alpha, beta = fitted["GARCHVolatility"].params_ / [1e4, 1, 1]
    r = data.returns.to_numpy()
    variance = np.mean(r[1:76] ** 2 * 0.94 ** np.arange(75)) / np.mean(0.94 ** np.arange(75))  # arch's backcast
    t = parts[1][0]
    for s in range(1, t + 1):  # the variance of return s (the first reads the backcast for r_0 too)
        variance = omega + alpha * (r[s - 1] ** 2 if s > 1 else variance) + beta * variance
    daily = [omega + alpha * r[t] ** 2 + beta * variance]  # of return t + 1, then the steps after it
    for _ in range(20):
        daily.append(omega + (alpha + beta) * daily[-1])
    expected = [252 * np.mean(daily[:5]), 252 * np.mean(daily[:21])]
    assert fitted["GARCHVolatility"].forecast(data, [t])[0] == pytest.approx(expected, rel=1e-6)


def test_garch_and_har_beat_a_constant_variance_on_qlike_where_volatility_is_planted(data, fitted, parts):
    train, test = parts
    realised = data.realised_variance(test)
    constant = data.realised_variance(train).mean(axis=0)
    for i in range(2):
        baseline = variance_metrics(realised[:, i], np.full(len(test), constant[i]))["qlike"]
        for name in ("GARCHVolatility", "HARVolatility", "EWMAVolatility"):
            score = variance_metrics(realised[:, i], fitted[name].forecast(data, test)[:, i])["qlike"]
            assert score < 0.8 * baseline, (name, data.horizons[i], score, baseline)


@pytest.mark.parametrize("end", [2100, 2600, 2999])
def test_forecasts_at_t_are_identical_whether_or_not_later_rows_exist(prices, data, fitted, end):
    truncated = volatility_data(prices.iloc[: end + 1], horizons=(5, 21))
    rows = np.arange(end - 30, end + 1)  # the last dates have no target yet in the truncated data
    for name, model in fitted.items():
        assert np.array_equal(model.forecast(truncated, rows), model.forecast(data, rows)), name


def test_a_forecaster_used_before_fit_is_named(data):
    for model in BASELINES:
        with pytest.raises(NotFittedError, match=f"{model.__name__} is not fitted yet"):
            model().forecast(data, [100])


def test_rows_without_features_and_other_horizons_are_refused(prices, data, fitted, parts):
    with pytest.raises(DataError, match=r"HARVolatility.forecast: row 10 is outside the dates it can read \(rows 22 to "
                                        r"2999, from 2000-02-02"):
        fitted["HARVolatility"].forecast(data, [10, 100])
    with pytest.raises(ParameterError, match=r"data with horizons \[5\], but it was fitted on \[5, 21\]"):
        fitted["EWMAVolatility"].forecast(volatility_data(prices, horizons=5), [100])
    with pytest.raises(DataError, match=r"HARVolatility.fit: .* has no realised volatility yet"):
        HARVolatility().fit(data, [100, 2995])
    with pytest.raises(ParameterError, match=r"decay: expected a number in \(0.0, 1.0\], got 1.5"):
        EWMAVolatility(decay=1.5).fit(data, parts[0])
