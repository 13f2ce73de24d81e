"""Why did a sequence model classify or forecast a window so? LIME and SHAP through the existing
adapters (``pyanalytics.explain``), each window's attributions summed over its time steps.

A window holds ``window`` time steps of every feature; the adapters attribute the model's output to
each (step, feature) cell and, as for the direction LSTM (``ExplanationResult.per_feature``), the
cells of a feature are summed over the window: one row per explained window and feature. Sums keep
SHAP's additivity (``base_value + sum(feature_weight) = label_prob``).

What is explained:

- a classifier: the probability of a class (binary: the second class, ``classes_[1]``; multiclass:
  each window's predicted class, or ``label``); ``label`` holds the class as text;
- a forecaster: the forecast at each horizon (the median with quantiles), one set of rows per
  horizon: a ``horizon`` column (1..H) after the contract's columns and ``label`` naming the horizon
  as the bundle's prediction column does (``"h3"``), so R filters either way; ``label_prob`` is the
  forecast in the target's units.

The tidy frame is the contract's (``pyanalytics.explain.result.COLUMNS``): ``case`` is the time the
window ends at, ``feature_value`` the feature at that last step, ``feature_desc`` says so (SHAP) or
gives LIME's bin of that last step, ``method``, ``model_prediction``, ``base_value`` (SHAP) or
``model_intercept`` and ``model_r2`` (LIME).
"""

from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.params import check_choice, check_int, check_seed

# pyanalytics.explain is imported where it is used: importing that package binds the name
# ``pyanalytics.explain`` to it, hiding the function of that name for ``import pyanalytics as pa``.

METHODS = ("shap", "lime")
CASES = 5  # windows explained by default: the last ones
BACKGROUND = 100  # reference windows drawn (seeded); KernelExplainer summarises them further
MIN_BACKGROUND = 30  # fewer windows before the first explained one: use every window of the series
# Expected-gradient samples per window: a near-certain classifier's steep output needs more than the adapter's
# 200 (occupancy: mean additivity error 0.21 at 200, 0.04 at 1000; 0.3 s a window either way)
GRADIENT_SAMPLES = 1000


def explain_sequences(model, data=None, *, method: str = "shap", times=None, n: int = CASES, horizon=None,
                      label=None, background=None, n_samples: int | None = None, explainer: str | None = None,
                      seed: int | None = 0, on_case=None):
    """Explain a sequence classifier's or forecaster's output on some windows, per feature.

    Args:
        model: a ``SequenceResult``, a loaded ``SequenceBundle`` or the path of one.
        data: the series (a frame with the model's time and feature columns, rows in time order);
            None for a ``SequenceResult`` means the windows of its first test set. A bundle needs it.
        method: ``"shap"`` or ``"lime"``.
        times: the end times of the windows to explain (each must end a whole window of ``data``);
            None: the last ``n`` windows.
        n: without ``times``, how many of the last windows to explain.
        horizon: a forecaster only: a horizon (1..H) or a list of them; None: every horizon.
        label: a multiclass classifier only: the class to explain for every window (default: each
            window's predicted class).
        background: the reference windows: a frame of the series (its windows are used) or an array
            (windows, window, features); None: up to ``BACKGROUND`` windows of the series ending
            before the first explained one (every window when fewer than ``MIN_BACKGROUND`` do).
        n_samples: LIME's perturbed samples per window (default ``LIME_SAMPLES``); SHAP's
            expected-gradient samples (default ``GRADIENT_SAMPLES``) or KernelExplainer evaluations
            (default ``kernel_samples``: 2 per window cell + 2,048, at most 5,000; exact additivity).
        explainer: SHAP only: ``"gradient"`` (a classifier's default), or ``"kernel"`` (a
            forecaster's only one: its forecasts are rescaled and sorted quantiles, which the
            network's gradients do not explain).
        seed: seeds every draw; a window's explanation does not depend on the others explained.
        on_case: progress callback ``on_case(done, total)``.

    Returns:
        An ``ExplanationResult`` (``task`` and ``target`` set): ``frame`` has one row per (window,
        feature) and, for a forecaster, per horizon (the ``horizon`` column, ``label`` ``"h<k>"``);
        ``quality`` holds ``additivity_max_error`` (SHAP) or ``r2_median`` (LIME),
        ``background_rows`` and ``steps_summed``.

    Raises:
        NotFittedError: the model's network is not fitted.
        DataError: a time that ends no whole window of ``data`` (named with the span), data without
            the model's columns, or a bad background.
        ParameterError: not a sequence model, an unknown method, explainer, horizon or class.

    Example:
        >>> explanation = explain_sequences(result, method="shap", n=3)  # doctest: +SKIP
        >>> explanation.frame.groupby("feature")["feature_weight"].mean()  # doctest: +SKIP
    """
    from pyanalytics.explain.explain import LIME_SAMPLES, shap_explainer_for
    from pyanalytics.models.validation import check_fitted

    model = _sequence_model(model)
    method = check_choice("method", method, METHODS)
    n = check_int("n", n, minimum=1)
    n_samples = None if n_samples is None else check_int("n_samples", n_samples, minimum=10)
    seed = check_seed("seed", seed)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    estimator, pre = model.estimator, model.preprocessing
    check_fitted(estimator, "n_features_in_")
    forecasting = pre.task == "forecasting"
    horizons = _horizons(pre, horizon)
    if label is not None and pre.task != "multiclass":
        raise ParameterError(f"label: only a multiclass classifier takes label (the class to explain); this model's "
                             f"task is {pre.task!r}. Drop label{' and pick horizons with horizon=' if forecasting else ''}.")
    if forecasting and method == "shap" and explainer not in (None, "kernel"):
        raise ParameterError(f"explainer: a forecaster is explained by 'kernel' (KernelExplainer on its forecasts); "
                             f"got {explainer!r}. Drop explainer.")
    if method == "lime" and explainer is not None:
        raise ParameterError(f"explainer: LIME has one explainer; got {explainer!r}. Drop explainer or use method='shap'.")
    windows, ends = _windows(model, data)
    rows = _case_rows(ends, times, n)
    reference = _background(model, background, windows, rows[0], seed)
    cases, times = np.asarray(windows[rows], dtype=np.float64), ends[rows]
    units = [h - 1 for h in horizons] if forecasting else [_class_units(estimator, cases, label)]
    if method == "shap":
        chosen = "kernel" if forecasting else shap_explainer_for(estimator, explainer)
        samples = n_samples or (GRADIENT_SAMPLES if chosen == "gradient" else kernel_samples(cases.shape[1:]))
        parts = _shap(model, cases, times, reference, units, chosen, samples, seed, on_case)
    else:
        parts = [_lime(model, cases, times, reference, unit, n_samples or LIME_SAMPLES, seed, on_case)
                 for unit in units]
    return _result(model, method, parts, len(reference))


