"""Why was a row flagged? Its per-feature reconstruction errors and SHAP on its anomaly score.

Two methods, both in the project's tidy explanation frame (``pyanalytics.explain.result.COLUMNS``,
the same in Python and R), one row per feature per explained row (``case``: its index label):

``"reconstruction"``
    ``feature_weight`` is the feature's squared reconstruction error in scaled units (the
    detector's ``feature_errors``): the fields the detector could not rebuild. The weights do not
    sum to the score, they *average* to it: ``model_prediction`` is their mean, which is the
    reconstruction score ``label_prob`` (a ``VariationalAutoencoder`` with ``score_by="elbo"``
    scores by its ELBO instead, and the two differ). ``model_intercept``, ``base_value`` and
    ``model_r2`` are NaN; ``feature_desc`` says the feature's value and its share of the error.
    The errors say where the reconstruction failed, not which field moved: a field the others
    predict almost exactly is rebuilt from them, and pushing it alone off can leave the largest
    error on a neighbour (in the planted tests, c = a + 0.3 b moved alone puts it on another
    column for most rows); SHAP names the moved field there.
``"shap"``
    ``shap.KernelExplainer`` on the anomaly score of raw rows (original units) against a k-means
    summary of normal rows (``shap_adapter.KERNEL_BACKGROUND`` centres): ``base_value`` is the
    expected score over that summary and ``base_value + sum(feature_weight) = label_prob`` (the
    explainer's regression enforces it; ``quality["additivity_max_error"]`` reports it).
    Positive weights push the row towards an alert. The score is a network's, neither linear nor
    tree-shaped, so no exact shap explainer applies; the kernel one costs a fraction of a second
    a row for 30 features at its default 5,000 evaluations (``n_samples``).

For both, ``label`` is ``"anomaly"`` for a flagged row and ``"normal"`` otherwise, and
``label_prob`` is the row's anomaly score (what the threshold is compared with).
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.params import check_int, check_seed

if TYPE_CHECKING:
    from pyanalytics.explain.result import ExplanationResult

# pyanalytics.explain is imported where it is used: importing that package binds the name
# ``pyanalytics.explain`` to it, hiding the function of that name for ``import pyanalytics as pa``.

METHODS = ("reconstruction", "shap")
FLAG_LABELS = ("normal", "anomaly")  # label of a row by its flag, 0 or 1


@dataclass(frozen=True, eq=False)
class AnomalyExplanation:
    """Explanations of the same rows by one or more methods.

    Attributes:
        results: one ``ExplanationResult`` per method, in the order asked.
    """

    results: dict

    def __getitem__(self, method: str) -> "ExplanationResult":
        if method not in self.results:
            raise ParameterError(f"method: this explanation holds {', '.join(map(repr, self.results))}, not {method!r}.")
        return self.results[method]

    @property
    def cases(self) -> list:
        """The explained rows' index labels, in order."""
        return next(iter(self.results.values())).cases

    def to_frame(self) -> pd.DataFrame:
        """Every method's tidy frame, one under the other (the ``method`` column tells them apart)."""
        return pd.concat([result.to_frame() for result in self.results.values()], ignore_index=True)


@dataclass(frozen=True)
class _Rows:
    """The explained rows of one model: raw rows, their features, scores and flags."""

    model: object  # AnomalyResult or AnomalyBundle
    frame: pd.DataFrame  # the explained raw rows
    X: np.ndarray
    scores: np.ndarray
    flags: np.ndarray

    @property
    def labels(self) -> np.ndarray:
        return np.asarray(FLAG_LABELS, dtype=object)[self.flags]


