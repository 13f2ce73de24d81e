"""How a direction model is fitted, checked once: ``train_direction_model`` fits it on one
chronological split and ``walk_forward`` on every fold, so both fit the same way."""

from dataclasses import dataclass, field

import numpy as np

from pyanalytics.data.windows import check_window, model_inputs
from pyanalytics.defaults import DEFAULT_WINDOW
from pyanalytics.errors import ParameterError
from pyanalytics.evaluation.costs import check_alpha
from pyanalytics.models import BASELINES, MODELS, SEQUENCE_MODELS
from pyanalytics.params import check_int


@dataclass(frozen=True)
class ModelSetup:
    """A direction model to fit and how, checked once; every direction fit goes through it.

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
