"""`pyanalytics walk-forward`: retrain on each fold, stitch the out-of-sample predictions, backtest them."""

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from pyanalytics.cli.backtest import backtest_verdict
from pyanalytics.cli.common import (
    CostFpOption,
    DropInvalidOption,
    EpochsOption,
    FeatureOption,
    HorizonOption,
    JsonOption,
    ModelName,
    SeedOption,
    SlippageOption,
    TuneThresholdOption,
    number_text,
    percent_text,
    print_json,
    progress_bar,
    shown,
    stderr,
    stdout,
)
from pyanalytics.defaults import DEFAULT_COST_BPS

DETAILED_TICKERS = 3  # up to this many tickers, each one's folds and verdicts are printed
TABLE_TICKERS = 20  # up to this many, the summary table (one row per ticker); every one is in --json and --report


@contextmanager
def task_progress(enabled: bool):
    """Yield an ``on_task(key, done, total, status)`` callback drawing one bar over every (ticker, fold) task, or None."""
    with progress_bar("walk-forward: task", enabled) as update:
        if update is None:
            yield None
            return

        def on_task(key: str, done: int, total: int, status: str) -> None:
            update(done, total, f"{shown(key)} {status}")

        yield on_task


@contextmanager
def interrupted_run(store: Path | None):
    """On Ctrl-C, say what was kept and how to go on, then exit with 130 (the shell's code for an interrupt)."""
    try:
        yield
    except KeyboardInterrupt:
        kept = (f"the finished fits are in {shown(store)}; run the same command again to compute only the rest"
                if store is not None else "nothing was kept; pass --store FOLDER to resume an interrupted run")
        stderr.print(f"interrupted: {kept}.")
        raise typer.Exit(130) from None


def _signed(value) -> str:
    return "n/a" if value is None or value != value else f"{value:+.3f}"


def print_table(table: Table) -> None:
    """Print a table at its natural width: never cut to 80 columns when stdout is not a terminal."""
    natural = Measurement.get(stdout, stdout.options.update_width(10_000), table).maximum
    console = stdout if natural <= stdout.width else Console(highlight=False, width=natural)
    console.print(table)


