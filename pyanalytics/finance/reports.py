"""The walk-forward report: one self-contained HTML page on one or several tickers' walk-forward runs.

For each ticker: the verdict on prediction (out-of-sample ROC AUC against the best baseline) and
on trading (Sharpe ratio after costs against buy-and-hold), the equity curve and drawdowns beside
buy-and-hold, the strategy's statistics, the metrics of every fold and of all stitched dates, and,
when the run explained its folds, each fold's global importance with how far the ranking moves
from fold to fold. Several tickers add a summary table and their equal-weight portfolio.

Like :mod:`pyanalytics.reports.html` it takes results and never fits: the page is the shared
template style, figures are ``data:`` URIs, data strings are autoescaped, and the file is written
atomically.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.verdict import BADGES, fold_edge_verdict
from pyanalytics.reports import plots
from pyanalytics.reports.html import (
    METRIC_LABELS,
    environment,
    format_number,
    report_path,
    shown_features,
    write_atomically,
)

TEMPLATE = "walk_forward.html.j2"
HEATMAP_FEATURES = 20  # rows of the importance heatmap
PERCENT_STATS = ("total_return", "annual_return", "annual_volatility", "max_drawdown", "hit_rate", "turnover",
                 "exposure")
STAT_LABELS = {
    "total_return": "Total return", "annual_return": "Annual return", "annual_volatility": "Annual volatility",
    "sharpe": "Sharpe ratio", "sortino": "Sortino ratio", "max_drawdown": "Maximum drawdown",
    "max_drawdown_start": "Drawdown peak", "max_drawdown_end": "Drawdown trough", "hit_rate": "Hit rate",
    "turnover": "Mean daily turnover", "exposure": "Exposure", "n_trades": "Trades", "n_days": "Days",
    "start": "From", "end": "To",
}


def format_percent(value, digits: int = 1) -> str:
    """A fraction as a percentage for a table cell (``0.1234`` -> ``12.3%``); an en dash for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}%}"


def format_stat(name: str, value) -> str:
    """A strategy statistic for a table cell: a percentage, a ratio with two decimals, or a number."""
    if name in PERCENT_STATS:
        return format_percent(value)
    if name in ("sharpe", "sortino"):
        return format_number(value, 2)
    return format_number(value)


def _runs(source) -> dict:
    """``{name: WalkForwardResult}`` from a result, a MultiWalkForwardResult or such a dict."""
    from pyanalytics.finance.universe_result import MultiWalkForwardResult
    from pyanalytics.finance.walk_forward import WalkForwardResult

    if isinstance(source, WalkForwardResult):
        return {source.model_name.upper(): source}
    runs = source.results if isinstance(source, MultiWalkForwardResult) else source
    if not isinstance(runs, dict) or not runs or not all(isinstance(r, WalkForwardResult) for r in runs.values()):
        raise ParameterError(
            "result: expected a WalkForwardResult, a MultiWalkForwardResult or a non-empty dict of "
            f"WalkForwardResults by ticker, got {type(source).__name__}."
        )
    return runs


def _verdicts(result) -> list[dict]:
    """Two honest statements: does the model out-rank the baselines, and how does trading it compare?"""
    edge = result.auc_edge
    strategy, bench = result.backtest.stats["sharpe"], result.backtest.benchmark["sharpe"]
    verdicts = [{
        "state": BADGES[edge["judgement"]][0],
        "headline": BADGES[edge["judgement"]][1],
        "text": fold_edge_verdict(edge),
    }]
    if math.isnan(strategy) or math.isnan(bench):
        verdicts.append({"state": "unknown", "headline": "No trading verdict", "text": "Sharpe ratio undefined."})
    else:
        higher = strategy > bench
        verdicts.append({
            "state": "good" if higher else "bad",
            "headline": "Higher Sharpe ratio than buy-and-hold" if higher else "Lower Sharpe ratio than buy-and-hold",
            "text": f"Sharpe ratio {format_number(strategy, 2)} after costs (t = {format_number(result.backtest.sharpe_t(), 1)}) "
                    f"against {format_number(bench, 2)} for buy-and-hold on the same days; the daily excess "
                    f"over buy-and-hold has t = {format_number(result.backtest.excess_t(), 1)} (about 2 or more "
                    "is unlikely to be luck).",
        })
    return verdicts


