"""One verdict on a model beside its naive baselines, for every front end.

The command line, both HTML reports and R say the same thing for the same metrics: a model's ROC
AUC margin over its strongest baseline is an edge only from ``AUC_EDGE`` on (``judge``); one
test part gets ``verdict``, walk-forward folds ``fold_edge`` (which also asks the folds to agree).
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from pyanalytics.evaluation.metrics import best_baseline, fold_spread

AUC_EDGE = 0.02  # a ROC AUC margin over the best baseline smaller than this is no real edge
JUDGEMENTS = {
    "better": "better than every naive baseline",
    "worse": "worse than a naive baseline",
    "no_edge": "no real edge over the naive baselines",
    "inconsistent": "no consistent edge (within two standard errors of zero)",
}
# How a report shows each judgement: the badge's state (good, bad, unknown) and its headline.
BADGES = {
    "better": ("good", "Beats the best baseline"),
    "worse": ("bad", "Does not beat the best baseline"),
    "no_edge": ("unknown", "No real edge over the best baseline"),
    "inconsistent": ("unknown", "No consistent edge"),
    "undefined": ("unknown", "No verdict"),
}


def judge(edge: float) -> str:
    """``"better"``/``"worse"`` for a ROC AUC margin of at least ``AUC_EDGE``, ``"no_edge"`` under it,
    ``"undefined"`` for NaN."""
    if math.isnan(edge):
        return "undefined"
    if abs(edge) < AUC_EDGE:
        return "no_edge"
    return "better" if edge > 0 else "worse"


@dataclass(frozen=True)
class Verdict:
    """The judgement of a model's test metrics and the sentence that says it.

    Attributes:
        judgement: ``"better"``, ``"worse"``, ``"no_edge"`` or ``"undefined"`` (see ``judge``).
        sentence: one line for people.
        model, model_auc: the model and its ROC AUC.
        baseline, baseline_auc: its strongest baseline (None, NaN without one) and its ROC AUC.
        edge: ``model_auc - baseline_auc`` (NaN when undefined).
    """

    judgement: str
    sentence: str
    model: str
    model_auc: float
    baseline: str | None
    baseline_auc: float
    edge: float

    @property
    def badge(self) -> tuple[str, str]:
        """The report's ``(state, headline)``."""
        return BADGES[self.judgement]

    def to_dict(self) -> dict:
        return asdict(self)


def verdict(metrics: Mapping[str, dict], model_name: str) -> Verdict:
    """Does the model's ROC AUC beat its strongest baseline's by ``AUC_EDGE`` or more?

    Args:
        metrics: metrics by name (``classification_metrics`` of the model and every baseline).
        model_name: the model's key in ``metrics``.

    Example:
        >>> verdict({"dnn": {"roc_auc": 0.526}, "logistic": {"roc_auc": 0.524}}, "dnn").judgement
        'no_edge'
    """
    model_auc = metrics[model_name]["roc_auc"]
    model_auc = math.nan if model_auc is None else float(model_auc)
    baseline, baseline_auc = best_baseline(metrics, model_name)
    edge = model_auc - baseline_auc
    judgement = judge(edge)
    if math.isnan(model_auc):
        sentence = "ROC AUC is undefined here: the evaluated rows hold a single direction."
    elif baseline is None:
        sentence = f"{model_name} ROC AUC {model_auc:.3f}; no baseline has a defined ROC AUC on these rows."
    else:
        sentence = (
            f"{model_name} ROC AUC {model_auc:.3f} vs best baseline {baseline} {baseline_auc:.3f}: "
            f"{JUDGEMENTS[judgement]} (an edge under {AUC_EDGE} is none; 0.5 is a coin flip)."
        )
    return Verdict(judgement, sentence, model_name, model_auc, baseline, baseline_auc, edge)


def fold_edge(fold_auc: pd.DataFrame, model_name: str) -> dict:
    """The model's per-fold ROC AUC margin over its strongest baseline, judged across the folds.

    Scoring every fold on its own keeps a baseline from gaining AUC out of the shifts of the
    up-rate between folds, as it does on the stitched series (a constant per fold ranks whole
    folds). The strongest baseline is the one with the highest mean per-fold AUC; each fold where
    both AUCs are defined gives one margin.

    Args:
        fold_auc: one row per fold, one column per model (the model and every baseline).
        model_name: the model's column.

    Returns:
        ``model``, ``model_auc`` (mean per-fold), ``baseline``, ``baseline_auc``, ``edge`` (the
        mean margin), ``se`` (its standard error across folds), ``n_folds`` and ``judgement``:
        ``"better"`` or ``"worse"`` (at least ``AUC_EDGE`` and two standard errors from zero),
        ``"no_edge"`` (under ``AUC_EDGE``), ``"inconsistent"`` (the folds disagree: within two
        standard errors) or ``"undefined"`` (no fold with both AUCs).
    """
    means = {name: fold_spread(fold_auc[name])["mean"] for name in fold_auc.columns}
    baseline, baseline_auc = best_baseline({name: {"roc_auc": m} for name, m in means.items()}, model_name)
    margins = fold_spread(fold_auc[model_name] - fold_auc[baseline]) if baseline is not None else fold_spread([])
    edge, n = margins["mean"], margins["n_folds"]
    se = margins["std"] / math.sqrt(n) if n > 1 else math.nan
    judgement = judge(edge)
    if judgement in ("better", "worse") and not abs(edge) >= 2 * se:  # also with one fold (no standard error)
        judgement = "inconsistent"
    return {"model": model_name, "model_auc": means[model_name], "baseline": baseline, "baseline_auc": baseline_auc,
            "edge": edge, "se": se, "n_folds": n, "judgement": judgement}


def fold_edge_verdict(edge: dict) -> str:
    """The sentence of a ``fold_edge`` result, for the command line and the walk-forward report."""
    if edge["judgement"] == "undefined":
        return "ROC AUC is undefined in every fold: each test block holds a single direction."
    return (
        f"{edge['model']} mean ROC AUC per fold {edge['model_auc']:.3f} vs best baseline {edge['baseline']} "
        f"{edge['baseline_auc']:.3f}: edge {edge['edge']:+.3f}, standard error {_three(edge['se'])} over "
        f"{edge['n_folds']} folds: {JUDGEMENTS[edge['judgement']]} (an edge under {AUC_EDGE} is none; 0.5 is a "
        "coin flip)."
    )


def _three(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"
