"""Model bundles: atomic saving, hash-checked safe loading, identical predictions elsewhere."""

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pyanalytics.bundle import files as bundle_files
from pyanalytics.bundle import Bundle, load_bundle, save_bundle
from pyanalytics.errors import BundleError, DataError
from pyanalytics.finance import synthetic_market

FILES = ["baselines.json", "manifest.json", "metadata.json", "model.keras", "preprocessing.json"]
FIXTURES = Path(__file__).parent / "fixtures"
QUIET_ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}


def _strict_json(path):
    def refuse(constant):
        raise ValueError(f"{path.name} holds {constant}, which strict JSON does not allow")

    return json.loads(path.read_text(), parse_constant=refuse)


def _copy(bundle_dir, tmp_path):
    return shutil.copytree(bundle_dir, tmp_path / "copy")


def _rehash(folder):
    """Rewrite manifest.json so that every file matches it again (only deeper checks remain)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"] = {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in manifest["files"]
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _run(code, *args):
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        check=True,
        env=QUIET_ENV,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def loaded(strong_bundle_dir):
    return load_bundle(strong_bundle_dir)


def test_a_bundle_holds_only_the_keras_file_and_json(strong_bundle_dir):
    assert sorted(p.name for p in strong_bundle_dir.iterdir()) == FILES
    with zipfile.ZipFile(strong_bundle_dir / "model.keras") as archive:
        assert set(archive.namelist()) <= {"config.json", "metadata.json", "model.weights.h5"}
    for name in FILES:
        if name.endswith(".json"):
            _strict_json(strong_bundle_dir / name)
    manifest = _strict_json(strong_bundle_dir / "manifest.json")
    assert set(manifest["files"]) == set(FILES) - {"manifest.json"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((strong_bundle_dir / name).read_bytes()).hexdigest() == digest


def test_the_json_files_carry_preprocessing_and_provenance(strong_bundle_dir, strong_result):
    pre = _strict_json(strong_bundle_dir / "preprocessing.json")
    scaler = strong_result.estimator.scaler_
    assert pre["estimator"]["learned"]["scaler_mean"] == scaler.mean_.tolist()
    assert pre["estimator"]["learned"]["scaler_scale"] == scaler.scale_.tolist()
    assert pre["threshold"] == strong_result.estimator.threshold_ and pre["horizon"] == 1
    meta = _strict_json(strong_bundle_dir / "metadata.json")
    assert meta["data"]["sha256"] == strong_result.data_sha256
    assert meta["out_of_sample_from"] == strong_result.periods["test"]["start"]
    assert meta["versions"]["keras"] and meta["versions"]["numpy"]


def test_a_loaded_bundle_predicts_exactly_like_the_original(loaded, strong_result):
    assert isinstance(loaded, Bundle) and loaded.model_name == "dnn"
    X = strong_result.dataset.X
    np.testing.assert_array_equal(
        loaded.estimator.predict_proba(X), strong_result.estimator.predict_proba(X)
    )
    for name, baseline in strong_result.baselines.items():
        np.testing.assert_array_equal(loaded.baselines[name].predict_proba(X), baseline.predict_proba(X))


@pytest.mark.slow
def test_a_bundle_loaded_in_a_new_process_gives_identical_probabilities(
    strong_bundle_dir, strong_result, tmp_path
):
    X = strong_result.dataset.X
    np.save(tmp_path / "X.npy", X.to_numpy())
    _run(
        """
        import sys
        import numpy as np
        import pandas as pd
        from pyanalytics.bundle import load_bundle

        bundle = load_bundle(sys.argv[1])
        X = pd.DataFrame(np.load(sys.argv[2]), columns=list(bundle.estimator.feature_names_in_))
        np.save(sys.argv[3], bundle.estimator.predict_proba(X)[:, 1])
        """,
        strong_bundle_dir,
        tmp_path / "X.npy",
        tmp_path / "p.npy",
    )
    elsewhere = np.load(tmp_path / "p.npy")
    assert np.array_equal(elsewhere, strong_result.estimator.predict_proba(X)[:, 1])


@pytest.mark.parametrize("name", ["model.keras", "preprocessing.json"])
def test_one_changed_byte_is_refused(strong_bundle_dir, tmp_path, name):
    folder = _copy(strong_bundle_dir, tmp_path)
    data = bytearray((folder / name).read_bytes())
    middle = len(data) // 2
    data[middle] = (data[middle] + 1) % 256
    (folder / name).write_bytes(bytes(data))
    with pytest.raises(BundleError, match=f"{name} does not match its SHA-256"):
        load_bundle(folder)


@pytest.mark.parametrize("name", FILES)
def test_a_missing_file_is_refused(strong_bundle_dir, tmp_path, name):
    folder = _copy(strong_bundle_dir, tmp_path)
    (folder / name).unlink()
    with pytest.raises(BundleError, match=f"{name} is missing"):
        load_bundle(folder)


def test_a_missing_directory_is_refused(tmp_path):
    with pytest.raises(BundleError, match="no such directory"):
        load_bundle(tmp_path / "nowhere")


def test_rehashing_alone_leaves_a_loadable_bundle(strong_bundle_dir, tmp_path, loaded, strong_result):
    """Control for the two tests below: after _rehash only the network's content matters."""
    import keras

    folder = _copy(strong_bundle_dir, tmp_path)
    n = strong_result.estimator.n_features_in_
    inputs = keras.Input(shape=(n,))
    keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(inputs)).save(folder / "model.keras")
    with pytest.raises(BundleError, match="does not match"):
        load_bundle(folder)
    _rehash(folder)
    assert load_bundle(folder).estimator.network_.count_params() == n + 1


