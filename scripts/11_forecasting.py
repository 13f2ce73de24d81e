"""Course example 11: multi-step forecasting with an LSTM, walk-forward, on two series with known answers.

Forecasting is regression where the order of the observations matters. The LSTM reads a window of
the last ``--window`` values and forecasts the next ``--horizon`` at once (direct multi-step, one
output per horizon), learning the 0.1, 0.5 and 0.9 quantiles so that the outer two are an 80%
prediction interval. Beside it: naive (the last value), seasonal naive (the value one period ago)
and a linear autoregression on the window. Every model is scored by MASE, its mean absolute error
over the naive forecast's in-sample error (below 1: better than naive), overall and per horizon,
walk-forward: each fold trains on every row before its test block (less a purge gap of one
horizon) and forecasts the block.

Two seeded series from ``pyanalytics.data.synthetic_series``:

* ``seasonal_ar``: a planted season plus AR(1) noise. There is something to learn: the network and
  the linear AR should reach a MASE below 1, and the interval should cover about 80%.
* ``random_walk``: nothing to learn beyond the last value. No model should beat naive by more than
  noise; one that does has found a leak, not a signal.

By default the network forecasts the change from the last value in its window (the sequence
domain's default); ``--levels`` makes it read and forecast levels, which fails on the random walk
as soon as the walk leaves the range of values it was trained on.

Run:  .venv/bin/python scripts/11_forecasting.py [--rows 1200] [--folds 4] [--epochs 30] [--levels]
"""

import argparse

import numpy as np
import pandas as pd

from pyanalytics.data.synthetic_series import random_walk, seasonal_ar
from pyanalytics.sequence import walk_forward_forecast

PERIOD = 12
QUANTILES = (0.1, 0.5, 0.9)


def series(kind: str, rows: int) -> pd.DataFrame:
    values = seasonal_ar(rows, period=PERIOD, seed=0) if kind == "seasonal_ar" else random_walk(rows, seed=0)
    return pd.DataFrame({"time": pd.date_range("2024-01-01", periods=rows, freq="h"), "value": values})


def report(kind: str, args) -> None:
    run = walk_forward_forecast(series(kind, args.rows), "value", time_column="time", window=args.window,
                                horizon=args.horizon, period=PERIOD, quantiles=QUANTILES, relative=args.relative,
                                n_folds=args.folds,
                                epochs=args.epochs, learning_rate=1e-2, seed=0)
    folds = run.folds
    network = run.model_name
    print(f"\n== {kind}: {args.rows} hourly values, {args.folds} walk-forward folds of "
          f"{folds['windows'].iloc[0]} test windows, forecasting 1..{args.horizon} hours ahead ==")
    per_fold = folds.pivot(index="fold", columns="model", values="mase")[list(run.mean_metrics())]
    print("MASE per fold (below 1: better than the naive forecast's in-sample error):")
    print(per_fold.to_string(float_format=lambda v: f"{v:.3f}"))
    table = run.table()
    print("\nMean over the folds:")
    print(table.to_string(float_format=lambda v: f"{v:.3f}", na_rep=""))
    horizons = run.horizons.groupby(["model", "horizon"], sort=False)["mase"].mean().unstack("horizon")
    print("\nMASE per horizon (mean over the folds):")
    print(horizons.to_string(float_format=lambda v: f"{v:.2f}"))
    coverage = run.horizons[run.horizons["model"] == network].groupby("horizon")["coverage"].mean()
    nominal = QUANTILES[-1] - QUANTILES[0]
    print(f"\n{network} {nominal:.0%} interval coverage per horizon: "
          + " ".join(f"{value:.0%}" for value in coverage)
          + f" (overall {folds.loc[folds['model'] == network, 'coverage'].mean():.1%}, nominal {nominal:.0%})")
    print(run.verdict.sentence)
    best = table["mase"].drop(network).idxmin()
    edge = per_fold[network] - per_fold[best]
    print(f"Fold by fold, {network} minus {best} (the best baseline) in MASE: "
          + " ".join(f"{value:+.3f}" for value in edge)
          + f"; mean {edge.mean():+.3f}, standard error {edge.std(ddof=1) / np.sqrt(len(edge)):.3f}.")
    below = [name for name, value in table["mase"].items() if value < 1]
    print(f"MASE below 1 (better than the naive forecast's in-sample error): {', '.join(below) or 'none'}.")
    if kind == "random_walk":
        how = "the change from the last value in its window" if args.relative else "levels"
        print(f"On a random walk nothing should beat naive: {best} is the best baseline and the {network}, forecasting "
              f"{how}, is {'not better than it' if edge.mean() >= 0 else 'better by no more than the folds vary'}."
              + ("" if args.relative else f" Forecasting levels, its inputs and targets are scaled with the training "
                 "part's statistics, so its errors grow where the walk wanders outside the values it was trained on."))


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--rows", type=int, default=1200, help="hourly values per series")
parser.add_argument("--folds", type=int, default=4, help="walk-forward test blocks")
parser.add_argument("--window", type=int, default=24, help="hours per window (at least the period, 12)")
parser.add_argument("--horizon", type=int, default=6, help="hours ahead forecast")
parser.add_argument("--epochs", type=int, default=30, help="maximum epochs per fold")
parser.add_argument("--levels", dest="relative", action="store_false",
                    help="the network reads and forecasts levels, not the change from the window's last value")
args = parser.parse_args()
pd.set_option("display.width", 160)
for kind in ("seasonal_ar", "random_walk"):
    report(kind, args)
