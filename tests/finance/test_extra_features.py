"""A quant's own numeric columns of a price frame as extra features of the direction model."""

import json

import numpy as np
import pandas as pd
import pytest

from pyanalytics.bundle import Bundle, load_bundle
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import load_prices, synthetic_market
from pyanalytics.finance.features import FeatureSpec, build_dataset
from pyanalytics.finance.training import train_direction_model
from pyanalytics.finance.walk_forward import walk_forward

FAST = {"epochs": 8}


def market_with_columns(n_days=1200, seed=3) -> pd.DataFrame:
    """A random walk (nothing in its prices predicts it) plus two columns known at each close:
    ``hint``, a noisy reading of the next day's return (an analyst's call, say), and ``noise``."""
    prices = synthetic_market(n_days, seed=seed)
    rng = np.random.default_rng(seed + 1)
    next_return = np.log(prices["close"]).diff().shift(-1).to_numpy()
    hint = next_return / np.nanstd(next_return) + rng.normal(size=n_days)
    hint[-1] = rng.normal()  # the last day's call: its outcome is not in the data
    prices["hint"] = hint
    prices["noise"] = rng.normal(size=n_days)
    return prices


@pytest.fixture(scope="module")
def prices():
    return market_with_columns()


@pytest.fixture(scope="module")
def trained(prices):
    return {
        extras: train_direction_model(prices, extra_features=extras, model_params=FAST)
        for extras in ((), ("hint",), ("noise",))
    }


def test_a_column_carrying_next_day_information_beats_the_model_without_it_and_the_naive_baselines(trained):
    with_hint, without = trained[("hint",)].metrics, trained[()].metrics
    assert with_hint["dnn"]["roc_auc"] > 0.7
    assert with_hint["dnn"]["roc_auc"] > without["dnn"]["roc_auc"] + 0.15
    for naive in ("majority_class", "always_up", "previous_direction"):
        assert with_hint["dnn"]["roc_auc"] > with_hint[naive]["roc_auc"] + 0.15


def test_a_pure_noise_column_leaves_the_auc_near_one_half(trained):
    assert abs(trained[("noise",)].metrics["dnn"]["roc_auc"] - 0.5) < 0.07


def test_the_feature_at_a_date_is_the_column_value_at_that_date_and_later_values_do_not_change_it(prices):
    spec = FeatureSpec(extra_features=["hint"])
    X = build_dataset(prices, spec).X
    pd.testing.assert_series_equal(X["hint"], prices["hint"].loc[X.index], check_names=False)
    cut = X.index[400]
    changed = prices.copy()
    changed.loc[changed.index > cut, "hint"] += 100.0
    pd.testing.assert_frame_equal(build_dataset(changed, spec).X.loc[:cut], X.loc[:cut])


def test_the_column_is_scaled_with_statistics_of_the_training_part_only(trained):
    result = trained[("hint",)]
    train = result.dataset.X["hint"].iloc[result.rows["train"]]
    scaler = result.estimator.scaler_
    assert result.dataset.X.columns[-1] == "hint"
    assert scaler.mean_[-1] == pytest.approx(train.mean())
    assert scaler.scale_[-1] == pytest.approx(train.std(ddof=0))
    assert scaler.mean_[-1] != pytest.approx(result.dataset.X["hint"].mean(), abs=1e-4)


def test_a_saved_bundle_keeps_the_column_name_without_pickle_and_predicts_identically(trained, prices, tmp_path):
    result = trained[("hint",)]
    path = result.save(tmp_path / "model")
    document = json.loads((path / "preprocessing.json").read_text())
    assert document["feature_spec"]["extra_features"] == ["hint"]
    assert not list(path.rglob("*.pkl")) and not list(path.rglob("*.pickle"))
    loaded = load_bundle(path).predict(prices)
    pd.testing.assert_frame_equal(loaded, Bundle.from_result(result).predict(prices))
    assert len(loaded) == len(result.dataset.X) and loaded["prob_up"].std() > 0.05


def test_a_spec_without_extra_features_saves_as_before():
    assert "extra_features" not in FeatureSpec().to_dict()
    assert FeatureSpec.from_dict(FeatureSpec().to_dict()) == FeatureSpec()


