"""The engines that run tasks: a local process pool, a Dask cluster (local or by address), this process.

Each engine is a generator over ``(task, outcome, error)`` in completion order: ``outcome`` is what
``run_in_worker`` returns, ``error`` the exception the task raised (then ``outcome`` is None). Closing
the generator (the run ends, fails or is interrupted) cancels what is pending and shuts the engine
down. Worker processes are spawned, never forked (TensorFlow in the parent must not be copied), with
this environment's Python even when the parent is R embedding Python (reticulate, rpy2).
"""

import logging
import multiprocessing
import os
import sys
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pyanalytics.engine.worker import SINGLE_THREAD, run_in_worker, single_thread
from pyanalytics.errors import EngineError

ENGINES = ("local", "dask", "serial")
# A worker's memory grows by about 6 MB per DNN fold fitted (TensorFlow keeps something that
# clear_session and malloc_trim do not free: 680 -> 930 MB over 40 fits), so the local engine
# starts a fresh pool after this many tasks per worker, at the price of one TensorFlow import
# (~3 s) per worker: a 100-ticker run stays near 1 GB per worker instead of growing past 2 GB.
# (ProcessPoolExecutor's own max_tasks_per_child hung on Python 3.11 when it replaced a worker.)
TASKS_PER_WORKER = 50


def python_executable() -> str:
    """The Python of this environment: ``sys.executable`` unless that is another program (R under reticulate).

    Raises:
        EngineError: no Python found in ``sys.prefix``.
    """
    if Path(sys.executable).name.lower().startswith("python"):
        return sys.executable
    prefix = Path(sys.prefix)
    candidates = [prefix / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}",
                  prefix / "bin" / "python3", prefix / "bin" / "python", prefix / "python.exe",
                  prefix / "Scripts" / "python.exe", Path(getattr(sys, "_base_executable", "") or "")]
    for candidate in candidates:
        if candidate.name and candidate.is_file():
            return str(candidate)
    raise EngineError(f"worker processes: no Python found in {prefix} (this process runs {sys.executable}); "
                      "run from that environment's python or use engine='serial'.")


def _spawn_with_python() -> None:
    # Global to multiprocessing's spawn and forkserver contexts, so Dask's nanny uses it too.
    multiprocessing.set_executable(python_executable())


def run_serial(tasks: list, workers: int):
    """Run the tasks in this process, one after another."""
    for task in tasks:
        try:
            yield task, run_in_worker(task.function, task.args), None
        except Exception as error:  # noqa: BLE001 -- the task's own failure, reported by run_tasks
            yield task, None, error


def run_local(tasks: list, workers: int):
    """Run the tasks on a pool of ``workers`` spawned processes (``BrokenProcessPool`` if one dies),
    a fresh pool for every ``TASKS_PER_WORKER`` tasks a worker."""
    _spawn_with_python()
    size = min(workers, len(tasks))
    generation = size * TASKS_PER_WORKER
    for start in range(0, len(tasks), generation):
        yield from _run_pool(tasks[start:start + generation], size)


def _run_pool(tasks: list, workers: int):
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=single_thread)
    try:
        futures = {pool.submit(run_in_worker, task.function, task.args): task for task in tasks}
        for future in as_completed(futures):
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                raise error
            yield futures[future], None if error else future.result(), error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(tasks: list, workers: int, address: str | None = None):
    """Run the tasks on a Dask scheduler at ``address``, or on a local cluster of ``workers`` processes."""
    import dask.config
    from distributed import Client, LocalCluster, as_completed as dask_completed

    cluster = None
    if address is None:
        _spawn_with_python()
        environment = os.environ.copy()  # the nanny sets OMP_NUM_THREADS and others here to spawn its workers
        try:
            with dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
                cluster = LocalCluster(n_workers=min(workers, len(tasks)), threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.CRITICAL, env=SINGLE_THREAD)
        finally:
            os.environ.clear()
            os.environ.update(environment)
    try:
        try:
            client = Client(cluster if cluster is not None else address)
        except OSError as error:
            raise EngineError(f"engine {address!r}: cannot reach the Dask scheduler ({error}); start it, check the "
                              "address, or use engine='local'.") from error
        with client:
            shared = _shared_arguments(client, tasks)
            futures = {client.submit(run_in_worker, task.function, tuple(shared.get(id(a), a) for a in task.args),
                                     key=f"{task.key}-{uuid.uuid4().hex}", pure=False): task for task in tasks}
            try:
                for future in dask_completed(futures):
                    error = future.exception()
                    yield futures[future], None if error else future.result(), error
            finally:
                client.cancel(list(futures))
    finally:
        if cluster is not None:
            cluster.close()


def _shared_arguments(client, tasks: list) -> dict:
    """``id`` -> Dask future of every argument object that several tasks share (a ticker's prices, the
    pooled panel), sent to the cluster once instead of inside every task."""
    counts = Counter(id(a) for task in tasks for a in task.args)
    objects = {id(a): a for task in tasks for a in task.args
               if counts[id(a)] > 1 and not isinstance(a, (bool, int, float, str, type(None)))}
    return dict(zip(objects, client.scatter(list(objects.values()), hash=False))) if objects else {}
