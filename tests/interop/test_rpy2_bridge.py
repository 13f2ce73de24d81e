"""The rpy2 bridge: type mapping, round trips (a property test), .rds files, R calls, results."""

import subprocess
import sys
from datetime import date, datetime, timezone

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyanalytics.errors import DataError, ParameterError, RBridgeError
from pyanalytics.explain import COLUMNS, ExplanationResult
from pyanalytics.interop import rpy2_bridge as bridge

needs_r = pytest.mark.usefixtures("rpy2_r")

# What R sees of each column: its class, its NAs, and how many of them are NaN.
R_COLUMNS = """function(df) data.frame(
    column = names(df),
    class = vapply(df, function(x) paste(class(x), collapse = "/"), ""),
    na = vapply(df, function(x) sum(is.na(x)), 0L),
    nan = vapply(df, function(x) if (is.double(x)) sum(is.nan(x)) else 0L, 0L),
    row.names = NULL)"""


def r(code: str):
    """The R object ``code`` evaluates to, in the bridge's embedded R."""
    from rpy2 import robjects

    return robjects.r(code)


def r_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return bridge.call_r(R_COLUMNS, bridge.to_r(frame)).set_index("column")


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the dtypes the bridge returns: nullable columns without NA as numpy ones."""
    out = frame.copy()
    for name, column in frame.items():
        if isinstance(column.dtype, (pd.Int64Dtype, pd.BooleanDtype)) and not column.isna().any():
            out[name] = column.astype("int64" if column.dtype == "Int64" else bool)
    return out


@needs_r
class TestTypeMapping:
    def test_each_pandas_type_becomes_its_r_type_with_its_nas(self):
        frame = pd.DataFrame(
            {
                "x": [1.5, np.nan, 3.0],
                "n": np.array([1, 2, 3], dtype=np.int16),
                "n_na": pd.array([1, None, 3], dtype="Int64"),
                "flag": [True, False, True],
                "flag_na": pd.array([True, None, False], dtype="boolean"),
                "s": pd.Series(["a", None, "c"], dtype="str"),
                "obj": pd.Series(["a", np.nan, None], dtype=object),
                "sector": pd.Categorical(["tech", None, "energy"], categories=["tech", "energy"]),
                "size": pd.Categorical(["S", "L", "S"], categories=["S", "L"], ordered=True),
                "day": pd.to_datetime(["2020-01-01", None, "1960-05-03"]),
                "time": pd.to_datetime(["2020-01-01 10:30:00.25", None, "1960-05-03"], format="ISO8601"),
                "zoned": pd.to_datetime(["2020-01-01 10:30", "2020-06-01", None], format="ISO8601").tz_localize("CET"),
            }
        )
        described = r_columns(frame)
        assert described["class"].to_dict() == {
            "x": "numeric", "n": "integer", "n_na": "integer", "flag": "logical", "flag_na": "logical",
            "s": "character", "obj": "character", "sector": "factor", "size": "ordered/factor",
            "day": "Date", "time": "POSIXct/POSIXt", "zoned": "POSIXct/POSIXt",
        }  # fmt: skip
        assert described["na"].to_dict() == {
            "x": 1, "n": 0, "n_na": 1, "flag": 0, "flag_na": 1, "s": 1, "obj": 2, "sector": 1, "size": 0,
            "day": 1, "time": 1, "zoned": 1,
        }  # fmt: skip
        assert described["nan"].sum() == 0  # a missing float is R's NA_real_, not NaN

    def test_factor_levels_keep_their_order_and_come_back(self):
        frame = pd.DataFrame({"c": pd.Categorical(["b", "a", None], categories=["b", "a", "z"])})
        levels = bridge.call_r("function(df) levels(df$c)", frame)
        assert levels.tolist() == ["b", "a", "z"]
        back = bridge.to_pandas(bridge.to_r(frame))["c"]
        assert list(back.cat.categories) == ["b", "a", "z"] and back.isna().tolist() == [False, False, True]

    def test_r_types_come_back_as_documented(self):
        r_frame = bridge.call_r(
            """function(x) data.frame(
                d = as.Date(c("2020-01-02", NA)), i = c(1L, NA), j = 1:2, l = c(TRUE, NA), m = c(TRUE, FALSE),
                s = c("é", NA), f = factor(c("lo", NA), levels = c("lo", "hi")),
                t = as.POSIXct(c("2020-01-02 03:04:05", NA), tz = "America/New_York"),
                u = structure(c(0, NA), class = c("POSIXct", "POSIXt")))""",
            None,
        )
        assert r_frame.dtypes.astype(str).to_dict() == {
            "d": "datetime64[ns]", "i": "Int64", "j": "int64", "l": "boolean", "m": "bool", "s": "str",
            "f": "category", "t": "datetime64[ns, America/New_York]", "u": "datetime64[ns, UTC]",
        }  # fmt: skip
        assert r_frame["d"].iloc[0] == pd.Timestamp("2020-01-02")
        assert r_frame["t"].iloc[0] == pd.Timestamp("2020-01-02 03:04:05", tz="America/New_York")
        assert r_frame["s"].iloc[0] == "é" and pd.isna(r_frame["s"].iloc[1])

    def test_dates_outside_nanoseconds_keep_their_value(self):
        frame = pd.DataFrame({"d": pd.to_datetime(["2500-01-01", "1500-03-01"]).as_unit("us")})
        back = bridge.to_pandas(bridge.to_r(frame))
        assert back["d"].dtype == "datetime64[us]" and back["d"].tolist() == frame["d"].tolist()

    def test_strings_with_the_separator_and_empty_strings_survive(self):
        frame = pd.DataFrame({"s": pd.Series(["a\x1fb", "", None, "ü"], dtype="str")})
        pd.testing.assert_frame_equal(bridge.to_pandas(bridge.to_r(frame)), frame)
        plain = pd.DataFrame({"s": pd.Series(["", "", "x", ""], dtype="str")})
        pd.testing.assert_frame_equal(bridge.to_pandas(bridge.to_r(plain)), plain)

    @pytest.mark.parametrize("values", [[2**31], [-(2**31)], np.array([2**40], dtype=np.uint64)])
    def test_integers_beyond_r_integers_are_refused_naming_the_column(self, values):
        with pytest.raises(DataError, match=r"column 'volume'.*astype\(float\)"):
            bridge.to_r(pd.DataFrame({"volume": values}))

    @pytest.mark.parametrize(
        "column",
        [pd.to_timedelta([1, 2], unit="D"), np.array([1 + 2j, 3j]), pd.Series([1, "a"], dtype=object)],
        ids=["timedelta", "complex", "mixed objects"],
    )
    def test_columns_without_an_r_type_are_refused_naming_the_column(self, column):
        with pytest.raises(DataError, match="column 'odd'.*convert the column"):
            bridge.to_r(pd.DataFrame({"odd": column}))

    def test_an_r_list_column_is_refused_naming_it(self):
        r_frame = r("local({ df <- data.frame(a = 1:2); df$l <- list(1, 'x'); df })")
        with pytest.raises(DataError, match="R column 'l' is of type list"):
            bridge.to_pandas(r_frame)

    def test_wrong_objects_are_refused(self):
        with pytest.raises(ParameterError, match="expected a pandas DataFrame"):
            bridge.to_r(pd.Series([1.0]))
        with pytest.raises(ParameterError, match="expected an R data.frame, got an R numeric"):
            bridge.to_pandas(r("1"))
        with pytest.raises(ParameterError, match="expected an R data.frame, got a Python DataFrame"):
            bridge.to_pandas(pd.DataFrame({"x": [1.0]}))
        with pytest.raises(DataError, match="index .* cannot become a column"):
            bridge.to_r(pd.DataFrame({"date": [1.0]}, index=pd.Index([0], name="date")))


@needs_r
class TestRoundTrip:
    def test_prices_keep_their_date_index(self, aapl):
        r_frame = bridge.to_r(aapl)
        assert list(r_frame.names)[0] == "date"
        assert bridge.call_r("function(df) class(df$date)", r_frame).tolist() == ["Date"]
        pd.testing.assert_frame_equal(bridge.to_pandas(r_frame), aapl)
        pd.testing.assert_frame_equal(bridge.to_pandas(r_frame, index=None), aapl)
        assert "date" in bridge.to_pandas(r_frame, index=["open"]).columns

    def test_index_can_be_named_or_comes_from_r_row_names(self):
        r_frame = r("data.frame(day = as.Date('2020-01-01') + 0:1, v = 1:2)")
        assert bridge.to_pandas(r_frame, index="day").index.name == "day"
        with pytest.raises(ParameterError, match=r"\['date'\] not among"):
            bridge.to_pandas(r_frame, index="date")
        cars = bridge.call_r("function(x) head(mtcars, 2)", None)
        assert cars.index.tolist() == ["Mazda RX4", "Mazda RX4 Wag"]

    @settings(max_examples=60, deadline=None)
    @given(data=st.data(), n=st.integers(0, 25))
    def test_frames_round_trip_unchanged(self, data, n):
        """Dates (index and column, with NaT), floats with NaN and inf, integers with and without
        NA, booleans with and without NA, strings with None, an ordered and an unordered
        categorical with NA, and UTC times to the microsecond."""

        def column(elements):
            return data.draw(st.lists(elements, min_size=n, max_size=n))

        days = st.dates(date(1900, 1, 1), date(2200, 12, 31))
        maybe = lambda elements: st.one_of(st.none(), elements)  # noqa: E731
        text = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=6)
        stamps = st.datetimes(datetime(1900, 1, 1), datetime(2200, 1, 1), timezones=st.just(timezone.utc))
        frame = pd.DataFrame(
            {
                "price": column(st.floats(allow_nan=True, allow_infinity=True)),
                "count": np.array(column(st.integers(-(2**31) + 1, 2**31 - 1)), dtype=np.int64),
                "count_na": pd.array(column(maybe(st.integers(-(2**31) + 1, 2**31 - 1))), dtype="Int64"),
                "flag": np.array(column(st.booleans()), dtype=bool),
                "flag_na": pd.array(column(maybe(st.booleans())), dtype="boolean"),
                "name": pd.Series(column(maybe(text)), dtype="str"),
                "sector": pd.Categorical(column(maybe(st.sampled_from(["tech", "énergie", "retail"]))),
                                         categories=["tech", "énergie", "retail"]),
                "rating": pd.Categorical(column(maybe(st.sampled_from(["C", "B", "A"]))),
                                         categories=["C", "B", "A"], ordered=True),
                "listed": pd.to_datetime(column(maybe(days))).as_unit("ns"),
                "stamp": pd.to_datetime(column(maybe(stamps)), utc=True).as_unit("ns"),
            },
            index=pd.DatetimeIndex(column(days), name="date").as_unit("ns"),
        )
        back = bridge.to_pandas(bridge.to_r(frame))
        pd.testing.assert_frame_equal(back, canonical(frame))

    def test_a_frame_of_doubles_round_trips_bit_for_bit(self):
        frame = pd.DataFrame(np.random.default_rng(0).normal(size=(1000, 20))).add_prefix("x")
        back = bridge.to_pandas(bridge.to_r(frame))
        pd.testing.assert_frame_equal(back, frame, check_exact=True)


@needs_r
class TestRds:
    def test_write_then_read_gives_the_frame_back_and_r_reads_it(self, aapl, tmp_path):
        path = bridge.write_rds(aapl.head(100), tmp_path / "aapl.rds")
        assert path == tmp_path / "aapl.rds" and [p.name for p in tmp_path.iterdir()] == ["aapl.rds"]
        pd.testing.assert_frame_equal(bridge.read_rds(path), aapl.head(100))
        script = f"x <- readRDS('{path}'); cat(class(x$date), nrow(x), attr(x, 'pyanalytics.index'))"
        done = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
        assert done.stdout == "Date 100 date"

    def test_a_failed_write_leaves_nothing_and_keeps_the_old_file(self, tmp_path, monkeypatch):
        frame = pd.DataFrame({"x": [1.0, 2.0]})
        old = bridge.write_rds(frame.head(1), tmp_path / "old.rds")
        before = old.read_bytes()

        def fail(source, target):
            raise OSError("disk full")

        monkeypatch.setattr(bridge.os, "replace", fail)
        for target in (tmp_path / "new.rds", old):
            with pytest.raises(OSError, match="disk full"):
                bridge.write_rds(frame, target)
        assert [p.name for p in tmp_path.iterdir()] == ["old.rds"] and old.read_bytes() == before

    def test_any_r_object_can_be_written_but_only_a_data_frame_read(self, tmp_path):
        bridge.write_rds(r("list(a = 1)"), tmp_path / "list.rds")
        with pytest.raises(DataError, match="holds an R list, not a data.frame"):
            bridge.read_rds(tmp_path / "list.rds")

    def test_bad_paths_are_refused(self, tmp_path):
        with pytest.raises(DataError, match="no file at"):
            bridge.read_rds(tmp_path / "missing.rds")
        with pytest.raises(DataError, match="does not exist"):
            bridge.write_rds(pd.DataFrame({"x": [1.0]}), tmp_path / "no" / "x.rds")
        with pytest.raises(DataError, match="is a folder"):
            bridge.write_rds(pd.DataFrame({"x": [1.0]}), tmp_path)
        (tmp_path / "junk.rds").write_text("not an rds file")
        with pytest.raises(RBridgeError, match="read_rds.*R failed"):
            bridge.read_rds(tmp_path / "junk.rds")


@needs_r
class TestCallR:
    def test_an_analysts_own_r_feature_function_on_prices(self, aapl):
        features = bridge.call_r(
            "function(df, n) transform(df, range = (high - low) / close, up = close > c(NA, head(close, -1)),"
            " big = volume > n)",
            aapl,
            n=1e8,
        )
        assert features.index.equals(aapl.index)
        np.testing.assert_allclose(features["range"], (aapl.high - aapl.low) / aapl.close, rtol=1e-15)
        assert features["up"].dtype == "boolean" and pd.isna(features["up"].iloc[0])
        assert features["big"].sum() == (aapl.volume > 1e8).sum()

    def test_a_result_without_the_index_columns_takes_the_index_of_the_input(self, aapl):
        out = bridge.call_r("function(df) data.frame(ratio = df$close / df$open)", aapl)
        assert out.index.equals(aapl.index)
        kept = bridge.call_r("function(df) data.frame(date = df$date, one = 1)", aapl)
        assert kept.index.equals(aapl.index) and list(kept.columns) == ["one"]

    def test_vectors_matrices_functions_and_arguments(self, aapl):
        close = aapl["close"].head(50)
        doubled = bridge.call_r(r("function(x, k) x * k"), close, k=2)
        pd.testing.assert_series_equal(doubled, close * 2, check_names=False)
        matrix = bridge.call_r("function(x) cbind(a = x, b = -x)", [1.0, 2.0])
        assert matrix.to_dict("list") == {"a": [1.0, 2.0], "b": [-1.0, -2.0]}
        assert bridge.call_r("sum", [1.0, None, 2.0], **{"na.rm": True}).tolist() == [3.0]
        assert bridge.call_r("function(x, y) is.null(y)", 1, y=None).tolist() == [True]
        described = bridge.call_r("function(x, a, b, c, d) c(class(a), class(b), class(c), class(d))",
                                  None, a=1, b=1.5, c="x", d=pd.Timestamp("2020-01-01"))
        assert described.tolist() == ["integer", "numeric", "character", "Date"]

    def test_errors_name_the_function_and_say_what_r_said(self):
        with pytest.raises(RBridgeError, match=r"call_r\(.*R failed: .*boom"):
            bridge.call_r("function(x) stop('boom')", 1.0)
        with pytest.raises(RBridgeError, match="evaluating 'base::no_such_function'"):
            bridge.call_r("base::no_such_function", 1.0)
        with pytest.raises(ParameterError, match="expected an R function.*got an R numeric"):
            bridge.call_r("1 + 1", 1.0)
        with pytest.raises(ParameterError, match="argument 'k' is a dict"):
            bridge.call_r("function(x, k) x", 1.0, k={"a": 1})
        with pytest.raises(DataError, match="returned an R environment"):
            bridge.call_r("function(x) new.env()", 1.0)


@needs_r
class TestResults:
    def test_an_explanation_becomes_the_lime_style_frame(self):
        cases = pd.to_datetime(["2023-08-25", "2023-08-25", "2023-08-28"]).as_unit("ns")  # as prices' dates
        frame = pd.DataFrame(
            {
                "case": cases, "label": "up", "label_prob": [0.6, 0.6, 0.4],
                "feature": ["rsi_14", "ret_1", "rsi_14"], "feature_value": [28.7, 0.01, 55.0],
                "feature_weight": [0.05, -0.02, 0.01], "feature_desc": ["rsi_14 <= 30.2", "ret_1 > 0", "rsi_14 > 50"],
                "method": "lime", "model_prediction": [0.58, 0.58, 0.41], "model_intercept": [0.5, 0.5, 0.45],
                "base_value": np.nan, "model_r2": [0.3, 0.3, 0.2],
            }
        )  # fmt: skip
        result = ExplanationResult(frame=frame, method="lime", model_name="dnn", explainer="LimeTabularExplainer")
        r_frame = bridge.explanation_to_r(result)
        assert list(r_frame.names) == list(COLUMNS)
        assert bridge.call_r("function(df) class(df$case)", r_frame).tolist() == ["Date"]
        pd.testing.assert_frame_equal(bridge.to_pandas(r_frame), result.to_frame())
        with pytest.raises(ParameterError, match="expected an ExplanationResult"):
            bridge.explanation_to_r(frame)

    def test_metrics_become_one_row_per_model(self):
        from pyanalytics.evaluation import classification_metrics, metrics_table

        metrics = {
            "dnn": classification_metrics([0, 1, 1, 0], [0.2, 0.8, 0.4, 0.6]),
            "always_up": classification_metrics([0, 1, 1, 0], [1.0, 1.0, 1.0, 1.0]),
        }
        for given_metrics in (metrics, metrics_table(metrics)):
            r_frame = bridge.metrics_to_r(given_metrics)
            assert bridge.call_r("function(df) df$model", r_frame).tolist() == ["dnn", "always_up"]
            pd.testing.assert_frame_equal(bridge.to_pandas(r_frame), metrics_table(metrics))
        with pytest.raises(ParameterError, match="expected a dict of metrics"):
            bridge.metrics_to_r([1, 2])


def test_missing_rpy2_gives_a_clear_error(monkeypatch):
    for name in ("rpy2", "rpy2.rinterface", "rpy2.robjects"):
        monkeypatch.setitem(sys.modules, name, None)  # import now raises ImportError
    with pytest.raises(RBridgeError, match=r"needs R and rpy2, but importing rpy2 failed.*make test"):
        bridge.to_r(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(RBridgeError, match="needs R and rpy2"):
        bridge.call_r("TTR::RSI", [1.0])


def test_importing_pyanalytics_and_the_bridge_does_not_start_r():
    code = (
        "import sys, pyanalytics, pyanalytics.interop.rpy2_bridge\n"
        "print(sorted(name for name, module in sys.modules.items() if name.startswith('rpy2') and module))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
