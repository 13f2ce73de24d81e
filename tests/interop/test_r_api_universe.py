"""The R side's walk-forward of a universe: paths, folders and globs routed to walk_forward_many, and its tables."""

import numpy as np
import pytest
from price_csv import write_price_csv

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import synthetic_market
from pyanalytics.interop import r_api

TINY = {"folds": 2, "epochs": 1.0, "engine": "serial", "model_params": {"hidden_units": [8]}}




@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two good tickers (one planted) and one with a zero open."""
    root = tmp_path_factory.mktemp("r_universe")
    write_price_csv(root / "AAA.csv", synthetic_market(600, signal_strength=2.0, seed=1))
    write_price_csv(root / "BBB.csv", synthetic_market(600, seed=2))
    bad = synthetic_market(600, seed=3)
    bad.iloc[10, bad.columns.get_loc("open")] = 0.0
    write_price_csv(root / "ZERO.csv", bad)
    return root


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return str(tmp_path_factory.mktemp("r_universe_store"))


@pytest.fixture(scope="module")
def payload(folder, store):
    return r_api.walk_forward(str(folder), cross_section=True, min_tickers=2.0, quantile=0.5, store=store, **TINY)


def test_a_folder_runs_as_a_universe_with_its_tables_for_r(payload):
    assert list(payload["tickers"]) == ["AAA", "BBB"]
    assert payload["skipped"]["ticker"].tolist() == ["ZERO"]
    assert "column 'open'" in payload["skipped"]["reason"][0]
    significance = payload["significance"]
    assert list(significance) == ["ticker", "sharpe", "sharpe_t", "excess_t", "n_days", "p_value", "p_adjusted",
                                  "discovery", "p_excess", "p_excess_adjusted", "beats_holding"]
    assert sorted(significance["ticker"]) == ["AAA", "BBB"] and significance["discovery"].dtype == bool
    distribution = payload["distribution"]
    assert distribution["statistic"].tolist() == ["model_auc", "auc_edge", "strategy_sharpe", "buy_and_hold_sharpe"]
    assert distribution["count"].tolist() == [2, 2, 2, 2]
    assert payload["deflated_sharpe"]["n_trials"] == 3  # two tickers and the cross-section
    pooled = payload["cross_section"]
    assert pooled["summary"]["quantile"] == 0.5 and pooled["folds"]["fold"].tolist() == [1, 2]
    assert pooled["daily"]["date"].dtype == "datetime64[ns]"
    assert pooled["daily"]["equity"][-1] - 1 == pytest.approx(pooled["summary"]["strategy"]["total_return"])
    run = payload["run"]
    assert (run["engine"], run["computed"], run["stored"], run["failed"]) == ("serial", 6, 0, 0)


def test_a_list_of_files_names_the_same_tickers_and_reuses_the_store(folder, payload, store):
    files = [str(folder / "AAA.csv"), str(folder / "BBB.csv")]
    assert r_api._is_universe(files) and r_api._is_universe(str(folder / "*.csv"))
    assert not r_api._is_universe(files[0])  # one file is one ticker, as before
    listed = r_api.walk_forward(files, cross_section=False, min_tickers=2.0, quantile=0.5, store=store, **TINY)
    assert list(listed["tickers"]) == ["AAA", "BBB"] and listed["cross_section"] is None
    assert listed["skipped"]["ticker"].tolist() == []
    assert (listed["run"]["computed"], listed["run"]["stored"]) == (0, 4)  # the folder's run stored them
    np.testing.assert_array_equal(listed["summary"]["model_auc"], payload["summary"]["model_auc"])


def test_strict_stops_at_the_bad_ticker_and_engine_settings_are_checked(folder):
    with pytest.raises(DataError, match="^ZERO: "):
        r_api.walk_forward(str(folder), strict=True, **TINY)
    with pytest.raises(ParameterError, match="^strict: expected TRUE or FALSE"):
        r_api.walk_forward(str(folder), strict="yes", **TINY)
    with pytest.raises(ParameterError, match="^engine: expected one of 'local'"):
        r_api.walk_forward(str(folder), **{**TINY, "engine": "spark"})
    assert r_api.engines() == ["local", "dask", "serial"]
