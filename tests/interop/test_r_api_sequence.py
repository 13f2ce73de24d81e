"""The R API's sequence functions: a result predicts as its saved bundle does, outcomes line forecasts up with
the times they forecast, and a misspelt setting is named with the settings."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.data.synthetic_series import seasonal_ar
from pyanalytics.errors import ParameterError
from pyanalytics.interop import r_api

SMALL = {"epochs": 2, "units": [4], "batch_size": 32}


@pytest.fixture(scope="module")
def series():
    return pd.DataFrame({"time": pd.date_range("2024-01-01", periods=400, freq="h"), "value": seasonal_ar(400, seed=0)})


@pytest.fixture(scope="module")
def forecaster(series):
    return r_api.fit_sequence("forecast", series, "value", time_column="time", window=24, horizon=4, period=12,
                              quantiles=[0.1, 0.5, 0.9], settings=SMALL)


def test_a_result_predicts_and_evaluates_as_its_loaded_bundle(forecaster, series, tmp_path):
    bundle = r_api.load(r_api.save(forecaster, str(tmp_path / "b")))
    before, after = r_api.sequence_predict(forecaster, series), r_api.sequence_predict(bundle, series)
    assert list(before) == ["time", "h1", "h2", "h3", "h4", *(f"lower_h{h}" for h in range(1, 5)),
                            *(f"upper_h{h}" for h in range(1, 5))]
    for column in before:
        np.testing.assert_array_equal(before[column], after[column])
    assert r_api.sequence_evaluate(forecaster, series)["verdict"] == r_api.sequence_evaluate(bundle, series)["verdict"]
    summary = r_api.sequence_summary(bundle)
    assert summary["horizon"] == 4 and summary["test_sets"]["test"]["windows"] == summary["parts"]["test"]


@pytest.mark.parametrize("source", ["test set", "newdata"])
def test_outcomes_put_each_forecast_at_the_time_it_forecasts(forecaster, series, source):
    data = None if source == "test set" else series
    outcomes = r_api.sequence_outcomes(forecaster, data, horizon=3)
    assert (outcomes["time"] - outcomes["origin"] == np.timedelta64(3, "h")).all()
    truth = series.set_index("time")["value"]
    np.testing.assert_array_equal(outcomes["actual"], truth.loc[pd.DatetimeIndex(outcomes["time"])].to_numpy())
    assert (outcomes["lower"] <= outcomes["predicted"]).all() and (outcomes["predicted"] <= outcomes["upper"]).all()


def test_a_misspelt_setting_or_a_horizon_beyond_the_model_is_named(forecaster, series):
    with pytest.raises(ParameterError, match="epoch: not a setting of a sequence model or its split; settings: .*epochs"):
        r_api.fit_sequence("forecast", series, "value", settings={"epoch": 2})
    with pytest.raises(ParameterError, match="horizon: expected at most the model's horizon 4, got 5."):
        r_api.sequence_outcomes(forecaster, series, horizon=5)
