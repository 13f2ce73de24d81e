"""Explaining tabular models row by row, in the data's own columns.

The network reads scaled numbers, one-hot categories and missing-value indicators; people read
``Sex = female``. Every explanation is therefore folded back onto the original columns: one row
of the tidy frame per original column, its weight the sum of the contributions of the model
inputs made from it (its one-hot columns with ``(unknown)``, its missing indicator). For SHAP the
sum keeps additivity (base value + weights = the explained output).

LIME explains the original columns directly rather than folding: it perturbs whole columns, a
categorical column by drawing one of its training categories (so no sample is half ``male``, half
``female``, which perturbing one-hot columns one by one would give), a numeric column within its
quartile bins in original units, a missing indicator by drawing present/missing; each sample goes
back through the model's own preprocessing. A numeric column's missing indicator is folded into it.

What is explained per task: binary, the probability of the positive class; multiclass, the
probability of a chosen class (default the predicted one, per row); regression, the predicted
value (``label_prob`` then holds the prediction, not a probability).
"""

import warnings
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pyanalytics.data.columns import BOOLEAN, CATEGORICAL, boolean_values, category_keys, numeric_values, row_label
from pyanalytics.data.preprocess import UNKNOWN, UnseenCategoryWarning
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.explain.explain import LIME_BACKGROUND, LIME_SAMPLES, shap_explainer_for, tidy_frame
from pyanalytics.explain.result import ExplanationResult

MISSING = "(missing)"


@dataclass(frozen=True)
class _Cases:
    """What is explained: the model, the explained raw rows, the background rows and the outputs."""

    estimator: object
    model_name: str
    preprocessing: object  # TabularPreprocessing
    rows: pd.DataFrame  # the explained rows, raw
    X: np.ndarray  # their model inputs
    background: pd.DataFrame  # raw reference rows
    units: np.ndarray | None  # the explained class code per row (multiclass), else None
    labels: list[str]  # what each row's weights explain: a class, or the response's name

    @property
    def specs(self) -> list[dict]:
        return self.preprocessing.preprocessor.columns_

    def inputs(self, frame: pd.DataFrame) -> np.ndarray:
        return self.preprocessing.features(frame).to_numpy(dtype=np.float64)

    def explained(self) -> np.ndarray:
        """The explained output of each explained row (its unit of ``model_units``)."""
        from pyanalytics.explain.shap_adapter import model_units

        outputs = model_units(self.estimator, self.X)
        return outputs[np.arange(len(outputs)), 0 if self.units is None else self.units]


def explain_tabular(model, data, *, method, rows, last, background, label, n_samples, seed, explainer,
                    on_case) -> ExplanationResult:
    """``explain()`` for a TabularResult or TabularBundle (see ``pyanalytics.explain.explain``)."""
    from pyanalytics.models.validation import check_fitted

    check_fitted(model.estimator, getattr(model.estimator, "_fitted_attribute", "threshold_"))
    cases = _cases(model, data, rows, last, background, label)
    if method == "lime":
        return _explain_lime(cases, n_samples or LIME_SAMPLES, seed, on_case)
    return _explain_shap(cases, shap_explainer_for(model.estimator, explainer), n_samples, seed, on_case)


# --- which rows, what is explained -------------------------------------------------------------


def _cases(model, data, rows, last, background, label) -> _Cases:
    preprocessing = model.preprocessing
    frames = getattr(model, "frames", None) or {}
    if data is None:
        if "test" not in frames:
            where = f"the bundle {str(model.path)!r}" if getattr(model, "path", None) else "this model"
            raise ParameterError(f"data: explaining {where} needs rows; pass data=a frame with the columns it was trained on.")
        data = frames["test"]
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"data: expected a DataFrame of rows with the model's columns, got {type(data).__name__}.")
    explained = data.loc[chosen_rows(data, rows, last)]
    if background is None:
        background = frames.get("train", data)
    elif not isinstance(background, pd.DataFrame):
        raise ParameterError(f"background: expected a DataFrame of raw rows with the model's columns, got {type(background).__name__}.")
    X = preprocessing.features(explained).to_numpy(dtype=np.float64)  # DataError: a column missing
    units, labels = _outputs(model.estimator, preprocessing, X, label)
    return _Cases(model.estimator, model.model_name, preprocessing, explained, X, background, units, labels)


