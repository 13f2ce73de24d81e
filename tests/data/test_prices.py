"""Tests for pyanalytics.data.prices: the prices contract and its one-line errors."""

import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pyanalytics.data import (
    PRICE_COLUMNS,
    load_prices,
    require_rows,
    synthetic_market,
    validate_prices,
)
from pyanalytics.errors import DataError, ParameterError

DATA_DIR = Path(
    os.environ.get("PYANALYTICS_DATA_DIR")
    or Path(__file__).resolve().parents[2].parent / "shared" / "data"
)
YAHOO_NAMES = {
    "open": "Open",
    "high": "High",
    "low": "Low",
    "close": "Close",
    "adj_close": "Adj Close",
    "volume": "Volume",
}


@pytest.fixture
def aapl_csv() -> Path:
    path = DATA_DIR / "prices" / "AAPL.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found; set PYANALYTICS_DATA_DIR to the shared data directory")
    return path


def yahoo_table(n_days: int = 8) -> pd.DataFrame:
    """A valid Yahoo-style table of text cells; dates are 2000-01-03, -04, -05, -06, -07, -10..."""
    table = synthetic_market(n_days, seed=3).rename(columns=YAHOO_NAMES)
    table = table.rename_axis("Date").reset_index()
    table["Date"] = table["Date"].dt.strftime("%Y-%m-%d")
    return table.astype(str)


def write_csv(tmp_path: Path, table: pd.DataFrame) -> Path:
    path = tmp_path / "prices.csv"
    table.to_csv(path, index=False)
    return path


def test_load_aapl_meets_the_contract(aapl_csv):
    prices = load_prices(aapl_csv)

    assert len(prices) == 10_767
    assert tuple(prices.columns) == PRICE_COLUMNS
    assert (prices.dtypes == np.float64).all()
    assert prices.index.name == "date"
    assert prices.index.dtype == "datetime64[ns]"
    assert prices.index.is_unique and prices.index.is_monotonic_increasing
    assert prices.index[0] == pd.Timestamp("1980-12-12")
    assert prices.loc["1980-12-12", "close"] == pytest.approx(0.128348)
    assert prices.loc["1981-08-10", "volume"] == 0.0


def test_load_aapl_is_fast(aapl_csv):
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        load_prices(aapl_csv)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.25


def test_frame_with_yahoo_columns_and_frame_with_datetime_index_agree(tmp_path):
    table = yahoo_table()
    from_csv = load_prices(write_csv(tmp_path, table))
    yahoo = table.assign(Ticker="XYZ")[["Ticker", "Volume", "Date", "Adj Close", "Close",
                                        "Open", "High", "Low"]]
    indexed = synthetic_market(8, seed=3).rename(columns=YAHOO_NAMES).rename_axis(None)
    yahoo_before, indexed_before = yahoo.copy(), indexed.copy()

    pd.testing.assert_frame_equal(load_prices(yahoo), from_csv)
    pd.testing.assert_frame_equal(load_prices(indexed), from_csv)
    pd.testing.assert_frame_equal(yahoo, yahoo_before)
    pd.testing.assert_frame_equal(indexed, indexed_before)


@pytest.mark.parametrize("date_name", ["date", "Date", "datetime", " Timestamp "])
def test_date_column_names_are_recognised(date_name):
    frame = yahoo_table().rename(columns={"Date": date_name})
    assert validate_prices(frame).index[0] == pd.Timestamp("2000-01-03")


def test_validate_is_idempotent_and_returns_a_copy():
    prices = synthetic_market(50, seed=1)
    once = validate_prices(prices)
    pd.testing.assert_frame_equal(validate_prices(once), once)
    once.iloc[0, 0] = -1.0
    assert prices.iloc[0, 0] > 0


def test_adj_close_is_optional_and_volume_zero_is_valid(tmp_path):
    table = yahoo_table().drop(columns="Adj Close")
    table.loc[2, "Volume"] = "0"
    prices = load_prices(write_csv(tmp_path, table))
    assert tuple(prices.columns) == ("open", "high", "low", "close", "volume")
    assert prices["volume"].iloc[2] == 0.0


