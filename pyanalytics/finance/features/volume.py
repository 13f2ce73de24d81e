"""Whether the volume can feed the volume feature.

Over a stretch where the volume does not change (zero before an index reported volume, or a
constant filler) the z-score of ``log1p(volume)`` is 0 by construction, and it jumps when real
volume appears: the model would learn from an artefact. Such prices train without the volume
feature, and the spec, saved in the bundle, records that so predictions stay consistent.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from pyanalytics.errors import DataWarning
from pyanalytics.finance.features.spec import FeatureSpec


def flat_stretches(volume: np.ndarray, window: int) -> list[tuple[int, int]]:
    """``(start, stop)`` row ranges where ``volume`` holds one value for ``window`` rows or more."""
    if len(volume) == 0:
        return []
    starts = np.flatnonzero(np.r_[True, volume[1:] != volume[:-1]])
    stops = np.r_[starts[1:], len(volume)]
    return [(int(a), int(b)) for a, b in zip(starts, stops) if b - a >= window]


def default_spec(prices: pd.DataFrame) -> FeatureSpec:
    """``FeatureSpec()``, without the volume feature when the volume is flat over a window.

    Warns:
        DataWarning: the volume feature is left out, naming the longest flat stretch.
    """
    spec = FeatureSpec()
    if "volume" not in prices.columns:
        return spec
    volume = prices["volume"].to_numpy(dtype=np.float64)
    stretches = flat_stretches(volume, spec.volume_window)
    if not stretches:
        return spec
    warnings.warn(_message(prices.index, volume, stretches, spec), DataWarning, stacklevel=3)
    return FeatureSpec(volume_window=None)


def _message(dates: pd.DatetimeIndex, volume: np.ndarray, stretches, spec: FeatureSpec) -> str:
    feature = f"volume_z_{spec.volume_window}"
    start, stop = max(stretches, key=lambda s: s[1] - s[0])
    value = f"{volume[start]:,.0f}"
    if stop - start == len(volume):
        where = f"volume is {value} on all {len(volume):,} rows"
        remedy = "Supply real volume to use it."
    else:
        where = (
            f"volume stays constant for {spec.volume_window} days or more in {len(stretches):,} "
            f"stretch(es), the longest {dates[start]:%Y-%m-%d} .. {dates[stop - 1]:%Y-%m-%d} "
            f"({stop - start:,} days at {value})"
        )
        last = stretches[-1][1] - 1
        remedy = f"To keep it, start the prices after {dates[last]:%Y-%m-%d}."
    return (
        f"prices: {where}; its z-score {feature} would be flat there and jump after, so this "
        f"model leaves the volume feature out (the saved spec records it). {remedy}"
    )
