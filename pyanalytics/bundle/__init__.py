"""Model bundles: a directory that carries a fitted model from one process, or language, to another.

Layout::

    model.keras          the Keras network (weights and architecture, no code)
    preprocessing.json   feature spec, horizon, scaler statistics, threshold, estimator state
    baselines.json       the fitted naive baselines, so evaluation elsewhere keeps its yardstick
    metadata.json        versions, training period, the data's name and fingerprint, test metrics
    manifest.json        SHA-256 of every other file

A save writes a whole new directory beside the target and swaps it in atomically; only a path that
verifies as a bundle is ever replaced (``files``). A load reads each file once, within size
limits, checks those bytes against the manifest and builds everything from them (``files``);
every field is checked against a declared schema before use (``schema``); the network is
loaded with Keras safe mode and nothing is ever unpickled. The bundle path may be a symbolic
link to a bundle directory; the files inside it may not be links. Evaluating on other prices
says whether they are the training data (``provenance``).
"""

import platform
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics import domains
from pyanalytics.bundle import provenance, schema
from pyanalytics.bundle.files import (
    FORMAT,
    FORMAT_VERSION,
    JSON_FILES,
    MANIFEST,
    MODEL_FILE,
    check_target,
    manifest_bytes,
    publish,
    read_bundle,
)
from pyanalytics.data.windows import model_inputs, usable_rows
from pyanalytics.errors import BundleError, DataError, ParameterError
from pyanalytics.evaluation.scoring import score
from pyanalytics.jsonio import dumps
from pyanalytics.models import BASELINES, MODELS

__all__ = ["FORMAT", "FORMAT_VERSION", "Bundle", "check_target", "library_versions", "load_bundle", "save_bundle"]
LIBRARIES = ("pyanalytics", "tensorflow-cpu", "keras", "numpy", "pandas", "scikit-learn", "ta-lib")


def library_versions() -> dict:
    """Versions of Python and the libraries a bundle or report depends on."""
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def result_documents(result, preprocessing: dict, metadata: dict) -> dict[str, dict]:
    """The JSON documents of a fitted result's bundle, by file name: the keys every domain saves
    around its own ``preprocessing`` and ``metadata`` keys."""
    return {
        "preprocessing.json": {"model": result.model_name, "domain": result.preprocessing.DOMAIN,
                               **result.preprocessing.to_document(), **preprocessing,
                               "estimator": result.estimator.to_state()},
        "baselines.json": {name: baseline.to_state() for name, baseline in result.baselines.items()
                           if getattr(baseline, "saveable", True)},
        "metadata.json": {"created": result.trained_at, "versions": library_versions(), "seed": result.seed,
                          **metadata, "metrics": {"test": result.metrics}},
    }


def _contents(result) -> dict[str, dict]:
    """The JSON documents of a TrainingResult's bundle, by file name."""
    dates = result.dataset.X.index
    periods = result.periods
    return result_documents(
        result,
        {"window": result.window, "threshold": result.estimator.threshold_, "cost_ratio": result.alpha},
        {
            "data": {
                "name": result.data_name,
                "sha256": result.data_sha256,
                "first_date": dates[0].date().isoformat(),
                "last_date": dates[-1].date().isoformat(),
                "fingerprint": result.data_fingerprint,
            },
            "periods": periods,
            "out_of_sample_from": periods["test"]["start"],
        },
    )


def data_files(network, documents: dict[str, dict], target: Path) -> dict[str, bytes]:
    """The bytes of ``model.keras`` (the Keras ``network``) and of each JSON document, by file name."""
    with tempfile.TemporaryDirectory(prefix="pyanalytics-") as scratch:
        try:
            network.save(Path(scratch) / MODEL_FILE)
            model = (Path(scratch) / MODEL_FILE).read_bytes()
        except OSError as error:
            raise BundleError(
                f"bundle {str(target)!r}: cannot write {MODEL_FILE} ({error.strerror or error}); "
                "nothing was written. Free disk space in the temporary folder or set TMPDIR."
            ) from None
    return {MODEL_FILE: model, **{name: (dumps(document, indent=2) + "\n").encode() for name, document in documents.items()}}


