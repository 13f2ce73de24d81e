"""Chronological splits that never let a label's future leak into an earlier part.

A label at row t looks ``horizon`` rows ahead, so the last training labels overlap the first
rows of the next part unless some rows are dropped between them. Every splitter here removes a
purge gap of ``gap`` rows (at least the horizon) between consecutive parts; the walk-forward
splitter can drop an ``embargo`` of further rows before each test block.

Tabular rows that are independent of each other are split at random instead, seeded and
stratified on the response; ``tabular_split`` chooses between the two by whether a date column
is named.
"""

from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, train_test_split

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.jsonio import json_safe
from pyanalytics.models.anomaly_base import anomaly_labels
from pyanalytics.params import check_int

MIN_ROWS_PER_PART = 20


@dataclass(frozen=True)
class ChronologicalSplit:
    """Row positions of the train, validation and test parts, in time order."""

    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray
    gap: int

    def parts(self) -> dict[str, np.ndarray]:
        """The three parts by name."""
        return {"train": self.train, "validation": self.validation, "test": self.test}


def chronological_split(
    n_rows: int, *, validation: float = 0.15, test: float = 0.15, gap: int = 1, label: str = "prices"
) -> ChronologicalSplit:
    """Split ``n_rows`` time-ordered rows into train, validation and test parts.

    The purge gap of ``gap`` rows is dropped between train and validation and between validation
    and test, so no label of an earlier part looks into a later part when ``gap >= horizon``.

    Args:
        n_rows: number of labelled rows, oldest first.
        validation: fraction of the rows for the validation part (may be 0).
        test: fraction of the rows for the test part (may be 0: a train/validation split).
        gap: rows dropped between consecutive parts; use at least the label horizon.
        label: what the rows are, for error messages.

    Returns:
        A ChronologicalSplit of row positions.

    Example:
        >>> s = chronological_split(100, validation=0.2, test=0.2, gap=2)
        >>> s.train[-1], s.validation[0], s.validation[-1], s.test[0]
        (np.int64(55), np.int64(58), np.int64(77), np.int64(80))
    """
    gap = check_int("gap", gap, minimum=0)
    _check_fractions(validation, test)
    n_test = int(round(n_rows * test))
    n_val = int(round(n_rows * validation))
    n_gaps = gap * (int(n_val > 0) + int(n_test > 0))
    n_train = n_rows - n_test - n_val - n_gaps
    sizes = {"train": n_train, "validation": n_val if validation else None, "test": n_test if test else None}
    for name, size in sizes.items():
        if size is None or size >= MIN_ROWS_PER_PART:
            continue
        raise DataError(
            f"{label}: {n_rows} labelled rows leave {max(size, 0)} rows for the {name} part "
            f"(after a purge gap of {gap} row(s) between parts); each part needs at least "
            f"{MIN_ROWS_PER_PART}. Supply a longer history or change the split fractions."
        )
    train = np.arange(n_train)
    val_start = n_train + (gap if n_val else 0)
    val = np.arange(val_start, val_start + n_val)
    test_start = (val_start + n_val if n_val else n_train) + gap
    return ChronologicalSplit(train, val, np.arange(test_start, test_start + n_test), gap)


def _check_fractions(validation: float, test: float) -> None:
    for name, fraction in (("validation", validation), ("test", test)):
        if not 0 <= fraction < 1:
            raise ParameterError(f"{name}: expected a fraction in [0, 1), got {fraction!r}.")
    if validation + test >= 1:
        raise ParameterError(
            f"validation + test: expected a sum below 1 to leave rows for training, "
            f"got {validation} + {test}."
        )


# Regression targets are stratified on this many quantile bins of the response.
REGRESSION_BINS = 10


