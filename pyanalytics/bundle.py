"""Model bundles: a directory that carries a fitted model from one process, or language, to another.

Layout::

    model.keras          the Keras network (weights and architecture, no code)
    preprocessing.json   feature spec, horizon, scaler statistics, threshold, estimator state
    baselines.json       the fitted naive baselines, so evaluation elsewhere keeps its yardstick
    metadata.json        versions, training period, data fingerprint, test metrics
    manifest.json        SHA-256 of every other file

Writing goes to a temporary directory beside the target and is renamed into place, so a failed
save leaves nothing behind. Loading checks every hash, loads the network with Keras safe mode and
never unpickles anything.
"""

import hashlib
import json
import platform
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path

import numpy as np
import pandas as pd

from pyanalytics.errors import BundleError, DataError
from pyanalytics.features import FeatureSpec, build_dataset
from pyanalytics.features.windows import model_inputs, usable_rows
from pyanalytics.jsonio import write_json
from pyanalytics.models import BASELINES, MODELS
from pyanalytics.training import score

FORMAT = "pyanalytics-bundle"
FORMAT_VERSION = 1
MODEL_FILE = "model.keras"
JSON_FILES = ("preprocessing.json", "baselines.json", "metadata.json")
LIBRARIES = ("pyanalytics", "tensorflow-cpu", "keras", "numpy", "pandas", "scikit-learn", "ta-lib")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def library_versions() -> dict:
    """Versions of Python and the libraries a bundle or report depends on."""
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _contents(result) -> dict[str, dict]:
    """The JSON documents of a TrainingResult's bundle, by file name."""
    estimator = result.estimator
    dataset = result.dataset
    periods = result.periods
    return {
        "preprocessing.json": {
            "model": result.model_name,
            "feature_spec": dataset.spec.to_dict(),
            "horizon": dataset.horizon,
            "dead_zone": dataset.dead_zone,
            "window": result.window,
            "threshold": estimator.threshold_,
            "cost_ratio": result.alpha,
            "estimator": estimator.to_state(),
        },
        "baselines.json": {k: v.to_state() for k, v in result.baselines.items()},
        "metadata.json": {
            "created": result.trained_at,
            "versions": library_versions(),
            "seed": result.seed,
            "data": {
                "sha256": result.data_sha256,
                "first_date": dataset.X.index[0].date().isoformat(),
                "last_date": dataset.X.index[-1].date().isoformat(),
            },
            "periods": periods,
            "out_of_sample_from": periods["test"]["start"],
            "metrics": {"test": result.metrics},
        },
    }


def _write_contents(folder: Path, result) -> None:
    result.estimator.network_.save(folder / MODEL_FILE)
    for name, document in _contents(result).items():
        write_json(folder / name, document)
    files = {p.name: _sha256(p) for p in sorted(folder.iterdir())}
    write_json(folder / "manifest.json", {"format": FORMAT, "version": FORMAT_VERSION, "files": files})


def _copy_contents(folder: Path, bundle: "Bundle") -> None:
    if bundle.path is None:
        raise BundleError("bundle: made in memory, so there are no files to copy; save its TrainingResult instead.")
    _verify_manifest(bundle.path)
    for name in (*json.loads((bundle.path / "manifest.json").read_text())["files"], "manifest.json"):
        shutil.copyfile(bundle.path / name, folder / name)