def explain_for_core(model, data, *, method, dates, last, background, n_samples, seed, explainer, on_case, rows,
                     label):
    """``pyanalytics.explain.explain`` for a sequence model: ``dates`` (or ``rows``) are the windows'
    end times, ``last`` how many of the last windows; every horizon of a forecaster (see
    ``explain_sequences``)."""
    if dates is not None and rows is not None:
        raise ParameterError("dates/rows: a sequence model explains windows by their end times; pass one of dates= or rows=.")
    return explain_sequences(model, data, method=method, times=dates if rows is None else rows, n=last,
                             label=label, background=background, n_samples=n_samples, explainer=explainer,
                             seed=seed, on_case=on_case)


# --- what is explained --------------------------------------------------------------------------


def _sequence_model(model):
    if isinstance(model, (str, Path)):
        from pyanalytics.bundle import load_bundle

        model = load_bundle(model)
    from pyanalytics.domains import domain_of

    if domain_of(model) != "sequence":
        raise ParameterError(f"model: expected a SequenceResult, a SequenceBundle or its path, got {type(model).__name__}; "
                             "explain other models with pyanalytics.explain.explain.")
    return model


def _horizons(pre, horizon) -> list[int]:
    if pre.task != "forecasting":
        if horizon is not None:
            raise ParameterError(f"horizon: only a forecaster has horizons; this model's task is {pre.task!r}. Drop horizon.")
        return []
    if horizon is None:
        return list(range(1, pre.horizon + 1))
    chosen = [horizon] if np.ndim(horizon) == 0 else list(horizon)
    checked = [check_int("horizon", h, minimum=1) for h in chosen]
    beyond = [h for h in checked if h > pre.horizon]
    if beyond or not checked:
        raise ParameterError(f"horizon: this forecaster forecasts horizons 1..{pre.horizon}; got {horizon!r}.")
    return list(dict.fromkeys(checked))


def _windows(model, data) -> tuple[np.ndarray, pd.Index]:
    """Every window of ``data`` (a view) and its end time; a result's first test set without data."""
    if data is None:
        tests = getattr(model, "test_sets", None)
        if not tests:
            where = f"the bundle {str(model.path)!r}" if getattr(model, "path", None) else "this model"
            raise ParameterError(f"data: explaining {where} needs the series; pass data=a frame with the columns "
                                 f"{', '.join(map(repr, model.preprocessing.required_columns))}.")
        test = next(iter(tests.values()))
        return test.X, test.times
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"data: expected a DataFrame of the series, got {type(data).__name__}.")
    pre = model.preprocessing
    if len(data) < pre.window:
        raise DataError(f"data: {len(data)} rows hold no whole window of {pre.window} steps; pass a longer stretch of the series.")
    return pre.windows(data)


