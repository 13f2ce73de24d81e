"""Explanations of single predictions with LIME and SHAP, for every model.

Importing this package imports neither lime, shap nor TensorFlow: the adapters import them when
an explanation is computed.

The package is callable as its ``explain`` function: importing ``pyanalytics.explain`` binds the
package as ``pyanalytics.explain``, where users call ``pa.explain(model, ...)``.
"""

import sys
import types

from pyanalytics.explain.explain import explain
from pyanalytics.explain.quality import lime_stability, with_lime_stability
from pyanalytics.explain.result import COLUMNS, ExplanationResult, base_feature, rank_agreement

__all__ = ["COLUMNS", "ExplanationResult", "base_feature", "explain", "lime_stability", "rank_agreement", "with_lime_stability"]


class _CallablePackage(types.ModuleType):
    """This package, called: ``pyanalytics.explain(...)`` is ``explain(...)`` whichever Python bound."""

    def __call__(self, *args, **kwargs):
        return explain(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
