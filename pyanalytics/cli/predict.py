"""`pyanalytics predict`: probability of a rise for each date from a price bundle and raw prices, or the
task's prediction columns for each row from a tabular bundle (an anomaly bundle: score and flag; a sequence
bundle: each window's classes or forecasts, by the time it ends at) and a CSV."""

from pathlib import Path
from typing import Annotated

import typer

from pyanalytics.cli.common import BundleOption, DataOption, DropInvalidOption, JsonOption, load_bundle_data, load_rows, print_json, reads_rows, stdout

LastOption = Annotated[
    int | None,
    typer.Option("--last", min=1, help="Only the most recent N dates, rows or windows (default: every one; a sequence "
                 "bundle with --last 1 forecasts from the last row only).", show_default=False),
]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV.")]


def predict(
    model: BundleOption,
    data: DataOption,
    last: LastOption = None,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Predict the direction over the bundle's horizon for each date with complete features (a tabular,
    anomaly or sequence bundle: for the rows of a CSV)."""
    check_one_format(as_json, as_csv)
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(model)
    if reads_rows(bundle):
        predict_rows(bundle, data, last, as_json, as_csv)
        return
    table = bundle.predict(load_bundle_data(bundle, data, drop_invalid=drop_invalid), last=last)
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    _print(table, as_json, as_csv)


def check_one_format(as_json: bool, as_csv: bool) -> None:
    """Refuse ``--json`` with ``--csv``."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv, not both.", param_hint="--json/--csv")


def predict_rows(bundle, data: Path, last: int | None, as_json: bool, as_csv: bool) -> None:
    """Print a tabular, anomaly or sequence bundle's predictions for the rows of a CSV (the last ``last``);
    a sequence bundle's are per window, times as ISO text."""
    import pandas as pd

    from pyanalytics.domains import domain_of

    frame = load_rows(data)
    if domain_of(bundle) == "sequence":
        table = bundle.predict(frame, last=last == 1)  # one window: no need to run the network on the others
    else:
        table = bundle.predict(frame)
    table = table.reset_index() if last is None else table.tail(last).reset_index()
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            table[column] = table[column].map(pd.Timestamp.isoformat)
    _print(table, as_json, as_csv)


def _print(table, as_json: bool, as_csv: bool) -> None:
    if as_csv:
        typer.echo(table.to_csv(index=False, float_format="%.6f"), nl=False)
    elif as_json:
        print_json(table.to_dict(orient="records"))
    else:
        stdout.print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
