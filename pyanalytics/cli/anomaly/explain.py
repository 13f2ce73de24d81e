"""`pyanalytics anomaly explain`: why rows were flagged: each field's reconstruction error and SHAP on
the anomaly score, in the tidy explanation frame."""

from typing import Annotated

import typer

from pyanalytics.cli.common import BundleOption, JsonOption, RowsOption, anomaly_bundle, load_rows, print_json, progress_bar
from pyanalytics.cli.explain import parse_rows, render_cases

TOP_ALERTS = 5


def explain(
    model: BundleOption,
    data: RowsOption,
    rows: Annotated[
        str | None, typer.Option("--rows", help="Explain these rows of the CSV (3,17; the first data row is 1) "
                                 "instead of the flagged ones.", show_default=False)
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", min=1, help=f"Only the K highest-scoring of those rows (default: {TOP_ALERTS} "
                                 "flagged rows; every row of --rows).", metavar="K", show_default=False)
    ] = None,
    method: Annotated[
        list[str] | None, typer.Option("--method", help="reconstruction (each field's squared error) or shap (its push "
                                       "on the score); repeat for both (default: both).", show_default=False)
    ] = None,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the tidy frame as CSV.")] = False,
) -> None:
    """Explain the alerts of a detector bundle on a CSV: the fields it could not rebuild and how much each moved the score."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv, not both.", param_hint="--json/--csv")
    from pyanalytics.anomaly.explain import METHODS, explain_anomalies

    bundle = anomaly_bundle(model)
    chosen = parse_rows(rows)
    top = top if top is not None or chosen is not None else TOP_ALERTS
    with progress_bar("explaining with shap", not (as_json or as_csv)) as update:
        explanation = explain_anomalies(bundle, load_rows(data), rows=chosen, top=top, methods=tuple(method or METHODS),
                                        on_case=update)
    frame = explanation.to_frame()
    if as_csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    elif as_json:
        print_json(frame.to_dict(orient="records"))
    else:
        for result in explanation.results.values():
            render_cases(result)
