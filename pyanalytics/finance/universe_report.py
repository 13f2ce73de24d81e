"""The universe page of the walk-forward report: the tickers judged together, honestly.

A universe run (``walk_forward_many``) opens its report with what no single ticker shows: how
many tickers ran and why the others were set aside, the spread of the per-ticker AUCs and Sharpe
ratios, which tickers remain significant after the Benjamini-Hochberg correction, the deflated
Sharpe ratio of the best strategy given how many were tried, the pooled cross-sectional
strategy against the equal-weight buy-and-hold, and how the run went.

A hundred per-ticker sections (two figures each) would make the page heavy and slow to open,
so beyond ``DETAILED_TICKERS`` tickers only the ``EXTREME_TICKERS`` highest and lowest Sharpe
ratios get one; the summary table keeps every ticker, and the page states the rule.
"""

import math

import numpy as np
import pandas as pd

from pyanalytics.evaluation.metrics import fold_spread
from pyanalytics.evaluation.verdict import fold_edge_verdict
from pyanalytics.finance.reports import STAT_LABELS, format_percent, format_stat, mean_and_spread
from pyanalytics.finance.universe_result import CROSS_SECTION, SHOWN_P_VALUES, MultiWalkForwardResult, attempt
from pyanalytics.reports import plots
from pyanalytics.reports.html import format_number

ALPHA = 0.05  # false discovery rate of the Benjamini-Hochberg correction
DETAILED_TICKERS = 12  # up to this many tickers run, each one gets its detail section
EXTREME_TICKERS = 3  # beyond, only this many with the highest and with the lowest Sharpe ratio do
OPEN_LIST = 8  # up to this many tickers set aside are listed open; more are folded away
DISTRIBUTION_LABELS = {
    "model_auc": "Mean AUC per fold", "auc_edge": "AUC edge over the best baseline",
    "strategy_sharpe": "Sharpe ratio after costs", "buy_and_hold_sharpe": "Buy-and-hold Sharpe ratio",
}
QUANTILES = {"min": "Min", "10%": "10%", "25%": "25%", "50%": "Median", "75%": "75%", "90%": "90%", "max": "Max"}
CROSS_SECTION_STATS = ("sharpe", "annual_return", "annual_volatility", "max_drawdown", "total_return", "turnover")


def is_universe(source) -> bool:
    """Whether ``source`` gets the universe page: a ``MultiWalkForwardResult`` with three or more
    tickers run, a ticker set aside or a cross-section (two tickers keep the two-ticker page)."""
    return isinstance(source, MultiWalkForwardResult) and (
        len(source.results) > 2 or bool(source.skipped) or source.cross_section is not None
    )


def detailed_tickers(results: dict) -> tuple[list[str], str | None]:
    """The tickers that get a detail section, and the sentence saying which when not all do.

    Up to ``DETAILED_TICKERS``: every one, in the universe's order. Beyond: the
    ``EXTREME_TICKERS`` highest and lowest Sharpe ratios after costs, highest first.
    """
    if len(results) <= DETAILED_TICKERS:
        return list(results), None
    sharpes = pd.Series({name: r.backtest.stats["sharpe"] for name, r in results.items()}, dtype=float).dropna()
    ranked = list(sharpes.sort_values(ascending=False, kind="stable").index)
    chosen = ranked[:EXTREME_TICKERS] + [n for n in ranked[-EXTREME_TICKERS:] if n not in ranked[:EXTREME_TICKERS]]
    rule = (f"With {len(results)} tickers, detail sections (equity, folds, metrics) are drawn only for the "
            f"{EXTREME_TICKERS} with the highest and the {EXTREME_TICKERS} with the lowest Sharpe ratio after costs, "
            "to keep this page light; every ticker is in the table above.")
    return chosen, rule


def format_p(value) -> str:
    """A p-value for a table cell: three decimals, or two significant digits below 0.001; – for NaN."""
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.3f}" if value >= 0.001 else f"{value:.1e}"


