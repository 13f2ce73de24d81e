"""Read a tabular data set: any pandas frame or CSV file with a named target column.

``read_tabular`` separates the response from the feature columns and settles the task. Rows with
a missing response are dropped with a note naming how many and the first of them (they cannot be
learned from or scored, and the rest of the rows are still good); every other problem with the
response is refused (see :func:`pyanalytics.data.target.infer_task`). A CSV's rows are labelled
1, 2, ... as its data rows, so errors and notes name a row the user can find in the file. The
features are then prepared by :class:`pyanalytics.data.preprocess.TabularPreprocessor`, fitted
on the training part only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.data.columns import row_label
from pyanalytics.data.target import infer_task
from pyanalytics.errors import DataError, ParameterError


@dataclass(frozen=True)
class TabularData:
    """Feature columns, the response, the task and notes about what reading changed."""

    features: pd.DataFrame
    target: pd.Series
    task: str
    notes: tuple[str, ...] = ()


def read_tabular(source, target: str, *, task: str = "auto") -> TabularData:
    """A frame or CSV split into features and the ``target`` column, with its task.

    Args:
        source: a pandas DataFrame, or the path of a CSV file.
        target: the name of the response column.
        task: ``auto``, ``binary``, ``multiclass`` or ``regression``.

    Raises:
        DataError: an unreadable file, a missing target column, or a response that cannot make
            the task (one class, a non-numeric regression target, no rows left).

    Example:
        >>> data = read_tabular(pd.DataFrame({"x": [1, 2, 3, 4], "y": ["a", "b", "a", None]}), "y")
        >>> data.task, len(data.features), data.notes
        ('binary', 3, ("target 'y': 1 row(s) with a missing value dropped (first: row 3).",))
    """
    frame, label = read_frame(source)
    if not isinstance(target, str) or target not in frame.columns:
        shown = ", ".join(map(str, frame.columns[:20])) + (", ..." if len(frame.columns) > 20 else "")
        raise DataError(f"target {target!r}: no such column in {label}; its columns are {shown}. Name one of them.")
    missing = frame[target].isna().to_numpy()
    notes = ()
    if missing.any():
        notes = (
            f"target {target!r}: {int(missing.sum())} row(s) with a missing value dropped "
            f"(first: row {row_label(frame.index, int(np.flatnonzero(missing)[0]))}).",
        )
        frame = frame[~missing]
    response = frame[target]
    return TabularData(frame.drop(columns=[target]), response, infer_task(response, task), notes)


def read_frame(source) -> tuple[pd.DataFrame, str]:
    """The frame and a label for messages (the file name, or 'the frame')."""
    if isinstance(source, pd.DataFrame):
        return source, "the frame"
    if not isinstance(source, (str, os.PathLike)):
        raise ParameterError(f"source: expected a pandas DataFrame or a CSV path, got {type(source).__name__}.")
    path = Path(source)
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file; check the path.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: not a readable CSV file ({str(error).splitlines()[0]}); save it as CSV.") from None
    if frame.index.equals(pd.RangeIndex(len(frame))):  # no row ids in the file: number rows from 1, as a spreadsheet does
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    else:  # a header one name short of the rows: pandas read the first field as row ids; keep them
        frame.index.name = "row"
    return frame, path.name