# Each case corrupts one cell of yahoo_table(): (column, 1-based row, new text, message).
BAD_CELLS = {
    "unparseable date": ("Date", 5, "2000-13-45",
                         "column 'date', row 5: value '2000-13-45' is not a date"),
    "duplicate date": ("Date", 5, "2000-01-05",
                       "column 'date', row 5 (2000-01-05): same date as row 3"),
    "unsorted dates": ("Date", 5, "2000-01-01",
                       "column 'date', row 5 (2000-01-01): earlier than row 4 (2000-01-06)"),
    "NaN": ("Close", 4, "NaN", "column 'close', row 4 (2000-01-06): value 'NaN' is not a number"),
    "inf": ("High", 6, "inf", "column 'high', row 6 (2000-01-10): value 'inf' is infinite"),
    "null": ("Adj Close", 2, "null",
             "column 'adj_close', row 2 (2000-01-04): value 'null' is not a number"),
    "empty cell": ("Open", 7, "", "column 'open', row 7 (2000-01-11): cell is empty"),
    "zero price": ("Low", 3, "0", "column 'low', row 3 (2000-01-05): value '0' is not positive"),
    "negative price": ("Close", 8, "-1.5",
                       "column 'close', row 8 (2000-01-12): value '-1.5' is not positive"),
    "text volume": ("Volume", 4, "None",
                    "column 'volume', row 4 (2000-01-06): value 'None' is not a number"),
    "negative volume": ("Volume", 2, "-100",
                        "column 'volume', row 2 (2000-01-04): value '-100' is negative"),
}


@pytest.mark.parametrize(("column", "row", "text", "message"), BAD_CELLS.values(),
                         ids=BAD_CELLS.keys())
def test_bad_cell_is_reported_with_column_row_and_date(tmp_path, column, row, text, message):
    table = yahoo_table()
    table.loc[row - 1, column] = text
    path = write_csv(tmp_path, table)
    with pytest.raises(DataError, match=re.escape(f"prices '{path}': {message}")) as caught:
        load_prices(path)
    assert "\n" not in str(caught.value)


def test_first_bad_row_is_reported_by_position_not_label():
    table = yahoo_table().set_axis(range(100, 92, -1))
    table.iloc[[2, 5], table.columns.get_loc("Close")] = "x"
    with pytest.raises(DataError, match=re.escape("column 'close', row 3 (2000-01-05)")):
        validate_prices(table)


def test_missing_columns_are_all_named_with_the_columns_found(tmp_path):
    path = write_csv(tmp_path, yahoo_table().drop(columns=["Close", "Volume"]))
    found = "'Date', 'Open', 'High', 'Low', 'Adj Close'"
    with pytest.raises(DataError, match=re.escape(f"'close', 'volume'; found {found}")):
        load_prices(path)


def test_missing_date_column_is_named():
    with pytest.raises(DataError, match="missing required column\\(s\\) 'date';"):
        validate_prices(yahoo_table().drop(columns="Date"))


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "is empty"), ("Date,Open,High,Low,Close,Adj Close,Volume\n", "no rows")],
    ids=["empty file", "header only"],
)
def test_file_without_rows_is_a_data_error(tmp_path, content, message):
    path = tmp_path / "prices.csv"
    path.write_text(content)
    with pytest.raises(DataError, match=message):
        load_prices(path)


def test_missing_file_is_named(tmp_path):
    path = tmp_path / "nowhere" / "AAPL.csv"
    with pytest.raises(DataError, match=re.escape(f"file '{path}' does not exist")):
        load_prices(str(path))


def test_wrong_arguments_are_parameter_errors():
    with pytest.raises(ParameterError, match="source is a list"):
        load_prices([1, 2])
    with pytest.raises(ParameterError, match="unknown column\\(s\\) 'vwap'"):
        validate_prices(yahoo_table(), required=("close", "vwap"))


def test_require_rows():
    prices = synthetic_market(5)
    require_rows(prices, 5, "a 5-day average")
    expected = "prices: 5 rows, but a 200-day average needs at least 200; supply a longer history."
    with pytest.raises(DataError, match=f"^{re.escape(expected)}$"):
        require_rows(prices, 200, "a 200-day average")
