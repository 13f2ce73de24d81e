"""``run_tasks``: run tasks on an engine, keep each result as it completes, report what was done.

Example:
    >>> from pyanalytics.engine.tasks import Task
    >>> results, errors, report = run_tasks([Task("a", abs, (-2,), "f")], engine="serial")
    >>> results, errors, (report.computed, report.stored, report.failed)
    ({'a': 2}, {}, (1, 0, 0))
"""

import json
import os
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial

from pyanalytics.engine.executors import ENGINES, run_dask, run_local, run_serial
from pyanalytics.engine.store import TaskStore
from pyanalytics.engine.tasks import Task
from pyanalytics.errors import EngineError, ParameterError, PyAnalyticsError
from pyanalytics.params import check_int

_RUNNERS = {"local": run_local, "dask": run_dask, "serial": run_serial}


@dataclass(frozen=True)
class RunReport:
    """What ``run_tasks`` did.

    Attributes:
        engine: the engine's name or the scheduler's address.
        workers: the number of workers asked for (an address's cluster keeps its own size).
        computed, stored, failed: tasks run to a result, found in the store, failed.
        seconds: wall time of the run.
        peak_memory: worker id (process id, or Dask worker address) -> its peak resident memory in MB.
    """

    engine: str
    workers: int
    computed: int
    stored: int
    failed: int
    seconds: float
    peak_memory: dict = field(default_factory=dict)


def _runner(engine):
    if isinstance(engine, str) and "://" in engine:
        return partial(run_dask, address=engine)
    if engine not in ENGINES:
        raise ParameterError(f"engine: expected one of {', '.join(map(repr, ENGINES))} or a Dask scheduler address "
                             f"such as 'tcp://host:8786', got {engine!r}.")
    return _RUNNERS[engine]


def _plain(key: str, result):
    """The result as the store gives it back (JSON round-trip), so stored and computed results are equal."""
    try:
        return json.loads(json.dumps(result, allow_nan=True))
    except (TypeError, ValueError) as error:
        raise EngineError(f"task {key}: its result is not JSON-able ({error}); return dicts, lists, str, float, "
                          "int or None (e.g. array.tolist()).") from error


def _with_key(key: str, error: BaseException) -> PyAnalyticsError:
    """``error`` with the task key at the start of its message; its type kept when it is a PyAnalyticsError."""
    if isinstance(error, PyAnalyticsError):
        try:
            return type(error)(f"{key}: {error}")
        except TypeError:  # a subclass with another constructor
            pass
    return EngineError(f"{key}: {type(error).__name__}: {error}")


def run_tasks(tasks: list[Task], *, engine="local", workers: int | None = None, store: TaskStore | None = None,
              on_task=None, stop_on_error: bool = False) -> tuple[dict, dict, RunReport]:
    """Run the tasks not already in ``store`` on ``engine``; identical results on any pool, cluster or worker count.

    Each result is put into the store as it completes, then ``on_task(key, done, total, status)`` is
    called with status ``"stored"`` (found in the store, not run), ``"computed"`` or ``"failed"``.
    Ctrl-C cancels what is pending, shuts the engine down and re-raises; stored tasks stay stored.

    Args:
        tasks: tasks with unique keys.
        engine: ``"local"`` (spawned process pool), ``"dask"`` (a local Dask cluster of processes),
            ``"serial"`` (this process) or a Dask scheduler address such as ``"tcp://host:8786"``.
        workers: worker processes (default: all cores); ignored for a scheduler address.
        store: finished tasks kept on disk; those found there are not run again.
        on_task: progress callback, called in this process.
        stop_on_error: raise the first task error (after cancelling the rest) instead of recording it.

    Returns:
        ``(results {key: result}, errors {key: reason}, RunReport)``: a reason is the message of a
        PyAnalyticsError (it names the input and what to do), else ``"ExceptionType: message"``.

    Raises:
        ParameterError: an unknown engine, ``workers`` < 1, duplicate task keys.
        EngineError: a worker process died (running again computes only the tasks not stored), or a
            task failed under ``stop_on_error`` (a task's PyAnalyticsError keeps its type).
    """
    started = time.perf_counter()
    runner = _runner(engine)
    workers = check_int("workers", (os.cpu_count() or 1) if workers is None else workers, minimum=1)
    keys = [task.key for task in tasks]
    if len(set(keys)) < len(keys):
        duplicate = next(key for key in keys if keys.count(key) > 1)
        raise ParameterError(f"tasks: expected unique keys, got {duplicate!r} more than once; name each task once.")

    results, errors, peak_memory, counts = {}, {}, {}, {"stored": 0, "computed": 0, "failed": 0}

    def finish(key: str, status: str) -> None:
        counts[status] += 1
        if on_task is not None:
            on_task(key, sum(counts.values()), len(tasks), status)

    pending = []
    for task in tasks:
        stored = None if store is None else store.get(task)
        if stored is None:
            pending.append(task)
        else:
            results[task.key] = stored
            finish(task.key, "stored")

    if pending:
        outcomes = runner(pending, workers)
        try:
            with closing(outcomes):
                for task, outcome, error in outcomes:
                    if error is None:
                        try:
                            result = _plain(task.key, outcome[0])
                        except EngineError as not_json:
                            error = not_json
                    if error is not None:
                        errors[task.key] = _reason(error)
                        finish(task.key, "failed")
                        if stop_on_error:
                            raise _with_key(task.key, error) from error
                        continue
                    results[task.key] = result
                    if store is not None:
                        store.put(task, result)
                    peak_memory[outcome[1]] = max(peak_memory.get(outcome[1], 0.0), outcome[2])
                    finish(task.key, "computed")
        except BrokenProcessPool as error:
            kept = f"are stored in {store.directory}; running again with that store computes only the rest" \
                if store is not None else "are lost (no store); pass a TaskStore to keep finished tasks"
            raise EngineError(f"engine {engine!r}: a worker process died (killed or out of memory) after "
                              f"{counts['computed']} of {len(pending)} tasks finished; those {kept}."
                              f"{_script_hint() if not counts['computed'] else ''}") from error

    report = RunReport(engine=engine, workers=workers, seconds=time.perf_counter() - started,
                       peak_memory=peak_memory, **counts)
    return results, errors, report


def _reason(error: BaseException) -> str:
    """Why a task failed, in one line: a PyAnalyticsError's own message, else the exception's type and message."""
    return str(error) if isinstance(error, PyAnalyticsError) else f"{type(error).__name__}: {error}"


def _script_hint() -> str:
    """Why workers die at once when a script starts the run at its top level, and the cure."""
    if not getattr(sys.modules.get("__main__"), "__file__", None):
        return ""
    return (" If this runs from a script: spawned workers import the script, so put the run under "
            "`if __name__ == \"__main__\":`.")
