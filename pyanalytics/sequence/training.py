"""Training a recurrent model on one series: read, split by time, window each part inside itself,
fit the network and the sequence baselines, score every test set beside them.

Classification learns the label at each window's end (room occupancy from the last half hour of
sensor readings); forecasting learns the next ``horizon`` values of a target column (direct
multi-step: horizons 1..H as one output layer).
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.data.numeric import require_columns
from pyanalytics.data.sequences import panel_from, part_end_rows
from pyanalytics.data.tabular import read_frame
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.forecast_metrics import naive_scale
from pyanalytics.evaluation.task_metrics import binary_metrics, compare_task_models, multiclass_metrics
from pyanalytics.models import FORECAST_BASELINES, SEQUENCE_BASELINES, GRUClassifier, GRUForecaster, LSTMClassifier, LSTMForecaster
from pyanalytics.params import check_choice, check_int
from pyanalytics.sequence.preprocessing import SequencePreprocessing
from pyanalytics.splits import MIN_ROWS_PER_PART, chronological_split, tabular_split
from pyanalytics.tasks import TASKS, classification_task
from pyanalytics.training import FittedModel

CLASSIFIERS = {"lstm": LSTMClassifier, "gru": GRUClassifier}
FORECASTERS = {"lstm": LSTMForecaster, "gru": GRUForecaster}
PERSISTENCE = "persistence"  # the previous time step's label: scored beside the classifiers, not saved
NETWORK_DEFAULTS = {"units": (32,), "dropout": 0.0, "learning_rate": 1e-3, "batch_size": 64, "epochs": 20, "patience": 3}


@dataclass(frozen=True)
class TestSet:
    """One set of test windows: when they end, their inputs, their truth and every model's metrics.

    Attributes:
        times: the time each window ends at.
        X: the windows (samples, window, features).
        y: the label at each window's end, or the next ``horizon`` target values (forecasting).
        metrics: the task's metrics by model (the network first, then the baselines).
    """

    times: pd.Index
    X: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)
    metrics: dict


@dataclass(frozen=True, eq=False, kw_only=True)
class SequenceResult(FittedModel):
    """A recurrent model of one series beside its baselines, scored on one or more test sets.

    ``metrics`` (and so the verdict) are those of the first test set; ``test_sets`` holds them all
    (the test part of the series, or each test series given by name).

    Attributes:
        task: ``binary``, ``multiclass`` or ``forecasting``.
        parts: windows in each part of the training series (train, validation, test).
        gap: rows purged between consecutive parts (windows and targets never cross them).
        notes: what training had to decide (e.g. a test series that comes before the training one).
        test_sets: the ``TestSet`` of each test series, by name.
        scale: forecasting: MASE's scale, the training part's in-sample naive error; else None.
    """

    task: str
    parts: dict
    gap: int
    notes: tuple[str, ...]
    test_sets: dict = field(default_factory=dict, repr=False)
    scale: float | None = None

    def _own_summary(self) -> dict:
        pre = self.preprocessing
        return {
            "window": pre.window,
            "horizon": pre.horizon or None,
            "label": pre.label,
            "target": pre.target,
            "time_column": pre.time_column,
            "split": {**self.parts, "gap": self.gap},
            "test_sets": {name: {"windows": len(test.times), "metrics": test.metrics} for name, test in self.test_sets.items()},
            "notes": list(self.notes),
        }


def train_sequence_classifier(
    data,
    label: str,
    *,
    time_column: str | None = None,
    features=None,
    window: int = 30,
    model: str = "lstm",
    test_data=None,
    validation: float = 0.15,
    test: float = 0.15,
    gap: int = 1,
    max_gap=None,
    seed: int | None = 0,
    data_name: str | None = None,
    on_epoch=None,
    **network,
) -> SequenceResult:
    """Fit an LSTM or GRU on windows of a series to classify each window's last time step.

    The series is split by time into train, validation and (without ``test_data``) test parts with
    ``gap`` rows purged between them, and each part is windowed inside itself. Beside the network:
    the majority class, a logistic regression on each window's last step, and persistence (the
    label of the time step before, a strong baseline for minute-level data; the first window of a
    test series, which has no step before it, gets the training part's majority class).

    Args:
        data: a frame or CSV path of the series, rows in time order.
        label: the column of each time step's class (two classes: binary; more: multiclass).
        time_column: the column of times (checked to increase, not a feature); None uses the row order.
        features: the numeric columns each step holds (default: all but the time and the label).
        window: time steps per window.
        model: ``"lstm"`` or ``"gru"``.
        test_data: test series scored instead of a test part: a frame or path, a list of them (named
            by file name or ``test_1``..), or a mapping name -> frame or path.
        validation, test: fractions of the series' rows for those parts.
        gap: rows purged between parts.
        max_gap: the longest step allowed between consecutive times (e.g. ``"5min"``).
        seed: seed of the network (None: not reproducible).
        data_name: the data's name (default: the CSV file's name).
        on_epoch: progress callback ``on_epoch(epoch, max_epochs, logs)``.
        **network: ``units``, ``dropout``, ``learning_rate``, ``batch_size``, ``epochs``, ``patience``.

    Raises:
        DataError: a missing column, a non-numeric or missing value, a time that does not increase or
            a gap above ``max_gap``, fewer than two classes, a part too short for its windows.
        ParameterError: an unknown model or network setting.
    """
    frame, name = read_frame(data)
    model = check_choice("model", model, tuple(CLASSIFIERS))
    classes = _classes(frame, label)
    pre = SequencePreprocessing.for_frame(frame, task=classification_task(len(classes)).name, window=window,
                                          time_column=time_column, label=label, features=features, max_gap=max_gap)
    settings = _network_settings(network)
    estimator_class = CLASSIFIERS[model]
    return _train(pre, frame, data_name or name, model, estimator_class(**settings, validation_fraction=0.0, seed=seed),
                  SEQUENCE_BASELINES, test_data, validation, test, gap, seed, on_epoch)


def train_forecaster(
    data,
    target: str,
    *,
    time_column: str | None = None,
    features=None,
    window: int = 24,
    horizon: int = 12,
    period: int | None = None,
    quantiles=None,
    relative: bool = True,
    model: str = "lstm",
    test_data=None,
    validation: float = 0.15,
    test: float = 0.15,
    gap: int | None = None,
    max_gap=None,
    seed: int | None = 0,
    data_name: str | None = None,
    on_epoch=None,
    **network,
) -> SequenceResult:
    """Fit an LSTM or GRU that forecasts the next ``horizon`` values of ``target`` from each window.

    Direct multi-step: one output per horizon. Beside the network: naive (the last value), seasonal
    naive (with a ``period``) and a linear autoregression on the window. Errors are MAE, RMSE and
    MASE (scaled by the in-sample naive error of the training part: seasonal with a ``period``),
    overall and per horizon; with ``quantiles`` the network also gives a prediction interval,
    scored by its coverage.

    Args:
        data, time_column, window, model, test_data, validation, test, max_gap, seed, data_name,
            on_epoch, **network: as in ``train_sequence_classifier``.
        target: the column forecast (always one of the features).
        features: further numeric columns each step holds (default: the target alone).
        horizon: steps ahead forecast (1..horizon).
        period: the season's length in steps, for the seasonal naive baseline and MASE's scale.
        quantiles: e.g. ``(0.1, 0.5, 0.9)`` to learn those quantiles (pinball loss) and give the
            outer two as an interval.
        relative: the network reads the target relative to its last value in the window and
            forecasts the change from it (so it can forecast levels it never saw in training, as a
            trending series reaches); False reads and forecasts levels.
        gap: rows purged between parts (default: the horizon).

    Raises:
        DataError, ParameterError: as ``train_sequence_classifier``; a period longer than the window.
    """
    frame, name = read_frame(data)
    pre = SequencePreprocessing.for_frame(frame, task="forecasting", window=window, time_column=time_column,
                                          target=target, features=features, horizon=horizon, max_gap=max_gap)
    estimator, baselines, options = forecasting_models(pre, model, period, quantiles, relative, network, seed)
    return _train(pre, frame, data_name or name, model, estimator.set_params(validation_fraction=0.0), baselines,
                  test_data, validation, test, horizon if gap is None else gap, seed, on_epoch,
                  baseline_options=options, period=period)


def forecasting_models(pre: SequencePreprocessing, model: str, period, quantiles, relative: bool, network: dict, seed):
    """An unfitted forecaster (it holds out its last training windows, ``horizon`` rows apart), the
    baselines' classes (seasonal naive only with a ``period``) and the baselines' settings."""
    model = check_choice("model", model, tuple(FORECASTERS))
    if period is not None and check_int("period", period, minimum=1) > pre.window:
        raise ParameterError(f"period: expected at most the window length {pre.window}, got {period!r}; the seasonal "
                             "naive forecast reads one season back inside the window. Use a longer window.")
    estimator = FORECASTERS[model](**_network_settings(network), quantiles=quantiles,
                                   relative_to=pre.target_index if relative else None, seed=seed)
    baselines = {name: cls for name, cls in FORECAST_BASELINES.items() if period is not None or name != "seasonal_naive"}
    return estimator, baselines, {"target_index": pre.target_index, "period": period}


def train_panel_classifier(
    data,
    label: str | None = None,
    *,
    series_id: str | None = None,
    time_column: str | None = None,
    features=None,
    labels=None,
    pad: bool = False,
    model: str = "lstm",
    validation: float = 0.15,
    test: float = 0.15,
    seed: int | None = 0,
    data_name: str | None = None,
    on_epoch=None,
    **network,
) -> SequenceResult:
    """Fit an LSTM or GRU that classifies whole series of a panel (the UCR/UEA shape), each with one label.

    The series are independent, so they are split seeded and stratified on their labels; the
    network reads each whole series as one window, beside the majority class and a logistic
    regression on each series' last step.

    Args:
        data: a long frame (or CSV path) with one row per (series, time step), or an array
            (series, time steps[, features]).
        label: the frame's column of each series' label (constant within a series).
        series_id: the frame's column naming each row's series.
        time_column: the frame's column ordering each series' rows (default: their order).
        features: the frame's value columns (default: all but the id, time and label).
        labels: for an array, one label per series.
        pad: pad shorter series at the start to the longest length (noted) instead of refusing them.
        model, validation, test, seed, data_name, on_epoch, **network: as in ``train_sequence_classifier``.

    Raises:
        DataError: as ``pyanalytics.data.sequences.panel_from``; no labels; fewer than two classes
            or two series per class.
        ParameterError: an unknown model or network setting.
    """
    model = check_choice("model", model, tuple(CLASSIFIERS))
    if isinstance(data, (pd.DataFrame, str, Path)):
        frame, name = read_frame(data)
        panel = panel_from(frame, series_id=series_id, time_column=time_column, features=features, label=label, pad=pad)
    else:
        name = "the array"
        panel = panel_from(data, labels=labels)
    if panel.labels is None:
        raise DataError("label: a panel classifier needs one label per series; name the label column "
                        "(or pass labels= with an array).")
    n_classes = len(np.unique(panel.labels))
    if n_classes < 2:
        raise DataError(f"label {label!r}: the series hold {n_classes} class; a classifier needs at least two.")
    task = classification_task(n_classes).name
    pre = SequencePreprocessing.for_panel(panel, task=task, series_id=series_id, time_column=time_column,
                                          label=label, pad=pad)
    split = tabular_split(pd.DataFrame(index=range(len(panel.labels))), panel.labels, task, validation=validation,
                          test=test, seed=0 if seed is None else seed)
    X = {part: panel.values[rows] for part, rows in split.parts().items() if len(rows)}
    y = {part: panel.labels[rows] for part, rows in split.parts().items() if len(rows)}
    estimator = CLASSIFIERS[model](**_network_settings(network), validation_fraction=0.0, seed=seed)
    validation_data = (X["validation"], y["validation"]) if "validation" in X else None
    estimator.fit(X["train"], y["train"], validation_data=validation_data, on_epoch=on_epoch)
    baselines = {name_: cls().fit(X["train"], y["train"]) for name_, cls in SEQUENCE_BASELINES.items()}
    tests = {}
    if "test" in X:
        tests["test"] = score_panel({model: estimator, **baselines}, task, panel, split.test)
    return SequenceResult(
        task=task, model_name=model, estimator=estimator, baselines=baselines, preprocessing=pre,
        metrics=tests["test"].metrics if tests else {}, parts={part: int(len(rows)) for part, rows in X.items()},
        gap=0, notes=panel.notes, test_sets=tests, seed=seed, data_name=data_name or name,
    )


def score_panel(models: dict, task: str, panel, rows: np.ndarray) -> TestSet:
    """The ``TestSet`` of a panel's series at positions ``rows``: every model's metrics (no
    persistence: a series has one label)."""
    X, y = panel.values[rows], panel.labels[rows]
    return TestSet(pd.Index(panel.ids[rows]), X, y, compare_task_models(TASKS[task], models, X, y))


def _classes(frame: pd.DataFrame, label: str) -> np.ndarray:
    require_columns(frame, [label], "label")
    classes = pd.unique(frame[label].dropna())
    if len(classes) < 2:
        raise DataError(f"label {label!r}: holds {len(classes)} class(es); a classifier needs at least two.")
    return classes


def _network_settings(network: dict) -> dict:
    unknown = sorted(set(network) - set(NETWORK_DEFAULTS))
    if unknown:
        raise ParameterError(f"{unknown[0]}: not a network setting; expected one of {', '.join(NETWORK_DEFAULTS)}.")
    return {**NETWORK_DEFAULTS, **network}


def _train(pre, frame, data_name, model_name, estimator, baseline_classes, test_data, validation, test, gap, seed,
           on_epoch, baseline_options=None, period=None) -> SequenceResult:
    if len(frame) < pre.window + pre.horizon:
        raise DataError(f"window: {pre.window} steps" + (f" and {pre.horizon} ahead" if pre.horizon else "")
                        + f" is longer than the series {data_name!r} ({len(frame)} rows); use a shorter window.")
    series = pre.series(frame)
    split = chronological_split(len(frame), validation=validation, test=0.0 if test_data is not None else test,
                                gap=gap, label=f"series {data_name!r}")
    end_rows = {name: part_windows(name, rows, pre) for name, rows in split.parts().items() if len(rows)}
    examples = {name: pre.examples(series, rows) for name, rows in end_rows.items()}
    X, y = examples["train"]
    validation_data = examples.get("validation")
    estimator.fit(X, y, validation_data=validation_data, on_epoch=on_epoch)
    baselines = {name: baseline(cls, baseline_options).fit(X, y) for name, cls in baseline_classes.items()}
    models = {model_name: estimator, **baselines}
    scale = naive_scale(series.labels[split.train], period or 1) if pre.task == "forecasting" else None
    notes = []
    tests = {}
    for name, (test_series, rows) in _test_series(pre, series, end_rows, test_data).items():
        tests[name] = score_windows(pre, models, test_series, rows, scale)
    if test_data is not None:
        _note_order(series, tests, notes)
    return SequenceResult(
        task=pre.task, model_name=model_name, estimator=estimator, baselines=baselines, preprocessing=pre,
        metrics=next(iter(tests.values())).metrics, parts={name: int(len(rows)) for name, rows in end_rows.items()},
        gap=int(split.gap), notes=tuple(notes), test_sets=tests, scale=scale, seed=seed, data_name=data_name,
    )


def baseline(cls, options: dict | None):
    """A baseline with the settings its constructor takes from ``options`` (target index, period)."""
    if not options:
        return cls()
    accepted = cls._get_param_names()
    return cls(**{key: value for key, value in options.items() if key in accepted})


def part_windows(name: str, rows: np.ndarray, pre: SequencePreprocessing) -> np.ndarray:
    """The end rows of a part's windows, each window (and target) inside the part."""
    ends = part_end_rows(rows, pre.window, pre.horizon)
    if len(ends) < MIN_ROWS_PER_PART:
        raise DataError(
            f"series: the {name} part has {len(rows)} rows, which leave {len(ends)} windows of {pre.window} steps"
            + (f" with {pre.horizon} steps ahead" if pre.horizon else "")
            + f" inside it; each part needs at least {MIN_ROWS_PER_PART}. Supply a longer series or a shorter window."
        )
    return ends


