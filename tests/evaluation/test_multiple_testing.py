"""Multiple testing: Benjamini-Hochberg adjusted p-values and the deflated Sharpe ratio."""

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from pyanalytics.errors import ParameterError
from pyanalytics.evaluation.multiple_testing import (
    benjamini_hochberg,
    deflated_sharpe_ratio,
    expected_max_sharpe,
    sharpe_p_values,
)


def test_sharpe_p_values_are_one_sided_normal_tails():
    p = sharpe_p_values([0.0, 1.6448536269514722, -2.0, np.nan])
    assert p[:3] == pytest.approx([0.5, 0.05, stats.norm.cdf(2.0)])
    assert np.isnan(p[3])


def test_benjamini_hochberg_by_hand():
    # sorted p (0.01, 0.02, 0.03, 0.2) x m/rank (4, 2, 4/3, 1) = (0.04, 0.04, 0.04, 0.2), then the
    # running minimum from the top keeps them; back in input order:
    adjusted, found = benjamini_hochberg([0.03, 0.2, 0.01, 0.02], alpha=0.05)
    assert adjusted == pytest.approx([0.04, 0.2, 0.04, 0.04])
    assert found.tolist() == [True, False, True, True]
    # a later smaller product pulls earlier ones down: (0.04*3/1, 0.045*3/2, 0.05*3/3) -> 0.05 each
    assert benjamini_hochberg([0.04, 0.045, 0.05])[0] == pytest.approx([0.05, 0.05, 0.05])


def test_benjamini_hochberg_matches_statsmodels():
    p = np.random.default_rng(3).uniform(size=200) ** 3
    adjusted, found = benjamini_hochberg(p, alpha=0.1)
    reject, expected, _, _ = multipletests(p, alpha=0.1, method="fdr_bh")
    np.testing.assert_allclose(adjusted, expected, rtol=1e-12)
    assert (found == reject).all() and 0 < found.sum() < len(p)


def test_nan_p_values_are_left_out_of_the_correction():
    adjusted, found = benjamini_hochberg([0.01, np.nan, 0.04])
    assert np.isnan(adjusted[1]) and not found[1]
    assert adjusted[[0, 2]] == pytest.approx(benjamini_hochberg([0.01, 0.04])[0])
    adjusted, found = benjamini_hochberg([np.nan, np.nan])
    assert np.isnan(adjusted).all() and not found.any()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_null_gives_few_discoveries_and_planted_signals_are_found(seed):
    rng = np.random.default_rng(seed)
    null = rng.uniform(size=500)
    assert benjamini_hochberg(null)[1].sum() <= 2
    planted = np.r_[null, [1e-6, 1e-7, 1e-8]]
    found = benjamini_hochberg(planted)[1]
    assert found[-3:].all() and found[:-3].sum() <= 2


@pytest.mark.parametrize(
    ("p_values", "alpha", "match"),
    [([], 0.05, "p_values"), ([0.1, 1.5], 0.05, "p_values"), ([0.1], 0.0, "alpha"), ([0.1], 1.0, "alpha")],
)
def test_benjamini_hochberg_rejects_bad_inputs(p_values, alpha, match):
    with pytest.raises(ParameterError, match=match):
        benjamini_hochberg(p_values, alpha=alpha)


def test_expected_max_sharpe_grows_with_trials_and_spread():
    assert expected_max_sharpe(0.01, 1) == 0.0
    values = [expected_max_sharpe(0.01, n) for n in (2, 10, 100, 1000)]
    assert values == sorted(values) and values[0] > 0
    assert expected_max_sharpe(0.04, 100) == pytest.approx(2 * expected_max_sharpe(0.01, 100))
    # the approximation tracks the simulated mean maximum of N standard normals
    simulated = np.random.default_rng(0).standard_normal((4000, 100)).max(axis=1).mean()
    assert expected_max_sharpe(1.0, 100) == pytest.approx(simulated, abs=0.03)


