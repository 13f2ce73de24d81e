"""The training job: prices in; a fitted model, its baselines and honest test metrics out.

This is the one place where prices become features, features become leakage-safe parts, and
the model and every baseline are fitted and scored, so the command line, the scripts and the R
package all get the same numbers for the same inputs.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.errors import ParameterError
from pyanalytics.evaluation import compare_models
from pyanalytics.features import Dataset, FeatureSpec, build_dataset
from pyanalytics.models import BASELINES, MODELS
from pyanalytics.params import check_int
from pyanalytics.splits import ChronologicalSplit, chronological_split


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """A fitted model with its baselines, the split it was judged on and the test metrics.

    Attributes:
        model_name: key of the model in ``pyanalytics.models.MODELS`` (e.g. ``"dnn"``).
        estimator: the fitted model.
        baselines: fitted naive baselines by name.
        dataset: the features and labels the model was trained and tested on.
        split: row positions (among labelled rows) of the train, validation and test parts.
        metrics: test-part metrics of the model (key ``model_name``) and of every baseline.
        data_sha256: fingerprint of the prices the model was trained on.
        seed: the seed used for the model.
    """

    model_name: str
    estimator: object
    baselines: dict
    dataset: Dataset
    split: ChronologicalSplit
    metrics: dict
    data_sha256: str
    seed: int | None
    trained_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def periods(self) -> dict[str, dict]:
        """First and last date and row count of each part."""
        dates = self.dataset.X.index[self.dataset.labelled]
        return {
            name: {
                "start": dates[rows[0]].date().isoformat() if len(rows) else None,
                "end": dates[rows[-1]].date().isoformat() if len(rows) else None,
                "rows": int(len(rows)),
            }
            for name, rows in self.split.parts().items()
        }

    def summary(self, bundle: str | Path | None = None) -> dict:
        """The result as plain data, the shape of ``pyanalytics train --json``."""
        return {
            "model": self.model_name,
            "horizon": self.dataset.horizon,
            "dead_zone": self.dataset.dead_zone,
            "threshold": self.estimator.threshold_,
            "seed": self.seed,
            "features": list(self.dataset.X.columns),
            "split": {**self.periods, "gap": self.split.gap},
            "best_epoch": getattr(self.estimator, "best_epoch_", None),
            "metrics": {"test": self.metrics[self.model_name]},
            "baselines": {k: v for k, v in self.metrics.items() if k != self.model_name},
            "bundle": None if bundle is None else str(bundle),
        }

    def save(self, path: str | Path) -> Path:
        """Write the model bundle to ``path`` atomically; return the path."""
        from pyanalytics.bundle import save_bundle

        return save_bundle(self, path)


def prices_sha256(prices: pd.DataFrame) -> str:
    """SHA-256 of the dates and values of a prices frame (independent of file formatting)."""
    import hashlib

    hashed = pd.util.hash_pandas_object(prices, index=True).to_numpy()
    columns = ",".join(prices.columns).encode()
    return hashlib.sha256(columns + hashed.tobytes()).hexdigest()


def train_direction_model(
    prices: pd.DataFrame,
    *,
    model: str = "dnn",
    horizon: int = 1,
    spec: FeatureSpec | None = None,
    dead_zone: float = 0.0,
    validation: float = 0.15,
    test: float = 0.15,
    gap: int | None = None,
    seed: int | None = 0,
    model_params: dict | None = None,
    on_epoch=None,
) -> TrainingResult:
    """Fit a direction model and its baselines on a chronological train/validation/test split.

    Features at each date use only prices up to that date; labels look ``horizon`` rows ahead;
    ``gap`` rows (default: the horizon) are purged between the parts; scalers are fitted inside
    the models on the training part only; early stopping watches the validation part; metrics
    are computed on the test part alone.

    Args:
        prices: a frame in the prices contract (see ``pyanalytics.data.load_prices``).
        model: a key of ``pyanalytics.models.MODELS``.
        horizon: rows ahead for the direction label.
        spec: which features to compute (default ``FeatureSpec()``).
        dead_zone: moves within ``±dead_zone`` are left unlabelled.
        validation: fraction of labelled rows for the validation part.
        test: fraction of labelled rows for the test part.
        gap: purge gap in rows between parts; at least ``horizon``.
        seed: seed of the model's random steps (None: not reproducible).
        model_params: extra keyword arguments of the model class (e.g. ``epochs``).
        on_epoch: progress callback ``on_epoch(epoch, max_epochs, logs)``.

    Example:
        >>> from pyanalytics.data import synthetic_market
        >>> result = train_direction_model(synthetic_market(800, signal_strength=2.0),
        ...                                model_params={"epochs": 3})
        >>> sorted(result.metrics)
        ['always_up', 'dnn', 'logistic_regression', 'majority_class', 'previous_direction']
    """
    if model not in MODELS:
        raise ParameterError(f"model: expected one of {', '.join(map(repr, MODELS))}, got {model!r}.")
    horizon = check_int("horizon", horizon, minimum=1)
    gap = horizon if gap is None else check_int("gap", gap, minimum=horizon)
    dataset = build_dataset(prices, spec or FeatureSpec(), horizon, dead_zone)
    X = dataset.X[dataset.labelled]
    y = dataset.y[dataset.labelled].astype(np.int64)
    split = chronological_split(len(X), validation=validation, test=test, gap=gap)
    part = {name: (X.iloc[rows], y.iloc[rows]) for name, rows in split.parts().items()}
    params = {"seed": seed, "validation_gap": gap, **(model_params or {})}
    estimator = MODELS[model](**params).fit(
        *part["train"],
        validation_data=part["validation"] if len(split.validation) else None,
        on_epoch=on_epoch,
    )
    baselines = {name: cls().fit(*part["train"]) for name, cls in BASELINES.items()}
    metrics = compare_models({model: estimator, **baselines}, *part["test"])
    return TrainingResult(
        model_name=model,
        estimator=estimator,
        baselines=baselines,
        dataset=dataset,
        split=split,
        metrics=metrics,
        data_sha256=prices_sha256(prices),
        seed=seed,
    )
