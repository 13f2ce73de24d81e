"""What every command shares: options, output (tables or JSON), progress and the data loader."""

import unicodedata
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from pyanalytics.defaults import MODEL_NAMES

DataOption = Annotated[
    Path,
    typer.Option(
        "--data",
        help="Daily prices CSV, Yahoo-style (Date, Open, High, Low, Close, Adj Close, Volume); for a "
        "tabular bundle, a CSV with the columns it was trained on.",
        show_default=False,
    ),
]
TableOption = Annotated[
    Path, typer.Option("--data", help="CSV with a header row: the target column and the feature columns.", show_default=False)
]
RowsOption = Annotated[
    Path,
    typer.Option("--data", help="CSV with a header row: the model's feature columns (and its label or target "
                 "column, to train or evaluate).", show_default=False),
]
BundleOption = Annotated[
    Path, typer.Option("--model", help="Model bundle directory written by `pyanalytics train`.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of tables.")]
ModelName = Literal[MODEL_NAMES]
EpochsOption = Annotated[int, typer.Option("--epochs", min=1, help="Maximum training epochs.")]
SeedOption = Annotated[int, typer.Option("--seed", min=0, help="Seed of every random step.")]
HorizonOption = Annotated[int, typer.Option("--horizon", min=1, help="Days ahead of the direction label.")]
CostFpOption = Annotated[
    float | None,
    typer.Option(
        "--cost-fp",
        help="A false positive costs ALPHA false negatives: train with the cost-weighted loss "
        "(with --tune-threshold: tune the threshold instead).",
        metavar="ALPHA",
    ),
]
TuneThresholdOption = Annotated[
    bool, typer.Option("--tune-threshold", help="Tune the decision threshold on the validation part for the cost ratio.")
]
SlippageOption = Annotated[
    float, typer.Option("--slippage-bps", min=0.0, help="Slippage in basis points per unit of turnover.")
]
FeatureOption = Annotated[
    list[str] | None,
    typer.Option(
        "--feature",
        help="Your own numeric column of the prices CSV, used as a feature as it is: each date's value "
        "must be known at that date's close. Repeat for several.",
        metavar="COLUMN",
        show_default=False,
    ),
]
DropInvalidOption = Annotated[
    bool,
    typer.Option(
        "--drop-invalid",
        help="Drop the rows holding an invalid cell (a null, a zero price, a negative volume) and "
        "say which, instead of refusing the file.",
    ),
]
stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)
_python_showwarning = warnings.showwarning


def load_data(path: Path, *, required=None, extra=(), drop_invalid: bool = False):
    """Load a prices file for a command (see ``pyanalytics.finance.load_prices``), keeping the
    ``extra`` columns.

    From then on each pyanalytics ``DataWarning`` (rows dropped, a suspect adjusted close, the
    volume feature left out) prints as one ``warning: ...`` line on stderr.
    """
    from pyanalytics.finance import load_prices

    warnings.showwarning = _show_warning
    options = {} if required is None else {"required": required}
    return load_prices(path, extra=extra, drop_invalid=drop_invalid, **options)


def load_bundle_data(bundle, path: Path, *, drop_invalid: bool = False):
    """Load the prices a price bundle needs: its price columns and its extra features' columns."""
    preprocessing = bundle.preprocessing
    return load_data(path, required=preprocessing.required_columns, extra=preprocessing.extra_columns,
                     drop_invalid=drop_invalid)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    from pyanalytics.errors import DataWarning

    if issubclass(category, DataWarning):
        typer.echo(f"warning: {visible(message)}", err=True)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


def visible(text) -> str:
    """``text`` with control and format characters written as escapes (``\\x1b``, ``\\u202e``).

    A file name holding an escape sequence is printed as it reads, and cannot drive the terminal.
    """
    return "".join(
        char.encode("unicode_escape").decode("ascii") if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
        else char
        for char in str(text)
    )


def shown(name) -> str:
    """A user-supplied name (a path, a ticker) for Rich output: ``visible``, its markup escaped.

    ``[reverse]AAPL.csv`` prints as it is instead of styling the rest of the line.
    """
    return escape(visible(name))


def print_json(value) -> None:
    """Print strict JSON (NaN becomes null) on stdout."""
    from pyanalytics.jsonio import dumps

    typer.echo(dumps(value, indent=2))


class _Count(ProgressColumn):
    """``done/total``, or ``starting…`` while the total is not known yet (never ``0/None``)."""

    def render(self, task) -> Text:
        return Text("starting…" if task.total is None else f"{task.completed:.0f}/{task.total:.0f}")