def _kpis(result) -> list[dict]:
    stats, bench = result.backtest.stats, result.backtest.benchmark
    edge = result.auc_edge
    spread = result.fold_auc_spread[result.model_name]
    return [
        {"label": "Mean AUC per fold", "value": format_number(edge["model_auc"]),
         "note": f"{result.model_name}, ± {format_number(spread['std'])} over {len(result.folds)} folds"},
        {"label": "Best baseline AUC", "value": format_number(edge["baseline_auc"]),
         "note": f"{edge['baseline'] or '–'}, mean per fold"},
        {"label": "Sharpe after costs", "value": format_number(stats["sharpe"], 2),
         "note": f"buy and hold {format_number(bench['sharpe'], 2)}"},
        {"label": "Annual return", "value": format_percent(stats["annual_return"]),
         "note": f"buy and hold {format_percent(bench['annual_return'])}"},
        {"label": "Maximum drawdown", "value": format_percent(stats["max_drawdown"]),
         "note": f"buy and hold {format_percent(bench['max_drawdown'])}"},
    ]


def _fold_rows(folds: pd.DataFrame) -> list[dict]:
    def span(start, end):
        return f"{start.date()} → {end.date()}"

    return [{
        "fold": row.fold,
        "learned": span(row.train_start, row.train_end if pd.isna(row.validation_end) else row.validation_end),
        "test": span(row.test_start, row.test_end),
        "n_train": format_number(row.n_train), "n_test": format_number(row.n_test),
        "best_epoch": format_number(row.best_epoch),
        "auc": format_number(row.roc_auc),
        "beats": bool(row.roc_auc > row.best_baseline_auc),
        "baseline": row.best_baseline or "–", "baseline_auc": format_number(row.best_baseline_auc),
        "strategy": format_percent(row.strategy_return), "buy_and_hold": format_percent(row.buy_and_hold_return),
    } for row in folds.itertuples()]


def _kind(result, name: str) -> str:
    """``model``, ``best baseline`` (the one the verdict weighs the model against) or ``baseline``."""
    return "model" if name == result.model_name else "best baseline" if name == result.auc_edge["baseline"] \
        else "baseline"


def _metrics_rows(result) -> list[dict]:
    return [{
        "name": name,
        "kind": _kind(result, name),
        "cells": [format_number(m[k]) for k in METRIC_LABELS],
        "n": format_number(m["n"]),
    } for name, m in result.metrics.items()]


def mean_and_spread(spread: dict) -> str:
    """A per-fold ``fold_spread`` as ``mean ± standard deviation`` (the mean alone from a single fold)."""
    if math.isnan(spread["std"]):
        return format_number(spread["mean"])
    return f"{format_number(spread['mean'])} ± {format_number(spread['std'])}"


def _fold_auc_rows(result) -> list[dict]:
    """Per model: its ROC AUC across the folds, each fold scored on its own."""
    return [{
        "name": name,
        "kind": _kind(result, name),
        "mean": mean_and_spread(spread),
        "min": format_number(spread["min"]), "max": format_number(spread["max"]),
        "n": format_number(spread["n_folds"]),
    } for name, spread in result.fold_auc_spread.items()]


def _drift(importance: pd.DataFrame) -> list[dict]:
    """Spearman correlation of each fold's importance ranking with the previous fold's."""
    from scipy.stats import spearmanr

    return [
        {"folds": f"{a} → {b}", "rho": format_number(float(spearmanr(importance.loc[a], importance.loc[b]).statistic), 2)}
        for a, b in zip(importance.index, importance.index[1:])
    ]


