"""Fixtures of the report tests: one small trained model and hand-made explanations."""

import pytest

from report_fakes import SMALL, make_explanations


@pytest.fixture(scope="session")
def report_market():
    from pyanalytics.finance import synthetic_market

    return synthetic_market(800, signal_strength=2.0, seed=3)


@pytest.fixture(scope="session")
def report_result(report_market):
    """A small DNN trained for a few epochs with a cost ratio of 3 (so the cost curve shows)."""
    from pyanalytics.finance.training import train_direction_model

    return train_direction_model(report_market, seed=0, cost_fp=3.0, tune_threshold=True, model_params=SMALL)


@pytest.fixture(scope="session")
def explanations(report_result):
    return make_explanations(report_result)
