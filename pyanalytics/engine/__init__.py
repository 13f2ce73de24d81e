"""Run many independent tasks (e.g. one per ticker and fold) on local processes or Dask, resumably.

A ``Task`` is one call of a top-level function with its arguments and a fingerprint of its inputs;
``run_tasks`` runs a list of them on an engine (a local process pool, a Dask cluster, this process),
one TensorFlow and one BLAS thread per worker, and gives the same results bit for bit whatever the
pool or cluster and the number of workers ("serial" runs in this process with the threads
TensorFlow already has there, which may change the last bits). A ``TaskStore`` keeps each finished task on disk, so a run that was
interrupted computes only what is missing. Importing this package imports neither TensorFlow nor Dask.

Example:
    >>> from pyanalytics.engine import Task, fingerprint, run_tasks
    >>> tasks = [Task(f"x/{i}", pow, (i, 2), fingerprint(i)) for i in range(3)]
    >>> results, errors, report = run_tasks(tasks, engine="serial")
    >>> results
    {'x/0': 0, 'x/1': 1, 'x/2': 4}
"""

from pyanalytics.engine.executors import ENGINES
from pyanalytics.engine.run import RunReport, run_tasks
from pyanalytics.engine.store import TaskStore
from pyanalytics.engine.tasks import Task, fingerprint, frame_hash, task_seed

__all__ = ["ENGINES", "RunReport", "Task", "TaskStore", "fingerprint", "frame_hash", "run_tasks", "task_seed"]