def _importance(result, fmt: str) -> dict | None:
    importance = result.importance
    if importance is None:
        return None
    starts = result.folds.set_index("fold")["test_start"]
    labels = [f"fold {fold}\n{starts[fold].year}" for fold in importance.index]
    drift = _drift(importance)
    return {
        "uri": plots.importance_heatmap(importance, labels, top=HEATMAP_FEATURES, fmt=fmt),
        "caption": shown_features(importance.shape[1], HEATMAP_FEATURES, "mean |SHAP| over the folds"),
        "drift": drift,
        "top": [{"fold": fold, "feature": row.idxmax()} for fold, row in importance.iterrows()],
    }


def _settings(config: dict) -> list[tuple[str, str]]:
    window = "one day at a time" if config["window"] is None else f"{config['window']} days"
    training = f"rolling, {config['train_size']:,} rows" if config["window_mode"] == "rolling" else "expanding"
    extra = config.get("extra_features")  # absent from results made before extra features existed
    return [
        ("Model", config["model"]),
        ("Your own features", ", ".join(extra) + " (each date's value taken as known at its close)" if extra else "none"),
        ("Horizon", f"{config['horizon']} day{'s' if config['horizon'] != 1 else ''} ahead"),
        ("Input window", window),
        ("Folds", f"{config['n_folds']} ({training})"),
        ("Purge gap + embargo", f"{config['gap']} + {config['embargo']} rows"),
        ("Early-stopping validation", f"last {format_percent(config['validation'], 0)} of each fold's training rows"),
        ("Positions", config["mode"].replace("_", "/")),
        ("Costs", f"{format_number(config['cost_bps'], 1)} bp + {format_number(config['slippage_bps'], 1)} bp "
                  "slippage per unit of turnover"),
        ("Cost ratio α (FP : FN)", format_number(config["alpha"], 2)),
        ("Seed", format_number(config["seed"])),
        ("Model parameters", ", ".join(f"{k}={v!r}" for k, v in sorted(config["model_params"].items())) or "defaults"),
    ]


def _ticker(section_id: str, name: str, result, fmt: str) -> dict:
    daily = result.backtest.daily
    stats, bench = result.backtest.stats, result.backtest.benchmark
    return {
        "id": section_id,
        "name": name,
        "model": result.model_name,
        "start": result.period["start"], "end": result.period["end"],
        "verdicts": _verdicts(result),
        "kpis": _kpis(result),
        "equity_uri": plots.equity_chart(daily, list(result.folds["test_start"]), fmt=fmt),
        "drawdown_uri": plots.drawdown_chart(daily, list(result.folds["test_start"]), fmt=fmt),
        "stats": [(STAT_LABELS[k], format_stat(k, stats[k]), format_stat(k, bench[k])) for k in STAT_LABELS],
        "folds": _fold_rows(result.folds),
        "metrics": _metrics_rows(result),
        "fold_auc": _fold_auc_rows(result),
        "importance": _importance(result, fmt),
    }


def _portfolio(runs: dict, fmt: str) -> dict | None:
    """The equal-weight portfolio of the strategies on the days every ticker trades; None for one ticker,
    or the reason when the histories share no day (a universe of many listings)."""
    from pyanalytics.finance.universe_result import MultiWalkForwardResult

    if len(runs) < 2:
        return None
    try:
        daily, stats = MultiWalkForwardResult(runs).portfolio()
    except DataError as error:
        return {"missing": str(error)}
    return {
        "missing": None,
        "uri": plots.equity_chart(daily, fmt=fmt),
        "start": stats["strategy"]["start"], "end": stats["strategy"]["end"], "days": format_number(len(daily)),
        "rows": [(side.replace("_", " "), [format_stat(k, values[k]) for k in ("annual_return", "sharpe", "max_drawdown")])
                 for side, values in stats.items()],
    }


