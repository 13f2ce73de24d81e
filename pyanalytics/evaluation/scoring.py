"""Scoring a fitted model beside its baselines on the same rows of a dataset.

A dataset here is anything with a feature frame ``X`` (one row per consecutive date) and labels
``y``; the model reads its own inputs (windows for sequence models), the baselines one row at a
time.
"""

import numpy as np

from pyanalytics.data.windows import model_inputs
from pyanalytics.evaluation.metrics import classification_metrics


def probabilities(estimator, model_name: str, baselines: dict, dataset, rows, window) -> dict:
    """Probability of a rise from the model and every baseline on the same dates (rows of X).

    The model sees its own inputs (windows for sequence models); the baselines see the same
    dates one day at a time.
    """
    prob_up = {model_name: estimator.predict_proba(model_inputs(dataset.X, rows, window))[:, 1]}
    for name, baseline in baselines.items():
        prob_up[name] = baseline.predict_proba(dataset.X.iloc[rows])[:, 1]
    return prob_up


def score(estimator, model_name: str, baselines: dict, dataset, rows, window, alpha, prob_up=None) -> dict:
    """Metrics of the model and every baseline on the same dates, each at its own threshold.

    Pass ``prob_up`` from ``probabilities`` to score them without predicting again.
    """
    if prob_up is None:
        prob_up = probabilities(estimator, model_name, baselines, dataset, rows, window)
    y = dataset.y.to_numpy()[rows].astype(np.int64)
    models = {model_name: estimator, **baselines}
    return {name: classification_metrics(y, p, models[name].threshold_, alpha) for name, p in prob_up.items()}