@pytest.fixture(scope="module")
def foreign_layer_model(strong_result, tmp_path_factory):
    """A model.keras with a custom layer registered only in the process that saved it."""
    path = tmp_path_factory.mktemp("foreign") / "model.keras"
    _run(
        """
        import sys
        import keras

        @keras.saving.register_keras_serializable(package="only_in_that_process")
        class DoubleIt(keras.layers.Layer):
            def call(self, x):
                return x * 2.0

        inputs = keras.Input(shape=(int(sys.argv[2]),))
        outputs = keras.layers.Dense(1, activation="sigmoid")(DoubleIt()(inputs))
        keras.Model(inputs, outputs).save(sys.argv[1])
        """,
        path,
        strong_result.estimator.n_features_in_,
    )
    return path


@pytest.mark.slow
def test_an_unregistered_custom_layer_is_refused(strong_bundle_dir, foreign_layer_model, tmp_path):
    folder = _copy(strong_bundle_dir, tmp_path)
    shutil.copyfile(foreign_layer_model, folder / "model.keras")
    _rehash(folder)
    with pytest.raises(BundleError, match="model.keras cannot be loaded safely.*'DoubleIt'"):
        load_bundle(folder)


def test_a_lambda_layer_is_refused_by_safe_mode(strong_bundle_dir, tmp_path, strong_result):
    import keras

    folder = _copy(strong_bundle_dir, tmp_path)
    inputs = keras.Input(shape=(strong_result.estimator.n_features_in_,))
    hidden = keras.layers.Lambda(lambda x: x * 2.0)(inputs)
    keras.Model(inputs, keras.layers.Dense(1)(hidden)).save(folder / "model.keras")
    _rehash(folder)
    with pytest.raises(BundleError, match="cannot be loaded safely.*Lambda"):
        load_bundle(folder)


def _fail_on_call(number, real):
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == number:
            raise OSError(errno.ENOSPC, "No space left on device (simulated)")
        return real(*args, **kwargs)

    return wrapper


def test_a_save_failing_midway_leaves_nothing_behind(strong_result, tmp_path, monkeypatch):
    parent = tmp_path / "models"
    parent.mkdir()
    # the first two files are written, then the third fails
    monkeypatch.setattr(bundle_files, "write_file", _fail_on_call(3, bundle_files.write_file))
    with pytest.raises(BundleError, match="No space left on device"):
        save_bundle(strong_result, parent / "m")
    assert list(parent.iterdir()) == []


def test_a_failing_network_save_leaves_nothing_behind(strong_result, tmp_path, monkeypatch):
    def broken_save(self, path, *args, **kwargs):
        open(path, "wb").write(b"half a zip")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(type(strong_result.estimator.network_), "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        save_bundle(strong_result, tmp_path / "m")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_save_over_a_bundle_keeps_the_old_one(
    strong_bundle_dir, strong_result, tmp_path, monkeypatch
):
    target = shutil.copytree(strong_bundle_dir, tmp_path / "m")
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    monkeypatch.setattr(bundle_files, "write_file", _fail_on_call(3, bundle_files.write_file))
    with pytest.raises(BundleError, match="No space left on device"):
        save_bundle(strong_result, target)
    assert [p.name for p in tmp_path.iterdir()] == ["m"]
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before


