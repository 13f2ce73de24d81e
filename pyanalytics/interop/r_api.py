"""The Python functions the R package calls through reticulate, shaped for it.

Inputs are what reticulate sends: pandas frames (from R data.frames), strings, numbers that are
doubles even where an integer is meant (the checks accept integer-valued floats), and None for
NULL. Outputs are plain: dicts, strings, numbers and *column dicts*, ``{name: 1-D numpy array}``
with dates as ``datetime64`` and missing strings as None. The R package turns a column dict into
a data.frame itself, which does not depend on how a given reticulate converts a given pandas.

A model on the R side holds either a ``TrainingResult`` (fitted in this session) or a loaded
``Bundle``; every function here takes both and predicts through the same ``Bundle`` code, so a
model predicts identically before and after ``save``/``load``.
"""

import contextlib
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.domains import domain_of, is_tabular
from pyanalytics.errors import DataError, DataWarning, ParameterError, PyAnalyticsError
from pyanalytics.jsonio import json_safe
from pyanalytics.params import check_choice, check_int, check_seed

DEFAULT_EXPLAIN_SAMPLES = {"lime": 2000, "shap": 200}
# Domains whose results save themselves (``save_bundle``), unlike finance's TrainingResult.
OWN_BUNDLE_DOMAINS = ("tabular", "anomaly", "sequence")
# Settings of a model class that the R functions set from their own arguments: not for `...`.
SET_BY_ARGUMENTS = frozenset({"epochs", "seed", "cost_fp", "tune_threshold", "validation_gap"})
# Python's notation in error messages, and R's for the same thing (see ``r_notation``).
R_NOTATION = (
    (re.compile(r"\b([A-Za-z_]\w*)\[(\d+)\]"), lambda m: f"{m[1]}[{int(m[2]) + 1}]"),  # 0-based positions
    (re.compile(r"(?<![\w.])(-?\d+)\.0+(?!\d|\.\d)"), lambda m: m[1]),  # whole numbers: -1.0 -> -1
    (re.compile(r"\bnan\b"), lambda m: "NA"),
    (re.compile(r"\binf\b"), lambda m: "Inf"),
    (re.compile(r"\bNone\b"), lambda m: "NULL"),
    (re.compile(r"\bTrue\b"), lambda m: "TRUE"),
    (re.compile(r"\bFalse\b"), lambda m: "FALSE"),
)


def r_notation(message: str) -> str:
    """An error message in R's notation: ``hidden_units[1]`` for Python's ``hidden_units[0]``,
    ``-1`` for ``-1.0``, ``NA`` for ``nan``, and ``Inf``, ``NULL``, ``TRUE``, ``FALSE``."""
    for pattern, replacement in R_NOTATION:
        message = pattern.sub(replacement, message)
    return message


def defaults() -> dict:
    """The model names and defaults R offers, from ``pyanalytics.defaults`` (asked once per session)."""
    from pyanalytics import defaults as declared

    return {
        "model_names": list(declared.MODEL_NAMES),
        "sequence_model_names": list(declared.SEQUENCE_MODEL_NAMES),
        "window": declared.DEFAULT_WINDOW,
        "cost_bps": declared.DEFAULT_COST_BPS,
    }


def engines() -> list[str]:
    """The engines a universe runs on (``pyanalytics.engine.ENGINES``); a Dask scheduler's address also does."""
    from pyanalytics.engine import ENGINES

    return list(ENGINES)


def model_settings(model: str) -> list[str]:
    """The settings of the ``model`` class that R passes in ``...`` (its ``get_params`` names)."""
    from pyanalytics.models import MODELS

    model = check_choice("model", model, tuple(MODELS))
    return sorted(set(MODELS[model]().get_params()) - SET_BY_ARGUMENTS)


