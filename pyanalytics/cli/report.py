"""`pyanalytics report`: one self-contained HTML page on a bundle: performance and explanations."""

from pathlib import Path
from typing import Annotated

import typer

from pyanalytics.cli.common import BundleOption, DataOption, DropInvalidOption, load_bundle_data, load_rows, progress_bar, refuse_own_commands, shown, stdout


def report(
    model: BundleOption,
    data: DataOption,
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")],
    last: Annotated[int, typer.Option("--last", min=1, help="Explain the most recent N dates (a tabular bundle: the last N rows).")] = 5,
    drop_invalid: DropInvalidOption = False,
) -> None:
    """Write an HTML report: metrics beside baselines, ROC, costs, LIME and SHAP explanations.

    For a tabular bundle, --data is a CSV of labelled rows (with the response column): the report
    shows the task's metrics beside the baselines, its charts, the training curves and the last
    rows explained.
    """
    from pyanalytics.bundle import load_bundle
    from pyanalytics.domains import is_tabular
    from pyanalytics.explain import explain, with_lime_stability
    from pyanalytics.reports import write_report, write_tabular_report

    bundle = load_bundle(model)
    refuse_own_commands(bundle, "report")
    tabular = is_tabular(bundle)
    rows = load_rows(data) if tabular else load_bundle_data(bundle, data, drop_invalid=drop_invalid)
    explanations = {}
    for method in ("shap", "lime"):
        with progress_bar(f"explaining with {method}") as update:
            explanations[method] = explain(bundle, rows, method=method, last=last, on_case=update)
    if tabular:
        path = write_tabular_report(out, bundle, rows, data_label=data.name, explanations=explanations, cases=last)
    else:
        explanations["lime"] = with_lime_stability(explanations["lime"], bundle, rows)
        path = write_report(out, bundle, prices=rows, explanations=explanations, cases=last)
    stdout.print(f"Report written to {shown(path)}")
