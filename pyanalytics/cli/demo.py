"""`pyanalytics demo`: the course's first example on the embedded default data."""

import os
from pathlib import Path
from typing import Annotated

import typer

from pyanalytics.cli.common import EpochsOption, JsonOption, SeedOption, epoch_progress, print_json, shown, stderr
from pyanalytics.cli.train import render_training

SYNTHETIC_DAYS = 3000
SYNTHETIC_STRENGTH = 1.0


def default_prices():
    """Real Apple prices from the shared data folder when present, else the synthetic market."""
    from pyanalytics.finance import load_prices, synthetic_market
    from pyanalytics.settings import price_file

    path = price_file("AAPL")
    if path.is_file():
        return load_prices(path), f"Apple daily prices ({path})"
    if os.environ.get("PYANALYTICS_DATA_DIR"):
        stderr.print(f"note: {shown(path)} not found (PYANALYTICS_DATA_DIR is set); using the synthetic market.")
    prices = synthetic_market(SYNTHETIC_DAYS, signal_strength=SYNTHETIC_STRENGTH, seed=0)
    return prices, f"the embedded synthetic market (signal planted in volume, strength {SYNTHETIC_STRENGTH})"


def demo(
    epochs: EpochsOption = 50,
    seed: SeedOption = 0,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the bundle here.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Train the stock-trend DNN on Apple (or the synthetic default) and print the results table."""
    from pyanalytics.finance.training import train_direction_model

    prices, source = default_prices()
    with epoch_progress(not as_json, epochs) as on_epoch:
        result = train_direction_model(prices, seed=seed, model_params={"epochs": epochs}, on_epoch=on_epoch)
    bundle = result.save(out) if out else None
    if as_json:
        print_json({**result.summary(bundle), "data": source})
    else:
        render_training(result, source, bundle)
