"""What a report shows, gathered from results that already exist: nothing here fits a model.

``from_training`` reads a :class:`~pyanalytics.training.TrainingResult`; ``from_bundle`` reads a
loaded :class:`~pyanalytics.bundle.Bundle` and scores it on prices with ``Bundle.evaluate``. Both
return a :class:`ReportData` of plain numbers and frames that the plots and the HTML template
consume; the explanations are :class:`~pyanalytics.explain.ExplanationResult` objects made
elsewhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from pyanalytics.errors import ParameterError
from pyanalytics.explain.result import COLUMNS, LAG_SUFFIX, ExplanationResult, rank_agreement
from pyanalytics.params import check_int

METHODS = ("shap", "lime")
DEFAULT_CASES = 3
TOP_FEATURES = 8
# Whether a higher value of each metric (of every task's table) is better.
HIGHER_IS_BETTER = {"accuracy": True, "precision": True, "recall": True, "f1": True, "roc_auc": True, "pr_auc": True,
                    "macro_f1": True, "r2": True, "precision_at_k": True, "recall_at_precision": True, "brier": False,
                    "expected_cost": False, "log_loss": False, "mse": False, "rmse": False, "mae": False,
                    "mase": False, "interval_width": False,
                    "coverage": None}  # neither: the closer to the nominal coverage, the better


@dataclass(frozen=True, eq=False)
class CaseContributions:
    """One method's explanation of one date, ready to draw.

    Attributes:
        method: ``"shap"`` or ``"lime"``.
        rows: the largest contributions first, columns ``label`` (what the chart prints),
            ``feature``, ``feature_value``, ``feature_weight``; the remaining features, if any,
            summed into one last row labelled ``"<n> other features"``.
        start: where the contributions start: SHAP's base value, LIME's local intercept.
        prediction: the explainer's own prediction (base + contributions for SHAP).
        r2: LIME's local R² (None for SHAP).
    """

    method: str
    rows: pd.DataFrame
    start: float | None
    prediction: float | None
    r2: float | None


@dataclass(frozen=True, eq=False)
class Case:
    """One explained date: the model's call, what happened, and each method's contributions."""

    date: pd.Timestamp
    prob_up: float | None
    predicted: str | None
    actual: str | None
    methods: dict[str, CaseContributions]
    spearman: float | None = None


@dataclass(frozen=True, eq=False)
class ReportData:
    """Everything a report shows, as plain data.

    Attributes:
        title: the report's heading.
        model_name: key of the model (``"dnn"``, ``"lstm"``, ...).
        source: ``"training"`` (test part of a training run) or ``"bundle"`` (a saved model
            scored on new prices).
        config: model configuration: horizon, window, threshold, alpha, features, parameters ...
        periods: ``{part: {"start", "end", "rows"}}``; ``"evaluated"`` is the part scored here.
        versions: library versions (of the run that saved the bundle, or of this process).
        metrics: metric dicts of the model and every baseline on the evaluated dates.
        dates: the evaluated dates.
        y_true: their labels (0/1).
        prob_up: each model's and baseline's probability of a rise on those dates.
        roc: ROC curve points per model, frames with ``fpr``, ``tpr``, ``threshold``.
        cost_curve: the model's expected cost at each threshold (None when alpha is 1).
        cost_points: expected cost at the model's threshold, the Bayes threshold, the cheapest
            threshold in hindsight and the two constant rules (None when alpha is 1).
        explanations: ``{"shap": ExplanationResult, "lime": ExplanationResult}`` (either or none).
        importance: global importance, one column per method (index: feature), or None.
        agreement: ``rank_agreement(shap, lime)`` per case plus ``"overall"``, or None.
        cases: the most recent explained dates, newest first.
        history: the network's loss per epoch (its ``history_``), or None.
    """

    title: str
    model_name: str
    source: str
    config: dict
    periods: dict
    versions: dict
    metrics: dict
    dates: pd.DatetimeIndex
    y_true: np.ndarray
    prob_up: dict
    roc: dict
    cost_curve: pd.DataFrame | None
    cost_points: pd.DataFrame | None = None
    explanations: dict = field(default_factory=dict)
    importance: pd.DataFrame | None = None
    agreement: pd.DataFrame | None = None
    cases: list = field(default_factory=list)
    data_sha256: str | None = None
    history: dict | None = None
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def baseline_names(self) -> list[str]:
        return [name for name in self.metrics if name != self.model_name]

    @property
    def best_baseline(self) -> tuple[str | None, float]:
        """The baseline with the highest ROC AUC on the evaluated dates (NaN AUCs ignored)."""
        from pyanalytics.evaluation import best_baseline

        return best_baseline(self.metrics, self.model_name)

    @property
    def verdict(self):
        """The model beside its best baseline (``pyanalytics.evaluation.verdict``)."""
        from pyanalytics.evaluation.verdict import verdict

        return verdict(self.metrics, self.model_name)


def _roc_points(y_true: np.ndarray, prob_up: np.ndarray) -> pd.DataFrame | None:
    from sklearn.metrics import roc_curve

    if len(np.unique(y_true)) < 2:
        return None
    fpr, tpr, thresholds = roc_curve(y_true, prob_up)
    return pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": thresholds})


def _check_explanations(explanations, model_name: str) -> dict[str, ExplanationResult]:
    if explanations is None:
        return {}
    if not isinstance(explanations, dict):
        raise ParameterError(
            f"explanations: expected a dict like {{'shap': ExplanationResult, 'lime': ExplanationResult}}, "
            f"got {type(explanations).__name__}."
        )
    checked = {}
    for key, value in explanations.items():
        if key not in METHODS:
            raise ParameterError(f"explanations: keys must be 'shap' or 'lime', got {key!r}.")
        if value is None:
            continue
        if not isinstance(value, ExplanationResult):
            raise ParameterError(
                f"explanations[{key!r}]: expected an ExplanationResult, got {type(value).__name__}."
            )
        if value.method != key:
            raise ParameterError(
                f"explanations[{key!r}]: holds a {value.method!r} explanation; pass it under {value.method!r}."
            )
        missing = [c for c in COLUMNS if c not in value.frame.columns]
        if missing:
            raise ParameterError(
                f"explanations[{key!r}]: the frame lacks the columns {missing}; build it with the "
                "pyanalytics explainers (see pyanalytics.explain.COLUMNS)."
            )
        if value.model_name != model_name:
            raise ParameterError(
                f"explanations[{key!r}]: explains the model {value.model_name!r}, but the report is about "
                f"{model_name!r}; explain the same model you report on."
            )
        if len(value.frame):
            checked[key] = value
    return {m: checked[m] for m in METHODS if m in checked}


def _is_lagged(result: ExplanationResult) -> bool:
    return any(LAG_SUFFIX.search(str(name)) for name in pd.unique(result.frame["feature"]))


def _first(series: pd.Series) -> float | None:
    values = pd.to_numeric(series, errors="coerce").dropna()
    return float(values.iloc[0]) if len(values) else None


def _contributions(result: ExplanationResult, case, top: int) -> CaseContributions:
    """One case of one method: the ``top`` largest contributions, the rest summed."""
    raw = result.frame[result.frame["case"] == case]
    if _is_lagged(result):
        rows = result.per_feature()
        rows = rows[rows["case"] == case].copy()
        rows["label"] = [
            name if pd.isna(value) else f"{name} = {value:.4g}"
            for name, value in zip(rows["feature"], rows["feature_value"])
        ]
    else:
        rows = raw[["feature", "feature_value", "feature_weight", "feature_desc"]].copy()
        rows["label"] = rows["feature_desc"].where(rows["feature_desc"].notna(), rows["feature"]).astype(str)
    rows = rows.reindex(rows["feature_weight"].abs().sort_values(ascending=False, kind="stable").index)
    shown = rows.head(top)[["label", "feature", "feature_value", "feature_weight"]]
    rest = rows.iloc[top:]
    if len(rest):
        other = pd.DataFrame({
            "label": [f"{len(rest)} other features"], "feature": [None],
            "feature_value": [np.nan], "feature_weight": [float(rest["feature_weight"].sum())],
        })
        shown = pd.concat([shown, other], ignore_index=True)
    start_column = "base_value" if result.method == "shap" else "model_intercept"
    r2 = _first(raw["model_r2"]) if result.method == "lime" else None
    return CaseContributions(
        method=result.method,
        rows=shown.reset_index(drop=True),
        start=_first(raw[start_column]),
        prediction=_first(raw["model_prediction"]),
        r2=r2,
    )


def _direction(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return "up" if value >= 0.5 else "down"


def _cases(explanations: dict, labels: pd.Series, threshold: float, agreement, n: int, top: int) -> list[Case]:
    dates = sorted({pd.Timestamp(c) for result in explanations.values() for c in result.cases})
    spearman = {}
    if agreement is not None:
        pairs = zip(agreement["case"], agreement["spearman"])
        spearman = {pd.Timestamp(c): float(r) for c, r in pairs if not (isinstance(c, str) and c == "overall")}
    cases = []
    for date in reversed(dates[-n:] if n else []):
        methods, prob = {}, None
        for method, result in explanations.items():
            match = result.frame["case"].map(pd.Timestamp) == date
            if not match.any():
                continue
            case_key = result.frame.loc[match, "case"].iloc[0]
            methods[method] = _contributions(result, case_key, top)
            prob = prob if prob is not None else _first(result.frame.loc[match, "label_prob"])
        actual = labels.get(date, np.nan) if labels is not None else np.nan
        cases.append(Case(
            date=date,
            prob_up=prob,
            predicted=None if prob is None else ("up" if prob >= threshold else "down"),
            actual=_direction(actual),
            methods=methods,
            spearman=spearman.get(date),
        ))
    return cases


def _importance(explanations: dict) -> pd.DataFrame | None:
    if not explanations:
        return None
    table = pd.concat({m: r.global_importance() for m, r in explanations.items()}, axis=1)
    order = (table / table.sum()).mean(axis=1).sort_values(ascending=False).index
    return table.loc[order].rename_axis("feature")


def _explained(explanations, labels, threshold, model_name, cases, top) -> dict:
    explanations = _check_explanations(explanations, model_name)
    agreement = rank_agreement(explanations["shap"], explanations["lime"]) if len(explanations) == 2 else None
    return {
        "explanations": explanations,
        "importance": _importance(explanations),
        "agreement": agreement,
        "cases": _cases(explanations, labels, threshold, agreement, cases, top),
    }


def _cost_curve(y_true, prob_up, alpha: float):
    from pyanalytics.evaluation.costs import cost_curve

    return None if alpha == 1 else cost_curve(y_true, prob_up, alpha)


def _cost_points(curve, y_true, prob_up, alpha: float, threshold: float):
    """Expected cost at the thresholds worth comparing: the model's, the theory's, the extremes."""
    from pyanalytics.evaluation.costs import cost_curve, optimal_threshold

    if curve is None:
        return None
    lowest = curve.loc[curve["expected_cost"].idxmin()]
    rules = {
        "model threshold": threshold,
        "Bayes threshold α/(1+α)": optimal_threshold(alpha),
        "lowest on these dates (hindsight)": float(lowest["threshold"]),
        "always say up": 0.0,
        "always say down": np.inf,
    }
    points = cost_curve(y_true, prob_up, alpha, thresholds=list(rules.values()))
    return points.assign(rule=list(rules)).loc[:, ["rule", "threshold", "expected_cost", "fp", "fn"]]


def _costs(y_true, prob_up, alpha: float, threshold: float) -> dict:
    curve = _cost_curve(y_true, prob_up, alpha)
    return {"cost_curve": curve, "cost_points": _cost_points(curve, y_true, prob_up, alpha, threshold)}


def _config(model_name, estimator, horizon, dead_zone, window, alpha, features) -> dict:
    from pyanalytics.evaluation.costs import optimal_threshold

    params = estimator.get_params() if hasattr(estimator, "get_params") else {}
    return {
        "model": model_name,
        "estimator": type(estimator).__name__,
        "horizon": horizon,
        "dead_zone": dead_zone,
        "window": window,
        "threshold": float(estimator.threshold_),
        "alpha": float(alpha),
        "theoretical_threshold": optimal_threshold(alpha),
        "cost_sensitive": bool(params.get("cost_fp")) and not params.get("tune_threshold"),
        "tuned_threshold": bool(params.get("tune_threshold")),
        "best_epoch": getattr(estimator, "best_epoch_", None),
        "features": list(features),
        "params": params,
    }


def _check_cases(cases, top) -> tuple[int, int]:
    return check_int("cases", cases, minimum=0), check_int("top_features", top, minimum=1)


def from_training(
    result,
    explanations: dict | None = None,
    *,
    title: str | None = None,
    cases: int = DEFAULT_CASES,
    top_features: int = TOP_FEATURES,
) -> ReportData:
    """Gather a report's content from a TrainingResult (its test part) and optional explanations.

    Args:
        result: a :class:`~pyanalytics.training.TrainingResult`.
        explanations: ``{"shap": ExplanationResult, "lime": ExplanationResult}``, either or none.
        title: the report's heading (default: names the model).
        cases: how many of the most recent explained dates get their own chart.
        top_features: contributions shown per case chart (the rest are summed into one bar).
    """
    from pyanalytics.bundle import library_versions
    from pyanalytics.evaluation.scoring import probabilities

    cases, top_features = _check_cases(cases, top_features)
    dataset, rows, window = result.dataset, result.rows["test"], result.window
    y_true = dataset.y.to_numpy()[rows].astype(np.int64)
    prob_up = probabilities(result.estimator, result.model_name, result.baselines, dataset, rows, window)
    periods = {**result.periods}
    periods["evaluated"] = {**periods["test"], "part": "test"}
    config = _config(result.model_name, result.estimator, dataset.horizon, dataset.dead_zone, window,
                     result.alpha, dataset.X.columns)
    config["seed"] = result.seed
    return ReportData(
        title=title or f"{result.model_name.upper()} direction model report",
        model_name=result.model_name,
        source="training",
        config=config,
        periods=periods,
        versions=library_versions(),
        metrics=result.metrics,
        dates=dataset.X.index[rows],
        y_true=y_true,
        prob_up=prob_up,
        roc={name: _roc_points(y_true, p) for name, p in prob_up.items()},
        **_costs(y_true, prob_up[result.model_name], result.alpha, result.estimator.threshold_),
        data_sha256=result.data_sha256,
        history=getattr(result.estimator, "history_", None),
        **_explained(explanations, dataset.y, result.estimator.threshold_, result.model_name, cases, top_features),
    )


def from_bundle(
    bundle,
    prices: pd.DataFrame,
    explanations: dict | None = None,
    *,
    since=None,
    title: str | None = None,
    cases: int = DEFAULT_CASES,
    top_features: int = TOP_FEATURES,
) -> ReportData:
    """Gather a report's content from a loaded Bundle scored on ``prices`` (``Bundle.evaluate``).

    The evaluated dates are those ``Bundle.evaluate`` scores: labelled dates from ``since``
    (default: the first date of the bundle's own test part) on, with complete inputs.
    """
    from pyanalytics.evaluation.scoring import probabilities, score

    cases, top_features = _check_cases(cases, top_features)
    data = bundle.dataset(prices)
    rows = bundle.evaluation_rows(data, since=since)
    y_true = data.y.to_numpy()[rows].astype(np.int64)
    prob_up = probabilities(bundle.estimator, bundle.model_name, bundle.baselines, data, rows, bundle.window)
    metrics = score(bundle.estimator, bundle.model_name, bundle.baselines, data, rows, bundle.window,
                    bundle.alpha, prob_up=prob_up)
    dates = data.X.index[rows]
    periods = {**bundle.metadata.get("periods", {})}
    periods["evaluated"] = {"start": dates[0].date().isoformat(), "end": dates[-1].date().isoformat(),
                            "rows": int(len(rows)), "part": "prices"}
    config = _config(bundle.model_name, bundle.estimator, bundle.preprocessing.horizon, bundle.preprocessing.dead_zone, bundle.window,
                     bundle.alpha, data.X.columns)
    config["seed"] = bundle.metadata.get("seed")
    config["bundle"] = None if bundle.path is None else str(bundle.path)
    return ReportData(
        title=title or f"{bundle.model_name.upper()} direction model report",
        model_name=bundle.model_name,
        source="bundle",
        config=config,
        periods=periods,
        versions=bundle.metadata.get("versions", {}),
        metrics=metrics,
        dates=dates,
        y_true=y_true,
        prob_up=prob_up,
        roc={name: _roc_points(y_true, p) for name, p in prob_up.items()},
        **_costs(y_true, prob_up[bundle.model_name], bundle.alpha, bundle.estimator.threshold_),
        data_sha256=bundle.metadata.get("data", {}).get("sha256"),
        history=getattr(bundle.estimator, "history_", None),
        **_explained(explanations, data.y, bundle.estimator.threshold_, bundle.model_name, cases, top_features),
    )
