"""Per-task metrics beside the baselines, and one verdict per task with the task's margin."""

import math

import numpy as np
import pytest
from sklearn import metrics

from pyanalytics.evaluation.task_metrics import (
    binary_metrics,
    multiclass_metrics,
    regression_metrics,
    task_metrics_table,
)
from pyanalytics.evaluation.verdict import task_verdict, verdict
from pyanalytics.tasks import TASKS


def test_a_binary_model_gets_the_direction_models_verdict():
    results = {"dnn": {"roc_auc": 0.526}, "majority_class": {"roc_auc": 0.5}, "lr": {"roc_auc": 0.524}}
    assert task_verdict(TASKS["binary"], results, "dnn") == verdict(results, "dnn")


def test_each_task_declares_its_outputs_and_columns():
    binary, multi, regression = TASKS["binary"], TASKS["multiclass"], TASKS["regression"]
    assert (binary.output_units(2), binary.output_activation, binary.loss) == (1, "sigmoid", "binary_crossentropy")
    assert (multi.output_units(4), multi.output_activation) == (4, "softmax")
    assert (regression.output_units(None), regression.output_activation, regression.loss) == (1, "linear", "mse")
    assert binary.prediction_columns(["died", "survived"]) == ["prob_survived", "class"]
    assert multi.prediction_columns([0, 1, 2]) == ["prob_0", "prob_1", "prob_2", "class"]
    assert regression.prediction_columns(None) == ["prediction"]
    assert (binary.higher_is_better, multi.higher_is_better, regression.higher_is_better) == (True, True, False)


def test_regression_metrics_match_scikit_learn():
    rng = np.random.default_rng(0)
    y = rng.normal(size=50)
    pred = y + rng.normal(scale=0.5, size=50)
    m = regression_metrics(y, pred)
    assert m["mse"] == pytest.approx(metrics.mean_squared_error(y, pred))
    assert m["rmse"] == pytest.approx(math.sqrt(m["mse"]))
    assert m["mae"] == pytest.approx(metrics.mean_absolute_error(y, pred))
    assert m["r2"] == pytest.approx(metrics.r2_score(y, pred)) and m["n"] == 50


def test_binary_metrics_add_pr_auc_for_any_positive_label():
    y = np.array(["no", "yes", "yes", "no", "yes", "no"])
    p = np.array([0.1, 0.8, 0.4, 0.6, 0.9, 0.2])
    m = binary_metrics(y, p, positive="yes")
    hits = (y == "yes").astype(int)
    assert m["pr_auc"] == pytest.approx(metrics.average_precision_score(hits, p))
    assert m["roc_auc"] == pytest.approx(metrics.roc_auc_score(hits, p))
    assert m["confusion"] == {"tn": 2, "fp": 1, "fn": 1, "tp": 2}


def test_multiclass_metrics_give_the_confusion_matrix_in_class_order():
    classes = np.array(["a", "b", "c"])
    y = np.array(["a", "b", "c", "c"])
    proba = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0.1, 0.1, 0.8]])
    m = multiclass_metrics(y, proba, classes)
    assert m["accuracy"] == 0.75 and m["classes"] == ["a", "b", "c"]
    assert m["confusion"] == [[1, 0, 0], [0, 1, 0], [0, 1, 1]]
    assert m["macro_f1"] == pytest.approx(metrics.f1_score(y, classes[proba.argmax(1)], average="macro"))
    assert m["log_loss"] == pytest.approx(metrics.log_loss(y, proba, labels=classes))


@pytest.mark.parametrize(
    "task, model, baselines, judgement",
    [
        ("regression", {"rmse": 2.00}, {"mean": {"rmse": 3.0}, "ridge": {"rmse": 2.10}}, "better"),  # 4.8 % lower
        ("regression", {"rmse": 2.07}, {"mean": {"rmse": 3.0}, "ridge": {"rmse": 2.10}}, "no_edge"),  # 1.4 % lower
        ("regression", {"rmse": 2.20}, {"mean": {"rmse": 3.0}, "ridge": {"rmse": 2.10}}, "worse"),
        ("binary", {"roc_auc": 0.526}, {"majority_class": {"roc_auc": 0.5}, "lr": {"roc_auc": 0.524}}, "no_edge"),
        ("binary", {"roc_auc": 0.60}, {"majority_class": {"roc_auc": 0.5}, "lr": {"roc_auc": 0.55}}, "better"),
        ("multiclass", {"accuracy": 0.96}, {"majority_class": {"accuracy": 0.4}, "lr": {"accuracy": 0.97}}, "no_edge"),
        ("multiclass", {"accuracy": 0.90}, {"majority_class": {"accuracy": 0.4}, "lr": {"accuracy": 0.97}}, "worse"),
        ("binary", {"roc_auc": math.nan}, {"lr": {"roc_auc": 0.55}}, "undefined"),
    ],
)
def test_one_verdict_per_task_with_its_margin(task, model, baselines, judgement):
    judged = task_verdict(TASKS[task], {"dnn": model, **baselines}, "dnn")
    assert judged.judgement == judgement
    if judgement != "undefined":
        best = "ridge" if task == "regression" else "lr"
        assert judged.baseline == best and best in judged.sentence


