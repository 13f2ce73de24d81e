"""Planted-signal series and small trained sequence models shared by the sequence-domain tests."""

import pytest
from sequence_series import SMALL, seasonal_frame, switching_frame

from pyanalytics.sequence import train_forecaster, train_sequence_classifier


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
