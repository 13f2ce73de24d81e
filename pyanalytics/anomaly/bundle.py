"""Anomaly detector bundles: the same files, manifest and atomic save as every bundle
(``pyanalytics.bundle``), holding the ``anomaly`` domain's columns, the detector's state and
threshold, and the baselines that have a JSON state. ``pyanalytics.bundle.load_bundle`` hands a
bundle of this domain here.

The IsolationForest baseline is fitted and scored at training time (its metrics are in
``metadata.json``) but not saved: its trees have no JSON form short of writing scikit-learn's
internals, so a loaded bundle evaluates beside the PCA baseline and the supervised ceiling.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.anomaly.preprocessing import AnomalyPreprocessing
from pyanalytics.bundle import (
    _fields_of,
    _from_state,
    _keras_reason,
    _load_network,
    copy_bundle,
    domain_baselines,
    domain_documents,
    result_documents,
    schema,
    write_bundle,
)
from pyanalytics.bundle.files import MODEL_FILE
from pyanalytics.errors import BundleError, DataError
from pyanalytics.evaluation.task_metrics import compare_task_models, task_metrics_table
from pyanalytics.evaluation.verdict import task_verdict
from pyanalytics.models import AUTOENCODERS, task_baselines
from pyanalytics.tasks import TASKS

DOMAIN = AnomalyPreprocessing.DOMAIN
TASK = TASKS["anomaly"]
_STATE = schema.fields(
    {"params": schema.mapping(schema.anything), "feature_names": schema.nullable(schema.array(schema.text)),
     "n_features": schema.integer(1), "threshold": schema.nullable(schema.FINITE),
     "learned": schema.mapping(schema.anything)},
)
SCHEMA = {
    "preprocessing.json": schema.fields(
        {"model": schema.one_of(AUTOENCODERS), "domain": schema.one_of((DOMAIN,)), **AnomalyPreprocessing.FIELDS,
         "estimator": _STATE}
    ),
    "baselines.json": schema.mapping(_STATE),
    "metadata.json": schema.fields(
        {"created": schema.text, "versions": schema.mapping(schema.nullable(schema.text)),
         "seed": schema.nullable(schema.integer(0)), "task": schema.one_of(("anomaly",)),
         "data": schema.fields({"name": schema.nullable(schema.text)}),
         "parts": schema.mapping(schema.integer(0)), "notes": schema.array(schema.text),
         "threshold": schema.fields({"rule": schema.text, "target": schema.nullable(schema.FINITE)}, open_keys=True),
         "metrics": schema.fields({"test": schema.mapping(schema.mapping(schema.anything))})},
        open_keys=True,
    ),
}


def save_anomaly_bundle(result, path: str | Path) -> Path:
    """Write an AnomalyResult as a bundle directory at ``path``, atomically (see ``save_bundle``)."""
    choice = result.threshold
    metadata = {
        "task": result.task, "data": {"name": result.data_name}, "parts": result.parts, "notes": list(result.notes),
        "threshold": {"rule": choice.rule, "target": choice.target, "value": choice.threshold,
                      "validation": choice.chosen},
    }
    return write_bundle(result.estimator.network_, result_documents(result, {}, metadata), path)


def _saved_baselines() -> dict:
    """The baselines a bundle carries: those with a JSON state."""
    return {name: cls for name, cls in task_baselines(TASK).items() if cls.saveable}


def load_anomaly_bundle(folder: Path, files: dict[str, bytes]) -> "AnomalyBundle":
    """An anomaly bundle from the verified bytes of its files (``load_bundle`` reads and checks them).

    Raises:
        BundleError: a field is missing or wrong, or the network does not fit the columns.
    """
    documents, preprocessing = domain_documents(folder, files, SCHEMA, AnomalyPreprocessing)
    pre = documents["preprocessing.json"]
    names = list(preprocessing.feature_names)
    known = _saved_baselines()
    with _fields_of(folder, "baselines.json"):
        unknown = sorted(set(documents["baselines.json"]) - set(known))
        if unknown:
            raise schema.FieldError(unknown[0], f"a saved baseline's name ({', '.join(known)})", unknown[0])
    baselines = domain_baselines(folder, documents["baselines.json"], known, names)
    network = _load_network(folder, files[MODEL_FILE])
    _check_network(folder, network, len(names), outputs=3 if pre["model"] == "variational" else 1)
    with _fields_of(folder, "preprocessing.json"):
        estimator = _from_state(AUTOENCODERS[pre["model"]], pre["estimator"], "estimator", network=network)
    return AnomalyBundle(folder, pre["model"], estimator, baselines, preprocessing, documents["metadata.json"], files)


def _check_network(folder: Path, network, n_features: int, outputs: int) -> None:
    """Refuse a network whose reconstruction (its first output) is not one row of the features, or
    that lacks its model's other outputs (a variational one: the code's mean and log-variance)."""
    try:
        output = network(np.zeros((1, n_features), dtype=np.float32), training=False)
        output = list(output) if isinstance(output, (list, tuple)) else [output]
        found = (tuple(np.shape(output[0])), len(output))
    except Exception as error:  # Keras raises ValueError for an input of the wrong size
        found = f"an error ({_keras_reason(error)})"
    if found != ((1, n_features), outputs):
        raise BundleError(
            f"bundle {str(folder)!r}: {MODEL_FILE} maps {n_features} inputs to {found} (reconstruction shape, "
            f"outputs); preprocessing.json (keys 'features', 'model') needs ((1, {n_features}), {outputs}). "
            "Refusing to load it; save the model again."
        )


@dataclass(frozen=True)
class AnomalyEvaluation:
    """Metrics of a bundle's detector and its saved baselines on labelled rows, and the verdict."""

    metrics: dict
    verdict: object  # pyanalytics.evaluation.verdict.Verdict

    def table(self) -> pd.DataFrame:
        """One row per model, one column per metric of the task."""
        return task_metrics_table(TASK, self.metrics)


