"""Course example 10: is a room occupied? An LSTM over the last half hour of sensor readings, beside
the baselines that are honest for a minute-level series.

UCI room occupancy (Candanedo and Feldheim 2016): temperature, humidity, light, CO2 and the humidity
ratio once a minute, and whether the room was occupied. The network reads the window of the last
``--window`` minutes ending at each minute and says whether the room is occupied at that minute. It
is trained on the training file (split by time into train and validation, with a purge gap) and
tested on both test files, each on its own, beside three baselines: the majority class, a logistic
regression on the window's last minute, and persistence, the label of the minute before. Persistence
is not a model anyone could deploy without the label, but it says how much of the task is simply
"the room stays as it was": for a minute-level sensor, nearly all of it. So the script also counts
the minutes where occupancy changes, where persistence is wrong by construction, and how many of
those the network gets right.

The first test file covers days before the training file (the note says so): it tests another
period, not the future. The bundle is saved (and the HTML report written) for `pyanalytics sequence
predict/evaluate` and R's `pa_load()`.

Run:  .venv/bin/python scripts/10_occupancy_rnn.py [--epochs N] [--window 30] [--model lstm|gru] [--out DIR]
"""

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.sequence import train_sequence_classifier
from pyanalytics.sequence.explain import explain_sequences
from pyanalytics.sequence.report import write_sequence_report
from pyanalytics.settings import data_dir

MODELS = ("majority_class", "last_step_logistic", "persistence")


def changes(result, name: str) -> tuple[int, int]:
    """The minutes of a test file whose label differs from the minute before (persistence misses every
    one), and how many of them the network classifies right."""
    test = result.test_sets[name]
    switched = np.flatnonzero(test.y[1:] != test.y[:-1]) + 1
    predicted = result.estimator.predict(test.X[switched])
    return len(switched), int((predicted == test.y[switched]).sum())


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--epochs", type=int, default=20, help="maximum epochs (early stopping on validation)")
parser.add_argument("--window", type=int, default=30, help="minutes per window")
parser.add_argument("--model", choices=("lstm", "gru"), default="lstm")
parser.add_argument("--out", type=Path, default=None, help="folder for the bundle and report (default: a temporary one)")
args = parser.parse_args()

folder = data_dir() / "timeseries"
result = train_sequence_classifier(
    folder / "occupancy_datatraining.txt", "Occupancy", time_column="date", window=args.window, model=args.model,
    max_gap="5min", test_data=[folder / "occupancy_datatest.txt", folder / "occupancy_datatest2.txt"],
    epochs=args.epochs, seed=0,
)
print(f"{args.model} over {args.window}-minute windows of {', '.join(result.preprocessing.feature_names)}; "
      f"trained on {result.parts['train']:,} windows, early stopping on {result.parts['validation']:,} "
      f"(best epoch {result.best_epoch}).")
for note in result.notes:
    print(f"note: {note}")

columns = [args.model, *MODELS]
for metric in ("accuracy", "roc_auc"):
    table = pd.DataFrame({name: {model: test.metrics[model][metric] for model in columns}
                          for name, test in result.test_sets.items()}).T
    table.index = [f"{name} ({len(test.times):,} windows)" for name, test in result.test_sets.items()]
    print(f"\nTest {metric.replace('_', ' ')}:")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))

print()
for name, test in result.test_sets.items():
    network, persistence = test.metrics[args.model]["accuracy"], test.metrics["persistence"]["accuracy"]
    switched, right = changes(result, name)
    beaten = "beats" if network > persistence else "does not beat"
    print(f"{name}: persistence (the label of the minute before) is right {persistence:.1%} of the time, because a room "
          f"rarely changes state from one minute to the next; the {args.model} ({network:.1%}) {beaten} it. At the "
          f"{switched} minutes where occupancy changes, persistence is wrong by construction; the {args.model} gets "
          f"{right} of them right.")
print("Verdict on the first test file:", result.verdict.sentence)

out = args.out or Path(tempfile.mkdtemp(prefix="occupancy-"))
out.mkdir(parents=True, exist_ok=True)
bundle = result.save(out / "occupancy.bundle")
explanations = {method: explain_sequences(result, method=method, n=3) for method in ("shap", "lime")}
report = write_sequence_report(result, out / "occupancy.html", explanations=explanations)
print(f"\nBundle: {bundle}  (pyanalytics sequence evaluate --model {bundle} --data {folder / 'occupancy_datatest2.txt'})")
print(f"Report: {report}  (both test files, SHAP and LIME on the last three windows of the first)")
