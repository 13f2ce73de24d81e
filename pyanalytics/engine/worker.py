"""What runs around every task in its process: one TensorFlow thread, one task at a time, a fresh Keras.

One thread per process (TensorFlow's and the BLAS under NumPy) makes float results independent of
the machine's cores and of how many workers share it (a pooled prediction on two BLAS threads
differed in the last bits from one on one thread); the lock makes a Dask worker with several threads run one fit at a time (Keras
seeds are global to the process). In a Dask worker, the event loop measures messages with
``dask.sizeof``, which samples them with Python's global ``random`` while a task runs on another
thread: that shifted the layer seeds Keras draws from the same generator (a test saw one fit in
four differ), so Dask's sizeof gets a generator of its own.
"""

import os
import random
import sys
import threading

from threadpoolctl import threadpool_limits

SINGLE_THREAD = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": "1"}
_LOCK = threading.Lock()


def single_thread() -> None:
    """Set this process to one TensorFlow thread: by environment before TF starts, by its config when still possible."""
    os.environ.update(SINGLE_THREAD)
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        try:
            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:  # TensorFlow has started: its thread pools are fixed
            pass


def _dask_worker_address() -> str | None:
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        return distributed.get_worker().address
    except ValueError:  # not in a Dask worker
        return None


def worker_id() -> int | str:
    """The Dask worker's address inside a Dask worker, else the process id."""
    return _dask_worker_address() or os.getpid()


def _own_random_for_dask_sizeof() -> None:
    """Give ``dask.sizeof`` (run by the worker's event loop) its own generator, off Python's global one."""
    sizeof = sys.modules.get("dask.sizeof")
    if sizeof is not None and sizeof.random is random:
        sizeof.random = random.Random(0)


def peak_memory_mb() -> float:
    """This process's peak resident memory in MB (its current one where the OS keeps no peak)."""
    try:
        import resource
    except ImportError:  # Windows
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KB on Linux


def run_in_worker(function, args: tuple) -> tuple:
    """``function(*args)`` alone in this process, on one thread, after clearing Keras if it is loaded.

    Returns:
        ``(result, worker_id(), peak_memory_mb())``.
    """
    with _LOCK:
        single_thread()
        if _dask_worker_address() is not None:
            _own_random_for_dask_sizeof()
        keras = sys.modules.get("keras")
        if keras is not None:
            keras.backend.clear_session()
        with threadpool_limits(limits=1):  # NumPy's BLAS may have started with every core before the environment was set
            result = function(*args)
    return result, worker_id(), peak_memory_mb()
