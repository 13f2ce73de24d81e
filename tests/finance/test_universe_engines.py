"""A universe gives the same results, bit for bit, on a local process pool and on a Dask cluster,
and a run killed halfway recomputes only the missing tasks when started again."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from price_csv import write_price_csv

from pyanalytics.finance import synthetic_market
from pyanalytics.finance.universe import walk_forward_many

pytestmark = pytest.mark.slow
SETTINGS = {"folds": 3, "model_params": {"epochs": 2}, "seed": 7}
TICKERS = 3


def write_universe(root):
    for number in range(TICKERS):
        write_price_csv(root / f"T{number}.csv", synthetic_market(600, signal_strength=1.5 * (number % 2), seed=20 + number))
    return root


@pytest.fixture(scope="module")
def universe(tmp_path_factory):
    return write_universe(tmp_path_factory.mktemp("engines"))


@pytest.fixture(scope="module")
def pool_run(universe):
    """One local worker: every task in one process, one after another."""
    return walk_forward_many(universe, engine="local", workers=1, cross_section=True, min_tickers=3, **SETTINGS)


def assert_same(first, second):
    assert list(first.results) == list(second.results)
    for name in first.results:
        a, b = first.results[name], second.results[name]
        pd.testing.assert_frame_equal(a.predictions, b.predictions, check_exact=True)
        pd.testing.assert_frame_equal(a.folds, b.folds, check_exact=True)
        assert a.metrics == b.metrics


def test_a_dask_cluster_of_two_processes_gives_the_pool_s_results_bit_for_bit(pool_run, universe):
    dask_run = walk_forward_many(universe, engine="dask", workers=2, cross_section=True, min_tickers=3, **SETTINGS)
    assert (pool_run.run.engine, pool_run.run.workers, dask_run.run.engine, dask_run.run.workers) == ("local", 1, "dask", 2)
    assert_same(pool_run, dask_run)
    pd.testing.assert_frame_equal(pool_run.cross_section.predictions, dask_run.cross_section.predictions,
                                  check_exact=True)
    pd.testing.assert_frame_equal(pool_run.significance(), dask_run.significance(), check_exact=True)
    assert len(dask_run.run.peak_memory) == 2 and all(mb > 100 for mb in dask_run.run.peak_memory.values())


def test_a_run_killed_halfway_recomputes_only_the_missing_tasks(pool_run, universe, tmp_path):
    store = tmp_path / "store"
    command = [str(Path(sys.executable).with_name("pyanalytics")), "walk-forward", "--data", str(universe), "--folds", "3",
               "--epochs", "2", "--seed", "7", "--store", str(store), "--workers", "2", "--json"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    total = TICKERS * 3
    deadline = time.monotonic() + 240
    while process.poll() is None and time.monotonic() < deadline:
        if len(list(store.glob("*__fold-*.json"))) >= total // 2:
            os.killpg(process.pid, signal.SIGKILL)  # the CLI and its workers, mid-run
            break
        time.sleep(0.05)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    finished = len(list(store.glob("*__fold-*.json")))
    assert total // 2 <= finished < total
    statuses = []
    resumed = walk_forward_many(universe, engine="local", workers=2, store=store,
                                on_task=lambda key, done, n, status: statuses.append(status), **SETTINGS)
    assert statuses.count("stored") == finished and statuses.count("computed") == total - finished
    assert (resumed.run.stored, resumed.run.computed) == (finished, total - finished)
    assert_same(pool_run, resumed)
    again = walk_forward_many(universe, engine="serial", store=store, **SETTINGS)
    assert again.run.computed == 0 and again.run.stored == total
    assert_same(pool_run, again)
