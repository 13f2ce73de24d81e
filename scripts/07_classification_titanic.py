"""Course example 7: Titanic survival with the course's 100-100-1 network and its improved variant.

Steps: read the passengers, drop the identifier-like columns (PassengerId, Name, Ticket, Cabin:
each named), impute missing ages from the training part with an indicator, one-hot the
categories, split seeded and stratified (20 % test, 20 % of the rest for validation, as in the
course), fit the plain 100-100-1 sigmoid network and the improved one (Dense, BatchNormalization,
ReLU, Dropout per layer), and judge accuracy and ROC AUC next to the majority class and a
logistic regression.

Run:  .venv/bin/python scripts/07_classification_titanic.py
"""

from pyanalytics.models import COURSE_STACKS
from pyanalytics.settings import data_dir
from pyanalytics.tabular import train_tabular

path = data_dir() / "tabular" / "titanic_train.csv"
for stack in ("titanic", "titanic_improved"):
    result = train_tabular(path, "Survived", task="binary", seed=0, validation=0.2, test=0.2, **COURSE_STACKS[stack])
    if stack == "titanic":
        print(f"{path.name}: " + ", ".join(f"{name} {rows} rows" for name, rows in result.parts.items()))
        print("\n".join(result.notes))
    print(f"\n{stack} {COURSE_STACKS[stack]}: best epoch {result.estimator.best_epoch_}; test part:")
    print(result.metrics_table()[["accuracy", "roc_auc", "pr_auc", "f1"]].round(3).to_string())
    print(result.verdict.sentence)
