"""The fit-and-score result every task shares: a fitted model, its baselines and honest test metrics.

``FittedModel`` holds what every result has and does what every result does (the verdict, the
metrics table, the training history, the summary's common keys, saving through the domain
registry); a task's result adds only what is its own: ``TrainingResult`` a model on dated rows
(finance's direction model, ``pyanalytics.finance.training``), ``pyanalytics.tabular.TabularResult``
a model on a table's rows. ``part_rows`` keeps each part's windows inside it.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics import domains
from pyanalytics.data.windows import usable_rows
from pyanalytics.errors import DataError
from pyanalytics.evaluation.costs import optimal_threshold
from pyanalytics.evaluation.task_metrics import task_metrics_table
from pyanalytics.evaluation.verdict import Verdict, task_verdict
from pyanalytics.splits import MIN_ROWS_PER_PART
from pyanalytics.tasks import TASKS


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, eq=False, kw_only=True)
class FittedModel:
    """A fitted model beside its fitted baselines, with the test metrics of each.

    A subclass names its ``task`` (a key of ``pyanalytics.tasks.TASKS``) and the summary keys of
    its own (``_own_summary``).

    Attributes:
        model_name: the model's key in ``metrics`` (e.g. ``"dnn"``).
        estimator: the fitted model.
        baselines: the task's fitted naive baselines by name.
        preprocessing: how raw data becomes the model's inputs (a domain's, see
            ``pyanalytics.domains``); a bundle saves it.
        metrics: test-part metrics of the model (key ``model_name``) and of every baseline.
        seed: the seed used for the model.
        data_name: name of the training data (its file name, or a name the caller gave).
        trained_at: when it was fitted (UTC, ISO 8601).
    """

    model_name: str
    estimator: object
    baselines: dict
    preprocessing: object
    metrics: dict
    seed: int | None
    data_name: str | None = None
    trained_at: str = field(default_factory=_now)

    @property
    def history(self) -> dict:
        """Loss (and tracked metrics) per epoch on the training and validation parts."""
        return self.estimator.history_

    @property
    def best_epoch(self) -> int | None:
        """The epoch whose weights the model kept (None for a model without epochs)."""
        return getattr(self.estimator, "best_epoch_", None)

    @property
    def verdict(self) -> Verdict:
        """The one verdict on the model beside its baselines, with the task's margin (``task_verdict``)."""
        return task_verdict(TASKS[self.task], self.metrics, self.model_name)

    def metrics_table(self) -> pd.DataFrame:
        """One row per model (the model first), one column per metric of the task."""
        return task_metrics_table(TASKS[self.task], self.metrics)

    def summary(self, bundle: str | Path | None = None) -> dict:
        """The result as plain data: the common keys around the task's own (``_own_summary``)."""
        return {
            "task": self.task,
            "model": self.model_name,
            **self._own_summary(),
            "features": list(self.preprocessing.feature_names),
            "seed": self.seed,
            "best_epoch": self.best_epoch,
            "metrics": {"test": self.metrics[self.model_name]},
            "baselines": {k: v for k, v in self.metrics.items() if k != self.model_name},
            "verdict": self.verdict.to_dict(),
            "bundle": None if bundle is None else str(bundle),
        }

    def _own_summary(self) -> dict:
        """The summary keys of a task's own, between ``model`` and ``features`` (none here)."""
        return {}

    def save(self, path: str | Path) -> Path:
        """Write the model bundle of the preprocessing's domain to ``path`` atomically; return the path."""
        return domains.bundle_writer(self.preprocessing.DOMAIN)(self, path)


@dataclass(frozen=True, eq=False, kw_only=True)
class TrainingResult(FittedModel):
    """A binary ``FittedModel`` on dated rows of a dataset: finance's direction model.

    Attributes:
        dataset: the features and labels the model was trained and tested on.
        rows: positions in ``dataset.X`` of the train, validation and test dates.
        gap: rows purged between consecutive parts.
        window: days per input window for sequence models, None for the DNN.
        alpha: cost of a false positive in false negatives, used for ``expected_cost``.
        data_sha256: fingerprint of the prices the model was trained on.
        data_fingerprint: values of the columns the features read at dates spread over the
            training prices, to tell later whether evaluated prices are the same data.
    """

    task = "binary"

    dataset: object  # X (features by date), y (labels, NaN where unknown), labelled; e.g. finance's Dataset
    rows: dict
    gap: int
    window: int | None
    alpha: float
    data_sha256: str
    data_fingerprint: dict | None = field(default=None, repr=False)

    @property
    def periods(self) -> dict[str, dict]:
        """First and last date and row count of each part."""
        dates = self.dataset.X.index
        return {
            name: {
                "start": dates[rows[0]].date().isoformat(),
                "end": dates[rows[-1]].date().isoformat(),
                "rows": int(len(rows)),
            }
            for name, rows in self.rows.items()
        }

    def _own_summary(self) -> dict:
        """The labels, the decision rule and the dated split: the shape of ``pyanalytics train --json``."""
        estimator = self.estimator
        return {
            "horizon": self.preprocessing.horizon,
            "dead_zone": self.preprocessing.dead_zone,
            "window": self.window,
            "threshold": estimator.threshold_,
            "alpha": self.alpha,
            "cost_sensitive": bool(estimator.cost_fp) and not estimator.tune_threshold,
            "tuned_threshold": bool(estimator.tune_threshold),
            "theoretical_threshold": optimal_threshold(self.alpha),
            "split": {**self.periods, "gap": self.gap},
        }


def part_rows(parts: dict[str, np.ndarray], window: int | None) -> dict[str, np.ndarray]:
    """Each part's rows (positions in ``dataset.X``) whose inputs stay inside the part.

    A sequence model's window never reaches back across its part's first row, so no window
    straddles a boundary or reads the purge gap. Empty parts are left out.

    Raises:
        DataError: a part keeps fewer than ``MIN_ROWS_PER_PART`` rows.
    """
    rows = {}
    for name, part in parts.items():
        if not len(part):
            continue
        rows[name] = usable_rows(part, window, first_row=part[0])
        if len(rows[name]) < MIN_ROWS_PER_PART:
            raise DataError(
                f"prices: the {name} part keeps {len(rows[name])} dates once its windows of "
                f"{window} days stay inside it; each part needs at least {MIN_ROWS_PER_PART}. "
                "Supply a longer history or a shorter window."
            )
    return rows
