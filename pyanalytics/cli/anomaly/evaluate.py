"""`pyanalytics anomaly evaluate`: a detector bundle on labelled rows, beside its saved baselines."""

from pyanalytics.cli.common import BundleOption, JsonOption, RowsOption, stderr
from pyanalytics.cli.evaluate import evaluate_rows


def evaluate(model: BundleOption, data: RowsOption, as_json: JsonOption = False) -> None:
    """Score the detector and its saved baselines on the labelled rows of a CSV: metrics table and verdict.

    IsolationForest is not saved in bundles (no JSON form of its trees): its training-time test
    metrics stay in the bundle's metadata.json, and the verdict here is on the saved baselines.
    """
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(model)
    evaluate_rows(bundle, model, data, as_json)
    unsaved = sorted(set(bundle.metadata["metrics"]["test"]) - {bundle.model_name, *bundle.baselines})
    if unsaved and not as_json:
        stderr.print(f"note: {', '.join(unsaved)} is not saved in bundles, so this verdict leaves it out; its "
                     "training-time test metrics are in the bundle's metadata.json.")
