"""The sequence domain: recurrent networks over windows of one series (issue: sequences beyond
stock direction).

``train_sequence_classifier`` learns each time step's label from the window ending at it (room
occupancy from sensor readings) beside the majority class, a logistic regression on the last step
and persistence; ``train_panel_classifier`` labels whole series of a panel (the UCR/UEA shape);
``train_forecaster`` forecasts the next ``horizon`` values of a column beside
naive, seasonal naive and a linear autoregression; ``walk_forward_forecast`` repeats it over
walk-forward folds. A bundle saves a result; a loaded ``SequenceBundle`` predicts from raw rows.
"""

from pyanalytics.sequence.preprocessing import SequencePreprocessing
from pyanalytics.sequence.training import SequenceResult, train_forecaster, train_panel_classifier, train_sequence_classifier
from pyanalytics.sequence.walk_forward import ForecastWalkForward, walk_forward_forecast

__all__ = ["ForecastWalkForward", "SequencePreprocessing", "SequenceResult", "train_forecaster",
           "train_panel_classifier", "train_sequence_classifier", "walk_forward_forecast"]
