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


# Small, fast networks for the tests that train: each is trained once per session and shared.
SMALL_DNN = {"hidden_units": (16, 8), "batch_size": 64}


@pytest.fixture(scope="session")
def strong_result(strong_market):
    """A small DNN and the baselines trained (seeded) on the strong-signal market."""
    from pyanalytics.training import train_direction_model

    return train_direction_model(
        strong_market, seed=0, model_params={**SMALL_DNN, "epochs": 15, "patience": 3}
    )


@pytest.fixture(scope="session")
def walk_result(walk_market):
    """A small DNN trained (seeded) on the random walk with a tiny early-stopping patience."""
    from pyanalytics.training import train_direction_model

    return train_direction_model(
        walk_market, seed=0, model_params={**SMALL_DNN, "epochs": 20, "patience": 1}
    )


@pytest.fixture(scope="session")
def strong_bundle_dir(strong_result, tmp_path_factory):
    """``strong_result`` saved as a bundle (treat as read-only; copy it to change it)."""
    return strong_result.save(tmp_path_factory.mktemp("bundles") / "strong")
