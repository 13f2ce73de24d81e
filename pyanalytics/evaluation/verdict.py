"""One verdict on a model beside its naive baselines, for every task and every front end.

The command line, both HTML reports and R say the same thing for the same metrics. A model's
margin in its task's headline metric over its strongest baseline is an edge only from the task's
margin on (``pyanalytics.tasks``): for direction and other binary models a ROC AUC edge of
``AUC_EDGE`` (``judge``). One test part gets ``verdict`` (binary) or ``task_verdict`` (any task);
walk-forward folds get ``fold_edge``, which also asks the folds to agree.
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from pyanalytics.evaluation.metrics import best_baseline, fold_spread
from pyanalytics.tasks import AUC_EDGE
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
        metric: the task's headline metric (``roc_auc``, ``accuracy``, ``rmse``).
        model, value: the model and its headline metric.
        baseline, baseline_value: its strongest baseline (None, NaN without one) and its value.
        edge: the model's advantage (relative for relative margins; NaN when undefined).
        ceiling, ceiling_value: the task's ceiling (a baseline that saw what the model never
            sees, ``Task.ceilings``) and its headline metric; None without one.
    """

    judgement: str
    sentence: str
    metric: str
    model: str
    value: float
    baseline: str | None
    baseline_value: float
    edge: float
    ceiling: str | None = None
    ceiling_value: float | None = None

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
    return Verdict(judgement, sentence, "roc_auc", model_name, model_auc, baseline, baseline_auc, edge)


_METRIC_LABELS = {"roc_auc": "ROC AUC", "accuracy": "accuracy", "rmse": "RMSE", "pr_auc": "PR AUC", "mase": "MASE",
                  "qlike": "QLIKE"}


def task_verdict(task, results: Mapping[str, dict], model_name: str) -> Verdict:
    """Does ``model_name`` beat the task's naive baselines by the task's margin?

    Binary models are judged by ``verdict`` (ROC AUC), so a direction model and any other binary
    model get the same sentence; other tasks compare their headline metric in its own sense.
    The task's ceilings (the anomaly task's supervised ceiling, which learns from the labels) are
    never the best baseline: the sentence says how far above (or below) the model they reach.

    Args:
        task: a ``pyanalytics.tasks.Task``.
        results: metrics per model name (the model and its baselines).
        model_name: the model judged; every other entry is a baseline.

    Example:
        >>> from pyanalytics.tasks import TASKS
        >>> results = {"dnn": {"rmse": 2.0}, "mean": {"rmse": 3.0}, "ridge": {"rmse": 2.5}}
        >>> task_verdict(TASKS["regression"], results, "dnn").judgement
        'better'
    """
    if task.name == "binary":
        return verdict(results, model_name)
    metric, label, margin = task.headline, _METRIC_LABELS[task.headline], task.margin
    value = results[model_name].get(metric, math.nan)
    defined = {
        name: m[metric] for name, m in results.items() if name != model_name and not math.isnan(m.get(metric, math.nan))
    }
    baselines = {name: v for name, v in defined.items() if name not in task.ceilings}
    ceiling = next((name for name in task.ceilings if name in defined), None)
    ceiling_value = defined[ceiling] if ceiling else None
    if math.isnan(value) or not baselines:
        sentence = f"{model_name}: {label} is undefined here, so there is no verdict."
        return Verdict("undefined", sentence, metric, model_name, value, None, math.nan, math.nan, ceiling, ceiling_value)
    pick = max if task.higher_is_better else min
    baseline = pick(baselines, key=baselines.get)
    reference = baselines[baseline]
    advantage = value - reference if task.higher_is_better else reference - value
    edge = advantage / abs(reference) if task.relative_margin else advantage
    judgement = "better" if edge >= margin else "worse" if edge <= -margin else "no_edge"
    needed = f"{margin:.0%}" if task.relative_margin else f"{margin:g}"
    shown = f"{edge:+.1%}" if task.relative_margin else f"{edge:+.3f}"
    sentence = (
        f"{model_name} {label} {value:.3f} vs best baseline {baseline} {reference:.3f} (edge {shown}): "
        f"{JUDGEMENTS[judgement]} (an edge under {needed} is none){_ceiling_clause(ceiling, ceiling_value, value)}."
    )
    return Verdict(judgement, sentence, metric, model_name, value, baseline, reference, edge, ceiling, ceiling_value)


def _ceiling_clause(ceiling: str | None, ceiling_value: float, value: float) -> str:
    """"; the supervised ceiling, which saw the anomaly labels, reaches 0.810 (0.120 above)", or ""."""
    if ceiling is None:
        return ""
    gap = ceiling_value - value
    return (
        f"; the {ceiling.replace('_', ' ')}, which saw the anomaly labels, reaches {ceiling_value:.3f} "
        f"({abs(gap):.3f} {'above' if gap >= 0 else 'below'})"
    )


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