def _span(ends: pd.Index) -> str:
    return f"windows end from {ends[0]} to {ends[-1]}"


def _case_rows(ends: pd.Index, times, n: int) -> np.ndarray:
    """Positions in ``ends`` of the explained windows: ``times``, else the last ``n``."""
    if times is None:
        return np.arange(max(0, len(ends) - n), len(ends))
    if isinstance(times, (str, pd.Timestamp)) or np.ndim(times) == 0:
        times = [times]
    rows = []
    for value in times:
        key = value
        if isinstance(ends, pd.DatetimeIndex):
            try:
                key = pd.Timestamp(value)
            except (TypeError, ValueError):
                raise ParameterError(f"times: {value!r} is not a time; pass times such as '2015-02-04 10:00'.") from None
        position = ends.get_indexer([key])[0]
        if position < 0:
            raise DataError(f"times: {value} ends no whole window of the data ({_span(ends)}); pick end times in that range.")
        if position not in rows:
            rows.append(position)
    if not rows:
        raise ParameterError("times: no time given; pass at least one window end time or times=None.")
    return np.asarray(rows, dtype=np.int64)


def _background(model, background, windows: np.ndarray, first_case: int, seed: int) -> np.ndarray:
    """The reference windows: given, else the windows ending before the first explained one."""
    pre = model.preprocessing
    if background is None:
        reference = windows[:first_case] if first_case >= MIN_BACKGROUND else windows
    elif isinstance(background, pd.DataFrame):
        reference, _ = pre.windows(background)
    else:
        reference = np.asarray(background, dtype=np.float64)
    expected = (pre.window, len(pre.feature_names))
    if reference.ndim != 3 or reference.shape[1:] != expected or not len(reference) or not np.isfinite(reference).all():
        raise DataError(f"background: expected finite windows of shape (windows, {expected[0]}, {expected[1]}), got "
                        f"shape {reference.shape}; pass a frame of the series or its windows.")
    if len(reference) > BACKGROUND:
        rng = np.random.default_rng(seed)
        reference = reference[np.sort(rng.choice(len(reference), BACKGROUND, replace=False))]
    return np.asarray(reference, dtype=np.float64)


def _class_units(estimator, cases: np.ndarray, label) -> np.ndarray:
    """The explained class (column of ``predict_proba``) per window."""
    classes = list(estimator.classes_)
    if len(classes) == 2:
        return np.ones(len(cases), dtype=np.int64)
    if label is None:
        return np.argmax(estimator.predict_proba(cases), axis=1)
    matches = [i for i, c in enumerate(classes) if c == label or str(c) == str(label)]
    if not matches:
        raise ParameterError(f"label: {label!r} is not a class of this model; its classes are {', '.join(map(repr, classes))}.")
    return np.full(len(cases), matches[0], dtype=np.int64)


# --- the two methods, per explained unit ---------------------------------------------------------


def _labels(model, units) -> np.ndarray:
    """``label`` per window: the class as text, or the horizon's prediction column (``h3``)."""
    if model.preprocessing.task == "forecasting":
        return np.full(len(np.atleast_1d(units)), f"h{int(np.atleast_1d(units)[0]) + 1}", dtype=object)
    classes = np.asarray([str(c) for c in model.estimator.classes_], dtype=object)
    return classes[np.asarray(units)]


def _per_case(units, n: int) -> np.ndarray:
    return np.full(n, units, dtype=np.int64) if np.ndim(units) == 0 else np.asarray(units, dtype=np.int64)


def kernel_samples(window_shape: tuple) -> int:
    """KernelExplainer's evaluations per window: shap's own default for that many cells (2 per cell
    + 2,048), at most the adapter's ``KERNEL_SAMPLES``; each evaluation runs the network on a whole
    window for every background row, so the adapter's tabular default cost minutes a window."""
    from pyanalytics.explain.shap_adapter import KERNEL_SAMPLES

    return min(KERNEL_SAMPLES, 2 * int(np.prod(window_shape)) + 2048)


