"""explain(): the right feature comes first, SHAP adds up, one tidy frame for every model, clear errors."""

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from signal_models import LIME_SAMPLES, LSTM_WINDOW, RANKED_CASES, SIGNAL

from pyanalytics.errors import DataError, NotFittedError, ParameterError
from pyanalytics.explain import COLUMNS, ExplanationResult, explain
from pyanalytics.models import DNNClassifier, LSTMClassifier

MODELS = ("dnn", "lstm")
METHODS = ("shap", "lime")


def signal_ranks(result: ExplanationResult) -> np.ndarray:
    """Rank (0 = first) of the signal feature in each case's per-feature view."""
    return np.array([result.ranking(case).index(SIGNAL) for case in result.cases])


# --- the signal feature comes first -----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS)
def test_shap_ranks_the_only_informative_feature_first_in_at_least_90_percent_of_cases(explained, model):
    result = explained(model, "shap")
    assert len(result.cases) == RANKED_CASES
    first = np.mean(signal_ranks(result) == 0)
    assert first >= 0.9, f"{model}: SHAP ranks {SIGNAL} first in {first:.0%} of cases"


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS)
def test_lime_puts_the_only_informative_feature_in_its_top_three_in_at_least_90_percent_of_cases(explained, model):
    result = explained(model, "lime")
    top3 = np.mean(signal_ranks(result) < 3)
    assert top3 >= 0.9, f"{model}: LIME has {SIGNAL} in its top three in {top3:.0%} of cases"


def test_sequence_explanations_name_every_lag_and_per_feature_sums_them(explained, trained):
    result = explained("lstm", "shap")
    features = list(trained["lstm"].dataset.X.columns)
    case = result.cases[0]
    rows = result.frame[result.frame["case"] == case]
    assert list(rows["feature"]) == [f"{f}_t-{lag}" for f in features for lag in range(LSTM_WINDOW)]
    per_feature = result.per_feature()
    summed = per_feature[per_feature["case"] == case].set_index("feature")["feature_weight"]
    volume = rows[rows["feature"].str.startswith(f"{SIGNAL}_t-")]["feature_weight"].sum()
    assert summed[SIGNAL] == pytest.approx(volume)
    assert list(summed.index) == features


# --- SHAP additivity --------------------------------------------------------------------------


def check_additivity(result: ExplanationResult) -> float:
    """Largest |base + sum(contributions) - model output|, checked against the frame's columns."""
    by_case = result.frame.groupby("case", sort=False)
    total = by_case["feature_weight"].sum() + by_case["base_value"].first()
    np.testing.assert_allclose(by_case["model_prediction"].first(), total, rtol=0, atol=1e-9)
    error = float((total - by_case["label_prob"].first()).abs().max())
    assert result.quality["additivity_max_error"] == pytest.approx(error, abs=1e-9)
    return error


@pytest.mark.parametrize("model", MODELS)
def test_kernel_shap_adds_up_to_the_model_output_within_1e_3(trained, model):
    result = explain(trained[model], method="shap", explainer="kernel", last=2, n_samples=1000)
    assert result.explainer == "KernelExplainer"
    assert check_additivity(result) <= 1e-3


def test_deep_shap_adds_up_to_the_dnn_output_within_1e_3(trained):
    result = explain(trained["dnn"], method="shap", explainer="deep", last=5)
    assert result.explainer == "DeepExplainer"
    assert check_additivity(result) <= 1e-3


@pytest.mark.parametrize("model", MODELS)
def test_gradient_shap_reports_its_additivity_error(explained, model):
    result = explained(model, "shap")
    assert result.explainer == "GradientExplainer"
    error = check_additivity(result)
    assert 0 <= error < 0.5  # reported, not exact: expected gradients are a Monte-Carlo estimate


def test_deep_shap_is_refused_for_recurrent_networks(trained):
    with pytest.raises(ParameterError, match="'deep'.*LSTMClassifier.*gradient"):
        explain(trained["lstm"], method="shap", explainer="deep", last=1)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:The structure of `inputs`", "ignore:Your TensorFlow version is newer")
