"""What the ``pyanalytics sequence`` commands share: the series and network options, and the printout of
a trained result (each test set's metrics beside the baselines, a forecast's error per horizon)."""

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich import box
from rich.table import Table

from pyanalytics.cli.common import _cell, parse_units, print_json, shown, stdout, task_table

ModelOption = Annotated[Literal["lstm", "gru"], typer.Option("--model", help="The recurrent network.")]
TimeColumnOption = Annotated[
    str | None, typer.Option("--time-column", help="The column of times that orders the rows (checked to increase; "
                             "not a feature). Omit to use the row order.", show_default=False)
]
FeatureOption = Annotated[
    list[str] | None,
    typer.Option("--feature", help="A numeric column each time step holds; repeat for several (default: every "
                 "column but the time and the label; a forecast: the target alone).", metavar="COLUMN", show_default=False),
]
TestFileOption = Annotated[
    list[Path] | None,
    typer.Option("--test", help="A test series (CSV with the same columns) scored instead of the series' own test "
                 "part; repeat for several.", metavar="FILE", show_default=False),
]
MaxGapOption = Annotated[
    str | None, typer.Option("--max-gap", help="The longest step allowed between consecutive times, e.g. 5min; a "
                             "larger gap is an error naming both rows.", show_default=False)
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Directory to write the bundle to (default: none is written).", show_default=False)
]
UnitsOption = Annotated[str, typer.Option("--units", help="Units of the recurrent layers, comma-separated.")]
LearningRateOption = Annotated[float, typer.Option("--learning-rate", min=0.0, help="Adam's learning rate.")]
BatchSizeOption = Annotated[int, typer.Option("--batch-size", min=1, help="Windows per training batch.")]
PatienceOption = Annotated[int, typer.Option("--patience", min=1, help="Epochs without a better validation loss before stopping.")]
ValidationOption = Annotated[float, typer.Option("--validation", help="Share of the series' rows that stops training early.")]
TestShareOption = Annotated[
    float, typer.Option("--test-share", help="Share of the series' rows in its test part (ignored with --test).")
]


def network_settings(units: str, epochs: int, learning_rate: float, batch_size: int, patience: int) -> dict:
    """The network's settings for ``train_sequence_classifier``/``train_forecaster`` from the options."""
    return {"units": parse_units(units, "--units"), "epochs": epochs, "learning_rate": learning_rate,
            "batch_size": batch_size, "patience": patience}


ReportOption = Annotated[
    Path | None, typer.Option("--report", help="Also write the HTML report on the test sets to this file.", show_default=False)
]


def show_result(result, data: Path, out: Path | None, report: Path | None, as_json: bool, what: str) -> None:
    """Write the report (when asked) and save ``result`` to ``out`` (when given), then print it: JSON, or the
    split, notes, every test set's metrics beside the baselines with its verdict (a forecast: MASE per
    horizon too), the bundle and the report."""
    from pyanalytics.cli.sequence.report import write_report
    from pyanalytics.evaluation.verdict import task_verdict
    from pyanalytics.tasks import TASKS

    if report is not None:  # before the bundle: a report that cannot be written leaves nothing behind
        report = write_report(report, result, None, None)
    bundle = None if out is None else result.save(out)
    if as_json:
        print_json({**result.summary(bundle), "report": None if report is None else str(report)})
        return
    pre = result.preprocessing
    split = ", ".join(f"{name} {count:,} windows" for name, count in result.parts.items())
    order = f"by {shown(repr(pre.time_column))}" if pre.time_column else "by row order"
    stdout.print(f"Trained [bold]{result.model_name}[/] on {shown(data)} {what} (window {pre.window}), "
                 f"best epoch {result.best_epoch}.")
    stdout.print(f"Split {order}: {split}; {result.gap} row(s) purged between parts.")
    for note in result.notes:
        stdout.print(f"note: {shown(note)}")
    task = TASKS[result.task]
    for name, test in result.test_sets.items():
        show_metrics(result.task, test.metrics, f"{shown(name)}: {len(test.times):,} windows")
        stdout.print(task_verdict(task, test.metrics, result.model_name).sentence)
    stdout.print(f"Bundle written to {shown(bundle)}" if bundle is not None else "No bundle written (no --out).")
    if report is not None:
        stdout.print(f"Report written to {shown(report)}")


def show_metrics(task: str, metrics: dict, title: str) -> None:
    """The task's metrics table of ``metrics`` (the network first) and, for a forecast, MASE per horizon."""
    from pyanalytics.evaluation.task_metrics import task_metrics_table
    from pyanalytics.tasks import TASKS

    table = task_metrics_table(TASKS[task], metrics).dropna(axis=1, how="all")
    stdout.print(task_table(table, title))
    if task == "forecasting":
        stdout.print(horizon_table(metrics, "mase"))


def horizon_table(metrics: dict, metric: str) -> Table:
    """One row per model, one column per horizon: ``metric`` of each horizon's forecasts."""
    first = next(iter(metrics))
    horizons = len(metrics[first]["horizons"][metric])
    table = Table(title=f"{metric.upper()} per horizon", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("", no_wrap=True)
    for h in range(1, horizons + 1):
        table.add_column(f"h{h}", justify="right")
    for name, values in metrics.items():
        shown_name = f"[bold]{shown(name)}[/]" if name == first else shown(name)
        table.add_row(shown_name, *(_cell(v) for v in values["horizons"][metric]))
    return table
