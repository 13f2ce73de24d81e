"""run_tasks on failures: task errors recorded by key or raised with it, bad arguments refused."""

import numpy as np
import pytest
from engine_tasks import fail_with_data_error, fail_with_zero_division

from pyanalytics.engine import Task, fingerprint, run_tasks
from pyanalytics.errors import DataError, EngineError, ParameterError

TASKS = [Task("AAPL/fold-0", abs, (-1.5,), "f0"), Task("BAD/fold-0", fail_with_data_error, ("BAD",), "f1"),
         Task("ZERO/fold-0", fail_with_zero_division, (), "f2"), Task("MSFT/fold-0", abs, (-2,), "f3")]


def test_task_errors_are_recorded_with_their_key_and_the_run_goes_on():
    statuses = []
    results, errors, report = run_tasks(TASKS, engine="serial", on_task=lambda *call: statuses.append(call))
    assert results == {"AAPL/fold-0": 1.5, "MSFT/fold-0": 2}
    assert errors == {"BAD/fold-0": "BAD: expected 300 rows, found 12; pass a longer history.",
                      "ZERO/fold-0": "ZeroDivisionError: division by zero"}
    assert statuses == [("AAPL/fold-0", 1, 4, "computed"), ("BAD/fold-0", 2, 4, "failed"),
                        ("ZERO/fold-0", 3, 4, "failed"), ("MSFT/fold-0", 4, 4, "computed")]
    assert (report.engine, report.computed, report.failed, report.stored) == ("serial", 2, 2, 0)


def test_stop_on_error_raises_with_the_key_first_and_keeps_a_pyanalytics_error_type():
    statuses = []
    with pytest.raises(DataError, match=r"^BAD/fold-0: BAD: expected 300 rows"):
        run_tasks(TASKS, engine="serial", stop_on_error=True, on_task=lambda *call: statuses.append(call[3]))
    assert statuses == ["computed", "failed"]  # the tasks after the failure never ran
    with pytest.raises(EngineError, match=r"^ZERO/fold-0: ZeroDivisionError: division by zero"):
        run_tasks(TASKS[2:], engine="serial", stop_on_error=True)


def test_a_result_that_is_not_json_is_a_task_error():
    results, errors, _ = run_tasks([Task("AAPL/fold-0", np.zeros, (2,), fingerprint(2))], engine="serial")
    assert results == {}
    assert errors["AAPL/fold-0"].startswith("task AAPL/fold-0: its result is not JSON-able")


@pytest.mark.parametrize(("arguments", "message"), [
    ({"workers": 0}, "workers: expected an integer >= 1, got 0"),
    ({"engine": "spark"}, "engine: expected one of 'local', 'dask', 'serial' or a Dask scheduler address"),
])
def test_bad_arguments_are_refused(arguments, message):
    with pytest.raises(ParameterError, match=message):
        run_tasks(TASKS[:1], **arguments)


def test_duplicate_keys_are_refused():
    with pytest.raises(ParameterError, match="tasks: expected unique keys, got 'AAPL/fold-0' more than once"):
        run_tasks([TASKS[0], TASKS[0]], engine="serial")


def test_an_unreachable_scheduler_is_an_engine_error():
    import dask.config
    import distributed  # noqa: F401 -- its config defaults must be loaded before set() overrides one of them

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(EngineError, match=r"engine 'tcp://127.0.0.1:9': cannot reach the Dask scheduler \(.*\); start"):
        run_tasks(TASKS[:1], engine="tcp://127.0.0.1:9")
