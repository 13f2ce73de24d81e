"""The learning tasks, each declared once: what its network outputs, how it learns and is judged.

A task is data, not behaviour: the estimators, metrics, baselines, prediction schema and the
explainers read it from here, so adding a task (anomaly detection, forecasting) is one more entry
in ``TASKS`` plus what it names. Sequence classifiers (over windows) are the binary and multiclass
tasks; their domain stands them beside the sequence baselines. Importing this module imports
nothing heavy.

Example:
    >>> task = TASKS["multiclass"]
    >>> task.output_units(3), task.output_activation, task.loss
    (3, 'softmax', 'sparse_categorical_crossentropy')
    >>> task.prediction_columns(["setosa", "virginica", "versicolor"])
    ['prob_setosa', 'prob_virginica', 'prob_versicolor', 'class']
"""

from dataclasses import dataclass
from typing import Callable

# A model's headline metric must beat the best baseline's by this much to count as an edge.
AUC_EDGE = 0.02  # a ROC AUC margin over the best baseline smaller than this is no real edge
ACCURACY_EDGE = 0.02  # absolute accuracy points over the best baseline
RMSE_EDGE = 0.02  # relative: the model's RMSE at least 2 % under the best baseline's


@dataclass(frozen=True)
class Task:
    """One learning task.

    Attributes:
        name: the task's key in ``TASKS``.
        output_units: number of output units given the task's size argument: the number of
            classes (None for regression); for forecasting the horizon H (one unit per step
            ahead, 1..H); None for the anomaly task, whose autoencoders output one unit per
            input feature.
        output_activation: Keras activation of the output layer.
        loss: Keras loss the network trains with (the anomaly task's: the reconstruction MSE).
        tracked: extra Keras metrics recorded in the training history.
        metric_names: the metrics ``pyanalytics.evaluation.task_metrics`` reports, in order.
        headline: the metric the verdict compares with the baselines.
        higher_is_better: the sense of ``headline``.
        margin: the edge over the best baseline ``headline`` needs to count (``relative_margin``
            says whether it is a share of the baseline's value or an absolute difference).
        relative_margin: see ``margin``.
        baselines: names of the naive baselines every model of the task stands beside.
        ceilings: those of ``baselines`` that saw what the model never sees (the anomaly task's
            supervised ceiling learns from the fraud labels): the verdict leaves them out of the
            best baseline and reports how far above the model they reach.
        prediction_columns: the prediction frame's columns given the sorted classes (or None;
            for forecasting the horizons, e.g. ``[1, 2, 3]``).
        explains: what the explainers attribute, in words, for labels and reports.
    """

    name: str
    output_units: Callable[[int | None], int | None]
    output_activation: str
    loss: str
    tracked: tuple[str, ...]
    metric_names: tuple[str, ...]
    headline: str
    higher_is_better: bool
    margin: float
    relative_margin: bool
    baselines: tuple[str, ...]
    prediction_columns: Callable[[list | None], list[str]]
    explains: str
    ceilings: tuple[str, ...] = ()


def _class_columns(classes) -> list[str]:
    return [f"prob_{c}" for c in classes] + ["class"]


TASKS = {
    "binary": Task(
        name="binary",
        output_units=lambda n_classes: 1,
        output_activation="sigmoid",
        loss="binary_crossentropy",
        tracked=(),
        metric_names=("accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "brier"),
        headline="roc_auc",
        higher_is_better=True,
        margin=AUC_EDGE,
        relative_margin=False,
        baselines=("majority_class", "logistic_regression"),
        # the probability of the positive class (the greater label, classes_[1]) and the class
        prediction_columns=lambda classes: [f"prob_{classes[1]}", "class"],
        explains="the probability of the positive class (classes_[1])",
    ),
    "multiclass": Task(
        name="multiclass",
        output_units=lambda n_classes: n_classes,
        output_activation="softmax",
        loss="sparse_categorical_crossentropy",
        tracked=(),
        metric_names=("accuracy", "macro_f1", "log_loss"),
        headline="accuracy",
        higher_is_better=True,
        margin=ACCURACY_EDGE,
        relative_margin=False,
        baselines=("majority_class", "logistic_regression"),
        prediction_columns=_class_columns,
        explains="the probability of a chosen class (default: the predicted one)",
    ),
    "regression": Task(
        name="regression",
        output_units=lambda n_classes: 1,
        output_activation="linear",
        loss="mse",
        tracked=("mae",),
        metric_names=("mse", "rmse", "mae", "r2"),
        headline="rmse",
        higher_is_better=False,
        margin=RMSE_EDGE,
        relative_margin=True,
        baselines=("mean", "ridge"),
        prediction_columns=lambda classes: ["prediction"],
        explains="the predicted value",
    ),
    "anomaly": Task(
        name="anomaly",
        output_units=lambda n_classes: None,  # an autoencoder reconstructs its input: one unit per feature
        output_activation="linear",  # standardised features, unbounded
        loss="mse",
        tracked=(),
        metric_names=("roc_auc", "pr_auc", "precision", "recall", "f1", "precision_at_k", "recall_at_precision",
                      "alerts", "tp", "fp", "fn", "tn"),
        headline="pr_auc",  # frauds are rare: average precision, not ROC AUC, says how clean the alerts are
        higher_is_better=True,
        margin=AUC_EDGE,
        relative_margin=False,
        baselines=("isolation_forest", "pca", "supervised_ceiling"),
        prediction_columns=lambda classes: ["score", "flag"],
        explains="the anomaly score (mean squared reconstruction error)",
        ceilings=("supervised_ceiling",),
    ),
    "forecasting": Task(
        name="forecasting",
        output_units=lambda horizon: horizon,  # direct multi-step: one linear unit per step ahead
        output_activation="linear",
        loss="mse",
        tracked=(),
        metric_names=("mae", "rmse", "mase", "coverage", "interval_width"),
        headline="mase",  # scale-free: below 1 beats the in-sample naive forecast
        higher_is_better=False,
        margin=RMSE_EDGE,
        relative_margin=True,
        baselines=("naive", "seasonal_naive", "linear_ar"),
        prediction_columns=lambda horizons: [f"h{h}" for h in horizons],
        explains="the forecast at each horizon",
    ),
}


def classification_task(n_classes: int) -> Task:
    """The binary task for two classes, the multiclass task for more."""
    return TASKS["binary" if n_classes == 2 else "multiclass"]
