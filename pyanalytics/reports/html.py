"""Write a report as ONE self-contained HTML file: inline CSS, figures as data: URIs, no scripts.

Every string that comes from data (feature names, dates, titles, model names) passes through
Jinja2's autoescaping; figures are base64 ``data:`` URIs made by :mod:`pyanalytics.reports.plots`,
so no raw data string is ever put into the markup. The page's Content-Security-Policy forbids
scripts and every network request. The file is written to a temporary file beside the target and
renamed into place, so a failure leaves no file and no half-written report behind.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.errors import ParameterError
from pyanalytics.reports import plots
from pyanalytics.reports.report_data import (
    DEFAULT_CASES,
    HIGHER_IS_BETTER,
    TOP_FEATURES,
    ReportData,
    from_bundle,
    from_training,
)

TEMPLATE = "report.html.j2"
METRIC_LABELS = {
    "roc_auc": "ROC AUC",
    "accuracy": "Accuracy",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "brier": "Brier",
    "expected_cost": "Expected cost",
}
SHORT_TABLE = 12  # importance rows shown before "all features"
IMPORTANCE_FEATURES = 12  # bars of the global importance chart


def format_number(value, digits: int = 3) -> str:
    """A number for a table cell: fixed decimals, an en dash for missing or NaN."""
    if value is None or isinstance(value, str):
        return "–" if value is None else value
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    value = float(value)
    if math.isnan(value):
        return "–"
    return f"{value:,.{digits}f}"


def format_signed(value, digits: int = 3) -> str:
    text = format_number(value, digits)
    return text if text == "–" or text.startswith("-") else f"+{text}"


def shown_features(n: int, top: int, order: str) -> str:
    """How many of the ``n`` features a chart of the ``top`` ones shows, and in what order."""
    if n <= top:
        return f"All {n} features, ordered by {order}."
    return f"The top {top} of {n} features by {order}."


def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("pyanalytics.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = lambda value, digits=3: format_number(value, digits)
    env.filters["signed"] = lambda value, digits=3: format_signed(value, digits)
    return env


def metrics_rows(metrics: dict, model_name: str, best_baseline: str | None, senses: dict[str, bool | None],
                 ceilings=()) -> list[dict]:
    """The metrics table's rows, the model first: one cell per metric of ``senses`` (metric ->
    higher is better; None for a count, never marked), the best value of each column marked, and
    the row count ``n``. ``ceilings`` (baselines that saw what the model never sees) come last,
    tagged, and are left out of the best values."""
    names = [model_name, *(name for name in metrics if name not in (model_name, *ceilings)),
             *(name for name in ceilings if name in metrics)]
    best = {}
    for metric, higher in senses.items():
        values = [metrics[n][metric] for n in names if n not in ceilings]
        finite = [v for v in values if v is not None and not math.isnan(v)]
        if finite and higher is not None:
            best[metric] = max(finite) if higher else min(finite)
    rows = []
    for name in names:
        m = metrics[name]
        kind = ("model" if name == model_name else "ceiling" if name in ceilings
                else "best baseline" if name == best_baseline else "baseline")
        rows.append({
            "name": name,
            "kind": kind,
            "cells": [{"text": format_number(m[k]), "best": kind != "ceiling" and k in best and m[k] == best[k]}
                      for k in senses],
            "n": format_number(m["n"]),
        })
    return rows


def _metrics_rows(data: ReportData) -> list[dict]:
    senses = {metric: HIGHER_IS_BETTER[metric] for metric in METRIC_LABELS}
    return metrics_rows(data.metrics, data.model_name, data.best_baseline[0], senses)


def training_file_caution(data_label: str | None, data_name: str | None) -> str | None:
    """A warning when the scored file has the training data's name: its rows include the training rows."""
    if data_label is None or data_label != data_name:
        return None
    return (f"{data_label} is the file the model was trained on: these rows include the ones it learned from, so "
            "the figures flatter it. Its test part's figures are in the bundle's metadata.json.")


