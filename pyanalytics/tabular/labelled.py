"""The labelled rows of a frame, ready to score: what evaluation and the report of a tabular model read."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError


@dataclass(frozen=True)
class LabelledRows:
    """The rows of a frame that hold a response, as the network reads them.

    Attributes:
        X: the network's inputs, indexed by the frame's row labels.
        y: the response as the model's codes (classes 0..k-1) or numbers (regression).
        labels: the response in its own labels, indexed like ``X``.
    """

    X: pd.DataFrame
    y: np.ndarray
    labels: pd.Series


def labelled_rows(preprocessing, frame: pd.DataFrame) -> LabelledRows:
    """The rows of ``frame`` with a response value, through a tabular model's ``preprocessing``.

    Raises:
        DataError: ``frame`` lacks the response column or has no labelled row, or holds a class
            the model never saw.
    """
    target = preprocessing.encoder.name_
    if target not in frame.columns:
        raise DataError(
            f"target {target!r}: no such column in the frame; evaluation needs the response the "
            "model was trained on."
        )
    labelled = frame[frame[target].notna()]
    if labelled.empty:
        raise DataError(f"target {target!r}: no row has a value; evaluation needs labelled rows.")
    return LabelledRows(preprocessing.features(labelled), preprocessing.encoder.encode(labelled[target]),
                        labelled[target])
