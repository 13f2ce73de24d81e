"""`pyanalytics sequence ...`: recurrent networks over windows of one series.

``classify`` learns each time step's label from the window ending at it (LSTM or GRU) beside the
majority class, a logistic regression on the last step and persistence, tested on the series' test
part or on named test files; ``forecast`` forecasts the next ``--horizon`` values of a column beside
naive, seasonal naive and a linear autoregression (MASE per horizon; prediction intervals with
``--quantiles``); both write a bundle. ``predict`` classifies or forecasts each window of a CSV with a
bundle, ``evaluate`` scores it on a labelled CSV beside its saved baselines, ``explain`` says which
features moved its output on the last windows (LIME or SHAP) and ``report`` writes its HTML page (as
``classify``/``forecast`` do with ``--report``). The generic ``predict`` and ``evaluate`` read a
sequence bundle too; the generic ``explain`` and ``report`` point here.
"""

import typer

from pyanalytics.cli.sequence import classify, evaluate, explain, forecast, predict, report

app = typer.Typer(
    name="sequence",
    help="Sequence classification and forecasting with LSTM/GRU: classify, forecast, predict, evaluate, explain, report.",
    no_args_is_help=True,
)
app.command()(classify.classify)
app.command()(forecast.forecast)
app.command()(predict.predict)
app.command()(evaluate.evaluate)
app.command()(explain.explain)
app.command()(report.report)
