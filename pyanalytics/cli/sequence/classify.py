"""`pyanalytics sequence classify`: an LSTM or GRU that classifies each time step of a series from the
window ending at it, beside the majority class, a last-step logistic regression and persistence."""

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


def classify(
    data: RowsOption,
    label: Annotated[str, typer.Option("--label", help="The column of each time step's class.")],
    time_column: TimeColumnOption = None,
    feature: FeatureOption = None,
    window: Annotated[int, typer.Option("--window", min=1, help="Time steps per window.")] = 30,
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
    gap: Annotated[int, typer.Option("--gap", min=0, help="Rows purged between parts.")] = 1,
    out: OutOption = None,
    report: ReportOption = None,
    seed: SeedOption = 0,
    as_json: JsonOption = False,
) -> None:
    """Train a recurrent classifier on windows of a series and test it beside the sequence baselines.

    Persistence (each step's label is the one before it) is scored too: for minute-level sensors it is
    a strong baseline that a network rarely beats.
    """
    from pyanalytics.bundle import check_target
    from pyanalytics.sequence import train_sequence_classifier

    settings = network_settings(units, epochs, learning_rate, batch_size, patience)
    if out is not None:
        check_target(out)  # an --out that cannot be written or replaced fails before training
    with epoch_progress(not as_json, epochs) as on_epoch:
        result = train_sequence_classifier(
            data, label, time_column=time_column, features=feature, window=window, model=model,
            test_data=test or None, validation=validation, test=test_share, gap=gap, max_gap=max_gap, seed=seed,
            on_epoch=on_epoch, **settings,
        )
    show_result(result, data, out, report, as_json, f"for {label!r}, {result.task}")
