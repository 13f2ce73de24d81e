"""`pyanalytics predict`: probability of a rise for each date from a price bundle and raw prices, or the
task's prediction columns for each row from a tabular bundle (an anomaly bundle: score and flag) and a CSV."""

from typing import Annotated

import typer

from pyanalytics.cli.common import BundleOption, DataOption, DropInvalidOption, JsonOption, load_bundle_data, load_rows, print_json, reads_rows, stdout


def predict(
    model: BundleOption,
    data: DataOption,
    last: Annotated[int | None, typer.Option("--last", min=1, help="Only the most recent N dates (default: every date).", show_default=False)] = None,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (date,prob_up,signal).")] = False,
) -> None:
    """Predict the direction over the bundle's horizon for each date with complete features."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv, not both.", param_hint="--json/--csv")
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(model)
    if reads_rows(bundle):
        table = bundle.predict(load_rows(data))
        if last is not None:
            table = table.tail(last)
        _print(table.reset_index(), as_json, as_csv)
        return
    table = bundle.predict(load_bundle_data(bundle, data, drop_invalid=drop_invalid), last=last)
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    _print(table, as_json, as_csv)


def _print(table, as_json: bool, as_csv: bool) -> None:
    if as_csv:
        typer.echo(table.to_csv(index=False, float_format="%.6f"), nl=False)
    elif as_json:
        print_json(table.to_dict(orient="records"))
    else:
        stdout.print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
