"""What each JSON file of a bundle must hold, declared once and checked before anything is built.

``SCHEMA`` declares every field of ``preprocessing.json``, ``baselines.json`` and
``metadata.json``; ``check_preprocessing`` and ``check_baselines`` then check what ties fields
together (the features the spec computes are the ones the models were fitted on, one scaler
statistic per feature, the window).
A failure is a ``FieldError`` naming the key path, what was expected and what was found, which
the loader turns into a one-line BundleError naming the file. Metadata may carry keys this
version does not know (newer writers add them); the model files may not.
"""

import json
import math
from datetime import date

from pyanalytics import domains
from pyanalytics.models import BASELINES, MODELS, SEQUENCE_MODELS


def strict_json(data: bytes):
    """Parse JSON bytes, refusing NaN and the infinities (``ValueError``)."""
    return json.loads(data, parse_constant=_refuse_constant)


def _refuse_constant(constant: str):
    raise ValueError(f"{constant} is not allowed in strict JSON")


class FieldError(Exception):
    """A field of a bundle file that is missing or holds the wrong thing."""

    def __init__(self, key: str, expected: str | None, found=None):
        if expected is None:
            super().__init__(f"key {key!r} is missing")
        else:
            where = f"key {key!r}" if key else "the whole file"
            super().__init__(f"{where}: expected {expected}, found {_shown(found)}")


def _shown(value) -> str:
    text = "null" if value is None else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number(low=-math.inf, high=math.inf, *, low_open=False):
    """A finite number in ``[low, high]`` (``(low, high]`` when ``low_open``)."""
    bracket = "(" if low_open else "["
    expected = "a finite number" + ("" if math.isinf(low) and math.isinf(high) else f" in {bracket}{low:g}, {high:g}]")

    def check(value, key):
        if not (_is_number(value) and math.isfinite(value) and (low < value if low_open else low <= value) and value <= high):
            raise FieldError(key, expected, value)

    return check


def integer(minimum: int):
    def check(value, key):
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= minimum):
            raise FieldError(key, f"an integer >= {minimum}", value)

    return check


def text(value, key):
    if not isinstance(value, str):
        raise FieldError(key, "a string", value)


def iso_date(value, key):
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        raise FieldError(key, "a date YYYY-MM-DD", value) from None


def boolean(value, key):
    if not isinstance(value, bool):
        raise FieldError(key, "true or false", value)


def nullable(inner):
    def check(value, key):
        if value is not None:
            inner(value, key)

    return check


def array(item):
    def check(value, key):
        if not isinstance(value, list):
            raise FieldError(key, "a list", value)
        for position, element in enumerate(value):
            item(element, f"{key}[{position}]")

    return check


def mapping(value_check):
    """An object with any keys, every value passing ``value_check``."""

    def check(value, key):
        if not isinstance(value, dict):
            raise FieldError(key, "an object", value)
        for name, element in value.items():
            value_check(element, f"{key}.{name}")

    return check


def fields(required: dict, optional: dict | None = None, *, open_keys: bool = False):
    """An object with every key of ``required``, maybe those of ``optional``, each checked."""
    optional = optional or {}

    def check(value, key):
        if not isinstance(value, dict):
            raise FieldError(key, "an object", value)
        for name, field_check in required.items():
            if name not in value:
                raise FieldError(_join(key, name), None)
            field_check(value[name], _join(key, name))
        for name, field_check in optional.items():
            if name in value:
                field_check(value[name], _join(key, name))
        unknown = [name for name in value if name not in required and name not in optional]
        if unknown and not open_keys:
            known = ", ".join(map(repr, [*required, *optional])) or "none"
            raise FieldError(_join(key, unknown[0]), f"only the keys {known}", "an unknown key")

    return check


def anything(value, key):
    pass


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


FINITE = number()
POSITIVE = number(0, low_open=True)
PROBABILITY = number(0, 1)
FINITE_LIST = array(FINITE)
KERAS_LEARNED = {
    "scaler_mean": FINITE_LIST,
    "scaler_scale": array(POSITIVE),
    "best_epoch": nullable(integer(0)),
    "history": mapping(array(nullable(number()))),
}
LEARNED = {
    "dnn": fields(KERAS_LEARNED),
    **{name: fields({**KERAS_LEARNED, "n_timesteps": integer(1)}) for name in SEQUENCE_MODELS},
    "majority_class": fields({"up_rate": PROBABILITY}),
    "always_up": fields({}),
    "previous_direction": fields({"column": integer(0)}),
    "logistic_regression": fields({"mean": FINITE_LIST, "scale": array(POSITIVE), "coef": FINITE_LIST, "intercept": FINITE}),
}


