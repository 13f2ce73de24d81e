"""Task-generic estimators: any labels, multi-class softmax, regression, the BatchNorm variant.

Planted signals and small networks keep these fast; the real data (hourly wages, scikit-learn's
wine) show the numbers the course quotes.
"""

import json
import subprocess
import sys

import keras
import numpy as np
import pandas as pd
import pytest
import sklearn.exceptions
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

from pyanalytics.errors import DataError, NotFittedError, ParameterError
from pyanalytics.evaluation.task_metrics import compare_task_models, task_metrics_table
from pyanalytics.evaluation.verdict import task_verdict
from pyanalytics.models import (
    COURSE_STACKS,
    DNNClassifier,
    DNNRegressor,
    LogisticRegressionBaseline,
    MajorityClassBaseline,
    MeanBaseline,
    RidgeBaseline,
    task_baselines,
)
from pyanalytics.tasks import TASKS, classification_task

SMALL = {"hidden_units": (16,), "dropout": 0.0, "epochs": 40, "patience": 5, "learning_rate": 0.01,
         "validation_gap": 0, "seed": 0}


def planted_classes(n=600, seed=0):
    """Three well separated classes named by strings, in shuffled order."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 3, n)
    X = rng.normal(size=(n, 4)) + 3.0 * np.eye(3, 4)[codes]
    y = np.array(["red", "green", "blue"])[codes]
    return pd.DataFrame(X, columns=list("abcd")), pd.Series(y, name="colour")


def planted_regression(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = 10.0 + 3.0 * X[:, 0] - 2.0 * X[:, 1] ** 2 + rng.normal(scale=0.3, size=n)
    return pd.DataFrame(X, columns=["x0", "x1", "x2"]), pd.Series(y, name="y")


@pytest.fixture(scope="module")
def multiclass_dnn():
    X, y = planted_classes()
    return DNNClassifier(**SMALL).fit(X[:450], y[:450]), X[450:], y[450:]


def test_multiclass_dnn_has_sorted_classes_and_softmax_probabilities(multiclass_dnn):
    model, X, y = multiclass_dnn
    assert list(model.classes_) == ["blue", "green", "red"]
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(model.predict(X), model.classes_[proba.argmax(axis=1)])
    assert model.network_.output.shape == (None, 3)
    assert (model.predict(X) == y.to_numpy()).mean() > 0.9  # the planted classes are found
    assert {"loss", "val_loss"} <= set(model.history_)


def test_binary_labels_of_any_kind_keep_the_threshold():
    X, y = planted_classes()
    keep = y.isin(["red", "blue"]).to_numpy()
    model = LogisticRegressionBaseline().fit(X[keep], y[keep])
    assert list(model.classes_) == ["blue", "red"] and model.threshold_ == 0.5
    proba = model.predict_proba(X[keep])
    np.testing.assert_array_equal(model.predict(X[keep]), np.where(proba[:, 1] >= 0.5, "red", "blue"))


def test_a_direction_model_refuses_a_third_class():
    from pyanalytics.models import AlwaysUpBaseline

    X, y = planted_classes(60)
    with pytest.raises(DataError, match=r"AlwaysUpBaseline\.fit: Only binary classification is supported\. y holds 3"):
        AlwaysUpBaseline().fit(X, y)


def test_cost_sensitive_training_stays_binary():
    X, y = planted_classes(60)
    with pytest.raises(ParameterError, match="cost_fp: cost-sensitive training is binary, but y holds 3 classes"):
        DNNClassifier(**{**SMALL, "epochs": 1}, cost_fp=2.0).fit(X, y)


def test_label_and_target_errors_name_the_estimator_and_row():
    X, y = planted_classes(60)
    with pytest.raises(DataError, match=r"DNNClassifier\.fit: y holds one class \('red'\)"):
        DNNClassifier().fit(X, np.full(60, "red"))
    with pytest.raises(DataError, match=r"MajorityClassBaseline\.fit: Unknown label type: y is continuous"):
        MajorityClassBaseline().fit(X, np.linspace(0, 1, 60))
    with pytest.raises(DataError, match=r"MajorityClassBaseline\.fit: y cannot be read as class labels"):
        MajorityClassBaseline().fit(X, np.array(["a", 1] * 30, dtype=object))
    target = pd.Series(np.arange(60.0))
    target[7] = np.nan
    with pytest.raises(DataError, match=r"RidgeBaseline\.fit: y row 8 is nan; expected a finite number"):
        RidgeBaseline().fit(X, target)
    with pytest.raises(DataError, match=r"MeanBaseline\.fit: y holds non-numeric values"):
        MeanBaseline().fit(X, y)


def test_not_fitted_error_is_also_scikit_learns():
    for cls in (DNNClassifier, DNNRegressor, MeanBaseline, MajorityClassBaseline):
        with pytest.raises(NotFittedError, match=f"{cls.__name__} is not fitted yet") as info:
            cls().predict(np.ones((2, 3)))
        assert isinstance(info.value, sklearn.exceptions.NotFittedError)


def test_importing_the_package_and_its_errors_stays_light():
    code = (
        "import sys, pyanalytics, pyanalytics.errors, pyanalytics.tasks; "
        "print(sorted(m for m in ('sklearn', 'tensorflow', 'keras') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_dnn_regressor_learns_a_planted_signal_beside_its_baselines():
    X, y = planted_regression()
    model = DNNRegressor(**{**SMALL, "hidden_units": (32, 16)}).fit(X[:450], y[:450])
    prediction = model.predict(X[450:])
    assert prediction.shape == (150,) and prediction.dtype == np.float64
    assert model.score(X[450:], y[450:]) > 0.8  # R², the squared term a linear model misses
    assert RidgeBaseline().fit(X[:450], y[:450]).score(X[450:], y[450:]) < 0.6
    assert {"loss", "mae", "val_loss", "val_mae"} <= set(model.history_)
    assert MeanBaseline().fit(X[:450], y[:450]).predict(X[450:5 + 450]) == pytest.approx([y[:450].mean()] * 5)


def _json_round_trip(state: dict) -> dict:
    return json.loads(json.dumps(state, allow_nan=False))


@pytest.mark.parametrize(
    "make, data",
    [
        (MajorityClassBaseline, planted_classes),
        (LogisticRegressionBaseline, planted_classes),
        (MeanBaseline, planted_regression),
        (RidgeBaseline, planted_regression),
    ],
    ids=["majority_multiclass", "multinomial_logistic", "mean", "ridge"],
)
def test_baselines_round_trip_through_json(make, data):
    X, y = data(200)
    model = make().fit(X, y)
    restored = type(model).from_state(_json_round_trip(model.to_state()))
    method = "predict_proba" if hasattr(model, "predict_proba") else "predict"
    np.testing.assert_array_equal(getattr(restored, method)(X), getattr(model, method)(X))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def test_keras_estimators_round_trip_through_json_and_a_safe_mode_keras_file(tmp_path, multiclass_dnn):
    model, X, _ = multiclass_dnn
    Xr, yr = planted_regression(200)
    improved = DNNRegressor(**{**SMALL, "epochs": 5, "batch_norm": True, "dropout": 0.2}).fit(Xr, yr)
    assert any(isinstance(layer, keras.layers.BatchNormalization) for layer in improved.network_.layers)
    for fitted, rows in ((model, X), (improved, Xr)):
        path = tmp_path / f"{type(fitted).__name__}.keras"
        fitted.network_.save(path)
        network = keras.saving.load_model(path, safe_mode=True)
        restored = type(fitted).from_state(_json_round_trip(fitted.to_state()), network=network)
        method = "predict_proba" if hasattr(fitted, "predict_proba") else "predict"
        np.testing.assert_array_equal(getattr(restored, method)(rows), getattr(fitted, method)(rows))
        np.testing.assert_array_equal(restored.predict(rows), fitted.predict(rows))


def test_course_stacks_build_the_course_networks():
    X, y = planted_regression(100)
    wages = DNNRegressor(**COURSE_STACKS["wages"], epochs=1, seed=0).fit(X, y)
    assert [layer.units for layer in wages.network_.layers if isinstance(layer, keras.layers.Dense)] == [10, 5, 1]
    Xc, yc = planted_classes(100)
    keep = yc != "green"
    titanic = DNNClassifier(**COURSE_STACKS["titanic_improved"], epochs=1, seed=0).fit(Xc[keep], yc[keep])
    kinds = [type(layer).__name__ for layer in titanic.network_.layers[1:]]
    assert kinds == ["Dense", "BatchNormalization", "Activation", "Dropout"] * 2 + ["Dense"]
    assert titanic.network_.layers[-1].units == 1 and titanic.network_.layers[-1].activation.__name__ == "sigmoid"


def test_each_task_names_baselines_that_exist():
    assert list(task_baselines(TASKS["regression"])) == ["mean", "ridge"]
    assert task_baselines(TASKS["multiclass"])["majority_class"] is MajorityClassBaseline
    assert classification_task(2) is TASKS["binary"] and classification_task(5) is TASKS["multiclass"]


def test_hourly_wages_regression_beside_the_mean_and_ridge(shared_data):
    frame = pd.read_csv(shared_data("tabular/hourly_wages.csv"))
    X, y = frame.drop(columns="wage_per_hour"), frame["wage_per_hour"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    task = TASKS["regression"]
    models = {
        "dnn": DNNRegressor(**COURSE_STACKS["wages"], epochs=150, patience=15, learning_rate=0.005, seed=0),
        **{name: cls() for name, cls in task_baselines(task).items()},
    }
    for model in models.values():
        model.fit(X_train, y_train)
    results = compare_task_models(task, models, X_test, y_test)
    table = task_metrics_table(task, results)
    assert list(table.columns) == ["mse", "rmse", "mae", "r2"]
    assert table.loc["mean", "r2"] < 0.01 < table.loc["ridge", "r2"]
    assert table.loc["dnn", "rmse"] < table.loc["mean", "rmse"] and table.loc["dnn", "r2"] > 0.2
    verdict = task_verdict(task, results, "dnn")
    assert verdict.baseline == "ridge" and verdict.judgement in {"better", "no_edge", "worse"}
    assert "vs" in verdict.sentence and "ridge" in verdict.sentence


def test_wine_softmax_reaches_95_percent_beside_its_baselines():
    wine = load_wine(as_frame=True)
    labels = wine.target.map(dict(enumerate(wine.target_names)))
    X_train, X_test, y_train, y_test = train_test_split(
        wine.data, labels, test_size=0.3, stratify=labels, random_state=0
    )
    task = TASKS["multiclass"]
    models = {
        "dnn": DNNClassifier(hidden_units=(32,), dropout=0.0, epochs=60, patience=10, validation_gap=0, seed=0),
        **{name: cls() for name, cls in task_baselines(task).items()},
    }
    for model in models.values():
        model.fit(X_train, y_train)
    results = compare_task_models(task, models, X_test, y_test)
    assert results["dnn"]["accuracy"] >= 0.95
    assert results["majority_class"]["accuracy"] < 0.5
    assert np.trace(results["dnn"]["confusion"]) == round(results["dnn"]["accuracy"] * len(y_test))
    assert task_verdict(task, results, "dnn").baseline == "logistic_regression"