def _summary_rows(runs: dict, ids: dict, discovered=()) -> list[dict]:
    """One row per ticker; ``ids`` the detail sections to link to, ``discovered`` the tickers to tag."""
    rows = []
    for name, result in runs.items():
        row = result.summary_row()
        rows.append({
            "id": ids.get(name), "name": name, "discovery": name in discovered,
            "period": f"{row['start']} → {row['end']}", "folds": row["n_folds"],
            "auc": mean_and_spread({"mean": row["model_auc"], "std": row["model_auc_std"]}),
            "baseline": row["best_baseline"] or "–",
            "baseline_auc": format_number(row["best_baseline_auc"]),
            "cells": [format_stat(k, row[f"{side}_{k}"]) for side in ("strategy", "buy_and_hold")
                      for k in ("sharpe", "annual_return", "max_drawdown")],
        })
    return rows


def _context(source, title: str | None, fmt: str) -> dict:
    from pyanalytics import __version__
    from pyanalytics.finance.universe_report import detailed_tickers, is_universe, universe_context

    if fmt not in plots.FORMATS:
        raise ParameterError(f"image_format: expected one of {plots.FORMATS}, got {fmt!r}.")
    runs = _runs(source)
    many = is_universe(source)
    shown, rule = detailed_tickers(runs) if many else (list(runs), None)
    numbers = {name: number for number, name in enumerate(runs, start=1)}
    ids = {name: f"ticker-{numbers[name]}" for name in shown}  # a ticker's place in the universe, never its name
    universe = universe_context(source, ids, fmt) if many else None
    tickers = [_ticker(ids[name], name, runs[name], fmt) for name in shown]
    first = next(iter(runs.values()))
    config = first.config
    return {
        "title": title or f"{first.model_name.upper()} walk-forward evaluation",
        "subtitle": f"{first.model_name} · {config['n_folds']} folds, {config['window_mode']} training · "
                    f"{config['mode'].replace('_', '/')} · {format_number(config['cost_bps'], 1)} bp per unit of turnover",
        "universe": universe,
        "tickers": tickers,
        "detail_rule": rule,
        "summary": _summary_rows(runs, ids, universe["discovered"] if universe else ()) if len(runs) > 1 else None,
        "portfolio": _portfolio(runs, fmt),
        "settings": _settings(config) if universe is None else
                    _settings({**config, "seed": source.config.get("seed", config["seed"])}) + universe["settings"],
        "metric_labels": list(METRIC_LABELS.values()),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "version": __version__,
        "colours": {"rise": plots.RISE, "fall": plots.FALL, "model": plots.MODEL, "threshold": plots.THRESHOLD,
                    **plots.METHOD_COLOURS},
    }


def _chunks(source, title: str | None, image_format: str):
    context = _context(source, title, image_format)  # draws every figure
    return environment().get_template(TEMPLATE).generate(**context)


def render_walk_forward_report(source, *, title: str | None = None, image_format: str = "svg") -> str:
    """The walk-forward report's HTML as one string (see ``write_walk_forward_report``)."""
    return "".join(_chunks(source, title, image_format))


def write_walk_forward_report(path, source, *, title: str | None = None, image_format: str = "svg") -> Path:
    """Write a self-contained HTML report of walk-forward results to ``path``, atomically.

    Args:
        path: the ``.html`` file to write (replaced if it exists; its folder is created).
        source: a ``WalkForwardResult``, a ``MultiWalkForwardResult`` or ``{ticker: WalkForwardResult}``.
        title: the report's heading.
        image_format: ``"svg"`` (sharp at any zoom) or ``"png"``.

    Returns:
        The path written.

    Example:
        >>> write_walk_forward_report("walk_forward.html", walk_forward_many(prices))  # doctest: +SKIP
    """
    target = report_path(path)
    return write_atomically(target, _chunks(source, title, image_format))