def save_bundle(source, path: str | Path) -> Path:
    """Write a TrainingResult (or copy a loaded Bundle) as a bundle directory at ``path``, atomically.

    An existing bundle at ``path`` is replaced; any other existing file or directory is left
    alone and reported as a BundleError.
    """
    target = Path(path)
    if isinstance(source, Bundle) and source.path is not None and target.resolve() == source.path.resolve():
        return target  # saving a loaded bundle onto itself: it is already there
    if target.exists() and not (target / "manifest.json").is_file():
        raise BundleError(
            f"bundle path {str(target)!r} exists and is not a pyanalytics bundle; "
            "refusing to overwrite it. Choose a new path."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it owner-only; a bundle is meant to be shared
        if isinstance(source, Bundle):
            _copy_contents(staging, source)
        else:
            _write_contents(staging, source)
        if target.exists():
            retired = target.with_name(f".{target.name}.{uuid.uuid4().hex}.old")
            target.rename(retired)
            staging.rename(target)
            shutil.rmtree(retired)
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _read_json(folder: Path, name: str) -> dict:
    try:
        return json.loads((folder / name).read_text())
    except (OSError, ValueError) as error:
        raise BundleError(f"bundle {str(folder)!r}: cannot read {name} ({error}).") from None


def _verify_manifest(folder: Path) -> None:
    if not folder.is_dir():
        raise BundleError(f"bundle {str(folder)!r}: no such directory. Check the path.")
    if not (folder / "manifest.json").is_file():
        raise BundleError(f"bundle {str(folder)!r}: manifest.json is missing; this is not a bundle.")
    manifest = _read_json(folder, "manifest.json")
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BundleError(
            f"bundle {str(folder)!r}: format {manifest.get('format')!r} version "
            f"{manifest.get('version')!r}; expected {FORMAT!r} version {FORMAT_VERSION}."
        )
    expected = manifest.get("files", {})
    for name in (MODEL_FILE, *JSON_FILES):
        if name not in expected:
            raise BundleError(f"bundle {str(folder)!r}: manifest.json does not list {name}.")
    for name, digest in expected.items():
        file = folder / name
        if not file.is_file():
            raise BundleError(f"bundle {str(folder)!r}: {name} is missing. Save the bundle again.")
        if _sha256(file) != digest:
            raise BundleError(
                f"bundle {str(folder)!r}: {name} does not match its SHA-256 in manifest.json; "
                "the file changed after saving. Refusing to load it."
            )


def _load_network(folder: Path):
    import keras

    import pyanalytics.models.cost  # noqa: F401  (registers the cost-sensitive loss and trainer)

    try:
        return keras.saving.load_model(folder / MODEL_FILE, safe_mode=True, compile=False)
    except Exception as error:  # Keras raises TypeError/ValueError/OSError for unsafe or unknown content
        raise BundleError(
            f"bundle {str(folder)!r}: {MODEL_FILE} cannot be loaded safely ({_keras_reason(error)})."
        ) from None


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
    """A loaded model bundle: predicts from raw prices with the saved features and scaler."""

    path: Path | None  # None for a bundle made in memory by ``from_result``
    model_name: str
    estimator: object
    baselines: dict
    spec: FeatureSpec
    horizon: int
    dead_zone: float
    window: int | None
    alpha: float
    metadata: dict

    @classmethod
    def from_result(cls, result) -> "Bundle":
        """The bundle a TrainingResult would save, in memory: it predicts exactly as the saved one."""
        contents = _contents(result)
        return cls._from_contents(None, contents, result.estimator, result.baselines)

    @classmethod
    def _from_contents(cls, path, contents: dict, estimator, baselines: dict) -> "Bundle":
        pre = contents["preprocessing.json"]
        return cls(
            path=path,
            model_name=pre["model"],
            estimator=estimator,
            baselines=baselines,
            spec=FeatureSpec.from_dict(pre["feature_spec"]),
            horizon=pre["horizon"],
            dead_zone=pre["dead_zone"],
            window=pre["window"],
            alpha=pre["cost_ratio"],
            metadata=contents["metadata.json"],
        )

    def dataset(self, prices: pd.DataFrame):
        """Features and labels of ``prices`` computed with the bundle's spec and horizon."""
        return build_dataset(prices, self.spec, self.horizon, self.dead_zone)

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


def load_bundle(path: str | Path) -> Bundle:
    """Load a bundle after checking every file against its manifest.

    Raises:
        BundleError: the directory is missing, a file is missing or changed, or the network
            holds anything Keras safe mode refuses (such as code or an unregistered layer).
    """
    folder = Path(path)
    _verify_manifest(folder)
    pre = _read_json(folder, "preprocessing.json")
    model_class = MODELS.get(pre.get("model"))
    if model_class is None:
        raise BundleError(
            f"bundle {str(folder)!r}: model {pre.get('model')!r} is not known to this version of "
            f"pyanalytics (known: {', '.join(MODELS)})."
        )
    estimator = model_class.from_state(pre["estimator"], network=_load_network(folder))
    baseline_states = _read_json(folder, "baselines.json")
    baselines = {name: BASELINES[name].from_state(state) for name, state in baseline_states.items()}
    contents = {"preprocessing.json": pre, "metadata.json": _read_json(folder, "metadata.json")}
    return Bundle._from_contents(folder, contents, estimator, baselines)
