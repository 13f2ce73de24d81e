"""Backtest throughput: ``backtest_matrix`` over 1,000 tickers x 2,520 days of random signals,
and one ``backtest()`` of a random signal on Apple (or the synthetic stand-in).

Run with ``python -m benchmarks.bench_backtest``; writes ``benchmarks/results/backtest.json``.

The kernel is timed on held long/short positions made from random 1/0 signals (with
``positions_from_signals``, untimed) with 5 bps of costs, best of ``REPEATS``; the target applies
to it. The single-series figure is the median of ``CALLS`` calls, checks and frames included.
"""

import statistics
import time

import numpy as np
import pandas as pd

from benchmarks._common import latencies_ms, load_market
from benchmarks._results import row, write_results
from pyanalytics.finance.backtest import backtest, backtest_matrix, positions_from_signals

N_TICKERS = 1000
N_DAYS = 2520
REPEATS = 5
CALLS = 200
COST_BPS = 5.0


def kernel_seconds() -> float:
    """Best wall time of ``backtest_matrix`` on the random panel."""
    rng = np.random.default_rng(0)
    signals = rng.integers(0, 2, (N_DAYS, N_TICKERS)).astype(np.float64)
    positions = positions_from_signals(signals, mode="long_short")
    returns = rng.normal(0.0003, 0.015, (N_DAYS, N_TICKERS))
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        backtest_matrix(positions, returns, cost_bps=COST_BPS)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    seconds = kernel_seconds()
    ticker_days = N_TICKERS * N_DAYS
    rate = ticker_days / seconds
    prices, label = load_market()
    signal = pd.Series(np.random.default_rng(1).integers(0, 2, len(prices)), index=prices.index)
    single = statistics.median(
        latencies_ms(lambda: backtest(signal, prices, mode="long_short", cost_bps=COST_BPS), warmup=5, calls=CALLS)
    )
    write_results(
        "backtest",
        [
            row("backtest_ticker_days_per_second", round(rate), "ticker-days/s", ">= 10000000"),
            row("backtest_matrix_seconds", round(seconds, 4), "s", None),
            row("backtest_ticker_days", ticker_days, "ticker-days", None),
            row(f"backtest_single_{label}_median_ms", round(single, 3), "ms", None),
            row(f"backtest_single_{label}_days", len(prices) - 1, "days", None),
        ],
    )
    print(
        f"backtest: {rate:,.0f} ticker-days/s ({N_TICKERS:,} tickers x {N_DAYS:,} days in {seconds:.3f} s, "
        f"best of {REPEATS}); one backtest() on {label} ({len(prices) - 1:,} days) {single:.2f} ms median"
    )


if __name__ == "__main__":
    main()