def _test_series(pre, series, end_rows, test_data) -> dict:
    """Each test series and its windows' end rows: the test part, or every series in ``test_data``."""
    if test_data is None:
        return {"test": (series, end_rows["test"])} if "test" in end_rows else {}
    tests = {}
    for name, source in named_sources(test_data).items():
        frame, _ = read_frame(source)
        try:
            test_series = pre.series(frame)
        except DataError as error:
            raise DataError(f"test_data {name!r}: {error}") from None
        rows = part_end_rows(np.arange(len(frame)), pre.window, pre.horizon)
        if not len(rows):
            raise DataError(f"test_data {name!r}: {len(frame)} rows hold no whole window of {pre.window} steps.")
        tests[name] = (test_series, rows)
    return tests


def named_sources(test_data) -> dict:
    """Test series by name: a mapping as given, else named by file name (``test_1``.. for frames)."""
    if isinstance(test_data, dict):
        return {str(k): v for k, v in test_data.items()}
    sources = test_data if isinstance(test_data, (list, tuple)) else [test_data]
    return {(Path(s).stem if isinstance(s, (str, Path)) else f"test_{i}"): s for i, s in enumerate(sources, start=1)}


def score_windows(pre: SequencePreprocessing, models: dict, series, rows: np.ndarray, scale: float | None) -> TestSet:
    """The ``TestSet`` of the windows of ``series`` ending at ``rows``: the task's metrics of every
    model in ``models`` (the network first), and for classification of persistence too.

    Args:
        pre: the preprocessing that windows the series.
        models: fitted models by name; a classification's include ``majority_class``.
        series: the series (``pre.series``).
        rows: the windows' end rows.
        scale: MASE's scale (forecasting), else None.
    """
    task = TASKS[pre.task]
    X, y = pre.examples(series, rows)
    if task.name == "forecasting":
        metrics = compare_task_models(task, models, X, y, scale=scale)
    else:
        metrics = compare_task_models(task, models, X, y)
        network = next(iter(models.values()))
        fallback = models["majority_class"].predict(X[:1])[0]
        metrics[PERSISTENCE] = _persistence(task, network.classes_, series.labels, rows, fallback)
    return TestSet(series.times[rows], X, y, metrics)