def test_a_failing_deep_explainer_does_not_break_later_gradient_explanations(trained):
    from pyanalytics.explain.shap_adapter import _import_shap, _restored_gradients

    shap = _import_shap()
    estimator = trained["lstm"].estimator
    windows = np.asarray(estimator._scaled(trained["lstm"].dataset.X.to_numpy()[:40].reshape(4, 10, -1)))
    with pytest.raises(Exception, match="shap_"), _restored_gradients():
        shap.DeepExplainer(estimator.network_, windows).shap_values(windows[:1], check_additivity=False)
    result = explain(trained["lstm"], method="shap", last=2)
    assert np.isfinite(result.frame["feature_weight"]).all()


# --- one tidy frame ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("method", METHODS)
def test_the_tidy_frame_has_the_same_columns_for_every_model_and_method(explained, trained, model, method):
    result = explained(model, method)
    frame = result.frame
    assert tuple(frame.columns) == COLUMNS == tuple(result.to_frame().columns)
    assert result.method == method and (frame["method"] == method).all()
    assert result.model_name == model
    assert (frame["label"] == "up").all()
    assert pd.api.types.is_datetime64_any_dtype(frame["case"])
    n_cells = trained[model].dataset.X.shape[1] * (LSTM_WINDOW if model == "lstm" else 1)
    assert len(frame) == RANKED_CASES * n_cells
    expected_dates = trained[model].dataset.X.index[-RANKED_CASES:]
    assert list(result.cases) == list(expected_dates)
    for column in ("label_prob", "feature_value", "feature_weight", "model_prediction"):
        assert np.isfinite(frame[column]).all(), column
    if method == "shap":
        assert frame["model_intercept"].isna().all() and frame["model_r2"].isna().all()
        assert frame["base_value"].nunique() == 1
    else:
        assert frame["base_value"].isna().all()
        assert np.isfinite(frame["model_intercept"]).all() and np.isfinite(frame["model_r2"]).all()
        assert result.quality["r2_min"] <= result.quality["r2_median"] <= 1


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("method", METHODS)
def test_label_prob_is_the_model_s_probability_of_a_rise(explained, trained, model, method):
    from pyanalytics.data.windows import model_inputs

    result, training = explained(model, method), trained[model]
    X = training.dataset.X
    rows = X.index.get_indexer(result.cases)
    expected = training.estimator.predict_proba(model_inputs(X, rows, training.window))[:, 1]
    got = result.frame.groupby("case", sort=False)["label_prob"].first().to_numpy()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_feature_values_are_in_original_units(explained, trained, method):
    X = trained["lstm"].dataset.X
    frame = explained("lstm", method).frame
    case = frame["case"].iloc[0]
    row = X.index.get_loc(case)
    values = frame[frame["case"] == case].set_index("feature")["feature_value"]
    for lag in (0, 3, LSTM_WINDOW - 1):
        for feature in ("rsi_14", SIGNAL, "ret_1"):
            assert values[f"{feature}_t-{lag}"] == X[feature].iloc[row - lag]
    dnn = explained("dnn", method).frame
    wide = dnn.pivot(index="case", columns="feature", values="feature_value")
    pd.testing.assert_frame_equal(wide[list(X.columns)], trained["dnn"].dataset.X.loc[wide.index], check_names=False)
    assert dnn[dnn["feature"] == "rsi_14"]["feature_value"].between(0, 100).all()  # not standardised


def test_descriptions_are_readable(explained):
    lime = explained("dnn", "lime").frame
    number = r"-?\d+(\.\d+)?(e-\d+)?"
    pattern = re.compile(rf"^(({number}) < )?(?P<name>\w+) (<=|>) {number}$")
    for feature, desc in zip(lime["feature"], lime["feature_desc"]):
        match = pattern.match(desc)
        assert match and match["name"] == feature, desc
    lstm = explained("lstm", "lime").frame
    assert lstm["feature_desc"].str.contains(r"volume_z_20_t-0 (?:<=|>) ").any()
    shap = explained("lstm", "shap").frame
    first = shap.iloc[0]
    assert first["feature_desc"] == f"{first['feature']} = {first['feature_value']:.4g}"