def universe_context(multi: MultiWalkForwardResult, ids: dict, fmt: str) -> dict:
    """The template data of the universe section (draws its figures).

    Args:
        multi: the universe's result.
        ids: ticker -> the id of its detail section, for the tickers that have one.
        fmt: ``"svg"`` or ``"png"``.
    """
    table = multi.summary_table()
    significance = multi.significance(ALPHA)
    found = significance[significance["discovery"]]
    pooled = multi.cross_section
    deflated = _deflated(multi)
    return {
        "kpis": _kpis(multi, table, significance, deflated),
        "n_run": len(multi.results),
        "n_tickers": _n_tickers(multi),
        "auc_uri": plots.auc_distribution_chart(table["model_auc"], table["best_baseline_auc"], fmt=fmt),
        "sharpe_uri": plots.sharpe_distribution_chart(table["strategy_sharpe"], table["buy_and_hold_sharpe"], fmt=fmt),
        "distribution": _distribution_rows(multi) if len(multi.results) > 1 else None,
        "quantiles": list(QUANTILES.values()),
        "p_value_uri": plots.p_value_chart(significance["p_value"], significance["discovery"], ALPHA, fmt=fmt)
        if significance["p_value"].notna().any() else None,  # None when no ticker traded
        "alpha": format_percent(ALPHA, 0),
        "discovered": list(found.index),
        "discoveries": _significance_rows(found if len(found) else significance.head(SHOWN_P_VALUES), ids),
        "deflated": deflated["text"],
        "cross_section": None if pooled is None else _cross_section(pooled, fmt),
        "cross_section_note": "; ".join(multi.notes.get(CROSS_SECTION, [])),
        "skipped": list(multi.skipped.items()),
        "skipped_open": len(multi.skipped) <= OPEN_LIST,
        "notes": [(name, message) for name, messages in multi.notes.items() if name != CROSS_SECTION
                  for message in messages],
        "settings": _settings(multi),
    }


def _settings(multi) -> list[tuple[str, str]]:
    """The universe's rows of the settings list (after the per-ticker walk-forward's)."""
    rows = [("Seeds", "each ticker's folds fit with a seed derived from the run's seed, the ticker and the fold"),
            ("Multiple testing", f"Benjamini-Hochberg at a {format_percent(ALPHA, 0)} false discovery rate over the "
                                 "tickers' one-sided p-values of Sharpe > 0")]
    if multi.cross_section is not None:
        quantile = format_percent(multi.cross_section.config["quantile"], 0)
        rows.append(("Cross-section", f"one pooled {multi.cross_section.model_name} on features z-scored across the "
                                      f"tickers each date; long the top {quantile}, short the bottom {quantile}; dates "
                                      f"with at least {multi.config.get('min_tickers', '–')} tickers"))
    return rows


def _kpis(multi, table: pd.DataFrame, significance: pd.DataFrame, dsr: dict) -> list[dict]:
    n_tickers = _n_tickers(multi)
    edges = table["auc_edge"].astype(float).dropna()
    pooled, run = multi.cross_section, multi.run
    tested = int(significance["p_value"].notna().sum())
    untested = len(significance) - tested
    return [
        {"label": "Tickers run", "value": f"{len(multi.results):,} of {n_tickers:,}",
         "note": f"{len(multi.skipped):,} set aside" + (" (why: below)" if multi.skipped else "")},
        {"label": "Median AUC per fold", "value": format_number(table["model_auc"].astype(float).median()),
         "note": f"best baselines' median {format_number(table['best_baseline_auc'].astype(float).median())}; edge > 0 "
                 f"for {format_percent((edges > 0).mean() if len(edges) else math.nan, 0)} of tickers"},
        {"label": "Discoveries", "value": f"{int(significance['discovery'].sum()):,} of {tested:,}",
         "note": f"Sharpe > 0 after Benjamini-Hochberg at a {format_percent(ALPHA, 0)} false discovery rate"
                 + (f"; {untested:,} never traded (no Sharpe ratio)" if untested else "")},
        {"label": "Deflated Sharpe ratio", "value": dsr["value"], "note": dsr["note"]},
        {"label": "Cross-section Sharpe",
         "value": "–" if pooled is None else format_number(pooled.stats["strategy"]["sharpe"], 2),
         "note": "not run" if pooled is None else
                 f"equal-weight buy and hold {format_number(pooled.stats['buy_and_hold']['sharpe'], 2)}"},
        {"label": "Run", "value": "–" if run is None else f"{run.seconds:,.0f} s",
         "note": "" if run is None else
                 f"{_engine(run)}: {run.computed:,} tasks computed, {run.stored:,} from the store"
                 + (f", {run.failed:,} failed" if run.failed else "")},
    ]


