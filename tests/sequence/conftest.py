"""Planted-signal series and small trained sequence models shared by the sequence-domain tests."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.data.synthetic_series import seasonal_ar
from pyanalytics.sequence import train_forecaster, train_sequence_classifier

SMALL = {"units": (8,), "epochs": 8, "batch_size": 32, "patience": 3}


def seasonal_frame(n: int = 600, period: int = 12, seed: int = 0) -> pd.DataFrame:
    """A series with a planted season of ``period`` steps and AR(1) noise, on an hourly time column."""
    value = seasonal_ar(n, period=period, phi=0.6, noise=0.3, seed=seed)
    return pd.DataFrame({"time": pd.date_range("2024-01-01", periods=n, freq="h"), "value": value})


def switching_frame(n: int = 900, seed: int = 0) -> pd.DataFrame:
    """A room whose light and CO2 follow an occupied/empty state that switches now and then."""
    rng = np.random.default_rng(seed)
    state = np.zeros(n, dtype=int)
    for t in range(1, n):
        state[t] = 1 - state[t - 1] if rng.random() < 0.03 else state[t - 1]
    return pd.DataFrame({
        "date": pd.date_range("2024-01-01", periods=n, freq="min"),
        "light": 400 * state + rng.normal(scale=60, size=n),
        "co2": 500 + 150 * state + rng.normal(scale=40, size=n),
        "occupied": state,
    })


@pytest.fixture(scope="session")
def seasonal():
    return seasonal_frame()


@pytest.fixture(scope="session")
def forecast_result(seasonal):
    return train_forecaster(seasonal, "value", time_column="time", window=24, horizon=6, period=12, seed=0,
                            **{**SMALL, "epochs": 30, "learning_rate": 1e-2})


@pytest.fixture(scope="session")
def switching():
    return switching_frame()


@pytest.fixture(scope="session")
def classifier_result(switching):
    return train_sequence_classifier(switching, "occupied", time_column="date", window=10, seed=0, **SMALL)
