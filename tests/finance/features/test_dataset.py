"""build_dataset: aligned features and labels, warm-up dropped, unknown labels kept but masked."""

import dataclasses

import numpy as np
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.finance import random_walk, synthetic_market
from pyanalytics.finance.features import (
    Dataset,
    FeatureSpec,
    build_dataset,
    compute_features,
    direction_labels,
    forward_returns,
)


@pytest.fixture(scope="module")
def prices():
    return synthetic_market(400, signal_strength=1.0, seed=21)


def test_x_drops_the_warmup_and_has_no_nan(prices):
    data = build_dataset(prices)
    spec = FeatureSpec()
    assert isinstance(data, Dataset) and data.spec == spec
    assert len(data.X) == len(prices) - spec.warmup
    assert data.X.index.equals(prices.index[spec.warmup :]) and data.X.index.name == "date"
    assert tuple(data.X.columns) == spec.names
    assert not data.X.isna().any().any()
    expected = compute_features(prices).iloc[spec.warmup :]
    assert np.array_equal(data.X.to_numpy(), expected.to_numpy())


@pytest.mark.parametrize("horizon", [1, 5])
def test_y_has_exactly_h_trailing_nan_and_is_aligned(prices, horizon):
    data = build_dataset(prices, horizon=horizon)
    unknown = data.y.isna().to_numpy()
    assert unknown.sum() == horizon and unknown[-horizon:].all()
    assert set(data.y.dropna().unique()) == {0.0, 1.0}
    for series in (data.y, data.forward_return):
        assert series.index.equals(data.X.index)
    labels = direction_labels(prices, horizon).loc[data.X.index]
    np.testing.assert_array_equal(data.y.to_numpy(), labels.to_numpy())
    returns = forward_returns(prices, horizon).loc[data.X.index]
    np.testing.assert_array_equal(data.forward_return.to_numpy(), returns.to_numpy())
    assert data.horizon == horizon and data.n_labelled == len(data.X) - horizon


def test_labelled_masks_dead_zone_and_unknown_rows(prices):
    data = build_dataset(prices, horizon=2, dead_zone=0.01)
    assert data.labelled.dtype == bool
    np.testing.assert_array_equal(data.labelled, data.y.notna().to_numpy())
    inside = (data.forward_return.abs() <= 0.01).to_numpy()
    assert inside.any() and not data.labelled[inside].any()
    assert data.n_labelled == len(data.X) - 2 - inside[:-2].sum()
    assert data.dead_zone == 0.01


def test_labels_follow_the_spec_price_column(prices):
    adjusted = prices.assign(adj_close=prices["close"] * np.linspace(0.2, 1.0, len(prices)))
    data = build_dataset(adjusted, FeatureSpec(price="adj_close"))
    expected = direction_labels(adjusted, price="adj_close").loc[data.X.index]
    np.testing.assert_array_equal(data.y.to_numpy(), expected.to_numpy())
    assert not np.array_equal(data.y.to_numpy(), build_dataset(adjusted).y.to_numpy())


def test_a_too_short_history_raises_data_error_naming_the_rows_needed():
    spec = FeatureSpec()
    needed = spec.warmup + 3 + 1
    with pytest.raises(DataError, match=rf"{needed - 1} rows.*at least {needed}"):
        build_dataset(random_walk(needed - 1, seed=0), horizon=3)
    data = build_dataset(random_walk(needed, seed=0), horizon=3)
    assert len(data.X) == 4 and data.n_labelled == 1


def test_bad_arguments_raise_parameter_error(prices):
    with pytest.raises(ParameterError, match="horizon"):
        build_dataset(prices, horizon=0)
    with pytest.raises(ParameterError, match="dead_zone"):
        build_dataset(prices, dead_zone=-1.0)


def test_the_dataset_is_frozen(prices):
    with pytest.raises(dataclasses.FrozenInstanceError):
        build_dataset(prices).horizon = 3
