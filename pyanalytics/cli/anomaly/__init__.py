"""`pyanalytics anomaly ...`: detectors that learn normal rows and flag the unusual ones.

``train`` fits an autoencoder beside the anomaly baselines and writes a bundle (and, with
``--report``, the HTML report on its test part); ``score`` flags the rows of a CSV with a bundle;
``evaluate`` scores it on labelled rows; ``explain`` says which fields made rows alerts; ``report``
writes the HTML page of a bundle on labelled rows. The generic ``predict`` and ``evaluate`` read an
anomaly bundle too (``predict``: score and flag per row, as ``score --json``'s rows); the generic
``explain`` and ``report`` point to the commands here.
"""

import typer

from pyanalytics.cli.anomaly import evaluate, explain, report, score, train

app = typer.Typer(
    name="anomaly",
    help="Fraud and anomaly detection with autoencoders: train, score, evaluate, explain, report.",
    no_args_is_help=True,
)
app.command()(train.train)
app.command()(score.score)
app.command()(evaluate.evaluate)
app.command()(explain.explain)
app.command()(report.report)
