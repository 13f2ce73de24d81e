"""Which prices a bundle learned from, and whether prices evaluated later are the same data.

A bundle stores the name of its training data (the file name, or a name the caller gives) and a
fingerprint: the values of the columns its features read at up to ``FINGERPRINT_DATES`` dates
spread evenly over the training prices. Prices evaluated later are compared on the fingerprint
dates they contain: all equal means the training data; any difference means another instrument
or revised data (a split or dividend adjustment changes past prices); no date in common means it
cannot be told. Bundles saved before fingerprints existed cannot tell either.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

FINGERPRINT_DATES = 256
SAME, OTHER, UNKNOWN = "training data", "another instrument or revised data", "cannot tell"


def fingerprint(prices: pd.DataFrame, columns) -> dict:
    """The values of ``columns`` at up to ``FINGERPRINT_DATES`` dates spread over ``prices``."""
    positions = np.unique(np.linspace(0, len(prices) - 1, min(FINGERPRINT_DATES, len(prices))).round().astype(int))
    rows = prices.iloc[positions]
    return {
        "columns": list(columns),
        "dates": [day.date().isoformat() for day in rows.index],
        "values": rows[list(columns)].to_numpy(dtype=np.float64).tolist(),
    }


@dataclass(frozen=True)
class DataMatch:
    """Whether evaluated prices are the bundle's training data.

    Attributes:
        verdict: ``SAME`` ("training data"), ``OTHER`` ("another instrument or revised data")
            or ``UNKNOWN`` ("cannot tell").
        training_data: the name of the training data, if the bundle stores one.
        compared: fingerprint dates found in the evaluated prices.
        differing: how many of those hold other values.
        reason: for ``UNKNOWN``, why.
    """

    verdict: str
    training_data: str | None
    compared: int = 0
    differing: int = 0
    reason: str | None = None

    def describe(self) -> str:
        """One line for people, e.g. "another instrument or revised data (12 of 40 dates differ ...)"."""
        name = f" {self.training_data!r}" if self.training_data else ""
        if self.verdict == SAME:
            return f"the training data{name} ({self.compared} fingerprint dates match)"
        if self.verdict == OTHER:
            return (
                f"another instrument or revised data ({self.differing} of {self.compared} fingerprint "
                f"dates differ from the training data{name})"
            )
        return f"cannot tell whether this is the training data{name} ({self.reason})"

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "training_data": self.training_data,
            "compared_dates": self.compared,
            "differing_dates": self.differing,
            "description": self.describe(),
        }


def match(data: dict, prices: pd.DataFrame) -> DataMatch:
    """Compare ``prices`` with the ``data`` section of a bundle's metadata."""
    name = data.get("name")
    stored = data.get("fingerprint")
    if stored is None:
        return DataMatch(UNKNOWN, name, reason="the bundle was saved without a fingerprint of its data")
    columns = [c for c in stored["columns"] if c in prices.columns]
    dates = pd.DatetimeIndex(pd.to_datetime(stored["dates"]))
    present = dates.isin(prices.index)
    if not columns or not present.any():
        return DataMatch(UNKNOWN, name, reason="no overlapping dates")
    expected = np.asarray(stored["values"], dtype=np.float64)[present][:, [stored["columns"].index(c) for c in columns]]
    found = prices.loc[dates[present], columns].to_numpy(dtype=np.float64)
    differing = int((~np.isclose(found, expected, rtol=1e-9, atol=0.0)).any(axis=1).sum())
    return DataMatch(SAME if differing == 0 else OTHER, name, int(present.sum()), differing)
