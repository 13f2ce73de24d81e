"""Task seeds and fingerprints: stable across processes, distinct per part."""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from pyanalytics.engine import fingerprint, frame_hash, task_seed
from pyanalytics.errors import ParameterError


def test_task_seed_follows_its_documented_formula():
    canonical = json.dumps([7, "AAPL", 3], sort_keys=True, separators=(",", ":")).encode()
    expected = int.from_bytes(hashlib.sha256(canonical).digest()[:8], "big") % (2**31 - 1)
    assert task_seed(7, "AAPL", 3) == expected


def test_task_seed_is_distinct_per_part_and_none_stays_none():
    seeds = {task_seed(0, ticker, fold) for ticker in ("AAPL", "MSFT", "IBM") for fold in range(5)}
    assert len(seeds) == 15
    assert all(0 <= seed < 2**31 - 1 for seed in seeds)
    assert task_seed(0, "AAPL") != task_seed(1, "AAPL")
    assert task_seed(0, 3) != task_seed(0, "3")
    assert task_seed(None, "AAPL", 3) is None
    assert task_seed(7.0, "AAPL", 3) == task_seed(7, "AAPL", 3)  # R sends integers as doubles


def test_task_seed_refuses_a_bad_seed_or_part():
    with pytest.raises(ParameterError, match="task_seed part: expected a str or an int, got 1.5"):
        task_seed(0, 1.5)
    with pytest.raises(ParameterError, match="seed: expected an integer >= 0, got -1"):
        task_seed(-1, "AAPL")


def test_fingerprint_tells_parts_apart():
    assert fingerprint({"folds": 5, "seed": 0}) == fingerprint({"seed": 0, "folds": 5})
    assert fingerprint({"folds": 5}) != fingerprint({"folds": 3})
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    assert fingerprint(b"x") != fingerprint("x")
    with pytest.raises(ParameterError, match="fingerprint part: expected bytes or JSON-able data, got object"):
        fingerprint(object())


def test_frame_hash_follows_values_index_and_columns():
    frame = pd.DataFrame({"close": [1.0, 2.0, 3.0], "volume": [10, 20, 30]},
                         index=pd.date_range("2024-01-01", periods=3))
    assert frame_hash(frame) == frame_hash(frame.copy())
    changed = frame.copy()
    changed.iloc[1, 0] = np.nextafter(2.0, 3.0)
    assert frame_hash(changed) != frame_hash(frame)
    assert frame_hash(frame.rename(columns={"close": "open"})) != frame_hash(frame)
    assert frame_hash(frame.shift(1, freq="D")) != frame_hash(frame)
