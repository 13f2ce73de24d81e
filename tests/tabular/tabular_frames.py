"""A small tabular frame with categorical and missing values, for the tabular tests."""

import numpy as np
import pandas as pd

FAST = {"hidden_units": (8,), "epochs": 40, "patience": 5, "learning_rate": 1e-2}


def responses_but(frame: pd.DataFrame, target: str) -> pd.DataFrame:
    """``frame`` with ``target`` as its only response column."""
    return frame.drop(columns=[c for c in ("label", "kind", "amount") if c != target])


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
