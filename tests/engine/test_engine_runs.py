"""run_tasks on worker processes: the same bits on every engine, resumable, robust to killed processes.

Each engine run spawns processes that import TensorFlow (a few seconds each on two cores), so the
runs are module fixtures shared by the assertions.
"""

import json
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import engine_tasks
import pytest

import pyanalytics
from pyanalytics.engine import Task, TaskStore, fingerprint, run_tasks, task_seed
from pyanalytics.errors import EngineError

pytestmark = pytest.mark.slow

SETTINGS = {"network": "fit_small_network", "seed": 0}
NETWORKS = [Task(f"net/{i}", engine_tasks.fit_small_network, (task_seed(0, "net", i),), fingerprint(SETTINGS, i))
            for i in range(4)]
FAILING = Task("BAD/fold-0", engine_tasks.fail_with_data_error, ("BAD",), fingerprint("BAD"))
FAILED = {"BAD/fold-0": "BAD: expected 300 rows, found 12; pass a longer history."}


def _run(tasks, **options):
    """``run_tasks`` with the statuses passed to ``on_task``; checks that no worker process is left."""
    statuses = {}
    results, errors, report = run_tasks(tasks, on_task=lambda key, done, total, status: statuses.update({key: status}),
                                        **options)
    assert multiprocessing.active_children() == []
    return results, errors, report, statuses


def _bits(results: dict) -> str:
    """The results as exact text: equal strings mean equal floats bit for bit, NaN included."""
    return json.dumps(results, sort_keys=True)


@pytest.fixture(scope="module")
def one_worker():
    return _run([*NETWORKS, FAILING], engine="local", workers=1)


@pytest.fixture(scope="module")
def resumed_on_two_workers(tmp_path_factory):
    """Half the networks on two workers with a store, then all of them with the same store."""
    store = TaskStore(tmp_path_factory.mktemp("store"), SETTINGS)
    _run(NETWORKS[:2], engine="local", workers=2, store=store)
    return _run([*NETWORKS, FAILING], engine="local", workers=2, store=store)


@pytest.fixture(scope="module")
def dask_two_workers():
    return _run([*NETWORKS, FAILING], engine="dask", workers=2)


def test_one_local_worker_fits_the_networks_and_records_the_failure(one_worker):
    results, errors, report, statuses = one_worker
    assert sorted(results) == [task.key for task in NETWORKS] and errors == FAILED
    assert len(results["net/0"]["weights"]) == 4 * 8 + 8 + 8 + 1 and len(results["net/0"]["loss"]) == 3
    assert results["net/0"]["weights"] != results["net/1"]["weights"]  # each task has its own seed
    assert (report.engine, report.workers, report.computed, report.stored, report.failed) == ("local", 1, 4, 0, 1)
    assert len(report.peak_memory) == 1 and 100 < next(iter(report.peak_memory.values())) < 4000


def test_a_resumed_run_computes_only_the_missing_tasks(resumed_on_two_workers):
    _, errors, report, statuses = resumed_on_two_workers
    assert statuses == {"net/0": "stored", "net/1": "stored", "net/2": "computed", "net/3": "computed",
                        "BAD/fold-0": "failed"}
    assert (report.computed, report.stored, report.failed, errors) == (2, 2, 1, FAILED)


def test_two_local_workers_resumed_give_the_same_bits_as_one(one_worker, resumed_on_two_workers):
    reference, resumed = one_worker[0], resumed_on_two_workers[0]
    for key in reference:
        assert resumed[key]["weights"] == reference[key]["weights"]
        assert resumed[key]["loss"] == reference[key]["loss"]
    assert _bits(resumed) == _bits(reference)


def test_a_dask_cluster_of_two_workers_gives_the_same_bits(one_worker, dask_two_workers):
    results, errors, report, _ = dask_two_workers
    assert _bits(results) == _bits(one_worker[0])
    assert errors == FAILED
    assert (report.engine, report.computed, report.failed) == ("dask", 4, 1)
    assert len(report.peak_memory) == 2 and all(worker.startswith("tcp://") for worker in report.peak_memory)


def test_an_existing_scheduler_runs_the_tasks_and_stays_up():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None, silence_logs=logging.CRITICAL) as cluster:
        results, errors, report = run_tasks(engine_tasks.square_tasks(2), engine=cluster.scheduler_address)
        assert results == {"sq/0": {"square": 0, "ratio": 0.0}, "sq/1": {"square": 1, "ratio": 1 / 3}}
        assert (errors, report.engine, list(report.peak_memory)) == ({}, cluster.scheduler_address,
                                                                     list(cluster.scheduler_info["workers"]))
        with Client(cluster) as client:
            assert client.submit(abs, -1).result() == 1
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_stops_the_run_and_keeps_the_finished_tasks(tmp_path):
    store = TaskStore(tmp_path, SETTINGS)
    tasks = [*engine_tasks.square_tasks(1), Task("dies", engine_tasks.die, (), "x")]
    with pytest.raises(EngineError, match=rf"after 1 of 2 tasks finished; those are stored in {tmp_path}; running "
                                          "again with that store computes only the rest"):
        _run(tasks, engine="local", workers=1, store=store)
    assert store.keys() == ["sq/0"]


def test_ctrl_c_shuts_the_pool_down_and_keeps_the_finished_tasks(tmp_path):
    store = TaskStore(tmp_path, engine_tasks.SQUARES_SETTINGS)

    def interrupt(key, done, total, status):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_tasks(engine_tasks.square_tasks(4), engine="local", workers=1, store=store, on_task=interrupt)
    assert multiprocessing.active_children() == []
    assert len(store) == 1


def test_a_killed_run_restarted_computes_only_the_missing_tasks(tmp_path):
    """SIGKILL the whole process group of a run once some tasks are stored, then run again."""
    count = 8
    path = os.pathsep.join([str(Path(engine_tasks.__file__).parent), str(Path(pyanalytics.__file__).parents[1]),
                            os.environ.get("PYTHONPATH", "")])
    run = subprocess.Popen([sys.executable, "-c", f"import engine_tasks; engine_tasks.run_squares({str(tmp_path)!r}, "
                            f"{count})"], env={**os.environ, "PYTHONPATH": path}, start_new_session=True)
    store = TaskStore(tmp_path, engine_tasks.SQUARES_SETTINGS)
    deadline = time.monotonic() + 60
    while len(store) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    stored = len(store)
    assert 2 <= stored < count

    results, errors, report, statuses = _run(engine_tasks.square_tasks(count), engine="serial", store=store)
    assert (report.stored, report.computed, errors) == (stored, count - stored, {})
    assert list(statuses.values()).count("computed") == count - stored
    assert results == {f"sq/{i}": {"square": i**2, "ratio": i / 3} for i in range(count)}


def test_the_local_pool_is_renewed_every_few_tasks_per_worker(monkeypatch):
    from pyanalytics.engine import executors

    monkeypatch.setattr(executors, "TASKS_PER_WORKER", 1)  # a fresh pool of 2 workers for every 2 tasks
    results, errors, report = run_tasks(engine_tasks.square_tasks(4), engine="local", workers=2)
    assert not errors and [results[f"sq/{i}"]["square"] for i in range(4)] == [0, 1, 4, 9]
    assert len(report.peak_memory) == 4  # four worker processes, two per pool
    assert multiprocessing.active_children() == []