def save_bundle(source, path: str | Path) -> Path:
    """Write a fitted result of any domain (or copy a loaded bundle) as a bundle directory at ``path``, atomically.

    An existing bundle at ``path`` is replaced; any other existing file or directory, a symbolic
    link, or a folder that cannot be written is refused with a BundleError before any work.

    Raises:
        BundleError: the path is refused, or writing failed (nothing is left behind).
    """
    if not isinstance(source, Bundle):  # a result (through its domain's writer) or another domain's bundle
        return source.save(path)
    return copy_bundle(source, path)


def copy_bundle(bundle, path: str | Path) -> Path:
    """Copy the verified bytes a loaded bundle (of any domain) was read from to ``path``, atomically."""
    target = Path(path)
    if bundle.path is not None and target.resolve() == bundle.path.resolve():
        return target  # saving a loaded bundle onto itself: it is already there
    check_target(target)
    if bundle.files is None:
        raise BundleError("bundle: made in memory, so there are no files to copy; save its TrainingResult instead.")
    return publish(target, bundle.files)  # the verified bytes it was loaded from, manifest included


def save_result(result, path: str | Path) -> Path:
    """Write a TrainingResult as a bundle directory at ``path``, atomically (the finance domain's writer)."""
    return write_bundle(result.estimator.network_, _contents(result), path)


def write_bundle(network, documents: dict[str, dict], path: str | Path) -> Path:
    """Write the Keras ``network``, the JSON ``documents`` (by file name) and their manifest as a
    bundle directory at ``path``, atomically (see ``save_bundle`` for the paths refused)."""
    target = Path(path)
    check_target(target)
    files = data_files(network, documents, target)
    return publish(target, {**files, MANIFEST: manifest_bytes(files)})


@contextmanager
def _fields_of(folder: Path, name: str):
    """Turn a schema FieldError about file ``name`` into a one-line BundleError."""
    try:
        yield
    except schema.FieldError as error:
        raise BundleError(
            f"bundle {str(folder)!r}: {name} {error}; the file is damaged or was not written by "
            "pyanalytics. Refusing to load it; save the model again."
        ) from None


def checked_documents(folder: Path, files: dict[str, bytes], schemas: dict) -> dict[str, dict]:
    """Each JSON file parsed strictly and checked against its schema in ``schemas`` (by file name)."""
    documents = {}
    for name in JSON_FILES:
        try:
            documents[name] = schema.strict_json(files[name])
        except ValueError as error:
            raise BundleError(f"bundle {str(folder)!r}: {name} is not valid JSON ({error}).") from None
        with _fields_of(folder, name):
            schemas[name](documents[name], "")
    return documents


def domain_documents(folder: Path, files: dict[str, bytes], schemas: dict, preprocessing_class):
    """A domain bundle's checked documents and its preprocessing, the estimator's features checked
    against the preprocessing's (for a domain's own loader, see ``pyanalytics.domains``)."""
    documents = checked_documents(folder, files, schemas)
    pre = documents["preprocessing.json"]
    with _fields_of(folder, "preprocessing.json"):
        preprocessing = preprocessing_class.from_document(pre)
        schema._same_features(pre["estimator"], list(preprocessing.feature_names), "estimator")
    return documents, preprocessing


def domain_baselines(folder: Path, states: dict, known: dict, names: list) -> dict:
    """The baselines of ``baselines.json`` (``states``, each named in ``known``), every one's
    features checked against ``names`` and rebuilt from its state."""
    with _fields_of(folder, "baselines.json"):
        for name, state in states.items():
            schema._same_features(state, names, name)
        return {name: _from_state(known[name], state, name) for name, state in states.items()}


def _documents(folder: Path, files: dict[str, bytes]) -> dict[str, dict]:
    """The parsed JSON files, every field checked."""
    documents = checked_documents(folder, files, schema.SCHEMA)
    pre = documents["preprocessing.json"]
    with _fields_of(folder, "preprocessing.json"):
        names = schema.domain_class(pre).from_document(pre).feature_names
        schema.check_preprocessing(pre, names)
    with _fields_of(folder, "baselines.json"):
        schema.check_baselines(documents["baselines.json"], names)
    return documents