def _engine(run) -> str:
    """Where the tasks ran: ``serial`` (in the process), or the engine and its workers."""
    if run.engine == "serial":
        return "serial, in this process"
    return f"{run.engine}, {run.workers} worker{'s' if run.workers != 1 else ''}"


def _n_tickers(multi) -> int:
    """Tickers in the universe: run or set aside."""
    return multi.config.get("n_tickers", len(multi.results) + len(multi.skipped))


def _deflated(multi) -> dict:
    """The deflated Sharpe ratio of the best strategy as a KPI value, its note and a sentence."""
    dsr, missing = attempt(multi.deflated_sharpe)  # every strategy flat, or too few days to judge
    if missing is not None:
        return {"value": "–", "note": missing, "text": missing}
    best, trials = dsr["strategy"], dsr["n_trials"]
    best = "the cross-sectional long-short" if best == CROSS_SECTION else best
    return {
        "value": format_number(dsr["dsr"], 2),
        "note": f"best of {trials} trials: {best}, Sharpe {format_number(dsr['sharpe_annual'], 2)}",
        "text": f"The best of the {trials} strategies tried (each ticker's and the cross-section) is {best}, with a "
                f"Sharpe ratio of {format_number(dsr['sharpe_annual'], 2)}; the best of {trials} strategies without "
                f"skill would reach {format_number(dsr['expected_max_sharpe_annual'], 2)} by luck. Its deflated Sharpe "
                f"ratio, the probability that its true Sharpe ratio is above zero given the search, is "
                f"{format_number(dsr['dsr'], 3)} (above 0.95: the edge survives the search).",
    }


def _distribution_rows(multi) -> list[dict]:
    distribution = multi.distribution()
    return [{"label": DISTRIBUTION_LABELS[name],
             "cells": [format_number(row[q], 3 if "auc" in name else 2) for q in QUANTILES]}
            for name, row in distribution.iterrows()]


def _significance_rows(rows: pd.DataFrame, ids: dict) -> list[dict]:
    return [{
        "name": name, "id": ids.get(name), "sharpe": format_number(row.sharpe, 2), "t": format_number(row.sharpe_t, 2),
        "p": format_p(row.p_value), "p_adjusted": format_p(row.p_adjusted), "excess_t": format_number(row.excess_t, 2),
    } for name, row in zip(rows.index, rows.itertuples())]


def _cross_section(pooled, fmt: str) -> dict:
    """The pooled model's long-short portfolio against the equal-weight buy-and-hold, and its AUC per fold."""
    starts = list(pd.to_datetime(pooled.folds["test_start"]))
    strategy, hold = pooled.stats["strategy"], pooled.stats["buy_and_hold"]
    fold_auc = pooled.fold_auc
    edge = pooled.auc_edge
    names = list(fold_auc.columns)
    return {
        "equity_uri": plots.equity_chart(pooled.daily, starts, fmt=fmt,
                                         labels=("long-short (after costs)", "equal-weight buy and hold")),
        "drawdown_uri": plots.drawdown_chart(pooled.daily, starts, fmt=fmt,
                                             labels=("long-short", "equal-weight buy and hold")),
        "quantile": format_percent(pooled.config["quantile"], 0),
        "n_tickers": pooled.config["n_tickers"], "start": strategy["start"], "end": strategy["end"],
        "days": format_number(strategy["n_days"]), "t": format_number(pooled.sharpe_t(), 1),
        "stats": [(STAT_LABELS[key], format_stat(key, strategy[key]), format_stat(key, hold.get(key)))
                  for key in CROSS_SECTION_STATS],
        "names": [{"name": n, "kind": "model" if n == pooled.model_name else "best baseline"
                   if n == edge["baseline"] else "baseline"} for n in names],
        "folds": [{
            "fold": row.fold, "test": f"{row.test_start} → {row.test_end}", "dates": format_number(row.n_test_dates),
            "aucs": [format_number(fold_auc.loc[row.fold, n]) for n in names],
            "beats": bool(fold_auc.loc[row.fold, pooled.model_name] > fold_auc.loc[row.fold, edge["baseline"]])
            if edge["baseline"] else False,
        } for row in pooled.folds.itertuples()],
        "means": [mean_and_spread(fold_spread(fold_auc[n])) for n in names],
        "verdict": fold_edge_verdict(edge),
    }
