"""Errors a user can cause. Every message names the input, what was expected, what was found,
and what to do about it, in one line."""


class PyAnalyticsError(Exception):
    """Base class of every error pyanalytics raises on purpose."""


class DataError(PyAnalyticsError, ValueError):
    """Prices, features or labels that cannot be used as given."""


class ParameterError(PyAnalyticsError, ValueError):
    """An argument outside its allowed range or of the wrong type."""


class NotFittedError(PyAnalyticsError, AttributeError):
    """A model method that needs a fitted model was called before `fit`."""


class BundleError(PyAnalyticsError, OSError):
    """A model bundle that cannot be written or safely loaded."""


class FoldError(PyAnalyticsError, RuntimeError):
    """A walk-forward fold that failed; the message names the fold, its dates and the cause."""


class RBridgeError(PyAnalyticsError, RuntimeError):
    """R or rpy2 missing, or an R function that failed when called through the rpy2 bridge."""


class EngineError(PyAnalyticsError, RuntimeError):
    """A run of tasks that could not go on: a worker process died or the engine could not start."""


class DataWarning(UserWarning):
    """Data that can be used, with something the user should know (one line, no newline)."""
