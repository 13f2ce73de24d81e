"""Course example 12: forecasting volatility, the part of a price series that is predictable, and using it.

Steps, for Apple and Microsoft: compute daily log returns of the adjusted close; the target at
each date is the realised volatility of the next 5 and of the next 21 days (annualised). Cut the
history into 5 consecutive test blocks; for each block fit four forecasters on everything before
it (a purge gap of 21 days apart, so no training target reaches into the block) and forecast every
date of the block from prices up to that date:

- an LSTM over windows of 22 days of returns, absolute returns, weekly and monthly realised
  volatility and the daily range, trained on the log realised variance of both horizons;
- HAR-RV: least squares on the daily, weekly and monthly realised volatility;
- EWMA: RiskMetrics' exponentially weighted variance (decay 0.94);
- GARCH(1,1) (the arch package): parameters fitted per fold, then fixed and run through the block.

Score the stitched forecasts by MSE and QLIKE on the variance (QLIKE weighs calm and turbulent
years alike), judge the LSTM against the best of the others, and use the forecasts: hold the
stock always long, scaled each day to 10 % annual volatility by each model's 5-day forecast
(leverage at most 2), beside the unscaled position.

Run:  .venv/bin/python scripts/12_volatility.py [EPOCHS]
"""

import sys

import pandas as pd

from pyanalytics.finance import garch_market, load_prices
from pyanalytics.finance.volatility import walk_forward_volatility
from pyanalytics.finance.volatility_targeting import volatility_targeting
from pyanalytics.settings import price_file

EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
pd.set_option("display.width", 140)

# 1. Prices: the real histories when present, else two seeded GARCH markets.
prices = {}
for seed, ticker in enumerate(("AAPL", "MSFT")):
    path = price_file(ticker)
    prices[ticker] = load_prices(path) if path.is_file() else garch_market(4000, seed=seed)
    print(f"{ticker}: {len(prices[ticker]):,} days, {prices[ticker].index[0].date()} to {prices[ticker].index[-1].date()}")


# 2. Walk-forward; on_fold reports each fold as it finishes (the library itself never prints).
def on_fold(fold, n_folds, row):
    qlike = "  ".join(f"{key[6:]} {value:.3f}" for key, value in row.items() if key.startswith("qlike_"))
    print(f"  fold {fold}/{n_folds}: trained to {row['train_end'].date()}, tested {row['test_start'].date()}.."
          f"{row['test_end'].date()}; 5-day QLIKE {qlike}")


tables = {}
for ticker, frame in prices.items():
    print(f"\n{ticker}: walk-forward over 5 folds")
    result = walk_forward_volatility(frame, horizons=(5, 21), n_folds=5, seed=0, lstm_params={"epochs": EPOCHS},
                                     on_fold=on_fold)
    # 3. The stitched forecasts scored on the variance, and the verdict on the LSTM.
    table = result.table()
    tables[ticker] = table.pivot(index="model", columns="horizon", values=["mse", "qlike"]).loc[list(result.models)]
    print(f"\n{ticker}: MSE and QLIKE of the annualised variance on {table['n'].iloc[0]:,} dates per horizon "
          "(lower is better)")
    print(tables[ticker].to_string(float_format=lambda v: f"{v:.4f}"))
    for sentence in result.verdict_sentences():
        print(f"  {sentence}")
    # 4. Use the forecasts: always long, scaled to 10 % annual volatility, beside the unscaled position.
    targeting = volatility_targeting(result, frame, target_volatility=0.10, max_leverage=2.0, cost_bps=5.0)
    print(f"\n{ticker}: always long, scaled to 10% annual volatility by each model's 5-day forecast (5 bp costs)")
    print(targeting.table().to_string(float_format=lambda v: f"{v:.3f}"))

# 5. Both tickers side by side: QLIKE per model and horizon.
both = pd.concat({ticker: table["qlike"] for ticker, table in tables.items()}, axis=1)
print("\nQLIKE, both tickers (columns: ticker, horizon in days):")
print(both.to_string(float_format=lambda v: f"{v:.3f}"))
