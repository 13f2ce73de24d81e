"""The LIME adapter's vectorised neighbourhood sampler and readable bin descriptions (no TensorFlow)."""

import numpy as np
import pytest
from lime import lime_tabular
from scipy.stats import truncnorm

from pyanalytics.explain import lime_adapter


@pytest.fixture(scope="module")
def explainer():
    """A recurrent LIME explainer over skewed training windows, with the fast sampler."""
    rng = np.random.default_rng(0)
    windows = np.exp(rng.normal(size=(800, 3, 2)))  # lognormal: bins with long tails
    windows[:, :, 1] = np.round(windows[:, :, 1])  # a column with ties and repeated quartiles
    fast = lime_adapter._fast(lime_tabular.RecurrentTabularExplainer)(
        windows, mode="classification", feature_names=["a", "b"], random_state=0
    )
    fast._pyanalytics_tables = lime_adapter._Tables(fast)
    fast._pyanalytics_rng = np.random.default_rng(1)
    return fast, windows


def test_the_fast_explainer_keeps_lime_s_class_name(explainer):
    assert type(explainer[0]).__name__ == "RecurrentTabularExplainer"
    assert isinstance(explainer[0], lime_tabular.RecurrentTabularExplainer)


def test_sampled_bins_follow_the_training_frequencies_and_values_stay_inside_their_bins(explainer):
    fast, windows = explainer
    row = windows[5].T.reshape(-1)
    data, values = lime_adapter._sample_neighbourhood(fast, row, 20_000)
    assert data.shape == values.shape == (20_000, 6)
    np.testing.assert_array_equal(values[0], row)
    assert (data[0] == 1).all()
    disc = fast.discretizer
    sampled_bins = disc.discretize(values[1:])
    instance_bins = disc.discretize(row)
    # the binary representation says "same bin as the instance", as in lime
    np.testing.assert_array_equal(data[1:] == 1, sampled_bins == instance_bins)
    for column in range(6):
        frequencies = np.bincount(sampled_bins[:, column].astype(int), minlength=4)[: len(disc.means[column])]
        expected = np.zeros(len(disc.means[column]))
        expected[np.asarray(fast.feature_values[column], dtype=int)] = fast.feature_frequencies[column]
        np.testing.assert_allclose(frequencies / len(sampled_bins), expected, atol=0.015)
        low, high = np.asarray(disc.mins[column]), np.asarray(disc.maxs[column])
        bins = sampled_bins[:, column].astype(int)
        assert (values[1:, column] >= low[bins] - 1e-12).all() and (values[1:, column] <= high[bins] + 1e-12).all()


def test_values_within_a_bin_follow_lime_s_truncated_normal(explainer):
    fast, windows = explainer
    row = windows[0].T.reshape(-1)
    _, values = lime_adapter._sample_neighbourhood(fast, row, 40_000)
    disc = fast.discretizer
    column = 2  # feature "a" at some lag: continuous, four bins
    bins = disc.discretize(values[1:])[:, column].astype(int)
    for b in range(4):
        mean, std = disc.means[column][b], disc.stds[column][b]
        lo, hi = (disc.mins[column][b] - mean) / std, (disc.maxs[column][b] - mean) / std
        expected = truncnorm(lo, hi, loc=mean, scale=std)
        inside = values[1:, column][bins == b]
        assert inside.mean() == pytest.approx(expected.mean(), abs=4 * expected.std() / np.sqrt(len(inside)))


def test_the_same_seed_gives_the_same_neighbourhood(explainer):
    fast, windows = explainer
    row = windows[3].T.reshape(-1)
    fast._pyanalytics_rng = np.random.default_rng(7)
    first = lime_adapter._sample_neighbourhood(fast, row, 500)
    fast._pyanalytics_rng = np.random.default_rng(7)
    second = lime_adapter._sample_neighbourhood(fast, row, 500)
    np.testing.assert_array_equal(first[1], second[1])


def test_bin_descriptions_keep_the_digits_of_small_features():
    rng = np.random.default_rng(0)
    returns = rng.normal(0, 0.01, size=(500, 1))
    explainer = lime_tabular.LimeTabularExplainer(returns, feature_names=["ret_1"], random_state=0)
    lime_adapter._readable_bins(explainer.discretizer, explainer.feature_names)
    names = explainer.discretizer.names[0]
    assert len(names) == 4 and len(set(names)) == 4  # lime's own "%.2f" gives "-0.01 < ret_1 <= 0.00"
    assert names[0].startswith("ret_1 <= -0.00") and names[-1].startswith("ret_1 > 0.00")
    assert lime_adapter._number(30.2) == "30.20"
    assert lime_adapter._number(-0.00312) == "-0.0031"
