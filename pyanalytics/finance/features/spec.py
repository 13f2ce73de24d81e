"""FeatureSpec: which features to compute, saved with every model as JSON."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from numbers import Integral, Real

from pyanalytics.errors import ParameterError
from pyanalytics.finance import extra_features
from pyanalytics.finance.prices import column_kind

PRICE_COLUMNS = ("close", "adj_close")
MACD_NAMES = ("macd", "macd_signal", "macd_hist")


def _fail(field: str, value, expected: str):
    raise ParameterError(
        f"FeatureSpec.{field}: expected {expected}, got {value!r}; "
        f"pass a valid value (or None / an empty list where allowed to disable the feature)."
    )


def _is_int(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _integer(field: str, value, minimum: int) -> int:
    if not _is_int(value) or value < minimum:
        _fail(field, value, f"an integer >= {minimum}")
    return int(value)


def _optional_integer(field: str, value, minimum: int) -> int | None:
    return None if value is None else _integer(field, value, minimum)


def _sequence(field: str, value, expected: str) -> tuple:
    if not isinstance(value, (list, tuple)):
        _fail(field, value, expected)
    return tuple(value)


def _windows(field: str, value, minimum: int) -> tuple[int, ...]:
    expected = f"a list of distinct integers >= {minimum}"
    items = _sequence(field, value, expected)
    if len(set(items)) != len(items) or not all(_is_int(k) and k >= minimum for k in items):
        _fail(field, value, expected)
    return tuple(int(k) for k in items)


def _macd(value) -> tuple[int, int, int] | None:
    if value is None:
        return None
    expected = "None or [fast, slow, signal] with 2 <= fast < slow and signal >= 1"
    items = _sequence("macd", value, expected)
    if len(items) != 3 or not all(_is_int(k) for k in items):
        _fail("macd", value, expected)
    fast, slow, signal = (int(k) for k in items)
    if not (2 <= fast < slow and signal >= 1):
        _fail("macd", value, expected)
    return fast, slow, signal


def _bollinger(value) -> tuple[int, float] | None:
    if value is None:
        return None
    expected = "None or [window, width] with an integer window >= 2 and a finite width > 0"
    items = _sequence("bollinger", value, expected)
    if len(items) != 2:
        _fail("bollinger", value, expected)
    window, width = items
    valid_width = isinstance(width, Real) and not isinstance(width, bool) and math.isfinite(width)
    if not (_is_int(window) and window >= 2 and valid_width and width > 0):
        _fail("bollinger", value, expected)
    return int(window), float(width)


@dataclass(frozen=True)
class FeatureSpec:
    """The features computed from a prices frame; an empty tuple or None disables a group.

    Args:
        return_lags: lags k of the log returns ``log(p_t / p_{t-k})``, columns ``ret_k``.
        ma_windows: windows n of ``p / SMA(p, n) - 1``, columns ``ma_ratio_n``.
        volatility_window: window of the (ddof 0) std of 1-day log returns, ``volatility_n``.
        rsi_period: period of Wilder's RSI, ``rsi_n``.
        macd: (fast, slow, signal) of MACD divided by the price: ``macd``, ``macd_signal``,
            ``macd_hist``.
        bollinger: (window, width in stds) of the Bollinger %B, ``bollinger_pctb_n``.
        volume_window: window of the z-score of ``log1p(volume)``, ``volume_z_n``.
        price: the price column the features use, ``"close"`` or ``"adj_close"``.
        extra_features: names of the user's own numeric columns of the prices frame, used as
            features as they are: the value on date t enters the prediction made at the close
            of t, so it must be known at that close (the user's responsibility; shift it first
            if not). Leading missing values are its warm-up; a later missing value is an error.

    Example:
        >>> FeatureSpec(return_lags=[1, 5], ma_windows=(), macd=None).names[:2]
        ('ret_1', 'ret_5')
    """

    return_lags: tuple[int, ...] = (1, 2, 3, 5, 10, 20)
    ma_windows: tuple[int, ...] = (5, 10, 20, 50)
    volatility_window: int | None = 20
    rsi_period: int | None = 14
    macd: tuple[int, int, int] | None = (12, 26, 9)
    bollinger: tuple[int, float] | None = (20, 2.0)
    volume_window: int | None = 20
    price: str = "close"
    extra_features: tuple[str, ...] = ()

    def __post_init__(self):
        checked = {
            "return_lags": _windows("return_lags", self.return_lags, 1),
            "ma_windows": _windows("ma_windows", self.ma_windows, 2),
            "volatility_window": _optional_integer("volatility_window", self.volatility_window, 2),
            "rsi_period": _optional_integer("rsi_period", self.rsi_period, 2),
            "macd": _macd(self.macd),
            "bollinger": _bollinger(self.bollinger),
            "volume_window": _optional_integer("volume_window", self.volume_window, 2),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)
        if self.price not in PRICE_COLUMNS:
            _fail("price", self.price, f"one of {list(PRICE_COLUMNS)}")
        extras = check_extra_features(self.extra_features, "FeatureSpec.extra_features", self)
        object.__setattr__(self, "extra_features", extras)
        if not self.names:
            raise ParameterError(
                "FeatureSpec: expected at least one feature, got every group disabled; "
                "enable one of return_lags, ma_windows, volatility_window, rsi_period, macd, "
                "bollinger, volume_window."
            )

    @property
    def names(self) -> tuple[str, ...]:
        """Output column names, in the order compute_features returns them (extras last)."""
        return self._builtin_names() + self.extra_features

    def _builtin_names(self) -> tuple[str, ...]:
        names = [f"ret_{k}" for k in self.return_lags]
        names += [f"ma_ratio_{n}" for n in self.ma_windows]
        if self.volatility_window:
            names.append(f"volatility_{self.volatility_window}")
        if self.rsi_period:
            names.append(f"rsi_{self.rsi_period}")
        if self.macd:
            names += MACD_NAMES
        if self.bollinger:
            names.append(f"bollinger_pctb_{self.bollinger[0]}")
        if self.volume_window:
            names.append(f"volume_z_{self.volume_window}")
        return tuple(names)

    @property
    def warmup(self) -> int:
        """Number of leading rows where at least one feature is still NaN."""
        lookbacks = [max(self.return_lags, default=0), max(self.ma_windows, default=1) - 1]
        if self.volatility_window:
            lookbacks.append(self.volatility_window)  # a std of returns, which start at row 1
        if self.rsi_period:
            lookbacks.append(self.rsi_period)
        if self.macd:
            _, slow, signal = self.macd
            lookbacks.append(slow - 1 + signal - 1)
        if self.bollinger:
            lookbacks.append(self.bollinger[0] - 1)
        if self.volume_window:
            lookbacks.append(self.volume_window - 1)
        return max(lookbacks)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Price columns the features read (the user's own columns are ``extra_features``)."""
        return (self.price, "volume") if self.volume_window else (self.price,)

    def to_dict(self) -> dict:
        """A JSON-safe dict (lists, not tuples) that ``from_dict`` turns back into this spec.

        ``extra_features`` is left out when empty, so a spec without them saves as before.
        """
        data = {}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = list(value) if isinstance(value, tuple) else value
        if not self.extra_features:
            del data["extra_features"]
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> "FeatureSpec":
        """Rebuild a spec from ``to_dict`` output; missing keys take their defaults.

        Raises:
            ParameterError: ``data`` is not a mapping, has an unknown key, or a bad value.
        """
        if not isinstance(data, Mapping):
            raise ParameterError(
                f"FeatureSpec.from_dict: expected a dict, got {type(data).__name__}; "
                "pass the output of FeatureSpec.to_dict()."
            )
        known = [f.name for f in fields(cls)]
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown:
            raise ParameterError(
                f"FeatureSpec.from_dict: unknown key {unknown[0]!r} (all unknown: {unknown}); "
                f"expected only keys among {known}."
            )
        return cls(**data)


def check_extra_features(names, argument: str = "extra_features", spec: FeatureSpec | None = None) -> tuple[str, ...]:
    """``names`` as a tuple, checked as extra features of ``spec`` (default ``FeatureSpec()``).

    Raises:
        ParameterError: a name that is not a non-empty string, is repeated, means a price or date
            column, or is one of the spec's built-in features.
    """
    builtin = (spec or FeatureSpec())._builtin_names()

    def taken(name: str) -> str | None:
        return column_kind(name) or (f"the built-in feature {name!r}" if name in builtin else None)

    return extra_features.check_names(names, taken, argument)
