"""Where pyanalytics finds things outside the package, read from the environment."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The shared real-data folder: ``$PYANALYTICS_DATA_DIR``, else ``../shared/data`` beside the
    project root. The folder may not exist; callers check and fall back or skip."""
    configured = os.environ.get("PYANALYTICS_DATA_DIR")
    return Path(configured) if configured else (PROJECT_ROOT.parent / "shared" / "data").resolve()


def price_file(ticker: str) -> Path:
    """Path of the daily price CSV of ``ticker`` in the shared data folder (may not exist)."""
    return data_dir() / "prices" / f"{ticker.upper()}.csv"
