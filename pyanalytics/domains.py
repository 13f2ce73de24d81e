"""Domains register how their raw data becomes a model's dataset, so a bundle can rebuild it.

A bundle's ``preprocessing.json`` names its domain; loading it asks this registry for that
domain's preprocessing class, imported on first use. The core never imports a domain: the
package root registers each one by its import path. A preprocessing class declares:

- ``DOMAIN``: its name, saved as ``preprocessing.json``'s ``domain`` key;
- ``FIELDS``: the schema checks of the keys it saves (``pyanalytics.bundle.schema`` helpers);
- ``from_document(document)`` (raising ``schema.FieldError``) and ``to_document()``;
- ``feature_names`` and ``required_columns``; ``dataset(frame)``: the features (``X``) and labels
  (``y``, with ``labelled``) of raw data.
"""

from importlib import import_module

LEGACY_DOMAIN = "finance"  # bundles saved before the "domain" key hold price preprocessing
_REGISTRY: dict[str, str] = {}


def register(name: str, target: str) -> None:
    """Register the preprocessing class at ``target`` (``"module:Class"``) as domain ``name``."""
    _REGISTRY[name] = target


def names() -> tuple[str, ...]:
    """The registered domains."""
    return tuple(_REGISTRY)


def preprocessing_class(name: str):
    """The preprocessing class of domain ``name`` (imported now); KeyError for an unknown one."""
    module, _, attribute = _REGISTRY[name].partition(":")
    return getattr(import_module(module), attribute)
