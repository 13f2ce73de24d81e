"""Models with a known answer: only ``volume_z_20`` carries the signal of the synthetic market.

Each model is trained once per session and shared by every explain test; the explanations the
tests compare are computed once per session too.
"""

import pytest
from signal_models import DNN_PARAMS, LIME_SAMPLES, LSTM_PARAMS, LSTM_WINDOW, MARKET, RANKED_CASES

from pyanalytics.finance import synthetic_market


@pytest.fixture(scope="session")
def signal_prices():
    market = dict(MARKET)
    return synthetic_market(market.pop("n_days"), **market)


@pytest.fixture(scope="session")
def signal_dnn(signal_prices):
    from pyanalytics.finance.training import train_direction_model

    return train_direction_model(signal_prices, model="dnn", seed=0, model_params=DNN_PARAMS)


@pytest.fixture(scope="session")
def signal_lstm(signal_prices):
    from pyanalytics.finance.training import train_direction_model

    return train_direction_model(signal_prices, model="lstm", window=LSTM_WINDOW, seed=0, model_params=LSTM_PARAMS)


@pytest.fixture(scope="session")
def trained(signal_dnn, signal_lstm):
    return {"dnn": signal_dnn, "lstm": signal_lstm}


@pytest.fixture(scope="session")
def explained(trained):
    """The ranking explanations: the last RANKED_CASES dates, by model and method (computed lazily)."""
    from pyanalytics.explain import explain

    cache = {}

    def get(model: str, method: str):
        if (model, method) not in cache:
            cache[model, method] = explain(
                trained[model], method=method, last=RANKED_CASES, n_samples=LIME_SAMPLES[model], seed=0
            )
        return cache[model, method]

    return get
