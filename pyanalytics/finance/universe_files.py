"""A universe's price files: a folder, a glob, a list of files or frames, read one ticker at a time.

Real universes are messy (Open = 0 rows, reverse-split prices, short histories): a ticker whose
prices cannot be read is set aside with its reason, and the others go on; ``strict=True`` stops
at the first such ticker instead.
"""

import glob
import os
import warnings
from pathlib import Path

from pyanalytics.errors import DataError, DataWarning, ParameterError, PyAnalyticsError
from pyanalytics.finance.prices import load_prices

GLOB_CHARACTERS = "*?["


def universe_files(source) -> dict:
    """Ticker -> path of every price file a source names: a CSV file, a folder of CSVs or a glob, or a list of them.

    Tickers are the files' names without ``.csv``; where two files share a name, their whole paths.

    Raises:
        DataError: a path that does not exist, or a folder or glob without CSV files (named).
        ParameterError: a source that is neither a path nor a list of paths.
    """
    sources = [source] if isinstance(source, (str, Path)) else source
    if not isinstance(sources, (list, tuple)) or not sources:
        raise ParameterError(
            f"universe: expected a folder, a glob, a CSV file or a list of them, got {type(source).__name__}."
        )
    paths = []
    for item in sources:
        if not isinstance(item, (str, Path)):
            raise ParameterError(f"universe: expected paths, got {type(item).__name__} {item!r}.")
        paths.extend(_expand(item))
    paths = list(dict.fromkeys(paths))
    return dict(zip(ticker_names(paths), paths))


def ticker_names(paths: list) -> list[str]:
    """``AAPL.csv`` -> ``AAPL``; where two files share a name, the paths from their common folder
    (``a/X.csv``, ``b/X.csv``), so names do not depend on where the universe lies."""
    stems = [Path(p).stem for p in paths]
    if len(set(stems)) == len(stems):
        return stems
    common = Path(os.path.commonpath([str(Path(p).resolve().parent) for p in paths]))
    return [str(Path(p).resolve().relative_to(common)) for p in paths]


def _expand(item) -> list:
    text = str(item)
    if any(c in text for c in GLOB_CHARACTERS) and not Path(text).exists():
        found = sorted(Path(p) for p in glob.glob(text) if Path(p).is_file())
        if not found:
            raise DataError(f"universe: the glob {text!r} matches no file; check the pattern (quote it in a shell).")
        return found
    path = Path(text)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
        if not found:
            raise DataError(f"universe: the folder '{path}' holds no .csv file; point at a folder of price files.")
        return found
    if not path.exists():
        raise DataError(f"universe: '{path}' does not exist; pass a folder, a glob or a price file.")
    return [path]


def load_universe(source, *, drop_invalid: bool = False, extra=(), strict: bool = False) -> tuple[dict, dict, dict]:
    """Read every ticker's prices (``load_prices``), setting aside those that cannot be read.

    Args:
        source: ``{ticker: prices frame or path}``, or what ``universe_files`` takes.
        drop_invalid: drop rows holding an invalid cell instead of setting the ticker aside.
        extra: your own numeric columns to keep (extra features).
        strict: raise on the first ticker that cannot be read, its name first in the message.

    Returns:
        ``(prices, skipped, notes)``: ticker -> prices frame; ticker -> why it was set aside;
        ticker -> the data warnings its reading raised (rows dropped, a suspect adjusted close).

    Raises:
        PyAnalyticsError: with ``strict``, the first ticker that cannot be read.
    """
    sources = source if isinstance(source, dict) else universe_files(source)
    if not sources:
        raise ParameterError("universe: expected at least one ticker's prices, got none.")
    prices, skipped, notes = {}, {}, {}
    for name, item in sources.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                prices[name] = load_prices(item, extra=extra, drop_invalid=drop_invalid)
            except PyAnalyticsError as error:
                if strict:
                    raise type(error)(f"{name}: {error}") from error
                skipped[name] = str(error)
        if found := data_warnings(caught):
            notes[name] = found
        for other in (w for w in caught if not issubclass(w.category, DataWarning)):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    return prices, skipped, notes


def data_warnings(caught: list) -> list[str]:
    """The messages of the pyanalytics ``DataWarning`` among recorded warnings."""
    return [str(w.message) for w in caught if issubclass(w.category, DataWarning)]

