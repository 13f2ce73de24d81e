"""HTML reports of a direction model: performance beside the baselines, ROC, costs, explanations.

Reports take results (a TrainingResult, or a Bundle with prices, plus ExplanationResults; or
walk-forward results for ``write_walk_forward_report``) and never fit anything. Importing this package imports neither matplotlib nor TensorFlow.

Example:
    >>> from pyanalytics.reports import write_report
    >>> write_report("report.html", result, explanations={"shap": shap_result})  # doctest: +SKIP
"""

from pyanalytics.reports.html import gather_report_data, render_report, write_report
from pyanalytics.reports.report_data import ReportData, from_bundle, from_training
from pyanalytics.reports.walk_forward_report import render_walk_forward_report, write_walk_forward_report

__all__ = [
    "ReportData",
    "from_bundle",
    "from_training",
    "gather_report_data",
    "render_report",
    "render_walk_forward_report",
    "write_report",
    "write_walk_forward_report",
]