def _returns_with(sharpe: float, n: int, seed: int = 0) -> np.ndarray:
    """Normal returns standardised to exactly the given per-period Sharpe ratio."""
    z = np.random.default_rng(seed).standard_normal(n)
    z = (z - z.mean()) / z.std(ddof=1)
    return 0.01 * (z + sharpe)


def test_dsr_falls_as_more_trials_are_tried():
    returns = _returns_with(0.08, 1000)
    trials = np.random.default_rng(1).normal(0.0, 0.03, 500)
    dsr = [deflated_sharpe_ratio(returns, trials, n)["dsr"] for n in (1, 10, 100, 500)]
    assert dsr == sorted(dsr, reverse=True) and dsr[0] > 0.99 and dsr[-1] < dsr[0] - 0.2


def test_dsr_is_one_half_when_the_sharpe_equals_the_expected_maximum():
    trials = np.random.default_rng(2).normal(0.0, 0.03, 50)
    sr0 = expected_max_sharpe(trials.var(ddof=1), 50)
    out = deflated_sharpe_ratio(_returns_with(sr0, 800), trials)
    assert out["expected_max_sharpe"] == pytest.approx(sr0)
    assert out["sharpe"] == pytest.approx(sr0)
    assert out["dsr"] == pytest.approx(0.5, abs=1e-9)
    assert out["n_trials"] == 50 and out["n_days"] == 800
    assert out["sharpe_annual"] == pytest.approx(sr0 * np.sqrt(252))


def test_dsr_reproduces_the_papers_numerical_example():
    # Bailey & Lopez de Prado (2014), section "A numerical example": 100 trials whose annualised
    # Sharpe ratios have variance 1/2, a selected annualised Sharpe of 2.5 over 1250 daily returns
    # (250 a year) with skewness -3 and kurtosis 10: SR0 = 0.1132 a day, DSR = 0.9004. Only these
    # statistics matter. Kurtosis = 1 + skewness^2 is the bound only two-point distributions reach,
    # so the returns take two values: 1145 small gains, 105 losses (skewness -2.9994).
    sr0 = expected_max_sharpe(0.5 / 250, 100)
    assert sr0 == pytest.approx(0.1132, abs=5e-5)
    values = np.repeat([1.0, 0.0], [1145, 105])
    returns = 0.01 * ((values - values.mean()) / values.std(ddof=1) + 2.5 / np.sqrt(250))
    z = np.random.default_rng(4).standard_normal(100)
    trials = (z - z.mean()) / z.std(ddof=1) * np.sqrt(0.5 / 250)
    out = deflated_sharpe_ratio(returns, trials, periods_per_year=250)
    assert out["skewness"] == pytest.approx(-3.0, abs=1e-3) and out["kurtosis"] == pytest.approx(10.0, abs=5e-3)
    assert out["sharpe_annual"] == pytest.approx(2.5)
    assert out["expected_max_sharpe"] == pytest.approx(sr0)
    assert out["dsr"] == pytest.approx(0.9004, abs=5e-4)


@pytest.mark.parametrize(
    ("returns", "trials", "n_trials", "match"),
    [
        ([], [0.1, 0.2], None, "returns"),
        ([0.01, np.nan, 0.02, 0.0], [0.1, 0.2], None, "returns"),
        ([0.01, 0.01, 0.01], [0.1, 0.2], None, "returns"),
        ([0.01, -0.02, 0.03], [0.1, 0.2], 0, "n_trials"),
        ([0.01, -0.02, 0.03], [0.1], 5, "sharpe_trials"),
    ],
)
def test_dsr_rejects_bad_inputs(returns, trials, n_trials, match):
    with pytest.raises(ParameterError, match=match):
        deflated_sharpe_ratio(returns, trials, n_trials)


def test_expected_max_sharpe_rejects_bad_inputs():
    with pytest.raises(ParameterError, match="n_trials"):
        expected_max_sharpe(0.01, 0)
    with pytest.raises(ParameterError, match="sharpe_variance"):
        expected_max_sharpe(-1.0, 10)
