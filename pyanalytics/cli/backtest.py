"""`pyanalytics backtest`: trade a bundle's out-of-sample signals, next to buy-and-hold."""

from datetime import datetime
from typing import Annotated, Literal

import typer
from rich import box
from rich.table import Table

from pyanalytics.cli.common import (
    BundleOption,
    DataOption,
    DropInvalidOption,
    JsonOption,
    SlippageOption,
    load_bundle_data,
    print_json,
    shown,
    stderr,
    stdout,
)
from pyanalytics.defaults import DEFAULT_COST_BPS

PERCENT = {"total_return", "annual_return", "annual_volatility", "max_drawdown", "hit_rate", "exposure"}


def _cell(name: str, value) -> str:
    if value is None or value != value:
        return "n/a"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.2%}" if name in PERCENT else f"{value:.3f}"


def backtest_table(result) -> Table:
    """Statistics as rows, the strategy (in bold) beside buy-and-hold."""
    table = Table(box=box.SIMPLE_HEAD)
    for header in ("", "[bold]strategy[/]", "buy and hold"):
        table.add_column(header, justify="right" if header else "left", no_wrap=True)
    for name in result.stats:
        table.add_row(name, _cell(name, result.stats[name]), _cell(name, result.benchmark[name]))
    return table


def _by_t(t: float, above: str, below: str, within: str) -> str:
    """``above`` for a t-statistic of 2 or more, ``below`` for -2 or less, else ``within``."""
    return above if t >= 2 else below if t <= -2 else within


def backtest_verdict(result) -> str:
    """One honest sentence: is the strategy a profit or a loss beyond luck, and better than holding the stock?"""
    sharpe, benchmark, t, excess_t = result.stats["sharpe"], result.benchmark["sharpe"], result.sharpe_t(), result.excess_t()
    if sharpe != sharpe:
        return "Sharpe ratio undefined: the strategy never moved (always flat, or one day)."
    edge = _by_t(t, "significantly profitable", "a significant loss (t at or below -2 is unlikely to be luck)",
                 "no significant edge (t between -2 and 2 is within luck)")
    versus = _by_t(excess_t, "significantly ahead of buy-and-hold", "significantly behind buy-and-hold",
                   "not significantly different from buy-and-hold")
    return (
        f"{result.mode} after costs: Sharpe {sharpe:.2f} (t = {t:.1f}) vs buy-and-hold {benchmark:.2f} "
        f"(excess t = {excess_t:.1f}): {edge}; {versus}."
    )


def backtest(
    model: BundleOption,
    data: DataOption,
    mode: Annotated[
        Literal["long_flat", "long_short"],
        typer.Option("--mode", help="long_flat: long on 'up', else flat; long_short: long on 'up', short on 'down'."),
    ] = "long_flat",
    cost_bps: Annotated[
        float, typer.Option("--cost-bps", min=0.0, help="Commission in basis points per unit of turnover.")
    ] = DEFAULT_COST_BPS,
    slippage_bps: SlippageOption = 0.0,
    holding: Annotated[
        int | None,
        typer.Option(
            "--holding", min=1, show_default=False,
            help="Days each signal is held, in overlapping tranches (default: the model's horizon).",
        ),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since", formats=["%Y-%m-%d"],
            help="First signal date (default: the start of the bundle's own test part).",
        ),
    ] = None,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
) -> None:
    """Backtest a bundle's signals: decided at each close, earning the next day's return."""
    import pandas as pd

    from pyanalytics.bundle import load_bundle
    from pyanalytics.finance.backtest import backtest as run_backtest
    from pyanalytics.finance.backtest import signals_from_bundle

    bundle = load_bundle(model)
    prices = load_bundle_data(bundle, data, drop_invalid=drop_invalid)
    signal = signals_from_bundle(bundle, prices, since=since)
    result = run_backtest(
        signal, prices, mode=mode, holding=holding or bundle.preprocessing.horizon, cost_bps=cost_bps, slippage_bps=slippage_bps
    )
    out_of_sample = signal.index[0] >= pd.Timestamp(bundle.metadata["out_of_sample_from"])
    if not out_of_sample:
        stderr.print(
            f"note: --since {signal.index[0].date()} is before the model's test part "
            f"({bundle.metadata['out_of_sample_from']}); these days include dates it learned from "
            "(if the data is the training data)."
        )
    if as_json:
        print_json(
            {
                "model": bundle.model_name,
                "bundle": str(model),
                "data": str(data),
                "horizon": bundle.preprocessing.horizon,
                "out_of_sample": bool(out_of_sample),
                **result.summary(),
                "verdict": backtest_verdict(result),
            }
        )
        return
    stdout.print(
        f"{shown(data)}: {bundle.model_name} signals from {result.stats['start']} to {result.stats['end']}, "
        f"{result.mode}, each held {result.holding} day(s), costs {cost_bps:g} + slippage {slippage_bps:g} "
        "bps per unit of turnover."
    )
    stdout.print(backtest_table(result))
    stdout.print(backtest_verdict(result))