def test_quality_figures_are_plain_numbers(explained):
    shap, lime = explained("dnn", "shap"), explained("dnn", "lime")
    assert set(shap.quality) >= {"additivity_max_error", "background_rows"}
    assert set(lime.quality) >= {"r2_median", "r2_min", "background_rows"}
    assert lime.quality["n_samples"] == LIME_SAMPLES["dnn"]
    for value in (*shap.quality.values(), *lime.quality.values()):
        assert isinstance(value, (int, float))


# --- what gets explained ----------------------------------------------------------------------


def test_explicit_dates_are_explained_in_the_order_given_and_do_not_depend_on_each_other(trained):
    X = trained["dnn"].dataset.X
    d1, d2 = X.index[-50], X.index[-7]
    both = explain(trained["dnn"], method="lime", dates=[str(d2.date()), d1, d2], n_samples=300)
    assert both.cases == [d2, d1]
    alone = explain(trained["dnn"], method="lime", dates=d1, n_samples=300)
    pd.testing.assert_frame_equal(
        both.frame[both.frame["case"] == d1].reset_index(drop=True), alone.frame.reset_index(drop=True)
    )


def test_the_same_seed_gives_the_same_explanation_and_the_global_random_state_is_kept(trained):
    state = np.random.get_state()[1].copy()
    first = explain(trained["dnn"], method="shap", last=3, seed=5)
    second = explain(trained["dnn"], method="shap", last=3, seed=5)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_on_case_reports_each_explained_case(trained):
    calls = []
    explain(trained["lstm"], method="lime", last=3, n_samples=200, on_case=lambda i, n: calls.append((i, n)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_a_bundle_explains_from_prices_like_its_training_result(trained, signal_prices, tmp_path):
    from pyanalytics.bundle import load_bundle

    path = trained["dnn"].save(tmp_path / "dnn")
    from_result = explain(trained["dnn"], method="shap", last=4)
    from_bundle = explain(load_bundle(path), signal_prices, method="shap", last=4)
    from_path = explain(str(path), signal_prices, method="shap", last=4)
    pd.testing.assert_frame_equal(from_bundle.frame, from_result.frame, check_exact=False, atol=1e-6)
    pd.testing.assert_frame_equal(from_path.frame, from_bundle.frame)
    # prices that no longer reach back to the training period: the rows before the first date
    recent = explain(load_bundle(path), signal_prices.iloc[-400:], method="shap", last=4)
    assert recent.cases == from_bundle.cases
    assert recent.quality["background_rows"] < from_bundle.quality["background_rows"]


def test_a_training_result_explains_new_prices(trained, signal_prices):
    new = explain(trained["dnn"], signal_prices.iloc[:-100], method="lime", last=2, n_samples=300)
    assert new.cases == list(trained["dnn"].dataset.X.index[-102:-100])


@pytest.mark.slow
def test_a_cost_sensitive_model_explains_like_any_other(signal_prices):
    from pyanalytics.explain.shap_adapter import keras_network
    from pyanalytics.finance.training import train_direction_model
    from pyanalytics.models.cost import CostSensitiveTrainer

    result = train_direction_model(
        signal_prices.iloc[-1200:], cost_fp=3.0, seed=0, model_params={"hidden_units": (8,), "epochs": 3}
    )
    estimator = result.estimator
    assert isinstance(estimator.network_, CostSensitiveTrainer)
    assert keras_network(estimator) is estimator.network_.network
    for method in METHODS:
        explanation = explain(result, method=method, last=3, n_samples=500)
        assert tuple(explanation.frame.columns) == COLUMNS
        probabilities = explanation.frame.groupby("case", sort=False)["label_prob"].first().to_numpy()
        np.testing.assert_allclose(probabilities, estimator.predict_proba(result.dataset.X.iloc[-3:])[:, 1])
    assert explain(result, method="shap", explainer="deep", last=2).quality["additivity_max_error"] <= 1e-3


@pytest.mark.slow
def test_a_gru_and_a_baseline_explain_like_the_others(signal_prices):
    from pyanalytics.finance.training import train_direction_model

    gru = train_direction_model(
        signal_prices.iloc[-700:], model="gru", window=4, seed=0, model_params={"units": (4,), "epochs": 1}
    )
    for method in METHODS:
        result = explain(gru, method=method, last=2, n_samples=300)
        assert tuple(result.frame.columns) == COLUMNS and result.model_name == "gru"
        assert result.frame["feature"].iloc[:4].tolist() == [f"ret_1_t-{lag}" for lag in range(4)]
    baseline = gru.baselines["logistic_regression"]
    for method in METHODS:
        result = explain(baseline, gru.dataset.X, method=method, last=2, n_samples=300)
        assert result.model_name == "logistic_regression"
    assert result.explainer == "LimeTabularExplainer"
    assert explain(baseline, gru.dataset.X, last=1, n_samples=300).explainer == "KernelExplainer"
    with pytest.raises(ParameterError, match="'gradient' needs a Keras network"):
        explain(baseline, gru.dataset.X, explainer="gradient")


# --- clear errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("estimator", [DNNClassifier(), LSTMClassifier()], ids=["dnn", "lstm"])
def test_an_unfitted_model_is_refused_naming_its_class(estimator, trained):
    name = type(estimator).__name__
    with pytest.raises(NotFittedError, match=rf"{name} is not fitted"):
        explain(estimator, trained["dnn"].dataset.X)


def test_a_date_outside_the_data_names_the_date_and_the_data_s_range(trained):
    X = trained["dnn"].dataset.X
    first, last = X.index[0].date(), X.index[-1].date()
    with pytest.raises(DataError, match=rf"2031-01-02 has no row in the data.*{first} to {last}"):
        explain(trained["dnn"], dates=["2031-01-02"])
    with pytest.raises(DataError, match="has no row in the data"):
        explain(trained["dnn"], dates=[X.index[10] - pd.Timedelta(days=10_000)])


def test_a_date_without_a_whole_window_names_the_date_and_the_first_usable_one(trained):
    X = trained["lstm"].dataset.X
    early = X.index[3]
    with pytest.raises(DataError, match=rf"{early.date()} has only 3 earlier dates.*{X.index[LSTM_WINDOW - 1].date()}"):
        explain(trained["lstm"], method="lime", dates=[early])


def test_data_missing_a_feature_names_it(trained, signal_prices, tmp_path):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(trained["dnn"].save(tmp_path / "dnn"))
    with pytest.raises(DataError, match="volume"):
        explain(bundle, signal_prices.drop(columns="volume"))
    features = trained["dnn"].dataset.X.drop(columns="rsi_14")
    with pytest.raises(DataError, match="'rsi_14'"):
        explain(trained["dnn"].estimator, features)


def test_bad_arguments_are_refused(trained):
    with pytest.raises(ParameterError, match="method"):
        explain(trained["dnn"], method="anchors")
    with pytest.raises(ParameterError, match="explainer"):
        explain(trained["dnn"], method="shap", explainer="tree")
    with pytest.raises(ParameterError, match="explainer.*LIME"):
        explain(trained["dnn"], method="lime", explainer="kernel")
    with pytest.raises(ParameterError, match="last"):
        explain(trained["dnn"], last=0)
    with pytest.raises(ParameterError, match="model"):
        explain(42)
    with pytest.raises(ParameterError, match="not a date"):
        explain(trained["dnn"], dates=["soon"])


def test_a_bundle_needs_prices(trained, tmp_path):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(trained["dnn"].save(tmp_path / "dnn"))
    with pytest.raises(ParameterError, match="needs prices"):
        explain(bundle)


def test_a_bare_fitted_estimator_explains_a_frame_of_its_features(trained):
    estimator = trained["dnn"].estimator
    X = trained["dnn"].dataset.X
    result = explain(estimator, X, method="shap", explainer="kernel", last=2, n_samples=200)
    assert result.model_name == "dnn" and result.cases == list(X.index[-2:])


def test_importing_the_package_imports_no_explainer_library():
    code = (
        "import sys, pyanalytics.explain; "
        "print(sorted(m for m in ('lime', 'shap', 'tensorflow', 'keras') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
