"""compute_features: shape, no look-ahead, hand-checked values and degenerate windows."""

import numpy as np
import pandas as pd
import pytest
import talib

from pyanalytics.errors import DataError
from pyanalytics.finance import load_prices, random_walk, synthetic_market
from pyanalytics.finance.features import FeatureSpec, compute_features

def frame(close, volume=None) -> pd.DataFrame:
    """A minimal prices frame from a close series (and an optional volume)."""
    close = np.asarray(close, dtype=float)
    volume = np.full(len(close), 1e6) if volume is None else np.asarray(volume, dtype=float)
    index = pd.bdate_range("2001-01-01", periods=len(close), name="date")
    return pd.DataFrame({"close": close, "volume": volume}, index=index)


@pytest.fixture(scope="module")
def prices():
    return synthetic_market(300, signal_strength=0.5, seed=11)


@pytest.fixture(scope="module")
def features(prices):
    return compute_features(prices)


def test_output_has_the_index_columns_and_dtype_of_the_spec(prices, features):
    assert features.index.equals(prices.index)
    assert tuple(features.columns) == FeatureSpec().names
    assert (features.dtypes == np.float64).all()


def test_features_at_t_never_depend_on_rows_after_t():
    prices = synthetic_market(300, signal_strength=0.5, seed=5)
    prices.iloc[100:130, prices.columns.get_loc("close")] = prices["close"].iloc[99]  # flat bars
    prices.iloc[150, prices.columns.get_loc("volume")] = 0.0
    full = compute_features(prices).to_numpy()
    for t in range(len(prices)):
        truncated = compute_features(prices.iloc[: t + 1]).to_numpy()
        assert np.array_equal(truncated[t], full[t], equal_nan=True), f"row {t} sees the future"


def test_log_returns_match_numpy(prices, features):
    close = prices["close"].to_numpy()
    for k in (1, 2, 3, 5, 10, 20):
        assert np.isnan(features[f"ret_{k}"].to_numpy()[:k]).all()
        for t in (k, 77, 299):
            expected = np.log(close[t] / close[t - k])
            assert features[f"ret_{k}"].iloc[t] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_ma_ratio_matches_a_pandas_rolling_mean(prices, features):
    for n in (5, 10, 20, 50):
        expected = prices["close"] / prices["close"].rolling(n).mean() - 1
        np.testing.assert_allclose(features[f"ma_ratio_{n}"], expected, rtol=1e-9, atol=1e-12)


def test_volatility_is_the_population_std_of_log_returns(prices, features):
    expected = np.log(prices["close"]).diff().rolling(20).std(ddof=0)
    np.testing.assert_allclose(features["volatility_20"], expected, rtol=1e-7, atol=1e-12)


def test_rsi_of_a_strictly_rising_series_is_100():
    rsi = compute_features(frame(np.linspace(10.0, 40.0, 80)))["rsi_14"]
    assert rsi.iloc[:14].isna().all()
    assert (rsi.iloc[14:] == 100.0).all()


def test_rsi_of_a_strictly_falling_series_is_0():
    rsi = compute_features(frame(np.linspace(40.0, 10.0, 80)))["rsi_14"]
    assert (rsi.iloc[14:] == 0.0).all()


def test_macd_is_talib_macd_divided_by_the_price(prices, features):
    close = prices["close"].to_numpy()
    for name, line in zip(("macd", "macd_signal", "macd_hist"), talib.MACD(close, 12, 26, 9)):
        np.testing.assert_array_equal(features[name].to_numpy(), line / close)


def test_percent_b_matches_a_pandas_band(prices, features):
    close = prices["close"]
    middle, std = close.rolling(20).mean(), close.rolling(20).std(ddof=0)
    expected = (close - (middle - 2 * std)) / (4 * std)
    np.testing.assert_allclose(features["bollinger_pctb_20"], expected, rtol=1e-7, atol=1e-9)


def test_percent_b_of_a_close_on_the_middle_band_is_one_half():
    closes = [90.0] * 30 + [101.0, 99.0] * 8 + [104.0, 96.0, 100.0, 100.0]  # last 20 average 100
    pctb = compute_features(frame(closes))["bollinger_pctb_20"]
    assert pctb.iloc[-1] == pytest.approx(0.5, abs=1e-12)
    assert pctb.iloc[-3] < 0.5 < pctb.iloc[-2]


def test_volume_zscore_matches_a_pandas_rolling_zscore(prices, features):
    log_volume = np.log1p(prices["volume"])
    mean, std = log_volume.rolling(20).mean(), log_volume.rolling(20).std(ddof=0)
    expected = (log_volume - mean) / std
    np.testing.assert_allclose(features["volume_z_20"], expected, rtol=1e-7, atol=1e-9)


def test_flat_windows_give_neutral_values_not_nan():
    features = compute_features(frame(np.full(80, 50.0), np.full(80, 3e5)))
    after = features.iloc[FeatureSpec().warmup :]
    assert (after["bollinger_pctb_20"] == 0.5).all()
    assert (after["volume_z_20"] == 0.0).all()
    assert (after["volatility_20"] == 0.0).all()
    assert np.isfinite(after.to_numpy()).all()


def test_a_flat_window_is_neutral_even_when_talib_rounds_its_std_above_zero():
    history = np.exp(np.random.default_rng(187).normal(0.0, 3.0, 100))
    close = np.r_[history, np.full(20, 1.0)]
    assert talib.STDDEV(close, 20, 1.0)[-1] > 0  # the round-off the flat-window rule handles
    assert compute_features(frame(close))["bollinger_pctb_20"].iloc[-1] == 0.5


def test_price_adj_close_reads_the_adjusted_column(prices):
    spec = FeatureSpec(price="adj_close")
    adjusted = prices.assign(adj_close=prices["close"] * np.linspace(0.5, 1.0, len(prices)))
    expected = compute_features(adjusted.assign(close=adjusted["adj_close"]))
    pd.testing.assert_frame_equal(compute_features(adjusted, spec), expected)
    assert not compute_features(adjusted, spec).equals(compute_features(adjusted))


def test_a_missing_volume_column_names_volume_and_the_feature(prices):
    with pytest.raises(DataError, match="'volume'.*volume_z_20"):
        compute_features(prices.drop(columns="volume"))
    spec = FeatureSpec(volume_window=None)
    assert "volume_z_20" not in compute_features(prices.drop(columns="volume"), spec)


def test_a_missing_price_column_raises_data_error(prices):
    with pytest.raises(DataError, match="'adj_close'"):
        compute_features(prices.drop(columns="adj_close"), FeatureSpec(price="adj_close"))
    with pytest.raises(DataError, match="DataFrame"):
        compute_features(prices["close"])


def test_rows_shorter_than_the_warmup_are_all_incomplete():
    features = compute_features(random_walk(30, seed=1))
    assert features.shape == (30, len(FeatureSpec().names))
    assert features["ma_ratio_50"].isna().all()


def test_real_prices_have_no_nan_or_inf_after_the_warmup(aapl_path):
    prices = load_prices(aapl_path)
    assert (prices["volume"] == 0).any()  # the case this test is about
    for spec in (FeatureSpec(), FeatureSpec(price="adj_close")):
        after = compute_features(prices, spec).iloc[spec.warmup :].to_numpy()
        assert np.isfinite(after).all()
