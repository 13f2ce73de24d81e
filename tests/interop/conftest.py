"""Fixtures of the R bridges: tests that need R skip cleanly where R or rpy2 is missing."""

import pytest

from pyanalytics.errors import RBridgeError


@pytest.fixture(scope="session")
def rpy2_r():
    """Start the embedded R through the rpy2 bridge, or skip where R or rpy2 is missing."""
    from pyanalytics.interop import rpy2_bridge

    try:
        rpy2_bridge._rpy2()
    except RBridgeError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="session")
def ttr(rpy2_r):
    """Skip where R's TTR package is missing (Debian: r-cran-ttr)."""
    from pyanalytics.interop.rpy2_bridge import call_r

    if not call_r("function(x) requireNamespace('TTR', quietly = TRUE)", None).iloc[0]:
        pytest.skip("R's TTR package is missing (Debian: apt-get install r-cran-ttr)")
