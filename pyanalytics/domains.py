"""Domains register how their raw data becomes a model's dataset, so a bundle can rebuild it, how
a result of theirs is saved as a bundle and, optionally, how their models are explained.

A bundle's ``preprocessing.json`` names its domain; loading it asks this registry for that
domain's preprocessing class (and a domain with its own bundle class for its loader), imported on
first use; saving a result asks it for the writer of its preprocessing's domain. The core never
imports a domain: the package root registers each one by its import paths. A preprocessing class declares:

- ``DOMAIN``: its name, saved as ``preprocessing.json``'s ``domain`` key;
- ``FIELDS``: the schema checks of the keys it saves (``pyanalytics.bundle.schema`` helpers);
- ``from_document(document)`` (raising ``schema.FieldError``) and ``to_document()``;
- ``feature_names`` and ``required_columns``; ``dataset(frame)``: the features (``X``) and labels
  (``y``, with ``labelled``) of raw data.
"""

from importlib import import_module

LEGACY_DOMAIN = "finance"  # bundles saved before the "domain" key hold price preprocessing
_REGISTRY: dict[str, str] = {}
_WRITERS: dict[str, str] = {}
_LOADERS: dict[str, str] = {}
_EXPLAINERS: dict[str, str] = {}


def register(name: str, target: str, writer: str, loader: str | None = None, explainer: str | None = None) -> None:
    """Register domain ``name``: its preprocessing class at ``target`` (``"module:Class"``), the
    function at ``writer`` (``"module:function"``) that saves its results as ``writer(result, path)``
    and, for a domain with its own bundle class, the function at ``loader`` that builds one as
    ``loader(folder, verified_files)`` (without one, a bundle loads as ``pyanalytics.bundle.Bundle``).
    A domain that explains its models its own way names the function at ``explainer`` that
    ``pyanalytics.explain.explain`` hands them to, with every argument it was given
    (``explainer(model, data, method=..., dates=..., rows=..., ...)``)."""
    _REGISTRY[name] = target
    _WRITERS[name] = writer
    if loader is not None:
        _LOADERS[name] = loader
    if explainer is not None:
        _EXPLAINERS[name] = explainer


def names() -> tuple[str, ...]:
    """The registered domains."""
    return tuple(_REGISTRY)


def preprocessing_class(name: str):
    """The preprocessing class of domain ``name`` (imported now); KeyError for an unknown one."""
    return _imported(_REGISTRY[name])


def bundle_writer(name: str):
    """The function that saves a result of domain ``name`` as a bundle (imported now)."""
    return _imported(_WRITERS[name])


def bundle_loader(name: str | None):
    """The function that builds domain ``name``'s own bundle class (imported now), or None."""
    return _imported(_LOADERS[name]) if name in _LOADERS else None


def domain_explainer(name: str | None):
    """The function that explains domain ``name``'s models (imported now), or None: ``explain`` does it."""
    return _imported(_EXPLAINERS[name]) if name in _EXPLAINERS else None


def _imported(target: str):
    module, _, attribute = target.partition(":")
    return getattr(import_module(module), attribute)


def domain_of(model) -> str | None:
    """The domain of a result or loaded bundle (its preprocessing's ``DOMAIN``), None if it has none."""
    return getattr(getattr(model, "preprocessing", None), "DOMAIN", None)


def is_tabular(model) -> bool:
    """Whether ``model`` (a result or a loaded bundle) is a tabular model."""
    return domain_of(model) == "tabular"
