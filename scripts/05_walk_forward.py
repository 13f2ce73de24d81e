"""Course example 5: would the DNN have paid, retrained year after year? Walk-forward on Apple and Microsoft.

Steps: cut each ticker's labelled history into 5 consecutive test blocks; for each block retrain
the DNN (and the naive baselines) on everything before it, holding the last 15% of that past out
for early stopping, with a purge gap before the validation rows and before the block; predict
the block; stitch the five blocks into one out-of-sample series; score it beside the baselines;
and trade it (long when the model says up, flat otherwise, 5 bp per unit of turnover) against
buy-and-hold on the same days. Then the equal-weight portfolio of both strategies on their common
dates, and one HTML report with the equity curves, drawdowns, folds and SHAP importance per fold.

Run:  .venv/bin/python scripts/05_walk_forward.py [REPORT.html]
"""

import sys

from pyanalytics.finance import load_prices, synthetic_market
from pyanalytics.finance.reports import write_walk_forward_report
from pyanalytics.finance.universe import walk_forward_many
from pyanalytics.settings import price_file

FOLDS = 5


def on_task(key, done, total, status):
    """Step 2's progress: each (ticker, fold) fit as it ends (the library itself never prints)."""
    print(f"  {key}: {status} ({done}/{total})")


def main(out: str) -> None:
    # 1. Prices: the real Apple and Microsoft histories when present, else two synthetic markets.
    prices = {}
    for seed, ticker in enumerate(("AAPL", "MSFT")):
        path = price_file(ticker)
        prices[ticker] = load_prices(path) if path.is_file() else synthetic_market(4000, signal_strength=0.5, seed=seed)
        print(f"{ticker}: {len(prices[ticker]):,} days, {prices[ticker].index[0].date()} to {prices[ticker].index[-1].date()}")

    # 2. Retrain per fold, each fold a task of a local process pool (one per core).
    multi = walk_forward_many(prices, model="dnn", folds=FOLDS, seed=0, mode="long_flat", cost_bps=5.0,
                              explain=True, on_task=on_task)
    for ticker, result in multi.results.items():
        for row in result.folds.itertuples():
            print(f"  {ticker} fold {row.fold}: trained to {row.train_end.date()}, early-stopped on dates to "
                  f"{row.validation_end.date()}, tested {row.test_start.date()}..{row.test_end.date()}, AUC "
                  f"{row.roc_auc:.3f} (best baseline {row.best_baseline} {row.best_baseline_auc:.3f}), best epoch "
                  f"{row.best_epoch}")

    # 3. Out-of-sample metrics of the stitched predictions, beside the baselines, per ticker.
    for ticker, result in multi.results.items():
        metrics = {name: {k: m[k] for k in ("roc_auc", "accuracy", "brier")} for name, m in result.metrics.items()}
        print(f"\n{ticker}: {len(result.predictions):,} out-of-sample dates")
        for name, values in metrics.items():
            print(f"  {name:<20} " + "  ".join(f"{k} {v:.3f}" for k, v in values.items()))
        columns = ["fold", "test_start", "test_end", "roc_auc", "strategy_return", "buy_and_hold_return"]
        print(f"  per fold:\n{result.folds[columns].to_string(index=False, float_format='%.3f')}")
        print("  backtest (strategy against buy-and-hold on the same days):")
        print(result.backtest.table().loc[["annual_return", "sharpe", "max_drawdown", "exposure", "n_trades"]].to_string())
        print(f"  most important feature per fold: {list(result.importance.idxmax(axis=1))}")

    # 4. One row per ticker, and both strategies held in equal weights on their common dates.
    print("\n" + multi.summary_table().round(3).to_string(index=False))
    _, portfolio = multi.portfolio()
    for side, stats in portfolio.items():
        print(f"equal-weight {side}: Sharpe {stats['sharpe']:.2f}, annual {stats['annual_return']:.1%}, "
              f"max drawdown {stats['max_drawdown']:.1%} ({stats['start']}..{stats['end']})")

    print(f"\nReport written to {write_walk_forward_report(out, multi)}")


if __name__ == "__main__":  # the local engine's spawned workers import this file: run only as a script
    main(sys.argv[1] if len(sys.argv) > 1 else "walk_forward_report.html")