@contextmanager
def progress_bar(label: str, enabled: bool = True, total: int | None = None):
    """Yield ``update(done, total, detail="")`` drawing a bar on a terminal, else None.

    ``detail`` is Rich markup: pass user-supplied names through ``shown``.
    """
    if not (enabled and stderr.is_terminal):
        yield None
        return
    columns = (TextColumn(label), BarColumn(), _Count(), TextColumn("{task.fields[detail]}"), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(label, total=total, detail="")

        def update(done: int, total: int, detail: str = "") -> None:
            progress.update(task, completed=done, total=total, detail=detail)

        yield update


@contextmanager
def epoch_progress(enabled: bool, max_epochs: int | None = None):
    """Yield an ``on_epoch(epoch, max_epochs, logs)`` callback for training, or None.

    The bar shows ``0/max_epochs`` from the start, while the first epoch runs.
    """
    with progress_bar("training: epoch", enabled, max_epochs) as update:
        if update is None:
            yield None
            return

        def on_epoch(epoch: int, max_epochs: int, logs: dict) -> None:
            update(epoch, max_epochs, " ".join(f"{k} {v:.4f}" for k, v in logs.items() if k.endswith("loss")))

        yield on_epoch


COUNT_METRICS = ("alerts", "tp", "fp", "fn", "tn", "n")  # counts print as whole numbers


def _cell(value, whole: bool = False) -> str:
    if value is None or value != value:
        return "n/a"
    return f"{value:,.0f}" if whole else f"{value:.3f}"


def metrics_table(metrics: dict[str, dict], model_name: str, title: str) -> Table:
    """Metrics as rows and models side by side, the model first and in bold."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("", no_wrap=True)
    for name in metrics:
        header = name.replace("_", " ")
        table.add_column(f"[bold]{header}[/]" if name == model_name else header, justify="right")
    from pyanalytics.evaluation import METRIC_NAMES

    for metric in METRIC_NAMES:
        table.add_row(metric, *(_cell(values[metric]) for values in metrics.values()))
    for count in ("tn", "fp", "fn", "tp"):
        table.add_row(count, *(str(values["confusion"][count]) for values in metrics.values()))
    return table


def periods_lines(periods: dict[str, dict]) -> str:
    """One line per part: ``train       1981-02-24 .. 2010-11-10  (7,499 dates)``."""
    return "\n".join(
        f"{name:<11} {p['start']} .. {p['end']}  ({p['rows']:,} dates)" for name, p in periods.items()
    )


def task_table(frame, title: str) -> Table:
    """A task's metrics table (``task_metrics_table``): metrics as rows, models side by side, the model first."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("", no_wrap=True)
    for position, name in enumerate(frame.index):
        header = str(name).replace("_", " ")
        table.add_column(f"[bold]{header}[/]" if position == 0 else header, justify="right")
    for metric in frame.columns:
        table.add_row(metric, *(_cell(value, metric in COUNT_METRICS) for value in frame[metric]))
    return table


def parse_units(text: str, option: str = "--hidden-units") -> tuple[int, ...]:
    """``"100,100"`` -> ``(100, 100)``: the sizes of hidden layers given on the command line.

    Raises:
        typer.BadParameter: a size is not a whole number.
    """
    try:
        return tuple(int(size) for size in text.split(","))
    except ValueError:
        raise typer.BadParameter(f"expected sizes such as 100,100, got {text!r}.", param_hint=option) from None


def reads_rows(bundle) -> bool:
    """Whether a bundle scores the rows of a CSV (a tabular, anomaly or sequence bundle) rather than dated prices."""
    from pyanalytics.domains import domain_of

    return domain_of(bundle) in ("tabular", "anomaly", "sequence")


OWN_COMMANDS = {"anomaly": "an anomaly detector", "sequence": "a sequence model"}  # domains with a command group


def refuse_own_commands(bundle, command: str) -> None:
    """Point a bundle whose domain has its own command group (``pyanalytics anomaly``, ``pyanalytics
    sequence``) given to a generic ``command`` to that group's command.

    Raises:
        ParameterError: ``bundle`` belongs to such a domain.
    """
    from pyanalytics.domains import domain_of
    from pyanalytics.errors import ParameterError

    domain = domain_of(bundle)
    if domain in OWN_COMMANDS:
        raise ParameterError(f"--model: {visible(bundle.path)} is {OWN_COMMANDS[domain]}; run `pyanalytics {domain} "
                             f"{command} --model BUNDLE --data CSV` for it.")


def domain_bundle(path: Path, domain: str):
    """The bundle at ``path`` for a ``pyanalytics <domain>`` command (``anomaly``, ``sequence``).

    Raises:
        ParameterError: the bundle is another kind of model (the generic commands read it).
    """
    from pyanalytics.bundle import load_bundle
    from pyanalytics.domains import domain_of
    from pyanalytics.errors import ParameterError

    bundle = load_bundle(path)
    if domain_of(bundle) != domain:
        kind = getattr(bundle, "task", None) or "price direction"
        raise ParameterError(f"--model: {visible(path)} is not {OWN_COMMANDS[domain]} but a {kind} model; "
                             "use `pyanalytics predict`, `evaluate`, `explain` or `report` for it.")
    return bundle


def anomaly_bundle(path: Path):
    """The anomaly detector bundle at ``path``, for a ``pyanalytics anomaly`` command (see ``domain_bundle``)."""
    return domain_bundle(path, "anomaly")


def load_rows(path: Path):
    """Load a tabular CSV for a command; pyanalytics ``DataWarning``s (unseen categories) print as one line."""
    from pyanalytics.data.tabular import read_frame

    warnings.showwarning = _show_warning
    return read_frame(path)[0]


def percent_text(value) -> str:
    """A fraction as a percentage with one decimal; ``n/a`` for a missing value."""
    return "n/a" if value is None or value != value else f"{value:.1%}"


def number_text(value, digits: int = 3) -> str:
    """A number with ``digits`` decimals; ``n/a`` for a missing value."""
    return "n/a" if value is None or value != value else f"{value:.{digits}f}"
