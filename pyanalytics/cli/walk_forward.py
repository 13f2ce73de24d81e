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
    load_data,
    print_json,
    progress_bar,
    shown,
    stdout,
)
from pyanalytics.defaults import DEFAULT_COST_BPS

def ticker_names(paths: list[Path]) -> list[str]:
    """``AAPL.csv`` -> ``AAPL``; the whole path where two files share a name."""
    stems = [p.stem for p in paths]
    return stems if len(set(stems)) == len(stems) else [str(p) for p in paths]


@contextmanager
def fold_progress(names: list[str], folds: int, enabled: bool):
    """Yield ``(on_fold, on_epoch)`` callbacks drawing one bar over every ticker's folds, or Nones."""
    with progress_bar("walk-forward: fold", enabled) as update:
        if update is None:
            yield None, None
            return
        total = len(names) * folds
        done = [0]
        update(0, total, f"{shown(names[0])} fold 1/{folds}")

        def on_fold(name: str, fold: int, n_folds: int, row: dict) -> None:
            done[0] += 1
            update(done[0], total, f"{shown(name)} fold {fold}/{n_folds}: AUC {row['roc_auc']:.3f}")

        def on_epoch(epoch: int, max_epochs: int, logs: dict) -> None:
            name, fold = names[min(done[0] // folds, len(names) - 1)], done[0] % folds + 1
            update(done[0], total, f"{shown(name)} fold {fold}/{folds}: epoch {epoch}/{max_epochs}")

        yield on_fold, on_epoch


def _percent(value) -> str:
    return "n/a" if value is None or value != value else f"{value:.1%}"


def _number(value, digits: int = 3) -> str:
    return "n/a" if value is None or value != value else f"{value:.{digits}f}"


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
            f"{f.n_train:,}", f"{f.n_test:,}", str(f.best_epoch), _number(f.roc_auc),
            f"{f.best_baseline} {_number(f.best_baseline_auc)}", _percent(f.strategy_return),
            _percent(f.buy_and_hold_return),
        )
    return table


def fold_auc_table(name: str, result) -> Table:
    """One row per model (the model in bold, then the baselines): its ROC AUC over the folds, and pooled."""
    table = Table(title=f"{shown(name)}: ROC AUC per fold", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("", "mean", "std", "min", "max", "folds", "stitched"):
        table.add_column(header, justify="right" if header else "left", no_wrap=True)
    for model, spread in result.fold_auc_spread.items():
        label = f"[bold]{model}[/]" if model == result.model_name else model
        table.add_row(label, *(_number(spread[k]) for k in ("mean", "std", "min", "max")), str(spread["n_folds"]),
                      _number(result.metrics[model]["roc_auc"]))
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
            f"{_number(row.model_auc)} ± {_number(row.model_auc_std)}",
            f"{row.best_baseline} {_number(row.best_baseline_auc)}",
            f"{_signed(row.auc_edge)} ± {_number(row.auc_edge_se)}",
            _number(row.strategy_sharpe, 2), _percent(row.strategy_annual_return), _percent(row.strategy_max_drawdown),
            _number(row.buy_and_hold_sharpe, 2), _percent(row.buy_and_hold_annual_return),
            _percent(row.buy_and_hold_max_drawdown),
        )
    return table


def render(multi, mode: str, costs: str) -> None:
    """Per ticker the folds, the AUCs per fold and the verdicts, then the summary table and the portfolio."""
    from pyanalytics.evaluation.verdict import fold_edge_verdict

    for name, result in multi.results.items():
        print_table(folds_table(name, result))
        print_table(fold_auc_table(name, result))
        stdout.print(f"{shown(name)}: {fold_edge_verdict(result.auc_edge)}")
        stdout.print(f"{shown(name)}: {backtest_verdict(result.backtest)}\n")
    print_table(summary_table(multi, mode, costs))
    if len(multi.results) > 1:
        _, stats = multi.portfolio()
        strategy, hold = stats["strategy"], stats["buy_and_hold"]
        stdout.print(
            f"Equal-weight portfolio on the {strategy['n_days']:,} common days ({strategy['start']} .. {strategy['end']}): "
            f"Sharpe {_number(strategy['sharpe'], 2)}, annual {_percent(strategy['annual_return'])}, max DD "
            f"{_percent(strategy['max_drawdown'])}; buy and hold {_number(hold['sharpe'], 2)}, "
            f"{_percent(hold['annual_return'])}, {_percent(hold['max_drawdown'])}."
        )


def walk_forward(
    data: Annotated[
        list[Path],
        typer.Option("--data", help="Daily prices CSV, Yahoo-style; repeat for several tickers.", show_default=False),
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
    report: Annotated[Path | None, typer.Option("--report", help="Also write an HTML report here.")] = None,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
) -> None:
    """Walk-forward evaluation: retrain per fold, stitch out-of-sample predictions, backtest them."""
    from pyanalytics.finance.features.spec import check_extra_features
    from pyanalytics.finance.walk_forward import walk_forward_many

    names = ticker_names(data)
    extra_features = check_extra_features(feature or (), "--feature")
    prices = {name: load_data(path, extra=extra_features, drop_invalid=drop_invalid) for name, path in zip(names, data)}
    with fold_progress(names, folds, not as_json) as (on_fold, on_epoch):
        multi = walk_forward_many(
            prices, model=model, folds=folds, window_mode=window, train_size=train_size, window=sequence_window,
            horizon=horizon, cost_fp=cost_fp, tune_threshold=tune_threshold, seed=seed, model_params={"epochs": epochs},
            mode=mode, cost_bps=cost_bps, slippage_bps=slippage_bps, explain=explain, on_fold=on_fold,
            on_epoch=on_epoch, extra_features=extra_features,
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
