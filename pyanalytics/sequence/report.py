"""The report of a sequence classifier or forecaster: one self-contained HTML page, as the other
reports are (``pyanalytics.reports.html``: its helpers, figures, stylesheet and atomic writing).

A ``SequenceResult`` is reported on its own test sets (the test part or each named test series), a
loaded ``SequenceBundle`` on labelled series given as ``data``. The page holds the verdict and, for
every test set, the task's metrics beside the baselines (persistence too for a classifier); for a
classifier each test set's confusion matrix and its probability against the label over a stretch of
the series; for a forecaster the last test windows' forecasts against what happened (with the
interval band when the model has quantiles), the error per horizon of every model and the
interval's coverage per horizon; with explanations given, each feature's importance (its window's
steps summed); then the training curves, the split and the notes.

Example:
    >>> from pyanalytics.sequence.report import write_sequence_report
    >>> write_sequence_report(result, "occupancy.html")  # doctest: +SKIP
    >>> write_sequence_report(load_bundle("occ.bundle"), "new.html", data={"week 7": frame})  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from pyanalytics.errors import ParameterError
from pyanalytics.evaluation.verdict import task_verdict
from pyanalytics.reports import html, plots
from pyanalytics.reports.report_data import HIGHER_IS_BETTER, _check_explanations, _importance
from pyanalytics.sequence.bundle import SequenceBundle
from pyanalytics.sequence.training import PERSISTENCE, SequenceResult, TestSet, score_frame
from pyanalytics.tasks import TASKS

TEMPLATE = "sequence_report.html.j2"
STRETCH = 1440  # windows of a classifier's test series drawn over time: the last ones (a day of minutes)
FORECAST_WINDOWS = 4  # forecast origins drawn: the last test windows, a horizon apart
HISTORY_LEAD = 2  # input steps drawn before each forecast origin: this many horizons (at most the window)
METRIC_LABELS = {
    "accuracy": "Accuracy", "precision": "Precision", "recall": "Recall", "f1": "F1", "roc_auc": "ROC AUC",
    "pr_auc": "PR AUC", "brier": "Brier", "macro_f1": "Macro F1", "log_loss": "Log loss",
    "mae": "MAE", "rmse": "RMSE", "mase": "MASE", "coverage": "Coverage", "interval_width": "Interval width",
}
LOSS_LABELS = {"binary": "binary cross-entropy", "multiclass": "cross-entropy",
               "forecasting": "mean squared error (scaled target)", "quantiles": "pinball loss (scaled target)"}


@dataclass(frozen=True)
class ScoredSet:
    """One scored test set: its windows' truth, every model's outputs on them, metrics and verdict.

    Attributes:
        name: the test set's name (``test``, or a test series' name).
        test: the ``TestSet`` (end times, windows, truth, metrics by model).
        outputs: per model, class probabilities (n, k) or forecasts (n, H).
        lower, upper: the network's interval per window and horizon (forecasters with quantiles), else None.
    """

    name: str
    test: TestSet
    outputs: dict
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class SequenceReportData:
    """What the report of a sequence model shows: plain numbers and arrays, nothing fitted.

    Attributes:
        title, model_name, task, source: the heading, the network's name (a key of the metrics),
            ``binary``/``multiclass``/``forecasting`` and ``"training"`` or ``"bundle"``.
        sets: the scored test sets in order (the first one's verdict is the page's).
        preprocessing: the model's ``SequencePreprocessing`` (columns, window, horizon).
        classes: a classifier's classes, else None.
        threshold: a binary classifier's decision threshold, else None.
        nominal: a forecaster's nominal interval coverage (with quantiles), else None.
        data_name, parts, gap, seed, notes, scale: the training series' name, windows per part, rows
            purged between parts, the seed, what training decided, MASE's scale.
        history, best_epoch: the network's training history and the epoch it kept.
        config, versions: the estimator, its parameters and the bundle's path; library versions.
        explanations: ``{"shap": ExplanationResult, "lime": ...}`` from ``explain_sequences``, either or none.
    """

    title: str
    model_name: str
    task: str
    source: str
    sets: list
    preprocessing: object
    classes: list | None
    threshold: float | None
    nominal: float | None
    data_name: str | None
    parts: dict
    gap: int | None
    seed: int | None
    notes: tuple
    scale: float | None
    history: dict | None
    best_epoch: int | None
    config: dict
    versions: dict
    explanations: dict = field(default_factory=dict)
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))


def sequence_report_data(source, data=None, *, explanations: dict | None = None,
                         title: str | None = None) -> SequenceReportData:
    """Gather the report of a sequence model.

    Args:
        source: a ``SequenceResult`` or a loaded ``SequenceBundle``.
        data: labelled series to score: a frame, a CSV path, a list of them or a mapping name ->
            frame or path (with the model's time, feature and label or target columns). None
            reports a SequenceResult on its own test sets; a bundle needs it.
        explanations: ``{"shap": ExplanationResult, "lime": ExplanationResult}`` (either or none) of
            the model, from ``explain_sequences``: their global importance, per feature summed over
            each window's steps (and its horizons), and how far the two methods agree.
        title: the page's heading.

    Raises:
        DataError: a series lacks a column, holds a bad value or time, or no whole window.
        ParameterError: not a sequence model, a bundle without data, or explanations that are not
            ``{method: ExplanationResult}`` of this model.
    """
    from pyanalytics.bundle import library_versions
    from pyanalytics.models.validation import check_fitted

    if not isinstance(source, (SequenceResult, SequenceBundle)):
        raise ParameterError(f"source: expected a SequenceResult or a loaded sequence bundle, got {type(source).__name__}.")
    check_fitted(source.estimator, "n_features_in_")
    bundle = isinstance(source, SequenceBundle)
    pre = source.preprocessing
    meta = source.metadata if bundle else {}
    scale = meta.get("scale") if bundle else source.scale
    models = {source.model_name: source.estimator, **source.baselines}
    if data is None:
        if bundle:
            raise ParameterError("data: a loaded bundle keeps no series to score; pass data=a labelled frame (or a "
                                 f"mapping name -> frame) with the columns {', '.join(map(repr, _columns(pre)))}.")
        tests = dict(source.test_sets)
    else:
        tests = {name: score_frame(pre, models, frame, scale) for name, frame in _series(data).items()}
    estimator = source.estimator
    quantiles = getattr(estimator, "quantiles", None)
    sets = [_scored(name, test, models, pre.task, quantiles) for name, test in tests.items()]
    forecasting = pre.task == "forecasting"
    return SequenceReportData(
        title=title or (f"{source.model_name} forecaster of {pre.target}" if forecasting
                        else f"{source.model_name} classifier of {pre.label}"),
        model_name=source.model_name,
        task=pre.task,
        source="bundle" if bundle else "training",
        sets=sets,
        preprocessing=pre,
        classes=None if forecasting else list(estimator.classes_),
        threshold=getattr(estimator, "threshold_", None) if pre.task == "binary" else None,
        nominal=getattr(estimator, "nominal_coverage_", None) if forecasting else None,
        data_name=meta.get("data", {}).get("name") if bundle else source.data_name,
        parts=dict(meta.get("parts", {}) if bundle else source.parts),
        gap=None if bundle else source.gap,
        seed=meta.get("seed") if bundle else source.seed,
        notes=tuple(meta.get("notes", ()) if bundle else source.notes),
        scale=scale,
        history=getattr(estimator, "history_", None),
        best_epoch=getattr(estimator, "best_epoch_", None),
        config={"estimator": type(estimator).__name__, "params": estimator.get_params(),
                "bundle": None if not bundle or source.path is None else str(source.path)},
        versions=meta.get("versions", {}) if bundle else library_versions(),
        explanations=_check_explanations(explanations, source.model_name),
    )


def _columns(pre) -> tuple[str, ...]:
    return pre.required_columns + ((pre.label,) if pre.label else ())


def _series(data) -> dict:
    """Named labelled frames from a frame, a path, a list of them or a mapping."""
    from pyanalytics.data.tabular import read_frame
    from pyanalytics.sequence.training import named_sources

    return {name: read_frame(source)[0] for name, source in named_sources(data).items()}


def _scored(name: str, test: TestSet, models: dict, task: str, quantiles) -> ScoredSet:
    if task == "forecasting":
        network_name, network = next(iter(models.items()))
        lower = upper = None
        if quantiles:  # the forecast and its interval from one pass of the network
            forecast, lower, upper = network.predict_with_interval(test.X)
        outputs = {model: np.asarray(forecast if quantiles and model == network_name else m.predict(test.X), dtype=float)
                   for model, m in models.items()}
        return ScoredSet(name, test, outputs, lower, upper)
    return ScoredSet(name, test, {model: m.predict_proba(test.X) for model, m in models.items()})


# --- the page's context --------------------------------------------------------------------------


def _senses(task: str) -> dict:
    return {metric: HIGHER_IS_BETTER.get(metric) for metric in TASKS[task].metric_names}


def _table_metrics(metrics: dict, senses: dict) -> dict:
    """Every model's cells of the table: a metric it has not (a baseline's coverage) left blank."""
    return {name: {**{k: m.get(k) for k in senses}, "n": m["n"]} for name, m in metrics.items()}


def _verdict(data: SequenceReportData, scored: ScoredSet):
    return task_verdict(TASKS[data.task], scored.test.metrics, data.model_name)


def _performance(data: SequenceReportData) -> list[dict]:
    rows = []
    for scored in data.sets:
        metrics = scored.test.metrics
        senses = {k: v for k, v in _senses(data.task).items() if any(k in m for m in metrics.values())}  # no empty column
        verdict = _verdict(data, scored)
        state, headline = verdict.badge
        rows.append({
            "name": scored.name,
            "windows": html.format_number(len(scored.test.times)),
            "span": f"{scored.test.times[0]} – {scored.test.times[-1]}" if len(scored.test.times) else "",
            "verdict": {"state": state, "headline": headline, "text": verdict.sentence},
            "labels": [METRIC_LABELS.get(m, m) for m in senses],
            "rows": html.metrics_rows(_table_metrics(metrics, senses), data.model_name, verdict.baseline, senses),
        })
    return rows


def _classification(data: SequenceReportData, fmt: str) -> list[dict]:
    classes = data.classes
    shown = []
    for scored in data.sets:
        test = scored.test
        probabilities = scored.outputs[data.model_name]
        stretch = slice(max(0, len(test.times) - STRETCH), len(test.times))
        times = test.times[stretch]
        if data.preprocessing.panel:  # separate series, one label each: nothing runs over time
            uri = None
        elif data.task == "binary":
            actual = (np.asarray(test.y[stretch]) == classes[1]).astype(float)
            uri = plots.label_probability_chart(times, probabilities[stretch, 1], actual, data.threshold,
                                                positive=f"{data.preprocessing.label} = {classes[1]}", fmt=fmt)
        else:
            predicted = np.argmax(probabilities[stretch], axis=1)
            right = (np.asarray(classes, dtype=object)[predicted] == np.asarray(test.y[stretch], dtype=object))
            uri = plots.label_probability_chart(times, probabilities[stretch][np.arange(len(predicted)), predicted],
                                                right.astype(float), None, positive="the predicted class", fmt=fmt)
        shown.append({
            "name": scored.name,
            "confusion": html.confusion_matrix(test.metrics[data.model_name]["confusion"], [str(c) for c in classes]),
            "uri": uri,
            "stretch": html.format_number(len(times)),
            "from": str(times[0]) if len(times) else "",
            "to": str(times[-1]) if len(times) else "",
            "persistence": _persistence_line(data, scored),
            "caption": "the network's probability at each window's end over the steps that were actually "
                       f"{data.preprocessing.label} = {classes[1]} (shaded)." if data.task == "binary"
                       else "the network's probability of the class it predicts, over the steps where that class "
                            "was right (shaded).",
        })
    return shown


def _persistence_line(data: SequenceReportData, scored: ScoredSet) -> str | None:
    """Where persistence stands against the network on accuracy, in words."""
    metrics = scored.test.metrics
    if PERSISTENCE not in metrics:
        return None
    own, previous = metrics[data.model_name]["accuracy"], metrics[PERSISTENCE]["accuracy"]
    sense = "beats" if own > previous else "does not beat"
    return (f"Persistence (each step's label is the one before) is right on {previous:.1%} of these windows; "
            f"{data.model_name} is right on {own:.1%} and {sense} it. Labels that rarely change make the previous "
            "label a strong baseline: the network earns its place only at the changes.")


def _forecasting(data: SequenceReportData, fmt: str) -> list[dict]:
    pre = data.preprocessing
    shown = []
    for scored in data.sets:
        test = scored.test
        metrics = test.metrics
        best = _verdict(data, scored).baseline
        n, horizon = len(test.times), pre.horizon
        origins = [i for i in range(n - 1, -1, -horizon)][:FORECAST_WINDOWS][::-1]
        steps = min(pre.window, HISTORY_LEAD * horizon)
        windows = []
        for i in origins:
            window = {"title": f"from {test.times[i]}", "history": test.X[i, -steps:, pre.target_index],
                      "actual": test.y[i], "forecast": scored.outputs[data.model_name][i]}
            if scored.lower is not None:
                window |= {"lower": scored.lower[i], "upper": scored.upper[i], "band": f"{data.nominal:.0%} interval"}
            if best is not None:
                window |= {"baseline": scored.outputs[best][i], "baseline_name": best}
            windows.append(window)
        per_horizon = {name: m["horizons"] for name, m in metrics.items()}
        coverage = per_horizon[data.model_name].get("coverage")
        table = [{"horizon": h + 1,
                  "cells": [(html.format_number(per_horizon[name]["mae"][h]), html.format_number(per_horizon[name]["mase"][h]))
                            for name in per_horizon],
                  "coverage": None if coverage is None else f"{coverage[h]:.0%}"}
                 for h in range(horizon)]
        shown.append({
            "name": scored.name,
            "windows_uri": plots.forecast_windows_chart(windows, target=pre.target, fmt=fmt),
            "origins": len(windows),
            "best": best,
            "mase_uri": plots.horizon_chart({name: h["mase"] for name, h in per_horizon.items()}, ylabel="MASE",
                                            model=data.model_name, best=best, fmt=fmt),
            "mae_uri": None if coverage is not None else plots.horizon_chart(
                {name: h["mae"] for name, h in per_horizon.items()}, ylabel=f"MAE ({pre.target})", model=data.model_name,
                best=best, fmt=fmt),
            "coverage_uri": None if coverage is None else plots.horizon_chart(
                {data.model_name: coverage}, ylabel="coverage", model=data.model_name, nominal=data.nominal, fmt=fmt),
            "coverage": None if coverage is None else f"{metrics[data.model_name]['coverage']:.1%}",
            "models": list(per_horizon),
            "table": table,
        })
    return shown


def _split(data: SequenceReportData) -> dict:
    pre = data.preprocessing
    used = {"train": "fitted the network and the baselines", "validation": "early stopping",
            "test": "scored" if any(scored.name == "test" for scored in data.sets)
            else "scored when trained" + (" (the bundle's metadata)" if data.source == "bundle" else "")}
    rows = [{"part": part, "windows": html.format_number(count), "used": used.get(part, "")}
            for part, count in data.parts.items()]
    rows += [{"part": s.name, "windows": html.format_number(len(s.test.times)), "used": "scored (test series)"}
             for s in data.sets if s.name not in data.parts]
    how = ("by series, stratified on the label" if pre.panel else f"by time ({pre.time_column or 'row order'})"
           + (f", {data.gap:,} rows purged between parts" if data.gap else ""))
    return {"rows": rows, "how": how, "notes": list(data.notes)}


def _explanations(data: SequenceReportData, fmt: str) -> dict | None:
    """The importance section (``_parts.importance_section``) of the explanations given, or None."""
    from pyanalytics.explain.result import rank_agreement

    explanations = data.explanations
    if not explanations:
        return None
    agreement = rank_agreement(explanations["shap"], explanations["lime"]) if len(explanations) == 2 else None
    return html.importance_context(explanations, _importance(explanations), agreement, fmt)


def _config_rows(data: SequenceReportData) -> list[tuple[str, str]]:
    pre = data.preprocessing
    rows = [("Task", data.task), ("Model", f"{data.model_name} ({data.config['estimator']})"),
            ("Window", f"{pre.window} steps"), ("Features", ", ".join(pre.feature_names)),
            ("Time column", pre.time_column or "–"), ("Largest step allowed", pre.max_gap or "–")]
    if data.task == "forecasting":
        rows += [("Target", pre.target), ("Horizon", f"1..{pre.horizon} steps ahead"),
                 ("MASE scale", html.format_number(data.scale, 4))]
        if data.nominal is not None:
            rows.append(("Interval", f"{data.nominal:.0%} (quantiles {data.config['params'].get('quantiles')})"))
    else:
        rows += [("Label", pre.label), ("Classes", ", ".join(map(str, data.classes)))]
        if data.threshold is not None:
            rows.append(("Decision threshold", html.format_number(data.threshold)))
    rows += [("Best epoch", html.format_number(data.best_epoch)), ("Seed", html.format_number(data.seed))]
    if data.config["bundle"]:
        rows.append(("Bundle", data.config["bundle"]))
    return rows


def _context(data: SequenceReportData, fmt: str) -> dict:
    first = data.sets[0]
    verdict = _verdict(data, first)
    state, headline = verdict.badge
    forecasting = data.task == "forecasting"
    return {
        "title": data.title,
        "source": data.source,
        "model": data.model_name,
        "task": data.task,
        "forecasting": forecasting,
        "what": f"forecasts {data.preprocessing.target} 1..{data.preprocessing.horizon} steps ahead" if forecasting
                else f"classifies whole series by {data.preprocessing.label}" if data.preprocessing.panel
                else f"classifies {data.preprocessing.label} at each window's last step",
        "data_name": data.data_name,
        "window": data.preprocessing.window,
        "unit": "series" if data.preprocessing.panel else "windows",
        "seed": data.seed,
        "verdict": {"state": state, "headline": headline,
                    "text": f"{verdict.sentence} Judged on {len(first.test.times):,} "
                            f"{'series' if data.preprocessing.panel else 'windows'} of {first.name}."},
        "performance": _performance(data),
        "headline": METRIC_LABELS.get(TASKS[data.task].headline, TASKS[data.task].headline),
        "classification": None if forecasting else _classification(data, fmt),
        "forecast": _forecasting(data, fmt) if forecasting else None,
        "nominal": None if data.nominal is None else f"{data.nominal:.0%}",
        "explain": _explanations(data, fmt),
        "training": html.training_context(data.history, data.best_epoch, fmt,
                                          LOSS_LABELS["quantiles" if data.nominal is not None else data.task]),
        "split": _split(data),
        "config_rows": _config_rows(data),
        **html.page_context(data),
    }


def _chunks(data: SequenceReportData, image_format: str):
    return html.page_chunks(TEMPLATE, _context(data, html.checked_image_format(image_format)))


def render_sequence_report(data: SequenceReportData, *, image_format: str = "svg") -> str:
    """The report's HTML as one string."""
    return "".join(_chunks(data, image_format))