def chosen_rows(data: pd.DataFrame, rows, last: int) -> list:
    """The index labels of the rows to explain: ``rows`` (labels of ``data``), else the last ``last``.

    Raises:
        DataError: ``data`` has no rows or a repeated label, or labels in ``rows`` are not in it (all named).
        ParameterError: ``rows`` is empty.
    """
    if len(data) == 0:
        raise DataError("data: no rows to explain; pass a frame with at least one row.")
    if data.index.has_duplicates:
        repeated = data.index[data.index.duplicated()][0]
        raise DataError(f"data: the row label {repeated!r} appears more than once; give each row its own label (reset_index()).")
    if rows is None:
        return list(data.index[-last:])
    if isinstance(rows, (str, int, np.integer)) or not hasattr(rows, "__iter__"):
        rows = [rows]
    chosen = list(dict.fromkeys(rows))  # each once, in the order given
    if not chosen:
        raise ParameterError("rows: no rows given; pass at least one row label or rows=None.")
    absent = [value for value in chosen if value not in data.index]
    if absent:
        named = ", ".join(map(repr, absent[:5])) + (f" and {len(absent) - 5} more" if len(absent) > 5 else "")
        verb = "is not a row label" if len(absent) == 1 else "are not row labels"
        raise DataError(
            f"rows: {named} {verb} of the data (its labels run from {row_label(data.index, 0)} to "
            f"{row_label(data.index, -1)}); pass labels of data.index."
        )
    return chosen


def _outputs(estimator, preprocessing, X: np.ndarray, label) -> tuple[np.ndarray | None, list[str]]:
    """The explained class code per row (multiclass) and each row's label text."""
    n = len(X)
    if preprocessing.task == "regression":
        if label is not None:
            raise ParameterError(f"label: a regression model explains its predicted value; got label={label!r}. Drop label.")
        return None, [preprocessing.encoder.name_] * n
    classes = [str(c) for c in preprocessing.classes]
    if label is not None and str(label) not in classes:
        raise ParameterError(f"label: {label!r} is not a class of the model; its classes are {', '.join(classes)}.")
    if preprocessing.task == "binary":
        if label is not None and str(label) != classes[1]:
            raise ParameterError(
                f"label: a binary model explains the probability of its positive class {classes[1]!r}; "
                f"got {label!r}. Drop label or pass label={classes[1]!r}."
            )
        return None, [classes[1]] * n
    if label is None:
        codes = np.argmax(estimator.predict_proba(X), axis=1)
    else:
        codes = np.full(n, classes.index(str(label)))
    return codes.astype(np.int64), [classes[c] for c in codes]


def row_seeds(seed: int, labels) -> list[int]:
    """One seed per row from its index label, so a row's explanation ignores which rows come with it."""
    return [int(np.random.SeedSequence([seed, zlib.crc32(repr(label).encode())]).generate_state(1)[0]) for label in labels]


# --- the original columns: values, descriptions, folding ---------------------------------------


