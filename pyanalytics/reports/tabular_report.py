"""The report of a tabular model: one self-contained HTML page, as the direction report is.

A :class:`~pyanalytics.tabular.TabularResult` is reported on its own test part, a loaded
``TabularBundle`` (or a result) on a labelled frame. The page holds the verdict (the sentence
``task_verdict`` gives the command line and R), the task's metrics beside the baselines, per task
the ROC curve and confusion matrix (binary), the confusion matrix (multiclass) or predicted
against actual values and the residuals (regression), the training curves, and optional
explanations. It shares the direction report's helpers (``pyanalytics.reports.html``), figures
(``pyanalytics.reports.plots``) and stylesheet, and is written atomically the same way.

Example:
    >>> from pyanalytics.reports import write_tabular_report
    >>> write_tabular_report("titanic.html", result)  # doctest: +SKIP
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from pyanalytics.errors import ParameterError
from pyanalytics.reports import html, plots
from pyanalytics.reports.report_data import (
    DEFAULT_CASES,
    HIGHER_IS_BETTER,
    TOP_FEATURES,
    CaseContributions,
    _check_explanations,
    _check_cases,
    _contributions,
    _importance,
    _roc_points,
)

TEMPLATE = "tabular_report.html.j2"
METRIC_LABELS = {
    **html.METRIC_LABELS,
    "pr_auc": "PR AUC",
    "macro_f1": "Macro F1",
    "log_loss": "Log loss",
    "mse": "MSE",
    "rmse": "RMSE",
    "mae": "MAE",
    "r2": "R²",
}
# The header's figures beside the task's headline metric and its best baseline's.
KPI_METRICS = {"binary": ("accuracy", "pr_auc"), "multiclass": ("macro_f1", "log_loss"), "regression": ("mae", "r2")}
LOSS_LABELS = {"binary_crossentropy": "binary cross-entropy", "sparse_categorical_crossentropy": "cross-entropy",
               "mse": "mean squared error"}


@dataclass(frozen=True, eq=False)
class TabularCase:
    """One explained row: what was explained, the model's call, the actual value and each method's contributions."""

    case: object  # a row label (or a Timestamp)
    label: str  # the explained class, or the response's name for a regression
    value: float | None  # the probability of ``label``, or the predicted value
    predicted: object | None  # the model's class or value on the row, when the row was scored here
    actual: object | None  # the row's response, when the row was scored here
    methods: dict[str, CaseContributions]
    spearman: float | None


@dataclass(frozen=True, eq=False)
class TabularReportData:
    """What the report of a tabular model shows: plain numbers and frames, nothing fitted.

    Attributes:
        task, model_name, target, classes: the task, the model's name, the response and its
            classes in the model's code order (None for a regression).
        source: ``"training"`` (a TabularResult) or ``"bundle"``.
        scored: what was scored, in words (``"the test part"``, a frame's name).
        data_name, parts, seed, notes: the training data's name, its rows per part, the seed and
            what reading and preprocessing changed.
        metrics: the task's metrics of the model and every baseline on the scored rows.
        labels: the scored rows' response, indexed by row label.
        predicted: the model's class (classification) or value (regression) per scored row.
        probabilities: each model's class probabilities (n, k) on the scored rows (classification).
        threshold: the model's decision threshold (binary), else None.
        history, best_epoch: the network's training history and the epoch whose weights it kept.
        config: the estimator, its parameters, the input columns and the network's inputs.
        explanations, importance, agreement, cases: the explanations, their global importance,
            LIME-SHAP agreement and the explained rows drawn one by one.
        caution: a warning the header shows (scoring the file the model was trained on), or None.
    """

    title: str
    task: str
    model_name: str
    target: str
    classes: list | None
    source: str
    scored: str
    data_name: str | None
    parts: dict
    seed: int | None
    notes: tuple
    metrics: dict
    labels: pd.Series
    predicted: np.ndarray
    probabilities: dict
    threshold: float | None
    history: dict | None
    best_epoch: int | None
    config: dict
    versions: dict
    explanations: dict = field(default_factory=dict)
    importance: pd.DataFrame | None = None
    agreement: pd.DataFrame | None = None
    cases: list = field(default_factory=list)
    caution: str | None = None
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def verdict(self):
        """The one verdict on the model beside its baselines (``task_verdict``)."""
        from pyanalytics.evaluation.verdict import task_verdict
        from pyanalytics.tasks import TASKS

        return task_verdict(TASKS[self.task], self.metrics, self.model_name)


def tabular_report_data(source, data: pd.DataFrame | None = None, *, data_label: str | None = None,
                        explanations: dict | None = None, title: str | None = None, cases: int = DEFAULT_CASES,
                        top_features: int = TOP_FEATURES) -> TabularReportData:
    """Gather the report of a tabular model scored on labelled rows.

    Args:
        source: a ``TabularResult`` or a loaded ``TabularBundle``.
        data: the labelled rows to score (a frame holding the response column); None reports a
            TabularResult on its own test part (a bundle keeps no data, so needs ``data``).
        data_label: what the page calls ``data`` (a file's name); default ``"the given rows"``.
        explanations: ``{"shap": ExplanationResult, "lime": ExplanationResult}``, either or none.
        title: the report's heading.
        cases: how many explained rows get charts of their own.
        top_features: contributions per case chart; the rest are summed into one bar.

    Raises:
        DataError: ``data`` lacks the response column or has no labelled row.
        ParameterError: not a tabular model, no data for a bundle, or bad explanations.
    """
    from pyanalytics.bundle import library_versions
    from pyanalytics.tabular import TabularResult
    from pyanalytics.tabular.bundle import TabularBundle, evaluate_rows
    from pyanalytics.tabular.labelled import labelled_rows

    if not isinstance(source, (TabularResult, TabularBundle)):
        raise ParameterError(
            f"source: expected a TabularResult or a loaded tabular bundle, got {type(source).__name__}."
        )
    cases, top_features = _check_cases(cases, top_features)
    bundle = isinstance(source, TabularBundle)
    if data is None:
        data = getattr(source, "test_frame", None)
        if data is None:
            raise ParameterError(
                "data: a loaded bundle keeps no rows to score; pass a frame of labelled rows (with the "
                f"response column {source.preprocessing.encoder.name_!r})."
            )
        scored = "the test part"
    else:
        if not isinstance(data, pd.DataFrame):
            raise ParameterError(f"data: expected a pandas DataFrame of labelled rows, got {type(data).__name__}.")
        scored = data_label or "the given rows"
    rows = labelled_rows(source.preprocessing, data)
    metrics = evaluate_rows(source, rows).metrics
    outputs = _outputs(source, rows.X)
    meta = source.metadata if bundle else {}
    data_name = meta.get("data", {}).get("name") if bundle else source.data_name
    estimator = source.estimator
    return TabularReportData(
        title=title or f"{source.model_name.upper()} {source.task} model of {source.preprocessing.encoder.name_}",
        task=source.task,
        model_name=source.model_name,
        target=source.preprocessing.encoder.name_,
        classes=source.preprocessing.classes,
        source="bundle" if bundle else "training",
        scored=scored,
        data_name=data_name,
        parts=meta.get("parts", {}) if bundle else source.parts,
        seed=meta.get("seed") if bundle else source.seed,
        notes=tuple(meta.get("notes", ()) if bundle else source.notes),
        metrics=metrics,
        labels=rows.labels,
        **outputs,
        threshold=float(estimator.threshold_) if source.task == "binary" else None,
        history=getattr(estimator, "history_", None),
        best_epoch=getattr(estimator, "best_epoch_", None),
        config={
            "estimator": type(estimator).__name__,
            "params": estimator.get_params(),
            "columns": list(source.preprocessing.required_columns),
            "features": list(source.preprocessing.feature_names),
            "bundle": None if not bundle or source.path is None else str(source.path),
        },
        versions=meta.get("versions", {}) if bundle else library_versions(),
        **_explained(explanations, source, rows.labels, outputs["predicted"], cases, top_features),
        caution=html.training_file_caution(data_label, data_name),
    )


def _outputs(source, X: pd.DataFrame) -> dict:
    """The model's predictions in the response's own labels, and every model's class probabilities."""
    if source.task == "regression":
        return {"predicted": source.estimator.predict(X).astype(np.float64), "probabilities": {}}
    models = {source.model_name: source.estimator, **source.baselines}
    probabilities = {name: model.predict_proba(X) for name, model in models.items()}
    codes = source.estimator.classes_from_proba(probabilities[source.model_name])  # no second pass
    return {"predicted": np.asarray(source.preprocessing.encoder.decode(codes)), "probabilities": probabilities}


def _explained(explanations, source, labels: pd.Series, predicted: np.ndarray, n: int, top: int) -> dict:
    from pyanalytics.explain.result import rank_agreement

    explanations = _check_explanations(explanations, source.model_name)
    agreement = rank_agreement(explanations["shap"], explanations["lime"]) if len(explanations) == 2 else None
    spearman = {} if agreement is None else {
        case: float(rho) for case, rho in zip(agreement["case"].iloc[:-1], agreement["spearman"].iloc[:-1])
    }  # the last row is "overall"
    every = [case for result in explanations.values() for case in result.frame["case"].drop_duplicates().tolist()]
    shown = pd.Series(every, dtype=object).drop_duplicates().tolist()[:n]  # Timestamps stay Timestamps
    position = {label: i for i, label in enumerate(labels.index)}
    cases = []
    for case in shown:
        methods = {m: _contributions(r, case, top) for m, r in explanations.items() if (r.frame["case"] == case).any()}
        first = next(r.frame[r.frame["case"] == case].iloc[0] for r in explanations.values()
                     if (r.frame["case"] == case).any())
        at = position.get(case)
        cases.append(TabularCase(
            case=case,
            label=str(first["label"]),
            value=None if pd.isna(first["label_prob"]) else float(first["label_prob"]),
            predicted=None if at is None else predicted[at],
            actual=None if at is None else labels.iloc[at],
            methods=methods,
            spearman=spearman.get(case),
        ))
    return {"explanations": explanations, "importance": _importance(explanations), "agreement": agreement,
            "cases": cases}


# The page's context.

def _senses(task) -> dict[str, bool]:
    return {metric: HIGHER_IS_BETTER[metric] for metric in task.metric_names}


def _kpis(data: TabularReportData, verdict) -> list[dict]:
    model = data.metrics[data.model_name]
    headline = METRIC_LABELS[verdict.metric]
    kpis = [
        {"label": headline, "value": html.format_number(verdict.value), "note": data.model_name},
        {"label": f"Best baseline {headline}", "value": html.format_number(verdict.baseline_value),
         "note": verdict.baseline or "–"},
    ]
    kpis += [{"label": METRIC_LABELS[m], "value": html.format_number(model[m]), "note": data.model_name}
             for m in KPI_METRICS[data.task]]
    kpis.append({"label": "Rows scored", "value": html.format_number(model["n"]), "note": data.scored})
    return kpis


def _confusion_matrix(data: TabularReportData) -> dict:
    return html.confusion_matrix(data.metrics[data.model_name]["confusion"], data.classes)


def _roc(data: TabularReportData, verdict, fmt: str) -> dict:
    negative, positive = (str(c) for c in data.classes)
    hits = (data.labels.to_numpy() == data.classes[1]).astype(np.int64)
    roc = {name: _roc_points(hits, p[:, 1]) for name, p in data.probabilities.items()}
    aucs = {name: m["roc_auc"] for name, m in data.metrics.items()}
    baseline = verdict.baseline
    return {
        "uri": plots.roc_chart(roc, aucs, data.model_name, baseline, fmt=fmt,
                               xlabel=f"false positive rate (said {positive}, was {negative})",
                               ylabel=f"true positive rate (said {positive}, was {positive})"),
        "alt": f"ROC curve of {data.model_name} (AUC {html.format_number(aucs[data.model_name])})"
               + (f" and {baseline} (AUC {html.format_number(aucs[baseline])})" if baseline else ""),
        "positive": positive,
        "baseline": baseline,
    }


def _regression(data: TabularReportData, fmt: str) -> dict:
    y_true = data.labels.to_numpy(dtype=np.float64)
    residuals = y_true - data.predicted
    return {
        "fit_uri": plots.predicted_actual_chart(y_true, data.predicted, data.target, fmt=fmt),
        "residuals_uri": plots.residuals_chart(y_true, data.predicted, data.target, fmt=fmt),
        "mean_residual": html.format_number(float(residuals.mean())),
        "sd_residual": html.format_number(float(residuals.std(ddof=1)) if len(residuals) > 1 else math.nan),
    }


def _case_text(case) -> str:
    """A case as the page prints it: a date for a Timestamp, the row label otherwise."""
    if isinstance(case, pd.Timestamp):
        return case.date().isoformat() if case == case.normalize() else case.isoformat()
    return str(case)


def _shown(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return html.format_number(value) if isinstance(value, (float, np.floating)) else str(value)


def _case_context(case: TabularCase, data: TabularReportData, fmt: str) -> dict:
    regression = data.task == "regression"
    explained = f"predicted {data.target}" if regression else f"probability of {case.label}"
    threshold = data.threshold if data.task == "binary" and case.label == str(data.classes[1]) else None
    figures = []
    for method, contrib in case.methods.items():
        if method == "shap" and contrib.start is not None:
            uri = plots.waterfall_chart(contrib.rows, contrib.start, contrib.prediction, threshold, fmt=fmt,
                                        xlabel=explained)
            notes = [("base value", html.format_number(contrib.start)),
                     ("prediction", html.format_number(contrib.prediction))]
        else:
            uri = plots.bar_chart(contrib.rows, title=f"{method.upper()}: local model weights", fmt=fmt,
                                  xlabel=f"contribution to the {explained}")
            notes = [("intercept", html.format_number(contrib.start)),
                     ("local prediction", html.format_number(contrib.prediction)),
                     ("local R²", html.format_number(contrib.r2))]
        top = contrib.rows.iloc[0] if len(contrib.rows) else None
        alt = f"{method.upper()} contributions to the {explained} of {_case_text(case.case)}" + (
            f"; largest: {top['label']} ({top['feature_weight']:+.3f})" if top is not None else "")
        figures.append({"method": method, "uri": uri, "alt": alt, "notes": notes})
    correct = None
    if not regression and case.actual is not None and case.predicted is not None:
        correct = case.actual == case.predicted
    return {
        "case": _case_text(case.case),
        "explained": explained,
        "value": _shown(case.value),
        "predicted": _shown(case.predicted),
        "actual": _shown(case.actual),
        "correct": correct,
        "spearman": None if case.spearman is None else html.format_number(case.spearman, 2),
        "agreement": html._agreement_word(case.spearman),
        "figures": figures,
    }


def _explanations_context(data: TabularReportData, fmt: str) -> dict | None:
    if not data.explanations:
        return None
    return {**html.importance_context(data.explanations, data.importance, data.agreement, fmt),
            "cases": [_case_context(c, data, fmt) for c in data.cases]}


def _config_rows(data: TabularReportData) -> list[tuple[str, str]]:
    rows = [
        ("Task", data.task),
        ("Response", data.target),
        ("Model", f"{data.model_name} ({data.config['estimator']})"),
    ]
    if data.classes is not None:
        rows.append(("Classes", ", ".join(map(str, data.classes))))
    if data.threshold is not None:
        rows.append(("Decision threshold", html.format_number(data.threshold)))
    rows += [("Best epoch", html.format_number(data.best_epoch)), ("Seed", html.format_number(data.seed))]
    if data.config["bundle"]:
        rows.append(("Bundle", data.config["bundle"]))
    return rows


def _context(data: TabularReportData, fmt: str) -> dict:
    from pyanalytics.tasks import TASKS

    task = TASKS[data.task]
    verdict = data.verdict
    state, headline = verdict.badge
    senses = _senses(task)
    return {
        "title": data.title,
        "task": data.task,
        "source": data.source,
        "model": data.model_name,
        "target": data.target,
        "data_name": data.data_name,
        "scored": data.scored,
        "n_scored": data.metrics[data.model_name]["n"],
        "seed": data.seed,
        "notes": list(data.notes),
        "split_rows": [(name, html.format_number(rows)) for name, rows in data.parts.items()],
        "verdict": {"state": state, "headline": headline, "text": verdict.sentence},
        "caution": data.caution,
        "kpis": _kpis(data, verdict),
        "metric_labels": [METRIC_LABELS[m] for m in senses],
        "metrics_rows": html.metrics_rows(data.metrics, data.model_name, verdict.baseline, senses),
        "headline": METRIC_LABELS[verdict.metric],
        "roc": _roc(data, verdict, fmt) if data.task == "binary" else None,
        "confusion": None if data.task == "regression" else _confusion_matrix(data),
        "threshold": None if data.threshold is None else html.format_number(data.threshold),
        "regression": _regression(data, fmt) if data.task == "regression" else None,
        "training": html.training_context(data.history, data.best_epoch, fmt, LOSS_LABELS.get(task.loss, task.loss)),
        "explain": _explanations_context(data, fmt),
        "config_rows": _config_rows(data),
        "columns": data.config["columns"],
        "features": data.config["features"],
        **html.page_context(data),
    }


def _chunks(data: TabularReportData, image_format: str):
    return html.page_chunks(TEMPLATE, _context(data, html.checked_image_format(image_format)))


def render_tabular_report(data: TabularReportData, *, image_format: str = "svg") -> str:
    """The report's HTML as one string."""
    return "".join(_chunks(data, image_format))


def write_tabular_report(path, source, data: pd.DataFrame | None = None, *, data_label: str | None = None,
                         explanations: dict | None = None, title: str | None = None, cases: int = DEFAULT_CASES,
                         top_features: int = TOP_FEATURES, image_format: str = "svg"):
    """Write the self-contained HTML report of a tabular model to ``path``, atomically; return the path.

    Args:
        path: the ``.html`` file to write (replaced if it exists; its folder is created).
        source: a ``TabularResult`` (reported on its test part unless ``data`` is given), a loaded
            ``TabularBundle`` (reported on ``data``), or a ``TabularReportData``.
        data: labelled rows to score: a frame holding the response column.
        data_label, explanations, title, cases, top_features: see ``tabular_report_data``.
        image_format: ``"svg"`` or ``"png"``.

    Raises:
        DataError: ``data`` lacks the response column or has no labelled row; nothing is written.
        ParameterError: a bad argument; nothing is written.

    Example:
        >>> write_tabular_report("wages.html", bundle, pd.read_csv("hourly_wages.csv"))  # doctest: +SKIP
    """
    target = html.report_path(path)
    if not isinstance(source, TabularReportData):
        source = tabular_report_data(source, data, data_label=data_label, explanations=explanations, title=title,
                                     cases=cases, top_features=top_features)
    return html.write_atomically(target, _chunks(source, image_format))  # every figure drawn before any file
