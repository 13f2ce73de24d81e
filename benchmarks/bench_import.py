"""Start-up cost: ``import pyanalytics`` and ``pyanalytics --help`` in fresh processes.

Run with ``python -m benchmarks.bench_import``; writes ``benchmarks/results/import.json``.

* ``import pyanalytics`` is timed inside a fresh interpreter with ``time.perf_counter`` around
  the import (median of ``RUNS``); the child also reports whether TensorFlow or Keras got
  imported, and the benchmark fails if they did.
* The same is measured for the modules a program actually uses to train and predict
  (``pyanalytics.training`` and ``pyanalytics.bundle``; information, no target), which must not
  import TensorFlow either: it is imported only when a network is built or loaded.
* ``pyanalytics --help`` is the wall time of the installed console script (median of ``RUNS``
  after one untimed run). When the script is missing or fails, that row is left out and the
  printed line says so.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._results import row, write_results

RUNS = 7
HEAVY = ("tensorflow", "keras")

CHILD = """
import sys, time
start = time.perf_counter()
{imports}
seconds = time.perf_counter() - start
import json
print(json.dumps({{"seconds": seconds, "heavy": sorted(m for m in {heavy!r} if m in sys.modules)}}))
"""


def time_import(imports: str) -> tuple[float, list[str]]:
    """Median seconds of ``imports`` in fresh interpreters, and heavy modules they pulled in."""
    code = CHILD.format(imports=imports, heavy=HEAVY)
    seconds, heavy = [], set()
    for _ in range(RUNS):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        child = json.loads(done.stdout.strip().splitlines()[-1])
        seconds.append(child["seconds"])
        heavy.update(child["heavy"])
    return statistics.median(seconds), sorted(heavy)


def cli_help_seconds() -> tuple[float | None, str]:
    """Median wall seconds of ``pyanalytics --help``, or None and the reason it was skipped."""
    script = Path(sys.executable).with_name("pyanalytics")
    if not script.is_file():
        found = shutil.which("pyanalytics")
        if found is None:
            return None, "no pyanalytics console script installed"
        script = Path(found)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    first = subprocess.run([str(script), "--help"], capture_output=True, text=True, env=env)
    if first.returncode != 0:
        last = (first.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"pyanalytics --help failed (exit {first.returncode}: {last[:80]})"
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([str(script), "--help"], capture_output=True, env=env, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), ""


def cli_heavy_modules() -> list[str]:
    """Heavy modules imported by the CLI's own modules when it only shows help."""
    code = (
        "import sys\n"
        "from pyanalytics.cli import main\n"
        "sys.argv = ['pyanalytics', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "import json\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    baseline, _ = time_import("pass")
    package, package_heavy = time_import("import pyanalytics")
    assert not package_heavy, f"import pyanalytics imported {package_heavy}"
    working, working_heavy = time_import("import pyanalytics.training, pyanalytics.bundle")
    assert not working_heavy, f"import pyanalytics.training/bundle imported {working_heavy}"
    rows = [
        row("import_pyanalytics_seconds", round(package, 4), "s", "<= 0.5"),
        row("import_pyanalytics_imports_tensorflow_or_keras", len(package_heavy), "modules", "<= 0"),
        row("import_training_and_bundle_seconds", round(working, 4), "s", None),
        row("import_training_and_bundle_imports_tensorflow_or_keras", len(working_heavy), "modules", "<= 0"),
    ]
    help_seconds, skipped = cli_help_seconds()
    if help_seconds is not None:
        cli_heavy = cli_heavy_modules()
        rows += [
            row("cli_help_wall_seconds", round(help_seconds, 3), "s", "<= 1.0"),
            row("cli_help_imports_tensorflow_or_keras", len(cli_heavy), "modules", "<= 0"),
        ]
    write_results("import", rows)
    cli = f"pyanalytics --help {help_seconds:.2f} s" if help_seconds is not None else f"CLI row skipped: {skipped}"
    print(f"import: import pyanalytics {package * 1000:.1f} ms (no TensorFlow/Keras); {cli}")


if __name__ == "__main__":
    main()