def write_sequence_report(source, path, *, data=None, explanations: dict | None = None, title: str | None = None,
                          image_format: str = "svg") -> Path:
    """Write the self-contained HTML report of a sequence model to ``path``, atomically; return the path.

    Args:
        source: a ``SequenceResult`` (reported on its test sets unless ``data`` is given), a loaded
            ``SequenceBundle`` (reported on ``data``, scored like ``bundle.evaluate``) or a
            ``SequenceReportData``.
        path: the ``.html`` file to write (replaced if it exists; its folder is created).
        data: labelled series to score (see ``sequence_report_data``).
        explanations: ``{"shap": ..., "lime": ...}`` from ``explain_sequences`` (see ``sequence_report_data``).
        title: the page's heading.
        image_format: ``"svg"`` or ``"png"``.

    Raises:
        DataError: a series lacks a column, holds a bad value or time, or no whole window; nothing is written.
        ParameterError: not a sequence model, a bundle without data, or a bad argument; nothing is written.
        NotFittedError: the model's network is not fitted; nothing is written.
    """
    target = html.report_path(path)
    if not isinstance(source, SequenceReportData):
        source = sequence_report_data(source, data, explanations=explanations, title=title)
    return html.write_atomically(target, _chunks(source, image_format))  # every figure drawn before any file
