"""The layers hold: the core never imports a domain or a front end; finance never a front end.

The contracts live in pyproject.toml ([tool.importlinter]) so ``lint-imports`` checks the same
thing from a shell; this test runs them on the source tree and checks that every module of the
package is placed in a layer, so a new core module cannot slip past the contract.
"""

import pkgutil
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

import pyanalytics

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"
DOMAINS_AND_FRONT_ENDS = {"pyanalytics.finance", "pyanalytics.anomaly", "pyanalytics.sequence", "pyanalytics.interop", "pyanalytics.cli"}


def _lint() -> bool:
    """Run the contracts of pyproject.toml on the ``pyanalytics`` that ``import`` finds; True if they hold."""
    from importlinter import configuration
    from importlinter.application.use_cases import lint_imports

    configuration.configure()
    return lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)


def _contracts() -> dict[str, dict]:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def test_every_module_is_in_a_layer():
    core = set(_contracts()["core"]["source_modules"])
    modules = {f"pyanalytics.{m.name}" for m in pkgutil.iter_modules(pyanalytics.__path__)}
    assert modules - DOMAINS_AND_FRONT_ENDS == core


def test_the_import_contracts_hold(capsys):
    assert _lint(), capsys.readouterr().out


@pytest.mark.parametrize(
    ("module", "forbidden", "contract"),
    [
        ("pyanalytics/bundle/files.py", "pyanalytics.finance.prices", "The core imports neither a domain nor a front end"),
        ("pyanalytics/evaluation/scoring.py", "pyanalytics.cli.common", "The core imports neither a domain nor a front end"),
        ("pyanalytics/finance/backtest.py", "pyanalytics.interop.r_api", "Finance imports the core, never a front end"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, monkeypatch, capsys, module, forbidden, contract):
    """The contracts catch a breach: the same check on a copy of the package with one bad import."""
    source = Path(pyanalytics.__file__).parent
    shutil.copytree(source, tmp_path / "pyanalytics", ignore=shutil.ignore_patterns("__pycache__"))
    breached = tmp_path / module
    breached.write_text(breached.read_text() + f"\nimport {forbidden}  # noqa: E402\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    for name in [m for m in sys.modules if m == "pyanalytics" or m.startswith("pyanalytics.")]:
        monkeypatch.delitem(sys.modules, name)  # so the copy is the package linted

    assert not _lint()
    output = capsys.readouterr().out
    assert f"{contract} BROKEN" in output and forbidden in output
