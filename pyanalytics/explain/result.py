"""ExplanationResult: one tidy frame of feature contributions, the same for every model and method.

Columns follow R's ``lime`` package so R users' habits carry over:

    case             the date explained (Timestamp); for tabular models the row's index label
    label            "up" (contributions are to the probability of a rise); for tabular models
                     the explained class as text (binary: the positive class; multiclass: the
                     chosen or predicted class), for regression the response's name; for
                     anomaly detectors "anomaly" (the row is flagged) or "normal"
    label_prob       the model's probability of a rise on that date; for tabular models the
                     probability of ``label``, for regression the predicted value; for anomaly
                     detectors the row's anomaly score
    feature          feature name; for sequence models ``<feature>_t-<lag>`` (``rsi_14_t-3``;
                     ``_t-0`` is the date itself); for tabular models the original column
                     (one-hot columns and missing indicators folded into it)
    feature_value    the feature's value in original units (not scaled); NaN for a category or
                     a missing cell (``feature_desc`` says which)
    feature_weight   its contribution to the explained output (``label_prob``); for the
                     "reconstruction" method the feature's squared reconstruction error
                     (scaled units), whose mean over the features is the score
    feature_desc     a readable description (``rsi_14 <= 30.2`` for LIME, ``rsi_14 = 28.7`` for
                     SHAP; ``Sex = female``, ``Age = missing`` for tabular models)
    method           "lime", "shap" or (anomaly detectors) "reconstruction"
    model_prediction the explainer's own prediction (LIME's local model, SHAP's base + sum,
                     the mean of the reconstruction errors)
    model_intercept  LIME's local intercept (NaN for SHAP)
    base_value       SHAP's expected value (NaN for LIME)
    model_r2         LIME's local R² (NaN for SHAP)

A forecaster's explanations (``pyanalytics.sequence.explain``) add ``horizon`` (1..H) after these:
one row per (case, feature, horizon), ``label`` naming the horizon as its forecast column (``h3``).
"""

import re
from dataclasses import dataclass, field

import pandas as pd

COLUMNS = (
    "case",
    "label",
    "label_prob",
    "feature",
    "feature_value",
    "feature_weight",
    "feature_desc",
    "method",
    "model_prediction",
    "model_intercept",
    "base_value",
    "model_r2",
)
EXTRA_KEYS = ("horizon",)  # a forecaster's explanations: one set of rows per horizon
LAG_SUFFIX = re.compile(r"_t-(\d+)$")


def base_feature(name: str) -> str:
    """``rsi_14_t-3`` -> ``rsi_14``; names without a lag suffix are returned unchanged."""
    return LAG_SUFFIX.sub("", name)


@dataclass(frozen=True, eq=False)
class ExplanationResult:
    """Explanations of several dates by one method, as a tidy frame plus quality figures.

    Attributes:
        frame: one row per (case, feature) with the columns in ``COLUMNS``.
        method: ``"lime"``, ``"shap"`` or ``"reconstruction"``.
        model_name: the explained model (``"dnn"``, ``"lstm"``, ...).
        explainer: the library class used (e.g. ``"GradientExplainer"``).
        quality: figures computed while explaining, e.g. ``additivity_max_error`` (SHAP) or
            ``r2_median`` (LIME).
        task: ``binary``, ``multiclass`` or ``regression`` for tabular models, ``anomaly``
            for anomaly detectors; None for direction models (which explain P(up)).
        target: the response's name for tabular models, an anomaly detector's label column
            (or None), else None.
    """

    frame: pd.DataFrame
    method: str
    model_name: str
    explainer: str
    quality: dict = field(default_factory=dict)
    task: str | None = None
    target: str | None = None

    @property
    def cases(self) -> list:
        """The explained dates (row labels for tabular models), in order."""
        return list(pd.unique(self.frame["case"]))

    def explains(self, label: str) -> str:
        """What a case's weights add up to, in words: ``P(up)``, ``P(Survived = 1)``, ``predicted wage``."""
        if self.task is None:
            return "P(up)"
        if self.task == "forecasting":
            return f"the forecast of {self.target} at {label}"
        if self.task == "anomaly":  # reconstruction weights are squared errors whose mean is the score
            return "the anomaly score" if self.method == "shap" else "the anomaly score, as their mean"
        return f"predicted {self.target}" if self.task == "regression" else f"P({self.target} = {label})"

    def per_feature(self) -> pd.DataFrame:
        """Contributions summed over the lags of each feature (a no-op for single-day models).

        Returns:
            A frame with columns ``case``, ``feature``, ``feature_weight`` (summed) and
            ``feature_value`` (the value on the explained date itself, lag 0, where present).
        """
        frame = self.frame.assign(base=self.frame["feature"].map(base_feature))
        lag = frame["feature"].str.extract(LAG_SUFFIX, expand=False).fillna("0").astype(int)
        keys = ["case", *(k for k in EXTRA_KEYS if k in frame), "base"]  # a forecast's horizons stay apart
        summed = frame.groupby(keys, sort=False)["feature_weight"].sum()
        today = frame[lag == 0].set_index(keys)["feature_value"]
        out = summed.to_frame().join(today, how="left").reset_index()
        return out.rename(columns={"base": "feature"})

    def global_importance(self) -> pd.Series:
        """Mean absolute contribution per feature (lags summed first), largest first."""
        per_feature = self.per_feature()
        importance = per_feature.groupby("feature")["feature_weight"].apply(lambda w: w.abs().mean())
        return importance.sort_values(ascending=False).rename("importance")

    def ranking(self, case) -> list[str]:
        """Features of one case ordered by absolute contribution (lags summed), largest first."""
        rows = self.per_feature()
        rows = rows[rows["case"] == case]
        return rows.reindex(rows["feature_weight"].abs().sort_values(ascending=False).index)["feature"].tolist()

    def to_frame(self) -> pd.DataFrame:
        """A copy of the tidy frame with the contract's columns, in order (then ``horizon`` for a forecaster)."""
        return self.frame.loc[:, [*COLUMNS, *(k for k in EXTRA_KEYS if k in self.frame)]].copy()


def rank_agreement(first: ExplanationResult, second: ExplanationResult) -> pd.DataFrame:
    """Spearman correlation between two explanations' per-feature contributions, per case.

    Compares absolute contributions with lags summed, over the features both explain. The last
    row, ``case = "overall"``, compares the two global importances.

    Returns:
        A frame with columns ``case`` and ``spearman``.
    """
    from scipy.stats import spearmanr

    a, b = first.per_feature(), second.per_feature()
    keys = ["case", *(k for k in EXTRA_KEYS if k in a and k in b), "feature"]  # a forecast's horizons matched
    merged = a.merge(b, on=keys, suffixes=("_a", "_b"))
    rows = []
    for case, group in merged.groupby("case", sort=False):
        rho = spearmanr(group["feature_weight_a"].abs(), group["feature_weight_b"].abs()).statistic
        rows.append({"case": case, "spearman": float(rho)})
    imp_a, imp_b = first.global_importance(), second.global_importance()
    common = imp_a.index.intersection(imp_b.index)
    overall = spearmanr(imp_a[common], imp_b[common]).statistic
    rows.append({"case": "overall", "spearman": float(overall)})
    return pd.DataFrame(rows)
