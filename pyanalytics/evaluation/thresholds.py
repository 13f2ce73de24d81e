"""Choosing the alert threshold of an anomaly score, the ways an analyst chooses it.

A row is flagged when its score is at or above the threshold (higher scores are more unusual).
Every rule reads one alert curve: for each distinct score taken as the threshold, from "flag
nothing" (``inf``) down to "flag everything" (the lowest score), the alerts raised and, given
labels, the frauds caught and missed. Choose on validation rows, report on test rows.

- ``for_precision``: the most frauds caught while precision stays at or above a target;
- ``for_recall``: the fewest alerts that still catch a target share of the frauds;
- ``for_budget``: the top ``k`` rows, or a fraction of them;
- ``for_cost``: the lowest total cost, where a missed fraud costs its amount (or 1) and each
  alert costs a review fee; "flag nothing" and "flag everything" are candidates, so the choice
  never costs more than either on the rows it was chosen on;
- ``for_quantile``: without labels, a high quantile of the normal training scores.

``choose_threshold`` applies a rule named by a string, the form the command line and R pass.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pyanalytics.defaults import THRESHOLD_RULE_NAMES
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.params import check_float, check_int


@dataclass(frozen=True)
class ThresholdChoice:
    """A chosen threshold, the rule and target that chose it, and the curve behind the choice.

    Attributes:
        threshold: flag rows whose score is >= threshold (``inf`` flags nothing).
        rule: one of ``RULES``: ``"precision"``, ``"recall"``, ``"top_k"``, ``"fraction"``, ``"cost"``
            or ``"quantile"``.
        target: the rule's target (precision, recall, alerts, review fee or quantile).
        curve: one row per candidate threshold (see ``alert_curve``), for the report.
    """

    threshold: float
    rule: str
    target: float
    curve: pd.DataFrame

    @property
    def chosen(self) -> dict:
        """The curve's row at the chosen threshold, as plain numbers."""
        row = self.curve.loc[self.curve["threshold"] == self.threshold].iloc[0]
        return {key: float(value) for key, value in row.items()}


def alert_curve(scores, y=None, *, amounts=None, review_fee: float | None = None) -> pd.DataFrame:
    """Alerts, and with labels the frauds caught and missed, at every candidate threshold.

    Args:
        scores: one anomaly score per row (higher: more unusual).
        y: 0 (normal) / 1 (fraud) per row, or None.
        amounts: what missing each row's fraud costs (e.g. its transaction amount); default 1.
        review_fee: the cost of one alert; given, the curve gains ``missed_cost`` and ``cost``.

    Returns:
        A frame ordered from ``threshold = inf`` (no alert) to the lowest score (every row), with
        ``alerts`` and, given ``y``, ``tp``, ``fp``, ``fn``, ``precision`` (1 with no alert) and
        ``recall``; with ``review_fee``, ``missed_cost`` and ``cost``.
    """
    scores = _scores(scores)
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order]
    last_of_tie = np.r_[ranked[1:] != ranked[:-1], True]  # flagging at a score flags all its ties
    curve = {"threshold": np.r_[np.inf, ranked[last_of_tie]], "alerts": np.r_[0, np.flatnonzero(last_of_tie) + 1]}
    if y is not None:
        y = _labels(y, len(scores))
        tp = np.r_[0, np.cumsum(y[order])[last_of_tie]]
        curve.update(tp=tp, fp=curve["alerts"] - tp, fn=y.sum() - tp)
        curve["precision"] = np.where(curve["alerts"] > 0, tp / np.maximum(curve["alerts"], 1), 1.0)
        curve["recall"] = tp / y.sum() if y.sum() else np.zeros(len(tp))
        if review_fee is not None:
            fee = check_float("review_fee", review_fee, low=0.0, high=np.inf)
            loss = _amounts(amounts, len(scores)) * y
            caught = np.r_[0.0, np.cumsum(loss[order])[last_of_tie]]
            curve["missed_cost"] = loss.sum() - caught
            curve["cost"] = curve["missed_cost"] + fee * curve["alerts"]
    return pd.DataFrame(curve)


def for_precision(scores, y, target: float) -> ThresholdChoice:
    """The lowest threshold whose precision is at least ``target``: the most frauds caught at it.

    Raises:
        DataError: no threshold reaches the target on these rows (the best precision is named).
    """
    target = check_float("precision", target, low=0.0, high=1.0, low_open=True)
    curve = _labelled_curve(scores, y)
    reaching = curve[(curve["precision"] >= target) & (curve["alerts"] > 0)]
    if reaching.empty:
        best = curve.loc[curve["alerts"] > 0, "precision"].max()
        raise DataError(f"precision: no threshold reaches {target:.3g} on these rows (the best is {best:.3g}); lower the target.")
    return ThresholdChoice(float(reaching["threshold"].iloc[-1]), "precision", target, curve)


def for_recall(scores, y, target: float) -> ThresholdChoice:
    """The highest threshold that catches at least ``target`` of the frauds: the fewest alerts."""
    target = check_float("recall", target, low=0.0, high=1.0, low_open=True)
    curve = _labelled_curve(scores, y)
    reaching = curve[curve["recall"] >= target - 1e-12]
    return ThresholdChoice(float(reaching["threshold"].iloc[0]), "recall", target, curve)


