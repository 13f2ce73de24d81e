"""explain(): why did the model predict what it predicted on these dates?

One entry point for every model and both methods. It finds the model's inputs for the chosen
dates in original units, picks a background (reference) sample of inputs the model learned from,
runs the LIME or SHAP adapter and returns one tidy ``ExplanationResult``.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.explain.result import COLUMNS, ExplanationResult
from pyanalytics.params import check_choice, check_int, check_seed

METHODS = ("shap", "lime")
SHAP_EXPLAINERS = ("gradient", "deep", "kernel")
LIME_BACKGROUND = 5000  # rows for LIME's quartiles and bin statistics
MIN_BACKGROUND = 30  # fewer rows before the first explained date: use every row with inputs
LIME_SAMPLES = 5000  # LIME's perturbed samples per date unless told
LABEL = "up"


@dataclass(frozen=True)
class _Target:
    """What is explained: the model, the features of the data, the dates and the background."""

    estimator: object
    model_name: str
    X: pd.DataFrame  # features of the data, in the model's column order
    window: int | None
    rows: np.ndarray  # positions in X of the explained dates
    background: np.ndarray  # raw model inputs (rows or windows)

    @property
    def dates(self) -> pd.DatetimeIndex:
        return self.X.index[self.rows]

    def inputs(self) -> np.ndarray:
        from pyanalytics.data.windows import model_inputs

        return np.asarray(model_inputs(self.X, self.rows, self.window), dtype=np.float64)


def explain(
    model,
    data=None,
    *,
    method: str = "shap",
    dates=None,
    last: int = 10,
    background=None,
    n_samples: int | None = None,
    seed: int | None = 0,
    explainer: str | None = None,
    on_case=None,
    rows=None,
    label=None,
) -> ExplanationResult:
    """Explain the model's probability of a rise on some dates (or a tabular model's output for
    some rows), with SHAP or LIME.

    Contributions are to the probability of a rise (label ``"up"``) and feature values are in
    original units: the estimators scale their inputs themselves. For a sequence model every
    feature of every day in the window is explained as ``<feature>_t-<lag>`` (lag 0 is the
    explained date); ``result.per_feature()`` sums the lags.

    A model of a domain that registered its own explainer (``pyanalytics.domains``) is handed to
    it with every argument: anomaly detectors (an ``AnomalyResult`` or ``AnomalyBundle``) explain
    their anomaly score on raw rows with ``method="shap"`` or ``"reconstruction"``, by default
    the ``last`` highest-scoring flagged rows (``pyanalytics.anomaly.explain``); sequence models (a
    ``SequenceResult`` or ``SequenceBundle``) explain the windows ending at ``dates`` (or the ``last``
    ones), each feature summed over its window's steps, a forecaster per horizon
    (``pyanalytics.sequence.explain``).

    Tabular models (a ``TabularResult`` or ``TabularBundle``) explain raw rows, one tidy row per
    original column (``Sex = female``), see ``pyanalytics.explain.tabular``: binary models the
    probability of the positive class, multiclass models a chosen class's probability, regressors
    the predicted value (which ``label_prob`` then holds).

    Args:
        model: a ``TrainingResult``, a ``Bundle`` (or the path of one), a fitted estimator, a
            ``TabularResult`` / ``TabularBundle``, or an ``AnomalyResult`` / ``AnomalyBundle``.
        data: prices in the prices contract; for a tabular model a frame of raw rows (the
            response may be present), None for a TabularResult meaning its test rows. Required for a Bundle; for a TrainingResult None
            means the data it was trained on. For a bare fitted estimator, a frame of its
            features indexed by date.
        method: ``"shap"`` or ``"lime"`` (anomaly detectors: ``"shap"`` or ``"reconstruction"``).
        dates: dates to explain (strings or Timestamps); each must have complete inputs in the
            data (after the feature warm-up, and for sequence models a whole window).
        last: without ``dates``, explain the ``last`` most recent dates with complete inputs.
        background: the reference inputs; None picks the model's training rows (a
            TrainingResult's training part; for a Bundle the rows of ``data`` inside its training
            period, else the rows before the first explained date). Or a frame of features
            (consecutive dates for sequence models), or an array of model inputs.
        n_samples: LIME's perturbed samples per date (default ``LIME_SAMPLES``); SHAP's
            expected-gradient samples (GradientExplainer, default 200) or model evaluations
            (KernelExplainer, default 5000) per date. More samples, smaller additivity error.
        seed: seeds every random draw; a date's explanation depends only on the seed, the
            model, the background and the date, not on the other dates explained with it.
        explainer: SHAP only: ``"gradient"`` (default for the Keras models; expected gradients),
            ``"kernel"`` (any model; the default for models without a network) or ``"deep"``
            (DeepLIFT, feed-forward networks only).
        on_case: progress callback ``on_case(done, total)`` called after each date.
        rows: tabular models only: index labels of ``data`` to explain instead of the last
            ``last`` rows. Their background is the training rows of a TabularResult, else the
            rows of ``data`` (or ``background``, a frame of raw rows).
        label: multiclass models only: the class to explain for every row (default: each
            row's predicted class); a binary model explains its positive class.

    Returns:
        An ``ExplanationResult``. Its ``quality`` holds, for SHAP, ``additivity_max_error`` (the
        largest ``|base_value + sum(contributions) - label_prob|``) and ``additivity_mean_error``;
        for LIME, ``r2_median`` and ``r2_min`` of the local fits and ``n_samples``; for both,
        ``background_rows``.

    Raises:
        NotFittedError: the model is not fitted.
        DataError: a date outside the data or without complete inputs, or data missing a
            feature the model needs.
        ParameterError: an unknown method or explainer, or a bad argument.

    Example:
        >>> from pyanalytics.finance import synthetic_market
        >>> from pyanalytics.finance.training import train_direction_model
        >>> result = train_direction_model(synthetic_market(800, signal_strength=2.0),
        ...                                model_params={"epochs": 3})
        >>> explanation = explain(result, method="shap", last=5)
        >>> len(explanation.cases), explanation.explainer
        (5, 'GradientExplainer')
    """
    last = check_int("last", last, minimum=1)
    n_samples = None if n_samples is None else check_int("n_samples", n_samples, minimum=10)
    seed = check_seed("seed", seed)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(model, (str, Path)):
        from pyanalytics.bundle import load_bundle

        model = load_bundle(model)
    from pyanalytics.domains import domain_explainer, domain_of, is_tabular

    own = domain_explainer(domain_of(model))
    if own is not None:
        return own(model, data, method=method, dates=dates, last=last, background=background, n_samples=n_samples,
                   seed=seed, explainer=explainer, on_case=on_case, rows=rows, label=label)
    method = check_choice("method", method, METHODS)
    if method == "lime" and explainer is not None:
        raise ParameterError(
            f"explainer: LIME has one explainer, chosen by the model; got {explainer!r}. "
            "Drop explainer or use method='shap'."
        )
    from pyanalytics.explain.tabular import explain_tabular

    if is_tabular(model):
        if dates is not None:
            raise ParameterError("dates: a tabular model explains rows, not dates; pass rows=[index labels].")
        return explain_tabular(model, data, method=method, rows=rows, last=last, background=background, label=label,
                               n_samples=n_samples, seed=seed, explainer=explainer, on_case=on_case)
    for name, value in (("rows", rows), ("label", label)):
        if value is not None:
            raise ParameterError(f"{name}: only tabular models take {name}; a direction model explains dates (dates=) and P(up).")
    target = _target(model, data, dates, last, background)
    if method == "lime":
        return _explain_lime(target, n_samples or LIME_SAMPLES, seed, on_case)
    return _explain_shap(target, shap_explainer_for(target.estimator, explainer), n_samples, seed, on_case)


# --- what is explained ------------------------------------------------------------------------


def _target(model, data, dates, last, background) -> _Target:
    from pyanalytics.bundle import Bundle
    from pyanalytics.training import TrainingResult

    if isinstance(model, TrainingResult):
        return _from_training(model, data, dates, last, background)
    if isinstance(model, Bundle):
        return _from_bundle(model, data, dates, last, background)
    if hasattr(model, "predict_proba") and hasattr(model, "fit"):
        return _from_estimator(model, data, dates, last, background)
    raise ParameterError(
        f"model: expected a TrainingResult, a Bundle (or its path), a TabularResult or a fitted "
        f"pyanalytics estimator, got {type(model).__name__}."
    )


def _check_fitted(estimator) -> None:
    from pyanalytics.models.validation import check_fitted

    check_fitted(estimator)


def _features_in_model_order(estimator, X: pd.DataFrame, what: str) -> pd.DataFrame:
    names = getattr(estimator, "feature_names_in_", None)
    if names is None:
        return X
    missing = [n for n in names if n not in X.columns]
    if missing:
        raise DataError(
            f"{what}: lacks the feature column(s) {', '.join(map(repr, missing))} that "
            f"{type(estimator).__name__} was fitted with; compute the features with the model's "
            "feature spec (or pass prices with a TrainingResult or Bundle)."
        )
    return X.loc[:, list(names)]


def _from_training(result, data, dates, last, background) -> _Target:
    from pyanalytics.data.windows import model_inputs

    _check_fitted(result.estimator)
    dataset = result.dataset
    if isinstance(data, type(dataset)):
        X = data.X
    elif data is not None:
        X = result.preprocessing.dataset(_prices(data)).X
    else:
        X = dataset.X
    X = _features_in_model_order(result.estimator, X, "data")
    rows = _case_rows(X, result.window, dates, last, result.model_name)
    if background is None:
        train = _features_in_model_order(result.estimator, dataset.X, "training data")
        reference = model_inputs(train, result.rows["train"], result.window)
    else:
        reference = _given_background(result.estimator, background, result.window)
    return _Target(result.estimator, result.model_name, X, result.window, rows, _array(reference))


def _from_bundle(bundle, data, dates, last, background) -> _Target:
    if data is None:
        raise ParameterError(
            f"data: explaining the bundle {str(bundle.path)!r} needs prices; pass data=prices "
            "covering the dates to explain."
        )
    _check_fitted(bundle.estimator)
    X = _features_in_model_order(bundle.estimator, bundle.dataset(_prices(data)).X, "data")
    rows = _case_rows(X, bundle.window, dates, last, bundle.model_name)
    if background is None:
        period = bundle.metadata.get("periods", {}).get("train")
        reference = _period_background(X, bundle.window, period, rows[0])
    else:
        reference = _given_background(bundle.estimator, background, bundle.window)
    return _Target(bundle.estimator, bundle.model_name, X, bundle.window, rows, _array(reference))


def _from_estimator(estimator, data, dates, last, background) -> _Target:
    _check_fitted(estimator)
    name = _model_name(estimator)
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(
            f"data: explaining a bare {type(estimator).__name__} needs a DataFrame of its features "
            f"indexed by date, got {type(data).__name__}; or explain its TrainingResult or Bundle, "
            "which compute the features from prices."
        )
    X = _features_in_model_order(estimator, data, "data")
    window = getattr(estimator, "n_timesteps_in_", None) if getattr(estimator, "_input_ndim", 2) == 3 else None
    rows = _case_rows(X, window, dates, last, name)
    if background is None:
        reference = _period_background(X, window, None, rows[0])
    else:
        reference = _given_background(estimator, background, window)
    return _Target(estimator, name, X, window, rows, _array(reference))


def _model_name(estimator) -> str:
    from pyanalytics.models import BASELINES, MODELS

    for name, cls in {**MODELS, **BASELINES}.items():
        if type(estimator) is cls:
            return name
    return type(estimator).__name__


def _prices(data) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"data: expected a prices DataFrame, got {type(data).__name__}.")
    return data


def _array(inputs) -> np.ndarray:
    return np.asarray(inputs.to_numpy() if isinstance(inputs, pd.DataFrame) else inputs, dtype=np.float64)


def _first_row(window: int | None) -> int:
    return 0 if window is None else window - 1


def _span(X: pd.DataFrame, window: int | None) -> str:
    first = _first_row(window)
    if first >= len(X):
        return f"the data has {len(X)} dates of complete features, fewer than one window of {window}"
    return f"the data's dates with complete inputs run from {X.index[first].date()} to {X.index[-1].date()}"


def _case_rows(X: pd.DataFrame, window: int | None, dates, last: int, model_name: str) -> np.ndarray:
    """Positions in X of the dates to explain, checked to have complete inputs."""
    first = _first_row(window)
    if first >= len(X):
        raise DataError(f"data: {_span(X, window)}; supply a longer history.")
    if dates is None:
        return np.arange(max(first, len(X) - last), len(X))
    if isinstance(dates, (str, pd.Timestamp)) or not hasattr(dates, "__iter__"):
        dates = [dates]
    rows = []
    for value in dates:
        try:
            date = pd.Timestamp(value)
        except (TypeError, ValueError):
            raise ParameterError(f"dates: {value!r} is not a date; pass dates such as '2024-03-28'.") from None
        position = X.index.get_indexer([date])[0]
        if position < 0:
            raise DataError(
                f"dates: {date.date()} has no row in the data (not a trading day, or in the "
                f"feature warm-up; {_span(X, window)}); pick trading days in that range."
            )
        if position < first:
            raise DataError(
                f"dates: {date.date()} has only {position} earlier dates of features, but the "
                f"{model_name!r} model reads windows of {window} days ({_span(X, window)})."
            )
        if position not in rows:
            rows.append(position)
    if not rows:
        raise ParameterError("dates: no dates given; pass at least one date or dates=None.")
    return np.asarray(rows, dtype=np.int64)


def _period_background(X: pd.DataFrame, window: int | None, period: dict | None, first_case: int):
    """Rows of X inside the training period; else before the first explained date; else all."""
    from pyanalytics.data.windows import model_inputs, usable_rows

    first = _first_row(window)
    rows = np.arange(0)
    if period:
        inside = np.flatnonzero((X.index >= pd.Timestamp(period["start"])) & (X.index <= pd.Timestamp(period["end"])))
        if len(inside):
            rows = usable_rows(inside, window, max(int(inside[0]), 0))
    if len(rows) < MIN_BACKGROUND:
        rows = np.arange(first, first_case)
    if len(rows) < MIN_BACKGROUND:
        rows = np.arange(first, len(X))
    return model_inputs(X, rows, window)


def _given_background(estimator, background, window: int | None) -> np.ndarray:
    """A user's background: a features frame (windows are built from it) or model inputs."""
    from pyanalytics.data.windows import model_inputs

    if isinstance(background, pd.DataFrame):
        frame = _features_in_model_order(estimator, background, "background")
        inputs = model_inputs(frame, np.arange(_first_row(window), len(frame)), window)
        array = _array(inputs)
    else:
        array = np.asarray(background, dtype=np.float64)
    ndim = 2 if window is None else 3
    n_features = getattr(estimator, "n_features_in_", array.shape[-1] if array.ndim else 0)
    expected = (n_features,) if window is None else (window, n_features)
    if array.ndim != ndim or array.shape[1:] != expected or len(array) < 1 or not np.isfinite(array).all():
        raise DataError(
            f"background: expected finite model inputs of shape (rows, {', '.join(map(str, expected))}), "
            f"got shape {array.shape}; pass a frame of the model's features or its inputs."
        )
    return array


# --- SHAP -------------------------------------------------------------------------------------


def shap_explainer_for(estimator, explainer: str | None) -> str:
    """The SHAP explainer to use on ``estimator``: ``explainer`` checked, or the model's default."""
    has_network = hasattr(estimator, "network_")
    if explainer is None:
        return "gradient" if has_network else "kernel"
    explainer = check_choice("explainer", explainer, SHAP_EXPLAINERS)
    if explainer != "kernel" and not has_network:
        raise ParameterError(
            f"explainer: {explainer!r} needs a Keras network and {type(estimator).__name__} has "
            "none; use explainer='kernel', which works for any model."
        )
    if explainer == "deep" and getattr(estimator, "_input_ndim", 2) == 3:
        raise ParameterError(
            f"explainer: 'deep' (shap.DeepExplainer) fails on {type(estimator).__name__}'s "
            "recurrent network under TensorFlow 2; use explainer='gradient' (the default) or "
            "'kernel'."
        )
    return explainer


def _explain_shap(target: _Target, explainer: str, n_samples: int | None, seed: int, on_case) -> ExplanationResult:
    from pyanalytics.explain.shap_adapter import explain_shap

    cases = target.inputs()
    out = explain_shap(
        target.estimator,
        cases,
        target.background,
        explainer=explainer,
        case_seeds=_case_seeds(seed, target.dates),
        n_samples=n_samples,
        seed=seed,
        on_case=on_case,
    )
    names, values, weights = _tidy_cells(target, cases, out.values)
    prediction = out.base_value + weights.sum(axis=1)
    error = np.abs(prediction - out.explained)
    per_case = {
        "label_prob": out.explained,
        "model_prediction": prediction,
        "model_intercept": np.nan,
        "base_value": out.base_value,
        "model_r2": np.nan,
    }
    descriptions = value_descriptions(names, values)
    frame = tidy_frame(target.dates, names, values, weights, descriptions, "shap", per_case)
    quality = {
        "additivity_max_error": float(error.max()),
        "additivity_mean_error": float(error.mean()),
        "background_rows": int(out.background_rows),
    }
    return ExplanationResult(frame, "shap", target.model_name, out.explainer, quality)


def value_descriptions(names: list[str], values: np.ndarray) -> np.ndarray:
    """``name = value`` for every cell, shape (cases, cells): how SHAP describes a feature."""
    row = np.asarray(names, dtype=object)
    return np.array([[f"{name} = {value:.4g}" for name, value in zip(row, case)] for case in values], dtype=object)


# --- LIME -------------------------------------------------------------------------------------


def _explain_lime(target: _Target, n_samples: int, seed: int, on_case) -> ExplanationResult:
    from pyanalytics.explain.lime_adapter import explain_lime

    cases = target.inputs()
    rng = np.random.default_rng(seed)
    background = target.background
    if len(background) > LIME_BACKGROUND:
        background = background[np.sort(rng.choice(len(background), LIME_BACKGROUND, replace=False))]
    features = list(target.X.columns)
    explainer, results, lime_names = explain_lime(
        target.estimator,
        cases,
        background,
        features,
        case_seeds=_case_seeds(seed, target.dates),
        n_samples=n_samples,
        seed=seed,
        on_case=on_case,
    )
    order = lime_order(features, target.window, lime_names)
    names, values, _ = _tidy_cells(target, cases, np.zeros_like(cases))
    weights = np.array([r.weights[order] for r in results])
    descriptions = np.array([np.asarray(r.descriptions, dtype=object)[order] for r in results], dtype=object)
    per_case = {
        "label_prob": target.estimator.predict_proba(cases)[:, 1],  # as SHAP reports it
        "model_prediction": np.array([r.local_prediction for r in results]),
        "model_intercept": np.array([r.intercept for r in results]),
        "base_value": np.nan,
        "model_r2": np.array([r.r2 for r in results]),
    }
    frame = tidy_frame(target.dates, names, values, weights, descriptions, "lime", per_case)
    r2 = per_case["model_r2"]
    quality = {
        "r2_median": float(np.median(r2)),
        "r2_min": float(np.min(r2)),
        "n_samples": n_samples,
        "background_rows": len(background),
    }
    return ExplanationResult(frame, "lime", target.model_name, explainer, quality)


def lime_order(features: list[str], window: int | None, lime_names: list[str]) -> np.ndarray:
    """Positions in lime's columns of our cells, feature by feature from lag 0 back (lime's windows
    are feature-major, oldest first); ``window`` None for single-day models."""
    n_features = len(features)
    if window is None:
        order = np.arange(n_features)
    else:
        T = window
        order = np.array([f * T + (T - 1 - lag) for f in range(n_features) for lag in range(T)])
    expected = _cell_names(list(features), window)
    found = [lime_names[i] for i in order]
    if found != expected:  # pragma: no cover - guards against a change in lime's naming
        raise RuntimeError(f"lime named the window cells {found[:3]}..., expected {expected[:3]}...")
    return order


# --- the tidy frame ---------------------------------------------------------------------------


def _cell_names(features: list[str], window: int | None) -> list[str]:
    if window is None:
        return list(features)
    return [f"{name}_t-{lag}" for name in features for lag in range(window)]


def _tidy_cells(target: _Target, cases: np.ndarray, contributions: np.ndarray):
    """Names, raw values and contributions per case, one column per explained cell.

    Single-day models: one cell per feature. Sequence models: one per feature and lag, ordered
    feature by feature from lag 0 (the explained date) back to the window's first day.
    """
    names = _cell_names(list(target.X.columns), target.window)
    if target.window is None:
        return names, cases, contributions

    # window index j holds lag T-1-j; reverse the time axis so lag 0 comes first, feature-major
    def cells(array):
        return array[:, ::-1, :].transpose(0, 2, 1).reshape(len(array), -1)

    return names, cells(cases), cells(contributions)


def tidy_frame(cases, names, values, weights, descriptions, method, per_case) -> pd.DataFrame:
    """The tidy frame; ``per_case`` values are one per case or one for all (``label``: ``LABEL``)."""
    n_cases, n_cells = values.shape
    columns = {
        "case": np.repeat(np.asarray(cases, dtype=object), n_cells),
        "feature": np.tile(np.asarray(names, dtype=object), n_cases),
        "feature_value": values.reshape(-1),
        "feature_weight": weights.reshape(-1),
        "feature_desc": np.asarray(descriptions, dtype=object).reshape(-1),
        "method": method,
    }
    for key in ("label", "label_prob", "model_prediction", "model_intercept", "base_value", "model_r2"):
        value = per_case.get(key, LABEL)
        columns[key] = np.repeat(value, n_cells) if np.ndim(value) else np.full(n_cases * n_cells, value)
    frame = pd.DataFrame(columns, columns=list(COLUMNS))
    if isinstance(cases, pd.DatetimeIndex):
        frame["case"] = pd.to_datetime(frame["case"])
    else:
        frame["case"] = frame["case"].infer_objects()
    return frame


def _case_seeds(seed: int, dates: pd.DatetimeIndex) -> list[int]:
    return [int(np.random.SeedSequence([seed, d.toordinal()]).generate_state(1)[0]) for d in dates]
