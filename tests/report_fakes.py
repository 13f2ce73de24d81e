"""Hand-made explanation frames for the report tests (and the demo report).

The explanations are built by hand in the tidy contract of ``pyanalytics.explain.result`` so
the report is tested without the LIME/SHAP adapters: SHAP-like frames are additive (base value
plus contributions equals the model's probability), LIME-like frames keep the top features of
a noisy local linear model.
"""

import numpy as np
import pandas as pd

from pyanalytics.data.windows import model_inputs
from pyanalytics.explain.result import COLUMNS, ExplanationResult

SMALL = {"hidden_units": (16, 8), "batch_size": 64, "epochs": 4, "patience": 2}


def make_explanations(result, n_cases: int = 4, *, lime_features: int = 10, seed: int = 0,
                      rename: dict | None = None) -> dict:
    """SHAP- and LIME-shaped ExplanationResults of the last ``n_cases`` test dates of ``result``.

    Contributions follow each feature's standardised value times a fixed coefficient, with the
    volume z-score (the planted signal) weighted most. ``rename`` maps feature names to the names
    written into the frames (to plant awkward names).
    """
    rng = np.random.default_rng(seed)
    X = result.dataset.X
    rows = result.rows["test"][-n_cases:]
    window = result.window
    prob = result.estimator.predict_proba(model_inputs(X, rows, window))[:, 1]
    train = X.iloc[result.rows["train"]]
    z = ((X.iloc[rows] - train.mean()) / train.std()).to_numpy()
    names = list(X.columns)
    coef = rng.normal(0, 0.012, len(names))
    if "volume_z_20" in names:
        coef[names.index("volume_z_20")] = 0.07
    base = float(np.mean(result.estimator.predict_proba(model_inputs(X, result.rows["train"], window))[:, 1]))
    lags = [None] if window is None else list(range(min(window, 3)))
    rename = rename or {}
    shap_rows, lime_rows = [], []
    for i, row in enumerate(rows):
        date = X.index[row]
        values = X.iloc[row].to_numpy()
        for lag_rows, method in ((shap_rows, "shap"), (lime_rows, "lime")):
            items = []
            for j, name in enumerate(names):
                for lag in lags:
                    weight = coef[j] * z[i, j] * (1.0 if lag in (None, 0) else 0.3 / (lag + 1))
                    if method == "lime":
                        weight *= 1 + rng.normal(0, 0.35)
                    shown = rename.get(name, name)
                    feature = shown if lag is None else f"{shown}_t-{lag}"
                    items.append((feature, float(values[j]), float(weight)))
            weights = np.array([w for _, _, w in items])
            if method == "shap":
                # make base + sum(contributions) equal the model's probability exactly
                weights = weights + (prob[i] - base - weights.sum()) / len(weights)
            else:
                keep = np.argsort(-np.abs(weights))[:lime_features]
                items = [items[k] for k in keep]
                weights = weights[keep]
            intercept = float(0.5 + rng.normal(0, 0.01))
            for (feature, value, _), weight in zip(items, weights):
                lag_rows.append({
                    "case": date, "label": "up", "label_prob": float(prob[i]), "feature": feature,
                    "feature_value": value, "feature_weight": float(weight),
                    "feature_desc": f"{feature} = {value:.3g}" if method == "shap" else
                    (f"{feature} > {value - abs(value) * 0.2:.3g}" if weight > 0
                     else f"{feature} <= {value + abs(value) * 0.2:.3g}"),
                    "method": method,
                    "model_prediction": float(prob[i]) if method == "shap" else float(intercept + weights.sum()),
                    "model_intercept": np.nan if method == "shap" else intercept,
                    "base_value": base if method == "shap" else np.nan,
                    "model_r2": np.nan if method == "shap" else float(rng.uniform(0.25, 0.6)),
                })
    frames = {m: pd.DataFrame(r, columns=list(COLUMNS)) for m, r in (("shap", shap_rows), ("lime", lime_rows))}
    return {
        "shap": ExplanationResult(frames["shap"], "shap", result.model_name, "GradientExplainer",
                                  {"additivity_max_error": 0.0}),
        "lime": ExplanationResult(frames["lime"], "lime", result.model_name, "LimeTabularExplainer",
                                  {"r2_median": float(frames["lime"]["model_r2"].median())}),
    }
