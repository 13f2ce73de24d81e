"""Dataset: features and labels aligned on dates, ready for leakage-safe splits."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pyanalytics.finance.extra_features import first_complete_row
from pyanalytics.finance.features.indicators import compute_features
from pyanalytics.finance.features.labels import (
    check_dead_zone,
    check_horizon,
    direction_labels,
    forward_returns,
)
from pyanalytics.finance.features.spec import FeatureSpec
from pyanalytics.finance.prices import require_rows


@dataclass(frozen=True, eq=False)
class Dataset:
    """Features, labels and forward returns on the same dates (warm-up rows dropped).

    Rows whose label is unknown (the last ``horizon`` rows, and dead-zone rows) stay in ``X`` so
    they can be predicted; training uses only the rows in ``labelled``.

    Attributes:
        X: features, index ``date``, no NaN.
        y: direction labels (1.0 up, 0.0 down), NaN where unknown.
        forward_return: the simple return from each date to ``horizon`` rows later.
        spec: the feature spec that produced ``X``.
        horizon: rows ahead the labels look.
        dead_zone: returns within ``±dead_zone`` are left unlabelled.
    """

    X: pd.DataFrame
    y: pd.Series
    forward_return: pd.Series
    spec: FeatureSpec
    horizon: int
    dead_zone: float

    @property
    def labelled(self) -> np.ndarray:
        """Boolean mask of the rows with a known label."""
        return self.y.notna().to_numpy()

    @property
    def n_labelled(self) -> int:
        """Number of rows with a known label."""
        return int(self.labelled.sum())


def build_dataset(
    prices: pd.DataFrame,
    spec: FeatureSpec = FeatureSpec(),
    horizon: int = 1,
    dead_zone: float = 0.0,
) -> Dataset:
    """Compute features and direction labels and align them, dropping the feature warm-up.

    The warm-up is ``spec.warmup`` rows, or longer where an extra feature's column starts later
    (its leading missing values).

    Args:
        prices: a prices frame (see the Prices contract).
        spec: which features to compute; its ``price`` column also defines the labels.
        horizon: rows ahead the label looks.
        dead_zone: returns within ``±dead_zone`` get no label (NaN).

    Raises:
        ParameterError: a bad ``horizon`` or ``dead_zone``.
        DataError: too few rows for the warm-up and the horizon, or a missing column.

    Example:
        >>> from pyanalytics.finance import random_walk
        >>> build_dataset(random_walk(300, seed=0)).X.shape
        (251, 17)
    """
    horizon = check_horizon(horizon)
    dead_zone = check_dead_zone(dead_zone)
    require_rows(
        prices,
        spec.warmup + horizon + 1,
        f"the feature warm-up ({spec.warmup} rows) and horizon {horizon}",
    )
    features = compute_features(prices, spec)
    start = spec.warmup
    if spec.extra_features:
        start = max(start, first_complete_row(features[list(spec.extra_features)].to_numpy().T))
        require_rows(
            prices,
            start + horizon + 1,
            f"the warm-up ({start} rows, the extra features' leading missing values included) and horizon {horizon}",
        )
    rows = slice(start, None)
    return Dataset(
        X=features.iloc[rows].rename_axis("date"),
        y=direction_labels(prices, horizon, dead_zone, spec.price).iloc[rows].rename_axis("date"),
        forward_return=forward_returns(prices, horizon, spec.price).iloc[rows].rename_axis("date"),
        spec=spec,
        horizon=horizon,
        dead_zone=dead_zone,
    )
