"""Sequence model bundles: the same files, manifest and atomic save as every bundle
(``pyanalytics.bundle``), holding the ``sequence`` domain's columns and windows, the network's
state and the baselines. ``pyanalytics.bundle.load_bundle`` hands a bundle of this domain here.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.bundle import (
    _fields_of,
    _from_state,
    _load_network,
    copy_bundle,
    domain_baselines,
    domain_documents,
    result_documents,
    schema,
    write_bundle,
)
from pyanalytics.errors import BundleError
from pyanalytics.evaluation.task_metrics import task_metrics_table
from pyanalytics.evaluation.verdict import task_verdict
from pyanalytics.models import FORECAST_BASELINES, SEQUENCE_BASELINES
from pyanalytics.sequence.preprocessing import SEQUENCE_TASKS, SequencePreprocessing
from pyanalytics.sequence.training import CLASSIFIERS, FORECASTERS, score_frame
from pyanalytics.tasks import TASKS

DOMAIN = SequencePreprocessing.DOMAIN
_STATE = schema.fields(
    {"params": schema.mapping(schema.anything), "feature_names": schema.nullable(schema.array(schema.text)),
     "n_features": schema.integer(1), "learned": schema.mapping(schema.anything)},
    open_keys=True,  # each estimator's own fitted values (classes, threshold, horizon): checked by its from_state
)
SCHEMA = {
    "preprocessing.json": schema.fields(
        {"model": schema.one_of(tuple(CLASSIFIERS)), "domain": schema.one_of((DOMAIN,)), **SequencePreprocessing.FIELDS,
         "estimator": _STATE}
    ),
    "baselines.json": schema.mapping(_STATE),
    "metadata.json": schema.fields(
        {"created": schema.text, "versions": schema.mapping(schema.nullable(schema.text)),
         "seed": schema.nullable(schema.integer(0)), "task": schema.one_of(SEQUENCE_TASKS),
         "data": schema.fields({"name": schema.nullable(schema.text)}),
         "parts": schema.mapping(schema.integer(0)), "notes": schema.array(schema.text),
         "scale": schema.nullable(schema.POSITIVE),
         "metrics": schema.fields({"test": schema.mapping(schema.mapping(schema.anything))})},
        open_keys=True,
    ),
}


def save_sequence_bundle(result, path: str | Path) -> Path:
    """Write a SequenceResult as a bundle directory at ``path``, atomically (see ``save_bundle``)."""
    metadata = {"task": result.task, "data": {"name": result.data_name}, "parts": result.parts,
                "notes": list(result.notes), "scale": result.scale,
                "test_sets": {name: test.metrics for name, test in result.test_sets.items()}}
    return write_bundle(result.estimator.network_, result_documents(result, {}, metadata), path)


def _model_classes(task: str) -> tuple[dict, dict]:
    """The networks and the saved baselines of a task, by name."""
    return (FORECASTERS, FORECAST_BASELINES) if task == "forecasting" else (CLASSIFIERS, SEQUENCE_BASELINES)


def load_sequence_bundle(folder: Path, files: dict[str, bytes]) -> "SequenceBundle":
    """A sequence bundle from the verified bytes of its files (``load_bundle`` reads and checks them).

    Raises:
        BundleError: a field is missing or wrong, or the network does not fit the windows.
    """
    documents, preprocessing = domain_documents(folder, files, SCHEMA, SequencePreprocessing)
    pre = documents["preprocessing.json"]
    networks, known = _model_classes(preprocessing.task)
    with _fields_of(folder, "baselines.json"):
        unknown = sorted(set(documents["baselines.json"]) - set(known))
        if unknown:
            raise schema.FieldError(unknown[0], f"a baseline of the task ({', '.join(known)})", unknown[0])
    baselines = domain_baselines(folder, documents["baselines.json"], known, list(preprocessing.feature_names))
    network = _load_network(folder, files["model.keras"])
    with _fields_of(folder, "preprocessing.json"):
        estimator = _from_state(networks[pre["model"]], pre["estimator"], "estimator", network=network)
    bundle = SequenceBundle(folder, pre["model"], estimator, baselines, preprocessing, documents["metadata.json"], files)
    _check_target(folder, bundle)
    _check_outputs(folder, bundle)
    return bundle


def _check_target(folder: Path, bundle: "SequenceBundle") -> None:
    """Refuse a forecaster or baseline that reads another feature as the target than the preprocessing's."""
    target = bundle.preprocessing.target_index
    readers = {"estimator.params.relative_to": bundle.estimator.get_params().get("relative_to", target),
               **{f"{name}.params.target_index": model.get_params().get("target_index", target)
                  for name, model in bundle.baselines.items()}}
    for key, found in readers.items():
        if found is not None and found != target:
            raise BundleError(
                f"bundle {str(folder)!r}: {key} reads feature {found} as the target, but preprocessing.json's "
                f"target is feature {target}; refusing to load it. Save the model again."
            )