def explain_anomalies(model, frame=None, *, rows=None, top: int | None = None, methods=METHODS, background=None,
                      n_samples: int | None = None, seed: int | None = 0, on_case=None) -> AnomalyExplanation:
    """Explain why rows were (or were not) flagged: which fields the detector could not rebuild
    and how much each moved the anomaly score (SHAP).

    Args:
        model: an ``AnomalyResult``, an ``AnomalyBundle`` or the path of one.
        frame: raw rows with the model's feature columns (the label may be present); None for an
            ``AnomalyResult`` means its test part.
        rows: index labels of ``frame`` to explain; None: the rows the detector flags.
        top: explain only the ``top`` highest-scoring of those rows, highest first.
        methods: ``"reconstruction"`` and/or ``"shap"``.
        background: SHAP's reference rows, a frame of raw rows; None: an ``AnomalyResult``'s
            training part (normal rows only), for a bundle the normal rows of ``frame`` (label 0
            where the label column is present, else the rows not flagged).
        n_samples: KernelExplainer's model evaluations per row (default 5,000).
        seed: seeds SHAP's sampling; a row's explanation depends on the seed and its index label,
            not on the rows explained with it (None: not reproducible).
        on_case: progress callback ``on_case(done, total)`` after each row SHAP explains.

    Returns:
        An ``AnomalyExplanation``: ``explanation["shap"]`` is an ``ExplanationResult``,
        ``explanation.to_frame()`` the tidy frame of every method.

    Raises:
        DataError: a row label not in ``frame`` (named), no flagged row to explain, a missing or
            non-numeric feature column, or no normal row for the background.
        ParameterError: an unknown method, a bad ``top``/``n_samples``, or a model that is not
            an anomaly detector.

    Example:
        >>> from pyanalytics.anomaly import train_anomaly
        >>> result = train_anomaly("creditcard_fraud_enriched.csv", label="Class", time_column="Time")
        >>> explanation = explain_anomalies(result, top=3)
        >>> unusual = explanation["reconstruction"].ranking(explanation.cases[0])[:3]  # fields it could not rebuild
    """
    model = _anomaly_model(model)
    methods = _methods(methods)
    top = None if top is None else check_int("top", top, minimum=1)
    n_samples = None if n_samples is None else check_int("n_samples", n_samples, minimum=10)
    seed = check_seed("seed", seed)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    data = _data(model, frame)
    explained = _explained_rows(model, data, rows, top)
    results = {}
    for method in methods:
        if method == "reconstruction":
            results[method] = _reconstruction(explained)
        else:
            reference = _background(model, data, background)
            results[method] = _shap(explained, reference, n_samples, seed, on_case)
    return AnomalyExplanation(results)


def explain_for_core(model, data, *, method, dates, last, background, n_samples, seed, explainer, on_case, rows,
                     label) -> "ExplanationResult":
    """``pyanalytics.explain.explain`` for an anomaly model: one method; without ``rows``, the
    ``last`` highest-scoring flagged rows (see ``explain_anomalies``)."""
    for name, value in (("dates", dates), ("label", label)):
        if value is not None:
            raise ParameterError(f"{name}: an anomaly detector explains its anomaly score on rows (rows=[index labels]); "
                                 f"got {name}={value!r}. Drop {name}.")
    if explainer not in (None, "kernel"):
        raise ParameterError(f"explainer: an anomaly detector's score is explained by 'kernel' (KernelExplainer); "
                             f"got {explainer!r}. Drop explainer.")
    if method not in METHODS:
        raise ParameterError(f"method: an anomaly detector is explained by {' or '.join(map(repr, METHODS))}, got {method!r}.")
    explanation = explain_anomalies(model, data, rows=rows, top=last if rows is None else None, methods=(method,),
                                    background=background, n_samples=n_samples, seed=seed, on_case=on_case)
    return explanation[method]


# --- what is explained --------------------------------------------------------------------------


def _anomaly_model(model):
    if isinstance(model, (str, Path)):
        from pyanalytics.bundle import load_bundle

        model = load_bundle(model)
    from pyanalytics.domains import domain_of

    if domain_of(model) != "anomaly":
        raise ParameterError(f"model: expected an AnomalyResult, an AnomalyBundle or its path, got {type(model).__name__}; "
                             "explain other models with pyanalytics.explain.explain.")
    return model


def _methods(methods) -> tuple[str, ...]:
    chosen = (methods,) if isinstance(methods, str) else tuple(dict.fromkeys(methods))
    unknown = [m for m in chosen if m not in METHODS]
    if unknown or not chosen:
        raise ParameterError(f"methods: expected one or more of {', '.join(map(repr, METHODS))}, got {methods!r}.")
    return chosen


def _data(model, frame) -> pd.DataFrame:
    if frame is None:
        frame = (getattr(model, "frames", None) or {}).get("test")
        if frame is None:
            where = f"the bundle {str(model.path)!r}" if getattr(model, "path", None) else "this model"
            raise ParameterError(f"frame: explaining {where} needs rows; pass a frame with the columns it was trained on.")
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"frame: expected a DataFrame of rows with the model's columns, got {type(frame).__name__}.")
    return frame