def _domain(folder: Path, files: dict[str, bytes]):
    """The ``domain`` key of ``preprocessing.json`` (None when absent or unreadable: checked later)."""
    try:
        document = schema.strict_json(files["preprocessing.json"])
    except ValueError as error:
        raise BundleError(f"bundle {str(folder)!r}: preprocessing.json is not valid JSON ({error}).") from None
    return document.get("domain") if isinstance(document, dict) else None


def _load_network(folder: Path, data: bytes):
    """The network from the verified bytes of ``model.keras``, through a private copy."""
    import keras

    import pyanalytics.models.cost  # noqa: F401  (registers the cost-sensitive loss and trainer)

    with tempfile.TemporaryDirectory(prefix="pyanalytics-") as scratch:
        copy = Path(scratch) / MODEL_FILE
        copy.write_bytes(data)
        try:
            return keras.saving.load_model(copy, safe_mode=True, compile=False)
        except Exception as error:  # Keras raises TypeError/ValueError/OSError for unsafe or unknown content
            raise BundleError(
                f"bundle {str(folder)!r}: {MODEL_FILE} cannot be loaded safely ({_keras_reason(error)})."
            ) from None


def _check_network(folder: Path, network, pre: dict) -> None:
    """Refuse a network that does not map the preprocessing's inputs to one probability per row.

    One forward pass on zeros checks it, also for networks wrapped by the cost-sensitive trainer,
    which declare no input shape.
    """
    n_features = pre["estimator"]["n_features"]
    shape = (1, n_features) if pre["window"] is None else (1, pre["window"], n_features)
    try:
        found = tuple(np.shape(network(np.zeros(shape, dtype=np.float32), training=False)))
    except Exception as error:  # Keras raises ValueError for an input of the wrong size
        found = f"an error ({_keras_reason(error)})"
    if found != (1, 1):
        raise BundleError(
            f"bundle {str(folder)!r}: {MODEL_FILE} maps inputs of shape {shape} to {found}; "
            "preprocessing.json (keys 'estimator.n_features', 'window') needs it to give one "
            "probability, shape (1, 1). Refusing to load it; save the model again."
        )


def _keras_reason(error: Exception) -> str:
    """The useful part of a Keras loading error, on one line."""
    text = str(error)
    unknown = re.search(r"Could not locate class '([^']+)'", text)
    if unknown:
        return f"it uses the layer or object class {unknown.group(1)!r}, which pyanalytics does not define"
    lines = text.strip().splitlines()
    return lines[0] if lines else type(error).__name__


