"""No look-ahead: features and `predict` output for every date t are identical whether the data
ends at t or continues past it."""

import numpy as np
import pytest

from pyanalytics.bundle import load_bundle
from pyanalytics.finance import synthetic_market
from pyanalytics.finance.training import train_direction_model

HORIZON = 3
TAIL = 120


@pytest.fixture(scope="module")
def prices():
    return synthetic_market(900, signal_strength=2.0, seed=5)


@pytest.fixture(scope="module")
def bundle(prices, tmp_path_factory):
    """A small DNN trained on the market, saved, and loaded back as a user would."""
    result = train_direction_model(
        prices,
        horizon=HORIZON,
        seed=0,
        model_params={"hidden_units": (16, 8), "epochs": 8, "batch_size": 64},
    )
    return load_bundle(result.save(tmp_path_factory.mktemp("lookahead") / "bundle"))


@pytest.fixture(scope="module")
def full(bundle, prices):
    return bundle.dataset(prices), bundle.predict(prices).set_index("date")


def test_the_tail_covers_test_rows_and_unlabelled_rows(bundle, prices, full):
    dataset, _ = full
    tail = prices.index[-TAIL:]
    assert tail[0] >= dataset.X.index[0]
    assert (~dataset.labelled[-TAIL:]).sum() == HORIZON  # the last h rows have no label yet
    assert tail[0].date().isoformat() >= bundle.metadata["out_of_sample_from"]  # unseen rows


@pytest.mark.parametrize("start", range(0, TAIL, 30), ids=lambda s: f"tail[{s}:{s + 30}]")
def test_features_and_predictions_do_not_depend_on_later_rows(bundle, prices, full, start):
    dataset, predicted = full
    positions = range(len(prices) - TAIL + start, len(prices) - TAIL + start + 30)
    for t in positions:
        date = prices.index[t]
        truncated = prices.iloc[: t + 1]
        features = bundle.dataset(truncated)
        assert features.X.index[-1] == date
        # every feature row up to t, bit for bit
        assert np.array_equal(features.X.to_numpy(), dataset.X.loc[:date].to_numpy())
        # labels known at t agree; the last h are unknown there
        known = features.labelled
        assert not known[-HORIZON:].any()
        assert np.array_equal(features.y[known].to_numpy(), dataset.y.loc[:date][known].to_numpy())
        row = bundle.predict(truncated).iloc[-1]
        assert row["date"] == date
        # The probabilities come from a float32 matmul over a different batch size (the whole
        # prefix here, every date above), which may round the last ulp differently: measured max
        # difference ~1e-7 between batch and single-row calls. Hence atol 1e-6, not equality.
        assert row["prob_up"] == pytest.approx(predicted.loc[date, "prob_up"], abs=1e-6)
        if abs(row["prob_up"] - bundle.estimator.threshold_) > 1e-6:
            assert row["signal"] == predicted.loc[date, "signal"]
