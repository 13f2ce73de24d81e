"""Course example 13: does the DNN work across the market, not just on Apple? A universe walk-forward.

Steps: take 20 tickers of the shared universe (real Yahoo exports: reverse splits, Open = 0
rows, short histories) as a list of files; cut each ticker's history into 3 walk-forward folds
and retrain the DNN per fold, each (ticker, fold) fit a task of a local process pool (one per
core, one TensorFlow thread each), a file that cannot be read set aside with its reason. Beside
one model per ticker, one DNN pooled across the tickers (features standardised across them each
day) trades a daily long-short portfolio of its ranks against the equal-weight buy-and-hold.
With 20 strategies tried some look significant by luck: count the discoveries after the
Benjamini-Hochberg correction and deflate the best Sharpe ratio for the number tried.

Run:  .venv/bin/python scripts/13_universe.py [EPOCHS]
"""

import sys

from pyanalytics.finance.universe import walk_forward_many
from pyanalytics.settings import data_dir


def on_task(key, done, total, status):
    print(f"  {key}: {status} ({done}/{total})")


def main(epochs: int) -> None:
    files = sorted((data_dir() / "universe").glob("*.csv"))[:20]
    multi = walk_forward_many(files, model="dnn", folds=3, seed=0, engine="local", on_task=on_task,
                              model_params={"epochs": epochs})

    print(f"\n{len(multi.results)} tickers run, {len(multi.skipped)} set aside")
    for ticker, reason in multi.skipped.items():
        print(f"  {ticker}: {reason}")
    print("\nAcross the tickers:\n" + multi.distribution().round(3).to_string())
    significance = multi.significance()
    print(f"\nDiscoveries at a 5% false discovery rate (Benjamini-Hochberg): {int(significance['discovery'].sum())} of "
          f"{len(significance)}\n" + significance.round(4).to_string())
    dsr = multi.deflated_sharpe()
    print(f"Best of {dsr['n_trials']} strategies: {dsr['strategy']}, Sharpe {dsr['sharpe_annual']:.2f}; deflated "
          f"Sharpe ratio {dsr['dsr']:.3f}")
    if multi.cross_section is not None:
        for side, stats in multi.cross_section.stats.items():
            print(f"cross-section {side}: Sharpe {stats['sharpe']:.2f}, annual {stats['annual_return']:.1%}, "
                  f"max drawdown {stats['max_drawdown']:.1%} ({stats['start']}..{stats['end']})")


if __name__ == "__main__":  # the local engine's spawned workers import this file: run only as a script
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
