"""Python -> R through rpy2: pandas frames to R data.frames and back, ``.rds`` files, R calls.

Columns cross one at a time through numpy buffers (one memory copy per numeric column) rather
than through rpy2's generic ``pandas2ri`` converter, which converts element by element: a
100,000 x 20 frame of doubles makes the round trip in a few hundredths of a second instead of
several seconds (``benchmarks/bench_bridge.py``). rpy2, and with it the embedded R, is imported
on first use. Never use reticulate in the same process: both directions in one process crash.

Type mapping, pandas -> R -> pandas (NA is R's missing value of each type):

=========================== ======================================= ===========================
pandas                      R                                       back in pandas
=========================== ======================================= ===========================
float64, Float64            double; NaN and NA -> NA                float64, NA -> NaN
int8 ... int64, uint, Int64 integer; values beyond +-2,147,483,647  int64; Int64 when a value
                            are refused                             is NA
bool, boolean               logical                                 bool; boolean when a value
                                                                    is NA
str, string, object of str  character; None, NaN -> NA             ``str`` with NaN (pandas 3;
                                                                    object with None before)
category                    factor (ordered factor when ordered);   Categorical with the
                            levels: the categories as strings       levels in order
datetime64, naive, every    Date                                    datetime64[ns] (or [us]
value at midnight                                                   outside 1677-2262)
other datetime64            POSIXct, seconds in a double: exact to  datetime64[ns, tzone]; UTC
                            the microsecond from 1698 to 2242;      when tzone is empty
                            tzone: the column's zone, naive "UTC"
=========================== ======================================= ===========================

The index: a default RangeIndex is dropped (R numbers rows itself). Any other index, such as the
prices contract's DatetimeIndex ``date``, becomes leading column(s) as ``reset_index`` names them
(an unnamed one ``index``), and the R frame lists them in its attribute ``pyanalytics.index``;
``to_pandas`` sets them back as the index. R code that keeps attributes (``$<-``, ``within``, row
subsets) keeps the index, ``call_r`` finds it again by name otherwise (after ``transform``, say),
and ``to_pandas(x, index="date")`` names it explicitly. An R frame with row names of its own
(``mtcars``) gets them as a string index. Column names become strings.
"""

import functools
import os
import uuid
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, ParameterError, RBridgeError

