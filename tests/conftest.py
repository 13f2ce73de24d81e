"""Shared fixtures: quiet TensorFlow, real price files (skipped when absent), seeded markets."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pytest  # noqa: E402

from pyanalytics.finance import load_prices, random_walk, synthetic_market  # noqa: E402
from pyanalytics.settings import data_dir  # noqa: E402


@pytest.fixture(scope="session")
def shared_data():
    """``shared_data("prices/AAPL.csv")``: a path in the shared real-data folder, or a skip saying the test needs it."""

    def path_of(relative: str):
        path = data_dir() / relative
        if not path.exists():
            pytest.skip(f"needs the shared real data (../shared/data beside the project, or $PYANALYTICS_DATA_DIR): "
                        f"{path} not found")
        return path

    return path_of


@pytest.fixture(scope="session")
def aapl_path(shared_data):
    """Apple's daily prices CSV from the shared data folder."""
    return shared_data("prices/AAPL.csv")


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
    from pyanalytics.finance.training import train_direction_model

    return train_direction_model(
        strong_market, seed=0, model_params={**SMALL_DNN, "epochs": 15, "patience": 3}
    )


@pytest.fixture(scope="session")
def walk_result(walk_market):
    """A small DNN trained (seeded) on the random walk with a tiny early-stopping patience."""
    from pyanalytics.finance.training import train_direction_model

    return train_direction_model(
        walk_market, seed=0, model_params={**SMALL_DNN, "epochs": 20, "patience": 1}
    )


@pytest.fixture(scope="session")
def walk_forward_results():
    """Walk-forward runs of a small DNN on two synthetic tickers, the first with SHAP per fold."""
    from pyanalytics.finance import synthetic_market
    from pyanalytics.finance.universe_result import MultiWalkForwardResult
    from pyanalytics.finance.walk_forward import walk_forward

    options = {"folds": 2, "seed": 0, "model_params": {**SMALL_DNN, "epochs": 4, "patience": 2}}
    return MultiWalkForwardResult({
        "<script>alert(1)</script>": walk_forward(synthetic_market(900, signal_strength=2.0, seed=3), explain=True,
                                                  **options),
        "MSFT & co": walk_forward(synthetic_market(800, signal_strength=0.5, seed=4, start="2000-03-01"), **options),
    })


@pytest.fixture(scope="session")
def strong_bundle_dir(strong_result, tmp_path_factory):
    """``strong_result`` saved as a bundle (treat as read-only; copy it to change it)."""
    return strong_result.save(tmp_path_factory.mktemp("bundles") / "strong")
