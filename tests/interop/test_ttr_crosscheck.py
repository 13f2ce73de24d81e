"""The Python indicators (TA-Lib) agree with R's TTR on Apple's prices, called through the bridge.

Where the definitions match, the features agree to 1e-8 from the first row both define; the
definitions that differ (see README, "Indicators vs R's TTR"):

- RSI(14): TTR::RSI's default moving average is Wilder's EMA (``maType = "EMA"`` with
  ``wilder = TRUE``) seeded with the simple mean of the first 14 changes, as TA-Lib's. Both
  leave 14 NaN rows.
- SMA ratios: ``close / TTR::SMA(close, n) - 1``; both leave n - 1 NaN rows.
- MACD(12, 26, 9): TTR's EMAs are each seeded with the mean of their own first n prices, so its
  line starts at row 25 and its signal at row 33; TA-Lib seeds the fast EMA 14 rows later, so
  both start together at row 33. The seeding difference decays by 11/13 a day (8/10 for the
  signal): on Apple it is below 1e-8 from row ~90, and compared from row ``MACD_SETTLED``. Our
  features divide the line, signal and histogram by the close: the raw lines are compared.
  ``percent = FALSE`` asks TTR for price differences, not percentages.
- Bollinger %B(20, 2): ``TTR::BBands(close, 20, "SMA", 2)`` uses the population standard
  deviation (``sample = FALSE``), as TA-Lib; both leave 19 NaN rows. Our %B is 0.5 where the
  20 prices are all equal (TTR's is NaN, 0 / 0); Apple has no such window.
"""

import numpy as np
import pytest

from pyanalytics.finance.features import compute_features
from pyanalytics.interop.rpy2_bridge import call_r

pytestmark = pytest.mark.usefixtures("ttr")

TOLERANCE = 1e-8
MACD_SETTLED = 200  # rows after which TA-Lib's and TTR's differently seeded EMAs agree


@pytest.fixture(scope="module")
def features(aapl):
    return compute_features(aapl)


def assert_agree(ours, theirs, warmup: int, start: int | None = None):
    """Both NaN for exactly the first ``warmup`` rows, then equal to TOLERANCE from ``start``."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    assert np.isnan(ours[:warmup]).all() and not np.isnan(ours[warmup:]).any()
    assert np.isnan(theirs[:warmup]).all() and not np.isnan(theirs[warmup:]).any()
    assert np.abs(ours - theirs)[warmup if start is None else start:].max() <= TOLERANCE


def test_rsi_matches_ttr_wilder_rsi(aapl, features):
    assert_agree(features["rsi_14"], call_r("TTR::RSI", aapl["close"], n=14), warmup=14)


@pytest.mark.parametrize("n", [5, 10, 20, 50])
def test_moving_average_ratios_match_ttr_sma(aapl, features, n):
    close = aapl["close"]
    assert_agree(features[f"ma_ratio_{n}"], close / call_r("TTR::SMA", close, n=n) - 1, warmup=n - 1)


def test_macd_matches_ttr_once_the_seeds_are_forgotten(aapl, features):
    close = aapl["close"]
    theirs = call_r("TTR::MACD", close, nFast=12, nSlow=26, nSig=9, maType="EMA", percent=False)
    assert theirs["macd"].isna().sum() == 25 and theirs["signal"].isna().sum() == 33
    theirs.iloc[:33] = np.nan  # TA-Lib starts the three together
    ours = features[["macd", "macd_signal", "macd_hist"]].mul(close, axis=0)  # undo the division
    assert_agree(ours["macd"], theirs["macd"], warmup=33, start=MACD_SETTLED)
    assert_agree(ours["macd_signal"], theirs["signal"], warmup=33, start=MACD_SETTLED)
    assert_agree(ours["macd_hist"], theirs["macd"] - theirs["signal"], warmup=33, start=MACD_SETTLED)
    assert np.abs(ours["macd"] - theirs["macd"]).iloc[33] > TOLERANCE  # the seeds do differ


def test_bollinger_percent_b_matches_ttr_bbands(aapl, features):
    bands = call_r("TTR::BBands", aapl["close"], n=20, maType="SMA", sd=2)
    assert list(bands.columns) == ["dn", "mavg", "up", "pctB"] and bands.index.equals(aapl.index)
    assert_agree(features["bollinger_pctb_20"], bands["pctB"], warmup=19)
