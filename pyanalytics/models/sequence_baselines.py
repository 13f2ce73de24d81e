"""Baselines of sequence classifiers: the tabular baselines on each window's last timestep.

A recurrent classifier must beat what the latest reading alone says. The previous label
(persistence) is not an estimator here: it needs the labels, so the domain scores it.
"""

from pyanalytics.models.base import WindowInputs
from pyanalytics.models.baselines import LogisticRegressionBaseline, MajorityClassBaseline


class LastStep(WindowInputs):
    """Adapter: the classifier after it in the bases learns from and predicts on the last
    timestep of each (samples, timesteps, features) window."""

    def _fit(self, X, y, validation, on_epoch):
        validation = None if validation is None else (validation[0][:, -1], validation[1])
        return super()._fit(X[:, -1], y, validation, on_epoch)

    def _prob_up(self, X):
        return super()._prob_up(X[:, -1])

    def _class_probabilities(self, X):
        return super()._class_probabilities(X[:, -1])


class SequenceMajorityClass(LastStep, MajorityClassBaseline):
    """``MajorityClassBaseline`` over windows: the training class frequencies, whatever the window."""


class LastStepLogistic(LastStep, LogisticRegressionBaseline):
    """``LogisticRegressionBaseline`` on each window's last timestep (standardised features).

    Args:
        C: inverse regularisation strength.
    """


SEQUENCE_BASELINES = {"majority_class": SequenceMajorityClass, "last_step_logistic": LastStepLogistic}
