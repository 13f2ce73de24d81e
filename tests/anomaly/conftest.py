"""Planted anomaly data and one small trained detector shared by the anomaly tests."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.anomaly import train_anomaly

SMALL = {"hidden_units": (8,), "code_size": 2, "epochs": 20, "batch_size": 32}


def planted_frame(n: int = 600, anomalies: int = 40, seed: int = 0) -> pd.DataFrame:
    """Normal rows on a 2-D plane inside five columns, anomalies pushed off it; ``y`` labels them."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, 2))
    X = np.c_[z, z @ [[1.0, 0.5], [0.3, -1.0]], 2 * z[:, 0] - z[:, 1]] + rng.normal(scale=0.05, size=(n, 5))
    X[-anomalies:, 2:] += rng.choice([-3.0, 3.0], size=(anomalies, 3))
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d", "e"])
    frame["amount"] = rng.uniform(1, 100, size=n)
    frame["y"] = np.r_[np.zeros(n - anomalies), np.ones(anomalies)].astype(int)
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


@pytest.fixture(scope="session")
def planted():
    return planted_frame()


@pytest.fixture(scope="session")
def planted_result(planted):
    return train_anomaly(planted, label="y", amount_column="amount", seed=0, **SMALL)
