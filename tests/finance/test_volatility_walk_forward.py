"""walk_forward_volatility: folds that never let a training target reach the test block, stitched
forecasts scored as stated, the LSTM's verdict, real Apple prices, and bad input named."""

import json

import numpy as np
import pytest

from pyanalytics.errors import DataError, FoldError, ParameterError
from pyanalytics.evaluation.volatility_metrics import variance_metrics
from pyanalytics.finance import garch_market
from pyanalytics.finance.volatility import walk_forward_volatility
from pyanalytics.finance.volatility_data import volatility_data
from pyanalytics.finance.volatility_models import VOLATILITY_MODELS, HARVolatility, LSTMVolatility
from pyanalytics.jsonio import dumps

SMALL_LSTM = {"units": (8,), "epochs": 3, "patience": 1, "batch_size": 128}


@pytest.fixture(scope="module")
def prices():
    return garch_market(1400, seed=5)


@pytest.fixture(scope="module")
def result(prices):
    return walk_forward_volatility(prices, n_folds=3, window=10, lstm_params=SMALL_LSTM)


def test_every_model_forecasts_every_test_date_of_every_horizon(prices, result):
    forecasts = result.forecasts
    assert list(forecasts.columns) == ["date", "fold", "horizon", "realised", "lstm", "har", "ewma", "garch"]
    assert result.folds["n_test"].sum() == len(forecasts) / 2
    five, month = (forecasts[forecasts["horizon"] == h] for h in (5, 21))
    assert five["date"].tolist() == month["date"].tolist() and five["date"].is_monotonic_increasing
    assert (forecasts[["realised", "lstm", "har", "ewma", "garch"]] > 0).all().all()
    data = volatility_data(prices)
    assert np.array_equal(month["realised"], data.realised[21].loc[month["date"]].to_numpy())


def test_the_table_scores_the_stitched_variances(result):
    table = result.table()
    assert table[["model", "horizon"]].values.tolist() == [
        [m, h] for h in (5, 21) for m in ("lstm", "har", "ewma", "garch")]
    rows = result.forecasts[result.forecasts["horizon"] == 21]
    expected = variance_metrics(rows["realised"] ** 2, rows["garch"] ** 2)
    assert table.set_index(["model", "horizon"]).loc[("garch", 21)].to_dict() == pytest.approx(expected)
    assert len(result.fold_table()) == 3 * 2 * 4


def test_no_training_target_reaches_into_its_test_block(prices, monkeypatch):
    seen = []

    class Spy(HARVolatility):
        def fit(self, data, rows):
            seen.append(("fit", np.asarray(rows)))
            return super().fit(data, rows)

        def forecast(self, data, rows):
            seen.append(("forecast", np.asarray(rows)))
            return super().forecast(data, rows)

    monkeypatch.setitem(VOLATILITY_MODELS, "har", Spy)
    walk_forward_volatility(prices, n_folds=3, models=("har",), horizons=(5, 21))
    pairs = list(zip(seen[::2], seen[1::2]))
    assert len(pairs) == 3
    for (_, train), (_, test) in pairs:
        assert train.max() + 21 < test.min()  # the last training target ends before the block starts


def test_the_verdict_judges_the_lstm_on_qlike_per_horizon(result):
    verdicts = result.verdicts()
    assert set(verdicts) == {5, 21}
    for horizon, verdict in verdicts.items():
        assert verdict.metric == "qlike" and verdict.model == "lstm"
        assert verdict.baseline in ("har", "ewma", "garch")
        best = result.table().query("horizon == @horizon and model != 'lstm'")["qlike"].min()
        assert verdict.baseline_value == pytest.approx(best)
    assert result.verdict.startswith("5-day: lstm QLIKE ")
    assert " 21-day: lstm QLIKE " in result.verdict and "folds." in result.verdict


def test_the_summary_is_plain_json(result):
    summary = json.loads(dumps(result.summary()))
    assert summary["models"] == ["lstm", "har", "ewma", "garch"] and summary["horizons"] == [5, 21]
    assert summary["gap"] == 21 and summary["window"] == 10
    assert summary["verdicts"]["5"]["metric"] == "qlike"
    assert summary["folds"][0]["test_start"] > summary["folds"][0]["train_end"]
    assert len(summary["table"]) == 8


