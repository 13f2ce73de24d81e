"""Walk-forward volatility forecasting: the LSTM beside EWMA, HAR-RV and GARCH(1,1), scored by MSE and QLIKE.

For quant analysts the predictable part of a price series is its volatility, not its direction.
The dates with features and targets (``volatility_data``) are cut into consecutive test blocks
(``splits.WalkForward``) with a purge gap of the longest horizon before each, so no training
target reaches into the block. Per block every forecaster is fitted on the dates before it only
(the LSTM's inputs are scaled with those dates' statistics), then forecasts each date of the
block from prices up to that date. The blocks are stitched and scored on the variance (MSE,
QLIKE), per horizon. An LSTM's window may reach back before its block: its inputs are past prices,
which the GARCH filter and the EWMA read too; only training targets stop at the gap.
Nothing here prints or writes to disk.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, FoldError, ParameterError
from pyanalytics.evaluation.verdict import Verdict, task_verdict
from pyanalytics.evaluation.volatility_metrics import VOLATILITY_METRIC_NAMES, variance_metrics
from pyanalytics.finance.volatility_data import HORIZONS, MONTH, VolatilityData, check_horizons, volatility_data
from pyanalytics.finance.volatility_models import VOLATILITY_BASELINES, VOLATILITY_MODELS
from pyanalytics.jsonio import json_safe
from pyanalytics.params import check_choice, check_int, check_seed
from pyanalytics.splits import WalkForward
from pyanalytics.tasks import TASKS

MODEL = "lstm"  # the model judged against the baselines
MODEL_NAMES = tuple(VOLATILITY_MODELS)
# Forecasting variance is a regression judged by QLIKE (lower is better, a 2 % relative edge).
VOLATILITY_TASK = replace(
    TASKS["regression"], name="volatility", metric_names=VOLATILITY_METRIC_NAMES, headline="qlike",
    baselines=VOLATILITY_BASELINES, prediction_columns=lambda horizons: [f"h{k}" for k in horizons],
    explains="the forecast variance over each horizon",
)
LSTM_SETTINGS = ("units", "epochs", "patience", "batch_size", "learning_rate", "dropout", "validation_fraction")


@dataclass(frozen=True, eq=False)
class VolatilityResult:
    """Stitched out-of-sample volatility forecasts of every model, per fold and overall.

    Attributes:
        forecasts: one row per forecast date and horizon, oldest first within each horizon:
            ``date``, ``fold`` (from 1), ``horizon`` (days), ``realised`` and one column per
            model, all annualised volatilities (square them for variances).
        folds: one row per fold: ``fold``, ``train_start``, ``train_end``, ``test_start``,
            ``test_end``, ``n_train``, ``n_test``.
        config: the settings of the run as plain data.
    """

    forecasts: pd.DataFrame
    folds: pd.DataFrame
    config: dict

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(self.config["models"])

    @property
    def horizons(self) -> tuple[int, ...]:
        return tuple(self.config["horizons"])

    def table(self) -> pd.DataFrame:
        """One row per model and horizon: ``model``, ``horizon``, ``mse`` and ``qlike`` on the
        variance over every stitched date, ``n`` dates."""
        return _metrics(self.forecasts, self.models, ["horizon"])

    def fold_table(self) -> pd.DataFrame:
        """The same per fold: ``fold``, ``model``, ``horizon``, ``mse``, ``qlike``, ``n``."""
        return _metrics(self.forecasts, self.models, ["fold", "horizon"])

    def verdicts(self) -> dict[int, Verdict]:
        """Per horizon: the LSTM's QLIKE against the best baseline's (``task_verdict``); empty
        without an LSTM in the run."""
        if MODEL not in self.models:
            return {}
        table = self.table()
        return {
            horizon: task_verdict(VOLATILITY_TASK, {row.model: {"qlike": row.qlike} for row in part.itertuples()}, MODEL)
            for horizon, part in table.groupby("horizon")
        }

    def verdict_sentences(self) -> list[str]:
        """One sentence per horizon: the LSTM's QLIKE against the best baseline's, and in how many folds
        the LSTM had the lowest QLIKE of all; without an LSTM, one sentence naming the lowest QLIKE."""
        verdicts = self.verdicts()
        if not verdicts:
            best = self.table().sort_values(["horizon", "qlike"]).groupby("horizon").head(1)
            lowest = "; ".join(f"{r.horizon}-day {r.model} {r.qlike:.3f}" for r in best.itertuples())
            return [f"No LSTM in this run, so no verdict on it; the lowest QLIKE: {lowest}."]
        folds = self.fold_table().pivot_table(index=["horizon", "fold"], columns="model", values="qlike")
        sentences = []
        for horizon, judged in verdicts.items():
            per_fold = folds.loc[horizon]
            wins = int((per_fold[MODEL] < per_fold.drop(columns=MODEL).min(axis=1)).sum())
            sentences.append(f"{horizon}-day: {judged.sentence} The LSTM has the lowest QLIKE in {wins} of "
                             f"{len(per_fold)} folds.")
        return sentences

    @property
    def verdict(self) -> str:
        """The verdict sentences in one string."""
        return " ".join(self.verdict_sentences())

    def volatility_forecast(self, model: str, horizon: int) -> pd.Series:
        """A model's stitched annualised volatility forecasts over ``horizon`` days, by date: what
        ``backtest(..., volatility=...)`` takes.

        Raises:
            ParameterError: a model or horizon not in the run.
        """
        model = check_choice("model", model, self.models)
        horizon = check_choice("horizon", horizon, self.horizons)
        rows = self.forecasts[self.forecasts["horizon"] == horizon]
        return pd.Series(rows[model].to_numpy(), index=pd.DatetimeIndex(rows["date"], name="date"),
                         name=f"{model}_{horizon}")

    def summary(self) -> dict:
        """Settings, folds, the metrics overall and per fold, and the verdicts, as plain JSON-able data."""
        dates = self.forecasts["date"]
        folds = self.folds.assign(**{c: self.folds[c].dt.date.astype(str) for c in self.folds if c.endswith(("start", "end"))})
        return json_safe({
            **self.config,
            "period": {"start": dates.min().date().isoformat(), "end": dates.max().date().isoformat(),
                       "dates": int(dates.nunique())},
            "folds": folds.to_dict(orient="records"),
            "table": self.table().to_dict(orient="records"),
            "fold_table": self.fold_table().to_dict(orient="records"),
            "verdicts": {str(h): v.to_dict() for h, v in self.verdicts().items()},
            "verdict": self.verdict,
        })


def _metrics(forecasts: pd.DataFrame, models, keys: list[str]) -> pd.DataFrame:
    rows = []
    for key, part in forecasts.groupby(keys):
        realised = part["realised"].to_numpy() ** 2
        for model in models:
            scores = variance_metrics(realised, part[model].to_numpy() ** 2)
            rows.append({**dict(zip(keys, key)), "model": model, **scores})
    return pd.DataFrame(rows)[[*keys[:-1], "model", keys[-1], "mse", "qlike", "n"]]


def walk_forward_volatility(
    prices: pd.DataFrame,
    *,
    horizons=HORIZONS,
    n_folds: int = 5,
    window: int = MONTH,
    models=MODEL_NAMES,
    range_feature: bool = True,
    window_mode: str = "expanding",
    train_size: int | None = None,
    test_size: int | None = None,
    seed: int | None = 0,
    lstm_params: dict | None = None,
    on_fold=None,
    on_epoch=None,
) -> VolatilityResult:
    """Fit every forecaster on each fold's past, forecast the next block, stitch and score.

    Args:
        prices: a prices frame (``pyanalytics.finance.load_prices``; ``high``/``low`` for the
            range feature).
        horizons: days of each realised-volatility target (5 and 21: a week and a month).
        n_folds: number of test blocks (at least 2).
        window: days per LSTM input window.
        models: names from ``VOLATILITY_MODELS`` (``lstm``, ``har``, ``ewma``, ``garch``).
        range_feature: give the LSTM the daily range log(high / low) too (the other models do not
            read it, so without the LSTM the prices need no high and low).
        window_mode: ``"expanding"`` (all the past) or ``"rolling"`` (the last ``train_size`` dates).
        train_size: dates per rolling training window.
        test_size: dates per test block (default: the history cut into ``n_folds + 1`` parts).
        seed: seed of the LSTM (the same in every fold).
        lstm_params: further LSTM settings (``units``, ``epochs``, ``patience``, ``batch_size``,
            ``learning_rate``, ``dropout``, ``validation_fraction``).
        on_fold: progress callback ``on_fold(fold, n_folds, row)`` after each fold; ``row`` is the
            fold's row of ``folds`` with ``qlike_<model>`` at the shortest horizon.
        on_epoch: progress callback ``on_epoch(epoch, max_epochs, logs)`` of every LSTM fit.

    Raises:
        ParameterError: an argument out of range (before anything is fitted).
        DataError: bad prices, or too little history for the window or the folds.
        FoldError: a fold failed; the message names the fold, its dates and the cause.

    Example:
        >>> from pyanalytics.finance import synthetic_market
        >>> result = walk_forward_volatility(synthetic_market(1200), n_folds=3, models=("har", "ewma"))
        >>> result.table()[["model", "horizon"]].values.tolist()
        [['har', 5], ['ewma', 5], ['har', 21], ['ewma', 21]]
    """
    models = _check_models(models)
    settings = _lstm_settings(lstm_params, window, seed)
    splitter = WalkForward(check_int("n_folds", n_folds, minimum=2),
                           check_choice("window_mode", window_mode, ("expanding", "rolling")),
                           gap=max(check_horizons(horizons)), train_size=train_size, test_size=test_size)
    range_feature = bool(range_feature) and MODEL in models  # only the LSTM reads the range
    data = volatility_data(prices, horizons, range_feature=range_feature)
    if MODEL in models:
        _check_window(data, settings["window"])
    blocks = list(splitter.split(len(data.rows)))
    frames, rows = [], []
    for number, (train, test) in enumerate(blocks, start=1):
        train_rows, test_rows = data.rows[train], data.rows[test]
        try:
            forecasts = {name: _fitted(name, settings, data, train_rows, on_epoch).forecast(data, test_rows)
                         for name in models}
        except Exception as error:
            raise FoldError(f"{_fold_name(number, len(blocks), data, train_rows, test_rows)}: {error}") from error
        frames.append(_fold_forecasts(number, data, test_rows, forecasts))
        row = _fold_row(number, data, train_rows, test_rows)
        rows.append(row)
        if on_fold is not None:
            shortest = frames[-1][frames[-1]["horizon"] == data.horizons[0]]
            qlike = {f"qlike_{m}": _metrics(shortest, [m], ["horizon"])["qlike"].item() for m in models}
            on_fold(number, len(blocks), {**row, **qlike})
    forecasts = pd.concat(frames).sort_values(["horizon", "date"], kind="stable").reset_index(drop=True)
    config = {
        "models": list(models), "horizons": list(data.horizons), "n_folds": splitter.n_folds,
        "window_mode": splitter.window, "train_size": splitter.train_size, "test_size": splitter.test_size,
        "gap": splitter.gap, "window": settings["window"], "range_feature": range_feature,
        "seed": settings["seed"], "lstm_params": {k: v for k, v in settings.items() if k not in ("window", "seed")},
        "features": list(data.features.columns),
    }
    return VolatilityResult(forecasts=forecasts, folds=pd.DataFrame(rows), config=config)


def _check_models(models) -> tuple[str, ...]:
    names = (models,) if isinstance(models, str) else tuple(models)
    if not names:
        raise ParameterError(f"models: expected one or more of {', '.join(MODEL_NAMES)}, got none.")
    for name in names:
        check_choice("models", name, MODEL_NAMES)
    if len(set(names)) != len(names):
        raise ParameterError(f"models: expected each model once, got {list(names)}.")
    return names


def _lstm_settings(lstm_params, window, seed) -> dict:
    params = dict(lstm_params or {})
    unknown = sorted(set(params) - set(LSTM_SETTINGS))
    if unknown:
        raise ParameterError(
            f"lstm_params: unknown setting {unknown[0]!r}; expected some of {', '.join(LSTM_SETTINGS)} (the window "
            "and seed are arguments of their own)."
        )
    return {"window": check_int("window", window, minimum=1), "seed": check_seed("seed", seed), **params}


def _check_window(data: VolatilityData, window: int) -> None:
    available = len(data.dates) - data.first_row
    if window > available:
        raise DataError(
            f"window: {window} days is longer than the {available} dates with features "
            f"({data.dates[data.first_row].date()} .. {data.dates[-1].date()}); pass a shorter window or a longer history."
        )


def _fitted(name: str, settings: dict, data: VolatilityData, rows: np.ndarray, on_epoch):
    if name == MODEL:
        return VOLATILITY_MODELS[name](**settings).fit(data, rows, on_epoch=on_epoch)
    return VOLATILITY_MODELS[name]().fit(data, rows)


def _fold_forecasts(number: int, data: VolatilityData, rows: np.ndarray, forecasts: dict) -> pd.DataFrame:
    dates = data.dates[rows]
    return pd.concat([
        pd.DataFrame({"date": dates, "fold": number, "horizon": horizon,
                      "realised": data.realised[horizon].to_numpy()[rows],
                      **{name: np.sqrt(variance[:, i]) for name, variance in forecasts.items()}})
        for i, horizon in enumerate(data.horizons)
    ])


def _fold_row(number: int, data: VolatilityData, train: np.ndarray, test: np.ndarray) -> dict:
    dates = data.dates
    return {"fold": number, "train_start": dates[train[0]], "train_end": dates[train[-1]],
            "test_start": dates[test[0]], "test_end": dates[test[-1]], "n_train": len(train), "n_test": len(test)}


def _fold_name(number: int, n_folds: int, data: VolatilityData, train: np.ndarray, test: np.ndarray) -> str:
    dates = data.dates
    return (f"fold {number} of {n_folds} (train {dates[train[0]].date()}..{dates[train[-1]].date()}, "
            f"test {dates[test[0]].date()}..{dates[test[-1]].date()})")