def _shap(model, cases, times, reference, units: list, explainer, n_samples, seed, on_case) -> list[dict]:
    """One part per explained unit, from one adapter call over the cases repeated for each unit: a
    KernelExplainer's pass over a window gives every horizon at once, and the adapter reuses it."""
    from pyanalytics.explain.explain import value_descriptions
    from pyanalytics.explain.shap_adapter import explain_shap
    from pyanalytics.explain.tabular import row_seeds

    n, k = len(cases), len(units)
    binary = model.preprocessing.task == "binary"  # the adapter's one unit of a binary model: P(classes_[1])
    per_case = np.concatenate([_per_case(unit, n) for unit in units])
    out = explain_shap(model.estimator, np.concatenate([cases] * k), reference, explainer=explainer,
                       case_seeds=row_seeds(seed, times) * k, n_samples=n_samples, seed=seed, on_case=on_case,
                       units=per_case - 1 if binary else per_case)
    values = cases[:, -1, :]
    names = list(model.preprocessing.feature_names)
    steps = model.preprocessing.window
    descriptions = np.array([[f"{text} at the window's end ({steps} steps summed)" for text in row]
                             for row in value_descriptions(names, values)], dtype=object)
    base = np.broadcast_to(out.base_value, (n * k,))
    parts = []
    for j in range(k):
        part = slice(j * n, (j + 1) * n)
        weights = out.values[part].sum(axis=1)  # (cases, features): the window's steps summed
        parts.append({"times": times, "weights": weights, "values": values, "descriptions": descriptions,
                      "units": per_case[part], "label_prob": out.explained[part],
                      "model_prediction": base[part] + weights.sum(axis=1), "model_intercept": np.nan,
                      "base_value": base[part], "model_r2": np.nan, "explainer": out.explainer})
    return parts


def _lime(model, cases, times, reference, unit, n_samples, seed, on_case) -> dict:
    from pyanalytics.explain.explain import lime_order
    from pyanalytics.explain.lime_adapter import explain_lime
    from pyanalytics.explain.tabular import row_seeds

    estimator, pre = model.estimator, model.preprocessing
    names = list(pre.feature_names)
    units = _per_case(unit, len(cases))
    if pre.task == "forecasting":
        step = int(units[0])
        predict, labels = (lambda windows: estimator.predict(windows)[:, step]), None
        explained = estimator.predict(cases)[:, step]
    else:
        predict, labels = estimator.predict_proba, units
        explained = estimator.predict_proba(cases)[np.arange(len(cases)), units]
    explainer, results, lime_names = explain_lime(estimator, cases, reference, names, case_seeds=row_seeds(seed, times),
                                                  n_samples=n_samples, seed=seed, on_case=on_case, predict=predict,
                                                  labels=labels)
    order = lime_order(names, pre.window, lime_names)  # feature by feature, lag 0 first
    shape = (len(cases), len(names), pre.window)
    weights = np.array([r.weights[order] for r in results]).reshape(shape).sum(axis=2)
    last_bins = np.array([np.asarray(r.descriptions, dtype=object)[order] for r in results]).reshape(shape)[:, :, 0]
    descriptions = np.array([[f"{text.replace(f'{name}_t-0', name)} at the window's end ({pre.window} steps summed)"
                              for name, text in zip(names, row)] for row in last_bins], dtype=object)
    return {"times": times, "weights": weights, "values": cases[:, -1, :], "descriptions": descriptions, "units": units,
            "label_prob": explained, "model_prediction": np.array([r.local_prediction for r in results]),
            "model_intercept": np.array([r.intercept for r in results]), "base_value": np.nan,
            "model_r2": np.array([r.r2 for r in results]), "explainer": explainer}


def _result(model, method: str, parts: list[dict], background_rows: int):
    from pyanalytics.explain.explain import tidy_frame
    from pyanalytics.explain.result import ExplanationResult

    pre = model.preprocessing
    forecasting = pre.task == "forecasting"
    frames = []
    for part in parts:
        per_case = {key: part[key] for key in ("label_prob", "model_prediction", "model_intercept", "base_value",
                                               "model_r2")}
        per_case["label"] = _labels(model, part["units"])
        frame = tidy_frame(part["times"], list(pre.feature_names), part["values"], part["weights"],
                           part["descriptions"], method, per_case)
        if forecasting:
            frame["horizon"] = int(part["units"][0]) + 1
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    if forecasting:  # windows in the order asked, each one's horizons together
        position = pd.Index(parts[0]["times"]).get_indexer(frame["case"])
        frame = frame.iloc[np.lexsort((frame["horizon"].to_numpy(), position))].reset_index(drop=True)
    quality = {"background_rows": int(background_rows), "steps_summed": int(pre.window)}
    if method == "shap":
        error = (frame.groupby(["case", "label"], sort=False)
                 .agg(total=("feature_weight", "sum"), base=("base_value", "first"), out=("label_prob", "first")))
        gap = (error["total"] + error["base"] - error["out"]).abs()
        quality |= {"additivity_max_error": float(gap.max()), "additivity_mean_error": float(gap.mean())}
    else:
        r2 = frame.groupby(["case", "label"], sort=False)["model_r2"].first()
        quality |= {"r2_median": float(r2.median()), "r2_min": float(r2.min())}
    return ExplanationResult(frame, method, model.model_name, parts[0]["explainer"], quality, task=pre.task,
                             target=pre.target if forecasting else pre.label)