def estimator(kind: str):
    """The ``to_state()`` of the estimator ``kind`` (a key of MODELS or BASELINES)."""
    return fields({
        "params": mapping(anything),
        "feature_names": nullable(array(text)),
        "n_features": integer(1),
        "threshold": PROBABILITY,
        "learned": LEARNED[kind],
    }, {"classes": array(anything)})


def one_of(allowed):
    """A check that the value is one of the strings ``allowed`` (read when checking, so it may grow)."""
    def check(value, key):
        choices = tuple(allowed() if callable(allowed) else allowed)
        if not (isinstance(value, str) and value in choices):
            raise FieldError(key, f"one of {', '.join(map(repr, choices))}", value)
    return check


model_name = one_of(MODELS)
domain_name = one_of(domains.names)


def domain_class(document: dict):
    """The preprocessing class of the domain of a ``preprocessing.json`` (see ``pyanalytics.domains``)."""
    return domains.preprocessing_class(document.get("domain", domains.LEGACY_DOMAIN))


def preprocessing(document, key=""):
    """``preprocessing.json``: its domain's fields depend on its domain, its estimator's on its model."""
    fields({"model": model_name}, {"domain": domain_name}, open_keys=True)(document, key)
    fields(
        {
            "model": model_name,
            **domain_class(document).FIELDS,
            "window": nullable(integer(1)),
            "threshold": PROBABILITY,
            "cost_ratio": number(0, 1e6, low_open=True),
            "estimator": estimator(document["model"]),
        },
        {"domain": domain_name},  # absent in bundles saved before domains: finance
    )(document, key)


PERIOD = fields({"start": iso_date, "end": iso_date, "rows": integer(0)})
FINGERPRINT = fields({"columns": array(text), "dates": array(iso_date), "values": array(array(FINITE))})
SCHEMA = {
    "preprocessing.json": preprocessing,
    "baselines.json": fields({}, {name: estimator(name) for name in BASELINES}),
    "metadata.json": fields(
        {
            "created": text,
            "versions": mapping(nullable(text)),
            "seed": nullable(integer(0)),
            "data": fields(
                {"sha256": text, "first_date": iso_date, "last_date": iso_date},
                {"name": nullable(text), "fingerprint": FINGERPRINT},
                open_keys=True,
            ),
            "periods": mapping(PERIOD),
            "out_of_sample_from": iso_date,
            "metrics": fields({"test": mapping(mapping(anything))}, open_keys=True),
        },
        open_keys=True,
    ),
}


def check_preprocessing(pre: dict, names) -> None:
    """The model of a checked ``preprocessing.json`` reads the features ``names`` over its window."""
    model = pre["model"]
    window = pre["window"]
    if (window is None) != (model not in SEQUENCE_MODELS):
        raise FieldError("window", "a window for lstm/gru and null for dnn", window)
    _same_features(pre["estimator"], list(names), "estimator")
    _known_params(pre["estimator"], MODELS[model], "estimator")
    learned = pre["estimator"]["learned"]
    for statistic in ("scaler_mean", "scaler_scale"):
        _length(learned[statistic], len(names), f"estimator.learned.{statistic}")
    if window is not None and learned["n_timesteps"] != window:
        raise FieldError("estimator.learned.n_timesteps", f"the window, {window}", learned["n_timesteps"])


def check_baselines(baselines: dict, names) -> None:
    """Every baseline of a checked ``baselines.json`` reads the features ``names``."""
    for name, state in baselines.items():
        _same_features(state, list(names), name)
        _known_params(state, BASELINES[name], name)
        learned = state["learned"]
        for key in ("mean", "scale", "coef"):
            if key in learned:
                _length(learned[key], len(names), f"{name}.learned.{key}")
        if learned.get("column", 0) >= len(names):
            raise FieldError(f"{name}.learned.column", f"a feature position below {len(names)}", learned["column"])


def _same_features(state: dict, names: list, key: str) -> None:
    if state["feature_names"] is not None and state["feature_names"] != names:  # None: fitted on arrays
        raise FieldError(f"{key}.feature_names", f"the spec's features {names}", state["feature_names"])
    if state["n_features"] != len(names):
        raise FieldError(f"{key}.n_features", f"{len(names)} (the spec's features)", state["n_features"])


def _known_params(state: dict, cls, key: str) -> None:
    known = cls._get_param_names()
    unknown = [name for name in state["params"] if name not in known]
    if unknown:
        raise FieldError(f"{key}.params.{unknown[0]}", f"only parameters of {cls.__name__} {known}", "an unknown one")


def _length(values: list, n: int, key: str) -> None:
    if len(values) != n:
        raise FieldError(key, f"{n} values, one per feature", f"{len(values)} values")
