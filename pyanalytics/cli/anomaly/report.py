"""`pyanalytics anomaly report`: one self-contained HTML page on a detector bundle scored on labelled rows."""

from pathlib import Path
from typing import Annotated

import typer

from pyanalytics.cli.common import BundleOption, RowsOption, anomaly_bundle, load_rows, shown, stdout


def report(
    model: BundleOption,
    data: RowsOption,
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")],
) -> None:
    """Write an HTML report of a detector bundle on the labelled rows of a CSV: verdict, metrics beside the
    baselines, scores per class, PR curves, the threshold curve and the top alerts' per-feature errors.

    `pyanalytics anomaly train --report HTML` reports a fresh detector on its own test part instead.
    """
    from pyanalytics.anomaly.report import write_anomaly_report
    path = write_anomaly_report(out, anomaly_bundle(model), load_rows(data), data_label=data.name)
    stdout.print(f"Report written to {shown(path)}")
