"""Explanations of single predictions with LIME and SHAP, for every model.

Importing this package imports neither lime, shap nor TensorFlow.
"""

from pyanalytics.explain.result import COLUMNS, ExplanationResult, base_feature, rank_agreement

__all__ = ["COLUMNS", "ExplanationResult", "base_feature", "rank_agreement"]
