"""What `pyanalytics walk-forward` prints about a universe: who was set aside, the spread across
tickers, the discoveries after correcting for the number tried, the cross-section and the run."""

from rich import box
from rich.table import Table

from pyanalytics.cli.common import number_text, percent_text, shown, stderr, visible
from pyanalytics.finance.universe_result import SHOWN_P_VALUES, attempt


def print_notes(multi) -> None:
    """Each ticker's reading warnings on stderr, one ``warning: TICKER: ...`` line each."""
    for name, messages in multi.notes.items():
        for message in messages:
            stderr.print(f"warning: {shown(name)}: {shown(message)}", soft_wrap=True)


def skipped_table(multi) -> Table:
    table = Table(title=f"Set aside: {len(multi.skipped)} of {multi.config['n_tickers']} tickers", title_justify="left",
                  box=box.SIMPLE_HEAD)
    table.add_column("ticker")
    table.add_column("why")
    for name, reason in multi.skipped.items():
        table.add_row(shown(name), shown(reason))
    return table


def distribution_table(multi) -> Table:
    """Across tickers: quantiles of the mean per-fold AUC, its edge, and the Sharpe ratios."""
    table = Table(title=f"Across the {len(multi.results)} tickers run", title_justify="left", box=box.SIMPLE_HEAD)
    labels = {"model_auc": "AUC per fold", "auc_edge": "AUC edge", "strategy_sharpe": "Sharpe",
              "buy_and_hold_sharpe": "B&H Sharpe"}
    columns = {"mean": "mean", "min": "min", "10%": "10%", "25%": "25%", "50%": "median", "75%": "75%", "90%": "90%",
               "max": "max"}
    table.add_column("")
    for header in columns.values():
        table.add_column(header, justify="right")
    for name, row in multi.distribution().iterrows():
        table.add_row(labels[name], *(number_text(row[c], 3 if "auc" in name else 2) for c in columns))
    return table


def discoveries_table(multi, alpha: float = 0.05) -> Table:
    """The discoveries after Benjamini-Hochberg, or the lowest p-values when there is none."""
    significance = multi.significance(alpha)
    found = significance[significance["discovery"]]
    title = (f"Discoveries at a {alpha:.0%} false discovery rate (Benjamini-Hochberg): {len(found)} of "
             f"{len(significance)} earn more than nothing; {int(significance['beats_holding'].sum())} beat holding "
             "their stock")
    shown_rows = found if len(found) else significance.head(SHOWN_P_VALUES)
    if not len(found):
        title += f"; the {len(shown_rows)} lowest p-values"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("ticker", "Sharpe", "t", "p", "p adjusted", "t over B&H", "p adjusted over B&H"):
        table.add_column(header, justify="left" if header == "ticker" else "right")
    for name, row in shown_rows.iterrows():
        table.add_row(shown(name), number_text(row["sharpe"], 2), number_text(row["sharpe_t"], 2),
                      number_text(row["p_value"], 4), number_text(row["p_adjusted"], 4), number_text(row["excess_t"], 2),
                      number_text(row["p_excess_adjusted"], 4))
    return table


def portfolio_line(multi) -> str:
    """The equal-weight portfolio of the tickers' strategies against their buy-and-holds, on their common days."""
    portfolio, missing = attempt(multi.portfolio)
    if missing is not None:
        return f"Equal-weight portfolio: {shown(missing)}"
    strategy, hold = portfolio[1]["strategy"], portfolio[1]["buy_and_hold"]
    return (f"Equal-weight portfolio on the {strategy['n_days']:,} common days ({strategy['start']} .. {strategy['end']}): "
            f"Sharpe {number_text(strategy['sharpe'], 2)}, annual {percent_text(strategy['annual_return'])}, max DD "
            f"{percent_text(strategy['max_drawdown'])}; buy and hold {number_text(hold['sharpe'], 2)}, "
            f"{percent_text(hold['annual_return'])}, {percent_text(hold['max_drawdown'])}.")


def deflated_line(multi) -> str:
    dsr, missing = attempt(multi.deflated_sharpe)
    if missing is not None:
        return f"Deflated Sharpe ratio: {shown(missing)}"
    return (f"Best of {dsr['n_trials']} strategies: {shown(dsr['strategy'])}, Sharpe {number_text(dsr['sharpe_annual'], 2)}; "
            f"deflated Sharpe ratio {number_text(dsr['dsr'])} (the best of {dsr['n_trials']} unskilled strategies would "
            f"reach {number_text(dsr['expected_max_sharpe_annual'], 2)} by luck).")


def cross_section_table(multi) -> Table:
    """The pooled model's long-short portfolio against the equal-weight buy-and-hold of the universe."""
    pooled = multi.cross_section
    table = Table(title=f"Cross-section: one pooled model, long the top and short the bottom "
                        f"{pooled.config['quantile']:.0%} each day", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("", "Sharpe", "annual", "volatility", "max DD", "period"):
        table.add_column(header, justify="left" if header in ("", "period") else "right")
    for label, stats in (("long-short", pooled.stats["strategy"]), ("equal-weight buy & hold", pooled.stats["buy_and_hold"])):
        table.add_row(label, number_text(stats["sharpe"], 2), percent_text(stats["annual_return"]),
                      percent_text(stats["annual_volatility"]), percent_text(stats["max_drawdown"]),
                      f"{stats['start']} .. {stats['end']}")
    return table


def run_line(multi) -> str:
    run = multi.run
    memory = max(run.peak_memory.values(), default=float("nan"))
    return (f"Ran {run.computed + run.stored + run.failed} tasks on {visible(run.engine)} with {run.workers} workers in "
            f"{run.seconds:.0f} s: {run.computed} computed, {run.stored} from the store, {run.failed} failed; peak "
            f"memory per worker {memory:.0f} MB.")