def training_context(history: dict | None, best: int | None, fmt: str, loss: str = "loss") -> dict | None:
    """The training curves of a network from its ``history_`` and ``best_epoch_``; None without a history."""
    if not history or not history.get("loss"):
        return None
    return {
        "uri": plots.history_chart(history, best, loss=loss, fmt=fmt),
        "epochs": len(history["loss"]),
        "best_epoch": best,
        "validation": "val_loss" in history,
        "loss": loss,
    }


def _confusion(metrics: dict) -> dict:
    c = metrics["confusion"]
    total = max(sum(c.values()), 1)

    def cell(key, good):
        share = c[key] / total
        rgb = "43,138,62" if good else "201,42,42"
        return {"count": format_number(c[key]), "share": f"{share:.0%}",
                "style": f"background: rgba({rgb},{0.08 + 0.5 * share:.3f})", "key": key.upper()}

    return {
        "tn": cell("tn", True), "fp": cell("fp", False), "fn": cell("fn", False), "tp": cell("tp", True),
        "total": format_number(total),
    }


def confusion_matrix(confusion, classes) -> dict:
    """A confusion matrix for the page (``_parts.confusion_matrix``): rows the actual class, columns
    the predicted one, shaded by row share. ``confusion`` is a binary model's ``{"tn", "fp", "fn",
    "tp"}`` or a multiclass model's nested counts, in the order of ``classes``."""
    if isinstance(confusion, dict):
        confusion = [[confusion["tn"], confusion["fp"]], [confusion["fn"], confusion["tp"]]]
    counts = np.asarray(confusion, dtype=np.int64)
    rows = []
    for i, (label, row) in enumerate(zip(classes, counts)):
        total = max(int(row.sum()), 1)
        cells = []
        for j, count in enumerate(row):
            share = count / total
            rgb = "43,138,62" if i == j else "201,42,42"
            cells.append({"count": format_number(int(count)), "share": f"{share:.0%}", "right": i == j,
                          "style": f"background: rgba({rgb},{0.06 + 0.6 * share:.3f})" if count else ""})
        rows.append({"label": label, "cells": cells, "total": format_number(int(row.sum()))})
    return {"classes": list(classes), "rows": rows, "total": format_number(int(counts.sum())),
            "right": format_number(int(np.trace(counts)))}


def _verdict(data: ReportData) -> dict:
    v = data.verdict
    state, headline = v.badge
    n = data.metrics[data.model_name]["n"]
    return {"state": state, "headline": headline, "text": f"{v.sentence} Judged on {n:,} test dates."}


def _config_rows(data: ReportData) -> list[tuple[str, str]]:
    c = data.config
    window = "one day at a time" if c["window"] is None else f"{c['window']} days"
    training = ("cost-weighted loss" if c["cost_sensitive"] else "threshold tuned on validation"
                if c["tuned_threshold"] else "plain")
    rows = [
        ("Model", f"{c['model']} ({c['estimator']})"),
        ("Horizon", f"{c['horizon']} day{'s' if c['horizon'] != 1 else ''} ahead"),
        ("Input window", window),
        ("Dead zone", format_number(c["dead_zone"], 4)),
        ("Decision threshold", format_number(c["threshold"])),
        ("Cost ratio α (FP : FN)", format_number(c["alpha"], 2)),
        ("Bayes threshold α/(1+α)", format_number(c["theoretical_threshold"])),
        ("Cost handling", training),
        ("Best epoch", format_number(c["best_epoch"])),
        ("Seed", format_number(c["seed"])),
    ]
    if c.get("bundle"):
        rows.append(("Bundle", c["bundle"]))
    if data.data_sha256:
        rows.append(("Data SHA-256", data.data_sha256[:16] + "…"))
    return rows


