"""Read and validate prices; generate seeded synthetic markets. Imports only numpy and pandas."""

from pyanalytics.data.prices import (
    PRICE_COLUMNS,
    REQUIRED_COLUMNS,
    load_prices,
    require_rows,
    validate_prices,
)
from pyanalytics.data.quality import DataWarning
from pyanalytics.data.synthetic import random_walk, synthetic_market

__all__ = [
    "DataWarning",
    "PRICE_COLUMNS",
    "REQUIRED_COLUMNS",
    "load_prices",
    "random_walk",
    "require_rows",
    "synthetic_market",
    "validate_prices",
]
