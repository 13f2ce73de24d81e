"""A task of a run (one function call with its arguments), its seed and the fingerprint of its inputs.

Example:
    >>> task_seed(None, "AAPL") is None
    True
    >>> task_seed(0, "AAPL", 3) == task_seed(0, "AAPL", 3) != task_seed(0, "MSFT", 3)
    True
    >>> len(fingerprint({"folds": 5}, b"prices"))
    64
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from pyanalytics.errors import ParameterError
from pyanalytics.params import check_seed

SEED_LIMIT = 2**31 - 1  # task seeds lie in [0, SEED_LIMIT): any seed Keras, NumPy and TensorFlow accept


@dataclass(frozen=True)
class Task:
    """One call ``function(*args)`` of a run.

    Attributes:
        key: unique in a run, e.g. ``"AAPL/fold-3"``; the store derives its file name from it.
        function: a top-level importable function (sent to workers by reference). It returns plain
            JSON-able data (dicts, lists, str, float including NaN, int, None), never Keras objects.
        args: picklable arguments (frames, dicts, arrays), sent to the worker, never written to disk.
        fingerprint: hex digest of everything the result depends on (see ``fingerprint``).
    """

    key: str
    function: Callable
    args: tuple
    fingerprint: str


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def task_seed(seed: int | None, *parts: str | int) -> int | None:
    """The seed of one task, derived from the run's seed and the task's parts (e.g. ticker, fold).

    The same in every process and on every machine: ``int.from_bytes(sha256(json.dumps([seed, *parts],
    sort_keys=True, separators=(",", ":"))).digest()[:8], "big") % (2**31 - 1)``.

    Args:
        seed: the run's seed; None (unseeded) stays None.
        *parts: what tells the task apart; ``3`` and ``"3"`` are different parts.

    Raises:
        ParameterError: a seed that is not None or an integer >= 0, a part that is not a str or an int.
    """
    seed = check_seed("seed", seed)
    if seed is None:
        return None
    for part in parts:
        if isinstance(part, bool) or not isinstance(part, (str, int)):
            raise ParameterError(f"task_seed part: expected a str or an int, got {part!r}; pass the ticker or fold number.")
    digest = hashlib.sha256(_canonical([seed, *parts])).digest()
    return int.from_bytes(digest[:8], "big") % SEED_LIMIT


def fingerprint(*parts) -> str:
    """A hex digest of ``parts``: JSON-able values (hashed as canonical JSON) or bytes.

    Args:
        *parts: settings dicts, data hashes (``frame_hash``), fold numbers, raw bytes.

    Raises:
        ParameterError: a part that is neither bytes nor JSON-able.
    """
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, (bytes, bytearray)):
            encoded = b"b" + bytes(part)
        else:
            try:
                encoded = b"j" + _canonical(part)
            except (TypeError, ValueError) as error:
                raise ParameterError(f"fingerprint part: expected bytes or JSON-able data, got {type(part).__name__} "
                                     f"({error}); pass plain values or frame_hash(frame).") from error
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
    return digest.hexdigest()


def frame_hash(frame: pd.DataFrame) -> str:
    """A hex digest of a frame's values, index, column names and dtypes (pandas' row hashes)."""
    rows = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    layout = [[str(column), str(dtype)] for column, dtype in frame.dtypes.items()]
    return fingerprint(layout, rows)