def _period_rows(data: ReportData) -> list[dict]:
    """Train/validation/test rows; the scored part is marked (a separate row for new prices)."""
    evaluated = data.periods["evaluated"]
    rows = []
    for name, period in data.periods.items():
        if name == "evaluated" and evaluated.get("part") in data.periods:
            continue
        scored = name == evaluated.get("part") or (name == "evaluated")
        rows.append({"name": "scored here" if name == "evaluated" else name, "scored": scored, **period})
    return rows


def _case_context(case, threshold: float, fmt: str) -> dict:
    figures = []
    for method, contrib in case.methods.items():
        if method == "shap" and contrib.start is not None:
            uri = plots.waterfall_chart(contrib.rows, contrib.start, contrib.prediction, threshold, fmt=fmt)
            notes = [("base value", format_number(contrib.start)), ("prediction", format_number(contrib.prediction))]
            if case.prob_up is not None and contrib.prediction is not None \
                    and abs(contrib.prediction - case.prob_up) >= 0.0005:
                # SHAP's approximations (GradientExplainer) need not add up to the model exactly
                notes.append(("off the model's P(rise) by", format_signed(contrib.prediction - case.prob_up)))
        else:
            uri = plots.bar_chart(contrib.rows, title=f"{method.upper()}: local model weights", fmt=fmt)
            notes = [("intercept", format_number(contrib.start)),
                     ("local prediction", format_number(contrib.prediction)),
                     ("local R²", format_number(contrib.r2))]
        top = contrib.rows.iloc[0] if len(contrib.rows) else None
        alt = f"{method.upper()} contributions on {case.date.date()}" + (
            f"; largest: {top['label']} ({top['feature_weight']:+.3f})" if top is not None else "")
        figures.append({"method": method, "uri": uri, "alt": alt, "notes": notes})
    correct = None if case.actual is None or case.predicted is None else case.actual == case.predicted
    return {
        "date": case.date.date().isoformat(),
        "prob": format_number(case.prob_up),
        "predicted": case.predicted,
        "actual": case.actual,
        "correct": correct,
        "spearman": None if case.spearman is None else format_number(case.spearman, 2),
        "agreement": _agreement_word(case.spearman),
        "figures": figures,
    }


def _agreement_word(rho) -> str | None:
    if rho is None or math.isnan(rho):
        return None
    return "strong" if rho >= 0.7 else "moderate" if rho >= 0.4 else "weak"


def _explanations_context(data: ReportData, fmt: str) -> dict | None:
    if not data.explanations:
        return None
    return {
        **importance_context(data.explanations, data.importance, data.agreement, fmt),
        "cases": [_case_context(c, data.config["threshold"], fmt) for c in data.cases],
    }


def importance_context(explanations: dict, importance: pd.DataFrame, agreement: pd.DataFrame | None,
                       fmt: str) -> dict:
    """The global part of the explanations section: the importance chart and table, the explainers
    and how far LIME and SHAP agree (``agreement`` from ``rank_agreement``, or None)."""
    methods = list(importance.columns)
    table = [
        {"feature": feature, "values": [format_number(importance.at[feature, m], 4) for m in methods]}
        for feature in importance.index
    ]
    about = [
        {"method": m, "explainer": r.explainer, "cases": len(r.cases),
         "quality": [(k, format_number(v, 4) if isinstance(v, (int, float, np.number)) else str(v))
                     for k, v in r.quality.items()]}
        for m, r in explanations.items()
    ]
    summary = None
    if agreement is not None:
        overall = agreement[agreement["case"] == "overall"]["spearman"]
        rho = float(overall.iloc[0]) if len(overall) else float("nan")
        per_case = agreement[agreement["case"] != "overall"]
        summary = {
            "overall": format_number(rho, 2),
            "word": _agreement_word(rho),
            "median": format_number(float(per_case["spearman"].median()) if len(per_case) else float("nan"), 2),
            "cases": len(per_case),
        }
    return {
        "methods": methods,
        "importance_uri": plots.importance_chart(importance, top=IMPORTANCE_FEATURES, fmt=fmt),
        "importance_caption": shown_features(len(importance), IMPORTANCE_FEATURES,
                                             "mean |contribution|" if len(methods) == 1 else "mean share over the methods"),
        "importance_top": table[:SHORT_TABLE],
        "importance_rest": table[SHORT_TABLE:],
        "about": about,
        "agreement": summary,
        "n_explained": len({case for r in explanations.values() for case in r.cases}),
    }


