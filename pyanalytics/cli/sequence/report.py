"""`pyanalytics sequence report`: one self-contained HTML page on a sequence bundle scored on labelled series."""

from pathlib import Path
from typing import Annotated

import typer

from pyanalytics.cli.common import BundleOption, RowsOption, domain_bundle, load_rows, progress_bar, shown, stdout

EXPLAINED = 3  # windows explained per method for the report's importance section (a forecaster: 1, each horizon by kernel SHAP)


def report(
    model: BundleOption,
    data: RowsOption,
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")],
    explain: Annotated[
        bool, typer.Option("--explain/--no-explain", help=f"Add SHAP and LIME importance on the last {EXPLAINED} windows "
                           "(a forecaster's last window: kernel SHAP per horizon costs seconds each).")
    ] = True,
) -> None:
    """Write an HTML report of a sequence bundle on a labelled series: verdict, metrics beside the baselines,
    the confusion matrix and probability over time, or forecasts with their band and errors per horizon.

    `pyanalytics sequence classify/forecast --report HTML` reports a fresh model on its own test sets instead.
    """
    bundle = domain_bundle(model, "sequence")
    frame = load_rows(data)
    path = write_report(out, bundle, {Path(data).stem: frame}, frame if explain else False)
    stdout.print(f"Report written to {shown(path)}")


def write_report(out: Path, model, data, explained) -> Path:
    """Write the sequence report of ``model`` (a result, or a bundle on ``data``), with SHAP and LIME on the last
    windows of ``explained`` (a frame; None for a result's first test set, False for none)."""
    from pyanalytics.sequence.explain import explain_sequences
    from pyanalytics.sequence.report import write_sequence_report

    explanations = {}
    if explained is not False:
        windows = 1 if model.preprocessing.task == "forecasting" else EXPLAINED
        for method in ("shap", "lime"):
            with progress_bar(f"explaining with {method}") as update:
                explanations[method] = explain_sequences(model, explained, method=method, n=windows, on_case=update)
    return write_sequence_report(model, out, data=data, explanations=explanations or None)
