"""Explanations of tabular models: per task, in the original columns (``Sex = female``)."""

import numpy as np
import pandas as pd
import pytest
from tabular_frames import FAST, responses_but

from pyanalytics.bundle import load_bundle
from pyanalytics.data.preprocess import UnseenCategoryWarning
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.explain import COLUMNS, explain, rank_agreement
from pyanalytics.tabular import train_tabular

LIME_SAMPLES = 1000


def planted_frame(n: int = 500, seed: int = 3) -> pd.DataFrame:
    """``y`` follows ``signal`` and ``group == "a"``; ``noise_1``, ``noise_2`` and ``shade`` are noise."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "signal": rng.normal(size=n),
        "noise_1": rng.normal(size=n),
        "group": rng.choice(["a", "b", "c"], n),
        "noise_2": rng.uniform(size=n),
        "shade": rng.choice(["light", "dark"], n),
    })
    frame["y"] = np.where(frame["signal"] + 2.0 * (frame["group"] == "a") > 0.7, "yes", "no")
    return frame


@pytest.fixture(scope="module")
def planted():
    return train_tabular(planted_frame(), "y", seed=0, **{**FAST, "hidden_units": (16,), "epochs": 60})


@pytest.fixture(scope="module")
def planted_explained(planted):
    return {method: explain(planted, method=method, last=12, seed=0, n_samples=LIME_SAMPLES if method == "lime" else None)
            for method in ("shap", "lime")}


@pytest.mark.parametrize("method", ["shap", "lime"])
def test_the_planted_numeric_and_categorical_columns_rank_top(planted_explained, method):
    importance = planted_explained[method].global_importance()
    assert set(importance.index[:2]) == {"signal", "group"}, importance


def test_one_row_per_original_column_with_the_contract_columns(planted, planted_explained):
    frame = planted_explained["shap"].to_frame()
    assert list(frame.columns) == list(COLUMNS)
    assert sorted(frame["feature"].unique()) == sorted(planted.preprocessing.required_columns)
    assert frame["case"].tolist()[:: len(planted.preprocessing.required_columns)] == list(planted.frames["test"].index[-12:])
    assert (frame["label"] == "yes").all()


def test_shap_contributions_add_up_to_the_probability_after_folding(planted):
    result = explain(planted, method="shap", explainer="kernel", last=4, seed=0, n_samples=4000)
    frame = result.to_frame()
    per_case = frame.groupby("case", sort=False).agg(
        weights=("feature_weight", "sum"), base=("base_value", "first"), prob=("label_prob", "first")
    )
    expected = planted.estimator.predict_proba(planted.preprocessing.features(planted.frames["test"].tail(4)))[:, 1]
    np.testing.assert_allclose(per_case["prob"], expected)
    np.testing.assert_allclose(per_case["base"] + per_case["weights"], expected, atol=1e-6)
    assert result.quality["additivity_max_error"] < 1e-6


@pytest.mark.parametrize("method", ["shap", "lime"])
def test_categories_and_missing_cells_are_described_in_their_own_words(fitted, mixed, method):
    result = fitted("label")
    test = result.frames["test"]
    frame = explain(result, method=method, last=len(test), seed=0, n_samples=300).to_frame()
    colour = frame[frame["feature"] == "colour"].set_index("case")
    for label, value in test["colour"].items():
        assert colour.loc[label, "feature_desc"] == (f"colour = {value}" if isinstance(value, str) else "colour = missing")
    assert colour["feature_value"].isna().all()
    x = frame[frame["feature"] == "x"].set_index("case")
    missing = test["x"].isna()
    assert missing.any() and (~missing).any()
    assert (x.loc[missing[missing].index, "feature_desc"] == "x = missing").all()
    np.testing.assert_allclose(x.loc[missing[~missing].index, "feature_value"], test["x"].dropna())
    assert set(frame["feature"]) == {"x", "colour", "flag"}  # one-hot and indicator columns folded


def test_multiclass_explains_the_predicted_class_by_default(fitted):
    result = fitted("kind")
    test = result.frames["test"]
    frame = explain(result, method="shap", last=len(test), seed=0).to_frame().drop_duplicates("case").set_index("case")
    predicted = result.preprocessing.prediction_frame(result.estimator, result.preprocessing.features(test))
    assert frame["label"].tolist() == predicted["class"].astype(str).tolist()
    assert len(set(frame["label"])) > 1
    chosen = [predicted.loc[label, f"prob_{cls}"] for label, cls in predicted["class"].items()]
    np.testing.assert_allclose(frame["label_prob"], chosen, rtol=1e-6)
    deep = explain(result, method="shap", explainer="deep", last=len(test), seed=0).to_frame()
    sums = deep.groupby("case", sort=False).agg(weights=("feature_weight", "sum"), base=("base_value", "first"))
    np.testing.assert_allclose(sums["base"] + sums["weights"], chosen, atol=1e-4)  # each row's own class


def test_multiclass_explains_a_class_given_by_label(fitted):
    result = fitted("kind")
    frame = explain(result, method="lime", last=3, seed=0, n_samples=300, label="high").to_frame()
    rows = result.frames["test"].tail(3)
    probs = result.preprocessing.prediction_frame(result.estimator, result.preprocessing.features(rows))
    assert (frame["label"] == "high").all()
    np.testing.assert_allclose(frame.drop_duplicates("case")["label_prob"], probs["prob_high"], rtol=1e-6)
    with pytest.raises(ParameterError, match=r"label: 'huge' is not a class of the model; its classes are high, low, mid"):
        explain(result, last=1, label="huge")


def test_regression_explains_the_predicted_value(fitted, mixed):
    result = fitted("amount")
    rows = result.frames["test"].tail(3)
    explained = explain(result, method="shap", explainer="deep", last=3, seed=0)  # DeepLIFT adds up exactly
    frame = explained.to_frame().drop_duplicates("case")
    prediction = result.estimator.predict(result.preprocessing.features(rows))
    assert (frame["label"] == "amount").all()
    np.testing.assert_allclose(frame["label_prob"], prediction, rtol=1e-6)
    np.testing.assert_allclose(frame["model_prediction"], prediction, atol=1e-4 * mixed["amount"].std())
    assert explained.explains("amount") == "predicted amount"
    with pytest.raises(ParameterError, match="label: a regression model explains its predicted value"):
        explain(result, last=1, label="amount")


@pytest.mark.parametrize("method", ["shap", "lime"])
def test_an_unseen_category_is_reported_not_a_crash(fitted, mixed, method):
    result = fitted("label")
    rows = responses_but(mixed, "label").tail(3).copy()
    rows.loc[rows.index[0], "colour"] = "purple"
    with pytest.warns(UnseenCategoryWarning, match="purple"):
        frame = explain(result, rows, method=method, last=3, seed=0, n_samples=300).to_frame()
    desc = frame[(frame["case"] == rows.index[0]) & (frame["feature"] == "colour")]["feature_desc"].item()
    assert desc == "colour = purple (unseen, read as (unknown))"
    assert np.isfinite(frame["feature_weight"]).all()


def test_a_bundle_explains_chosen_rows_like_its_result(fitted, mixed, tmp_path):
    result = fitted("label")
    rows = responses_but(mixed, "label")
    chosen = [int(rows.index[5]), int(rows.index[40])]
    bundle = load_bundle(result.save(tmp_path / "model"))
    background = result.frames["train"]
    from_result = explain(result, rows, rows=chosen, seed=0).to_frame()
    from_bundle = explain(bundle, rows, rows=chosen, background=background, seed=0).to_frame()
    from_path = explain(tmp_path / "model", rows.drop(columns=["label"]), rows=chosen, background=background, seed=0)
    assert from_result["case"].unique().tolist() == chosen
    pd.testing.assert_frame_equal(from_result, from_bundle)
    pd.testing.assert_frame_equal(from_result, from_path.to_frame())
    alone = explain(bundle, rows, rows=chosen[1:], background=background, seed=0).to_frame()
    pd.testing.assert_frame_equal(alone.reset_index(drop=True), from_bundle[from_bundle["case"] == chosen[1]].reset_index(drop=True))


def test_a_bundle_without_data_or_with_bad_rows_is_refused(fitted, mixed, tmp_path):
    bundle = load_bundle(fitted("label").save(tmp_path / "model"))
    rows = responses_but(mixed, "label")
    with pytest.raises(ParameterError, match="data: explaining the bundle .* needs rows"):
        explain(bundle)
    with pytest.raises(DataError, match=r"rows: 9999 is not a row label of the data \(its labels run from 0 to 239\)"):
        explain(bundle, rows, rows=[3, 9999])
    with pytest.raises(DataError, match="column 'colour': the model was trained with it, but the frame lacks it"):
        explain(bundle, rows.drop(columns=["colour"]))
    with pytest.raises(ParameterError, match="dates: a tabular model explains rows, not dates"):
        explain(bundle, rows, dates=["2024-01-02"])
    with pytest.raises(ParameterError, match="label: a binary model explains the probability of its positive class 'yes'"):
        explain(bundle, rows, label="no")


def test_ranking_and_rank_agreement_work_on_rows(planted_explained):
    shap, lime = planted_explained["shap"], planted_explained["lime"]
    case = shap.cases[0]
    assert set(shap.ranking(case)) == {"signal", "noise_1", "group", "noise_2", "shade"}
    agreement = rank_agreement(shap, lime)
    assert agreement["case"].tolist() == [*shap.cases, "overall"]
    assert agreement.iloc[-1]["spearman"] > 0.5


def test_titanic_survival_rests_on_sex(shared_data):
    result = train_tabular(shared_data("tabular/titanic_train.csv"), "Survived", seed=0, epochs=30)
    explained = explain(result, method="shap", last=40, seed=0)
    importance = explained.global_importance()
    assert "Sex" in importance.index[:3], importance
    sex = explained.to_frame().query("feature == 'Sex'")
    assert set(sex["feature_desc"]) == {"Sex = female", "Sex = male"}
    assert explained.explains("1") == "P(Survived = 1)"


def test_lime_samples_go_back_through_the_model_preprocessing_unchanged(fitted, mixed):
    from pyanalytics.explain.tabular import _cases, _lime_space

    rows = responses_but(mixed, "label").copy()
    rows.loc[rows.index[1], "colour"] = "purple"
    rows["flag"] = rows["flag"].astype(object)
    rows.loc[rows.index[2], "flag"] = None
    with pytest.warns(UnseenCategoryWarning):
        cases = _cases(fitted("label"), rows, None, len(rows), None, None)
        names, categorical, _, encode, decode = _lime_space(cases)
        np.testing.assert_array_equal(cases.inputs(decode(encode(rows))), cases.inputs(rows))
    assert names == ["x", "colour", "flag", "x (missing)"]
    assert categorical[1] == ["blue", "green", "red", "(unknown)", "(missing)"]  # colour had missing cells


@pytest.mark.parametrize("argument", [{"rows": [3]}, {"label": "up"}])
def test_a_direction_model_takes_dates_not_rows_or_a_label(argument):
    from pyanalytics.finance import synthetic_market
    from pyanalytics.finance.training import train_direction_model

    result = train_direction_model(synthetic_market(400), model_params={"epochs": 1}, seed=0)
    name = next(iter(argument))
    with pytest.raises(ParameterError, match=f"{name}: only tabular models take {name}; a direction model explains dates"):
        explain(result, **argument)
