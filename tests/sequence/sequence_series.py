"""Planted-signal series for the sequence-domain tests (a module of its own name: ``conftest`` is
not importable by name when several test folders have one)."""

import numpy as np
import pandas as pd

from pyanalytics.data.synthetic_series import seasonal_ar

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


def shapes_panel(n: int = 120, steps: int = 20, seed: int = 0) -> pd.DataFrame:
    """Three classes of series: a rising ramp, a falling ramp and a bump, in noise (long format)."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, steps)
    shapes = [t, 1 - t, np.exp(-((t - 0.5) ** 2) / 0.02)]
    rows = []
    for i in range(n):
        label = ["up", "down", "bump"][i % 3]
        values = shapes[i % 3] + rng.normal(scale=0.2, size=steps)
        rows += [{"id": f"s{i:03d}", "step": s, "x": v, "label": label} for s, v in enumerate(values)]
    return pd.DataFrame(rows)
