"""Run the command line in the test's own process, as the CLI tests do."""

from contextlib import redirect_stderr, redirect_stdout
from io import StringIO

import pytest

from pyanalytics.cli import main


def invoke(*args):
    """Run ``pyanalytics ARGS`` in this process; return (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as exited:
        main([str(a) for a in args])
    return exited.value.code, out.getvalue(), err.getvalue()