def columns(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """A frame as a column dict for R (its index becomes the first column when it is named)."""
    if frame.index.name is not None:
        frame = frame.reset_index()
    out = {}
    for name, values in frame.items():
        if pd.api.types.is_datetime64_any_dtype(values):
            out[str(name)] = values.to_numpy(dtype="datetime64[ns]")
        elif pd.api.types.is_integer_dtype(values) and values.notna().all() and values.abs().max() < 2**31:
            out[str(name)] = values.to_numpy(dtype=np.int32)  # an R integer, not a double
        elif pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
            out[str(name)] = values.to_numpy()
        else:
            out[str(name)] = np.array([None if pd.isna(v) else str(v) for v in values], dtype=object)
    return out


def load_prices(source, drop_invalid=False, extra=()) -> dict:
    """Read and validate prices (a CSV path or a frame) into the prices contract, keeping the
    user's ``extra`` numeric columns.

    Returns ``{"prices": the prices as columns, "dropped": the invalid cells of the dropped rows
    as columns (None when none were dropped)}``.
    """
    prices = _prices(source, "x", ("close",), drop_invalid, extra)
    dropped = prices.attrs.get("dropped")
    return {"prices": columns(prices), "dropped": None if dropped is None else columns(dropped)}


def call_recording_data_warnings(function_name: str, /, *args, **kwargs) -> list:
    """``[the value of this module's function_name(*args, **kwargs), [each DataWarning's line in
    R's notation]]``: how R calls every function here.

    The DataWarnings are kept for R to signal instead of being printed; other warnings are shown
    as Python shows them. One Python call per R call: a new wrapped function per call cost R
    ~5 ms, since reticulate builds an R function for every Python function it receives.
    """
    function = globals()[function_name]
    caught = []
    with warnings.catch_warnings():
        warnings.simplefilter("always", DataWarning)
        show = warnings.showwarning

        def keep(message, category, *where, **more):
            if issubclass(category, DataWarning):
                caught.append(r_notation(str(message)))
            else:
                show(message, category, *where, **more)

        warnings.showwarning = keep
        value = function(*args, **kwargs)
    return [value, caught]


def synthetic_prices(n_days=2000, signal_strength=1.0, signal: str = "volume", seed=0) -> dict[str, np.ndarray]:
    """A synthetic market with a planted signal (see ``synthetic_market``), as columns."""
    from pyanalytics.finance import synthetic_market

    return columns(synthetic_market(check_int("n_days", n_days, minimum=1), signal_strength=signal_strength,
                                    signal=signal, seed=check_seed("seed", seed)))


def synthetic_series(n=1200, kind: str = "seasonal_ar", period=12, seed=0) -> dict[str, np.ndarray]:
    """An hourly series with a known answer (``pyanalytics.data.synthetic_series``) as columns ``time``, ``value``:
    ``seasonal_ar`` (a season of ``period`` steps plus AR(1) noise) or ``random_walk``."""
    from pyanalytics.data.synthetic_series import random_walk, seasonal_ar

    kind = check_choice("kind", kind, ("seasonal_ar", "random_walk"))
    n, seed = check_int("n", n, minimum=2), check_seed("seed", seed)
    values = seasonal_ar(n, period=check_int("period", period, minimum=2), seed=seed) if kind == "seasonal_ar" else random_walk(n, seed=seed)
    return columns(pd.DataFrame({"time": pd.date_range("2024-01-01", periods=n, freq="h"), "value": values}))


def price_file(ticker: str) -> str:
    """Path of a ticker's CSV in the shared data folder; a DataError when it is not there."""
    from pyanalytics.settings import price_file as shared_file

    path = shared_file(ticker)
    if not path.is_file():
        raise DataError(f"ticker: no price file {str(path)!r}; set PYANALYTICS_DATA_DIR to the shared data folder.")
    return str(path)


def fit(
    prices,
    model: str = "dnn",
    horizon=1,
    window=None,
    epochs=50,
    cost_fp=None,
    tune_threshold: bool = False,
    seed=None,
    validation: float = 0.15,
    test: float = 0.15,
    gap=None,
    dead_zone: float = 0.0,
    model_params: dict | None = None,
    drop_invalid: bool = False,
    data_name: str | None = None,
    extra_features=(),
):
    """Train a direction model (see ``train_direction_model``); returns the TrainingResult.

    ``data_name`` (the CSV's file name or the R variable's name) is saved with the model;
    ``extra_features`` names the user's own numeric columns of ``prices`` used as features.
    """
    from pyanalytics.finance.features.spec import check_extra_features
    from pyanalytics.finance.training import train_direction_model

    extra_features = check_extra_features(extra_features)
    params = {"epochs": check_int("epochs", epochs, minimum=1), **(model_params or {})}
    return train_direction_model(
        _prices(prices, "prices", _default_spec().required_columns, drop_invalid, extra_features),
        model=model,
        extra_features=extra_features,
        horizon=horizon,
        window=window,
        cost_fp=cost_fp,
        tune_threshold=_flag("tune_threshold", tune_threshold),
        seed=check_seed("seed", seed),
        validation=validation,
        test=test,
        gap=gap,
        dead_zone=dead_zone,
        model_params=params,
        data_name=data_name,
    )


def load(path: str):
    """Load a bundle, checking its manifest (see ``load_bundle``)."""
    from pyanalytics.bundle import load_bundle

    return load_bundle(_path("path", path))


def save(model, path: str) -> str:
    """Write a fitted model (or copy a loaded bundle) to ``path`` atomically; return the path."""
    from pyanalytics.bundle import save_bundle

    return str(save_bundle(model if domain_of(model) in OWN_BUNDLE_DOMAINS else _checked(model), _path("path", path)))


def summary(model) -> dict:
    """What the model is, the periods it saw and its test metrics next to its baselines."""
    from pyanalytics.evaluation.verdict import verdict

    bundle = _bundle(model)
    metadata = bundle.metadata
    test_metrics = metadata["metrics"]["test"]
    judged = verdict(test_metrics, bundle.model_name)
    return {
        "model": bundle.model_name,
        "horizon": bundle.preprocessing.horizon,
        "window": bundle.window,
        "threshold": float(bundle.estimator.threshold_),
        "alpha": bundle.alpha,
        "features": list(bundle.preprocessing.feature_names),
        "periods": metadata["periods"],
        "seed": metadata["seed"],
        "best_epoch": getattr(bundle.estimator, "best_epoch_", None),
        "path": None if bundle.path is None else str(bundle.path),
        "metrics": metrics_columns(test_metrics),
        "best_baseline": {"name": judged.baseline, "roc_auc": json_safe(judged.baseline_value)},
        "verdict": json_safe(judged.to_dict()),
    }


def history(model) -> dict[str, np.ndarray]:
    """Loss (and validation loss) per epoch of the model's training, as columns."""
    estimator = model.estimator if domain_of(model) in OWN_BUNDLE_DOMAINS else _bundle(model).estimator
    frame = pd.DataFrame(estimator.history_)
    frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
    return columns(frame)


def predict(model, prices, last=None, drop_invalid=False) -> dict[str, np.ndarray]:
    """Probability of a rise and the signal for every date of ``prices`` with complete inputs."""
    bundle = _bundle(model)
    last = None if last is None else check_int("last", last, minimum=1)
    return columns(bundle.predict(_bundle_prices(bundle, prices, drop_invalid), last=last))


def evaluate(model, prices, since=None, drop_invalid=False) -> dict:
    """Metrics of the model and every baseline on ``prices`` from ``since`` (default: its test part).

    Returns ``{"metrics": the metrics as columns, "data": whether the prices are the training
    data (``DataMatch.to_dict()``)}``.
    """
    bundle = _bundle(model)
    data = _bundle_prices(bundle, prices, drop_invalid)
    return {"metrics": metrics_columns(bundle.evaluate(data, since=since)), "data": bundle.data_match(data).to_dict()}


def metrics_columns(metrics: dict) -> dict[str, np.ndarray]:
    """A ``{model: metrics}`` dict as columns: one row per model, the model's own first."""
    from pyanalytics.evaluation import metrics_table

    return columns(metrics_table(metrics))


def explain(model, prices, method: str = "lime", n=10, dates=None, seed=0, n_samples=None, drop_invalid=False) -> dict:
    """Explain the last ``n`` dates or ``dates``.

    Returns ``{"frame": the tidy frame (the columns of R's lime) as columns, "explainer": the
    library class used, "n_samples": the samples drawn per date, "quality": its quality figures,
    e.g. SHAP's ``additivity_max_error``}``.
    """
    from pyanalytics.explain import explain as run_explain

    bundle = _bundle(model)
    samples = DEFAULT_EXPLAIN_SAMPLES.get(method, 1000) if n_samples is None else n_samples
    result = run_explain(
        bundle,
        _bundle_prices(bundle, prices, drop_invalid),
        method=method,
        last=n,
        dates=None if dates is None else list(np.atleast_1d(dates)),
        n_samples=samples,
        seed=seed,
    )
    return {"frame": columns(result.to_frame()), "explainer": result.explainer, "n_samples": samples,
            "quality": json_safe(result.quality)}


def explain_tabular(model, data=None, method: str = "lime", n=10, rows=None, label=None, seed=0, n_samples=None) -> dict:
    """Explain the last ``n`` rows of ``data`` (a frame from ``tabular_frame``; None: the model's
    test rows) or the rows labelled ``rows``, for a tabular result or bundle.

    Returns what ``explain`` returns, plus ``task`` and ``target`` (the response's name).
    """
    from pyanalytics.explain import explain as run_explain

    samples = DEFAULT_EXPLAIN_SAMPLES.get(method, 1000) if n_samples is None else n_samples
    if rows is not None:  # R's numbers arrive as floats: 3.0 is the row labelled 3
        rows = [int(r) if isinstance(r, float) and r.is_integer() else r for r in np.atleast_1d(rows).tolist()]
    result = run_explain(_tabular_with_rows(model, data, "explain"), data, method=method, last=n, rows=rows, label=label, n_samples=samples,
                         seed=seed)
    return {"frame": columns(result.to_frame()), "explainer": result.explainer, "n_samples": samples,
            "quality": json_safe(result.quality), "task": result.task, "target": result.target}


def report(model, prices, path: str, methods=("shap", "lime"), seed=0, drop_invalid=False) -> str:
    """Write the HTML report of the model on ``prices`` (explained with ``methods``); return its path."""
    from pyanalytics.explain import explain as run_explain
    from pyanalytics.reports import write_report

    bundle = _bundle(model)
    data = _bundle_prices(bundle, prices, drop_invalid)
    methods = [methods] if isinstance(methods, str) else list(methods)
    explanations = {
        m: run_explain(bundle, data, method=m, last=5, n_samples=DEFAULT_EXPLAIN_SAMPLES[m], seed=seed)
        for m in methods
    }
    return str(write_report(_path("file", path), bundle, prices=data, explanations=explanations))


def backtest(model, prices, mode: str = "long_flat", cost_bps=None, slippage_bps=0.0, holding=None,
             since=None, drop_invalid=False) -> dict:
    """Trade the model's out-of-sample signals on ``prices`` beside buy-and-hold.

    Returns ``{"summary": settings and statistics, "daily": columns of the daily record}``.
    """
    from pyanalytics.defaults import DEFAULT_COST_BPS
    from pyanalytics.finance.backtest import signals_from_bundle
    from pyanalytics.finance.backtest import backtest as run_backtest

    bundle = _bundle(model)
    data = _bundle_prices(bundle, prices, drop_invalid)
    result = run_backtest(
        signals_from_bundle(bundle, data, since=since),
        data,
        mode=mode,
        holding=bundle.preprocessing.horizon if holding is None else holding,
        cost_bps=DEFAULT_COST_BPS if cost_bps is None else cost_bps,
        slippage_bps=slippage_bps,
    )
    return {"summary": result.summary(), "daily": columns(result.daily)}


def walk_forward(prices, model: str = "dnn", folds=5, window_mode: str = "expanding", train_size=None,
                 horizon=1, window=None, epochs=50, seed=0, mode: str = "long_flat", cost_bps=None,
                 cost_fp=None, tune_threshold: bool = False, explain: bool = False,
                 model_params: dict | None = None, drop_invalid: bool = False, extra_features=(),
                 engine: str = "local", workers=None, store=None, strict: bool = False, cross_section=None,
                 quantile=0.2, min_tickers=None) -> dict:
    """Walk-forward retraining (see ``pyanalytics.finance.walk_forward``) of one ticker or a universe.

    ``prices`` is one ticker's prices (a frame or a CSV file), or a universe: a dict
    ``{ticker: prices}``, a folder of price CSVs, a glob, or a list of paths, run by
    ``walk_forward_many`` on ``engine`` with the other engine settings (see there; ``min_tickers``
    None is its default). Returns, per
    ticker, the summary, its summary row and, as columns, the stitched predictions, the folds, the
    overall metrics of the model and its baselines, the backtest's daily record and, with
    ``explain``, the global importance per fold. For a universe also ``_universe_payload``'s tables.
    """
    from pyanalytics.defaults import DEFAULT_COST_BPS
    from pyanalytics.finance.walk_forward import walk_forward as run_walk_forward
    from pyanalytics.finance.features.spec import check_extra_features
    from pyanalytics.finance.universe import walk_forward_many

    extra_features = check_extra_features(extra_features)
    options = dict(
        model=model,
        folds=folds,
        window_mode=window_mode,
        train_size=train_size,
        horizon=horizon,
        window=window,
        seed=check_seed("seed", seed),
        mode=mode,
        cost_bps=DEFAULT_COST_BPS if cost_bps is None else cost_bps,
        cost_fp=cost_fp,
        tune_threshold=_flag("tune_threshold", tune_threshold),
        explain=_flag("explain", explain),
        model_params={"epochs": check_int("epochs", epochs, minimum=1), **(model_params or {})},
        extra_features=extra_features,
    )
    if not _is_universe(prices):
        prices = _prices(prices, "prices", _default_spec().required_columns, drop_invalid, extra_features)
        return _walk_forward_payload(run_walk_forward(prices, **options))
    multi = walk_forward_many(
        prices, engine=engine, workers=workers, store=None if store is None else _path("store", store),
        strict=_flag("strict", strict), cross_section=None if cross_section is None else _flag("cross_section", cross_section),
        quantile=quantile, drop_invalid=_flag("drop_invalid", drop_invalid),
        **({} if min_tickers is None else {"min_tickers": min_tickers}), **options,
    )
    for name, messages in multi.notes.items():  # R signals them as pa_data_warning, as for one ticker
        for message in messages:
            warnings.warn(f"{name}: {message}", DataWarning, stacklevel=2)
    return _universe_payload(multi)


def _is_universe(prices) -> bool:
    """Whether ``prices`` names several tickers: a dict, a list of paths, a folder or a glob (not one file)."""
    from pyanalytics.finance.universe_files import GLOB_CHARACTERS

    if isinstance(prices, (dict, list, tuple)):
        return True
    if not isinstance(prices, str):
        return False
    path = Path(prices).expanduser()
    return path.is_dir() or (any(c in prices for c in GLOB_CHARACTERS) and not path.exists())


def _universe_payload(multi) -> dict:
    """A universe's result for R: per ticker as ``_walk_forward_payload``, and across the tickers.

    Besides ``tickers`` and the ``summary`` table (one row per ticker): the equal-weight
    ``portfolio`` of several tickers and its daily record ``portfolio_daily``; ``skipped``
    (columns ``ticker``, ``reason``); ``notes`` (ticker -> its data warnings); ``distribution``
    and ``significance`` as columns (``MultiWalkForwardResult``); ``deflated_sharpe`` (None when
    every strategy is flat); ``cross_section`` (its ``summary`` and, as columns, its ``daily``
    record and ``folds``; None without one); ``run`` (the engine's ``RunReport``).
    """
    from dataclasses import asdict

    from pyanalytics.finance.universe_result import attempt

    many = len(multi.results) > 1
    daily, portfolio = (attempt(multi.portfolio)[0] if many else None) or (None, None)
    pooled = multi.cross_section
    deflated = json_safe(attempt(multi.deflated_sharpe)[0])
    return {
        "tickers": {name: _walk_forward_payload(result) for name, result in multi.results.items()},
        "summary": columns(multi.summary_table()),
        "portfolio": json_safe(portfolio),
        "portfolio_daily": None if daily is None else columns(daily.rename_axis("date")),
        "skipped": columns(pd.DataFrame({"ticker": list(multi.skipped), "reason": list(multi.skipped.values())},
                                        dtype=object)),
        "notes": json_safe(multi.notes),
        "distribution": columns(multi.distribution()),
        "significance": columns(multi.significance()),
        "deflated_sharpe": deflated,
        "cross_section": None if pooled is None else {
            "summary": pooled.summary(), "daily": columns(pooled.daily), "folds": columns(pooled.folds),
        },
        "run": None if multi.run is None else json_safe(asdict(multi.run)),
    }


def _walk_forward_payload(result) -> dict:
    from pyanalytics.evaluation.verdict import fold_edge_verdict

    importance = result.importance
    return {
        "summary": result.summary(),
        "summary_row": json_safe(result.summary_row()),
        "verdict": fold_edge_verdict(result.auc_edge),
        "predictions": columns(result.predictions),
        "folds": columns(result.folds),
        "metrics": metrics_columns(result.metrics),
        "daily": columns(result.backtest.daily),
        "importance": None if importance is None else columns(importance.rename_axis("fold")),
    }


def volatility(prices, horizons=(5, 21), folds=5, window=22, models=None, epochs=30, seed=0,
               range_feature: bool = True, target_volatility=0.10, max_leverage=2.0, cost_bps=None,
               drop_invalid: bool = False, lstm_params: dict | None = None) -> dict:
    """Walk-forward volatility forecasts (``pyanalytics.finance.volatility``) and volatility targeting.

    Returns the run's summary, its verdict sentences, and as columns the metrics table, the
    folds, the stitched forecasts and the targeting table (always long, unscaled and scaled by
    each model's forecasts at the shortest horizon).
    """
    from pyanalytics.defaults import DEFAULT_COST_BPS
    from pyanalytics.finance.volatility import MODEL_NAMES, walk_forward_volatility
    from pyanalytics.finance.volatility_targeting import volatility_targeting

    data = _prices(prices, "prices", ("close",), drop_invalid)
    result = walk_forward_volatility(
        data, horizons=horizons, n_folds=folds, window=window, models=MODEL_NAMES if models is None else models,
        range_feature=_flag("range_feature", range_feature), seed=check_seed("seed", seed),
        lstm_params={"epochs": check_int("epochs", epochs, minimum=1), **(lstm_params or {})},
    )
    targeting = volatility_targeting(result, data, target_volatility=target_volatility, max_leverage=max_leverage,
                                     cost_bps=DEFAULT_COST_BPS if cost_bps is None else cost_bps)
    return {
        "summary": result.summary(),
        "verdict": result.verdict_sentences(),
        "table": columns(result.table()),
        "folds": columns(result.folds),
        "forecasts": columns(result.forecasts),
        "targeting": columns(targeting.table().reset_index()),
        "targeting_summary": targeting.summary(),
    }


@contextlib.contextmanager
def _named(name: str):
    """Errors and warnings raised inside, their messages prefixed with ``name`` (a ticker)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except PyAnalyticsError as error:
            raise type(error)(f"{name}: {error}") from error
    for warning in caught:
        warnings.warn_explicit(f"{name}: {warning.message}", warning.category, warning.filename, warning.lineno)


def _default_spec():
    from pyanalytics.finance.features import FeatureSpec

    return FeatureSpec()


def _checked(model):
    """``model`` if it is a TrainingResult or a Bundle, else a ParameterError."""
    from pyanalytics.bundle import Bundle
    from pyanalytics.training import TrainingResult

    if not isinstance(model, (Bundle, TrainingResult)):
        raise ParameterError(f"model: expected a model from pa_fit() or pa_load(), got a {type(model).__name__}.")
    return model


def _bundle(model):
    """The Bundle that predicts for ``model`` (a TrainingResult or a Bundle)."""
    from pyanalytics.bundle import Bundle

    model = _checked(model)
    return model if isinstance(model, Bundle) else Bundle.from_result(model)


def _prices(source, name: str, required, drop_invalid=False, extra=()) -> pd.DataFrame:
    """Validated prices from a path or a frame sent by R (R Dates arrive as Python dates),
    keeping the ``extra`` columns."""
    from pyanalytics.finance import load_prices as load

    if not isinstance(source, (str, pd.DataFrame)):
        raise ParameterError(f"{name}: expected a data.frame of prices or a CSV path, got a {type(source).__name__}.")
    return load(source, required=required, extra=extra, drop_invalid=_flag("drop_invalid", drop_invalid))


def _bundle_prices(bundle, source, drop_invalid=False) -> pd.DataFrame:
    """The prices ``bundle`` needs from ``source``: its price columns and its extra features' columns."""
    preprocessing = bundle.preprocessing
    return _prices(source, "newdata", preprocessing.required_columns, drop_invalid, preprocessing.extra_columns)


def _path(name: str, value) -> Path:
    if not isinstance(value, str) or not value:
        raise ParameterError(f"{name}: expected a file path (a non-empty string), got {value!r}.")
    return Path(value).expanduser()


def _flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name}: expected TRUE or FALSE, got {value!r}.")
    return bool(value)


