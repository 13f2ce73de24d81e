"""Course example 1: will Apple close higher tomorrow? A three-Dense-layer DNN, honestly judged.

Steps, as in the course: load prices, compute technical features, label tomorrow's direction,
split chronologically into train / validation / test (with a purge gap), fit the DNN with early
stopping on the validation loss, and compare it on the test part with naive baselines.

Run:  .venv/bin/python scripts/01_dnn_stock_trend.py
"""

from pyanalytics.evaluation import compare_models, metrics_table
from pyanalytics.finance import load_prices, synthetic_market
from pyanalytics.finance.features import FeatureSpec, build_dataset
from pyanalytics.models import BASELINES, DNNClassifier
from pyanalytics.settings import price_file
from pyanalytics.splits import chronological_split

HORIZON = 1  # predict the direction from today's close to the next close

# 1. Prices: the real Apple history when the shared data is present, else a synthetic market.
path = price_file("AAPL")
prices = load_prices(path) if path.is_file() else synthetic_market(3000, signal_strength=1.0)
print(f"{len(prices):,} days of prices, {prices.index[0].date()} to {prices.index[-1].date()}")

# 2. Features at each date use only prices up to that date; the label looks HORIZON days ahead.
data = build_dataset(prices, FeatureSpec(), horizon=HORIZON)
X, y = data.X[data.labelled], data.y[data.labelled].astype(int)
print(f"{X.shape[1]} features: {', '.join(X.columns)}")

# 3. Chronological split, dropping HORIZON rows between parts so no label peeks into the next.
split = chronological_split(len(X), validation=0.15, test=0.15, gap=HORIZON)
X_train, y_train = X.iloc[split.train], y.iloc[split.train]
X_val, y_val = X.iloc[split.validation], y.iloc[split.validation]
X_test, y_test = X.iloc[split.test], y.iloc[split.test]
for name, part in (("train", X_train), ("validation", X_val), ("test", X_test)):
    print(f"{name:>10}: {part.index[0].date()} .. {part.index[-1].date()} ({len(part):,} rows)")

# 4. The DNN scales with training statistics only and stops when validation loss stops improving.
dnn = DNNClassifier(hidden_units=(64, 32), dropout=0.2, epochs=50, patience=5, seed=0)
dnn.fit(X_train, y_train, validation_data=(X_val, y_val))
print(f"stopped early: best epoch {dnn.best_epoch_} of {len(dnn.history_['loss'])} run")

# 5. Test metrics next to naive baselines fitted on the same training rows.
models = {"dnn": dnn, **{name: cls().fit(X_train, y_train) for name, cls in BASELINES.items()}}
table = metrics_table(compare_models(models, X_test, y_test))
print(table.round(3).to_string())
