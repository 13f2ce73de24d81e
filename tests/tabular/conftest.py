"""Small tabular frames with categorical and missing values, and one fitted model per task."""

import pytest
from tabular_frames import FAST, mixed_frame, responses_but

from pyanalytics.tabular import train_tabular


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
