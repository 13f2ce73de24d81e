"""`pyanalytics evaluate`: score a saved model and its baselines on prices it has not seen."""

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from pyanalytics.cli.common import (
    BundleOption,
    DataOption,
    DropInvalidOption,
    JsonOption,
    load_bundle_data,
    load_rows,
    metrics_table,
    print_json,
    reads_rows,
    shown,
    stderr,
    stdout,
    task_table,
)


def evaluate(
    model: BundleOption,
    data: DataOption,
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d"],
            help="First date to score (default: the start of the bundle's own test part).",
        ),
    ] = None,
    drop_invalid: DropInvalidOption = False,
    as_json: JsonOption = False,
) -> None:
    """Evaluate a bundle on labelled dates from --since on, next to its saved baselines (a tabular,
    anomaly or sequence bundle: on the labelled rows of a CSV; a sequence bundle on every window)."""
    from pyanalytics.bundle import load_bundle
    from pyanalytics.evaluation.verdict import verdict

    bundle = load_bundle(model)
    if reads_rows(bundle):
        evaluate_rows(bundle, model, data, as_json)
        return
    prices = load_bundle_data(bundle, data, drop_invalid=drop_invalid)
    metrics = bundle.evaluate(prices, since=since)
    data_match = bundle.data_match(prices)
    first = since.date().isoformat() if since else bundle.metadata["out_of_sample_from"]
    out_of_sample = first >= bundle.metadata["out_of_sample_from"]
    if not out_of_sample:
        stderr.print(
            f"note: --since {first} is before the model's test part ({bundle.metadata['out_of_sample_from']}); "
            "these figures include dates it learned from (if the data is the training data)."
        )
    if as_json:
        print_json(
            {
                "model": bundle.model_name,
                "bundle": str(model),
                "horizon": bundle.preprocessing.horizon,
                "since": first,
                "out_of_sample": out_of_sample,
                "data": data_match.to_dict(),
                "metrics": {"test": metrics[bundle.model_name]},
                "baselines": {k: v for k, v in metrics.items() if k != bundle.model_name},
                "verdict": verdict(metrics, bundle.model_name).to_dict(),
            }
        )
        return
    title = f"{shown(data)}: labelled dates from {first} ({metrics[bundle.model_name]['n']:,} rows)"
    stdout.print(metrics_table(metrics, bundle.model_name, title))
    stdout.print(verdict(metrics, bundle.model_name).sentence)
    stdout.print(f"Evaluated prices: {shown(data_match.describe())}.")


def evaluate_rows(bundle, model, data, as_json: bool) -> None:
    """A tabular, anomaly or sequence bundle on the labelled rows of a CSV, beside its saved baselines (an anomaly
    bundle adds its notes: see ``pyanalytics.cli.anomaly.evaluate.anomaly_notes``; a sequence bundle scored on
    its own training file, that the figures include the windows it learned from)."""
    from pyanalytics.cli.anomaly.evaluate import anomaly_notes
    from pyanalytics.domains import domain_of
    from pyanalytics.reports.html import training_file_caution

    result = bundle.evaluate(load_rows(data))
    metrics = result.metrics
    sequence = domain_of(bundle) == "sequence"
    notes = anomaly_notes(bundle, data) if bundle.task == "anomaly" else None
    if sequence:
        caution = training_file_caution(Path(data).name, bundle.metadata["data"]["name"])
        notes = [] if caution is None else [caution]
    if as_json:
        print_json({"model": bundle.model_name, "task": bundle.task, "bundle": str(model),
                    "metrics": {"test": metrics[bundle.model_name]},
                    "baselines": {k: v for k, v in metrics.items() if k != bundle.model_name},
                    "verdict": result.verdict.to_dict(), **({} if notes is None else {"notes": notes})})
        return
    unit = "windows" if sequence else "rows"
    stdout.print(task_table(result.table(), f"{shown(data)}: {metrics[bundle.model_name]['n']:,} labelled {unit}"))
    if bundle.task == "forecasting":
        from pyanalytics.cli.sequence.common import horizon_table

        stdout.print(horizon_table(metrics, "mase"))
    stdout.print(result.verdict.sentence)
    for note in notes or ():
        stderr.print(f"note: {shown(note)}")
