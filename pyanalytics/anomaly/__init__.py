"""The anomaly domain: detectors that learn normal rows (fraud detection with autoencoders).

``train_anomaly`` fits an autoencoder on the normal rows of a labelled or unlabelled table beside
IsolationForest, PCA and (with labels) a supervised ceiling, each flagging at a threshold chosen
on validation rows; a bundle saves it, a loaded ``AnomalyBundle`` scores and flags raw rows,
``explain_anomalies`` says why a row was flagged (per-feature reconstruction errors, SHAP on the
score), and ``write_anomaly_report`` draws a result or a bundle on one self-contained HTML page.
"""

from pyanalytics.anomaly.explain import AnomalyExplanation, explain_anomalies
from pyanalytics.anomaly.preprocessing import AnomalyPreprocessing
from pyanalytics.anomaly.report import write_anomaly_report
from pyanalytics.anomaly.training import AnomalyResult, train_anomaly

__all__ = ["AnomalyExplanation", "AnomalyPreprocessing", "AnomalyResult", "explain_anomalies", "train_anomaly",
           "write_anomaly_report"]
