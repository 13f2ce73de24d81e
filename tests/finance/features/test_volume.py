"""Issue 10, point 7: volume that stays flat over a window leaves the volume feature out."""

import re
import warnings

import numpy as np
import pytest

from pyanalytics.finance import DataWarning, load_prices, synthetic_market
from pyanalytics.finance.features import FeatureSpec, build_dataset, default_spec
from pyanalytics.finance.features.volume import flat_stretches


def test_flat_stretches_are_runs_of_at_least_a_window_of_equal_values():
    volume = np.array([0, 0, 0, 5, 6, 6, 6, 6, 7, 0, 0], dtype=float)
    assert flat_stretches(volume, 3) == [(0, 3), (4, 8)]
    assert flat_stretches(volume, 5) == []


def test_real_volume_keeps_the_volume_feature(aapl):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        assert default_spec(aapl) == FeatureSpec()


def test_zero_volume_before_real_volume_leaves_the_feature_out_and_says_until_when():
    prices = synthetic_market(600, seed=4)
    prices.loc[prices.index[:250], "volume"] = 0.0
    last_flat = f"{prices.index[249]:%Y-%m-%d}"

    with pytest.warns(DataWarning, match=re.escape(f"start the prices after {last_flat}")) as caught:
        spec = default_spec(prices)

    assert spec == FeatureSpec(volume_window=None)
    assert "volume_z_20" in str(caught[0].message) and "250 days at 0" in str(caught[0].message)
    # Kept, the z-score would be exactly 0 over the flat stretch and leap when volume appears.
    z = build_dataset(prices).X["volume_z_20"]
    assert (z.loc[: prices.index[249]] == 0).all() and z.loc[prices.index[250]:].abs().max() > 3


def test_constant_volume_on_every_row_leaves_the_feature_out():
    prices = synthetic_market(300, seed=4).assign(volume=1000.0)
    with pytest.warns(DataWarning, match="volume is 1,000 on all 300 rows"):
        assert default_spec(prices).volume_window is None


def test_training_records_the_left_out_volume_feature_in_the_saved_spec():
    from pyanalytics.finance.training import train_direction_model

    prices = synthetic_market(700, seed=4)
    prices.loc[prices.index[:100], "volume"] = 0.0
    with pytest.warns(DataWarning, match="leaves the volume feature out"):
        result = train_direction_model(prices, model_params={"epochs": 1, "hidden_units": (4,)})
    assert result.dataset.spec.volume_window is None
    assert not any(name.startswith("volume_z") for name in result.dataset.X.columns)


def test_real_files_with_long_zero_volume_stretches_leave_the_feature_out(shared_data):
    path = shared_data("universe/CLBS.csv")
    prices = load_prices(path)
    with pytest.warns(DataWarning, match="volume stays constant for 20 days or more"):
        assert default_spec(prices).volume_window is None