INDEX_ATTRIBUTE = "pyanalytics.index"
_NA_INTEGER = int(np.iinfo(np.int32).min)  # R's NA_integer_, also its logical NA
_INT_MAX = int(np.iinfo(np.int32).max)
_NA_REAL = np.array(0x7FF00000000007A2, dtype=np.uint64).view(np.float64)  # NaN with payload 1954
_US_PER_DAY = 86_400 * 10**6
_NS_BOUNDS = (pd.Timestamp.min.value // 1_000 + 1, pd.Timestamp.max.value // 1_000)  # in microseconds
_SETUP = (
    "run `make test` (installs them), or install R (Debian: apt-get install r-base-core "
    "r-cran-ttr) and rpy2 into this environment (pip install 'rpy2==3.5.17' for R < 4.5, "
    "'rpy2>=3.6' for R >= 4.5)"
)


def _rpy2():
    """``(rinterface, robjects)``; the first call starts the embedded R."""
    try:
        import rpy2.rinterface as ri
        import rpy2.robjects as ro
    except Exception as error:  # ImportError without rpy2; OSError, RuntimeError, ... without R
        raise RBridgeError(
            f"the rpy2 bridge needs R and rpy2, but importing rpy2 failed "
            f"({type(error).__name__}: {error}); {_SETUP}."
        ) from error
    return ri, ro


def _r_call(what: str, function, *args, **kwargs):
    """``function(*args, **kwargs)``, an R error raised as RBridgeError naming ``what``."""
    ri, _ = _rpy2()
    from rpy2.rinterface_lib import callbacks

    written = []  # R's echo of an error is dropped (the exception says it); other output is kept
    try:
        with callbacks.obj_in_module(callbacks, "consolewrite_warnerror", written.append):
            result = function(*args, **kwargs)
    except ri.embedded.RRuntimeError as error:
        message = " ".join(str(error).split())
        raise RBridgeError(f"{what}: R failed: {message}") from error
    for text in written:
        callbacks.consolewrite_warnerror(text)
    return result


def _attribute(value, name: str) -> list | None:
    """The R attribute ``name`` of ``value`` as a list, or None when it has none."""
    return list(value.do_slot(name)) if name in list(value.list_attrs()) else None


def _inherits(ri, value, cls: str) -> bool:
    return isinstance(value, ri.Sexp) and ri.baseenv["inherits"](value, ri.StrSexpVector([cls]))[0]


def _r_positions(codes: np.ndarray) -> np.ndarray:
    """0-based codes (-1 missing) -> R's 1-based int32 positions with NA_integer_."""
    return np.where(codes < 0, _NA_INTEGER, codes.astype(np.int32) + 1).astype(np.int32)


def _buffer(values: np.ndarray, missing: np.ndarray, na) -> memoryview:
    """A contiguous buffer of ``values`` with ``na`` where ``missing``."""
    if missing.any():
        values = np.where(missing, na, values)
    return memoryview(np.ascontiguousarray(values))


# pandas -> R -------------------------------------------------------------------------------


def _column_to_r(ri, name: str, values: pd.Series):
    """One pandas column as an R vector (see the module's type mapping)."""
    dtype = values.dtype
    missing = values.isna().to_numpy()
    if isinstance(dtype, pd.CategoricalDtype):
        return _factor(ri, values.array)
    if pd.api.types.is_bool_dtype(dtype):
        data = values.to_numpy(dtype=np.int32, na_value=0)
        return ri.BoolSexpVector.from_memoryview(_buffer(data, missing, _NA_INTEGER))
    if pd.api.types.is_integer_dtype(dtype):
        present = values[~missing]
        if len(present) and (present.min() < -_INT_MAX or present.max() > _INT_MAX):
            raise DataError(
                f"column {name!r}: R integers hold -{_INT_MAX:,} to {_INT_MAX:,}, found values "
                f"from {present.min():,} to {present.max():,}; convert the column to float "
                f"(frame[{name!r}].astype(float)) to send R doubles."
            )
        data = values.to_numpy(dtype=np.int32, na_value=0)
        return ri.IntSexpVector.from_memoryview(_buffer(data, missing, _NA_INTEGER))
    if pd.api.types.is_float_dtype(dtype):
        data = values.to_numpy(dtype=np.float64, na_value=np.nan)
        return ri.FloatSexpVector.from_memoryview(_buffer(data, missing, _NA_REAL))
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _datetimes(ri, values, missing)
    if pd.api.types.is_string_dtype(dtype) and pd.api.types.infer_dtype(values) in ("string", "empty"):
        return _strings_to_r(ri, values)
    kind = pd.api.types.infer_dtype(values) if dtype == object else dtype
    raise DataError(
        f"column {name!r}: {kind} values have no R counterpart in the rpy2 bridge; convert the "
        f"column to float, int, bool, str, category or datetime64 first."
    )


# Strings cross as their distinct values, joined into one string and split on the other side,
# plus integer positions: rpy2 converts strings one at a time (~3 us each); this is ~10x faster.
_DEFAULT_STRING = pd.Series(["x"]).dtype  # str (NaN for missing) on pandas 3, object before
_SEPARATOR = "\x1f"  # ASCII unit separator; values containing it take rpy2's slow path
_R_SOURCE = {
    "split": 'function(text, positions) strsplit(text, "\\037", fixed = TRUE)[[1L]][positions]',
    "join": """function(x) {
        u <- unique(x); positions <- match(x, u); na <- is.na(u); u[na] <- ""; u <- enc2utf8(u)
        list(positions, na, nchar(u, "chars"), paste0(u, collapse = ""))
    }""",
}


@functools.cache
def _r_helper(name: str):
    return _rpy2()[1].r(_R_SOURCE[name])


def _strings_to_r(ri, values: pd.Series):
    codes, uniques = pd.factorize(values)
    uniques = [str(u) for u in uniques]
    positions = ri.IntSexpVector.from_memoryview(memoryview(_r_positions(codes)))
    if not any(_SEPARATOR in u for u in uniques):
        text = ri.StrSexpVector(["".join(u + _SEPARATOR for u in uniques)])
        return _r_helper("split")(text, positions)
    return ri.baseenv["["](ri.StrSexpVector(uniques), positions)


def _strings_from_r(ri, name: str, vector) -> np.ndarray:
    positions, na, lengths, text = _r_call(f"to_pandas: column {name!r}", _r_helper("join"), vector)
    lengths = _array(lengths, np.int32)
    ends = np.cumsum(lengths)
    text = text[0]
    # levels[0] is a placeholder: R's positions are 1-based
    levels = np.array([None] + [text[a:b] for a, b in zip((ends - lengths).tolist(), ends.tolist())], object)
    levels[1:][_array(na, np.int32).astype(bool)] = None
    values = levels[_array(positions, np.int32)]
    return values if _DEFAULT_STRING == object else pd.array(values, dtype=_DEFAULT_STRING)


def _factor(ri, categorical: pd.Categorical):
    vector = ri.IntSexpVector.from_memoryview(memoryview(_r_positions(categorical.codes)))
    vector.do_slot_assign("levels", ri.StrSexpVector([str(c) for c in categorical.categories]))
    vector.rclass = ri.StrSexpVector(["ordered", "factor"] if categorical.ordered else ["factor"])
    return vector


def _datetimes(ri, values: pd.Series, missing: np.ndarray):
    """R Date when naive and all at midnight, else POSIXct (seconds, to the microsecond)."""
    tz = getattr(values.dtype, "tz", None)
    if tz is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    micros = values.to_numpy(dtype="datetime64[us]").view(np.int64)  # R's precision, any year
    if tz is None and not (micros[~missing] % _US_PER_DAY).any():
        vector = ri.FloatSexpVector.from_memoryview(_buffer(micros / _US_PER_DAY, missing, _NA_REAL))
        vector.rclass = ri.StrSexpVector(["Date"])
        return vector
    vector = ri.FloatSexpVector.from_memoryview(_buffer(micros / 1e6, missing, _NA_REAL))
    vector.rclass = ri.StrSexpVector(["POSIXct", "POSIXt"])
    vector.do_slot_assign("tzone", ri.StrSexpVector([str(tz) if tz is not None else "UTC"]))
    return vector


def to_r(frame: pd.DataFrame):
    """A pandas DataFrame as an R data.frame (an rpy2 ``robjects.DataFrame``).

    Args:
        frame: the frame; its column types and index map as the module docstring says.

    Raises:
        DataError: a column with no R counterpart, integers beyond R's 32 bits, or an index
            named like a column.
        RBridgeError: R or rpy2 is missing.

    Example:
        >>> r_frame = to_r(prices)                     # doctest: +SKIP
        >>> list(r_frame.names)[:2]                    # doctest: +SKIP
        ['date', 'open']
    """
    ri, ro = _rpy2()
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(
            f"to_r: expected a pandas DataFrame, got {type(frame).__name__}; wrap a Series with .to_frame()."
        )
    index_columns = []
    index = frame.index
    if not (isinstance(index, pd.RangeIndex) and index.name is None and index.equals(pd.RangeIndex(len(index)))):
        try:
            frame = frame.reset_index()
        except ValueError as error:
            raise DataError(
                f"to_r: the index {list(index.names)} cannot become a column ({error}); rename the index or the column."
            ) from error
        index_columns = [str(c) for c in frame.columns[: index.nlevels]]
    r_frame = ri.ListSexpVector(
        [_column_to_r(ri, str(name), frame.iloc[:, i]) for i, name in enumerate(frame.columns)]
    )
    rows = np.array([_NA_INTEGER, -len(frame)] if len(frame) else [], dtype=np.int32)  # R's compact 1..n
    r_frame.do_slot_assign("names", ri.StrSexpVector([str(c) for c in frame.columns]))
    r_frame.do_slot_assign("row.names", ri.IntSexpVector.from_memoryview(memoryview(rows)))
    r_frame.rclass = ri.StrSexpVector(["data.frame"])  # sets the object bit R dispatches on
    if index_columns:
        r_frame.do_slot_assign(INDEX_ATTRIBUTE, ri.StrSexpVector(index_columns))
    return ro.vectors.DataFrame(r_frame)


# R -> pandas -------------------------------------------------------------------------------


def _column_from_r(ri, name: str, vector):
    """One R vector as a numpy or pandas array (see the module's type mapping)."""
    classes = list(vector.rclass)
    kind = vector.typeof
    if kind == ri.RTYPES.STRSXP:
        return _strings_from_r(ri, name, vector)
    if kind not in (ri.RTYPES.REALSXP, ri.RTYPES.INTSXP, ri.RTYPES.LGLSXP):
        r_type = ri.baseenv["typeof"](vector)[0]
        raise DataError(
            f"R column {name!r} is of type {r_type} (class {classes or r_type}); the bridge reads "
            f"double, integer, logical, character, factor, Date and POSIXct; convert it in R first."
        )
    values = _array(vector, np.float64 if kind == ri.RTYPES.REALSXP else np.int32)
    if kind == ri.RTYPES.REALSXP:
        missing = np.isnan(values) if "Date" in classes or "POSIXct" in classes else None
        if "Date" in classes:
            days = np.floor(np.where(missing, 0.0, values)).astype(np.int64)
            return _stamps(days * _US_PER_DAY, missing)
        if "POSIXct" in classes:
            seconds = np.where(missing, 0.0, values)
            whole = np.floor(seconds)  # the fraction apart, so a double's last bit cannot shift a microsecond
            micros = whole.astype(np.int64) * 1_000_000 + np.round((seconds - whole) * 1e6).astype(np.int64)
            stamps = _stamps(micros, missing)
            tz = (_attribute(vector, "tzone") or [""])[0] or "UTC"
            return pd.DatetimeIndex(stamps).tz_localize("UTC").tz_convert(tz).array
        return values
    missing = values == _NA_INTEGER
    if "factor" in classes:
        levels = [str(level) for level in vector.do_slot("levels")]
        codes = np.where(missing, -1, values - 1)
        return pd.Categorical.from_codes(codes, categories=levels, ordered="ordered" in classes)
    if kind == ri.RTYPES.LGLSXP:
        truth = (values != 0) & ~missing
        return pd.arrays.BooleanArray(truth, missing) if missing.any() else truth
    return pd.arrays.IntegerArray(values.astype(np.int64), missing) if missing.any() else values.astype(np.int64)


def _array(vector, dtype) -> np.ndarray:
    """A numpy view of an R vector's memory (flattened column-major for a matrix)."""
    if not len(vector):  # rpy2's memoryview refuses empty vectors
        return np.empty(0, dtype)
    return np.asarray(vector.memoryview()).ravel(order="F")


def _stamps(micros: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Microseconds since 1970 as datetime64[ns] (datetime64[us] beyond ns's 1677-2262), NaT
    where ``missing``."""
    stamps = micros.view("datetime64[us]")
    stamps[missing] = np.datetime64("NaT")
    present = micros[~missing]
    fits = ((present >= _NS_BOUNDS[0]) & (present <= _NS_BOUNDS[1])).all()
    return stamps.astype("datetime64[ns]") if fits else stamps


def to_pandas(r_frame, index: str | list[str] | None = None) -> pd.DataFrame:
    """An R data.frame as a pandas DataFrame.

    Args:
        r_frame: an R data.frame (from rpy2, ``to_r``, ``read_rds`` or an R function).
        index: column(s) to make the index; by default the ones ``to_r`` moved out of the index
            (the attribute ``pyanalytics.index``), else the frame's own row names, if any.

    Raises:
        ParameterError: ``r_frame`` is not an R data.frame, or ``index`` names no column.
        DataError: a column of a type the bridge does not read (a list column, say).
        RBridgeError: R or rpy2 is missing.
    """
    ri, _ = _rpy2()
    if not _inherits(ri, r_frame, "data.frame"):
        raise ParameterError(
            f"to_pandas: expected an R data.frame, got {_describe(ri, r_frame)}; convert it in R with as.data.frame()."
        )
    names = [str(name) for name in (_attribute(r_frame, "names") or [])]
    columns = [
        _column_from_r(ri, name, ri.ListSexpVector.__getitem__(r_frame, i)) for i, name in enumerate(names)
    ]
    n_rows = int(ri.baseenv["nrow"](r_frame)[0])
    frame = pd.DataFrame(dict(enumerate(columns)), index=pd.RangeIndex(n_rows), copy=True)
    frame.columns = names
    if index is not None:
        wanted = [index] if isinstance(index, str) else list(index)
        absent = [name for name in wanted if name not in names]
        if absent:
            raise ParameterError(f"to_pandas: index column(s) {absent} not among the R frame's columns {names}.")
        return frame.set_index(wanted)
    recorded = _attribute(r_frame, INDEX_ATTRIBUTE) or []
    if recorded and all(name in names for name in recorded):
        return frame.set_index(recorded)
    if ri.baseenv[".row_names_info"](r_frame)[0] > 0:  # row names of its own, not R's 1..n
        frame.index = pd.Index([str(name) for name in ri.baseenv["rownames"](r_frame)])
    return frame


def _describe(ri, value) -> str:
    if isinstance(value, ri.Sexp):
        return "an R " + "/".join(ri.baseenv["class"](value))
    return f"a Python {type(value).__name__}"


def _from_r(ri, value, like):
    """An R result as a DataFrame (data.frame, matrix) or Series (vector). A result without an
    index of its own takes ``like``'s: from its index columns (``date``) when it kept them, else
    as is when it has as many rows."""
    if _inherits(ri, value, "data.frame"):
        out = to_pandas(value)
    elif value.typeof in (ri.RTYPES.REALSXP, ri.RTYPES.INTSXP, ri.RTYPES.LGLSXP, ri.RTYPES.STRSXP):
        dims = _attribute(value, "dim") or []
        if len(dims) > 2:
            raise DataError(
                f"call_r: the R result is an array of {len(dims)} dimensions; return a data.frame, matrix or vector."
            )
        flat = _column_from_r(ri, "result", value)
        if dims:
            rows, cols = dims
            names = ri.baseenv["colnames"](value)
            names = [str(n) for n in names] if names is not ri.NULL else list(range(cols))
            out = pd.DataFrame({j: flat[j * rows: (j + 1) * rows] for j in range(cols)}, copy=True)
            out.columns = names
        else:
            out = pd.Series(flat, copy=True)
    else:
        raise DataError(
            f"call_r: the R function returned {_describe(ri, value)}; return a data.frame, matrix or vector."
        )
    if like is None or not isinstance(out.index, pd.RangeIndex):
        return out
    index_columns = [str(name) for name in like.index.names if name is not None]
    if isinstance(out, pd.DataFrame) and index_columns and set(index_columns) <= set(out.columns):
        return out.set_index(index_columns)
    if len(out) == len(like):
        out.index = like.index
    return out


# Files, calls and pyanalytics results ------------------------------------------------------


def read_rds(path, index: str | list[str] | None = None) -> pd.DataFrame:
    """Read an R data.frame saved with ``saveRDS`` (or ``write_rds``); ``index`` as in to_pandas.

    Raises:
        DataError: no file at ``path``, or it holds something other than a data.frame.
        RBridgeError: R cannot read it, or R or rpy2 is missing.
    """
    ri, _ = _rpy2()
    path = Path(path)
    if not path.is_file():
        raise DataError(f"read_rds: no file at {path}; check the path.")
    value = _r_call(f"read_rds({str(path)!r})", ri.baseenv["readRDS"], ri.StrSexpVector([str(path)]))
    if not _inherits(ri, value, "data.frame"):
        raise DataError(
            f"read_rds: {path} holds {_describe(ri, value)}, not a data.frame; save a data.frame instead."
        )
    return to_pandas(value, index=index)


def write_rds(data, path) -> Path:
    """Save a DataFrame (or any R object) as an ``.rds`` file R reads with ``readRDS``.

    The file is written beside ``path`` under a temporary name and renamed into place, so
    ``path`` is never left half-written: it holds the old content or the new.

    Returns:
        ``path`` as a Path.

    Raises:
        DataError: the folder does not exist, ``path`` is a folder, or a column has no R type.
        RBridgeError: R fails to write, or R or rpy2 is missing.
    """
    ri, _ = _rpy2()
    value = data if isinstance(data, ri.Sexp) else to_r(data)
    path = Path(path)
    if not path.parent.is_dir():
        raise DataError(f"write_rds: the folder {path.parent} does not exist; create it first.")
    if path.is_dir():
        raise DataError(f"write_rds: {path} is a folder; give a file path such as {path / 'data.rds'}.")
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        target = ri.StrSexpVector([str(temporary)])
        _r_call(f"write_rds({str(path)!r})", ri.baseenv["saveRDS"], value, file=target)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)  # already gone after a successful rename
    return path


def call_r(function, data, **kwargs) -> pd.DataFrame | pd.Series:
    """Call an R function on a frame or vector and bring its result back to pandas.

    Args:
        function: an R function (an rpy2 function object), a name such as ``"TTR::RSI"``, or the
            R source of a function, ``"function(df) transform(df, range = high - low)"``.
        data: the first argument: a DataFrame (an R data.frame, via ``to_r``), a Series, 1-D
            array or list (an R vector), or an R object.
        **kwargs: further arguments by R name (``percent=False``, ``**{"na.rm": True}``);
            values convert like ``data``, a scalar to a vector of length one, None to NULL.

    Returns:
        A DataFrame for a data.frame or matrix (columns from its column names), a Series for a
        vector. A result without an index of its own gets ``data``'s: from its index columns
        (``date``) where it kept them, else whole when it has as many rows.

    Raises:
        RBridgeError: ``function`` cannot be evaluated, the call fails in R (R's message), or R
            or rpy2 is missing.
        ParameterError: ``function`` is not an R function, or an argument cannot be converted.
        DataError: a column, or the result, has no counterpart on the other side.

    Example:
        >>> rsi = call_r("TTR::RSI", prices["close"], n=14)        # doctest: +SKIP
        >>> own = call_r("function(df) with(df, (high - low) / close)", prices)  # doctest: +SKIP
    """
    ri, ro = _rpy2()
    label = function if isinstance(function, str) else "the R function"
    if isinstance(function, str):
        function = _r_call(f"call_r: evaluating {function!r}", ro.r, function)
    if not isinstance(function, ri.SexpClosure):
        raise ParameterError(
            f"call_r: expected an R function, a name such as 'TTR::RSI' or R source "
            f"'function(x) ...', got {_describe(ri, function)} from {label!r}."
        )
    arguments = {name: _to_r_value(ri, name, value) for name, value in kwargs.items()}
    result = _r_call(f"call_r({label!r})", function, _to_r_value(ri, "data", data), **arguments)
    return _from_r(ri, result, data if isinstance(data, (pd.DataFrame, pd.Series)) else None)


def _to_r_value(ri, name: str, value):
    """A Python argument of ``call_r`` as an R object."""
    if isinstance(value, ri.Sexp):
        return value
    if value is None:
        return ri.NULL
    if isinstance(value, pd.DataFrame):
        return to_r(value)
    if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim == 1):
        value = pd.Series(value)
    elif pd.api.types.is_scalar(value):
        value = pd.Series([value])
    if isinstance(value, pd.Series):
        return _column_to_r(ri, name, value)
    raise ParameterError(
        f"call_r: argument {name!r} is a {type(value).__name__}; pass a DataFrame, Series, 1-D "
        f"array, list, scalar, None or an R object."
    )


def explanation_to_r(result):
    """An ExplanationResult as R's lime-style tidy data.frame (``case`` becomes an R Date)."""
    from pyanalytics.explain.result import ExplanationResult

    if not isinstance(result, ExplanationResult):
        raise ParameterError(
            f"explanation_to_r: expected an ExplanationResult (from pyanalytics.explain), got {type(result).__name__}."
        )
    return to_r(result.to_frame())


def metrics_to_r(metrics):
    """Metrics as an R data.frame, one row per model with a leading ``model`` column.

    Args:
        metrics: ``{model: classification_metrics(...)}`` (as in ``TrainingResult.metrics``) or
            the frame ``metrics_table`` makes of it.
    """
    from pyanalytics.evaluation.metrics import metrics_table

    if isinstance(metrics, Mapping):
        metrics = metrics_table(metrics)
    if not isinstance(metrics, pd.DataFrame):
        raise ParameterError(
            f"metrics_to_r: expected a dict of metrics or metrics_table(...), got {type(metrics).__name__}."
        )
    return to_r(metrics)
