"""The anomaly domain: detectors that learn normal rows (fraud detection with autoencoders).

``train_anomaly`` fits an autoencoder on the normal rows of a labelled or unlabelled table beside
IsolationForest, PCA and (with labels) a supervised ceiling, each flagging at a threshold chosen
on validation rows; a bundle saves it, a loaded ``AnomalyBundle`` scores and flags raw rows, and
``write_anomaly_report`` draws either on one self-contained HTML page.
"""

from pyanalytics.anomaly.preprocessing import AnomalyPreprocessing
from pyanalytics.anomaly.report import write_anomaly_report
from pyanalytics.anomaly.training import AnomalyResult, train_anomaly

__all__ = ["AnomalyPreprocessing", "AnomalyResult", "train_anomaly", "write_anomaly_report"]