def _raw_values(spec: dict, column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column's values as numbers (NaN for categories) and a mask of its missing cells."""
    if spec["kind"] == CATEGORICAL:
        return np.full(len(column), np.nan), pd.isna(category_keys(column)).astype(bool)
    values = (boolean_values if spec["kind"] == BOOLEAN else numeric_values)(column)
    return values, np.isnan(values)


def _description(spec: dict, value, missing: bool, key) -> str:
    name = spec["name"]
    if missing:
        return f"{name} = missing"
    if spec["kind"] == CATEGORICAL:
        return f"{name} = {key}" if key in spec["categories"] else f"{name} = {key} (unseen, read as {UNKNOWN})"
    if spec["kind"] == BOOLEAN:
        return f"{name} = {bool(value)}"
    return f"{name} = {value:.4g}"


def _cells(cases: _Cases):
    """Per original column: the explained rows' values (original units; NaN for categories and
    missing cells), missing masks and descriptions, each (rows, columns)."""
    values, missing, descriptions = [], [], []
    for spec in cases.specs:
        column = cases.rows[spec["name"]]
        v, m = _raw_values(spec, column)
        values.append(v)
        missing.append(m)
        descriptions.append([_description(spec, a, b, c) for a, b, c in zip(v, m, category_keys(column))])
    return np.column_stack(values), np.column_stack(missing), np.array(descriptions, dtype=object).T


def _fold(origins: list[str], columns: list[str], weights: np.ndarray) -> np.ndarray:
    """Contributions of model inputs (rows, inputs) summed per original column (rows, columns)."""
    index = {name: i for i, name in enumerate(columns)}
    folded = np.zeros((len(weights), len(columns)))
    np.add.at(folded.T, [index[o] for o in origins], weights.T)
    return folded


def _result(cases: _Cases, cells, weights, per_case, method, explainer, quality) -> ExplanationResult:
    """The tidy result; ``cells`` are ``_cells(cases)``, with the method's descriptions."""
    names = [spec["name"] for spec in cases.specs]
    values, missing, descriptions = cells
    values = np.where(missing, np.nan, values)
    frame = tidy_frame(cases.rows.index, names, values, weights, descriptions, method,
                   {**per_case, "label": np.asarray(cases.labels, dtype=object)})
    preprocessing = cases.preprocessing
    return ExplanationResult(frame, method, cases.model_name, explainer, quality,
                             task=preprocessing.task, target=preprocessing.encoder.name_)


# --- SHAP ---------------------------------------------------------------------------------------


def _explain_shap(cases: _Cases, explainer: str, n_samples, seed: int, on_case) -> ExplanationResult:
    from pyanalytics.explain.shap_adapter import explain_shap

    out = explain_shap(
        cases.estimator, cases.X, cases.inputs(cases.background), explainer=explainer,
        case_seeds=row_seeds(seed, cases.rows.index), n_samples=n_samples, seed=seed, on_case=on_case,
        units=cases.units,
    )
    origins = cases.preprocessing.preprocessor.feature_origins()["column"].tolist()
    weights = _fold(origins, [spec["name"] for spec in cases.specs], out.values)
    prediction = out.base_value + weights.sum(axis=1)
    error = np.abs(prediction - out.explained)
    per_case = {"label_prob": out.explained, "model_prediction": prediction, "model_intercept": np.nan,
                "base_value": out.base_value, "model_r2": np.nan}
    quality = {"additivity_max_error": float(error.max()), "additivity_mean_error": float(error.mean()),
               "background_rows": int(out.background_rows)}
    return _result(cases, _cells(cases), weights, per_case, "shap", out.explainer, quality)


# --- LIME ---------------------------------------------------------------------------------------


def _lime_space(cases: _Cases):
    """LIME's columns: each original column, then ``<column> (missing)`` per numeric column with
    a missing indicator.

    Categorical and boolean columns are LIME categorical columns of codes: the training
    categories, ``(unknown)`` (categorical) and ``(missing)`` when the training part had missing
    cells, so a rarely missing column is drawn missing only as rarely. Numeric columns stay in
    original units (missing cells at the training fill), their indicator drawn present/missing.

    Returns the names, ``{column: code names}`` of the categorical columns, the numeric columns
    with an indicator, and ``encode(frame)`` / ``decode(samples)`` between raw rows and LIME's numbers.
    """
    specs = cases.specs
    names = [spec["name"] for spec in specs]
    categorical, values_of = {}, {}
    for i, spec in enumerate(specs):
        if spec["kind"] == CATEGORICAL:
            categorical[i] = [str(c) for c in spec["categories"]] + [UNKNOWN]
            values_of[i] = list(spec["categories"]) + [UNKNOWN]
        elif spec["kind"] == BOOLEAN:
            categorical[i] = ["False", "True"]
            values_of[i] = [0.0, 1.0]
        if i in categorical and spec["indicator"]:
            categorical[i].append(MISSING)
            values_of[i].append(None)
    indicators = [i for i, spec in enumerate(specs) if spec["indicator"] and i not in categorical]
    for i in indicators:
        categorical[len(names)] = ["present", "missing"]
        names.append(f"{specs[i]['name']} {MISSING}")

    def encode(frame: pd.DataFrame) -> np.ndarray:
        columns, flags = [], []
        for i, spec in enumerate(specs):
            column = frame[spec["name"]]
            values, missing = _raw_values(spec, column)
            if i in categorical:
                known = {value: code for code, value in enumerate(values_of[i][: len(categorical[i]) - spec["indicator"]])}
                keys = category_keys(column) if spec["kind"] == CATEGORICAL else values
                fill = known[spec["fill"]]
                codes = [known.get(key, len(spec.get("categories", ()))) for key in keys]  # unseen: (unknown)
                values = np.asarray(codes, dtype=np.float64)
                missing_code = len(categorical[i]) - 1 if spec["indicator"] else fill
                columns.append(np.where(missing, missing_code, values))
            else:
                columns.append(np.where(missing, spec["fill"], values))
                if spec["indicator"]:
                    flags.append(missing.astype(np.float64))
        return np.column_stack(columns + flags)

    def decode(samples: np.ndarray) -> pd.DataFrame:
        frame = {}
        for i, spec in enumerate(specs):
            values = samples[:, i]
            if i in categorical:
                values = np.array(values_of[i], dtype=object)[np.rint(values).astype(np.int64)]
            frame[spec["name"]] = values
        decoded = pd.DataFrame(frame)
        for j, i in enumerate(indicators):
            decoded.loc[samples[:, len(specs) + j] > 0.5, specs[i]["name"]] = np.nan
        return decoded

    return names, categorical, indicators, encode, decode


def _explain_lime(cases: _Cases, n_samples: int, seed: int, on_case) -> ExplanationResult:
    from pyanalytics.explain.lime_adapter import explain_lime

    names, categorical, indicators, encode, decode = _lime_space(cases)
    background = cases.background
    if len(background) > LIME_BACKGROUND:
        rng = np.random.default_rng(seed)
        background = background.iloc[np.sort(rng.choice(len(background), LIME_BACKGROUND, replace=False))]
    regression = cases.preprocessing.task == "regression"

    def predict(samples: np.ndarray) -> np.ndarray:
        with warnings.catch_warnings():  # the unknown code is the explained row's own unseen category
            warnings.simplefilter("ignore", UnseenCategoryWarning)
            X = cases.inputs(decode(samples))
        return cases.estimator.predict(X) if regression else cases.estimator.predict_proba(X)

    labels = None if regression else (np.ones(len(cases.rows), dtype=np.int64) if cases.units is None else cases.units)
    explainer, results, _ = explain_lime(
        cases.estimator, encode(cases.rows), encode(background), names,
        case_seeds=row_seeds(seed, cases.rows.index), n_samples=n_samples, seed=seed, on_case=on_case,
        predict=predict, labels=labels, categorical=categorical,
    )
    n_columns = len(cases.specs)
    origins = [spec["name"] for spec in cases.specs] + [cases.specs[i]["name"] for i in indicators]
    weights = _fold(origins, origins[:n_columns], np.array([r.weights for r in results]))
    values, missing, descriptions = _cells(cases)
    for i, spec in enumerate(cases.specs):  # numeric values present: LIME's quartile bin in original units
        if spec["kind"] not in (CATEGORICAL, BOOLEAN):
            bins = np.array([r.descriptions[i] for r in results], dtype=object)
            descriptions[:, i] = np.where(missing[:, i], descriptions[:, i], bins)
    per_case = {
        "label_prob": cases.explained(),
        "model_prediction": np.array([r.local_prediction for r in results]),
        "model_intercept": np.array([r.intercept for r in results]),
        "base_value": np.nan,
        "model_r2": np.array([r.r2 for r in results]),
    }
    r2 = per_case["model_r2"]
    quality = {"r2_median": float(np.median(r2)), "r2_min": float(np.min(r2)), "n_samples": n_samples,
               "background_rows": len(background)}
    return _result(cases, (values, missing, descriptions), weights, per_case, "lime", explainer, quality)
