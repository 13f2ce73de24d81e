"""Finance, a domain on the task-generic core: prices, indicators, direction labels, backtest,
walk-forward over one ticker or a universe, and volatility forecasting.

This package itself reads and validates prices and generates seeded synthetic markets, importing
only numpy and pandas; ``features``, ``training``, ``backtest``, ``walk_forward``, ``universe``
(with ``universe_files``, ``universe_result`` and the pooled ``cross_section``), ``reports`` and
``volatility`` (with ``volatility_data``, ``volatility_models``, ``volatility_targeting``) are its
submodules.
"""

from pyanalytics.errors import DataWarning
from pyanalytics.finance.prices import (
    PRICE_COLUMNS,
    REQUIRED_COLUMNS,
    load_prices,
    require_rows,
    validate_prices,
)
from pyanalytics.finance.synthetic import garch_market, random_walk, synthetic_market

__all__ = [
    "DataWarning",
    "PRICE_COLUMNS",
    "REQUIRED_COLUMNS",
    "garch_market",
    "load_prices",
    "random_walk",
    "require_rows",
    "synthetic_market",
    "validate_prices",
]
