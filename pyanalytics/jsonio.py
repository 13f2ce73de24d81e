"""Strict JSON for bundle files and command output: NaN and infinities become null, numpy becomes plain."""

import json
import math

import numpy as np


def json_safe(value):
    """A copy of ``value`` that ``json.dumps(..., allow_nan=False)`` accepts."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_safe(v) for v in value]
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(value) else float(value)
    return value


def dumps(value, **kwargs) -> str:
    """Serialise ``value`` as strict JSON."""
    return json.dumps(json_safe(value), allow_nan=False, **kwargs)
