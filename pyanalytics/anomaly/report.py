"""The report of an anomaly detector: one self-contained HTML page, as the tabular report is.

An :class:`~pyanalytics.anomaly.AnomalyResult` is reported on its own test part (or on labelled
rows given); a loaded ``AnomalyBundle`` on labelled rows. The page holds the verdict and the
task's metrics with the detector beside IsolationForest and PCA, and the supervised ceiling apart
(it saw the labels); the detector's score per class and every model's precision-recall curve on
the scored rows; the threshold curve (a result: on the validation part that chose the threshold;
a bundle, which keeps no rows: on the scored rows) with the chosen threshold marked; each
feature's reconstruction error for the top alerts; the training curves; the split and the
threshold's precision and recall on validation and on the scored rows. Labels are required:
without them there is nothing to draw a precision or a class from.

It shares the other reports' helpers (``pyanalytics.reports.html``), figures
(``pyanalytics.reports.plots``), stylesheet and template folder, and is written atomically the
same way.

Example:
    >>> from pyanalytics.anomaly.report import write_anomaly_report
    >>> write_anomaly_report("fraud.html", result)  # doctest: +SKIP
    >>> write_anomaly_report("fraud.html", load_bundle("fraud.bundle"), frame, data_label="march.csv")  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from pyanalytics.anomaly.bundle import AnomalyBundle
from pyanalytics.anomaly.training import TASK, AnomalyResult
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.anomaly_metrics import RECALL_PRECISION
from pyanalytics.evaluation.task_metrics import compare_task_models
from pyanalytics.evaluation.thresholds import alert_curve
from pyanalytics.params import check_int
from pyanalytics.reports import html, plots
from pyanalytics.reports.report_data import HIGHER_IS_BETTER

TEMPLATE = "anomaly_report.html.j2"
TOP_ALERTS = 20  # rows of the per-feature error heatmap
HEATMAP_FEATURES = 30  # columns of the heatmap; beyond, the features with the largest errors
TOP_FIELDS = 3  # the most unusual fields named per alert in the table
METRIC_LABELS = {
    "roc_auc": "ROC AUC", "pr_auc": "PR AUC", "precision": "Precision", "recall": "Recall", "f1": "F1",
    "precision_at_k": "Prec. at k", "recall_at_precision": f"Recall at prec. ≥ {RECALL_PRECISION:g}",
    "alerts": "Alerts",
    "tp": "TP", "fp": "FP", "fn": "FN", "tn": "TN",
}
LOSS_LABELS = {
    "autoencoder": "reconstruction MSE",
    "sparse": "reconstruction MSE + L1 on the code",
    "denoising": "MSE to the clean rows",
    "variational": "reconstruction + β × KL",
}


@dataclass(frozen=True, eq=False)
class AnomalyReportData:
    """What the report of an anomaly detector shows: plain numbers and frames, nothing fitted.

    Attributes:
        title, model_name: the heading and the detector's name (a key of ``metrics``).
        source: ``"training"`` (an AnomalyResult) or ``"bundle"``.
        scored: what was scored, in words (``"the test part"``, a file's name).
        data_name, parts, anomalies, gap, seed, notes: the training data's name, the rows and
            (a result's) anomalies per part, the rows purged between parts, the seed and what the
            split did.
        label, time_column, amount_column: the preprocessing's columns.
        metrics: the task's metrics of the detector and every baseline on the scored rows.
        labels: the scored rows' 0/1 labels, indexed by row label.
        scores: every model's anomaly score on the scored rows.
        thresholds: every model's threshold.
        amounts: what missing each scored row's anomaly costs (its amount, or 1), for the cost rule.
        rule, target, threshold: how the detector's threshold was chosen, and its value.
        curve, curve_rows: the threshold curve drawn and the rows it was computed on, in words.
        validation: the detector's precision, recall, alerts (and cost) on the validation part at
            its threshold.
        errors: per-feature squared reconstruction errors of the top alerts (rows x features).
        history, best_epoch: the network's training history and the epoch whose weights it kept.
        config, versions: the estimator, its parameters and the bundle's path; library versions.
        caution: a warning the header shows (scoring the file the model was trained on), or None.
    """

    title: str
    model_name: str
    source: str
    scored: str
    data_name: str | None
    parts: dict
    anomalies: dict
    gap: int | None
    seed: int | None
    notes: tuple
    label: str
    time_column: str | None
    amount_column: str | None
    metrics: dict
    labels: pd.Series
    scores: dict
    thresholds: dict
    amounts: np.ndarray
    rule: str
    target: float | None
    threshold: float
    curve: pd.DataFrame
    curve_rows: str
    validation: dict
    errors: pd.DataFrame
    history: dict | None
    best_epoch: int | None
    config: dict
    versions: dict
    caution: str | None = None
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def verdict(self):
        """The one verdict on the detector beside the unsupervised baselines (``task_verdict``)."""
        from pyanalytics.evaluation.verdict import task_verdict

        return task_verdict(TASK, self.metrics, self.model_name)


def anomaly_report_data(source, data: pd.DataFrame | None = None, *, data_label: str | None = None,
                        title: str | None = None, top_alerts: int = TOP_ALERTS) -> AnomalyReportData:
    """Gather the report of an anomaly detector scored on labelled rows.

    Args:
        source: an ``AnomalyResult`` or a loaded ``AnomalyBundle``.
        data: labelled rows to score (a frame with the feature and label columns); None reports an
            AnomalyResult on its own test part (a bundle keeps no rows, so needs ``data``).
        data_label: what the page calls ``data`` (a file's name); default ``"the given rows"``.
        title: the report's heading.
        top_alerts: the highest-scoring flagged rows whose per-feature errors are drawn.

    Raises:
        DataError: the detector has no label column, ``data`` lacks a column, holds a bad value or
            has rows of one class only.
        ParameterError: not an anomaly detector, no data for a bundle, or a bad argument.
    """
    if not isinstance(source, (AnomalyResult, AnomalyBundle)):
        raise ParameterError(
            f"source: expected an AnomalyResult or a loaded anomaly bundle, got {type(source).__name__}."
        )
    top_alerts = check_int("top_alerts", top_alerts, minimum=1)
    pre = source.preprocessing
    if pre.label is None:
        raise DataError("label: this detector was trained without a label column, so the report has no classes to "
                        "draw precision, recall or score distributions from; train it with label= to report it.")
    bundle = isinstance(source, AnomalyBundle)
    frame, scored = _scored_rows(source, data, data_label, bundle)
    X, y = pre.features(frame), pre.labels(frame)
    if y.min() == y.max():
        raise DataError(f"label {pre.label!r}: every scored row is {'an anomaly' if y[0] else 'normal'}; the report "
                        "needs both classes to draw precision and recall. Score rows with both.")
    models = {source.model_name: source.estimator, **source.baselines}
    scores = {name: model.anomaly_score(X) for name, model in models.items()}
    own_test = not bundle and data is None
    metrics = source.metrics if own_test else compare_task_models(TASK, models, X, y)
    meta = source.metadata if bundle else {}
    choice = meta["threshold"] if bundle else {"rule": source.threshold.rule, "target": source.threshold.target}
    threshold = float(source.estimator.threshold_)
    rule, target = choice["rule"], choice.get("target")
    amounts = np.ones(len(frame)) if pre.amount_column is None else pre.amounts(frame)
    if bundle:
        curve = _curve(scores[source.model_name], y, amounts, rule, target)
        validation = dict(meta["threshold"].get("validation") or {})
        curve_rows = scored
    else:
        curve, validation = _validation_curve(source, rule, target, threshold)
        curve_rows = "the validation part"
    data_name = meta.get("data", {}).get("name") if bundle else source.data_name
    from pyanalytics.bundle import library_versions

    return AnomalyReportData(
        title=title or f"{source.model_name} anomaly detector of {pre.label}",
        model_name=source.model_name,
        source="bundle" if bundle else "training",
        scored=scored,
        data_name=data_name,
        parts=dict(meta.get("parts", {}) if bundle else source.parts),
        anomalies={} if bundle else {part: int(pre.labels(rows).sum()) for part, rows in source.frames.items()},
        gap=None if bundle else source.gap,
        seed=meta.get("seed") if bundle else source.seed,
        notes=tuple(meta.get("notes", ()) if bundle else source.notes),
        label=pre.label,
        time_column=pre.time_column,
        amount_column=pre.amount_column,
        metrics=metrics,
        labels=pd.Series(y, index=frame.index, name=pre.label),
        scores=scores,
        thresholds={name: float(model.threshold_) for name, model in models.items()},
        amounts=amounts,
        rule=rule,
        target=target,
        threshold=threshold,
        curve=curve,
        curve_rows=curve_rows,
        validation=validation,
        errors=_top_alert_errors(source, X, frame.index, scores[source.model_name], threshold, top_alerts),
        history=getattr(source.estimator, "history_", None),
        best_epoch=getattr(source.estimator, "best_epoch_", None),
        config={
            "estimator": type(source.estimator).__name__,
            "params": source.estimator.get_params(),
            "features": list(pre.feature_names),
            "bundle": None if not bundle or source.path is None else str(source.path),
        },
        versions=meta.get("versions", {}) if bundle else library_versions(),
        caution=html.training_file_caution(data_label, data_name),
    )


def _scored_rows(source, data, data_label, bundle) -> tuple[pd.DataFrame, str]:
    if data is None:
        if bundle:
            raise ParameterError(
                "data: a loaded bundle keeps no rows to score; pass a frame of labelled rows (with the label "
                f"column {source.preprocessing.label!r})."
            )
        return source.test_frame, "the test part"
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"data: expected a pandas DataFrame of labelled rows, got {type(data).__name__}.")
    return data, data_label or "the given rows"


def _curve(scores, y, amounts, rule: str, target) -> pd.DataFrame:
    """The alert curve with precision and recall, and the costs for the cost rule."""
    return alert_curve(scores, y, amounts=amounts, review_fee=target if rule == "cost" else None)


def _validation_curve(result: AnomalyResult, rule: str, target, threshold: float) -> tuple[pd.DataFrame, dict]:
    """The curve that chose the threshold, when it has labels; else (an alert budget or a quantile)
    the same curve drawn on the labelled validation rows. Also the detector's figures there."""
    curve = result.threshold.curve
    if "precision" not in curve:
        rows = result.frames["validation"]
        pre = result.preprocessing
        amounts = np.ones(len(rows)) if pre.amount_column is None else pre.amounts(rows)
        curve = _curve(result.estimator.anomaly_score(pre.features(rows)), pre.labels(rows), amounts, rule, target)
    return curve, _at(curve, threshold)


def _at(curve: pd.DataFrame, threshold: float) -> dict:
    """The curve's row of the flags ``threshold`` raises (every score at or above it), as numbers."""
    row = curve[curve["threshold"] >= threshold].iloc[-1]
    return {key: float(value) for key, value in row.items()}


def _top_alert_errors(source, X: np.ndarray, index: pd.Index, scores: np.ndarray, threshold: float,
                      top: int) -> pd.DataFrame:
    """The per-feature errors of the ``top`` highest-scoring rows, flagged ones first (all rows
    when fewer are flagged: the heatmap then says so)."""
    order = np.argsort(-scores, kind="stable")[:top]
    errors = source.estimator.feature_errors(X[order])
    return pd.DataFrame(errors, index=index[order], columns=list(source.preprocessing.feature_names))


# The page's context.

def _senses() -> dict[str, bool | None]:
    return {metric: HIGHER_IS_BETTER.get(metric) for metric in TASK.metric_names}


def _is_ceiling(name: str) -> bool:
    return name in TASK.ceilings


def _kpis(data: AnomalyReportData, verdict) -> list[dict]:
    model = data.metrics[data.model_name]
    n, anomalies = int(data.labels.size), int(data.labels.sum())
    kpis = [
        {"label": "PR AUC", "value": html.format_number(verdict.value), "note": data.model_name},
        {"label": "Best unsupervised PR AUC", "value": html.format_number(verdict.baseline_value),
         "note": verdict.baseline or "–"},
    ]
    if verdict.ceiling is not None:
        kpis.append({"label": "Ceiling PR AUC", "value": html.format_number(verdict.ceiling_value),
                     "note": f"{verdict.ceiling}, saw the labels"})
    else:
        kpis.append({"label": "ROC AUC", "value": html.format_number(model["roc_auc"]), "note": data.model_name})
    kpis += [
        {"label": "Recall at threshold", "value": html.format_number(model["recall"]),
         "note": f"precision {html.format_number(model['precision'])}, {model['alerts']:,} alerts"},
        {"label": "Rows scored", "value": html.format_number(n),
         "note": f"{anomalies:,} anomalies ({anomalies / n:.1%}) · {data.scored}"},
    ]
    return kpis


def _distribution(data: AnomalyReportData, fmt: str) -> dict:
    scores = data.scores[data.model_name]
    y = data.labels.to_numpy()
    flagged = scores >= data.threshold
    return {
        "uri": plots.score_distribution_chart(scores, y, data.threshold, fmt=fmt,
                                              xlabel=f"{data.model_name} anomaly score"),
        "normal_flagged": f"{flagged[y == 0].mean():.1%}",
        "anomaly_flagged": f"{flagged[y == 1].mean():.1%}",
        "median_normal": html.format_number(float(np.median(scores[y == 0]))),
        "median_anomaly": html.format_number(float(np.median(scores[y == 1]))),
    }


def _pr(data: AnomalyReportData, fmt: str) -> dict:
    from sklearn.metrics import precision_recall_curve

    y = data.labels.to_numpy()
    curves = {}
    for name, scores in data.scores.items():
        precision, recall, _ = precision_recall_curve(y, scores)
        curves[name] = pd.DataFrame({"precision": precision, "recall": recall}).iloc[::-1]
    model = data.metrics[data.model_name]
    ceilings = [name for name in data.scores if _is_ceiling(name)]
    return {
        "uri": plots.pr_chart(curves, {name: m["pr_auc"] for name, m in data.metrics.items()}, data.model_name,
                              prevalence=float(y.mean()), operating=(model["recall"], model["precision"]),
                              dashed=ceilings, fmt=fmt),
        "ceilings": ceilings,
    }


def _rule_text(data: AnomalyReportData) -> str:
    """The rule that chose the threshold on the validation part, in words."""
    target, where = data.target, "the validation part"
    if data.rule == "precision":
        return (f"the lowest threshold whose precision on {where} is at least {target:.2f}: the most anomalies "
                "caught at that precision")
    if data.rule == "recall":
        return f"the fewest alerts that still catch at least {target:.0%} of the anomalies of {where}"
    if data.rule == "top_k":
        return f"an alert budget: the {int(target):,} highest scores of {where}"
    if data.rule == "fraction":
        return f"an alert budget: the highest-scoring {target:.2%} of {where}"
    if data.rule == "cost":
        missed = f"its {data.amount_column}" if data.amount_column else "1"
        return (f"the lowest total cost on {where}, where a missed anomaly costs {missed} and every alert a "
                f"review fee of {target:g}")
    if data.rule == "quantile":
        return f"the {target:g} quantile of the normal training rows' scores (no labels needed)"
    return data.rule


def _scored_cost(data: AnomalyReportData) -> float:
    scores, y = data.scores[data.model_name], data.labels.to_numpy()
    flagged = scores >= data.threshold
    return float(data.amounts[(y == 1) & ~flagged].sum() + data.target * flagged.sum())


def _threshold(data: AnomalyReportData, fmt: str) -> dict:
    model = data.metrics[data.model_name]
    scored = {"precision": model["precision"], "recall": model["recall"], "alerts": model["alerts"]}
    validation = data.validation
    rows = [(METRIC_LABELS[k], validation.get(k), scored[k]) for k in ("precision", "recall")]
    alerts = validation.get("alerts")
    rows.append(("Alerts", None if alerts is None else int(alerts), int(scored["alerts"])))
    if data.rule == "cost":
        rows.append(("Total cost", validation.get("cost"), _scored_cost(data)))
    table = [{"name": name, "validation": html.format_number(v), "scored": html.format_number(s),
              "difference": "–" if v is None or name == "Alerts" or name == "Total cost"
              else html.format_signed(s - v)} for name, v, s in rows]
    target_line = None
    if data.rule in ("precision", "recall") and data.target is not None:
        reached = scored[data.rule]
        target_line = (f"Target {data.rule} {data.target:.2f}; on {data.scored} it is {reached:.3f} "
                       f"({html.format_signed(reached - data.target)}).")
    return {
        "uri": plots.threshold_chart(data.curve, data.threshold, rule=data.rule, target=data.target, fmt=fmt,
                                     xlabel=f"threshold on the {data.model_name} score",
                                     ylabel=f"total cost on {data.curve_rows}"),
        "rule": data.rule,
        "target": "–" if data.target is None else f"{data.target:g}",
        "value": html.format_number(data.threshold, 4),
        "text": _rule_text(data),
        "rows": table,
        "target_line": target_line,
        "curve_rows": data.curve_rows,
        "cost": data.rule == "cost",
    }


def _heatmap(data: AnomalyReportData, fmt: str) -> dict:
    errors = data.errors
    if errors.shape[1] > HEATMAP_FEATURES:
        errors = errors[errors.mean().sort_values(ascending=False).index[:HEATMAP_FEATURES]]
    scores = pd.Series(data.scores[data.model_name], index=data.labels.index)
    labels = data.labels.loc[errors.index]
    row_labels = [f"{row} · {'anomaly' if label else 'normal'}" for row, label in labels.items()]
    flagged = int((scores.loc[errors.index] >= data.threshold).sum())
    alerts = []
    for row, values in data.errors.iterrows():
        top = values.sort_values(ascending=False).head(TOP_FIELDS)
        alerts.append({
            "row": str(row), "score": html.format_number(float(scores.loc[row])),
            "anomaly": bool(labels.loc[row]),
            "flagged": bool(scores.loc[row] >= data.threshold),
            "fields": [(str(name), html.format_number(float(value), 2)) for name, value in top.items()],
        })
    return {
        "uri": plots.error_heatmap(errors, row_labels, [bool(v) for v in labels], fmt=fmt),
        "rows": len(errors),
        "flagged": flagged,
        "caption": html.shown_features(data.errors.shape[1], HEATMAP_FEATURES, "mean error over these rows")
        if data.errors.shape[1] > HEATMAP_FEATURES else f"All {data.errors.shape[1]} features, in the data's order.",
        "true_alerts": int(labels.sum()),
        "alerts": alerts,
    }


def _split(data: AnomalyReportData) -> dict:
    rows = []
    for part, count in data.parts.items():
        anomalies = data.anomalies.get(part)
        rows.append({"part": part, "rows": html.format_number(count),
                     "anomalies": "–" if anomalies is None else html.format_number(anomalies),
                     "learned": "normal rows only" if part == "train" else "threshold" if part == "validation"
                     else "scored" if part == "test" else ""})
    how = (f"chronological by {data.time_column}" + (f", {data.gap:,} rows purged between parts" if data.gap else "")
           if data.time_column else f"seeded and stratified on {data.label}")
    return {"rows": rows, "how": how, "notes": list(data.notes)}


def _config_rows(data: AnomalyReportData) -> list[tuple[str, str]]:
    rows = [
        ("Task", "anomaly"),
        ("Detector", f"{data.model_name} ({data.config['estimator']})"),
        ("Label", data.label),
        ("Time column", data.time_column or "–"),
        ("Amount column", data.amount_column or "–"),
        ("Threshold", f"{html.format_number(data.threshold, 4)} ({data.rule}, target "
                      f"{'–' if data.target is None else f'{data.target:g}'})"),
        ("Best epoch", html.format_number(data.best_epoch)),
        ("Seed", html.format_number(data.seed)),
    ]
    if data.config["bundle"]:
        rows.append(("Bundle", data.config["bundle"]))
    return rows


def _context(data: AnomalyReportData, fmt: str) -> dict:
    verdict = data.verdict
    state, headline = verdict.badge
    n = int(data.labels.size)
    senses = _senses()
    return {
        "title": data.title,
        "source": data.source,
        "model": data.model_name,
        "label": data.label,
        "data_name": data.data_name,
        "scored": data.scored,
        "n_scored": n,
        "seed": data.seed,
        "threshold_value": html.format_number(data.threshold, 4),
        "verdict": {"state": state, "headline": headline,
                    "text": f"{verdict.sentence} Judged on {n:,} rows of {data.scored}."},
        "caution": data.caution,
        "kpis": _kpis(data, verdict),
        "metric_labels": [METRIC_LABELS[m] for m in senses],
        "metrics_rows": html.metrics_rows(data.metrics, data.model_name, verdict.baseline, senses,
                                          ceilings=TASK.ceilings),
        "ceiling": verdict.ceiling,
        "recall_precision": f"{RECALL_PRECISION:.0%}",
        "missing_baselines": [name for name in TASK.baselines if name not in data.metrics],
        "distribution": _distribution(data, fmt),
        "pr": _pr(data, fmt),
        "threshold": _threshold(data, fmt),
        "heatmap": _heatmap(data, fmt),
        "training": html.training_context(data.history, data.best_epoch, fmt,
                                          LOSS_LABELS.get(data.model_name, "loss")),
        "split": _split(data),
        "config_rows": _config_rows(data),
        "features": data.config["features"],
        **html.page_context(data),
    }


def _chunks(data: AnomalyReportData, image_format: str):
    return html.page_chunks(TEMPLATE, _context(data, html.checked_image_format(image_format)))


def render_anomaly_report(data: AnomalyReportData, *, image_format: str = "svg") -> str:
    """The report's HTML as one string."""
    return "".join(_chunks(data, image_format))


def write_anomaly_report(path, source, data: pd.DataFrame | None = None, *, data_label: str | None = None,
                         title: str | None = None, top_alerts: int = TOP_ALERTS, image_format: str = "svg"):
    """Write the self-contained HTML report of an anomaly detector to ``path``, atomically; return the path.

    Args:
        path: the ``.html`` file to write (replaced if it exists; its folder is created).
        source: an ``AnomalyResult`` (reported on its test part unless ``data`` is given), a loaded
            ``AnomalyBundle`` (reported on ``data``), or an ``AnomalyReportData``.
        data: labelled rows to score: a frame with the feature and label columns.
        data_label, title, top_alerts: see ``anomaly_report_data``.
        image_format: ``"svg"`` or ``"png"``.

    Raises:
        DataError: no label column, a bad or missing column in ``data``, or one class only; nothing is written.
        ParameterError: a bad argument; nothing is written.

    Example:
        >>> write_anomaly_report("fraud.html", result)  # doctest: +SKIP
    """
    target = html.report_path(path)
    if not isinstance(source, AnomalyReportData):
        source = anomaly_report_data(source, data, data_label=data_label, title=title, top_alerts=top_alerts)
    return html.write_atomically(target, _chunks(source, image_format))  # every figure drawn before any file
