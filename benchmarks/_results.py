"""Where benchmark programs write their figures and how the table reads them back.

Each benchmark program writes one JSON file, ``benchmarks/results/<name>.json``: a list of rows
``{"benchmark", "metric", "value", "unit", "target"}`` where ``target`` is a readable goal such as
``"<= 1.10"`` (or null). ``python -m benchmarks.report`` prints every file as one table.
"""

import json
import platform
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def write_results(name: str, rows: list[dict]) -> Path:
    """Write ``rows`` for benchmark ``name`` and return the file written."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    payload = {"benchmark": name, "machine": platform.platform(), "rows": rows}
    path.write_text(json.dumps(payload, indent=2))
    return path


def row(metric: str, value: float, unit: str, target: str | None = None) -> dict:
    """One measured figure."""
    return {"metric": metric, "value": value, "unit": unit, "target": target}