def _explained_rows(model, data: pd.DataFrame, rows, top: int | None) -> _Rows:
    """The rows to explain: ``rows``, else the flagged ones; the ``top`` highest-scoring of them."""
    from pyanalytics.explain.tabular import chosen_rows

    labels = chosen_rows(data, rows, len(data))  # every label when rows is None; unknown labels named
    positions = data.index.get_indexer(labels)
    X = model.preprocessing.features(data.iloc[positions])
    scores = model.estimator.anomaly_score(X)
    flags = model.estimator.flags_from_scores(scores)
    keep = np.arange(len(positions)) if rows is not None else np.flatnonzero(flags)
    if not len(keep):
        raise DataError(f"rows: none of the {len(data)} rows is flagged (score >= {model.estimator.threshold_:.4g}), so "
                        "there is no alert to explain; pass rows=[index labels] to explain chosen rows.")
    if top is not None:
        keep = keep[np.argsort(-scores[keep], kind="stable")[:top]]
    return _Rows(model, data.iloc[positions[keep]], X[keep], scores[keep], flags[keep])


def _background(model, data: pd.DataFrame, background) -> np.ndarray:
    """SHAP's reference rows as features: given, the training part, or the normal rows of ``data``."""
    preprocessing = model.preprocessing
    if background is not None:
        if not isinstance(background, pd.DataFrame):
            raise ParameterError(f"background: expected a DataFrame of raw rows with the model's columns, "
                                 f"got {type(background).__name__}.")
        reference, what = background, "background"
    elif "train" in (getattr(model, "frames", None) or {}):
        reference, what = model.frames["train"], "the training part"
    elif preprocessing.label is not None and preprocessing.label in data.columns:
        reference, what = data[preprocessing.labels(data) == 0], f"the rows of frame labelled 0 in {preprocessing.label!r}"
    else:
        X = preprocessing.features(data)
        reference, what = data[model.estimator.flag(X) == 0], "the rows of frame the detector does not flag"
    if not len(reference):
        raise DataError(f"background: {what} holds no row; pass background=a frame of normal rows.")
    return preprocessing.features(reference)


# --- the two methods ----------------------------------------------------------------------------


def _result(explained: _Rows, weights, descriptions, method, per_case, explainer, quality) -> "ExplanationResult":
    from pyanalytics.explain.explain import tidy_frame
    from pyanalytics.explain.result import ExplanationResult

    model = explained.model
    names = list(model.preprocessing.feature_names)
    per_case = {**per_case, "label": explained.labels, "label_prob": explained.scores}
    frame = tidy_frame(explained.frame.index, names, explained.X, weights, descriptions, method, per_case)
    return ExplanationResult(frame, method, model.model_name, explainer, quality,
                             task="anomaly", target=model.preprocessing.label)


def _reconstruction(explained: _Rows) -> "ExplanationResult":
    from pyanalytics.explain.explain import value_descriptions

    estimator = explained.model.estimator
    if not hasattr(estimator, "feature_errors"):
        raise ParameterError(f"methods: {type(estimator).__name__} does not reconstruct its rows, so it has no "
                             "per-feature errors; use methods=('shap',).")
    errors = estimator.feature_errors(explained.X)
    mean = errors.mean(axis=1)
    total = errors.sum(axis=1, keepdims=True)
    shares = np.divide(errors, total, out=np.zeros_like(errors), where=total > 0)
    names = list(explained.model.preprocessing.feature_names)
    values = value_descriptions(names, explained.X)
    descriptions = np.array([[f"{text} ({share:.0%} of the error)" for text, share in zip(*row)]
                             for row in zip(values, shares)], dtype=object)
    per_case = {"model_prediction": mean, "model_intercept": np.nan, "base_value": np.nan, "model_r2": np.nan}
    quality = {"score_max_error": float(np.max(np.abs(mean - explained.scores)))}
    return _result(explained, errors, descriptions, "reconstruction", per_case, "feature_errors", quality)


def _shap(explained: _Rows, background: np.ndarray, n_samples, seed: int, on_case) -> "ExplanationResult":
    from pyanalytics.explain.explain import value_descriptions
    from pyanalytics.explain.shap_adapter import explain_shap
    from pyanalytics.explain.tabular import row_seeds

    out = explain_shap(explained.model.estimator, explained.X, background, explainer="kernel",
                       case_seeds=row_seeds(seed, explained.frame.index), n_samples=n_samples, seed=seed,
                       on_case=on_case)
    prediction = out.base_value + out.values.sum(axis=1)
    error = np.abs(prediction - out.explained)
    per_case = {"model_prediction": prediction, "model_intercept": np.nan, "base_value": out.base_value,
                "model_r2": np.nan}
    quality = {"additivity_max_error": float(error.max()), "additivity_mean_error": float(error.mean()),
               "background_rows": int(out.background_rows)}
    names = list(explained.model.preprocessing.feature_names)
    return _result(explained, out.values, value_descriptions(names, explained.X), "shap", per_case, out.explainer,
                   quality)
