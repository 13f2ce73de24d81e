"""report_data: what the report shows, gathered from a TrainingResult or a Bundle, never fitted."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import auc

from pyanalytics.errors import ParameterError
from pyanalytics.explain.result import COLUMNS, ExplanationResult
from pyanalytics.reports import ReportData, from_bundle, from_training


@pytest.fixture(scope="module")
def data(report_result, explanations):
    return from_training(report_result, explanations, cases=3)


def test_metrics_and_rows_are_the_training_results_test_part(report_result, data):
    assert data.metrics is report_result.metrics
    test_rows = report_result.rows["test"]
    assert list(data.dates) == list(report_result.dataset.X.index[test_rows])
    assert len(data.y_true) == data.metrics["dnn"]["n"] == len(test_rows)
    assert data.periods["evaluated"]["start"] == report_result.periods["test"]["start"]
    assert set(data.prob_up) == set(report_result.metrics)


def test_roc_points_reproduce_each_models_auc(data):
    for name, points in data.roc.items():
        assert points is not None
        assert auc(points["fpr"], points["tpr"]) == pytest.approx(data.metrics[name]["roc_auc"], abs=1e-12)


def test_configuration_names_the_models_settings(report_result, data):
    config = data.config
    assert config["model"] == "dnn" and config["estimator"] == "DNNClassifier"
    assert config["threshold"] == report_result.estimator.threshold_
    assert config["alpha"] == 3.0 and config["theoretical_threshold"] == pytest.approx(0.75)
    assert config["window"] is None and config["horizon"] == 1
    assert config["features"] == list(report_result.dataset.X.columns)
    assert config["tuned_threshold"] and not config["cost_sensitive"]
    assert {"python", "numpy", "keras"} <= set(data.versions)
    assert data.data_sha256 == report_result.data_sha256


def test_cost_curve_is_shown_only_when_mistakes_cost_differently(report_result, data):
    assert list(data.cost_curve.columns) == ["threshold", "expected_cost", "fp", "fn"]
    points = data.cost_points.set_index("rule")
    assert points.at["model threshold", "expected_cost"] == pytest.approx(data.metrics["dnn"]["expected_cost"])
    assert points.at["always say down", "fp"] == 0 and points.at["always say up", "fn"] == 0
    symmetric = from_training(dataclasses.replace(report_result, alpha=1.0))
    assert symmetric.cost_curve is None and symmetric.cost_points is None


def test_importance_and_agreement_come_from_both_methods(data, explanations):
    assert list(data.importance.columns) == ["shap", "lime"]
    assert data.importance.index[0] == "volume_z_20"  # the planted signal weighs most in the fakes
    pd.testing.assert_series_equal(
        data.importance["shap"].dropna(), explanations["shap"].global_importance().rename("shap"),
        check_like=True, check_names=False,
    )
    assert list(data.agreement["case"])[-1] == "overall"


def test_the_most_recent_cases_come_newest_first_with_both_methods(data, explanations):
    explained = explanations["shap"].cases
    assert [c.date for c in data.cases] == sorted(explained)[::-1][:3]
    for case in data.cases:
        assert set(case.methods) == {"shap", "lime"}
        assert case.predicted == ("up" if case.prob_up >= data.config["threshold"] else "down")
        assert case.actual in {"up", "down"}
        assert -1 <= case.spearman <= 1


def test_a_shap_case_walks_from_the_base_value_to_the_prediction(data):
    for case in data.cases:
        shap = case.methods["shap"]
        # top 8 features plus one bar summing the others keeps the walk additive
        assert len(shap.rows) == 9 and shap.rows["label"].iloc[-1].endswith("other features")
        assert shap.start + shap.rows["feature_weight"].sum() == pytest.approx(shap.prediction, abs=1e-9)
        assert shap.prediction == pytest.approx(case.prob_up)
        weights = shap.rows["feature_weight"].iloc[:-1].abs().to_numpy()
        assert (np.diff(weights) <= 0).all()
        lime = case.methods["lime"]
        assert lime.r2 is not None and lime.start is not None


def test_top_features_and_cases_are_respected(report_result, explanations):
    data = from_training(report_result, explanations, cases=1, top_features=3)
    assert len(data.cases) == 1 and len(data.cases[0].methods["shap"].rows) == 4
    assert from_training(report_result, explanations, cases=0).cases == []
    with pytest.raises(ParameterError, match="cases"):
        from_training(report_result, explanations, cases=-1)


def _tidy(rows, method="shap"):
    frame = pd.DataFrame(
        [{"label": "up", "label_prob": 0.6, "feature_desc": None, "method": method, "model_prediction": 0.6,
          "model_intercept": np.nan, "base_value": 0.5, "model_r2": np.nan, **row} for row in rows],
        columns=list(COLUMNS),
    )
    return ExplanationResult(frame, method, "dnn", "hand-made")


def test_window_lags_are_summed_per_feature(report_result):
    date = report_result.dataset.X.index[report_result.rows["test"][-1]]
    shap = _tidy([
        {"case": date, "feature": "rsi_14_t-0", "feature_value": 28.7, "feature_weight": 0.05},
        {"case": date, "feature": "rsi_14_t-1", "feature_value": 31.0, "feature_weight": 0.02},
        {"case": date, "feature": "ret_1_t-0", "feature_value": -0.01, "feature_weight": 0.03},
        {"case": date, "feature": "ret_1_t-1", "feature_value": 0.02, "feature_weight": -0.03},
    ])
    case = from_training(report_result, {"shap": shap}).cases[0]
    rows = case.methods["shap"].rows
    assert rows["feature"].tolist() == ["rsi_14", "ret_1"]
    assert rows["feature_weight"].tolist() == pytest.approx([0.07, 0.0])
    assert rows["label"].iloc[0] == "rsi_14 = 28.7"  # the value on the explained date itself


def test_one_method_alone_gives_no_agreement(report_result, explanations):
    data = from_training(report_result, {"lime": explanations["lime"]})
    assert data.agreement is None and list(data.importance.columns) == ["lime"]
    assert all(set(c.methods) == {"lime"} and c.spearman is None for c in data.cases)


@pytest.mark.parametrize(
    "bad, message",
    [
        ([1, 2], "expected a dict"),
        ({"kernel": None}, "keys must be 'shap' or 'lime'"),
        ({"shap": "not a result"}, "expected an ExplanationResult"),
        ({"lime": "SHAP"}, "holds a 'shap' explanation"),
        ({"shap": "OTHER_MODEL"}, "explains the model 'lstm'"),
    ],
)
def test_explanations_are_checked(report_result, explanations, bad, message):
    if isinstance(bad, dict):
        swap = {"SHAP": explanations["shap"],
                "OTHER_MODEL": dataclasses.replace(explanations["shap"], model_name="lstm")}
        bad = {k: swap.get(v, v) if isinstance(v, str) else v for k, v in bad.items()}
    with pytest.raises(ParameterError, match=message):
        from_training(report_result, bad)


def test_verdict_compares_roc_auc_with_the_best_baseline_by_the_edge_margin(data):
    def with_aucs(model, baselines):
        metrics = {"dnn": {"roc_auc": model}, **{k: {"roc_auc": v} for k, v in baselines.items()}}
        return dataclasses.replace(data, metrics=metrics).verdict

    beats = with_aucs(0.7, {"always_up": 0.5, "logistic_regression": 0.65})
    assert beats.judgement == "better" and beats.baseline == "logistic_regression"
    assert beats.edge == pytest.approx(0.05)
    assert with_aucs(0.6, {"always_up": 0.5, "logistic_regression": 0.65}).judgement == "worse"
    assert with_aucs(0.6, {"always_up": 0.6}).judgement == "no_edge"  # a tie does not beat
    assert with_aucs(0.526, {"always_up": 0.524}).judgement == "no_edge"  # nor does a margin under AUC_EDGE
    assert with_aucs(float("nan"), {"always_up": 0.5}).judgement == "undefined"
    assert with_aucs(0.6, {"always_up": float("nan")}).judgement == "undefined"


def test_a_bundle_report_scores_the_same_dates_as_bundle_evaluate(report_result, report_market, tmp_path):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(report_result.save(tmp_path / "bundle"))
    data = from_bundle(bundle, report_market)
    assert isinstance(data, ReportData) and data.source == "bundle"
    assert data.metrics == bundle.evaluate(report_market)
    assert data.metrics["dnn"]["roc_auc"] == pytest.approx(report_result.metrics["dnn"]["roc_auc"])
    assert len(data.y_true) == data.metrics["dnn"]["n"]
    assert data.periods["evaluated"]["start"] == bundle.metadata["out_of_sample_from"]
    assert {"train", "validation", "test", "evaluated"} <= set(data.periods)
    assert data.versions == bundle.metadata["versions"]
    assert auc(data.roc["dnn"]["fpr"], data.roc["dnn"]["tpr"]) == pytest.approx(data.metrics["dnn"]["roc_auc"])
    later = from_bundle(bundle, report_market, since=data.dates[50])
    assert later.dates[0] == data.dates[50] and len(later.y_true) == later.metrics["dnn"]["n"]


def test_a_sequence_model_is_scored_on_its_windows(report_market, tmp_path):
    from pyanalytics.bundle import load_bundle
    from pyanalytics.finance.training import train_direction_model

    result = train_direction_model(report_market, model="lstm", window=5, seed=0,
                                   model_params={"units": (4,), "epochs": 2, "batch_size": 64})
    data = from_training(result)
    assert data.config["window"] == 5 and data.config["estimator"] == "LSTMClassifier"
    assert auc(data.roc["lstm"]["fpr"], data.roc["lstm"]["tpr"]) == pytest.approx(result.metrics["lstm"]["roc_auc"])
    assert len(data.y_true) == result.metrics["lstm"]["n"]
    bundle = load_bundle(result.save(tmp_path / "lstm"))
    for since in (None, data.dates[30]):
        scored = from_bundle(bundle, report_market, since=since)
        assert len(scored.y_true) == scored.metrics["lstm"]["n"]
        assert auc(scored.roc["lstm"]["fpr"], scored.roc["lstm"]["tpr"]) == pytest.approx(
            scored.metrics["lstm"]["roc_auc"])


def test_a_bundle_report_scores_exactly_the_rows_bundle_evaluate_scores(report_result, report_market, tmp_path):
    """The report takes its dates from Bundle.evaluation_rows, the rows evaluate scores."""
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(report_result.save(tmp_path / "bundle"))
    since = report_market.index[-150]
    data = from_bundle(bundle, report_market, since=since)
    rows = bundle.evaluation_rows(bundle.dataset(report_market), since=since)
    assert list(data.dates) == list(bundle.dataset(report_market).X.index[rows])
    assert data.metrics == bundle.evaluate(report_market, since=since)

