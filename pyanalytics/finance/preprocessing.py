"""How prices become a direction model's dataset: the finance domain's preprocessing.

A bundle saves it in ``preprocessing.json`` (the feature spec, horizon and dead zone) and the
core rebuilds it through the domain registry (``pyanalytics.domains``) to predict from prices.
"""

from dataclasses import dataclass

import pandas as pd

from pyanalytics.bundle import schema
from pyanalytics.errors import ParameterError
from pyanalytics.finance.features import Dataset, FeatureSpec, build_dataset


@dataclass(frozen=True)
class PricePreprocessing:
    """The features computed from prices and the direction labels they are judged against.

    Attributes:
        spec: which features to compute.
        horizon: rows ahead the labels look.
        dead_zone: returns within ``±dead_zone`` are left unlabelled.
    """

    DOMAIN = "finance"
    FIELDS = {"feature_spec": schema.mapping(schema.anything), "horizon": schema.integer(1), "dead_zone": schema.number(0)}

    spec: FeatureSpec
    horizon: int
    dead_zone: float

    @classmethod
    def of(cls, dataset: Dataset) -> "PricePreprocessing":
        """The preprocessing that made ``dataset``."""
        return cls(dataset.spec, dataset.horizon, dataset.dead_zone)

    @classmethod
    def from_document(cls, document: dict) -> "PricePreprocessing":
        """The preprocessing saved in a checked ``preprocessing.json``.

        Raises:
            schema.FieldError: the feature spec is not valid.
        """
        try:
            spec = FeatureSpec.from_dict(document["feature_spec"])
        except (ParameterError, TypeError) as error:
            raise schema.FieldError("feature_spec", "a valid feature spec", str(error)) from None
        return cls(spec, document["horizon"], document["dead_zone"])

    def to_document(self) -> dict:
        """The keys saved in ``preprocessing.json``."""
        return {"feature_spec": self.spec.to_dict(), "horizon": self.horizon, "dead_zone": self.dead_zone}

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.spec.names

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Price columns the features read."""
        return self.spec.required_columns

    @property
    def extra_columns(self) -> tuple[str, ...]:
        """The user's own columns the features read (``FeatureSpec.extra_features``)."""
        return self.spec.extra_features

    def dataset(self, prices: pd.DataFrame) -> Dataset:
        """Features and labels of ``prices``."""
        return build_dataset(prices, self.spec, self.horizon, self.dead_zone)