def for_budget(scores, *, top_k: int | None = None, fraction: float | None = None) -> ThresholdChoice:
    """The threshold flagging the ``top_k`` highest scores (or that ``fraction`` of the rows).

    Tied scores are flagged together, so a tie at the boundary flags fewer rows, never more.
    """
    if (top_k is None) == (fraction is None):
        raise ParameterError("top_k/fraction: give exactly one, the alerts to raise or the share of rows to flag.")
    curve = alert_curve(scores)
    n = int(curve["alerts"].iloc[-1])
    if top_k is None:
        fraction = check_float("fraction", fraction, low=0.0, high=1.0, low_open=True)
        budget = int(np.floor(fraction * n))
        if budget < 1:
            raise ParameterError(f"fraction: {fraction:g} of these {n} rows rounds to no alert; raise the fraction "
                                 f"to at least {1 / n:.3g}.")
        rule, target = "fraction", fraction
    else:
        budget = check_int("top_k", top_k, minimum=1)
        rule, target = "top_k", float(budget)
    within = curve[curve["alerts"] <= budget]
    return ThresholdChoice(float(within["threshold"].iloc[-1]), rule, target, curve)


def for_cost(scores, y, *, review_fee: float, amounts=None) -> ThresholdChoice:
    """The threshold of lowest total cost: missed frauds' amounts (or 1 each) plus the fee per alert.

    Among equally cheap thresholds the one with the fewest alerts wins.
    """
    curve = _labelled_curve(scores, y, amounts=amounts, review_fee=review_fee)
    cheapest = int(np.argmin(curve["cost"].to_numpy()))  # first minimum: the fewest alerts
    return ThresholdChoice(float(curve["threshold"].iloc[cheapest]), "cost", float(review_fee), curve)


def for_quantile(normal_scores, quantile: float) -> ThresholdChoice:
    """The ``quantile`` of scores of normal (training) rows: about ``1 - quantile`` of normal rows
    are flagged, when no labels say which rows are frauds."""
    quantile = check_float("quantile", quantile, low=0.0, high=1.0, low_open=True)
    scores = _scores(normal_scores, "normal_scores")
    threshold = float(np.quantile(scores, quantile, method="higher"))
    return ThresholdChoice(threshold, "quantile", quantile, alert_curve(scores))


RULES = THRESHOLD_RULE_NAMES
LABELLED_RULES = ("precision", "recall", "cost")
DEFAULT_TARGETS = {"precision": 0.5, "recall": 0.8, "top_k": 100, "fraction": 0.01, "cost": 5.0, "quantile": 0.99}


def default_rule(labelled: bool) -> str:
    """The rule used when none is named: a recall target with labels, a quantile without."""
    return "recall" if labelled else "quantile"


def check_rule(rule: str) -> str:
    """``rule`` if it is one of ``RULES``.

    Raises:
        ParameterError: an unknown rule, naming the known ones.
    """
    if rule not in RULES:
        raise ParameterError(f"rule: expected one of {', '.join(map(repr, RULES))}, got {rule!r}.")
    return rule


def choose_threshold(rule: str, target, *, scores, y=None, amounts=None, normal_scores=None) -> ThresholdChoice:
    """The threshold ``rule`` chooses for ``target`` (None: the rule's ``DEFAULT_TARGETS`` entry).

    Args:
        rule: ``precision``, ``recall``, ``cost`` (target: the review fee per alert; needs ``y``),
            ``top_k`` (target: alerts), ``fraction`` (target: share of rows flagged) or
            ``quantile`` (target: quantile of ``normal_scores``).
        target: the rule's target.
        scores, y, amounts: the rows the choice is made on (validation), their 0/1 labels and
            what missing each fraud costs.
        normal_scores: scores of the normal training rows, for ``quantile``.

    Raises:
        ParameterError: an unknown rule, or a rule that needs labels without them.
    """
    check_rule(rule)
    if rule in LABELLED_RULES and y is None:
        raise ParameterError(f"rule: {rule!r} needs labelled rows; name the label column, or use 'top_k', "
                             "'fraction' or 'quantile'.")
    target = DEFAULT_TARGETS[rule] if target is None else target
    if rule == "precision":
        return for_precision(scores, y, target)
    if rule == "recall":
        return for_recall(scores, y, target)
    if rule == "cost":
        return for_cost(scores, y, review_fee=target, amounts=amounts)
    if rule == "top_k":
        return for_budget(scores, top_k=target)
    if rule == "fraction":
        return for_budget(scores, fraction=target)
    return for_quantile(normal_scores, target)


def _labelled_curve(scores, y, **costs) -> pd.DataFrame:
    curve = alert_curve(scores, y, **costs)
    if curve["tp"].iloc[-1] == 0:
        raise DataError("y: no row is labelled 1 (fraud); a threshold for precision, recall or cost needs labelled frauds.")
    return curve


def _scores(scores, name: str = "scores") -> np.ndarray:
    array = np.asarray(scores, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise DataError(f"{name}: expected one score per row (a non-empty 1-D array), got shape {array.shape}.")
    bad = np.flatnonzero(~np.isfinite(array))
    if len(bad):
        raise DataError(f"{name}: row {bad[0]} holds {array[bad[0]]}; every score must be a finite number.")
    return array


def _labels(y, n: int) -> np.ndarray:
    array = np.asarray(y)
    if array.shape != (n,):
        raise DataError(f"y: expected {n} labels, one per score, got shape {array.shape}.")
    bad = np.flatnonzero(~np.isin(array, (0, 1)))
    if len(bad):
        raise DataError(f"y: row {bad[0]} holds {array[bad[0]].item()!r}; labels must be 0 (normal) or 1 (fraud).")
    return array.astype(np.int64)


def _amounts(amounts, n: int) -> np.ndarray:
    if amounts is None:
        return np.ones(n)
    array = np.asarray(amounts, dtype=np.float64)
    if array.shape != (n,):
        raise DataError(f"amounts: expected {n} amounts, one per score, got shape {array.shape}.")
    bad = np.flatnonzero(~np.isfinite(array) | (array < 0))
    if len(bad):
        raise DataError(f"amounts: row {bad[0]} holds {array[bad[0]]}; amounts must be finite and >= 0.")
    return array
