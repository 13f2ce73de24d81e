"""The ``sequence`` domain's preprocessing: which columns of a series a recurrent model reads, in
what windows, and what it learns to predict.

A series is a frame of time steps in time order (a time column, checked to increase with no gap
above ``max_gap``), numeric feature columns and, for classification, a label per time step; for
forecasting, a target column that is also a feature. Scaling is the model's own (fitted on its
training windows). A bundle saves this in ``preprocessing.json`` and rebuilds it through
``pyanalytics.domains``.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pyanalytics.bundle import schema
from pyanalytics.data.columns import row_label
from pyanalytics.data.numeric import numeric_matrix, require_columns
from pyanalytics.data.sequences import Panel, check_time_index, horizon_targets, panel_from, window_view, windows_ending_at
from pyanalytics.errors import DataError
from pyanalytics.params import check_int

READER = "recurrent models"
SEQUENCE_TASKS = ("binary", "multiclass", "forecasting")


@dataclass(frozen=True)
class Series:
    """One series read from a frame: its times, feature values and what a model learns from it.

    Attributes:
        times: the time of each row (the frame's index when it has no time column).
        values: float64 (rows, features).
        labels: classification: the label of each row; forecasting: the target column's values.
    """

    times: pd.Index
    values: np.ndarray
    labels: np.ndarray | None


@dataclass(frozen=True)
class SequencePreprocessing:
    """The columns and windows of a recurrent model of one series.

    Attributes:
        task: ``binary``, ``multiclass`` or ``forecasting``.
        feature_names: the numeric columns each time step holds, in order.
        window: time steps per window (the window at t ends at t).
        time_column: the column of times that orders the rows (not a feature), or None.
        label: classification: the column of each time step's label.
        target: forecasting: the feature the model forecasts.
        horizon: forecasting: steps ahead (1..horizon) each window forecasts; 0 for classification.
        max_gap: the longest step allowed between consecutive times (e.g. ``"5min"``), or None.
        panel: the data is a panel of separate series with one label each (``window`` is their
            length), not one series.
        series_id: a panel's column naming each row's series (None for a panel given as an array).
        pad: a panel's shorter series are padded at the start to ``window`` steps.
    """

    DOMAIN = "sequence"
    FIELDS = {
        "task": schema.one_of(SEQUENCE_TASKS),
        "features": schema.array(schema.text),
        "window": schema.integer(1),
        "time_column": schema.nullable(schema.text),
        "label": schema.nullable(schema.text),
        "target": schema.nullable(schema.text),
        "horizon": schema.integer(0),
        "max_gap": schema.nullable(schema.text),
        "panel": schema.boolean,
        "series_id": schema.nullable(schema.text),
        "pad": schema.boolean,
    }

    task: str
    feature_names: tuple[str, ...]
    window: int
    time_column: str | None = None
    label: str | None = None
    target: str | None = None
    horizon: int = 0
    max_gap: str | None = None
    panel: bool = False
    series_id: str | None = None
    pad: bool = False

    @classmethod
    def for_frame(cls, frame: pd.DataFrame, *, task: str, window, time_column=None, label=None, target=None,
                  features=None, horizon=0, max_gap=None) -> "SequencePreprocessing":
        """The preprocessing of ``frame``: ``features`` (default: every column but the time column and
        the label; for forecasting, the target alone), checked by reading the series once.

        Raises:
            DataError: a named column is missing, the label or time column is also a feature, the
                target is not a feature, or the series does not read (see ``series``).
            ParameterError: a window or horizon below 1.
        """
        window = check_int("window", window, minimum=1)
        horizon = check_int("horizon", horizon, minimum=1 if task == "forecasting" else 0)
        for role, name in (("time_column", time_column), ("label", label), ("target", target)):
            if name is not None:
                require_columns(frame, [name], role)
        if features is None:
            features = [target] if task == "forecasting" else [c for c in frame.columns if c not in (time_column, label)]
        else:
            features = list(features)
            require_columns(frame, features, "features")
        for role, name in (("label", label), ("time_column", time_column)):
            if name is not None and name in features:
                raise DataError(f"features: {name!r} is the {role}, so it cannot also be a feature; leave it out of the features.")
        if task == "forecasting" and target not in features:
            features = [target, *features]  # the model forecasts the target from its own past
        if not features:
            raise DataError("features: no feature column is left once the label and time columns are set aside.")
        preprocessing = cls(task, tuple(map(str, features)), window, time_column, label, target, horizon,
                            None if max_gap is None else str(max_gap))
        preprocessing.series(frame)
        return preprocessing

    @classmethod
    def from_document(cls, document: dict) -> "SequencePreprocessing":
        """The preprocessing saved in a checked ``preprocessing.json``."""
        names = document["features"]
        if not names or len(set(names)) < len(names):
            raise schema.FieldError("features", "one or more distinct column names", names)
        if (document["task"] == "forecasting") != (document["target"] is not None and document["horizon"] >= 1):
            raise schema.FieldError("target", "a target and a horizon of at least 1 for forecasting only", document["target"])
        return cls(document["task"], tuple(names), document["window"], document["time_column"], document["label"],
                   document["target"], document["horizon"], document["max_gap"], document["panel"],
                   document["series_id"], document["pad"])

    def to_document(self) -> dict:
        """The keys saved in ``preprocessing.json``."""
        return {"task": self.task, "features": list(self.feature_names), "window": self.window,
                "time_column": self.time_column, "label": self.label, "target": self.target,
                "horizon": self.horizon, "max_gap": self.max_gap, "panel": self.panel, "series_id": self.series_id,
                "pad": self.pad}

    @classmethod
    def for_panel(cls, panel: Panel, *, task: str, series_id=None, time_column=None, label=None,
                  pad=False) -> "SequencePreprocessing":
        """The preprocessing of a ``Panel`` read from a long frame (its columns named) or an array."""
        return cls(task, panel.feature_names, panel.values.shape[1], time_column, label, panel=True,
                   series_id=series_id, pad=bool(pad))

    @property
    def required_columns(self) -> tuple[str, ...]:
        """The columns a frame must have to be windowed (the label is needed only to score)."""
        ids = (self.series_id,) if self.series_id else ()
        return ids + ((self.time_column,) if self.time_column else ()) + self.feature_names

    def panel_of(self, data, *, labelled: bool = True) -> Panel:
        """The panel in ``data`` (a long frame, or an array for a panel that was an array), each
        series ``window`` steps long.

        Raises:
            DataError: as ``pyanalytics.data.sequences.panel_from``, or a series of another length.
        """
        if isinstance(data, pd.DataFrame):
            require_columns(data, list(self.required_columns), "features")
            label = self.label if labelled and self.label in data.columns else None
            panel = panel_from(data, series_id=self.series_id, time_column=self.time_column,
                               features=list(self.feature_names), label=label, pad=self.pad)
        else:
            panel = panel_from(data)
        found = panel.values.shape[1:]
        if found != (self.window, len(self.feature_names)):
            raise DataError(f"panel: series of {found[0]} steps x {found[1]} features; the model reads series of "
                            f"{self.window} steps x {len(self.feature_names)} features.")
        return panel

    @property
    def target_index(self) -> int | None:
        """The target's position among the features (forecasting), else None."""
        return None if self.target is None else self.feature_names.index(self.target)

    def series(self, frame: pd.DataFrame, *, labelled: bool = True) -> Series:
        """The series in ``frame``: times checked, features read as numbers, labels or target.

        Args:
            frame: rows in time order.
            labelled: read the label column too (classification; False to predict).

        Raises:
            DataError: a column is missing, a value is not a finite number (column and row named),
                a time does not increase or jumps by more than ``max_gap`` (rows named), a label is
                missing (row named).
        """
        require_columns(frame, list(self.required_columns), "features")
        if self.time_column is None:
            times = frame.index
        else:
            times = check_time_index(frame[self.time_column], max_gap=self.max_gap, owner=f"time column {self.time_column!r}")
        values = numeric_matrix(frame, list(self.feature_names), reader=READER)
        labels = None
        if self.target is not None:
            labels = values[:, self.target_index]
        elif labelled and self.label is not None:
            require_columns(frame, [self.label], "label")
            labels = frame[self.label].to_numpy()
            missing = np.flatnonzero(pd.isna(labels))
            if len(missing):
                raise DataError(f"label {self.label!r}: row {row_label(frame.index, int(missing[0]))} has no label; drop or fill it.")
        return Series(times, values, labels)

    def end_rows(self, n_rows: int) -> np.ndarray:
        """Every row at which a whole window ends."""
        return np.arange(self.window - 1, n_rows)

    def windows(self, frame: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
        """Every window of ``frame`` (a view, oldest first) and the time each one ends at; for a
        panel, every series and its id.

        Raises:
            DataError: as ``series``, or the frame is shorter than one window.
        """
        if self.panel:
            panel = self.panel_of(frame, labelled=False)
            return panel.values, pd.Index(panel.ids, name=self.series_id or "series")
        series = self.series(frame, labelled=False)
        return window_view(series.values, self.window), series.times[self.window - 1:]

    def examples(self, series: Series, end_rows) -> tuple[np.ndarray, np.ndarray]:
        """The windows ending at ``end_rows`` and what the model learns for each: the label at the
        window's end, or the next ``horizon`` target values."""
        X = windows_ending_at(series.values, end_rows, self.window)
        if self.task == "forecasting":
            return X, horizon_targets(series.labels, end_rows, self.horizon)
        return X, series.labels[end_rows]
