"""Realised-volatility targets and features: hand-checked, past-only, and bad input named in one line."""

import numpy as np
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import garch_market, synthetic_market
from pyanalytics.finance.volatility_data import MONTH, check_horizons, volatility_data


@pytest.fixture(scope="module")
def prices():
    return garch_market(400, seed=3)


@pytest.fixture(scope="module")
def data(prices):
    return volatility_data(prices, horizons=(5, 21))


def test_the_target_is_the_annualised_root_mean_square_of_the_next_k_log_returns(prices, data):
    r = np.log(prices["adj_close"]).diff().to_numpy()
    for t in (22, 100, 378):
        for k in (5, 21):
            assert data.realised.iloc[t][k] == pytest.approx(np.sqrt(252 * np.mean(r[t + 1 : t + k + 1] ** 2)), rel=1e-12)
    assert data.realised[5].iloc[-5:].isna().all() and data.realised[5].iloc[:-5].notna().all()
    assert data.realised[21].iloc[-21:].isna().all()
    assert np.allclose(data.realised_variance([100]), data.realised.iloc[[100]].to_numpy() ** 2)


def test_features_read_the_returns_up_to_their_date(prices, data):
    r = np.log(prices["adj_close"]).diff().to_numpy()
    t = 250
    row = data.features.iloc[t]
    assert row["return"] == pytest.approx(r[t]) and row["abs_return"] == pytest.approx(abs(r[t]))
    assert row["rv_weekly"] == pytest.approx(np.sqrt(252 * np.mean(r[t - 4 : t + 1] ** 2)))
    assert row["rv_monthly"] == pytest.approx(np.sqrt(252 * np.mean(r[t - 21 : t + 1] ** 2)))
    assert row["range"] == pytest.approx(np.log(prices["high"].iloc[t] / prices["low"].iloc[t]))
    assert data.features.iloc[:MONTH].isna().all().all() and data.features.iloc[MONTH:].notna().all().all()


def test_the_walk_forward_rows_are_the_dates_with_features_and_every_target(data):
    assert data.first_row == 22
    assert data.rows[0] == 22 and data.rows[-1] == 400 - 21 - 1
    assert np.array_equal(data.rows, np.arange(22, 379))


@pytest.mark.parametrize("end", [60, 200, 398])
def test_features_at_t_are_identical_whether_or_not_later_rows_exist(prices, data, end):
    truncated = volatility_data(prices.iloc[: end + 1], horizons=(5, 21))
    assert np.array_equal(truncated.features.to_numpy(), data.features.iloc[: end + 1].to_numpy(), equal_nan=True)
    known = truncated.realised.notna().to_numpy()
    assert np.array_equal(truncated.realised.to_numpy()[known], data.realised.iloc[: end + 1].to_numpy()[known])
    assert not known[-5:, 0].any()  # the last week's target is not known at the end


def test_without_high_and_low_the_range_feature_is_left_out_on_request(prices):
    closes = prices[["close"]]
    assert "range" not in volatility_data(closes, range_feature=False).features.columns
    with pytest.raises(DataError, match=r"the range feature reads the 'high' and 'low' columns, found close; .*"
                                        r"range_feature=False"):
        volatility_data(closes)


def test_the_adjusted_close_is_the_one_traded():
    prices = synthetic_market(100, seed=1)
    prices["adj_close"] = prices["close"] * np.linspace(0.5, 1.0, 100)
    data = volatility_data(prices)
    assert data.features["return"].iloc[50] == pytest.approx(np.log(prices["adj_close"].iloc[50] / prices["adj_close"].iloc[49]))


@pytest.mark.parametrize(("horizons", "message"), [
    (0, r"horizons\[0\]: expected an integer >= 1, got 0\."),
    ((5, -1), r"horizons\[1\]: expected an integer >= 1, got -1\."),
    ((5, 5), r"horizons: expected distinct horizons, got \[5, 5\]"),
    ((), r"horizons: expected one or more horizons"),
    ("5", r"horizons: expected one or more horizons"),
])
def test_bad_horizons_are_named(horizons, message):
    with pytest.raises(ParameterError, match=message):
        check_horizons(horizons)


def test_horizons_are_sorted_and_whole_floats_from_r_accepted():
    assert check_horizons([21.0, 5]) == (5, 21)


def test_a_non_positive_close_is_named_by_its_date(prices):
    bad = prices.copy()
    bad.iloc[30, bad.columns.get_loc("adj_close")] = 0.0
    with pytest.raises(DataError, match=r"^prices: the close of 2000-02-14 is 0\.0; expected a finite positive price\.$"):
        volatility_data(bad)
    bad = prices.copy()
    bad.iloc[31, bad.columns.get_loc("low")] = -1.0
    with pytest.raises(DataError, match=r"^prices: the low of 2000-02-15 is -1\.0; expected a finite positive price\."):
        volatility_data(bad)


def test_too_short_a_history_for_the_features_and_the_longest_target_is_named(prices):
    with pytest.raises(DataError, match=r"prices: 40 dates, but features over 22 returns and a 21-day target need at "
                                        r"least 44; supply a longer history"):
        volatility_data(prices.iloc[:40])
