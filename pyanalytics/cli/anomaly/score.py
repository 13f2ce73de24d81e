"""`pyanalytics anomaly score`: score and flag each row of a CSV with a detector bundle."""

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from pyanalytics.cli.common import BundleOption, JsonOption, RowsOption, anomaly_bundle, load_rows, print_json, shown, stdout
from pyanalytics.errors import ParameterError


def score(
    model: BundleOption,
    data: RowsOption,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write every row's score and flag to this CSV (row,score,flag).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Alerts to list, highest score first.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Score each row (higher: more unusual) and flag those at or above the bundle's threshold; summarise the alerts."""
    bundle = anomaly_bundle(model)
    table = bundle.predict(load_rows(data)).reset_index()
    if out is not None:
        try:
            table.to_csv(out, index=False, float_format="%.6g")
        except OSError as error:
            reason = error.strerror or "no such folder"
            raise ParameterError(f"--out {str(out)!r}: cannot write it ({reason}); give a file in an existing, writable "
                                 "folder.") from None
    alerts = table[table["flag"] == 1].sort_values("score", ascending=False, kind="stable")
    summary = {"model": bundle.model_name, "bundle": str(model), "data": str(data), "threshold": bundle.threshold,
               "rule": bundle.metadata["threshold"]["rule"], "target": bundle.metadata["threshold"]["target"],
               "rows": len(table), "alerts": len(alerts), "alert_rate": len(alerts) / len(table) if len(table) else 0.0,
               "out": None if out is None else str(out)}
    if as_json:
        print_json({**summary, "scores": table.to_dict(orient="records")})
        return
    stdout.print(f"{shown(data)}: {summary['alerts']:,} of {summary['rows']:,} rows flagged ({summary['alert_rate']:.2%}) "
                 f"by [bold]{bundle.model_name}[/] at score >= {bundle.threshold:.4g} "
                 f"(rule {summary['rule']} {summary['target']:g}).")
    if top and len(alerts):
        listed = Table(title=f"Top {min(top, len(alerts))} alerts", title_justify="left", box=box.SIMPLE_HEAD)
        listed.add_column("row", justify="right")
        listed.add_column("score", justify="right")
        for row in alerts.head(top).itertuples():
            listed.add_row(str(row.row), f"{row.score:.4g}")
        stdout.print(listed)
    if out is not None:
        stdout.print(f"Scores written to {shown(out)}")
