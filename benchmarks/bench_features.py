"""Feature throughput: compute_features once per ticker over 500 synthetic tickers x 2520 days.

Run with ``python -m benchmarks.bench_features``; writes ``benchmarks/results/features.json``.
"""

import time

from benchmarks._results import row, write_results
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.features import FeatureSpec, compute_features

N_TICKERS = 500
N_DAYS = 2520
REPEATS = 3


def best_seconds(markets, spec: FeatureSpec) -> float:
    """Best wall time of ``REPEATS`` passes computing the features of every market."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for prices in markets:
            compute_features(prices, spec)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    markets = [synthetic_market(N_DAYS, signal_strength=0.5, seed=s) for s in range(N_TICKERS)]
    seconds = best_seconds(markets, FeatureSpec())
    n_rows = N_TICKERS * N_DAYS
    rate = n_rows / seconds
    write_results(
        "features",
        [
            row("features_rows_per_second", round(rate), "rows/s", ">= 1000000"),
            row("features_rows", n_rows, "rows", None),
            row("features_seconds", round(seconds, 4), "s", None),
        ],
    )
    print(f"features: {rate:,.0f} rows/s ({n_rows:,} rows in {seconds:.3f} s, best of {REPEATS})")


if __name__ == "__main__":
    main()
