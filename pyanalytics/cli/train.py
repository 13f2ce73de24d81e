"""`pyanalytics train`: fit a model on prices, score it against baselines, write a bundle."""

from pathlib import Path
from typing import Annotated

import typer

from pyanalytics.cli.common import (
    DataOption,
    EpochsOption,
    JsonOption,
    SeedOption,
    epoch_progress,
    metrics_table,
    periods_line,
    print_json,
    stdout,
    verdict,
)


def render_training(result, source: str, bundle: Path | None) -> None:
    """The human report of a training run: data, periods, metrics table, verdict, bundle."""
    summary = result.summary(bundle)
    stdout.print(
        f"Trained [bold]{summary['model']}[/] on {source}: direction over {summary['horizon']} "
        f"day(s), best epoch {summary['best_epoch']}."
    )
    stdout.print(periods_line(result.periods))
    stdout.print(metrics_table(result.metrics, result.model_name, "Test part: model and naive baselines"))
    stdout.print(verdict(result.metrics, result.model_name))
    if bundle is not None:
        stdout.print(f"Bundle written to {bundle}")


def train(
    data: DataOption,
    out: Annotated[Path, typer.Option("--out", help="Directory to write the model bundle to.")],
    model: Annotated[str, typer.Option("--model", help="Model family: dnn.")] = "dnn",
    horizon: Annotated[int, typer.Option("--horizon", min=1, help="Days ahead of the direction label.")] = 1,
    dead_zone: Annotated[
        float, typer.Option("--dead-zone", min=0.0, help="Leave moves within ±this return unlabelled.")
    ] = 0.0,
    epochs: EpochsOption = 50,
    seed: SeedOption = 0,
    as_json: JsonOption = False,
) -> None:
    """Train a direction model, evaluate it on the test part next to baselines, save the bundle."""
    from pyanalytics.data import load_prices
    from pyanalytics.training import train_direction_model

    prices = load_prices(data)
    with epoch_progress(not as_json) as on_epoch:
        result = train_direction_model(
            prices,
            model=model,
            horizon=horizon,
            dead_zone=dead_zone,
            seed=seed,
            model_params={"epochs": epochs},
            on_epoch=on_epoch,
        )
    bundle = result.save(out)
    if as_json:
        print_json(result.summary(bundle))
    else:
        render_training(result, str(data), bundle)