def _context(data: ReportData, fmt: str) -> dict:
    model = data.model_name
    evaluated = data.periods["evaluated"]
    aucs = {name: m["roc_auc"] for name, m in data.metrics.items()}
    baseline = data.best_baseline[0]
    threshold = data.config["threshold"]
    m = data.metrics[model]
    cost = None
    if data.cost_curve is not None:
        cost = {"uri": plots.cost_chart(data.cost_curve, data.config["alpha"], threshold,
                                        data.config["theoretical_threshold"], fmt=fmt),
                "alpha": format_number(data.config["alpha"], 2),
                "points": [
                    {"rule": p.rule, "threshold": "–" if np.isinf(p.threshold) else format_number(p.threshold),
                     "cost": format_number(p.expected_cost), "fp": format_number(int(p.fp)),
                     "fn": format_number(int(p.fn)), "model": p.rule == "model threshold"}
                    for p in data.cost_points.itertuples()
                ]}
    kpis = [
        {"label": "ROC AUC", "value": format_number(m["roc_auc"]), "note": model},
        {"label": "Best baseline AUC", "value": format_number(data.best_baseline[1]), "note": baseline or "–"},
        {"label": "Accuracy", "value": format_number(m["accuracy"]),
         "note": f"up rate {format_number(m['up_rate'])}"},
        {"label": "Expected cost", "value": format_number(m["expected_cost"]),
         "note": f"per decision, α = {format_number(data.config['alpha'], 2)}"},
        {"label": "Dates scored", "value": format_number(m["n"]), "note": evaluated.get("part", "")},
    ]
    return {
        "title": data.title,
        "model": model,
        "source": data.source,
        "evaluated": evaluated,
        "trained": data.periods.get("train"),
        "periods": _period_rows(data),
        "verdict": _verdict(data),
        "kpis": kpis,
        "metric_labels": list(METRIC_LABELS.values()),
        "metrics_rows": _metrics_rows(data),
        "confusion": _confusion(m),
        "threshold": format_number(threshold),
        "roc_uri": plots.roc_chart(data.roc, aucs, model, baseline, fmt=fmt),
        "roc_alt": f"ROC curve of {model} (AUC {format_number(aucs[model])})"
                   + (f" and {baseline} (AUC {format_number(aucs[baseline])})" if baseline else ""),
        "prob_uri": plots.probability_chart(data.prob_up[model], data.y_true, threshold, fmt=fmt),
        "cost": cost,
        "config_rows": _config_rows(data),
        "features": data.config["features"],
        "explain": _explanations_context(data, fmt),
        "training": training_context(data.history, data.config["best_epoch"], fmt),
        **page_context(data),
    }


def gather_report_data(source, *, prices=None, explanations=None, since=None, title=None,
                cases: int = DEFAULT_CASES, top_features: int = TOP_FEATURES) -> ReportData:
    """ReportData from a TrainingResult, a Bundle (with ``prices``) or a ReportData (returned as is)."""
    from pyanalytics.bundle import Bundle
    from pyanalytics.training import TrainingResult

    if isinstance(source, ReportData):
        return source
    if isinstance(source, TrainingResult):
        if prices is not None or since is not None:
            raise ParameterError(
                "prices/since: a TrainingResult is reported on its own test part; drop prices and since, "
                "or save it as a bundle and report the bundle on new prices."
            )
        return from_training(source, explanations, title=title, cases=cases, top_features=top_features)
    if isinstance(source, Bundle):
        if prices is None:
            raise ParameterError("prices: a Bundle report scores the model on prices; pass prices=<prices frame>.")
        return from_bundle(source, prices, explanations, since=since, title=title, cases=cases,
                           top_features=top_features)
    raise ParameterError(
        f"source: expected a TrainingResult, a Bundle or a ReportData, got {type(source).__name__}."
    )