# Tabular models: R's formula interface (``pa_fit(y ~ ., data)``) on ``pyanalytics.tabular``.

# Parameters of ``train_tabular`` that R sets from its own arguments or fills itself: not for `...`.
TABULAR_SET_BY_ARGUMENTS = frozenset({"data", "target", "task", "date_column", "model", "epochs", "seed",
                                      "data_name", "on_epoch"})


def tabular_settings() -> list[str]:
    """The settings of ``train_tabular`` that R passes in ``...`` (network and split)."""
    import inspect

    from pyanalytics.tabular import train_tabular

    return sorted(set(inspect.signature(train_tabular).parameters) - TABULAR_SET_BY_ARGUMENTS)


def tabular_frame(columns: dict, row_names=None) -> pd.DataFrame:
    """A frame from R's columns, each ``{"kind", "values", "missing", "levels", "ordered"}``.

    R sends every column as a 1-D array with a separate missing mask, since reticulate turns an
    integer or logical NA into a number or TRUE. Factors become Categoricals keeping their level
    order; logicals booleans (nullable ``boolean`` with NA); integers ``int64`` (nullable
    ``Int64`` with NA); characters text with None; dates datetimes. Rows are labelled by R's row
    names (1, 2, ... by default), so errors name the row R shows.
    """
    frame = {}
    for name, column in columns.items():
        values = np.atleast_1d(np.asarray(column["values"]))
        missing = column.get("missing")
        missing = np.zeros(len(values), bool) if missing is None else np.atleast_1d(np.asarray(missing, bool))
        kind = column["kind"]
        if kind == "factor":
            levels = [str(level) for level in np.atleast_1d(column["levels"] or [])]
            codes = np.where(missing, -1, values.astype(np.int64) - 1)
            frame[name] = pd.Categorical.from_codes(codes, categories=levels, ordered=bool(column["ordered"]))
        elif kind in ("logical", "integer"):
            values = values.astype(bool if kind == "logical" else np.int64)
            if missing.any():
                values = pd.array(values, dtype="boolean" if kind == "logical" else "Int64")
                values[missing] = pd.NA
            frame[name] = values
        elif kind == "double":
            frame[name] = values.astype(np.float64)
        elif kind == "character":
            frame[name] = np.where(missing, None, values.astype(object))
        elif kind == "date":
            frame[name] = pd.to_datetime(np.where(missing, None, values.astype(object)))
        else:
            raise ParameterError(f"column {name!r}: expected a number, logical, factor, character or date column, got {kind}.")
    index = pd.RangeIndex(1, len(next(iter(frame.values()), [])) + 1, name="row")
    if row_names is not None:
        index = pd.Index(np.atleast_1d(row_names).astype(object), name="row")
    return pd.DataFrame(frame, index=index)


