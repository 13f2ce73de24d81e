"""Course example 8: a softmax network over three classes (scikit-learn's bundled wine data).

Steps: take the 178 wines and their three cultivars (named, so predictions come back as names),
split seeded and stratified, fit a network whose output is a softmax over the classes (sparse
categorical cross-entropy), and judge accuracy, macro-F1 and log-loss on the test part next to
the majority class and a multinomial logistic regression. The confusion matrix follows.

Run:  .venv/bin/python scripts/08_multiclass_softmax.py
"""

import pandas as pd
from sklearn.datasets import load_wine

from pyanalytics.tabular import train_tabular

wine = load_wine(as_frame=True)
frame = wine.frame.assign(target=wine.frame["target"].map(dict(enumerate(wine.target_names))))
result = train_tabular(frame, "target", seed=0, hidden_units=(16,))
print(f"wine: {len(frame)} rows, {frame.shape[1] - 1} features, classes {result.preprocessing.classes}; "
      + ", ".join(f"{name} {rows} rows" for name, rows in result.parts.items()))
print(f"output layer: {result.estimator.network_.layers[-1].get_config()['activation']}; test part:")
print(result.metrics_table().round(3).to_string())
print(result.verdict.sentence)
dnn = result.metrics["dnn"]
classes = [str(c) for c in result.preprocessing.classes]
print("confusion matrix (rows: true, columns: predicted):")
print(pd.DataFrame(dnn["confusion"], index=classes, columns=classes).to_string())
