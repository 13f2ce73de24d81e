"""The Python side of the R package: what reticulate sends in and gets back."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.bundle import Bundle, load_bundle, save_bundle
from pyanalytics.errors import BundleError, ParameterError
from pyanalytics.interop import r_api


def test_columns_are_r_ready_vectors():
    frame = pd.DataFrame(
        {"n": [1, 2], "x": [0.5, np.nan], "flag": [True, False], "s": ["a", None]},
        index=pd.DatetimeIndex(["2024-01-02", "2024-01-03"], name="date"),
    )
    columns = r_api.columns(frame)
    assert list(columns) == ["date", "n", "x", "flag", "s"]
    assert columns["date"].dtype == "datetime64[ns]"
    assert columns["n"].dtype == np.int32  # an R integer, not a double
    assert columns["flag"].dtype == bool
    assert columns["s"].tolist() == ["a", None]
    assert np.isnan(columns["x"][1])


def test_integers_r_cannot_hold_stay_as_they_are():
    assert r_api.columns(pd.DataFrame({"volume": [2**40]}))["volume"].dtype == np.int64
    with_na = r_api.columns(pd.DataFrame({"n": pd.array([1, None], dtype="Int64")}))["n"]
    assert with_na[0] == 1 and pd.isna(with_na[1])


def test_in_memory_bundle_predicts_exactly_as_the_saved_one(strong_result, strong_bundle_dir, strong_market):
    in_memory = r_api.predict(strong_result, strong_market, last=50.0)  # R sends doubles
    loaded = r_api.predict(r_api.load(str(strong_bundle_dir)), strong_market, last=50)
    for name in ("date", "prob_up", "signal"):
        np.testing.assert_array_equal(in_memory[name], loaded[name])
    assert r_api.summary(strong_result)["periods"] == r_api.summary(load_bundle(strong_bundle_dir))["periods"]


def test_a_loaded_bundle_is_copied_whole_and_verified(strong_bundle_dir, tmp_path):
    copy = tmp_path / "copy"
    assert r_api.save(r_api.load(str(strong_bundle_dir)), str(copy)) == str(copy)
    assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in strong_bundle_dir.iterdir())
    assert load_bundle(copy).metadata == load_bundle(strong_bundle_dir).metadata
    bundle = load_bundle(copy)
    assert save_bundle(bundle, copy) == copy  # onto itself: nothing to do
    (copy / "preprocessing.json").write_text("{}")  # changed on disk after loading
    second = save_bundle(bundle, tmp_path / "second")  # copies the bytes verified at load, not the disk
    assert (second / "preprocessing.json").read_bytes() == bundle.files["preprocessing.json"]
    assert load_bundle(second).metadata == bundle.metadata


def test_an_in_memory_bundle_has_no_files_to_copy(strong_result, tmp_path):
    with pytest.raises(BundleError, match="save its TrainingResult"):
        save_bundle(Bundle.from_result(strong_result), tmp_path / "x")


def test_evaluate_gives_one_row_per_model_with_the_model_first(strong_result, strong_market):
    metrics = r_api.evaluate(strong_result, strong_market)["metrics"]
    assert metrics["model"][0] == "dnn"
    assert set(metrics["model"]) == set(strong_result.metrics)
    assert metrics["roc_auc"][0] == pytest.approx(strong_result.metrics["dnn"]["roc_auc"])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: r_api.load_prices(42.0), "x: expected a data.frame of prices or a CSV path"),
        (lambda: r_api.fit(pd.DataFrame(), epochs="ten"), "epochs: expected an integer >= 1, got 'ten'"),
        (lambda: r_api.save(object(), "/tmp/x"), "model: expected a model from pa_fit"),
        (lambda: r_api.load(""), "path: expected a file path"),
    ],
)
def test_bad_arguments_name_themselves(call, message):
    with pytest.raises(ParameterError, match=message):
        call()


def test_walk_forward_of_several_tickers_gives_rows_and_the_portfolio():
    from pyanalytics.errors import DataError
    from pyanalytics.finance import synthetic_market

    markets = {"A": synthetic_market(900, seed=1), "B": synthetic_market(800, seed=2)}
    result = r_api.walk_forward(markets, folds=2.0, epochs=1.0, model_params={"hidden_units": [8]})
    assert result["summary"]["ticker"].tolist() == ["A", "B"]
    assert set(result["tickers"]) == {"A", "B"}
    assert result["tickers"]["B"]["folds"]["fold"].tolist() == [1, 2]
    assert result["portfolio"]["strategy"]["n_days"] == result["portfolio"]["buy_and_hold"]["n_days"] > 0
    daily = result["portfolio_daily"]  # R plots the portfolio's equity from it
    assert len(daily["date"]) == result["portfolio"]["strategy"]["n_days"]
    assert daily["equity"][-1] - 1 == pytest.approx(result["portfolio"]["strategy"]["total_return"])
    with pytest.raises(DataError, match="^B: prices: missing required column"):
        r_api.walk_forward({"A": markets["A"], "B": markets["B"][["open"]]}, folds=2, epochs=1, strict=True)


def test_r_calls_a_function_by_name_and_gets_its_data_warnings_as_r_lines(monkeypatch):
    import warnings

    from pyanalytics.errors import DataWarning

    def noisy(x, *, scale):
        warnings.warn("hidden_units[0] is nan", DataWarning)
        warnings.warn("something else", RuntimeWarning)
        return x * scale

    monkeypatch.setattr(r_api, "noisy", noisy, raising=False)
    with pytest.warns(RuntimeWarning, match="something else") as shown:
        value, caught = r_api.call_recording_data_warnings("noisy", 2, scale=3)
    assert value == 6
    assert caught == ["hidden_units[1] is NA"]
    assert not [w for w in shown if issubclass(w.category, DataWarning)]
