"""Reading the columns the features and labels need from a prices frame."""

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError


def column_array(prices: pd.DataFrame, column: str, needed_by: str, remedy: str) -> np.ndarray:
    """Return ``prices[column]`` as a contiguous float64 array.

    Args:
        prices: a prices frame.
        column: the column to read.
        needed_by: what needs the column, for the error message.
        remedy: what the user can do when the column is missing.

    Raises:
        DataError: ``prices`` is not a DataFrame or has no such column.
    """
    if not isinstance(prices, pd.DataFrame):
        raise DataError(
            f"prices: expected a pandas DataFrame, got {type(prices).__name__}; "
            "load prices with pyanalytics.finance.load_prices."
        )
    if column not in prices.columns:
        raise DataError(
            f"prices: no {column!r} column, but {needed_by} needs it "
            f"(columns found: {list(prices.columns)}); {remedy}."
        )
    return np.ascontiguousarray(prices[column].to_numpy(dtype=np.float64))
