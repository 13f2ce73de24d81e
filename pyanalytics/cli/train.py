"""`pyanalytics train`: fit a model on prices, score it against baselines, write a bundle."""

from pathlib import Path
from typing import Annotated

import typer

from pyanalytics.cli.common import (
    CostFpOption,
    DataOption,
    DropInvalidOption,
    EpochsOption,
    FeatureOption,
    HorizonOption,
    JsonOption,
    ModelName,
    SeedOption,
    TuneThresholdOption,
    epoch_progress,
    load_data,
    metrics_table,
    periods_lines,
    print_json,
    shown,
    stdout,
)


def render_training(result, source: str, bundle: Path | None) -> None:
    """The human report of a training run: data, periods, decision rule, metrics, verdict."""
    summary = result.summary(bundle)
    window = f", windows of {summary['window']} days" if summary["window"] else ""
    stdout.print(
        f"Trained [bold]{summary['model']}[/] on {shown(source)}: direction over {summary['horizon']} "
        f"day(s){window}, best epoch {summary['best_epoch']}."
    )
    stdout.print(periods_lines(result.periods))
    rule = f"Says up when P(up) >= {summary['threshold']:.3f}"
    if summary["tuned_threshold"]:
        rule += f" (tuned on validation; theory {summary['theoretical_threshold']:.3f})"
    if summary["cost_sensitive"]:
        rule += " after cost-sensitive training"
    stdout.print(f"{rule}; a false positive costs {summary['alpha']:g} false negative(s).")
    stdout.print(metrics_table(result.metrics, result.model_name, "Test part: model and naive baselines"))
    stdout.print(result.verdict.sentence)
    if bundle is not None:
        stdout.print(f"Bundle written to {shown(bundle)}")


def train(
    data: DataOption,
    out: Annotated[Path, typer.Option("--out", help="Directory to write the model bundle to.")],
    model: Annotated[ModelName, typer.Option("--model", help="dnn: one day's features; lstm/gru: windows of days.")] = "dnn",
    window: Annotated[
        int | None, typer.Option("--window", min=1, help="Days per window for lstm/gru (default: 20).")
    ] = None,
    horizon: HorizonOption = 1,
    dead_zone: Annotated[
        float, typer.Option("--dead-zone", min=0.0, help="Leave moves within ±this return unlabelled.")
    ] = 0.0,
    cost_fp: CostFpOption = None,
    tune_threshold: TuneThresholdOption = False,
    epochs: EpochsOption = 50,
    seed: SeedOption = 0,
    feature: FeatureOption = None,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
) -> None:
    """Train a direction model, evaluate it on the test part next to baselines, save the bundle."""
    from pyanalytics.bundle import check_target
    from pyanalytics.finance.features.spec import check_extra_features
    from pyanalytics.finance.training import train_direction_model

    check_target(out)  # an --out that cannot be written or replaced fails before training
    extra_features = check_extra_features(feature or (), "--feature")
    prices = load_data(data, extra=extra_features, drop_invalid=drop_invalid)
    with epoch_progress(not as_json, epochs) as on_epoch:
        result = train_direction_model(
            prices,
            model=model,
            window=window,
            extra_features=extra_features,
            horizon=horizon,
            dead_zone=dead_zone,
            cost_fp=cost_fp,
            tune_threshold=tune_threshold,
            seed=seed,
            model_params={"epochs": epochs},
            on_epoch=on_epoch,
            data_name=data.name,
        )
    bundle = result.save(out)
    if as_json:
        print_json(result.summary(bundle))
    else:
        render_training(result, str(data), bundle)
