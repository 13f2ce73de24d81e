"""Training a direction model on prices: features, labels and a chronological split, then the
core's fit-and-score job."""

import hashlib

import numpy as np
import pandas as pd

from pyanalytics.evaluation.scoring import score
from pyanalytics.finance.extra_features import with_extra_features
from pyanalytics.finance.features import FeatureSpec, build_dataset, default_spec
from pyanalytics.finance.preprocessing import PricePreprocessing
from pyanalytics.splits import chronological_split
from pyanalytics.finance.model_setup import ModelSetup
from pyanalytics.training import TrainingResult, part_rows


def prices_sha256(prices: pd.DataFrame) -> str:
    """SHA-256 of the dates and values of a prices frame (independent of file formatting)."""
    hashed = pd.util.hash_pandas_object(prices, index=True).to_numpy()
    columns = ",".join(prices.columns).encode()
    return hashlib.sha256(columns + hashed.tobytes()).hexdigest()


def train_direction_model(
    prices: pd.DataFrame,
    *,
    model: str = "dnn",
    horizon: int = 1,
    window: int | None = None,
    spec: FeatureSpec | None = None,
    extra_features: list[str] | tuple[str, ...] = (),
    dead_zone: float = 0.0,
    validation: float = 0.15,
    test: float = 0.15,
    gap: int | None = None,
    cost_fp: float | None = None,
    tune_threshold: bool = False,
    seed: int | None = 0,
    model_params: dict | None = None,
    on_epoch=None,
    data_name: str | None = None,
) -> TrainingResult:
    """Fit a direction model and its baselines on a chronological train/validation/test split.

    Features at each date use only prices up to that date; labels look ``horizon`` rows ahead;
    ``gap`` rows (default: the horizon) are purged between the parts; a sequence model's window
    never reaches across a part's start; scalers are fitted inside the models on the training
    part only; early stopping (and threshold tuning) use the validation part; metrics come from
    the test part alone.

    Args:
        prices: a frame in the prices contract (see ``pyanalytics.finance.load_prices``).
        model: a key of ``pyanalytics.models.MODELS``: ``"dnn"``, ``"lstm"`` or ``"gru"``.
        horizon: rows ahead for the direction label.
        window: days per input window of ``"lstm"``/``"gru"`` (default 20); not for ``"dnn"``.
        spec: which features to compute (default ``default_spec(prices)``: ``FeatureSpec()``
            without the volume feature where the volume is flat, with a DataWarning).
        extra_features: names of your own numeric columns of ``prices`` to use as features
            beside the spec's (see ``FeatureSpec.extra_features``). The value on date t is used
            for the prediction made at the close of t, unshifted: it must be known at that close
            (your responsibility). Scaled with the other features on the training part only.
        dead_zone: moves within ``±dead_zone`` are left unlabelled.
        validation: fraction of labelled rows for the validation part.
        test: fraction of labelled rows for the test part.
        gap: purge gap in rows between parts; at least ``horizon``.
        cost_fp: a false positive costs ``cost_fp`` false negatives (alpha). Trains with the
            cost-weighted loss, or with ``tune_threshold`` tunes the threshold instead.
        tune_threshold: tune the decision threshold on the validation part (Solution 1).
        seed: seed of the model's random steps (None: not reproducible).
        model_params: extra keyword arguments of the model class (e.g. ``epochs``).
        on_epoch: progress callback ``on_epoch(epoch, max_epochs, logs)``.
        data_name: name of the prices (e.g. their file name), saved with the model.

    Example:
        >>> from pyanalytics.finance import synthetic_market
        >>> result = train_direction_model(synthetic_market(800, signal_strength=2.0),
        ...                                model_params={"epochs": 3})
        >>> sorted(result.metrics)
        ['always_up', 'dnn', 'logistic_regression', 'majority_class', 'previous_direction']
    """
    from pyanalytics.bundle.provenance import fingerprint

    setup = ModelSetup(model, horizon, window, gap, cost_fp, tune_threshold, seed, model_params)
    spec = with_extra_features(spec or default_spec(prices), extra_features)
    dataset = build_dataset(prices, spec, setup.horizon, dead_zone)
    labelled = np.flatnonzero(dataset.labelled)
    split = chronological_split(len(labelled), validation=validation, test=test, gap=setup.gap)
    rows = part_rows({name: labelled[positions] for name, positions in split.parts().items()}, setup.window)
    estimator, baselines = setup.fit(dataset, rows, on_epoch)
    return TrainingResult(
        model_name=model,
        estimator=estimator,
        baselines=baselines,
        dataset=dataset,
        preprocessing=PricePreprocessing.of(dataset),
        rows=rows,
        gap=setup.gap,
        window=setup.window,
        alpha=setup.alpha,
        metrics=score(estimator, model, baselines, dataset, rows["test"], setup.window, setup.alpha),
        data_sha256=prices_sha256(prices),
        seed=seed,
        data_name=data_name,
        data_fingerprint=fingerprint(prices, dataset.spec.required_columns),
    )