def test_volatility_forecast_is_a_dated_series_for_the_backtest(result):
    series = result.volatility_forecast("lstm", 21)
    assert series.index.is_monotonic_increasing and len(series) == result.folds["n_test"].sum()
    with pytest.raises(ParameterError, match=r"horizon: expected one of 5, 21, got 10"):
        result.volatility_forecast("lstm", 10)


def test_the_lstm_forecast_at_t_does_not_depend_on_later_rows(prices):
    data = volatility_data(prices)
    model = LSTMVolatility(window=10, seed=0, **SMALL_LSTM).fit(data, data.rows[:900])
    end = 1300
    truncated = volatility_data(prices.iloc[: end + 1])
    rows = np.arange(end - 40, end + 1)
    assert np.array_equal(model.forecast(truncated, rows), model.forecast(data, rows))
    with pytest.raises(DataError, match=r"LSTMVolatility.forecast: row 25 is outside the dates it can read \(rows 31 "
                                        r"to 1399, .* and a window of 10 days\)"):
        model.forecast(data, [25])


def test_without_the_lstm_there_is_no_verdict_but_the_lowest_qlike_is_named(prices):
    result = walk_forward_volatility(prices, n_folds=2, models=("ewma",))
    assert result.verdicts() == {}
    assert result.verdict.startswith("No LSTM in this run, so no verdict on it; the lowest QLIKE: 5-day ewma ")


def test_on_apple_every_forecaster_beats_even_a_constant_that_knew_the_whole_periods_variance(aapl):
    result = walk_forward_volatility(aapl, models=("har", "ewma", "garch"))
    assert result.folds["test_start"].iloc[0].year == 1988 and result.folds["test_end"].iloc[-1].year == 2023
    table = result.table().set_index(["model", "horizon"])
    for horizon, rows in result.forecasts.groupby("horizon"):
        realised = rows["realised"].to_numpy() ** 2
        oracle = variance_metrics(realised, np.full(len(realised), realised.mean()))["qlike"]
        for model in ("har", "ewma", "garch"):
            assert table.loc[(model, horizon), "qlike"] < 0.8 * oracle, (model, horizon)
    for model in ("har", "ewma", "garch"):  # a month's volatility is smoother, so easier to forecast
        assert table.loc[(model, 21), "qlike"] < table.loc[(model, 5), "qlike"]


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"window": 5000}, DataError, r"^window: 5000 days is longer than the 1378 dates with features \(2000-02-02 .. "
                                  r"2005-05-13\); pass a shorter window"),
    ({"horizons": (0, 5)}, ParameterError, r"^horizons\[0\]: expected an integer >= 1, got 0\.$"),
    ({"models": ("lstm", "arima")}, ParameterError, r"^models: expected one of 'lstm', 'har', 'ewma', 'garch', got 'arima'"),
    ({"lstm_params": {"layers": 2}}, ParameterError, r"^lstm_params: unknown setting 'layers'; expected some of units"),
    ({"n_folds": 1}, ParameterError, r"^n_folds: expected an integer >= 2, got 1\.$"),
    ({"n_folds": 2000}, DataError, r"^prices: 1357 labelled rows are too few for 2000 walk-forward folds"),
])
def test_bad_input_is_named_in_one_line_before_anything_is_fitted(prices, options, error, message):
    with pytest.raises(error, match=message) as raised:
        walk_forward_volatility(prices, **options)
    assert "\n" not in str(raised.value)


def test_a_failing_fold_names_the_fold_and_its_dates(prices):
    with pytest.raises(FoldError, match=r"^fold 1 of 2 \(train 2000-02-02\.\.\d{4}-\d\d-\d\d, test .*\): "
                                        r"LSTMVolatility.fit: no training date has a whole window of 600 days"):
        walk_forward_volatility(prices, n_folds=2, window=600, lstm_params=SMALL_LSTM)
