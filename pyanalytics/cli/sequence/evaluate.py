"""`pyanalytics sequence evaluate`: a sequence bundle on every window of a labelled CSV, beside its saved baselines."""

from pyanalytics.cli.common import BundleOption, JsonOption, RowsOption, domain_bundle


def evaluate(model: BundleOption, data: RowsOption, as_json: JsonOption = False) -> None:
    """Score the network, its saved baselines and (classification) persistence on every window of a CSV with the
    label (or target) column: metrics table, a forecast's MASE per horizon, and the verdict.

    The same as `pyanalytics evaluate` on a sequence bundle.
    """
    from pyanalytics.cli.evaluate import evaluate_rows

    evaluate_rows(domain_bundle(model, "sequence"), model, data, as_json)
