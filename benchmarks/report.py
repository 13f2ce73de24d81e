"""Print every ``benchmarks/results/*.json`` as one table.

Run with ``python -m benchmarks.report``. A row whose target reads ``"<= x"``, ``"< x"``,
``">= x"`` or ``"> x"`` gets a pass or fail mark; other rows are information. With ``--strict``
the exit code is 1 when any row fails (for CI); otherwise it is 0.
"""

import json
import operator
import re
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks._results import RESULTS_DIR

_TARGET = re.compile(r"^\s*(<=|>=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$")
_COMPARE = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


def verdict(value, target) -> bool | None:
    """True/False when ``target`` is a comparison and ``value`` a number, else None."""
    if not isinstance(target, str) or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    match = _TARGET.match(target)
    if match is None:
        return None
    return _COMPARE[match.group(1)](value, float(match.group(2)))


def load_rows(folder: Path = RESULTS_DIR) -> list[dict]:
    """Every row of every results file, with its benchmark name, in file-name order."""
    rows = []
    for path in sorted(folder.glob("*.json")):
        try:
            payload = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            rows.append({"benchmark": path.stem, "metric": f"unreadable: {error}", "value": None,
                         "unit": "", "target": None})
            continue
        for item in payload.get("rows", []):
            rows.append({"benchmark": payload.get("benchmark", path.stem), **item})
    return rows


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def build_table(rows: list[dict]) -> tuple[Table, int]:
    """The Rich table of ``rows`` and the number of failed rows."""
    table = Table(title=f"Benchmarks ({RESULTS_DIR})")
    for name, justify in (("benchmark", "left"), ("metric", "left"), ("value", "right"),
                          ("unit", "left"), ("target", "left"), ("", "center")):
        table.add_column(name, justify=justify, no_wrap=name == "metric")
    failed = 0
    for item in rows:
        ok = verdict(item.get("value"), item.get("target"))
        mark = "" if ok is None else ("[green]✓ pass[/]" if ok else "[bold red]✗ fail[/]")
        failed += ok is False
        table.add_row(
            str(item.get("benchmark", "")),
            str(item.get("metric", "")),
            _show(item.get("value")),
            str(item.get("unit") or ""),
            str(item.get("target") or ""),
            mark,
        )
    return table, failed


def main(argv: list[str] | None = None) -> int:
    strict = "--strict" in (sys.argv[1:] if argv is None else argv)
    console = Console()
    if not console.is_terminal:
        console = Console(width=140)
    rows = load_rows()
    if not rows:
        console.print(f"No results in {RESULTS_DIR}; run a benchmark first (python -m benchmarks.run_all).")
        return 0
    table, failed = build_table(rows)
    console.print(table)
    checked = sum(verdict(r.get("value"), r.get("target")) is not None for r in rows)
    console.print(f"{checked - failed} of {checked} targets met." + (f" {failed} failed." if failed else ""))
    return 1 if failed and strict else 0


if __name__ == "__main__":
    sys.exit(main())
