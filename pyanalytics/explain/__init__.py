"""Explanations of single predictions with LIME and SHAP, for every model.

Importing this package imports neither lime, shap nor TensorFlow: the adapters import them when
an explanation is computed.
"""

from pyanalytics.explain.explain import explain
from pyanalytics.explain.quality import lime_stability, with_lime_stability
from pyanalytics.explain.result import COLUMNS, ExplanationResult, base_feature, rank_agreement

__all__ = ["COLUMNS", "ExplanationResult", "base_feature", "explain", "lime_stability", "rank_agreement", "with_lime_stability"]