def test_the_regression_sentence_gives_the_relative_margin():
    judged = task_verdict(TASKS["regression"], {"dnn": {"rmse": 2.0}, "ridge": {"rmse": 2.1}}, "dnn")
    assert judged.edge == pytest.approx(0.1 / 2.1)
    assert judged.sentence == (
        "dnn RMSE 2.000 vs best baseline ridge 2.100 (edge +4.8%): better than every naive baseline "
        "(an edge under 2% is none)."
    )


def test_the_table_has_the_tasks_metric_columns():
    results = {"dnn": regression_metrics([1, 2, 3], [1, 2, 4]), "mean": regression_metrics([1, 2, 3], [2, 2, 2])}
    table = task_metrics_table(TASKS["regression"], results)
    assert list(table.index) == ["dnn", "mean"] and list(table.columns) == ["mse", "rmse", "mae", "r2"]


def test_the_table_leaves_out_a_metric_no_model_reports():
    y, prob = [0, 1, 1, 0], [0.2, 0.8, 0.6, 0.3]
    with_pr_auc = {"dnn": binary_metrics(y, prob), "majority_class": binary_metrics(y, [0.5] * 4)}
    without = {name: {k: v for k, v in m.items() if k != "pr_auc"} for name, m in with_pr_auc.items()}
    assert "pr_auc" in task_metrics_table(TASKS["binary"], with_pr_auc).columns
    assert list(task_metrics_table(TASKS["binary"], without).columns) == [
        k for k in TASKS["binary"].metric_names if k != "pr_auc"
    ]


# --- the anomaly task (issue 12) --------------------------------------------------------------

ANOMALY_BASELINE_RESULTS = {"isolation_forest": {"pr_auc": 0.61}, "pca": {"pr_auc": 0.55}}


def test_the_anomaly_task_declares_its_columns_baselines_and_ceiling():
    anomaly = TASKS["anomaly"]
    assert (anomaly.headline, anomaly.higher_is_better, anomaly.margin, anomaly.relative_margin) == (
        "pr_auc", True, 0.02, False)
    assert anomaly.prediction_columns(None) == ["score", "flag"]
    assert anomaly.baselines == ("isolation_forest", "pca", "supervised_ceiling")
    assert anomaly.ceilings == ("supervised_ceiling",) and set(anomaly.ceilings) <= set(anomaly.baselines)
    assert all(TASKS[name].ceilings == () for name in ("binary", "multiclass", "regression"))


@pytest.mark.parametrize("model, judgement", [(0.69, "better"), (0.62, "no_edge"), (0.50, "worse")])
def test_the_anomaly_verdict_leaves_the_ceiling_out_of_the_best_baseline(model, judgement):
    results = {"autoencoder": {"pr_auc": model}, **ANOMALY_BASELINE_RESULTS, "supervised_ceiling": {"pr_auc": 0.81}}
    judged = task_verdict(TASKS["anomaly"], results, "autoencoder")
    assert judged.judgement == judgement
    assert (judged.baseline, judged.baseline_value, judged.edge) == ("isolation_forest", 0.61, pytest.approx(model - 0.61))
    assert (judged.ceiling, judged.ceiling_value) == ("supervised_ceiling", 0.81)


def test_the_anomaly_sentence_says_how_far_the_ceiling_is():
    results = {"autoencoder": {"pr_auc": 0.69}, **ANOMALY_BASELINE_RESULTS, "supervised_ceiling": {"pr_auc": 0.81}}
    assert task_verdict(TASKS["anomaly"], results, "autoencoder").sentence == (
        "autoencoder PR AUC 0.690 vs best baseline isolation_forest 0.610 (edge +0.080): better than every naive "
        "baseline (an edge under 0.02 is none); the supervised ceiling, which saw the anomaly labels, reaches "
        "0.810 (0.120 above)."
    )
    results["supervised_ceiling"] = {"pr_auc": 0.64}
    assert task_verdict(TASKS["anomaly"], results, "autoencoder").sentence.endswith("reaches 0.640 (0.050 below).")
    del results["supervised_ceiling"]
    judged = task_verdict(TASKS["anomaly"], results, "autoencoder")
    assert judged.sentence.endswith("(an edge under 0.02 is none).") and judged.ceiling is None


def test_a_ceiling_alone_gives_no_verdict():
    results = {"autoencoder": {"pr_auc": 0.69}, "supervised_ceiling": {"pr_auc": 0.81}}
    assert task_verdict(TASKS["anomaly"], results, "autoencoder").judgement == "undefined"


def test_anomaly_models_are_measured_at_their_own_threshold():
    from pyanalytics.evaluation.anomaly_metrics import anomaly_metrics
    from pyanalytics.evaluation.task_metrics import compare_task_models
    from pyanalytics.models import PCABaseline

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = np.r_[np.zeros(280, int), np.ones(20, int)]
    X[y == 1] *= 4
    models = {"loose": PCABaseline(n_components=2, threshold_quantile=0.5).fit(X, y),
              "strict": PCABaseline(n_components=2).fit(X, y)}
    results = compare_task_models(TASKS["anomaly"], models, X, y)
    for name, model in models.items():
        assert results[name] == anomaly_metrics(y, model.anomaly_score(X), model.threshold_)
    assert results["loose"]["alerts"] > results["strict"]["alerts"]
    table = task_metrics_table(TASKS["anomaly"], results)
    assert list(table.index) == ["loose", "strict"] and list(table.columns) == list(TASKS["anomaly"].metric_names)
