"""`pyanalytics anomaly evaluate`: a detector bundle on labelled rows, beside its saved baselines."""

from pathlib import Path

from pyanalytics.cli.common import BundleOption, JsonOption, RowsOption, anomaly_bundle


def evaluate(model: BundleOption, data: RowsOption, as_json: JsonOption = False) -> None:
    """Score the detector and its saved baselines on the labelled rows of a CSV: metrics table and verdict.

    The same as `pyanalytics evaluate` on an anomaly bundle.
    """
    from pyanalytics.cli.evaluate import evaluate_rows

    evaluate_rows(anomaly_bundle(model), model, data, as_json)


def anomaly_notes(bundle, data: Path) -> list[str]:
    """What an evaluation of an anomaly bundle on ``data`` cannot show by itself.

    IsolationForest is not saved in bundles (its trees have no JSON form), so the verdict leaves it
    out: its headline on the training-time test part is quoted beside the detector's. Rows of the
    very file the detector was trained on include its training and validation rows.
    """
    from pyanalytics.reports.html import training_file_caution
    from pyanalytics.tasks import TASKS

    headline = TASKS["anomaly"].headline
    tested = bundle.metadata["metrics"]["test"]
    notes = [
        f"{name} is not saved in bundles, so this verdict leaves it out; on the training-time test part its "
        f"{headline} was {tested[name][headline]:.3f} ({bundle.model_name}: {tested[bundle.model_name][headline]:.3f})."
        for name in tested if name not in (bundle.model_name, *bundle.baselines)
    ]
    caution = training_file_caution(Path(data).name, bundle.metadata["data"]["name"])
    return notes if caution is None else [*notes, caution]
