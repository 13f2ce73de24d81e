"""The task store: exact floats and NaN on disk, safe file names, unreadable files recomputed, settings checked."""

import json
import math

import pytest

from pyanalytics.engine import Task, TaskStore, fingerprint, run_tasks
from pyanalytics.engine.store import library_versions
from pyanalytics.errors import ParameterError

SETTINGS = {"folds": 5, "seed": 0, "model": {"epochs": 3}}


def _task(key: str, value: int = 1) -> Task:
    return Task(key, divmod, (value, 3), fingerprint(key, value))


def test_results_come_back_exactly_with_nan(tmp_path):
    store = TaskStore(tmp_path, SETTINGS)
    result = {"returns": [0.1 + 0.2, 1e-300, -2.5e17, math.nan, math.inf], "ticker": "AAPL", "n": 3, "none": None}
    store.put(_task("AAPL/fold-3"), result)
    stored = TaskStore(tmp_path, SETTINGS).get(_task("AAPL/fold-3"))
    assert stored["returns"][:3] == [0.1 + 0.2, 1e-300, -2.5e17]
    assert math.isnan(stored["returns"][3]) and stored["returns"][4] == math.inf
    assert {k: stored[k] for k in ("ticker", "n", "none")} == {"ticker": "AAPL", "n": 3, "none": None}


def test_file_names_are_safe_and_keys_that_sanitise_alike_do_not_collide(tmp_path):
    store = TaskStore(tmp_path, SETTINGS)
    assert store.path("AAPL/fold-3").name.startswith("AAPL__fold-3.")
    assert store.path("../../etc/passwd").parent == tmp_path
    assert store.path("A B") != store.path("A?B")
    store.put(_task("A B"), "space")
    store.put(_task("A?B"), "question")
    assert (store.get(_task("A B")), store.get(_task("A?B"))) == ("space", "question")
    assert store.keys() == ["A B", "A?B"] and len(store) == 2
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []  # no temp file left


def test_a_changed_fingerprint_or_an_unreadable_file_counts_as_missing(tmp_path):
    store = TaskStore(tmp_path, SETTINGS)
    store.put(_task("AAPL/fold-0", 1), [1, 2])
    store.put(_task("AAPL/fold-1", 1), [3, 4])
    assert store.get(_task("AAPL/fold-0", 2)) is None
    path = store.path("AAPL/fold-1")
    path.write_text(path.read_text()[:10])  # half-written
    assert store.get(_task("AAPL/fold-1", 1)) is None
    statuses = {}
    results, errors, report = run_tasks([_task("AAPL/fold-0"), _task("AAPL/fold-1")], engine="serial", store=store,
                                        on_task=lambda key, done, total, status: statuses.update({key: status}))
    assert statuses == {"AAPL/fold-0": "stored", "AAPL/fold-1": "computed"}
    assert results == {"AAPL/fold-0": [1, 2], "AAPL/fold-1": [0, 1]}
    assert (report.stored, report.computed, errors) == (1, 1, {})
    assert store.get(_task("AAPL/fold-1")) == [0, 1]


def test_a_store_of_other_settings_is_refused(tmp_path):
    TaskStore(tmp_path, SETTINGS)
    assert json.loads((tmp_path / "store.json").read_text()) == {"format": 1, "settings": SETTINGS,
                                                                  "versions": library_versions()}
    with pytest.raises(ParameterError, match=rf"task store {tmp_path}: made with other settings \(folds: 3 here, 5 in "
                                             r"the store\); pass another folder or delete this one"):
        TaskStore(tmp_path, {**SETTINGS, "folds": 3})
    with pytest.raises(ParameterError, match="quantile: 0.2 here, absent in the store"):
        TaskStore(tmp_path, {**SETTINGS, "quantile": 0.2})
    TaskStore(tmp_path, json.loads(json.dumps(SETTINGS)))  # the same settings open it again


def test_a_store_of_other_library_versions_is_refused(tmp_path):
    TaskStore(tmp_path, SETTINGS)
    record = json.loads((tmp_path / "store.json").read_text())
    record["versions"]["keras"] = "2.0.0"
    (tmp_path / "store.json").write_text(json.dumps(record))
    with pytest.raises(ParameterError, match=rf"made with other library versions \(keras: '{library_versions()['keras']}' "
                                             r"here, '2.0.0' in the store\)"):
        TaskStore(tmp_path, SETTINGS)


def test_a_stored_result_of_another_function_is_not_reused(tmp_path):
    store = TaskStore(tmp_path, SETTINGS)
    store.put(Task("AAPL/fold-1", abs, (-2,), "f1"), 2)
    assert store.get(Task("AAPL/fold-1", abs, (-2,), "f1")) == 2
    assert store.get(Task("AAPL/fold-1", round, (-2,), "f1")) is None


def test_an_unreadable_settings_file_is_refused(tmp_path):
    (tmp_path / "store.json").write_text("{")
    with pytest.raises(ParameterError, match="store.json is not a format-1 store; pass another folder or delete"):
        TaskStore(tmp_path, SETTINGS)
