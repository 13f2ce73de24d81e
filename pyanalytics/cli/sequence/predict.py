"""`pyanalytics sequence predict`: each window's classes or forecasts from a sequence bundle and a CSV."""

from pyanalytics.cli.common import BundleOption, JsonOption, RowsOption, domain_bundle
from pyanalytics.cli.predict import CsvOption, LastOption, check_one_format, predict_rows


def predict(model: BundleOption, data: RowsOption, last: LastOption = None, as_json: JsonOption = False,
            as_csv: CsvOption = False) -> None:
    """Classify or forecast from every window of a series (by the time each ends at); --last 1 forecasts from now.

    The same as `pyanalytics predict` on a sequence bundle.
    """
    check_one_format(as_json, as_csv)
    predict_rows(domain_bundle(model, "sequence"), data, last, as_json, as_csv)