def fit_tabular(data: pd.DataFrame, target: str, task: str = "auto", date_column=None, epochs=None, seed=None,
                settings: dict | None = None, data_name: str | None = None):
    """Train a tabular model (see ``train_tabular``) on a frame from ``tabular_frame``; returns its result.

    ``epochs`` None is the network's default (``DEFAULT_NETWORK``).
    """
    from pyanalytics.tabular import train_tabular
    from pyanalytics.defaults import DEFAULT_NETWORK

    known = tabular_settings()
    unknown = sorted(set(settings or {}) - set(known))
    if unknown:
        raise ParameterError(f"{unknown[0]}: not a setting of a tabular model; settings: {', '.join(known)}.")
    return train_tabular(data, target, task=task, date_column=date_column, epochs=DEFAULT_NETWORK["epochs"] if epochs is None else check_int("epochs", epochs, minimum=1),
                         seed=check_seed("seed", seed), data_name=data_name, **(settings or {}))


def tabular_summary(model) -> dict:
    """The task, response, classes, split, notes, test metrics beside the baselines and the verdict."""
    from pyanalytics.evaluation.task_metrics import task_metrics_table
    from pyanalytics.evaluation.verdict import task_verdict
    from pyanalytics.tasks import TASKS

    preprocessing = _tabular(model).preprocessing
    info = _tabular_info(model)
    task = TASKS[preprocessing.task]
    table = task_metrics_table(task, info["metrics"]).drop(columns=["confusion_matrix"], errors="ignore")
    return {
        "task": preprocessing.task,
        "model": info["model"],
        "target": preprocessing.encoder.name_,
        "classes": preprocessing.classes,
        "features": list(preprocessing.feature_names),
        "columns": list(preprocessing.required_columns),
        "parts": info["parts"],
        "notes": list(info["notes"]),
        "seed": info["seed"],
        "best_epoch": getattr(model.estimator, "best_epoch_", None),
        "path": None if getattr(model, "path", None) is None else str(model.path),
        "metrics": columns(table.rename_axis("model").reset_index()),
        "verdict": json_safe(task_verdict(task, info["metrics"], info["model"]).to_dict()),
    }