@pytest.mark.parametrize("kind", ["directory", "file"])
def test_an_existing_non_bundle_path_is_refused_and_untouched(strong_result, tmp_path, kind):
    target = tmp_path / "precious"
    if kind == "directory":
        target.mkdir()
        (target / "notes.txt").write_text("keep me")
    else:
        target.write_text("keep me")
    with pytest.raises(BundleError, match="not a pyanalytics bundle"):
        save_bundle(strong_result, target)
    assert [p.name for p in tmp_path.iterdir()] == ["precious"]
    kept = target / "notes.txt" if kind == "directory" else target
    assert kept.read_text() == "keep me"
    if kind == "directory":
        assert [p.name for p in target.iterdir()] == ["notes.txt"]


@pytest.mark.slow
def test_saving_over_a_bundle_replaces_it(strong_bundle_dir, walk_result, tmp_path):
    target = shutil.copytree(strong_bundle_dir, tmp_path / "m")
    assert walk_result.save(target) == target
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no staging or retired folder left
    assert sorted(p.name for p in target.iterdir()) == FILES
    replaced = load_bundle(target)
    assert replaced.metadata["data"]["sha256"] == walk_result.data_sha256
    X = walk_result.dataset.X
    np.testing.assert_array_equal(
        replaced.estimator.predict_proba(X), walk_result.estimator.predict_proba(X)
    )


def test_evaluate_on_the_training_prices_reproduces_the_test_metrics(
    loaded, strong_market, strong_result
):
    assert loaded.evaluate(strong_market) == strong_result.metrics
    later = loaded.evaluate(strong_market, since=strong_market.index[-200])
    assert later["dnn"]["n"] == 199  # the last row has no label yet
    with pytest.raises(DataError, match="no labelled dates"):
        loaded.evaluate(strong_market, since=strong_market.index[-1])


def test_predict_returns_every_date_with_features_including_the_unlabelled_ones(
    loaded, strong_market, strong_result
):
    frame = loaded.predict(strong_market)
    assert list(frame.columns) == ["date", "prob_up", "signal"]
    X = strong_result.dataset.X
    assert len(frame) == len(X) and (pd.DatetimeIndex(frame["date"]) == X.index).all()
    unlabelled = X.index[~strong_result.dataset.labelled]
    assert len(unlabelled) == loaded.preprocessing.horizon and frame["date"].iloc[-1] == strong_market.index[-1]
    assert set(unlabelled) <= set(frame["date"])
    np.testing.assert_array_equal(frame["prob_up"], strong_result.estimator.predict_proba(X)[:, 1])
    np.testing.assert_array_equal(frame["signal"], frame["prob_up"] >= loaded.estimator.threshold_)
    tail = loaded.predict(strong_market, last=5)
    assert list(tail["date"]) == list(frame["date"].iloc[-5:])
    # a float32 matmul over another batch size may round the last ulp differently
    np.testing.assert_allclose(tail["prob_up"], frame["prob_up"].iloc[-5:], rtol=0, atol=1e-6)


def test_a_bundle_saved_by_the_previous_version_still_loads_and_predicts_the_same():
    """bundle_v1 was saved at commit 4206a8f, before bundles stored their data's name and fingerprint."""
    bundle = load_bundle(FIXTURES / "bundle_v1")
    expected = json.loads((FIXTURES / "bundle_v1_predictions.json").read_text())
    prices = synthetic_market(600, signal_strength=2.0, seed=5)
    frame = bundle.predict(prices, last=5)
    assert list(frame["date"].dt.strftime("%Y-%m-%d")) == expected["date"]
    np.testing.assert_allclose(frame["prob_up"], expected["prob_up"], rtol=0, atol=1e-6)
    assert bundle.data_match(prices).verdict == "cannot tell"


def test_a_bundle_names_its_domain_and_rebuilds_its_preprocessing(strong_bundle_dir, strong_result):
    """The core rebuilds a bundle's data through the domain it names (bundle_v1, saved before
    domains existed, loads as finance: see the fixture tests)."""
    pre = json.loads((strong_bundle_dir / "preprocessing.json").read_text())
    assert pre["domain"] == "finance"
    assert load_bundle(strong_bundle_dir).preprocessing == strong_result.preprocessing
