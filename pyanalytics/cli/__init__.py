"""The `pyanalytics` command line: the only code in the package that prints.

Errors a user can cause print one line on stderr and exit with 1 (bad input) or 2 (bad usage);
``--debug`` shows the traceback instead.
"""

import sys
from typing import Annotated

import typer

from pyanalytics.cli import (
    anomaly, backtest, demo, evaluate, explain, fit, predict, report, sequence, train, volatility, walk_forward,
)

app = typer.Typer(
    name="pyanalytics",
    help="Stock-direction deep learning you can trust, explain and call from R.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(train.train)
app.command()(fit.fit)
app.command()(evaluate.evaluate)
app.command()(backtest.backtest)
app.command(name="walk-forward")(walk_forward.walk_forward)
app.command()(predict.predict)
app.command()(explain.explain)
app.command()(report.report)
app.command()(demo.demo)
app.command()(volatility.volatility)
app.add_typer(anomaly.app)
app.add_typer(sequence.app)

_state = {"debug": False}


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug


def main(argv: list[str] | None = None) -> None:
    """Run the command line on ``argv`` (default: ``sys.argv``) and exit with its status.

    Typer reports usage errors itself (exit code 2).
    """
    from pyanalytics.cli.common import visible
    from pyanalytics.errors import PyAnalyticsError

    try:
        app(args=argv, prog_name="pyanalytics")
    except PyAnalyticsError as error:
        if _state["debug"]:
            raise
        typer.echo(f"error: {visible(error)}", err=True)
        sys.exit(1)
    except Exception as error:
        if _state["debug"]:
            raise
        typer.echo(
            f"internal error: {type(error).__name__}: {visible(error)} (rerun with --debug for the traceback)",
            err=True,
        )
        sys.exit(1)
