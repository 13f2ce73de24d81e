"""Shared fixtures: quiet TensorFlow, real price files (skipped when absent), seeded markets."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pytest  # noqa: E402

from pyanalytics.data import load_prices, random_walk, synthetic_market  # noqa: E402
from pyanalytics.settings import price_file  # noqa: E402


@pytest.fixture(scope="session")
def aapl_path():
    """Apple's daily prices CSV from the shared data folder."""
    path = price_file("AAPL")
    if not path.is_file():
        pytest.skip(f"real Apple prices not found at {path} (set PYANALYTICS_DATA_DIR)")
    return path


@pytest.fixture(scope="session")
def aapl(aapl_path):
    return load_prices(aapl_path)


@pytest.fixture(scope="session")
def strong_market():
    """3,000 days whose next-day direction follows today's volume (strength 2)."""
    return synthetic_market(3000, signal_strength=2.0, seed=11)


@pytest.fixture(scope="session")
def walk_market():
    """5,000 days of a pure random walk: nothing is predictable."""
    return random_walk(5000, seed=12)
