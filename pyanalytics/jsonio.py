"""Strict JSON for files and command output: NaN and infinities become null, numpy becomes plain."""

import json
import math
from pathlib import Path

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


def write_json(path: Path, value) -> None:
    """Write ``value`` to ``path`` as indented strict JSON."""
    Path(path).write_text(dumps(value, indent=2) + "\n")
