"""Training an anomaly detector: read, split (training keeps normal rows only), fit the detector
and the baselines, choose each one's threshold on the validation part, score the test part."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pyanalytics.anomaly.preprocessing import AnomalyPreprocessing
from pyanalytics.data.tabular import read_frame
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.task_metrics import compare_task_models
from pyanalytics.evaluation.thresholds import (
    LABELLED_RULES,
    ThresholdChoice,
    check_rule,
    choose_threshold,
    default_rule,
)
from pyanalytics.models import AUTOENCODERS, task_baselines
from pyanalytics.splits import anomaly_split
from pyanalytics.tasks import TASKS
from pyanalytics.training import FittedModel

TASK = TASKS["anomaly"]
FEW_ANOMALIES = 10  # below this many labelled anomalies a part's precision and recall are anecdotes


@dataclass(frozen=True, eq=False, kw_only=True)
class AnomalyResult(FittedModel):
    """A detector beside its baselines, each flagging at the threshold its validation rows chose.

    Attributes:
        parts: rows in each part (training: normal rows only).
        gap: rows purged between chronological parts.
        threshold: the detector's ``ThresholdChoice`` on the validation part (its curve included).
        notes: what splitting did (anomalies left out of training, duplicate rows kept together).
        frames: each part's rows as read (features, label, time), index labels kept.
    """

    task = "anomaly"

    parts: dict
    gap: int
    threshold: ThresholdChoice
    notes: tuple[str, ...]
    frames: dict = field(default_factory=dict, repr=False)

    @property
    def test_frame(self) -> pd.DataFrame | None:
        """The test part's rows as read (None without a test part)."""
        return self.frames.get("test")

    def _own_summary(self) -> dict:
        pre = self.preprocessing
        return {
            "label": pre.label,
            "time_column": pre.time_column,
            "amount_column": pre.amount_column,
            "threshold": {"value": self.threshold.threshold, "rule": self.threshold.rule,
                          "target": self.threshold.target, "validation": self.threshold.chosen},
            "split": {**self.parts, "gap": self.gap},
            "notes": list(self.notes),
        }


