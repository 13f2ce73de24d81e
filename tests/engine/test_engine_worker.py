"""The worker side: the Python that spawned workers run, the per-task wrapper."""

import os
import sys
from pathlib import Path

import pytest

from pyanalytics.engine.executors import python_executable
from pyanalytics.engine.worker import SINGLE_THREAD, run_in_worker
from pyanalytics.errors import EngineError


def test_workers_run_this_environment_s_python_even_when_the_process_is_r(monkeypatch):
    assert python_executable() == sys.executable
    monkeypatch.setattr(sys, "executable", "/usr/lib/R/bin/exec/R")  # Python embedded by reticulate
    found = Path(python_executable())
    assert found.is_file() and found.name.startswith("python") and found.parent == Path(sys.prefix) / "bin"


def test_no_python_in_the_prefix_is_an_engine_error(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", "/usr/lib/R/bin/exec/R")
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr(sys, "_base_executable", "")
    with pytest.raises(EngineError, match=f"no Python found in {tmp_path}.*use engine='serial'"):
        python_executable()


def test_the_wrapper_returns_the_result_the_process_and_its_peak_memory(monkeypatch):
    for name in SINGLE_THREAD:
        monkeypatch.delenv(name, raising=False)
    result, worker, peak_mb = run_in_worker(divmod, (7, 2))
    assert (result, worker) == ((3, 1), os.getpid())
    assert 10 < peak_mb < 100_000
    assert {name: os.environ[name] for name in SINGLE_THREAD} == SINGLE_THREAD
