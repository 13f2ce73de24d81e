"""Tests for pyanalytics.finance.prices: the prices contract and its one-line errors."""

import os
import re
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import (
    PRICE_COLUMNS,
    REQUIRED_COLUMNS,
    DataWarning,
    load_prices,
    require_rows,
    synthetic_market,
    validate_prices,
)

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
def aapl_csv(aapl_path) -> Path:
    return aapl_path


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
    with pytest.raises(DataError, match=re.escape(message)) as caught:
        load_prices(path)
    assert str(caught.value).startswith(f"prices '{path}': ")
    assert "\n" not in str(caught.value)


def test_bad_rows_are_reported_by_position_not_label():
    table = yahoo_table().set_axis(range(100, 92, -1))
    table.iloc[[2, 5], table.columns.get_loc("Close")] = "x"
    with pytest.raises(DataError, match=re.escape("first in rows 3 (2000-01-05), 6 (2000-01-10)")):
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


# Issue 10, point 7: every invalid row in one summary, an option to drop them, Open optional.


def zero_open_files() -> list[Path]:
    """The real universe files holding rows with Open = 0 (none when the folder is absent)."""
    folder = DATA_DIR / "universe"
    if not folder.is_dir():
        return []
    return [path for path in sorted(folder.glob("*.csv")) if ",0.000000," in path.read_text()[:2_000_000]]


def expected_invalid(path: Path) -> pd.DataFrame:
    """Per row, whether each column breaks the contract, computed here without pyanalytics."""
    raw = pd.read_csv(path)
    prices = raw.drop(columns=["Date", "Volume"]).apply(pd.to_numeric, errors="coerce")
    volume = pd.to_numeric(raw["Volume"], errors="coerce")
    return pd.concat([~(prices > 0), ~(volume >= 0).rename("Volume")], axis=1)


@pytest.fixture(params=zero_open_files() or [None], ids=lambda path: path.stem if path else "absent")
def zero_open_csv(request, shared_data) -> Path:
    shared_data("universe")  # where the folder is absent: skip, saying the test needs the shared data
    return request.param


@pytest.mark.filterwarnings("ignore:.*adj_close moves apart:pyanalytics.errors.DataWarning")
def test_real_files_with_zero_opens_are_summarised_per_column_then_dropped(zero_open_csv):
    invalid = expected_invalid(zero_open_csv)
    n_open = int(invalid["Open"].sum())
    n_rows, n_bad = len(invalid), int(invalid.any(axis=1).sum())
    assert n_open > 0

    with pytest.raises(DataError) as caught:
        load_prices(zero_open_csv)
    message = str(caught.value)
    assert "\n" not in message
    assert f"{n_bad:,} of {n_rows:,} rows invalid" in message
    assert f"column 'open': {n_open:,} values not positive" in message
    assert "--drop-invalid" in message and "drop_invalid" in message

    with pytest.warns(DataWarning, match=f"dropped {n_bad:,} of {n_rows:,} rows as invalid"):
        prices = load_prices(zero_open_csv, drop_invalid=True)
    assert len(prices) == n_rows - n_bad
    assert (prices[["open", "high", "low", "close", "adj_close"]] > 0).all().all()
    dropped = prices.attrs["dropped"]
    assert (dropped.loc[dropped["column"] == "open", "problem"] == "not positive").sum() == n_open
    assert not prices.index.isin(dropped["date"]).any()


def test_one_summary_counts_every_invalid_cell_by_column_with_first_dates(tmp_path):
    table = yahoo_table(40)
    table.loc[[0, 1, 2, 3], "Open"] = "0"
    table.loc[10, ["Open", "High", "Low", "Close", "Adj Close", "Volume"]] = "null"
    table.loc[[20, 30], "Volume"] = "-5"
    path = write_csv(tmp_path, table)
    dates = table["Date"]

    with pytest.raises(DataError) as caught:
        load_prices(path)

    message = str(caught.value)
    assert message.startswith(f"prices '{path}': 7 of 40 rows invalid: ")
    assert (f"column 'open': 4 values not positive ('0'), first in rows 1 ({dates[0]}), "
            f"2 ({dates[1]}), 3 ({dates[2]}), ...") in message
    assert f"column 'close', row 11 ({dates[10]}): value 'null' is not a number" in message
    assert f"column 'volume': 2 values negative ('-5'), first in rows 21 ({dates[20]}), 31 ({dates[30]})" in message
    assert f"column 'volume', row 11 ({dates[10]}): value 'null' is not a number" in message


def test_drop_invalid_returns_the_valid_rows_and_says_what_it_dropped(tmp_path):
    table = yahoo_table(40)
    table.loc[10, ["Open", "High", "Low", "Close", "Adj Close", "Volume"]] = "null"
    table.loc[25, "Date"] = "not a date"
    clean = load_prices(write_csv(tmp_path, table.drop(index=[10, 25])))

    with pytest.warns(DataWarning) as caught:
        prices = validate_prices(table, drop_invalid=True)

    pd.testing.assert_frame_equal(prices, clean)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith("prices: dropped 2 of 40 rows as invalid: column 'date', row 26: value 'not a date'")
    assert "2 of them inside the history" in message and "38 rows left" in message
    dropped = prices.attrs["dropped"]
    assert list(dropped.columns) == ["row", "date", "column", "value", "problem"]
    assert sorted(set(dropped["row"])) == [11, 26]
    assert len(dropped) == 7