def score_frame(pre: SequencePreprocessing, models: dict, frame, scale: float | None) -> TestSet:
    """The ``TestSet`` of every window of a labelled series whose horizon ends inside it (see
    ``score_windows``), or of every series of a labelled panel (``score_panel``): how a saved
    model, or a result, is scored on new data.

    Raises:
        DataError: as ``SequencePreprocessing.series`` / ``panel_of``, no label (or target) column, or no
            whole window.
    """
    if pre.panel:
        panel = pre.panel_of(frame)
        if panel.labels is None:
            raise DataError(f"evaluate: the frame has no label column {pre.label!r} to score against.")
        return score_panel(models, pre.task, panel, np.arange(len(panel.labels)))
    series = pre.series(frame)
    if series.labels is None:
        raise DataError(f"evaluate: the frame has no label column {pre.label!r} to score against.")
    rows = np.arange(pre.window - 1, len(frame) - pre.horizon)
    if not len(rows):
        raise DataError(f"evaluate: {len(frame)} rows hold no window of {pre.window} steps"
                        + (f" with {pre.horizon} steps ahead." if pre.horizon else "."))
    return score_windows(pre, models, series, rows, scale)


def _persistence(task, classes, labels, rows, fallback) -> dict:
    """The task's metrics of predicting each window's label by the label of the step before it
    (``fallback``, the majority class, for a window that ends at a series' first step)."""
    previous = labels[np.maximum(rows - 1, 0)].astype(object)
    previous[rows == 0] = fallback
    probabilities = (previous[:, None] == np.asarray(classes, dtype=object)[None, :]).astype(np.float64)
    truth = labels[rows]
    if task.name == "binary":
        return binary_metrics(truth, probabilities[:, 1], positive=classes[1])
    return multiclass_metrics(truth, probabilities, classes)


def _note_order(series, tests: dict, notes: list) -> None:
    """Say so when a named test series does not come after the training series (it then tests
    another period, not the future)."""
    if not isinstance(series.times, pd.DatetimeIndex):
        return
    for name, test in tests.items():
        if isinstance(test.times, pd.DatetimeIndex) and len(test.times) and test.times[0] < series.times[-1]:
            notes.append(f"test series {name!r} starts at {test.times[0]}, before the training series ends "
                         f"({series.times[-1]}): it tests another period, not the future.")
