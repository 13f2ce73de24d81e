"""lime_stability: how well LIME's per-feature weights agree across seeds."""

import numpy as np
import pytest

from pyanalytics.errors import ParameterError
from pyanalytics.explain import explain, lime_stability, with_lime_stability


@pytest.fixture(scope="module")
def stability(trained):
    calls = []
    frame = lime_stability(
        trained["dnn"], last=3, seeds=(0, 1, 2), n_samples=500, on_case=lambda i, n: calls.append((i, n))
    )
    return frame, calls


def test_one_row_per_date_and_an_overall_mean(stability, trained):
    frame, _ = stability
    assert list(frame.columns) == ["case", "spearman"]
    assert list(frame["case"][:-1]) == list(trained["dnn"].dataset.X.index[-3:])
    assert frame["case"].iloc[-1] == "overall"
    assert frame["spearman"].between(-1, 1).all()
    assert frame["spearman"].iloc[-1] == pytest.approx(frame["spearman"][:-1].mean())


def test_it_is_the_mean_pairwise_rank_correlation_of_the_seeds_weights(stability, trained):
    from scipy.stats import spearmanr

    frame, _ = stability
    runs = [explain(trained["dnn"], method="lime", last=3, n_samples=500, seed=s).per_feature() for s in (0, 1, 2)]
    case = frame["case"].iloc[0]
    weights = [run[run["case"] == case].set_index("feature")["feature_weight"] for run in runs]
    pairs = [spearmanr(weights[a], weights[b]).statistic for a, b in ((0, 1), (0, 2), (1, 2))]
    assert frame["spearman"].iloc[0] == pytest.approx(np.mean(pairs))


def test_lime_is_stable_on_a_model_with_one_strong_feature(stability):
    frame, _ = stability
    assert frame["spearman"].iloc[-1] > 0.3


def test_progress_counts_every_seed_s_cases(stability):
    _, calls = stability
    assert calls == [(i, 9) for i in range(1, 10)]


def test_at_least_two_distinct_seeds_are_needed(trained):
    with pytest.raises(ParameterError, match="seeds"):
        lime_stability(trained["dnn"], seeds=(0,))
    with pytest.raises(ParameterError, match="seeds"):
        lime_stability(trained["dnn"], seeds=(1, 1))


def test_with_lime_stability_records_the_overall_figure(stability, trained):
    frame, _ = stability
    lime = explain(trained["dnn"], method="lime", last=3, n_samples=500)
    stable = with_lime_stability(lime, trained["dnn"], n_samples=500)
    assert stable.quality["stability_spearman"] == frame["spearman"].iloc[-1]
    assert stable.frame is lime.frame and "stability_spearman" not in lime.quality
    shap = explain(trained["dnn"], method="shap", last=3)
    with pytest.raises(ParameterError):
        with_lime_stability(shap, trained["dnn"])
