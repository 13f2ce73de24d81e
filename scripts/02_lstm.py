"""Course example 2: an LSTM that reads the last 20 days, and a GRU as its cheaper sibling.

Steps, as in the course: load prices, compute technical features, label tomorrow's direction,
split chronologically into train / validation / test (with a purge gap), cut each part into
windows of 20 consecutive days that never reach back across the part's start, fit an LSTM and a
GRU with early stopping on the validation loss, and compare them on the test part with naive
baselines that see the same dates one day at a time.

Run:  .venv/bin/python scripts/02_lstm.py
"""

import time

import numpy as np

from pyanalytics.data.windows import model_inputs, usable_rows
from pyanalytics.evaluation import compare_models, metrics_table
from pyanalytics.finance import load_prices, synthetic_market
from pyanalytics.finance.features import FeatureSpec, build_dataset
from pyanalytics.models import BASELINES, GRUClassifier, LSTMClassifier
from pyanalytics.settings import price_file
from pyanalytics.splits import chronological_split

HORIZON = 1  # predict the direction from today's close to the next close
WINDOW = 20  # days of features per sample: the date predicted and the 19 before it

# 1. Prices: the real Apple history when the shared data is present, else a synthetic market.
path = price_file("AAPL")
prices = load_prices(path) if path.is_file() else synthetic_market(3000, signal_strength=1.0)
print(f"{len(prices):,} days of prices, {prices.index[0].date()} to {prices.index[-1].date()}")

# 2. Features at each date use only prices up to that date; the label looks HORIZON days ahead.
data = build_dataset(prices, FeatureSpec(), horizon=HORIZON)
labelled = np.flatnonzero(data.labelled)  # positions in data.X of the dates with a label
print(f"{data.X.shape[1]} features per day: {', '.join(data.X.columns)}")

# 3. Chronological split of the labelled dates, dropping HORIZON rows between parts. Within each
#    part keep only the dates whose whole window lies inside the part, so no window reaches back
#    into the purge gap or the previous part.
split = chronological_split(len(labelled), validation=0.15, test=0.15, gap=HORIZON)
rows = {}
for name, positions in split.parts().items():
    part = labelled[positions]
    rows[name] = usable_rows(part, WINDOW, first_row=part[0])

# 4. Each sample becomes a (timesteps, features) matrix: the time dimension is expanded, and a
#    part is a 3-D array (batch, timesteps, features), oldest day first, the predicted date last.
y_all = data.y.to_numpy()
parts = {name: (model_inputs(data.X, r, WINDOW), y_all[r].astype(int)) for name, r in rows.items()}
for name, (windows, labels) in parts.items():
    dates = data.X.index[rows[name]]
    print(f"{name:>10}: {dates[0].date()} .. {dates[-1].date()}  windows {windows.shape}  labels {labels.shape}")
(X_train, y_train), (X_val, y_val), (X_test, y_test) = parts["train"], parts["validation"], parts["test"]

# 5. The LSTM, then the GRU (two gates instead of three: fewer weights, usually faster). Both
#    scale with training statistics only and stop when validation loss stops improving.
models, seconds = {}, {}
for name, cls in (("lstm", LSTMClassifier), ("gru", GRUClassifier)):
    model = cls(units=(32,), epochs=20, patience=5, seed=0)
    start = time.perf_counter()
    model.fit(X_train, y_train, validation_data=(X_val, y_val))
    seconds[name] = time.perf_counter() - start
    models[name] = model
    print(
        f"{name.upper()}: fit in {seconds[name]:.1f} s, best epoch {model.best_epoch_} of "
        f"{len(model.history_['loss'])} run ({seconds[name] / len(model.history_['loss']):.2f} s per epoch)"
    )

# 6. Test metrics next to naive baselines fitted on the training dates, each seeing the same
#    test dates as single days.
days_train, days_test = data.X.iloc[rows["train"]], data.X.iloc[rows["test"]]
baselines = {name: cls().fit(days_train, y_train) for name, cls in BASELINES.items()}
results = {**compare_models(models, X_test, y_test), **compare_models(baselines, days_test, y_test)}
print(metrics_table(results).round(3).to_string())