@dataclass(frozen=True, eq=False)
class AnomalyBundle:
    """A loaded anomaly bundle: scores and flags raw rows, says which fields look unusual."""

    path: Path | None
    model_name: str
    estimator: object
    baselines: dict
    preprocessing: AnomalyPreprocessing
    metadata: dict
    files: dict[str, bytes] | None = field(default=None, repr=False)

    task = "anomaly"

    @property
    def threshold(self) -> float:
        """The score at and above which a row is flagged."""
        return self.estimator.threshold_

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``score`` (higher: more unusual) and ``flag`` (1: an alert) for each row of ``frame``.

        Raises:
            DataError: a feature column is missing, or a value is not a finite number (row named).
        """
        scores = self.estimator.anomaly_score(self.preprocessing.features(frame))
        return pd.DataFrame({"score": scores, "flag": self.estimator.flags_from_scores(scores)}, index=frame.index)

    def feature_errors(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Each row's squared reconstruction error per feature (scaled units): the fields that look
        unusual; a row's mean is its reconstruction score."""
        errors = self.estimator.feature_errors(self.preprocessing.features(frame))
        return pd.DataFrame(errors, columns=list(self.preprocessing.feature_names), index=frame.index)

    def evaluate(self, frame: pd.DataFrame) -> AnomalyEvaluation:
        """The task's metrics of the detector and every saved baseline on ``frame``'s labelled rows.

        Raises:
            DataError: the bundle has no label column, or ``frame`` lacks it or holds a value other than 0/1.
        """
        if self.preprocessing.label is None:
            raise DataError("evaluate: this detector was trained without a label column, so there is nothing to "
                            "score it against; train it with label= to evaluate.")
        y = self.preprocessing.labels(frame)
        metrics = compare_task_models(TASK, {self.model_name: self.estimator, **self.baselines},
                                      self.preprocessing.features(frame), y)
        return AnomalyEvaluation(metrics, task_verdict(TASK, metrics, self.model_name))

    def save(self, path: str | Path) -> Path:
        """Copy the verified bytes this bundle was loaded from to ``path``, atomically."""
        return copy_bundle(self, path)
