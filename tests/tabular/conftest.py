"""Small tabular frames with categorical and missing values, and one fitted model per task."""

import pandas as pd
import pytest
from tabular_frames import mixed_frame

from pyanalytics.tabular import train_tabular

FAST = {"hidden_units": (8,), "epochs": 40, "patience": 5, "learning_rate": 1e-2}


def responses_but(frame: pd.DataFrame, target: str) -> pd.DataFrame:
    return frame.drop(columns=[c for c in ("label", "kind", "amount") if c != target])


@pytest.fixture(scope="session")
def mixed():
    return mixed_frame()


@pytest.fixture(scope="session")
def fitted(mixed):
    """``fitted(target)``: a small seeded network trained on ``mixed`` for that response, once per session."""
    cache = {}

    def fit(target):
        if target not in cache:
            cache[target] = train_tabular(responses_but(mixed, target), target, seed=0, **FAST)
        return cache[target]

    return fit
