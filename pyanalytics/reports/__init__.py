"""HTML reports of a model: performance beside the baselines, ROC, costs, explanations.

Reports take results (a TrainingResult, or a Bundle with data, plus ExplanationResults; for
tabular models a TabularResult, or a TabularBundle with labelled rows) and never fit anything; domains build their own reports on the helpers here (the walk-forward report is
``pyanalytics.finance.reports``). Importing this package imports neither matplotlib nor TensorFlow.

Example:
    >>> from pyanalytics.reports import write_report
    >>> write_report("report.html", result, explanations={"shap": shap_result})  # doctest: +SKIP
"""

from pyanalytics.reports.html import gather_report_data, render_report, write_report
from pyanalytics.reports.report_data import ReportData, from_bundle, from_training
from pyanalytics.reports.tabular_report import (
    TabularReportData,
    render_tabular_report,
    tabular_report_data,
    write_tabular_report,
)

__all__ = [
    "ReportData",
    "TabularReportData",
    "from_bundle",
    "from_training",
    "gather_report_data",
    "render_report",
    "render_tabular_report",
    "tabular_report_data",
    "write_report",
    "write_tabular_report",
]