@pytest.mark.parametrize("use", ["predict", "evaluate"])
def test_a_bundle_with_extra_features_refuses_prices_without_the_column_naming_it(trained, prices, tmp_path, use):
    bundle = load_bundle(trained[("hint",)].save(tmp_path / "model"))
    with pytest.raises(DataError, match=r"no column 'hint', an extra feature of this model") as error:
        getattr(bundle, use)(prices.drop(columns="hint"))
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "row, value, expected",
    [
        (700, "abc", r"column 'hint', row 701 \(\d{4}-\d\d-\d\d\): value 'abc' is not a number"),
        (700, np.inf, r"column 'hint', row 701 \(\d{4}-\d\d-\d\d\): value inf is infinite"),
        (700, np.nan, r"column 'hint', row 701 \(\d{4}-\d\d-\d\d\): missing after its first value"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_column_row_and_date(prices, row, value, expected):
    bad = prices.copy()
    bad["hint"] = bad["hint"].astype(object)
    bad.iloc[row, bad.columns.get_loc("hint")] = value
    date = bad.index[row].date().isoformat()
    with pytest.raises(DataError, match=expected) as error:
        build_dataset(bad, FeatureSpec(extra_features=["hint"]))
    assert date in str(error.value) and "\n" not in str(error.value)


def test_leading_missing_values_are_the_column_warm_up(prices):
    late = prices.copy()
    late.iloc[:200, late.columns.get_loc("hint")] = np.nan
    X = build_dataset(late, FeatureSpec(extra_features=["hint"])).X
    assert X.index[0] == late.index[200] and not X.isna().any().any()
    assert build_dataset(late).X.index[0] < X.index[0]  # the indicators' own warm-up is shorter


@pytest.mark.parametrize("name", ["close", "Volume", "date", "ret_1", "volume_z_20", ""])
def test_a_name_clashing_with_a_price_column_or_a_built_in_feature_is_refused(prices, name):
    with pytest.raises(ParameterError, match="extra_features"):
        train_direction_model(prices, extra_features=[name], model_params=FAST)


def test_the_spec_and_the_argument_cannot_name_different_columns(prices):
    with pytest.raises(ParameterError, match="pass them in one place"):
        train_direction_model(prices, spec=FeatureSpec(extra_features=["hint"]), extra_features=["noise"])


def test_load_prices_keeps_the_named_columns_of_a_csv_and_names_a_bad_cell(prices, tmp_path):
    frame = prices.reset_index()
    frame.to_csv(tmp_path / "p.csv", index=False)
    loaded = load_prices(tmp_path / "p.csv", extra=["hint"])
    assert list(loaded.columns)[-1] == "hint" and loaded["hint"].dtype == np.float64
    np.testing.assert_allclose(loaded["hint"], prices["hint"])
    assert "noise" not in loaded.columns and "hint" not in load_prices(tmp_path / "p.csv").columns
    frame["hint"] = frame["hint"].astype(object)
    frame.loc[9, "hint"] = "n/a"
    frame.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(DataError, match=r"column 'hint', row 10 \(.*\): value 'n/a' is not a number"):
        load_prices(tmp_path / "bad.csv", extra=["hint"])
    with pytest.raises(DataError, match="no column named 'sentiment'"):
        load_prices(tmp_path / "p.csv", extra=["sentiment"])


def test_without_the_option_the_numbers_are_unchanged(prices, trained):
    plain = prices.drop(columns=["hint", "noise"])
    again = train_direction_model(plain, model_params=FAST)
    assert again.metrics == trained[()].metrics
    assert list(again.dataset.X.columns) == list(FeatureSpec().names)


def test_walk_forward_uses_the_column_in_every_fold_and_its_report_says_so(prices, tmp_path):
    result = walk_forward(prices, folds=2, extra_features=["hint"], model_params={"epochs": 4})
    assert result.config["features"][-1] == "hint" and result.config["extra_features"] == ["hint"]
    assert result.metrics["dnn"]["roc_auc"] > 0.7
    from pyanalytics.finance.reports import write_walk_forward_report

    page = write_walk_forward_report(tmp_path / "wf.html", {"hinted": result}).read_text()
    assert "Your own features" in page and "hint (each date&#39;s value taken as known at its close)" in page
