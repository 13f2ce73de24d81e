"""With many tickers some look significant by luck: Benjamini-Hochberg keeps pure random walks out
of the discoveries, finds the tickers with a planted signal, and the best strategy is deflated."""

import pytest

from pyanalytics.finance import synthetic_market
from pyanalytics.finance.universe import walk_forward_many

pytestmark = pytest.mark.slow
SMALL = {"hidden_units": (16, 8), "epochs": 3, "patience": 2, "learning_rate": 0.005}
PLANTED = ("P0", "P1", "P2")


def universe(planted: tuple, walks: int) -> dict:
    markets = {name: synthetic_market(700, signal_strength=2.0, drift=0.0, seed=40 + i) for i, name in enumerate(planted)}
    markets.update({f"W{i}": synthetic_market(700, drift=0.0, seed=60 + i) for i in range(walks)})
    return markets


@pytest.fixture(scope="module")
def random_walks():
    return walk_forward_many(universe((), 8), folds=3, model_params=SMALL, seed=0, workers=2)


@pytest.fixture(scope="module")
def mixed():
    return walk_forward_many(universe(PLANTED, 5), folds=3, model_params=SMALL, seed=0, workers=2)


def test_no_random_walk_is_a_discovery_after_the_correction(random_walks):
    table = random_walks.significance(alpha=0.05)
    assert len(table) == 8 and not table["discovery"].any()
    assert (table["p_adjusted"] >= table["p_value"]).all() and (table["p_adjusted"] > 0.05).all()
    dsr = random_walks.deflated_sharpe()
    assert dsr["n_trials"] == 8 and dsr["dsr"] < 0.95


def test_the_planted_tickers_are_found_and_only_they(mixed):
    table = mixed.significance(alpha=0.05)
    assert set(table.index[table["discovery"]]) == set(PLANTED)
    dsr = mixed.deflated_sharpe()
    assert dsr["strategy"] in PLANTED and dsr["dsr"] > 0.95
