"""Explanations of anomaly detectors: which fields a flagged row could not rebuild, and SHAP on its score."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from pyanalytics.anomaly import explain_anomalies, train_anomaly
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.explain import COLUMNS, explain

PLANTED = "f3"
SMALL = {"hidden_units": (8,), "code_size": 2, "epochs": 25, "patience": 5, "batch_size": 32}
SAMPLES = 600  # KernelExplainer evaluations per row: additivity holds exactly at any number


@pytest.fixture(scope="module")
def planted():
    """Six features driven by two factors; 40 anomalies each push f3 alone six units off its line."""
    rng = np.random.default_rng(0)
    n = 1200
    factors = rng.normal(size=(n, 2))
    loadings = rng.normal(size=(2, 6))
    X = factors @ loadings / np.sqrt(2) + 0.1 * rng.normal(size=(n, 6))
    label = np.zeros(n, dtype=int)
    anomalies = rng.choice(n, 40, replace=False)
    X[anomalies, 3] += 6.0
    label[anomalies] = 1
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)]).assign(label=label)
    frame.index = pd.RangeIndex(1000, 1000 + n, name="row")
    return frame


@pytest.fixture(scope="module")
def planted_result(planted):
    return train_anomaly(planted, label="label", seed=0, **SMALL)


@pytest.fixture(scope="module")
def planted_rows(planted_result):
    """The planted anomalies of the test part that the detector flags."""
    test = planted_result.frames["test"]
    flagged = planted_result.estimator.flag(planted_result.preprocessing.features(test)) == 1
    rows = list(test.index[(test["label"] == 1).to_numpy() & flagged])
    assert len(rows) >= 3, "the detector should flag most planted anomalies"
    return rows[:4]


def _weights(result, case) -> pd.Series:
    rows = result.frame[result.frame["case"] == case]
    return rows.set_index("feature")["feature_weight"]


def test_a_planted_anomaly_is_blamed_on_its_feature_by_both_methods(planted_result, planted_rows):
    explanation = explain_anomalies(planted_result, rows=planted_rows, n_samples=SAMPLES)
    for case in planted_rows:
        assert _weights(explanation["reconstruction"], case).idxmax() == PLANTED
        assert _weights(explanation["shap"], case).abs().idxmax() == PLANTED
        assert _weights(explanation["shap"], case)[PLANTED] > 0  # it pushes the score up
    assert set(explanation.to_frame()["label"]) == {"anomaly"}


def test_reconstruction_errors_average_to_the_score_and_shap_adds_up_to_it(planted_result, planted_rows):
    explanation = explain_anomalies(planted_result, rows=planted_rows, n_samples=SAMPLES)
    test = planted_result.frames["test"].loc[planted_rows]
    scores = planted_result.estimator.anomaly_score(planted_result.preprocessing.features(test))
    reconstruction = explanation["reconstruction"].frame
    by_case = reconstruction.groupby("case", sort=False)
    np.testing.assert_allclose(by_case["feature_weight"].mean(), scores, rtol=1e-5)
    np.testing.assert_allclose(by_case["label_prob"].first(), scores, rtol=1e-12)
    np.testing.assert_allclose(by_case["model_prediction"].first(), scores, rtol=1e-5)
    shap = explanation["shap"].frame.groupby("case", sort=False)
    np.testing.assert_allclose(shap["feature_weight"].sum() + shap["base_value"].first(), scores, rtol=1e-5)
    assert explanation["shap"].quality["additivity_max_error"] < 1e-5 * max(1.0, scores.max())
    values = reconstruction.set_index(["case", "feature"])["feature_value"]
    assert values[(planted_rows[0], PLANTED)] == test.loc[planted_rows[0], PLANTED]  # original units


def test_by_default_the_flagged_test_rows_are_explained_and_top_keeps_the_highest_scores(planted_result):
    test = planted_result.frames["test"]
    scores = pd.Series(planted_result.estimator.anomaly_score(planted_result.preprocessing.features(test)),
                       index=test.index)
    flagged = scores[scores >= planted_result.estimator.threshold_]
    every = explain_anomalies(planted_result, methods="reconstruction")["reconstruction"]
    assert every.cases == list(flagged.index)
    top = explain_anomalies(planted_result, top=3, methods=["reconstruction"])["reconstruction"]
    assert top.cases == list(flagged.sort_values(ascending=False).index[:3])


def test_a_chosen_normal_row_is_labelled_normal(planted_result):
    test = planted_result.frames["test"]
    scores = planted_result.estimator.anomaly_score(planted_result.preprocessing.features(test))
    quiet = test.index[int(np.argmin(scores))]
    frame = explain_anomalies(planted_result, rows=[quiet], methods="reconstruction").to_frame()
    assert set(frame["label"]) == {"normal"} and frame["label_prob"].iloc[0] < planted_result.estimator.threshold_


def test_a_rows_shap_values_ignore_which_rows_come_with_it(planted_result, planted_rows):
    alone = explain_anomalies(planted_result, rows=planted_rows[1:2], methods="shap", n_samples=SAMPLES)["shap"]
    together = explain_anomalies(planted_result, rows=planted_rows[:2], methods="shap", n_samples=SAMPLES)["shap"]
    np.testing.assert_array_equal(_weights(alone, planted_rows[1]), _weights(together, planted_rows[1]))


def test_the_core_explain_reaches_the_anomaly_explainer_for_a_result_and_a_bundle_path(planted_result, planted_rows,
                                                                                      tmp_path):
    core = explain(planted_result, method="reconstruction", last=2)
    assert core.task == "anomaly" and core.explains("anomaly") == "the anomaly score, as their mean"
    pd.testing.assert_frame_equal(core.frame, explain_anomalies(planted_result, top=2)["reconstruction"].frame)
    path = planted_result.save(tmp_path / "detector")
    train, test = planted_result.frames["train"], planted_result.frames["test"]
    from_bundle = explain(path, test, method="shap", rows=planted_rows[:2], background=train, n_samples=SAMPLES)
    from_result = explain_anomalies(planted_result, rows=planted_rows[:2], methods="shap", n_samples=SAMPLES)["shap"]
    assert from_bundle.explainer == "KernelExplainer" and from_bundle.explains("anomaly") == "the anomaly score"
    pd.testing.assert_frame_equal(from_bundle.frame, from_result.frame, rtol=1e-5)


def test_a_bundle_takes_its_background_from_the_normal_rows_of_the_frame(planted_result, planted_rows, tmp_path):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(planted_result.save(tmp_path / "detector"))
    test = planted_result.frames["test"]
    own = explain_anomalies(bundle, test, rows=planted_rows[:1], methods="shap", n_samples=SAMPLES)["shap"]
    normal = test[test["label"] == 0]
    given = explain_anomalies(bundle, test, rows=planted_rows[:1], methods="shap", n_samples=SAMPLES,
                              background=normal)["shap"]
    pd.testing.assert_frame_equal(own.frame, given.frame)
    with pytest.raises(DataError, match=r"background: the rows of frame labelled 0 in 'label' holds no row"):
        explain_anomalies(bundle, test[test["label"] == 1], methods="shap")


def test_unknown_row_labels_are_named(planted_result):
    with pytest.raises(DataError, match=r"rows: 7, 8 are not row labels of the data \(its labels run from \d+ to \d+\)"):
        explain_anomalies(planted_result, rows=[7, 8])


def test_bad_arguments_are_refused_in_one_line(planted_result, planted):
    calm = planted_result.frames["train"].iloc[:20]
    cases = [
        (lambda: explain_anomalies(planted_result, methods=("lime",)), ParameterError, r"methods: expected one or more of 'reconstruction', 'shap'"),
        (lambda: explain_anomalies(planted_result, top=0), ParameterError, r"top: "),
        (lambda: explain_anomalies(planted_result, calm), DataError, r"rows: none of the 20 rows is flagged"),
        (lambda: explain_anomalies(planted_result, planted.drop(columns="f2")), DataError, r"column 'f2' is not in the data"),
        (lambda: explain_anomalies(planted_result.estimator), ParameterError, r"model: expected an AnomalyResult, an AnomalyBundle"),
        (lambda: explain(planted_result, method="lime"), ParameterError, r"method: an anomaly detector is explained by"),
        (lambda: explain(planted_result, dates=["2020-01-02"]), ParameterError, r"dates: an anomaly detector explains"),
        (lambda: explain(planted_result, explainer="gradient"), ParameterError, r"explainer: .*'kernel'"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message) as caught:
            call()
        assert "\n" not in str(caught.value)


def test_importing_the_domain_leaves_pyanalytics_explain_a_function():
    """pyanalytics.anomaly imports pyanalytics.explain only when explaining: importing that package
    would bind ``pa.explain`` to it instead of the function."""
    code = "import pyanalytics as pa, pyanalytics.anomaly; assert callable(pa.explain), pa.explain"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the real credit-card data -----------------------------------------------------------------


@pytest.fixture(scope="module")
def creditcard(shared_data):
    path = shared_data("tabular/creditcard_fraud_enriched.csv")
    return train_anomaly(path, label="Class", time_column="Time", amount_column="Amount", seed=0,
                         hidden_units=(16,), code_size=4, epochs=5)


def test_five_credit_card_alerts_are_explained_tidily_and_additively(creditcard):
    explanation = explain_anomalies(creditcard, top=5, n_samples=1000)
    frame = explanation.to_frame()
    features = list(creditcard.preprocessing.feature_names)
    assert list(frame.columns) == list(COLUMNS) and len(features) == 29  # Time orders the split, not a feature
    assert len(frame) == 2 * 5 * len(features)
    assert not frame.duplicated(["method", "case", "feature"]).any()
    for _, rows in frame.groupby(["method", "case"]):
        assert list(rows["feature"]) == features
    test = creditcard.frames["test"]
    scores = pd.Series(creditcard.estimator.anomaly_score(creditcard.preprocessing.features(test)), index=test.index)
    assert explanation.cases == list(scores.sort_values(ascending=False).index[:5])
    assert set(frame["label"]) == {"anomaly"}
    shap = explanation["shap"].frame.groupby("case", sort=False)
    np.testing.assert_allclose(shap["feature_weight"].sum() + shap["base_value"].first(),
                               scores[explanation.cases], rtol=1e-5)
    reconstruction = explanation["reconstruction"].frame.groupby("case", sort=False)
    np.testing.assert_allclose(reconstruction["feature_weight"].mean(), scores[explanation.cases], rtol=1e-5)
    assert (explanation["reconstruction"].frame["feature_weight"] >= 0).all()