def folds_table(name: str, result) -> Table:
    """One row per fold: the dates it learned from (training and early stopping) and was tested on,
    sizes, AUC against the best baseline, trading returns."""
    import pandas as pd

    table = Table(title=f"{shown(name)}: per fold", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("fold", "learned from", "tested on", "train", "test", "epoch", "AUC", "best baseline", "strategy",
                   "buy & hold"):
        table.add_column(header, justify="left" if header in ("learned from", "tested on", "best baseline") else "right")
    for f in result.folds.itertuples():
        learned_to = f.validation_end if pd.notna(f.validation_end) else f.train_end
        table.add_row(
            str(f.fold), f"{f.train_start.date()} .. {learned_to.date()}", f"{f.test_start.date()} .. {f.test_end.date()}",
            f"{f.n_train:,}", f"{f.n_test:,}", str(f.best_epoch), number_text(f.roc_auc),
            f"{f.best_baseline} {number_text(f.best_baseline_auc)}", percent_text(f.strategy_return),
            percent_text(f.buy_and_hold_return),
        )
    return table


def fold_auc_table(name: str, result) -> Table:
    """One row per model (the model in bold, then the baselines): its ROC AUC over the folds, and pooled."""
    table = Table(title=f"{shown(name)}: ROC AUC per fold", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("", "mean", "std", "min", "max", "folds", "stitched"):
        table.add_column(header, justify="right" if header else "left", no_wrap=True)
    for model, spread in result.fold_auc_spread.items():
        label = f"[bold]{model}[/]" if model == result.model_name else model
        table.add_row(label, *(number_text(spread[k]) for k in ("mean", "std", "min", "max")), str(spread["n_folds"]),
                      number_text(result.metrics[model]["roc_auc"]))
    return table


def summary_table(multi, mode: str, costs: str) -> Table:
    """One row per ticker: out-of-sample period, mean AUCs per fold and the edge, strategy against buy-and-hold."""
    table = Table(title=f"Walk-forward summary ({mode}, {costs} per unit of turnover)", title_justify="left",
                  box=box.SIMPLE_HEAD)
    for header in ("ticker", "out of sample", "folds", "AUC per fold", "best baseline", "edge ± se", "Sharpe",
                   "annual", "max DD", "B&H Sharpe", "B&H annual", "B&H max DD"):
        table.add_column(header, justify="left" if header in ("ticker", "out of sample", "best baseline") else "right")
    for row in multi.summary_table().itertuples():
        table.add_row(
            shown(row.ticker), f"{row.start} .. {row.end}", str(row.n_folds),
            f"{number_text(row.model_auc)} ± {number_text(row.model_auc_std)}",
            f"{row.best_baseline} {number_text(row.best_baseline_auc)}",
            f"{_signed(row.auc_edge)} ± {number_text(row.auc_edge_se)}",
            number_text(row.strategy_sharpe, 2), percent_text(row.strategy_annual_return), percent_text(row.strategy_max_drawdown),
            number_text(row.buy_and_hold_sharpe, 2), percent_text(row.buy_and_hold_annual_return),
            percent_text(row.buy_and_hold_max_drawdown),
        )
    return table


def render(multi, mode: str, costs: str) -> None:
    """Per ticker (a few) the folds, the AUCs and the verdicts; the summary table and the portfolio (up to
    ``TABLE_TICKERS``); for a universe, who was set aside, the spread across tickers, the discoveries,
    the cross-section and the run."""
    from pyanalytics.cli import universe_tables as universe
    from pyanalytics.evaluation.verdict import fold_edge_verdict

    universe.print_notes(multi)
    if len(multi.results) <= DETAILED_TICKERS:
        for name, result in multi.results.items():
            print_table(folds_table(name, result))
            print_table(fold_auc_table(name, result))
            stdout.print(f"{shown(name)}: {fold_edge_verdict(result.auc_edge)}")
            stdout.print(f"{shown(name)}: {backtest_verdict(result.backtest)}\n")
    if len(multi.results) <= TABLE_TICKERS:
        print_table(summary_table(multi, mode, costs))
    if multi.skipped:
        print_table(universe.skipped_table(multi))
    if len(multi.results) > 1:
        stdout.print(universe.portfolio_line(multi) + "\n")
        print_table(universe.distribution_table(multi))
        print_table(universe.discoveries_table(multi))
        stdout.print(universe.deflated_line(multi) + "\n")
    if multi.cross_section is not None:
        print_table(universe.cross_section_table(multi))
    if multi.run is not None:
        stdout.print(universe.run_line(multi))


def walk_forward(
    data: Annotated[
        list[Path],
        typer.Option("--data", help="Daily prices CSV (Yahoo-style), a folder of them or a quoted glob such as "
                     "'prices/*.csv'; repeat for several.", show_default=False),
    ],
    model: Annotated[ModelName, typer.Option("--model", help="dnn: one day's features; lstm/gru: windows of days.")] = "dnn",
    folds: Annotated[int, typer.Option("--folds", min=2, help="Test blocks, each predicted by a model retrained on its past.")] = 5,
    window: Annotated[
        Literal["expanding", "rolling"],
        typer.Option("--window", help="Train on all the past (expanding) or the last --train-size rows (rolling)."),
    ] = "expanding",
    train_size: Annotated[
        int | None, typer.Option("--train-size", min=1, help="Labelled rows per rolling training window.")
    ] = None,
    sequence_window: Annotated[
        int | None,
        typer.Option("--sequence-window", min=1, help="Days per input window of lstm/gru (default: 20).",
                     show_default=False),
    ] = None,
    horizon: HorizonOption = 1,
    cost_fp: CostFpOption = None,
    tune_threshold: TuneThresholdOption = False,
    epochs: EpochsOption = 50,
    mode: Annotated[
        Literal["long_flat", "long_short"], typer.Option("--mode", help="Positions on a 'down' signal: flat or short.")
    ] = "long_flat",
    cost_bps: Annotated[
        float, typer.Option("--cost-bps", min=0.0, help="Transaction cost in basis points per unit of turnover.")
    ] = DEFAULT_COST_BPS,
    slippage_bps: SlippageOption = 0.0,
    seed: SeedOption = 0,
    feature: FeatureOption = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Explain each fold's model with SHAP (importance per fold in the report).")
    ] = False,
    engine: Annotated[
        str,
        typer.Option("--engine", help="Where the (ticker, fold) fits run: local (a process pool), dask (a local Dask "
                     "cluster), serial (this process) or a Dask scheduler's address (tcp://host:8786)."),
    ] = "local",
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Processes of the pool or local cluster (default: every core).")
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Folder keeping every finished fit; run again with it to compute only what is missing."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first ticker that cannot run instead of setting it aside.")
    ] = False,
    cross_section: Annotated[
        bool | None,
        typer.Option("--cross-section/--no-cross-section", help="Also trade a pooled model long-short across the "
                     "tickers (default: with the dnn and at least 10 tickers).", show_default=False),
    ] = None,
    quantile: Annotated[
        float, typer.Option("--quantile", min=0.0, max=0.5, help="Fraction of tickers held long and short each day.")
    ] = 0.2,
    report: Annotated[Path | None, typer.Option("--report", help="Also write an HTML report here.")] = None,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
) -> None:
    """Walk-forward evaluation: retrain per fold, stitch out-of-sample predictions, backtest them; a universe in parallel."""
    from pyanalytics.finance.features.spec import check_extra_features
    from pyanalytics.finance.universe import walk_forward_many

    extra_features = check_extra_features(feature or (), "--feature")
    with task_progress(not as_json) as on_task, interrupted_run(store):
        multi = walk_forward_many(
            data, model=model, folds=folds, window_mode=window, train_size=train_size, window=sequence_window,
            horizon=horizon, cost_fp=cost_fp, tune_threshold=tune_threshold, seed=seed, model_params={"epochs": epochs},
            mode=mode, cost_bps=cost_bps, slippage_bps=slippage_bps, explain=explain, extra_features=extra_features,
            engine=engine, workers=workers, store=store, strict=strict, cross_section=cross_section, quantile=quantile,
            drop_invalid=drop_invalid, on_task=on_task,
        )
    if report is not None:
        from pyanalytics.finance.reports import write_walk_forward_report

        report = write_walk_forward_report(report, multi)
    if as_json:
        print_json({**multi.summary(), "report": None if report is None else str(report)})
        return
    render(multi, mode, f"{cost_bps:g} bp" + (f" + slippage {slippage_bps:g} bp" if slippage_bps else ""))
    if report is not None:
        stdout.print(f"Report written to {shown(report)}")