def tabular_split(
    frame: pd.DataFrame,
    target,
    task: str,
    *,
    date_column: str | None = None,
    validation: float = 0.15,
    test: float = 0.15,
    gap: int = 1,
    seed: int = 0,
) -> ChronologicalSplit:
    """Row positions of the train, validation and test parts of a tabular data set.

    Without ``date_column`` the rows are independent: a seeded split stratified on the classes
    (on ten quantile bins of the response for regression), so each part keeps the class shares
    to within a row. With ``date_column`` the rows are ordered by that column (ties keep their
    order) and split by :func:`chronological_split`, oldest first, with ``gap`` rows purged
    between parts; ``gap`` is ignored otherwise.

    Args:
        frame: the rows (features, and the date column when one is named).
        target: the response, one value per row of ``frame``.
        task: ``binary``, ``multiclass`` or ``regression``.
        date_column: the column holding each row's date, for a chronological split.
        validation, test: fractions of the rows for those parts (either may be 0).
        gap: rows purged between chronological parts.
        seed: makes the stratified split reproducible.

    Returns:
        A ChronologicalSplit of positions into ``frame`` (its ``gap`` is 0 for a stratified split).

    Example:
        >>> y = pd.Series([0, 1] * 50)
        >>> parts = tabular_split(pd.DataFrame(index=y.index), y, "binary", seed=1)
        >>> [len(p) for p in parts.parts().values()], int(y.iloc[parts.test].sum())
        ([70, 15, 15], 8)
    """
    if date_column is not None:
        order = _chronological_order(frame, date_column)
        split = chronological_split(len(order), validation=validation, test=test, gap=gap, label="rows")
        return ChronologicalSplit(*(order[part] for part in (split.train, split.validation, split.test)), split.gap)
    _check_fractions(validation, test)
    if len(target) != len(frame):
        raise ParameterError(f"target: expected one value per row of the frame ({len(frame)}), got {len(target)}.")
    target = pd.Series(np.asarray(target))
    strata = pd.qcut(target, REGRESSION_BINS, labels=False, duplicates="drop") if task == "regression" else target
    positions = np.arange(len(frame))
    rest, test_part = _stratified(positions, strata, int(round(len(frame) * test)), seed)
    train, validation_part = _stratified(rest, strata.iloc[rest], int(round(len(frame) * validation)), seed)
    return ChronologicalSplit(np.sort(train), np.sort(validation_part), np.sort(test_part), 0)


def _stratified(positions: np.ndarray, strata: pd.Series, n_held_out: int, seed: int):
    """``positions`` split into (kept, ``n_held_out`` held out), stratified on ``strata``."""
    if n_held_out == 0:
        return positions, positions[:0]
    try:
        return train_test_split(positions, test_size=n_held_out, stratify=strata.to_numpy(), random_state=seed)
    except ValueError as error:
        counts = strata.value_counts()
        raise DataError(
            f"target: a stratified split needs at least 2 rows of each class, and the class "
            f"{json_safe(counts.index[-1])!r} has {int(counts.iloc[-1])} among {len(positions)} rows ({error}); "
            "add rows of that class, drop it, or lower the validation and test fractions."
        ) from None


def _chronological_order(frame: pd.DataFrame, date_column: str) -> np.ndarray:
    """Positions of ``frame``'s rows sorted by ``date_column``; refuses a missing or unparseable date."""
    if date_column not in frame.columns:
        raise DataError(f"date column {date_column!r}: no such column; name one of {', '.join(map(str, frame.columns))}.")
    raw = frame[date_column]
    numeric = pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw)
    # a number is a time in its own units (the credit-card data's seconds since its first row)
    times = raw.astype(np.float64) if numeric else pd.to_datetime(raw, errors="coerce", format="mixed")
    bad = times.isna().to_numpy()
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"date column {date_column!r}, row {json_safe(frame.index[first])!r}: expected a date such as "
            f"2020-01-31 or a number, found {raw.iloc[first]!r} ({int(bad.sum())} such row(s)); fix or drop those rows."
        )
    return np.argsort(times.to_numpy(), kind="stable")


@dataclass(frozen=True)
class AnomalySplit(ChronologicalSplit):
    """The parts of an anomaly data set: training keeps normal rows only.

    Attributes:
        train_anomalies: positions of the rows labelled 1 taken out of the training part (they
            were split into it): a supervised detector, which learns both classes, takes them back.
        duplicate_rows: rows that repeat an earlier row; each stays in its first copy's part.
    """

    train_anomalies: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    duplicate_rows: int = 0

    @property
    def dropped_anomalies(self) -> int:
        """How many rows labelled 1 were taken out of the training part."""
        return int(len(self.train_anomalies))