def tabular_predict(model, data: pd.DataFrame) -> dict[str, np.ndarray]:
    """The task's prediction columns for the rows of ``data``, in the response's own labels."""
    return columns(_tabular(model).preprocessing.predict(model.estimator, data))


def tabular_evaluate(model, data: pd.DataFrame) -> dict:
    """The task's metrics of the model and its baselines on the labelled rows of ``data``, and the verdict.

    Returns ``{"metrics": one row per model (the model first) as columns, "verdict": the verdict}``.
    """
    from pyanalytics.tabular.bundle import evaluate_rows
    from pyanalytics.tabular.labelled import labelled_rows

    evaluation = evaluate_rows(_tabular(model), labelled_rows(model.preprocessing, data))
    return {"metrics": columns(evaluation.table().rename_axis("model").reset_index()),
            "verdict": json_safe(evaluation.verdict.to_dict())}


def tabular_report(model, data, path: str, methods=("shap", "lime"), seed=0) -> str:
    """Write the HTML report of a tabular model on the labelled rows of ``data`` (None: a result's own
    test part), its last rows explained with ``methods``; return its path."""
    from pyanalytics.explain import explain as run_explain
    from pyanalytics.reports import write_tabular_report

    model = _tabular_with_rows(model, data, "report on", labelled=True)
    methods = [methods] if isinstance(methods, str) else list(methods)
    explanations = {
        m: run_explain(model, data, method=m, last=5, n_samples=DEFAULT_EXPLAIN_SAMPLES[m], seed=seed)
        for m in methods
    }
    return str(write_tabular_report(_path("file", path), model, data, explanations=explanations,
                                    data_label=None if data is None else "newdata"))


def _tabular_with_rows(model, data, what: str, labelled: bool = False):
    """``_tabular(model)``, refused when ``data`` is None and the model keeps no test rows (a loaded bundle)."""
    model = _tabular(model)
    rows = f"labelled rows (with the response column {model.preprocessing.encoder.name_!r})" if labelled else "rows"
    return _with_rows(model, data, what, rows)


def _with_rows(model, data, what: str, rows: str):
    """``model``, refused when ``data`` is None and the model keeps no test rows (a loaded bundle; a sequence
    result keeps its test sets)."""
    if data is None and getattr(model, "test_frame", None) is None and not getattr(model, "test_sets", None):
        raise ParameterError(f"newdata: a model loaded from a bundle keeps no rows to {what}; pass a data.frame of {rows}.")
    return model