def page_context(data) -> dict:
    """The template keys every report page shares: the model's parameters, the library versions,
    when and by which pyanalytics it was made, and the colours."""
    from pyanalytics import __version__

    return {
        "params": [(k, repr(v)) for k, v in sorted(data.config["params"].items())],
        "versions": [(k, v if v is not None else "not installed") for k, v in data.versions.items()],
        "created": data.created,
        "version": __version__,
        "colours": {"rise": plots.RISE, "fall": plots.FALL, "model": plots.MODEL, "threshold": plots.THRESHOLD,
                    **plots.METHOD_COLOURS},
    }


def checked_image_format(image_format: str) -> str:
    """``image_format`` if the figures can be drawn in it (``plots.FORMATS``)."""
    if image_format not in plots.FORMATS:
        raise ParameterError(f"image_format: expected one of {plots.FORMATS}, got {image_format!r}.")
    return image_format


def page_chunks(template: str, context: dict):
    """The pieces of a report page: ``template`` rendered with ``context``, lazily."""
    return environment().get_template(template).generate(**context)


def render_report(data: ReportData, *, image_format: str = "svg") -> str:
    """The report's HTML as one string."""
    return "".join(_chunks(data, image_format))


def _chunks(data: ReportData, image_format: str):
    return page_chunks(TEMPLATE, _context(data, checked_image_format(image_format)))


def write_report(
    path,
    source,
    *,
    prices=None,
    explanations: dict | None = None,
    since=None,
    title: str | None = None,
    cases: int = DEFAULT_CASES,
    top_features: int = TOP_FEATURES,
    image_format: str = "svg",
) -> Path:
    """Write a self-contained HTML report of a model to ``path``, atomically; return the path.

    Args:
        path: the ``.html`` file to write (replaced if it exists; its folder is created).
        source: a TrainingResult (reported on its test part), a loaded Bundle (reported on
            ``prices``) or a ReportData from :mod:`pyanalytics.reports.report_data`.
        prices: prices to score a Bundle on (required for a Bundle, refused otherwise).
        explanations: ``{"shap": ExplanationResult, "lime": ExplanationResult}``, either or none.
        since: first date a Bundle is scored from (default: the start of its own test part).
        title: the report's heading.
        cases: how many of the most recent explained dates get a chart of their own.
        top_features: contributions per case chart; the rest are summed into one bar.
        image_format: ``"svg"`` (sharp at any zoom) or ``"png"``.

    Example:
        >>> write_report("report.html", result, explanations={"shap": shap_result})  # doctest: +SKIP
    """
    target = report_path(path)
    data = gather_report_data(source, prices=prices, explanations=explanations, since=since, title=title,
                       cases=cases, top_features=top_features)
    return write_atomically(target, _chunks(data, image_format))  # every figure is drawn before any file exists


def report_path(path) -> Path:
    """``path`` as a Path, refused when it is a directory."""
    target = Path(path)
    if target.is_dir():
        raise ParameterError(f"path: {str(target)!r} is a directory; pass a file name such as report.html.")
    return target


def write_atomically(target: Path, chunks) -> Path:
    """Write the text ``chunks`` to ``target`` through a temporary file beside it, renamed into place.

    A failure while writing (a template error halfway through the page, a full disk) removes the
    temporary file and leaves an existing ``target`` as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            for chunk in chunks:
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
