"""Asymmetric costs of decisions: a false positive (said up, went down) costs ``alpha`` times a
false negative (said down, went up). Correct decisions cost nothing."""

import numpy as np
import pandas as pd

from pyanalytics.params import check_float

THRESHOLD_GRID = np.round(np.linspace(0.0, 1.0, 201), 3)


def check_alpha(alpha, name: str = "alpha") -> float:
    """The cost ratio: a number > 0 (1 means both mistakes cost the same)."""
    return check_float(name, alpha, low=0.0, high=1e6, low_open=True)


def optimal_threshold(alpha: float) -> float:
    """The Bayes threshold for calibrated probabilities: say up when ``p > alpha / (1 + alpha)``.

    Saying up costs ``alpha * (1 - p)`` in expectation and saying down costs ``p``; up is cheaper
    exactly when ``p`` exceeds ``alpha / (1 + alpha)``.

    Example:
        >>> optimal_threshold(5.0)
        0.8333333333333334
    """
    alpha = check_alpha(alpha)
    return alpha / (1.0 + alpha)


def expected_cost(y_true, prob_up, threshold: float, alpha: float) -> float:
    """Average cost per decision, ``(alpha * FP + FN) / n``, when saying up at ``p >= threshold``.

    Example:
        >>> expected_cost([0, 1, 1, 0], [0.9, 0.8, 0.1, 0.2], threshold=0.5, alpha=5)
        1.5
    """
    return float(cost_curve(y_true, prob_up, alpha, thresholds=[threshold])["expected_cost"].iloc[0])


def cost_curve(y_true, prob_up, alpha: float, thresholds=THRESHOLD_GRID) -> pd.DataFrame:
    """Expected cost per decision and the mistake counts at each threshold.

    Returns:
        A frame with columns ``threshold``, ``expected_cost``, ``fp``, ``fn``.
    """
    alpha = check_alpha(alpha)
    y_true = np.asarray(y_true, dtype=np.int64)
    prob_up = np.asarray(prob_up, dtype=np.float64)
    thresholds = np.asarray(thresholds, dtype=np.float64)
    says_up = prob_up[None, :] >= thresholds[:, None]
    fp = (says_up & (y_true == 0)).sum(axis=1)
    fn = (~says_up & (y_true == 1)).sum(axis=1)
    return pd.DataFrame(
        {"threshold": thresholds, "expected_cost": (alpha * fp + fn) / max(len(y_true), 1), "fp": fp, "fn": fn}
    )


def tune_threshold(y_true, prob_up, alpha: float) -> float:
    """The threshold on a grid of 0.005 steps with the lowest expected cost on these rows.

    Among equally cheap thresholds the one nearest ``alpha / (1 + alpha)`` wins, so a flat cost
    curve falls back on the theory rather than on an edge of the grid. Tune on validation rows,
    never on the rows you report.
    """
    curve = cost_curve(y_true, prob_up, alpha)
    cheapest = curve[np.isclose(curve["expected_cost"], curve["expected_cost"].min())]
    distance = (cheapest["threshold"] - optimal_threshold(alpha)).abs()
    return float(cheapest["threshold"].iloc[int(np.argmin(distance.to_numpy()))])
