"""Prices that are valid but suspect: the caller decides, the CLI shows the DataWarning's one line."""

from __future__ import annotations

import numpy as np
import pandas as pd

ADJ_CLOSE_GAP = 0.05


def adj_close_mismatch(prices: pd.DataFrame, label: str) -> str | None:
    """A one-line warning when ``adj_close`` jumps on days ``close`` does not, else None.

    Yahoo's ``Close`` is split-adjusted and ``Adj Close`` also dividend-adjusted, so their daily
    log returns differ by a dividend yield (rarely above 5%). A larger gap is an adjustment that
    does not match the closes. Features and labels use ``close``; the backtest books
    ``adj_close`` returns, so the gap reaches its results.
    """
    if "adj_close" not in prices.columns or len(prices) < 2:
        return None
    gap = np.abs(np.diff(np.log(prices["adj_close"].to_numpy())) - np.diff(np.log(prices["close"].to_numpy())))
    days = prices.index[1:][gap > ADJ_CLOSE_GAP]
    if len(days) == 0:
        return None
    shown = ", ".join(day.strftime("%Y-%m-%d") for day in days[:3]) + (", ..." if len(days) > 3 else "")
    return (
        f"{label}: adj_close moves apart from close by more than {ADJ_CLOSE_GAP:.0%} on "
        f"{len(days):,} day(s) ({shown}): an adjustment that does not match the closes. Features "
        "and labels use close; the backtest books adj_close returns. Check those dates, or drop "
        "the Adj Close column to backtest on close."
    )
