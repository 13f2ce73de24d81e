"""`pyanalytics fit`: train a tabular model on any CSV with a named target column, write a bundle."""

from pathlib import Path
from typing import Annotated

import typer

from pyanalytics.cli.common import EpochsOption, JsonOption, SeedOption, TableOption, epoch_progress, parse_units, print_json, shown, stdout, task_table
from pyanalytics.defaults import DEFAULT_NETWORK

def fit(
    data: TableOption,
    target: Annotated[str, typer.Option("--target", help="The response column.")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write the model bundle to.")],
    task: Annotated[str, typer.Option("--task", help="auto, binary, multiclass or regression.")] = "auto",
    date_column: Annotated[
        str | None, typer.Option("--date-column", help="Split chronologically by this column of dates.")
    ] = None,
    hidden_units: Annotated[
        str, typer.Option("--hidden-units", help="Sizes of the hidden layers, comma-separated.")
    ] = ",".join(map(str, DEFAULT_NETWORK["hidden_units"])),
    activation: Annotated[str, typer.Option("--activation", help="Activation of the hidden layers.")] = DEFAULT_NETWORK["activation"],
    dropout: Annotated[float, typer.Option("--dropout", min=0.0, max=0.95, help="Dropout after each hidden layer.")] = DEFAULT_NETWORK["dropout"],
    batch_norm: Annotated[bool, typer.Option("--batch-norm", help="BatchNormalization in each hidden layer.")] = False,
    epochs: EpochsOption = DEFAULT_NETWORK["epochs"],
    seed: SeedOption = 0,
    as_json: JsonOption = False,
) -> None:
    """Train a network on a CSV's target column, score it on the test part next to baselines, save the bundle."""
    from pyanalytics.bundle import check_target
    from pyanalytics.tabular import train_tabular

    units = parse_units(hidden_units)
    check_target(out)  # an --out that cannot be written or replaced fails before training
    with epoch_progress(not as_json, epochs) as on_epoch:
        result = train_tabular(data, target, task=task, date_column=date_column, hidden_units=units,
                               activation=activation, dropout=dropout, batch_norm=batch_norm, epochs=epochs,
                               seed=seed, on_epoch=on_epoch)
    bundle = result.save(out)
    if as_json:
        print_json(result.summary(bundle))
        return
    summary = result.summary(bundle)
    split = summary["split"]
    how = f"chronological by {split['date_column']!r}, gap {split['gap']}" if split["date_column"] else "seeded, stratified"
    stdout.print(f"Trained [bold]{result.model_name}[/] ({result.task}) on {shown(str(data))} for {shown(target)}, "
                 f"best epoch {summary['best_epoch']}.")
    stdout.print(f"Split ({how}): " + ", ".join(f"{name} {rows:,} rows" for name, rows in result.parts.items()))
    for note in result.notes:
        stdout.print(f"note: {shown(note)}")
    stdout.print(task_table(result.metrics_table(), "Test part: model and naive baselines"))
    stdout.print(result.verdict.sentence)
    stdout.print(f"Bundle written to {shown(bundle)}")
