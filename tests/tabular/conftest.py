"""Small tabular frames with categorical and missing values, and one fitted model per task."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.tabular import train_tabular

FAST = {"hidden_units": (8,), "epochs": 40, "patience": 5, "learning_rate": 1e-2}


def mixed_frame(n: int = 240, seed: int = 0) -> pd.DataFrame:
    """Numeric, categorical and boolean columns with missing values, an id column and three responses."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "id": np.arange(1000, 1000 + n),
        "x": rng.normal(size=n),
        "colour": rng.choice(["red", "green", "blue"], n),
        "flag": rng.choice([True, False], n),
    })
    signal = frame["x"] + (frame["colour"] == "red") * 1.5
    frame["label"] = np.where(signal > 0.5, "yes", "no")
    frame["kind"] = np.select([signal < 0, signal < 1.2], ["low", "mid"], "high")
    frame["amount"] = 3.0 * signal + rng.normal(scale=0.2, size=n)
    frame.loc[::9, "x"] = np.nan
    frame.loc[::7, "colour"] = None
    return frame


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
