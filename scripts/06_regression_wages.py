"""Course example 6: hourly wages with the course's regression network (Dense 10, Dense 5, Dense 1).

Steps: read the wages table, split it seeded and stratified (on deciles of the wage) into train,
validation and test, fit the preprocessing on the training part only, fit the 10-5-1 network
with mean squared error and early stopping, and judge MAE, RMSE and R² on the test part next to
the training mean and a ridge (linear) regression.

Run:  .venv/bin/python scripts/06_regression_wages.py
"""

from pyanalytics.models import COURSE_STACKS
from pyanalytics.settings import data_dir
from pyanalytics.tabular import train_tabular

path = data_dir() / "tabular" / "hourly_wages.csv"
result = train_tabular(path, "wage_per_hour", task="regression", seed=0, **COURSE_STACKS["wages"])
print(f"{path.name}: " + ", ".join(f"{name} {rows} rows" for name, rows in result.parts.items()))
print(f"best epoch {result.estimator.best_epoch_}; test part:")
table = result.metrics_table()
print(table.round(3).to_string())
print(result.verdict.sentence)
dnn, ridge = table.loc["dnn"], table.loc["ridge"]
if dnn["rmse"] < ridge["rmse"] * 0.98:
    print(f"The network beats the linear model: RMSE {dnn['rmse']:.3f} against {ridge['rmse']:.3f}, R² {dnn['r2']:.3f} against {ridge['r2']:.3f}.")
else:
    print(f"The network does not beat the linear model by 2 %: RMSE {dnn['rmse']:.3f} against {ridge['rmse']:.3f}; "
          "on this little data a linear model is as good.")
