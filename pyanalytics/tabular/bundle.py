"""Tabular model bundles: the same files, manifest and atomic save as every bundle
(``pyanalytics.bundle``), holding the ``tabular`` domain's preprocessing, the task and its
prediction schema. ``pyanalytics.bundle.load_bundle`` hands a bundle of this domain here.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

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
from pyanalytics.errors import BundleError
from pyanalytics.evaluation.task_metrics import compare_task_models, task_metrics_table
from pyanalytics.evaluation.verdict import task_verdict
from pyanalytics.models import task_baselines
from pyanalytics.tabular.labelled import labelled_rows
from pyanalytics.tabular.preprocessing import TabularPreprocessing
from pyanalytics.tabular.training import network_class
from pyanalytics.tasks import TASKS

DOMAIN = TabularPreprocessing.DOMAIN
_STATE = schema.fields(
    {"params": schema.mapping(schema.anything), "feature_names": schema.nullable(schema.array(schema.text)),
     "n_features": schema.integer(1), "learned": schema.mapping(schema.anything)},
    {"threshold": schema.PROBABILITY, "classes": schema.array(schema.anything), "target_mean": schema.FINITE},
)
SCHEMA = {
    "preprocessing.json": schema.fields(
        {"model": schema.one_of(("dnn",)), "domain": schema.one_of((DOMAIN,)),
         **TabularPreprocessing.FIELDS, "estimator": _STATE}
    ),
    "baselines.json": schema.mapping(_STATE),
    "metadata.json": schema.fields(
        {"created": schema.text, "versions": schema.mapping(schema.nullable(schema.text)),
         "seed": schema.nullable(schema.integer(0)), "task": schema.text,
         "data": schema.fields({"name": schema.nullable(schema.text)}),
         "parts": schema.mapping(schema.integer(0)), "notes": schema.array(schema.text),
         "metrics": schema.fields({"test": schema.mapping(schema.mapping(schema.anything))})},
        open_keys=True,
    ),
}


def _contents(result) -> dict[str, dict]:
    """The JSON documents of a TabularResult's bundle, by file name."""
    return result_documents(result, {}, {"task": result.task, "data": {"name": result.data_name}, "parts": result.parts,
                                         "notes": list(result.notes)})


def save_tabular_bundle(result, path: str | Path) -> Path:
    """Write a TabularResult as a bundle directory at ``path``, atomically (see ``save_bundle``)."""
    return write_bundle(result.estimator.network_, _contents(result), path)


def load_tabular_bundle(folder: Path, files: dict[str, bytes]) -> "TabularBundle":
    """A tabular bundle from the verified bytes of its files (``load_bundle`` reads and checks them).

    Raises:
        BundleError: a field is missing or wrong, or the network does not fit the preprocessing.
    """
    documents, preprocessing = domain_documents(folder, files, SCHEMA, TabularPreprocessing)
    pre = documents["preprocessing.json"]
    names = list(preprocessing.feature_names)
    task = TASKS[preprocessing.task]
    baselines_doc = documents["baselines.json"]
    known = task_baselines(task)
    with _fields_of(folder, "baselines.json"):
        if sorted(baselines_doc) != sorted(known):
            raise schema.FieldError("", f"the {task.name} baselines {sorted(known)}", sorted(baselines_doc))
    baselines = domain_baselines(folder, baselines_doc, known, names)
    network = _load_network(folder, files[MODEL_FILE])
    classes = preprocessing.classes
    units = task.output_units(None if classes is None else len(classes))
    try:
        found = tuple(np.shape(network(np.zeros((1, len(names)), dtype=np.float32), training=False)))
    except Exception as error:  # Keras raises ValueError for an input of the wrong size
        found = f"an error ({_keras_reason(error)})"
    if found != (1, units):
        raise BundleError(
            f"bundle {str(folder)!r}: {MODEL_FILE} maps {len(names)} inputs to {found}; preprocessing.json "
            f"(keys 'preprocessor', 'target') needs shape (1, {units}). Refusing to load it; save the model again."
        )
    with _fields_of(folder, "preprocessing.json"):
        estimator = _from_state(network_class(task.name), pre["estimator"], "estimator", network=network)
    return TabularBundle(folder, pre["model"], estimator, baselines, preprocessing, documents["metadata.json"], files)


@dataclass(frozen=True)
class TabularEvaluation:
    """Metrics of a bundle's model and its saved baselines on labelled rows, and the verdict."""

    task: str
    metrics: dict
    verdict: object  # pyanalytics.evaluation.verdict.Verdict

    def table(self) -> pd.DataFrame:
        """One row per model, one column per metric of the task."""
        return task_metrics_table(TASKS[self.task], self.metrics)


def evaluate_rows(model, rows) -> TabularEvaluation:
    """The task's metrics of a tabular model (a TabularResult or a TabularBundle) and its baselines
    on labelled rows (``labelled_rows``), and the verdict."""
    task = TASKS[model.task]
    metrics = compare_task_models(task, {model.model_name: model.estimator, **model.baselines}, rows.X, rows.y)
    return TabularEvaluation(model.task, metrics, task_verdict(task, metrics, model.model_name))


@dataclass(frozen=True, eq=False)
class TabularBundle:
    """A loaded tabular bundle: predicts from raw rows in the response's own labels."""

    path: Path | None
    model_name: str
    estimator: object
    baselines: dict
    preprocessing: TabularPreprocessing
    metadata: dict
    files: dict[str, bytes] | None = field(default=None, repr=False)

    @property
    def task(self) -> str:
        return self.preprocessing.task

    @property
    def target(self) -> str:
        """The response column's name."""
        return self.preprocessing.encoder.name_

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The task's prediction columns for each row of ``frame`` (see ``Task.prediction_columns``).

        Binary: the probability of the positive class and the class; multiclass: a probability
        per class and the class; regression: the prediction. Unseen categories are reported with
        an UnseenCategoryWarning and read as ``(unknown)``.

        Raises:
            DataError: a training column is missing, or a value cannot be read (row named).
        """
        return self.preprocessing.predict(self.estimator, frame)

    def evaluate(self, frame: pd.DataFrame) -> TabularEvaluation:
        """The task's metrics of the model and every saved baseline on ``frame``'s labelled rows.

        Raises:
            DataError: ``frame`` lacks the response column, or holds a class the model never saw.
        """
        return evaluate_rows(self, labelled_rows(self.preprocessing, frame))

    def save(self, path: str | Path) -> Path:
        """Copy the verified bytes this bundle was loaded from to ``path``, atomically."""
        return copy_bundle(self, path)