def test_drop_invalid_refuses_when_no_row_is_left_and_checks_its_argument():
    table = yahoo_table(3).assign(Close="null")
    with pytest.raises(DataError, match="all 3 rows invalid: .*; fix the data"):
        validate_prices(table, drop_invalid=True)
    with pytest.raises(ParameterError, match="drop_invalid: expected True or False, got 'yes'"):
        validate_prices(yahoo_table(), drop_invalid="yes")


def test_only_the_columns_the_features_use_are_required(tmp_path):
    from pyanalytics.finance.features import FeatureSpec

    assert REQUIRED_COLUMNS == FeatureSpec().required_columns
    table = yahoo_table()[["Date", "Close", "Volume"]]
    prices = load_prices(write_csv(tmp_path, table))
    assert tuple(prices.columns) == ("close", "volume")


def test_only_optional_columns_invalid_says_they_can_be_left_out():
    table = yahoo_table(10)
    table.loc[[1, 2], "Open"] = "0"
    with pytest.raises(DataError, match=re.escape("or leave out the column(s) 'open', which are optional")):
        validate_prices(table)
    table.loc[3, "Close"] = "0"
    with pytest.raises(DataError) as caught:
        validate_prices(table)
    assert "leave out" not in str(caught.value)


def test_adj_close_jump_without_a_close_jump_is_flagged_with_its_dates():
    prices = synthetic_market(300, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        validate_prices(prices)
    shifted = prices.copy()
    shifted.loc[shifted.index[150:], "adj_close"] *= 1.2
    shifted.loc[shifted.index[200:], "adj_close"] *= 0.8
    expected = f"on 2 day(s) ({shifted.index[150]:%Y-%m-%d}, {shifted.index[200]:%Y-%m-%d})"
    with pytest.warns(DataWarning, match=re.escape(expected)):
        validate_prices(shifted)


# Issue 10, point 9: duplicated columns and intraday rows are refused.


def test_a_second_close_column_in_a_csv_is_refused_naming_both(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("Date,Open,High,Low,Close,Close,Volume\n2000-01-03,1,2,0.5,1.5,1.6,100\n")
    with pytest.raises(DataError, match=re.escape(
        "columns 'Close' (column 5) and 'Close' (column 6) both mean 'close'"
    )):
        load_prices(path)


def test_a_close_renamed_by_a_reader_is_refused():
    table = yahoo_table().assign(**{"Close.1": "1.0"})
    with pytest.raises(DataError, match=re.escape("column 'Close.1' is a second 'Close' renamed by the reader")):
        validate_prices(table)


@pytest.mark.parametrize(
    ("stamps", "message"),
    [
        (["2000-01-03 09:30", "2000-01-03 10:30", "2000-01-04 09:30"],
         "row 2 (2000-01-03 10:30:00): a second row on 2000-01-03 (2 rows that day)"),
        (["2000-01-03 16:00", "2000-01-04 16:00", "2000-01-05 16:00"],
         "row 1 (2000-01-03 16:00:00): a time of day; expected daily dates"),
    ],
    ids=["intraday bars", "daily bars with a time"],
)
def test_rows_with_a_time_of_day_are_refused_naming_the_first(stamps, message):
    table = yahoo_table(3).assign(Date=stamps)
    with pytest.raises(DataError, match=re.escape(message)):
        validate_prices(table)


# Issue 10, point 13: R's and quantmod's column names map like a CSV's headers.


@pytest.mark.parametrize(
    "names",
    [
        {"Adj Close": "Adj.Close"},
        {name: f"AAPL.{name}" for name in ("Open", "High", "Low", "Close", "Volume")} | {"Adj Close": "AAPL.Adjusted"},
        {name: f"BRK.B.{name.replace(' ', '.')}" for name in YAHOO_NAMES.values()},
        {"Adj Close": "adj_close", "Close": "CLOSE"},
    ],
    ids=["read.csv", "quantmod", "dotted ticker", "snake and upper case"],
)
def test_r_and_quantmod_column_names_map_like_the_csv_headers(tmp_path, names):
    table = yahoo_table()
    from_csv = load_prices(write_csv(tmp_path, table))
    pd.testing.assert_frame_equal(validate_prices(table.rename(columns=names)), from_csv)


def test_two_tickers_in_one_frame_are_refused_naming_both_columns():
    table = yahoo_table().rename(columns={"Close": "AAPL.Close"}).assign(**{"MSFT.Close": "1"})
    with pytest.raises(DataError, match=re.escape("columns 'AAPL.Close' (column 5) and 'MSFT.Close' (column 8)")):
        validate_prices(table)
