"""Run every ``benchmarks/bench_*.py`` one after another, each in its own process, then the table.

Run with ``python -m benchmarks.run_all`` (or ``python -m benchmarks.run_all fit predict`` for a
subset). Benchmarks run sequentially so they do not compete for the CPU. The exit code is 1 when a
benchmark crashes; with ``--strict`` also when a target is missed.
"""

import subprocess
import sys
from pathlib import Path

from benchmarks import report

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    argv = [a for a in argv if a != "--strict"]
    names = argv or sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    crashed = []
    for name in names:
        done = subprocess.run([sys.executable, "-m", f"benchmarks.bench_{name}"], cwd=HERE.parent)
        if done.returncode != 0:
            crashed.append(name)
    status = report.main(["--strict"] if strict else [])
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