def _tabular(model):
    """``model`` if it is a tabular result or bundle, else a ParameterError."""
    if not is_tabular(model):
        raise ParameterError(f"model: expected a tabular model from pa_fit(formula, data) or pa_load(), got a {type(model).__name__}.")
    return model


def _tabular_info(model) -> dict:
    """The model's name, test metrics (model and baselines), parts, notes and seed, of a result or a bundle."""
    if hasattr(model, "metadata"):  # a loaded TabularBundle
        metadata = model.metadata
        return {"model": model.model_name, "metrics": metadata["metrics"]["test"], "parts": metadata["parts"],
                "notes": metadata["notes"], "seed": metadata["seed"]}
    return {"model": model.model_name, "metrics": model.metrics, "parts": model.parts, "notes": model.notes,
            "seed": model.seed}


# Anomaly detectors: R's pa_anomaly() (a formula or a data.frame) on ``pyanalytics.anomaly``.

# Parameters of ``train_anomaly`` that R sets from its own arguments or fills itself: not for `...`.
ANOMALY_SET_BY_ARGUMENTS = frozenset({"data", "label", "time_column", "amount_column", "features", "model", "rule",
                                      "target", "seed", "data_name", "on_epoch", "network"})


def anomaly_settings(model: str) -> list[str]:
    """The settings R passes in ``...``: the split's (``train_anomaly``'s) and the detector's parameters."""
    import inspect

    from pyanalytics.anomaly import train_anomaly
    from pyanalytics.models import AUTOENCODERS

    model = check_choice("model", model, tuple(AUTOENCODERS))
    split = set(inspect.signature(train_anomaly).parameters) - ANOMALY_SET_BY_ARGUMENTS
    return sorted(split | (set(AUTOENCODERS[model]().get_params()) - ANOMALY_SET_BY_ARGUMENTS))


def fit_anomaly(data: pd.DataFrame, features, label=None, time_column=None, amount_column=None,
                model: str = "autoencoder", rule=None, target=None, seed=0, settings: dict | None = None,
                data_name: str | None = None):
    """Train an anomaly detector (see ``train_anomaly``) on the ``features`` columns of a frame from
    ``tabular_frame``; returns its AnomalyResult.

    Raises:
        ParameterError: a setting that is neither the split's nor the detector's.
    """
    from pyanalytics.anomaly import train_anomaly
    from pyanalytics.evaluation.thresholds import RULES

    if rule is not None:  # before training, which chooses the threshold last
        check_choice("rule", rule, RULES)
    known = anomaly_settings(model)
    unknown = sorted(set(settings or {}) - set(known))
    if unknown:
        raise ParameterError(f"{unknown[0]}: not a setting of the {model} detector or the split; settings: {', '.join(known)}.")
    return train_anomaly(data, features=[str(f) for f in np.atleast_1d(features)], label=label,
                         time_column=time_column, amount_column=amount_column, model=model, rule=rule, target=target,
                         seed=check_seed("seed", seed), data_name=data_name, **(settings or {}))


def anomaly_summary(model) -> dict:
    """The detector, its columns, split, notes, threshold and test metrics beside the baselines, and the verdict."""
    from pyanalytics.anomaly.bundle import TASK
    from pyanalytics.evaluation.task_metrics import task_metrics_table
    from pyanalytics.evaluation.verdict import task_verdict

    model = _anomaly(model)
    pre = model.preprocessing
    saved = getattr(model, "metadata", None)  # a loaded AnomalyBundle; else an AnomalyResult
    if saved is not None:
        metrics, parts, notes, seed = saved["metrics"]["test"], saved["parts"], saved["notes"], saved["seed"]
        threshold, data_name = saved["threshold"], saved["data"]["name"]
    else:
        choice = model.threshold
        metrics, parts, notes, seed, data_name = model.metrics, model.parts, model.notes, model.seed, model.data_name
        threshold = {"rule": choice.rule, "target": choice.target, "value": choice.threshold, "validation": choice.chosen}
    return {
        "task": "anomaly",
        "model": model.model_name,
        "target": pre.label,
        "label": pre.label,
        "time_column": pre.time_column,
        "amount_column": pre.amount_column,
        "features": list(pre.feature_names),
        "columns": list(pre.required_columns),
        "parts": parts,
        "notes": list(notes),
        "seed": seed,
        "data_name": data_name,
        "threshold": json_safe({**threshold, "value": float(model.estimator.threshold_)}),
        "ceilings": list(TASK.ceilings),
        "best_epoch": getattr(model.estimator, "best_epoch_", None),
        "path": None if getattr(model, "path", None) is None else str(model.path),
        "metrics": columns(task_metrics_table(TASK, metrics).rename_axis("model").reset_index()),
        "verdict": json_safe(task_verdict(TASK, metrics, model.model_name).to_dict()),
    }


def anomaly_predict(model, data: pd.DataFrame) -> dict[str, np.ndarray]:
    """``score`` (higher: more unusual) and ``flag`` (1: at or above the threshold) per row of ``data``."""
    return columns(_anomaly_bundle(model).predict(data).reset_index(drop=True))


