"""The fit-and-score job: a dataset in; a fitted model, its baselines and honest test metrics out.

Every fit in the package goes through ``ModelSetup`` and every result is a ``TrainingResult``, so
the command line, the scripts and the R package all get the same numbers for the same inputs. A
domain turns its raw data into the dataset (``pyanalytics.finance.training`` for prices).
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from pyanalytics.data.windows import check_window, model_inputs, usable_rows
from pyanalytics.defaults import DEFAULT_WINDOW
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.costs import check_alpha, optimal_threshold
from pyanalytics.evaluation.verdict import verdict
from pyanalytics.models import BASELINES, MODELS, SEQUENCE_MODELS
from pyanalytics.params import check_int
from pyanalytics.splits import MIN_ROWS_PER_PART


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """A fitted model with its baselines, the rows it was judged on and the test metrics.

    Attributes:
        model_name: key of the model in ``pyanalytics.models.MODELS`` (e.g. ``"dnn"``).
        estimator: the fitted model.
        baselines: fitted naive baselines by name (they see the same dates, one day at a time).
        dataset: the features and labels the model was trained and tested on.
        preprocessing: how raw data becomes such a dataset (a domain's, see
            ``pyanalytics.domains``); a bundle saves it.
        rows: positions in ``dataset.X`` of the train, validation and test dates.
        gap: rows purged between consecutive parts.
        window: days per input window for sequence models, None for the DNN.
        alpha: cost of a false positive in false negatives, used for ``expected_cost``.
        metrics: test-part metrics of the model (key ``model_name``) and of every baseline.
        data_sha256: fingerprint of the prices the model was trained on.
        seed: the seed used for the model.
        data_name: name of the training data (its file name, or a name the caller gave).
        data_fingerprint: values of the columns the features read at dates spread over the
            training prices, to tell later whether evaluated prices are the same data.
    """

    model_name: str
    estimator: object
    baselines: dict
    dataset: object  # X (features by date), y (labels, NaN where unknown), labelled; e.g. finance's Dataset
    preprocessing: object  # the domain's preprocessing that rebuilds such a dataset from raw data
    rows: dict
    gap: int
    window: int | None
    alpha: float
    metrics: dict
    data_sha256: str
    seed: int | None
    trained_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    data_name: str | None = None
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

    def summary(self, bundle: str | Path | None = None) -> dict:
        """The result as plain data, the shape of ``pyanalytics train --json``."""
        estimator = self.estimator
        return {
            "model": self.model_name,
            "horizon": self.preprocessing.horizon,
            "dead_zone": self.preprocessing.dead_zone,
            "window": self.window,
            "threshold": estimator.threshold_,
            "alpha": self.alpha,
            "cost_sensitive": bool(estimator.cost_fp) and not estimator.tune_threshold,
            "tuned_threshold": bool(estimator.tune_threshold),
            "theoretical_threshold": optimal_threshold(self.alpha),
            "seed": self.seed,
            "features": list(self.dataset.X.columns),
            "split": {**self.periods, "gap": self.gap},
            "best_epoch": getattr(estimator, "best_epoch_", None),
            "metrics": {"test": self.metrics[self.model_name]},
            "baselines": {k: v for k, v in self.metrics.items() if k != self.model_name},
            "verdict": verdict(self.metrics, self.model_name).to_dict(),
            "bundle": None if bundle is None else str(bundle),
        }

    def save(self, path: str | Path) -> Path:
        """Write the model bundle to ``path`` atomically; return the path."""
        from pyanalytics.bundle import save_bundle

        return save_bundle(self, path)


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


@dataclass(frozen=True)
class ModelSetup:
    """A direction model to fit and how, checked once; every fit in the package goes through it.

    ``train_direction_model`` fits it on one chronological split and ``walk_forward`` on every
    fold, so both fit the same way.

    Args:
        model: a key of ``pyanalytics.models.MODELS``: ``"dnn"``, ``"lstm"`` or ``"gru"``.
        horizon: rows ahead for the direction label.
        window: days per input window of ``"lstm"``/``"gru"`` (default 20); not for ``"dnn"``.
        gap: purge gap in rows between parts (default: the horizon); at least ``horizon``.
        cost_fp: a false positive costs ``cost_fp`` false negatives (alpha).
        tune_threshold: tune the decision threshold on the validation rows instead.
        seed: seed of the model's random steps (None: not reproducible).
        model_params: extra keyword arguments of the model class (e.g. ``epochs``).
    """

    model: str = "dnn"
    horizon: int = 1
    window: int | None = None
    gap: int | None = None
    cost_fp: float | None = None
    tune_threshold: bool = False
    seed: int | None = 0
    model_params: dict | None = None
    alpha: float = field(init=False, repr=False)  # cost_fp, or 1 without one

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ParameterError(f"model: expected one of {', '.join(map(repr, MODELS))}, got {self.model!r}.")
        horizon = check_int("horizon", self.horizon, minimum=1)
        gap = horizon if self.gap is None else check_int("gap", self.gap, minimum=horizon)
        window = check_window(self.window)
        if self.model in SEQUENCE_MODELS:
            window = window or DEFAULT_WINDOW
        elif window is not None:
            raise ParameterError(
                f"window: the {self.model!r} model reads one day at a time; drop window or use 'lstm'/'gru'."
            )
        alpha = 1.0 if self.cost_fp is None else check_alpha(self.cost_fp, "cost_fp")
        for name, value in (("horizon", horizon), ("gap", gap), ("window", window), ("alpha", alpha),
                            ("model_params", dict(self.model_params or {}))):
            object.__setattr__(self, name, value)

    def fit(self, dataset, rows: dict, on_epoch=None) -> tuple[object, dict]:
        """Fit the model and every baseline on ``rows["train"]``; return ``(estimator, baselines)``.

        The model stops early (and tunes its threshold) on ``rows["validation"]`` when present;
        the baselines see the same training dates one day at a time. Other parts are not read.
        """
        y = dataset.y.to_numpy()
        inputs = {
            name: (model_inputs(dataset.X, rows[name], self.window), y[rows[name]].astype(np.int64))
            for name in ("train", "validation")
            if name in rows
        }
        params = {"seed": self.seed, "validation_gap": self.gap, "cost_fp": self.cost_fp,
                  "tune_threshold": self.tune_threshold}
        estimator = MODELS[self.model](**params, **self.model_params).fit(
            *inputs["train"], validation_data=inputs.get("validation"), on_epoch=on_epoch
        )
        train_days = dataset.X.iloc[rows["train"]], y[rows["train"]].astype(np.int64)
        baselines = {name: cls().fit(*train_days) for name, cls in BASELINES.items()}
        return estimator, baselines
