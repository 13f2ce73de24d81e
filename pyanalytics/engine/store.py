"""Finished tasks on disk, one JSON file per task, so an interrupted run computes only what is missing.

A folder holds ``store.json`` (the run's settings and the library versions) and one file per task
named after its key, holding the task's fingerprint and function. Files are
written atomically (a temporary file in the same folder, then ``os.replace``); a file that cannot be
read (half-written by a killed process, edited by hand) counts as missing and its task runs again.
JSON keeps floats exactly (``repr`` round-trip) and NaN/infinities (``allow_nan``); no pickle on disk.
"""

import hashlib
import json
import os
import re
import tempfile
from importlib import metadata
from pathlib import Path

from pyanalytics.engine.tasks import Task
from pyanalytics.errors import ParameterError

FORMAT = 1
# A store made by other versions of these is refused: a stored fit must be one this code would make.
VERSIONED = ("pyanalytics", "numpy", "pandas", "scikit-learn", "tensorflow-cpu", "tensorflow", "keras")
SETTINGS_FILE = "store.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 80  # characters of the key kept in a file name; the key's hash tells longer keys apart


def _write_json(path: Path, value) -> None:
    """Write ``value`` to ``path`` atomically: a temporary file in the same folder, then ``os.replace``."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(value, file, allow_nan=True)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _read_json(path: Path):
    """The JSON in ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _first_difference(here: dict, stored: dict) -> str:
    for name in sorted(set(here) | set(stored), key=str):
        if here.get(name, ...) != stored.get(name, ...):
            mine = repr(here[name]) if name in here else "absent"
            theirs = repr(stored[name]) if name in stored else "absent"
            return f"{name}: {mine} here, {theirs} in the store"
    return "none"


def library_versions() -> dict:
    """The versions of pyanalytics and of the libraries a fit's numbers depend on (None where not installed)."""
    found = {}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def function_name(function) -> str:
    """``module.qualname`` of a task's function (of the function a ``functools.partial`` wraps)."""
    function = getattr(function, "func", function)
    return f"{function.__module__}.{function.__qualname__}"


class TaskStore:
    """The finished tasks of one run's settings, in a folder.

    Args:
        directory: the folder (created when missing).
        run_settings: JSON-able settings of the run; a folder made with other settings is refused.

    Raises:
        ParameterError: the folder holds a store of other settings, or settings that are not JSON.
    """

    def __init__(self, directory, run_settings: dict):
        self.directory = Path(directory)
        try:
            settings = json.loads(json.dumps(run_settings, allow_nan=True))
        except (TypeError, ValueError) as error:
            raise ParameterError(f"run_settings: expected JSON-able settings, got {error}; pass plain values.") from error
        self.settings = settings
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / SETTINGS_FILE
        stored = _read_json(path)
        if path.exists() and (not isinstance(stored, dict) or stored.get("format") != FORMAT):
            raise ParameterError(f"task store {self.directory}: {SETTINGS_FILE} is not a format-{FORMAT} store; "
                                 "pass another folder or delete this one.")
        versions = library_versions()
        if stored is None:
            _write_json(path, {"format": FORMAT, "settings": settings, "versions": versions})
        elif stored.get("settings") != settings:
            raise ParameterError(f"task store {self.directory}: made with other settings "
                                 f"({_first_difference(settings, stored.get('settings') or {})}); "
                                 "pass another folder or delete this one to start afresh.")
        elif stored.get("versions") != versions:
            raise ParameterError(f"task store {self.directory}: made with other library versions "
                                 f"({_first_difference(versions, stored.get('versions') or {})}), whose fits may "
                                 "differ; pass another folder or delete this one to start afresh.")

    def path(self, key: str) -> Path:
        """The file of the task ``key``: its sanitised key and a short hash of the exact key."""
        safe = _UNSAFE.sub("_", key.replace("/", "__"))[:_MAX_NAME]
        digest = hashlib.sha256(key.encode()).hexdigest()[:10]
        return self.directory / f"{safe}.{digest}.json"

    def get(self, task: Task):
        """The stored result of ``task`` when its file matches the task's key and fingerprint, else None.

        A task whose result is None is therefore computed again by every run.
        """
        record = _read_json(self.path(task.key))
        if (isinstance(record, dict) and record.get("key") == task.key and record.get("fingerprint") == task.fingerprint
                and record.get("function") == function_name(task.function) and "result" in record):
            return record["result"]
        return None

    def put(self, task: Task, result) -> None:
        """Store the JSON-able ``result`` of ``task`` atomically."""
        _write_json(self.path(task.key), {"key": task.key, "fingerprint": task.fingerprint,
                                          "function": function_name(task.function), "result": result})

    def keys(self) -> list[str]:
        """The keys of the readable task files, sorted."""
        records = (_read_json(path) for path in self.directory.glob("*.json") if path.name != SETTINGS_FILE)
        return sorted(record["key"] for record in records if isinstance(record, dict) and "key" in record)

    def __len__(self) -> int:
        return len(self.keys())