def anomaly_feature_errors(model, data: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each row's squared reconstruction error per feature (scaled units), one column per feature."""
    return columns(_anomaly_bundle(model).feature_errors(data).reset_index(drop=True))


def anomaly_evaluate(model, data: pd.DataFrame) -> dict:
    """The task's metrics of the detector and its saved baselines on the labelled rows of ``data``, and the verdict.

    Returns ``{"metrics": one row per model (the detector first) as columns, "verdict": the verdict}``.
    """
    evaluation = _anomaly_bundle(model).evaluate(data)
    return {"metrics": columns(evaluation.table().rename_axis("model").reset_index()),
            "verdict": json_safe(evaluation.verdict.to_dict())}


def explain_anomaly(model, data=None, method: str = "reconstruction", n=10, rows=None, seed=0, n_samples=None) -> dict:
    """Explain the rows labelled ``rows`` of ``data`` (a frame from ``tabular_frame``; None: a result's
    test part), or its ``n`` highest-scoring flagged rows, by ``method`` (see ``explain_anomalies``).

    Returns what ``explain_tabular`` returns; ``task`` is ``"anomaly"`` and ``target`` the label column.
    """
    from pyanalytics.anomaly.explain import explain_anomalies
    from pyanalytics.explain.shap_adapter import KERNEL_SAMPLES

    model = _with_rows(_anomaly(model), data, "explain", "rows")
    if rows is not None:  # R's numbers arrive as floats: 3.0 is the row labelled 3
        rows = [int(r) if isinstance(r, float) and r.is_integer() else r for r in np.atleast_1d(rows).tolist()]
    n = check_int("n", n, minimum=1)
    result = explain_anomalies(model, data, rows=rows, top=n if rows is None else None, methods=(method,),
                               n_samples=n_samples, seed=seed)[method]
    samples = (n_samples or KERNEL_SAMPLES) if method == "shap" else None  # reconstruction errors draw none
    return {"frame": columns(result.to_frame()), "explainer": result.explainer, "n_samples": samples,
            "quality": json_safe(result.quality), "task": "anomaly", "target": model.preprocessing.label}


def anomaly_report(model, data, path: str) -> str:
    """Write the HTML report of an anomaly detector on the labelled rows of ``data`` (None: a result's
    own test part); return its path."""
    from pyanalytics.anomaly.report import write_anomaly_report

    model = _anomaly(model)
    _with_rows(model, data, "report on", f"labelled rows (with the label column {model.preprocessing.label!r})")
    return str(write_anomaly_report(_path("file", path), model, data, data_label=None if data is None else "newdata"))


def _anomaly(model):
    """``model`` if it is an anomaly result or bundle, else a ParameterError."""
    if domain_of(model) != "anomaly":
        raise ParameterError(f"model: expected an anomaly detector from pa_anomaly() or pa_load(), got a {type(model).__name__}.")
    return model


def _anomaly_bundle(model):
    """The AnomalyBundle that scores for ``model``: itself when loaded, else one in memory holding the
    result's detector and the baselines a bundle saves, so a detector scores and evaluates alike before
    and after ``save``/``load``."""
    from pyanalytics.anomaly.bundle import AnomalyBundle

    model = _anomaly(model)
    if isinstance(model, AnomalyBundle):
        return model
    saved = {name: baseline for name, baseline in model.baselines.items() if baseline.saveable}
    return AnomalyBundle(None, model.model_name, model.estimator, saved, model.preprocessing, {})


# Sequence models: R's pa_sequence_classifier() and pa_forecast() on ``pyanalytics.sequence``.

# Parameters of the training functions that R sets from its own arguments or fills itself: not for `...`.
SEQUENCE_SET_BY_ARGUMENTS = frozenset({"data", "label", "target", "time_column", "features", "window", "horizon", "period",
                                       "quantiles", "model", "test_data", "max_gap", "seed", "data_name", "on_epoch",
                                       "network"})


def sequence_settings() -> list[str]:
    """The settings R passes in ``...``: the split's (``validation``, ``test``, ``gap``) and the network's."""
    import inspect

    from pyanalytics.sequence import train_forecaster
    from pyanalytics.sequence.training import NETWORK_DEFAULTS

    split = set(inspect.signature(train_forecaster).parameters) - SEQUENCE_SET_BY_ARGUMENTS
    return sorted(split | set(NETWORK_DEFAULTS))


def fit_sequence(task: str, data: pd.DataFrame, column: str, time_column=None, features=None, window=None,
                 horizon=None, period=None, quantiles=None, model: str = "lstm", test_data=None, max_gap=None, seed=0,
                 settings: dict | None = None, data_name: str | None = None):
    """Train a sequence classifier (``task`` ``"classify"``, ``column`` the label) or forecaster (``"forecast"``,
    ``column`` the target) on a frame from ``tabular_frame``; ``test_data`` None or ``{name: frame}``.

    Raises:
        ParameterError: a setting that is neither the split's nor the network's.
    """
    from pyanalytics.sequence import train_forecaster, train_sequence_classifier

    task = check_choice("task", task, ("classify", "forecast"))
    known = sequence_settings()
    unknown = sorted(set(settings or {}) - set(known))
    if unknown:
        raise ParameterError(f"{unknown[0]}: not a setting of a sequence model or its split; settings: {', '.join(known)}.")
    common = {"time_column": time_column, "features": None if features is None else [str(f) for f in np.atleast_1d(features)],
              "model": model, "test_data": test_data or None, "max_gap": max_gap, "seed": check_seed("seed", seed),
              "data_name": data_name, **(settings or {})}
    if window is not None:
        common["window"] = check_int("window", window, minimum=1)
    if task == "classify":
        return train_sequence_classifier(data, column, **common)
    if horizon is not None:
        common["horizon"] = check_int("horizon", horizon, minimum=1)
    levels = None if quantiles is None else tuple(float(q) for q in np.atleast_1d(quantiles))
    return train_forecaster(data, column, period=None if period is None else check_int("period", period, minimum=1),
                            quantiles=levels, **common)


def sequence_summary(model) -> dict:
    """The task, columns, window, split, notes, and every test set's metrics beside the baselines (a forecast's
    also per horizon), the verdict of the first."""
    from pyanalytics.evaluation.verdict import task_verdict
    from pyanalytics.tasks import TASKS

    bundle = _sequence_bundle(model)
    pre = bundle.preprocessing
    saved = bundle.metadata
    tests = saved["test_sets"]
    first = next(iter(tests.values()))
    estimator = bundle.estimator
    return {
        "task": pre.task,
        "model": bundle.model_name,
        "label": pre.label,
        "target": pre.target,
        "time_column": pre.time_column,
        "window": pre.window,
        "horizon": pre.horizon or None,
        "max_gap": pre.max_gap,
        "features": list(pre.feature_names),
        "columns": list(pre.required_columns),
        "classes": None if pre.task == "forecasting" else [_plain(c) for c in estimator.classes_],
        "quantiles": getattr(estimator, "quantiles", None),
        "scale": saved.get("scale"),
        "parts": saved["parts"],
        "notes": list(saved["notes"]),
        "seed": saved["seed"],
        "data_name": saved["data"]["name"],
        "best_epoch": getattr(estimator, "best_epoch_", None),
        "path": None if bundle.path is None else str(bundle.path),
        "test_sets": {name: {"windows": next(iter(metrics.values()))["n"], **_sequence_metrics(pre.task, metrics)}
                      for name, metrics in tests.items()},
        "verdict": json_safe(task_verdict(TASKS[pre.task], first, bundle.model_name).to_dict()),
    }


def sequence_predict(model, data: pd.DataFrame, last=False) -> dict[str, np.ndarray]:
    """Each window's class probabilities and class, or forecasts (``h1``.. and the interval), by the time it ends at."""
    return columns(_sequence_bundle(model).predict(data, last=_flag("last", last)))


def sequence_evaluate(model, data: pd.DataFrame) -> dict:
    """The task's metrics of the model, its saved baselines (and persistence) on every window of ``data``, and the verdict.

    Returns ``{"metrics": one row per model as columns, "horizons": per model and horizon (forecasts) or None,
    "verdict": the verdict}``.
    """
    evaluation = _sequence_bundle(model).evaluate(data)
    return {**_sequence_metrics(evaluation.task, evaluation.metrics), "verdict": json_safe(evaluation.verdict.to_dict())}


def sequence_outcomes(model, data=None, horizon=1) -> dict[str, np.ndarray]:
    """What a sequence model said beside what happened, over time: ``data`` (None: a result's first test set).

    Classification: per window end ``time``, ``actual`` (the label) and ``predicted`` (the class) and ``prob`` (the
    probability of the positive class, or of the predicted class for more than two). Forecasting: per target time,
    the forecast made ``horizon`` steps before it (``predicted``, with ``lower``/``upper`` for quantiles) and ``actual``.
    """
    bundle = _sequence_bundle(model)
    pre = bundle.preprocessing
    if data is None:
        _with_rows(model, data, "draw", "the series with its label or target column")
        test = next(iter(model.test_sets.values()))
        times, X, y = test.times, test.X, test.y
        later = times[1:]  # a test set's windows end at consecutive rows: the time h rows on is h windows on
    else:
        series = pre.series(data)
        if series.labels is None:
            raise DataError(f"newdata: it has no label column {pre.label!r} to draw against.")
        rows = np.arange(pre.window - 1, len(data) - pre.horizon)
        X, y = pre.examples(series, rows)
        times, later = series.times[rows], series.times[pre.window:]
    if pre.task != "forecasting":
        probabilities = bundle.estimator.predict_proba(X)
        prob = probabilities[:, 1] if probabilities.shape[1] == 2 else probabilities.max(axis=1)
        return columns(pd.DataFrame({"time": times, "actual": y, "predicted": bundle.estimator.classes_from_proba(probabilities),
                                     "prob": prob}))
    h = check_int("horizon", horizon, minimum=1)
    if h > pre.horizon:
        raise ParameterError(f"horizon: expected at most the model's horizon {pre.horizon}, got {h}.")
    if getattr(bundle.estimator, "quantiles", None):
        forecast, lower, upper = bundle.estimator.predict_with_interval(X)
        bands = {"lower": lower[:, h - 1], "upper": upper[:, h - 1]}
    else:
        forecast, bands = bundle.estimator.predict(X), {}
    kept = min(len(times), len(later) - h + 1)  # windows whose target time is known
    frame = pd.DataFrame({"time": later[h - 1:h - 1 + kept], "origin": times[:kept], "actual": y[:kept, h - 1],
                          "predicted": forecast[:kept, h - 1], **{k: v[:kept] for k, v in bands.items()}})
    return columns(frame)


def _sequence_metrics(task: str, metrics: dict) -> dict:
    """A ``{model: metrics}`` dict as ``{"metrics": columns, "horizons": columns or None}``."""
    from pyanalytics.evaluation.task_metrics import task_metrics_table
    from pyanalytics.tasks import TASKS

    table = task_metrics_table(TASKS[task], metrics).rename_axis("model").reset_index()
    horizons = None
    if task == "forecasting":
        rows = []
        for name, values in metrics.items():
            per = values["horizons"]
            for h in range(len(per["mase"])):
                rows.append({"model": name, "horizon": h + 1, **{k: per[k][h] for k in per}})
        horizons = columns(pd.DataFrame(rows))
    return {"metrics": columns(table), "horizons": horizons}


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _sequence_bundle(model):
    """The SequenceBundle that predicts for ``model``: itself when loaded, else one in memory holding the
    result's network, its saved baselines and the metadata a bundle keeps, so a model predicts and
    evaluates alike before and after ``save``/``load``."""
    from pyanalytics.sequence.bundle import SequenceBundle

    if isinstance(_sequence_model(model), SequenceBundle):
        return model
    metadata = {"scale": model.scale, "parts": model.parts, "notes": list(model.notes), "seed": model.seed,
                "data": {"name": model.data_name},
                "test_sets": {name: test.metrics for name, test in model.test_sets.items()}}
    return SequenceBundle(None, model.model_name, model.estimator, model.baselines, model.preprocessing, metadata)


def explain_sequence(model, data=None, method: str = "shap", n=10, horizon=None, label=None, seed=0,
                     n_samples=None) -> dict:
    """Explain a sequence model's last ``n`` windows of ``data`` (a frame from ``tabular_frame``; None: a result's
    first test set) by ``method`` (see ``explain_sequences``): what ``explain_tabular`` returns, per horizon for a
    forecaster."""
    from pyanalytics.sequence.explain import explain_sequences

    model = _sequence_model(model)
    horizon = None if horizon is None else [check_int("horizon", h, minimum=1) for h in np.atleast_1d(horizon).tolist()]
    result = explain_sequences(model, data, method=method, n=check_int("n", n, minimum=1), horizon=horizon, label=label,
                               n_samples=n_samples, seed=seed)
    return {"frame": columns(result.frame), "explainer": result.explainer, "n_samples": n_samples,
            "quality": json_safe(result.quality), "task": model.preprocessing.task, "target": result.target}


def sequence_report(model, data, path: str, methods=("shap", "lime"), n=3, seed=0) -> str:
    """Write the HTML report of a sequence model on the labelled series ``data`` (None: a result's own test sets),
    with ``methods``' importance on its last ``n`` windows; return its path."""
    from pyanalytics.sequence.explain import explain_sequences
    from pyanalytics.sequence.report import write_sequence_report

    model = _with_rows(_sequence_model(model), data, "report on", "labelled series (with the label or target column)")
    methods = [methods] if isinstance(methods, str) else list(methods)
    explanations = {m: explain_sequences(model, data, method=m, n=check_int("n", n, minimum=1), seed=seed) for m in methods}
    series = None if data is None else {"newdata": data}
    return str(write_sequence_report(model, _path("file", path), data=series, explanations=explanations or None))


def _sequence_model(model):
    """``model`` if it is a sequence result or bundle, else a ParameterError."""
    if domain_of(model) != "sequence":
        raise ParameterError("model: expected a sequence model from pa_sequence_classifier(), pa_forecast() or "
                             f"pa_load(), got a {type(model).__name__}.")
    return model
