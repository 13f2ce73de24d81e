"""`pyanalytics volatility`: walk-forward volatility forecasts (LSTM, HAR, EWMA, GARCH) and volatility targeting."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from pyanalytics.cli.common import (
    DropInvalidOption,
    EpochsOption,
    JsonOption,
    SeedOption,
    load_data,
    print_json,
    progress_bar,
    shown,
    stdout,
)
from pyanalytics.cli.walk_forward import print_table
from pyanalytics.defaults import DEFAULT_COST_BPS

# The names of pyanalytics.finance.volatility.MODEL_NAMES (an Enum: Typer repeats no Literal option).
VolatilityModel = Enum("VolatilityModel", {name: name for name in ("lstm", "har", "ewma", "garch")}, type=str)
PERCENT = {"annual_return", "annual_volatility", "max_drawdown", "exposure"}


def forecast_table(name: str, result) -> Table:
    """Models as rows, MSE and QLIKE per horizon as columns; the lowest QLIKE of each horizon in bold."""
    table = Table(title=f"{shown(name)}: volatility forecasts", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("model")
    scores = result.table().set_index(["model", "horizon"])
    for horizon in result.horizons:
        table.add_column(f"MSE {horizon}d", justify="right")
        table.add_column(f"QLIKE {horizon}d", justify="right")
    best = {h: scores.xs(h, level="horizon")["qlike"].idxmin() for h in result.horizons}
    for model in result.models:
        cells = []
        for horizon in result.horizons:
            row = scores.loc[(model, horizon)]
            qlike = f"{row['qlike']:.3f}"
            cells += [f"{row['mse']:.4f}", f"[bold]{qlike}[/]" if best[horizon] == model else qlike]
        table.add_row(model, *cells)
    return table


def targeting_table(name: str, targeting) -> Table:
    """Strategies as rows (unscaled, then targeted by each model's forecasts), their statistics as columns."""
    table = Table(title=f"{shown(name)}: always long, scaled to {targeting.target_volatility:.0%} annual volatility "
                        f"by each {targeting.horizon}-day forecast (leverage at most {targeting.max_leverage:g})",
                  title_justify="left", box=box.SIMPLE_HEAD)
    frame = targeting.table()
    table.add_column("strategy")
    for column in frame.columns:
        table.add_column(column.replace("_", " "), justify="right")
    for strategy, row in frame.iterrows():
        table.add_row(strategy.replace("_", " "), *(f"{v:.1%}" if c in PERCENT else f"{v:.2f}" for c, v in row.items()))
    return table


def volatility(
    prices: Annotated[
        list[Path],
        typer.Argument(help="Daily prices CSV, Yahoo-style; several for several tickers.", metavar="PRICES",
                       show_default=False),
    ],
    horizon: Annotated[
        list[int] | None,
        typer.Option("--horizon", min=1, help="Days of a realised-volatility target; repeat for several "
                     "(default: 5 and 21).", show_default=False),
    ] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Test blocks, each forecast by models fitted on its past.")] = 5,
    model: Annotated[
        list[VolatilityModel] | None,
        typer.Option("--model", help="A forecaster to run; repeat for several (default: all four).", show_default=False),
    ] = None,
    window: Annotated[int, typer.Option("--window", min=1, help="Days per LSTM input window.")] = 22,
    epochs: EpochsOption = 30,
    seed: SeedOption = 0,
    range_feature: Annotated[
        bool, typer.Option("--range/--no-range", help="Give the LSTM the daily range log(high/low) (needs High and Low).")
    ] = True,
    target_volatility: Annotated[
        float, typer.Option("--target-volatility", min=0.001, help="Annual volatility the targeted strategy aims at.")
    ] = 0.10,
    max_leverage: Annotated[float, typer.Option("--max-leverage", min=0.001, help="Largest scale of the position.")] = 2.0,
    cost_bps: Annotated[
        float, typer.Option("--cost-bps", min=0.0, help="Transaction cost in basis points per unit of turnover.")
    ] = DEFAULT_COST_BPS,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
) -> None:
    """Forecast realised volatility walk-forward, score MSE and QLIKE, and backtest volatility targeting."""
    from pyanalytics.finance.volatility import MODEL_NAMES, walk_forward_volatility
    from pyanalytics.finance.volatility_data import HORIZONS
    from pyanalytics.finance.universe_files import ticker_names
    from pyanalytics.finance.volatility_targeting import volatility_targeting

    names = ticker_names(prices)
    loaded = {name: load_data(path, required=("close",), drop_invalid=drop_invalid) for name, path in zip(names, prices)}
    models = tuple(m.value for m in model) if model else MODEL_NAMES
    runs = {}
    with progress_bar("volatility: fold", not as_json) as update:
        for name, frame in loaded.items():
            def on_fold(fold, n_folds, row, name=name):
                if update is not None:
                    update(fold, n_folds, f"{shown(name)} fold {fold}/{n_folds} done")

            def on_epoch(epoch, max_epochs, logs, name=name):
                if update is not None:
                    update(None, None, f"{shown(name)}: LSTM epoch {epoch}/{max_epochs}")

            result = walk_forward_volatility(
                frame, horizons=tuple(horizon) if horizon else HORIZONS, n_folds=folds, window=window, models=models,
                range_feature=range_feature, seed=seed, lstm_params={"epochs": epochs}, on_fold=on_fold,
                on_epoch=on_epoch,
            )
            runs[name] = (result, volatility_targeting(result, frame, target_volatility=target_volatility,
                                                       max_leverage=max_leverage, cost_bps=cost_bps))
    if as_json:
        print_json({name: {**result.summary(), "targeting": targeting.summary()}
                    for name, (result, targeting) in runs.items()})
        return
    for name, (result, targeting) in runs.items():
        period = result.summary()["period"]
        stdout.print(f"{shown(name)}: {len(result.folds)} walk-forward folds, {period['dates']:,} forecast dates "
                     f"{period['start']} .. {period['end']}; MSE and QLIKE of the annualised variance (lower is better).")
        print_table(forecast_table(name, result))
        for sentence in result.verdict_sentences():
            stdout.print(f"{shown(name)}: {sentence}")
        stdout.print()
        print_table(targeting_table(name, targeting))