def anomaly_split(
    frame: pd.DataFrame,
    labels=None,
    *,
    time_column: str | None = None,
    validation: float = 0.15,
    test: float = 0.15,
    gap: int = 0,
    seed: int = 0,
) -> AnomalySplit:
    """Row positions of the train, validation and test parts for an anomaly detector.

    Identical rows (the credit-card data repeats some frauds) are split as one: every copy goes
    to the part of the first, so no copy of a test row is learned in training. The distinct rows
    are split as ``tabular_split`` splits them: by ``time_column`` (dates, or numbers such as
    seconds) with ``gap`` rows purged between parts, else seeded and stratified on ``labels``.
    Rows labelled 1 are then taken out of the training part: the detector learns normal rows;
    validation and test keep both classes to choose the threshold and to score.

    Args:
        frame: the rows (features, and the time column when one is named).
        labels: 1 for a known anomaly, 0 for a normal row, one per row; None when unknown.
        time_column, validation, test, gap, seed: see ``tabular_split``.

    Raises:
        DataError: a label other than 0/1 (row named), or too few rows of a class to stratify.

    Example:
        >>> frame = pd.DataFrame({"x": np.r_[np.arange(90), [5, 5, 5, 7, 7, 7, 8, 8, 9, 9]]})
        >>> split = anomaly_split(frame, [0] * 90 + [1] * 10, seed=1)
        >>> split.dropped_anomalies, split.duplicate_rows, int(np.isin(split.train, range(90, 100)).sum())
        (5, 6, 0)
    """
    labelled = labels is not None
    if labelled:
        labels = anomaly_labels(labels, len(frame), "labels", frame.index)
    else:
        labels = np.zeros(len(frame), dtype=np.int64)
    keyed = frame.assign(_label_=labels)
    group = keyed.groupby(list(keyed.columns), dropna=False, sort=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1]  # first copy of each group, in group order
    split = tabular_split(frame.iloc[first], labels[first], "binary", date_column=time_column,
                          validation=validation, test=test, gap=gap, seed=seed)
    parts = {name: np.flatnonzero(np.isin(group, part)) for name, part in split.parts().items()}
    anomalous = labels[parts["train"]] == 1
    return AnomalySplit(parts["train"][~anomalous], parts["validation"], parts["test"], split.gap,
                        train_anomalies=parts["train"][anomalous],
                        duplicate_rows=int(len(frame) - len(first)))


@dataclass(frozen=True)
class WalkForward:
    """Walk-forward folds: train on the past, test on the next block, then move on.

    A thin layer over scikit-learn's ``TimeSeriesSplit`` (which already knows the gap and the
    rolling window) that checks its arguments and names them in errors.

    An embargo usually drops rows *after* a test block from later training, because in k-fold
    cross-validation training data can follow the test block. Walk-forward training never comes
    after the block it is tested on, so here the embargo is extra rows dropped after the purge
    gap, before each test block: training ends ``gap + embargo`` rows before the test block
    starts. Use it when features remember further back than labels look ahead (a 20-day
    indicator shares 19 days of prices with its neighbours).

    Args:
        n_folds: number of test blocks.
        window: ``"expanding"`` keeps all past rows; ``"rolling"`` keeps the last ``train_size``.
        gap: purge gap: rows dropped between each training window and its test block (>= horizon).
        train_size: rows in a rolling window (required for ``"rolling"``).
        test_size: rows per test block (default: what divides the data evenly).
        embargo: further rows dropped after the gap, before each test block.

    Example:
        >>> train, test = list(WalkForward(n_folds=2, gap=2, embargo=3).split(30))[-1]
        >>> int(train[-1]), int(test[0])
        (14, 20)
    """

    n_folds: int = 5
    window: str = "expanding"
    gap: int = 1
    train_size: int | None = None
    test_size: int | None = None
    embargo: int = 0

    def __post_init__(self) -> None:
        if self.window not in ("expanding", "rolling"):
            raise ParameterError(f"window: expected 'expanding' or 'rolling', got {self.window!r}.")
        if self.window == "rolling" and not self.train_size:
            raise ParameterError("train_size: a rolling window needs its length in rows; none was given.")
        if self.window == "expanding" and self.train_size is not None:
            raise ParameterError(
                f"train_size: an expanding window keeps all the past, so a length of {self.train_size!r} "
                "would be ignored; use the rolling window or drop train_size."
            )
        # TimeSeriesSplit needs at least two splits and slices with the sizes, so store ints.
        object.__setattr__(self, "n_folds", check_int("n_folds", self.n_folds, minimum=2))
        object.__setattr__(self, "gap", check_int("gap", self.gap, minimum=0))
        object.__setattr__(self, "embargo", check_int("embargo", self.embargo, minimum=0))
        for name in ("train_size", "test_size"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, check_int(name, getattr(self, name), minimum=1))

    def split(self, n_rows: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_positions, test_positions)`` for each fold, oldest first."""
        separation = self.gap + self.embargo
        splitter = TimeSeriesSplit(
            n_splits=self.n_folds,
            gap=separation,
            test_size=self.test_size,
            max_train_size=self.train_size if self.window == "rolling" else None,
        )
        try:
            yield from splitter.split(np.empty((n_rows, 0)))
        except ValueError as error:
            raise DataError(
                f"prices: {n_rows} labelled rows are too few for {self.n_folds} walk-forward "
                f"folds separated from their training rows by {separation} (gap {self.gap} + embargo "
                f"{self.embargo}) ({error}). Use fewer folds or more history."
            ) from None
