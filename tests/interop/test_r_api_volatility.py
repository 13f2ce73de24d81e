"""r_api.volatility: what pa_volatility receives, with R's doubles as arguments."""

import numpy as np
import pytest

from pyanalytics.errors import ParameterError
from pyanalytics.finance import garch_market
from pyanalytics.interop import r_api


@pytest.fixture(scope="module")
def frame():
    return garch_market(1100, seed=4).reset_index()


def test_volatility_returns_columns_sentences_and_the_targeting_table(frame):
    value, warned = r_api.call_recording_data_warnings(
        "volatility", frame, horizons=[5.0, 10.0], folds=2.0, models=["har", "garch"], target_volatility=0.2)
    assert warned == []
    assert list(value["table"]["model"]) == ["har", "garch", "har", "garch"]
    assert value["table"]["horizon"].dtype == np.int32  # an R integer
    assert value["forecasts"]["date"].dtype == np.dtype("datetime64[ns]")
    assert set(value["forecasts"]) == {"date", "fold", "horizon", "realised", "har", "garch"}
    assert value["verdict"][0].startswith("No LSTM in this run")
    assert list(value["targeting"]["strategy"]) == ["unscaled", "targeted_har", "targeted_garch"]
    assert value["targeting_summary"]["target_volatility"] == 0.2 and value["summary"]["horizons"] == [5, 10]


def test_bad_arguments_name_themselves(frame):
    with pytest.raises(ParameterError, match=r"range_feature: expected TRUE or FALSE, got 1"):
        r_api.volatility(frame, range_feature=1)
    with pytest.raises(ParameterError, match=r"epochs: expected an integer >= 1, got 0"):
        r_api.volatility(frame, epochs=0)
