"""`pyanalytics sequence forecast`: an LSTM or GRU that forecasts the next values of a column (direct
multi-step), beside naive, seasonal naive and a linear autoregression, scored by MASE per horizon."""

from typing import Annotated

import typer

from pyanalytics.cli.common import EpochsOption, JsonOption, RowsOption, SeedOption, epoch_progress
from pyanalytics.cli.sequence.common import (
    BatchSizeOption,
    FeatureOption,
    LearningRateOption,
    MaxGapOption,
    ModelOption,
    OutOption,
    PatienceOption,
    ReportOption,
    TestFileOption,
    TestShareOption,
    TimeColumnOption,
    UnitsOption,
    ValidationOption,
    network_settings,
    show_result,
)
from pyanalytics.errors import ParameterError


def forecast(
    data: RowsOption,
    target: Annotated[str, typer.Option("--target", help="The column to forecast (always one of the features).")],
    time_column: TimeColumnOption = None,
    feature: FeatureOption = None,
    window: Annotated[int, typer.Option("--window", min=1, help="Time steps per window.")] = 24,
    horizon: Annotated[int, typer.Option("--horizon", min=1, help="Steps ahead forecast (1..H).")] = 12,
    period: Annotated[
        int | None, typer.Option("--period", min=1, help="The season's length in steps: the seasonal naive baseline "
                                 "and MASE's scale (at most --window).", show_default=False)
    ] = None,
    quantiles: Annotated[
        str | None, typer.Option("--quantiles", help="Quantiles to learn, e.g. 0.1,0.5,0.9: the outer two give a "
                                 "prediction interval, scored by its coverage.", show_default=False)
    ] = None,
    relative: Annotated[
        bool, typer.Option("--relative/--levels", help="Read and forecast the target relative to its last value in the "
                           "window (it can then forecast levels training never saw), or as levels.")
    ] = True,
    model: ModelOption = "lstm",
    test: TestFileOption = None,
    max_gap: MaxGapOption = None,
    units: UnitsOption = "32",
    epochs: EpochsOption = 20,
    learning_rate: LearningRateOption = 1e-3,
    batch_size: BatchSizeOption = 64,
    patience: PatienceOption = 3,
    validation: ValidationOption = 0.15,
    test_share: TestShareOption = 0.15,
    gap: Annotated[
        int | None, typer.Option("--gap", min=0, help="Rows purged between parts (default: the horizon).", show_default=False)
    ] = None,
    out: OutOption = None,
    report: ReportOption = None,
    seed: SeedOption = 0,
    as_json: JsonOption = False,
) -> None:
    """Train a recurrent forecaster on windows of a series and test it beside naive, seasonal naive and linear AR."""
    from pyanalytics.bundle import check_target
    from pyanalytics.sequence import train_forecaster

    settings = network_settings(units, epochs, learning_rate, batch_size, patience)
    levels = parse_quantiles(quantiles)
    if out is not None:
        check_target(out)
    with epoch_progress(not as_json, epochs) as on_epoch:
        result = train_forecaster(
            data, target, time_column=time_column, features=feature, window=window, horizon=horizon, period=period,
            quantiles=levels, relative=relative, model=model, test_data=test or None, validation=validation, test=test_share, gap=gap,
            max_gap=max_gap, seed=seed, on_epoch=on_epoch, **settings,
        )
    show_result(result, data, out, report, as_json, f"to forecast {target!r} 1..{horizon} steps ahead")


def parse_quantiles(text: str | None) -> tuple[float, ...] | None:
    """``"0.1,0.5,0.9"`` -> ``(0.1, 0.5, 0.9)`` (None stays None); the forecaster checks their range.

    Raises:
        ParameterError: a part is not a number.
    """
    if text is None:
        return None
    try:
        return tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ParameterError(f"--quantiles: expected numbers between 0 and 1 such as 0.1,0.5,0.9, got {text!r}.") from None