def train_anomaly(
    data,
    *,
    label: str | None = None,
    time_column: str | None = None,
    amount_column: str | None = None,
    features=None,
    model: str = "autoencoder",
    rule: str | None = None,
    target: float | None = None,
    validation: float = 0.15,
    test: float = 0.15,
    gap: int = 0,
    seed: int | None = 0,
    data_name: str | None = None,
    on_epoch=None,
    **network,
) -> AnomalyResult:
    """Fit an autoencoder on normal rows and the baselines beside it; score them on the test part.

    The rows are split by ``time_column`` when given (with ``gap`` rows purged), else seeded and
    stratified on the label; identical rows stay in one part. The training part keeps normal rows
    only (a known anomaly there is left out; the supervised ceiling alone learns from them). Each
    model's threshold is chosen on the validation part by ``rule``, so the test metrics read
    thresholds the test rows never saw.

    Args:
        data: a pandas DataFrame or the path of a CSV file.
        label: the 0/1 column (1 = anomaly); None for unlabelled data.
        time_column: a column of times (dates or seconds) for a chronological split; not a feature.
        amount_column: the feature a missed anomaly costs, for ``rule="cost"``.
        features: the feature columns (default: all but the label and time columns).
        model: ``autoencoder``, ``sparse``, ``denoising`` or ``variational``.
        rule, target: how the threshold is chosen (``pyanalytics.evaluation.thresholds.choose_threshold``);
            default: recall 0.8 with labels, the 0.99 quantile of training scores without.
        validation, test: fractions of the rows for those parts.
        gap: rows purged between chronological parts.
        seed: seed of the network and the baselines (None: not reproducible) and of the split
            (None splits as seed 0).
        data_name: the data's name (default: the CSV file's name).
        on_epoch: progress callback ``on_epoch(epoch, max_epochs, logs)``.
        **network: the detector's parameters (``hidden_units``, ``code_size``, ``epochs``, ...).

    Raises:
        DataError: a missing, non-numeric, constant or non-finite feature column, or a label
            other than 0/1 (column and row named).
        ParameterError: an unknown model or rule, a rule that needs labels without them.
    """
    if model not in AUTOENCODERS:
        raise ParameterError(f"model: expected one of {', '.join(map(repr, AUTOENCODERS))}, got {model!r}.")
    known = set(AUTOENCODERS[model]().get_params()) - {"seed"}
    unknown = sorted(set(network) - known)
    if unknown:
        raise ParameterError(f"{unknown[0]}: not a setting of the {model} model; its settings are "
                             f"{', '.join(sorted(known))}.")
    for part, fraction in (("validation", validation), ("test", test)):
        if not isinstance(fraction, (int, float)) or fraction <= 0:
            raise ParameterError(f"{part}: expected a fraction of the rows above 0 (the {part} part "
                                 f"{'chooses the threshold' if part == 'validation' else 'scores the models'}), got {fraction!r}.")
    frame, file_name = read_frame(data)
    pre = AnomalyPreprocessing.for_frame(frame, label=label, time_column=time_column, amount_column=amount_column,
                                         features=features)
    X, y = pre.features(frame), pre.labels(frame)
    keyed = frame[[*pre.feature_names, *([time_column] if time_column else [])]]
    split = anomaly_split(keyed, y, time_column=time_column, validation=validation, test=test, gap=gap,
                          seed=0 if seed is None else seed)
    parts = split.parts()
    pre.check_training(X[parts["train"]], frame.index[parts["train"]])
    X_val = X[parts["validation"]]
    y_val = None if y is None else y[parts["validation"]]
    rule = default_rule(y is not None) if rule is None else check_rule(rule)
    if rule in LABELLED_RULES and y is not None and not y_val.sum():
        raise DataError(
            f"rule {rule!r}: the validation part holds none of the {int(y.sum())} labelled anomalies, so no "
            f"{rule} threshold can be chosen there; raise validation (now {validation}), split without "
            "time_column, or use rule 'top_k', 'fraction' or 'quantile'."
        )
    estimator = AUTOENCODERS[model](**network, seed=seed).fit(
        X[parts["train"]], validation_data=X_val if y_val is None else (X_val, y_val), on_epoch=on_epoch)
    baselines = _fitted_baselines(X, y, parts["train"], split.train_anomalies, seed)
    amounts = None if pre.amount_column is None else pre.amounts(frame)[parts["validation"]]
    choices = {}
    for name, detector in {model: estimator, **baselines}.items():
        normal_scores = detector.anomaly_score(X[parts["train"]]) if rule == "quantile" else None  # only it reads them
        choices[name] = choose_threshold(rule, target, scores=detector.anomaly_score(X_val), y=y_val, amounts=amounts,
                                         normal_scores=normal_scores)
        detector.set_threshold(choices[name].threshold)
    test_rows = parts["test"]
    metrics = compare_task_models(TASK, {model: estimator, **baselines}, X[test_rows],
                                  None if y is None else y[test_rows])
    notes = tuple(_split_notes(split)) + tuple(_few_anomalies_notes(y, parts))
    return AnomalyResult(
        model_name=model,
        estimator=estimator,
        baselines=baselines,
        preprocessing=pre,
        metrics=metrics,
        seed=seed,
        data_name=data_name if data_name is not None or isinstance(data, pd.DataFrame) else file_name,
        parts={name: int(len(rows)) for name, rows in parts.items()},
        gap=int(split.gap),
        threshold=choices[model],
        notes=notes,
        frames={name: frame.iloc[rows] for name, rows in parts.items()},
    )


def _fitted_baselines(X, y, train, train_anomalies, seed) -> dict:
    """The task's baselines fitted on the training part: the unsupervised ones on its normal rows,
    the supervised ceiling on them and the anomalies left out of them (skipped without labels or
    without a training anomaly)."""
    fitted = {}
    for name, cls in task_baselines(TASK).items():
        if name in TASK.ceilings:
            if y is None or not len(train_anomalies):
                continue
            rows = np.sort(np.concatenate([train, train_anomalies]))
            fitted[name] = cls().fit(X[rows], y[rows])
        else:
            seeded = {"seed": seed} if "seed" in cls._parameter_rules else {}  # a forest draws; PCA does not
            fitted[name] = cls(**seeded).fit(X[train])
    return fitted


def _few_anomalies_notes(y, parts) -> list[str]:
    """A caution for each held-out part whose labelled anomalies are too few to measure by."""
    if y is None:
        return []
    notes = []
    for part, use in (("validation", "its threshold"), ("test", "its metrics")):
        count = int(y[parts[part]].sum())
        if count < FEW_ANOMALIES:
            notes.append(f"the {part} part holds only {count} labelled anomal{'y' if count == 1 else 'ies'}: "
                         f"{use} rest{'s' if part == 'validation' else ''} on so few that they can move a lot "
                         "with the split; use more labelled data or larger parts.")
    return notes


def _split_notes(split) -> list[str]:
    notes = []
    if split.dropped_anomalies:
        notes.append(f"{split.dropped_anomalies} labelled anomalies in the training part were left out of "
                     "what the detectors learn (the supervised ceiling learns from them).")
    if split.duplicate_rows:
        notes.append(f"{split.duplicate_rows} rows repeat an earlier row; every copy was kept in its first "
                     "copy's part.")
    return notes