def _check_outputs(folder: Path, bundle: "SequenceBundle") -> None:
    """Refuse a network whose output on one window is not what the preprocessing promises."""
    pre = bundle.preprocessing
    window = np.zeros((1, pre.window, len(pre.feature_names)))
    expected = (1, pre.horizon) if pre.task == "forecasting" else (1, len(bundle.estimator.classes_))
    try:
        found = np.shape(bundle._outputs(window))
    except Exception as error:  # Keras raises ValueError for an input of the wrong size
        found = f"an error ({type(error).__name__})"
    if found != expected:
        raise BundleError(
            f"bundle {str(folder)!r}: model.keras maps a window of shape {window.shape} to {found}; "
            f"preprocessing.json (keys 'window', 'features', 'horizon') needs {expected}. Refusing to load it; "
            "save the model again."
        )


@dataclass(frozen=True)
class SequenceEvaluation:
    """Metrics of a bundle's network and its saved baselines on a labelled series, and the verdict."""

    task: str
    metrics: dict
    verdict: object  # pyanalytics.evaluation.verdict.Verdict

    def table(self) -> pd.DataFrame:
        """One row per model, one column per metric of the task."""
        return task_metrics_table(TASKS[self.task], self.metrics)


@dataclass(frozen=True, eq=False)
class SequenceBundle:
    """A loaded sequence bundle: classifies or forecasts from each window of a raw series."""

    path: Path | None
    model_name: str
    estimator: object
    baselines: dict
    preprocessing: SequencePreprocessing
    metadata: dict
    files: dict[str, bytes] | None = field(default=None, repr=False)

    @property
    def task(self) -> str:
        return self.preprocessing.task

    def _outputs(self, X: np.ndarray) -> np.ndarray:
        if self.task == "forecasting":
            return self.estimator.predict(X)
        return self.estimator.predict_proba(X)

    def predict(self, frame: pd.DataFrame, *, last: bool = False) -> pd.DataFrame:
        """One row per window of ``frame`` (indexed by the time it ends at, named as the time column, else
        the frame's index or ``row``): the class probabilities
        and class, or the forecast of each horizon (``h1``..; with quantiles also ``lower_h``/``upper_h``).

        Args:
            frame: the series, rows in time order, with the feature (and time) columns; for a panel
                model, a long frame of series (or an array, for a model trained on one): one row
                per series, indexed by its id.
            last: only the window ending at the last row (the forecast from now on).

        Raises:
            DataError: a missing column, a value that is not a finite number, a time that does not
                increase or jumps by more than the bundle's ``max_gap``, a frame shorter than a window.
        """
        pre = self.preprocessing
        windows, times = pre.windows(frame)
        if last:
            windows, times = windows[-1:], times[-1:]
        times = times.rename(pre.time_column or times.name or "row")  # a column once the index is reset
        if self.task == "forecasting":
            names = [f"h{h}" for h in range(1, pre.horizon + 1)]
            if not getattr(self.estimator, "quantiles", None):
                return pd.DataFrame(self.estimator.predict(windows), columns=names, index=times)
            outputs = np.hstack(self.estimator.predict_with_interval(windows))  # one pass of the network
            return pd.DataFrame(outputs, columns=[*names, *(f"lower_{n}" for n in names), *(f"upper_{n}" for n in names)],
                                index=times)
        outputs = self._outputs(windows)
        classes = self.estimator.classes_
        names = TASKS[self.task].prediction_columns(list(classes))
        shown = outputs[:, 1:] if self.task == "binary" else outputs
        table = pd.DataFrame(shown, columns=names[:-1], index=times)
        table[names[-1]] = self.estimator.classes_from_proba(outputs)
        return table

    def evaluate(self, frame: pd.DataFrame) -> SequenceEvaluation:
        """The task's metrics of the network and every saved baseline (and persistence) on every
        window of a labelled series, or on every series of a labelled panel.

        Raises:
            DataError: as ``predict``, or the label column is missing or has a missing value.
        """
        test = score_frame(self.preprocessing, {self.model_name: self.estimator, **self.baselines}, frame,
                           self.metadata.get("scale"))
        return SequenceEvaluation(self.task, test.metrics, task_verdict(TASKS[self.task], test.metrics, self.model_name))

    def save(self, path: str | Path) -> Path:
        """Copy the verified bytes this bundle was loaded from to ``path``, atomically."""
        return copy_bundle(self, path)
