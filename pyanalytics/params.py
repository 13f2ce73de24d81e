"""Argument checks shared by every module: each names the argument, what it expects and got.

Integer arguments accept integer-valued floats, because R sends every number as a double.
"""

import numpy as np

from pyanalytics.errors import ParameterError


def check_int(name: str, value, *, minimum: int) -> int:
    """An integer argument (an integer-valued float is accepted, as R sends them)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"{name}: expected an integer >= {minimum}, got {value!r}.")
    if not float(value).is_integer() or value < minimum:
        raise ParameterError(f"{name}: expected an integer >= {minimum}, got {value!r}.")
    return int(value)


def check_float(name: str, value, *, low: float, high: float, low_open: bool = False) -> float:
    """A real argument in ``[low, high]`` (or ``(low, high]`` when ``low_open``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"{name}: expected a number, got {value!r}.")
    bracket = "(" if low_open else "["
    if not (low < value <= high if low_open else low <= value <= high):
        raise ParameterError(f"{name}: expected a number in {bracket}{low}, {high}], got {value!r}.")
    return float(value)


def check_seed(name: str, value) -> int | None:
    """A random seed: None (not reproducible) or an integer >= 0."""
    return None if value is None else check_int(name, value, minimum=0)


def check_units(name: str, value) -> tuple[int, ...]:
    """A non-empty sequence of layer sizes, each an integer >= 1."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__") or len(value) == 0:
        raise ParameterError(f"{name}: expected a non-empty list of layer sizes, got {value!r}.")
    return tuple(check_int(f"{name}[{i}]", v, minimum=1) for i, v in enumerate(value))


def check_choice(name: str, value, choices: tuple[str, ...]) -> str:
    """One of a fixed set of strings."""
    if value not in choices:
        raise ParameterError(f"{name}: expected one of {', '.join(map(repr, choices))}, got {value!r}.")
    return value


def validate_params(estimator, rules: dict) -> dict:
    """Check every parameter named in ``rules`` (name -> check(name, value)); return coerced values."""
    return {name: rule(name, getattr(estimator, name)) for name, rule in rules.items()}


def check_quantiles(name: str, value) -> tuple[float, ...] | None:
    """None, or at least three strictly increasing quantile levels, each in (0, 1), one of them
    nearer 0.5 than every other: the outer two bound an interval and that middle one is the
    point forecast (with two levels, or two tied nearest 0.5, the point forecast would be an
    interval bound or an arbitrary pick)."""
    if value is None:
        return None
    expected = "None or at least three increasing numbers in (0, 1), e.g. (0.1, 0.5, 0.9)"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ParameterError(f"{name}: expected {expected}, got {value!r}.")
    levels = tuple(value)
    for i, level in enumerate(levels):
        if isinstance(level, bool) or not isinstance(level, (int, float, np.integer, np.floating)) or not 0 < level < 1:
            raise ParameterError(f"{name}[{i}]: expected a quantile level in (0, 1), got {level!r}.")
    if len(levels) < 3 or any(b <= a for a, b in zip(levels, levels[1:])):
        raise ParameterError(f"{name}: expected {expected}, got {value!r}.")
    distance = np.abs(np.asarray(levels, dtype=np.float64) - 0.5)
    if np.isclose(distance, distance.min()).sum() > 1:
        raise ParameterError(
            f"{name}: levels {list(levels)} have no single middle level nearest 0.5 to forecast with; add one "
            "between them, e.g. 0.5."
        )
    return tuple(float(level) for level in levels)