@dataclass(frozen=True, eq=False)
class Bundle:
    """A loaded model bundle: predicts from raw data with its domain's saved preprocessing and scaler."""

    path: Path | None  # None for a bundle made in memory by ``from_result``
    model_name: str
    estimator: object
    baselines: dict
    preprocessing: object  # its domain's preprocessing (see ``pyanalytics.domains``)
    window: int | None
    alpha: float
    metadata: dict
    files: dict[str, bytes] | None = field(default=None, repr=False)  # the verified bytes it was loaded from

    @classmethod
    def from_result(cls, result) -> "Bundle":
        """The bundle a TrainingResult would save, in memory: it predicts exactly as the saved one."""
        contents = _contents(result)
        return cls._from_contents(None, contents, result.estimator, result.baselines)

    @classmethod
    def _from_contents(cls, path, contents: dict, estimator, baselines: dict, files=None) -> "Bundle":
        pre = contents["preprocessing.json"]
        return cls(
            files=files,
            path=path,
            model_name=pre["model"],
            estimator=estimator,
            baselines=baselines,
            preprocessing=schema.domain_class(pre).from_document(pre),
            window=pre["window"],
            alpha=pre["cost_ratio"],
            metadata=contents["metadata.json"],
        )

    def dataset(self, prices: pd.DataFrame):
        """Features and labels of ``prices`` computed with the bundle's preprocessing."""
        return self.preprocessing.dataset(prices)

    def predict(self, prices: pd.DataFrame, *, last: int | None = None) -> pd.DataFrame:
        """Probability of a rise and the signal (1 = up) for each date with complete inputs.

        Args:
            prices: a frame in the prices contract; its history must cover the feature warm-up
                (and, for sequence models, one window).
            last: only the most recent ``last`` dates.

        Returns:
            A DataFrame with columns ``date``, ``prob_up``, ``signal``.
        """
        data = self.dataset(prices)
        rows = np.arange(0 if self.window is None else min(self.window - 1, len(data.X)), len(data.X))
        return self.predict_rows(data, rows if last is None else rows[-last:])

    def predict_rows(self, data, rows: np.ndarray) -> pd.DataFrame:
        """``predict`` on positions ``rows`` of ``data.X`` (a ``dataset`` already computed)."""
        X = data.X
        prob_up = self.estimator.predict_proba(model_inputs(X, rows, self.window))[:, 1]
        return pd.DataFrame(
            {
                "date": X.index[rows].to_numpy(),
                "prob_up": prob_up,
                "signal": (prob_up >= self.estimator.threshold_).astype(np.int64),
            }
        )

    def evaluation_rows(self, data, *, since=None) -> np.ndarray:
        """Positions in ``data.X`` of the labelled dates ``evaluate`` scores, from ``since`` on.

        ``since`` defaults to the first date of the bundle's own test part, so evaluating on the
        training data reproduces the test metrics and never scores rows the model learned from.
        Windows of sequence models stay on or after ``since``, as they stayed inside the test part;
        by default they may reach the ``window - 1`` rows before it, which the test part held
        (its first scored date is the first one with a whole window inside the part).
        """
        default_since = since is None
        since = pd.Timestamp(since or self.metadata["out_of_sample_from"])
        in_range = np.asarray(data.X.index >= since)
        first_row = int(np.argmax(in_range))
        if default_since and self.window is not None:
            first_row = max(first_row - (self.window - 1), 0)
        rows = usable_rows(np.flatnonzero(data.labelled & in_range), self.window, first_row)
        if not rows.size:
            raise DataError(
                f"prices: no labelled dates on or after {since.date()} with complete inputs (the "
                f"data ends {data.X.index[-1].date()}); pass later prices or an earlier `since` date."
            )
        return rows

    def evaluate(self, prices: pd.DataFrame, *, since=None) -> dict[str, dict]:
        """Metrics of the model and every saved baseline on ``evaluation_rows`` of ``prices``."""
        data = self.dataset(prices)
        rows = self.evaluation_rows(data, since=since)
        return score(self.estimator, self.model_name, self.baselines, data, rows, self.window, self.alpha)

    def data_match(self, prices: pd.DataFrame) -> provenance.DataMatch:
        """Whether ``prices`` are the data the bundle was trained on, another instrument or
        revised data, or cannot be told apart (see ``pyanalytics.bundle.provenance``)."""
        return provenance.match(self.metadata["data"], prices)


def load_bundle(path: str | Path):
    """Load a bundle after checking every file against its manifest and every field.

    A bundle of the ``tabular`` domain loads as a ``pyanalytics.tabular.bundle.TabularBundle``;
    a price bundle as a ``Bundle``.

    Raises:
        BundleError: the directory is missing; a file is missing, changed, a link, too large or
            not one of the bundle's; a field is missing or wrong; or the network does not fit
            the preprocessing or holds anything Keras safe mode refuses (such as code or an
            unregistered layer).
    """
    folder = Path(path)
    files = read_bundle(folder)
    own_loader = domains.bundle_loader(_domain(folder, files))
    if own_loader is not None:
        return own_loader(folder, files)
    documents = _documents(folder, files)
    pre = documents["preprocessing.json"]
    network = _load_network(folder, files[MODEL_FILE])
    _check_network(folder, network, pre)
    with _fields_of(folder, "preprocessing.json"):
        estimator = _from_state(MODELS[pre["model"]], pre["estimator"], "estimator", network=network)
    with _fields_of(folder, "baselines.json"):
        baselines = {
            name: _from_state(BASELINES[name], state, name) for name, state in documents["baselines.json"].items()
        }
    return Bundle._from_contents(folder, documents, estimator, baselines, files)


def _from_state(cls, state: dict, key: str, **parts):
    """``cls.from_state``, its parameter checks reported as a FieldError at ``key``.params."""
    try:
        return cls.from_state(state, **parts)
    except ParameterError as error:
        raise schema.FieldError(f"{key}.params", "valid parameters", str(error)) from None
    except (KeyError, TypeError, ValueError) as error:  # a state whose schema leaves its learned values open
        raise schema.FieldError(f"{key}.learned", "a complete fitted state", f"{type(error).__name__}: {error}") from None
