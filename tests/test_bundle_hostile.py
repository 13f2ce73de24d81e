"""Hostile bundles and save targets: names that escape, links, oversized files, malformed
fields, concurrent saves beside loads. Nothing is read or written outside the bundle, no load
returns a mixed bundle, and every refusal is one line."""

import dataclasses
import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest

from pyanalytics import bundle as bundle_package
from pyanalytics.bundle import files as bundle_files
from pyanalytics.bundle import load_bundle, save_bundle
from pyanalytics.errors import BundleError

QUIET_ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}


def _copy(bundle_dir, tmp_path, name="bundle"):
    return shutil.copytree(bundle_dir, tmp_path / name)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _set_manifest(folder, change):
    manifest = json.loads((folder / "manifest.json").read_text())
    change(manifest["files"])
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _rehash(folder):
    _set_manifest(folder, lambda files: files.update({n: _sha((folder / n).read_bytes()) for n in list(files)}))


def _refused(call, match) -> str:
    with pytest.raises(BundleError, match=match) as refused:
        call()
    message = str(refused.value)
    assert "\n" not in message
    return message


def _snapshot(root, skip=()):
    """Every file under ``root`` (outside ``skip``) with its bytes and modification time."""
    return {
        p: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and not any(s in p.parents for s in skip)
    }


@pytest.fixture(scope="module")
def loaded(strong_bundle_dir):
    return load_bundle(strong_bundle_dir)


# 1. Names outside the bundle format, and links -------------------------------------------------


@pytest.mark.parametrize("kind", ["traversal", "absolute", "extra"])
def test_a_manifest_name_that_is_not_a_bundle_file_is_refused_and_nothing_outside_is_read(
    strong_bundle_dir, tmp_path, kind
):
    folder = _copy(strong_bundle_dir, tmp_path / "deep" / "er")
    secret = tmp_path / "secret.txt"
    secret.write_text("a user's file")
    name = {"traversal": "../../../secret.txt", "absolute": str(secret), "extra": "notes.txt"}[kind]
    if kind == "extra":
        (folder / "notes.txt").write_text("a user's file")
    _set_manifest(folder, lambda files: files.update({name: _sha(b"a user's file")}))
    before = _snapshot(tmp_path)
    message = _refused(lambda: load_bundle(folder), "manifest.json lists .* which is not a bundle file")
    assert repr(name) in message
    assert _snapshot(tmp_path) == before


def test_a_copy_save_never_writes_a_name_outside_the_bundle_format(loaded, tmp_path):
    hostile = dataclasses.replace(loaded, files={**loaded.files, "../../escaped.txt": b"payload"})
    target = tmp_path / "a" / "b" / "copy"
    _refused(lambda: save_bundle(hostile, target), "refusing to write the file set")
    assert not list(tmp_path.rglob("escaped.txt")) and not target.exists()


@pytest.mark.parametrize("name", ["preprocessing.json", "model.keras"])
def test_a_symlink_inside_a_bundle_is_refused(strong_bundle_dir, tmp_path, name):
    folder = _copy(strong_bundle_dir, tmp_path)
    outside = tmp_path / f"outside-{name}"
    shutil.move(folder / name, outside)
    (folder / name).symlink_to(outside)  # same bytes, so the manifest's hash still matches
    _refused(lambda: load_bundle(folder), f"{name} is a symbolic link")


def test_a_bundle_path_that_links_to_a_bundle_directory_loads(strong_bundle_dir, tmp_path, loaded):
    link = tmp_path / "current"
    link.symlink_to(strong_bundle_dir, target_is_directory=True)
    assert load_bundle(link).files == loaded.files


def test_a_copy_save_writes_exactly_the_verified_bytes(loaded, tmp_path):
    target = save_bundle(loaded, tmp_path / "copy")
    assert {p.name: p.read_bytes() for p in target.iterdir()} == loaded.files
    assert [p.name for p in tmp_path.iterdir()] == ["copy"]


# 2. Only a verified bundle is ever replaced ----------------------------------------------------


def test_a_folder_with_a_stray_manifest_is_refused_and_untouched(strong_result, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "manifest.json").write_text('{"name": "my web app"}')
    (project / "analysis.py").write_text("keep me")
    before = _snapshot(tmp_path)
    message = _refused(lambda: save_bundle(strong_result, project), "exists and is not a pyanalytics bundle")
    assert "analysis.py" in message
    assert _snapshot(tmp_path) == before and [p.name for p in tmp_path.iterdir()] == ["project"]


def test_a_folder_with_only_a_foreign_manifest_is_refused_saying_why(strong_result, tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"name": "my web app"}')
    _refused(lambda: save_bundle(strong_result, folder), r"not a pyanalytics bundle \(format None")
    assert [p.name for p in folder.iterdir()] == ["manifest.json"]


def test_a_bundle_with_a_user_file_beside_it_is_not_replaced(strong_bundle_dir, strong_result, tmp_path):
    folder = _copy(strong_bundle_dir, tmp_path)
    (folder / "notes.txt").write_text("keep me")
    _refused(lambda: save_bundle(strong_result, folder), "it holds 'notes.txt'")
    assert (folder / "notes.txt").read_text() == "keep me"


def test_a_damaged_bundle_is_not_replaced(strong_bundle_dir, strong_result, tmp_path):
    folder = _copy(strong_bundle_dir, tmp_path)
    with open(folder / "metadata.json", "a") as file:
        file.write(" ")
    _refused(lambda: save_bundle(strong_result, folder), "not a pyanalytics bundle .*metadata.json does not match")


# 3. Concurrent saves and loads -----------------------------------------------------------------


def test_a_load_builds_everything_from_the_bytes_it_verified(strong_bundle_dir, walk_result, strong_result, tmp_path, monkeypatch):
    """A save landing between reading the JSON files and loading the network changes nothing."""
    target = _copy(strong_bundle_dir, tmp_path, "m")
    real_load_network = bundle_package._load_network

    def save_then_load_network(*args):
        walk_result.save(target)
        return real_load_network(*args)

    monkeypatch.setattr(bundle_package, "_load_network", save_then_load_network)
    first = load_bundle(target)
    X = strong_result.dataset.X
    np.testing.assert_array_equal(first.estimator.predict_proba(X), strong_result.estimator.predict_proba(X))
    assert first.metadata["data"]["sha256"] == strong_result.data_sha256


SAVER = """
import sys, time
from pyanalytics.bundle import load_bundle, save_bundle

first, second, target, seconds = sys.argv[1:5]
sources = [load_bundle(first), load_bundle(second)]
if sys.argv[5] == "reverse":
    sources.reverse()
saves, stop = 0, time.monotonic() + float(seconds)
while time.monotonic() < stop:
    save_bundle(sources[saves % 2], target)
    saves += 1
print(saves)
"""


@pytest.mark.slow
def test_loads_beside_two_saving_processes_are_never_mixed(strong_bundle_dir, walk_result, strong_result, tmp_path):
    other_dir = walk_result.save(tmp_path / "walk")
    target = _copy(strong_bundle_dir, tmp_path, "m")
    X = strong_result.dataset.X
    expected = {
        strong_result.data_sha256: strong_result.estimator.predict_proba(X),
        walk_result.data_sha256: walk_result.estimator.predict_proba(X),
    }
    args = [sys.executable, "-c", textwrap.dedent(SAVER), strong_bundle_dir, other_dir, target, "5"]
    savers = [subprocess.Popen([*args, order], env=QUIET_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for order in ("forward", "reverse")]
    seen = {key: 0 for key in expected}
    try:
        while any(s.poll() is None for s in savers):
            bundle = load_bundle(target)
            probabilities = expected[bundle.metadata["data"]["sha256"]]
            np.testing.assert_array_equal(bundle.estimator.predict_proba(X), probabilities)
            seen[bundle.metadata["data"]["sha256"]] += 1
    finally:
        outputs = [s.communicate() for s in savers]
    assert all(s.returncode == 0 for s in savers), [err[-2000:] for _, err in outputs]
    saves = sum(int(out) for out, _ in outputs)
    assert saves >= 20 and min(seen.values()) >= 1, (saves, seen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m", "walk"]  # no .tmp or .old left


def test_the_next_save_removes_the_leftovers_of_an_interrupted_one(loaded, tmp_path):
    target = save_bundle(loaded, tmp_path / "m")
    for leftover in (".m.k2j4x1.tmp", ".m.9f8e7d.old", ".other.k2j4x1.tmp"):
        (tmp_path / leftover).mkdir()
        (tmp_path / leftover / "model.keras").write_bytes(b"half")
    save_bundle(loaded, target.with_name("m2"))
    assert (tmp_path / ".m.k2j4x1.tmp").exists()  # another bundle's save leaves them alone
    save_bundle(loaded, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.k2j4x1.tmp", "m", "m2"]


# 4. Bounded resources --------------------------------------------------------------------------


def test_a_huge_listed_file_is_refused_without_reading_it(strong_bundle_dir, tmp_path):
    folder = _copy(strong_bundle_dir, tmp_path)
    with open(folder / "metadata.json", "r+b") as file:
        file.truncate(4 * 1024**3)  # sparse: 4 GiB on paper, nothing on disk
    _set_manifest(folder, lambda files: files.update({"metadata.json": "0" * 64}))
    started = time.perf_counter()
    _refused(lambda: load_bundle(folder), "metadata.json holds at least 4,294,967,296 bytes; the limit is 16,777,216")
    assert time.perf_counter() - started < 2.0


def test_a_model_archive_that_inflates_beyond_its_limit_is_refused_before_keras_opens_it(
    strong_bundle_dir, tmp_path, monkeypatch
):
    import keras

    folder = _copy(strong_bundle_dir, tmp_path)
    with zipfile.ZipFile(strong_bundle_dir / "model.keras") as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["config.json"] += b" " * (17 * 1024**2)  # still valid JSON, 17 MiB inflated
    with zipfile.ZipFile(folder / "model.keras", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert (folder / "model.keras").stat().st_size < 1024**2
    _rehash(folder)

    def keras_opened_it(*args, **kwargs):
        raise AssertionError("Keras opened the archive")

    monkeypatch.setattr(keras.saving, "load_model", keras_opened_it)
    _refused(lambda: load_bundle(folder), "model.keras member 'config.json' inflates to 17,8.* bytes; the limit is 16,777,216")


# 5. Malformed fields ---------------------------------------------------------------------------


def _drop(key):
    return lambda d: d.pop(key)


def _set(path, value):
    def change(document):
        *parents, last = path
        for key in parents:
            document = document[key]
        document[last] = value

    return change


MALFORMED = [
    ("preprocessing.json", _drop("horizon"), "key 'horizon' is missing"),
    ("preprocessing.json", _set(["horizon"], "1"), "key 'horizon': expected an integer >= 1, found '1'"),
    ("preprocessing.json", _set(["model"], "evil"), "key 'model': expected one of 'dnn', 'lstm', 'gru'"),
    ("preprocessing.json", _set(["threshold"], 1.5), "key 'threshold': expected a finite number in"),
    ("preprocessing.json", _set(["estimator", "threshold"], -0.1), "key 'estimator.threshold'"),
    ("preprocessing.json", _set(["estimator", "learned", "scaler_scale", 0], 0.0), r"key 'estimator.learned.scaler_scale\[0\]'"),
    ("preprocessing.json", _set(["estimator", "learned", "scaler_scale", 1], -2.0), r"key 'estimator.learned.scaler_scale\[1\]'"),
    ("preprocessing.json", _set(["estimator", "learned", "scaler_mean", 2], None), r"key 'estimator.learned.scaler_mean\[2\]'.*found null"),
    ("preprocessing.json", lambda d: d["estimator"]["learned"]["scaler_mean"].pop(), "key 'estimator.learned.scaler_mean': expected 17 values"),
    ("preprocessing.json", lambda d: d["estimator"]["feature_names"].reverse(), "key 'estimator.feature_names'"),
    ("preprocessing.json", _set(["estimator", "n_features"], 3), "key 'estimator.n_features'"),
    ("preprocessing.json", _set(["feature_spec", "return_lags"], [-1]), "key 'feature_spec'"),
    ("preprocessing.json", _set(["domain"], "weather"), "key 'domain': expected one of 'finance', 'tabular', 'anomaly', 'sequence', found 'weather'"),
    ("preprocessing.json", _set(["estimator", "params", "epochs"], -1), "key 'estimator.params'.*epochs"),
    ("preprocessing.json", _set(["estimator", "params", "rm_rf"], 1), "key 'estimator.params.rm_rf'"),
    ("preprocessing.json", _set(["window"], 20), "key 'window'"),
    ("preprocessing.json", lambda d: d.clear() or d.update({"model": []}), "key 'model'"),
    ("baselines.json", _set(["majority_class", "learned", "up_rate"], "high"), "key 'majority_class.learned.up_rate'"),
    ("baselines.json", lambda d: d["logistic_regression"]["learned"]["coef"].pop(), "key 'logistic_regression.learned.coef'"),
    ("baselines.json", _set(["previous_direction", "learned", "column"], 99), "key 'previous_direction.learned.column'"),
    ("baselines.json", _set(["evil"], {}), "key 'evil': expected only the keys"),
    ("metadata.json", _drop("out_of_sample_from"), "key 'out_of_sample_from' is missing"),
    ("metadata.json", _set(["out_of_sample_from"], "yesterday"), "key 'out_of_sample_from': expected a date"),
    ("metadata.json", _set(["data"], None), "key 'data': expected an object"),
]


@pytest.mark.parametrize(("name", "change", "expected"), MALFORMED, ids=[f"{n}:{e[:40]}" for n, _, e in MALFORMED])
def test_a_malformed_field_is_refused_naming_the_file_and_key(strong_bundle_dir, tmp_path, name, change, expected):
    folder = _copy(strong_bundle_dir, tmp_path)
    document = json.loads((folder / name).read_text())
    change(document)
    (folder / name).write_text(json.dumps(document))
    _rehash(folder)
    _refused(lambda: load_bundle(folder), f"{name} {expected}")


def test_nan_in_a_json_file_is_refused(strong_bundle_dir, tmp_path):
    folder = _copy(strong_bundle_dir, tmp_path)
    text = (folder / "preprocessing.json").read_text()
    (folder / "preprocessing.json").write_text(text.replace('"threshold": ', '"threshold": NaN, "_": ', 1))
    _rehash(folder)
    _refused(lambda: load_bundle(folder), "preprocessing.json is not valid JSON .*NaN")


def test_a_network_whose_input_differs_from_the_preprocessing_is_refused(strong_bundle_dir, strong_result, tmp_path):
    import keras

    folder = _copy(strong_bundle_dir, tmp_path)
    inputs = keras.Input(shape=(strong_result.estimator.n_features_in_ + 1,))
    keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(inputs)).save(folder / "model.keras")
    _rehash(folder)
    _refused(lambda: load_bundle(folder), r"model.keras maps inputs of shape \(1, 17\) to an error .*expected .*18")


# 6. Save targets that cannot be written --------------------------------------------------------


def test_saving_onto_a_symlink_is_refused_and_leaves_link_and_target_alone(strong_bundle_dir, strong_result, tmp_path):
    real = _copy(strong_bundle_dir, tmp_path, "real")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    before = _snapshot(tmp_path)
    _refused(lambda: save_bundle(strong_result, link), "it is a symbolic link")
    assert link.is_symlink() and _snapshot(tmp_path) == before


def test_a_parent_that_is_a_file_is_refused(loaded, tmp_path):
    (tmp_path / "models").write_text("not a folder")
    _refused(lambda: save_bundle(loaded, tmp_path / "models" / "m"), "'.*models' is a file, not a folder")
    assert [p.name for p in tmp_path.iterdir()] == ["models"]


def test_a_folder_that_cannot_be_written_is_refused_before_any_work(strong_result, tmp_path, monkeypatch):
    # Tests may run as root, whom chmod does not stop; simulate the refusal of a read-only folder.
    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(bundle_files.tempfile, "mkdtemp", read_only)
    monkeypatch.setattr(bundle_package, "data_files", lambda *a: pytest.fail("serialised before checking the target"))
    _refused(lambda: save_bundle(strong_result, tmp_path / "m"), "cannot create files in .*Permission denied")


@pytest.mark.parametrize("failing_write", [1, 5])
def test_a_full_disk_is_one_line_and_leaves_nothing_behind(loaded, tmp_path, monkeypatch, failing_write):
    target = save_bundle(loaded, tmp_path / "m")
    before = _snapshot(tmp_path)
    calls = []

    def full_disk(path, data):
        calls.append(path)
        if len(calls) == failing_write:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, data)

    real_write = bundle_files.write_file
    monkeypatch.setattr(bundle_files, "write_file", full_disk)
    message = _refused(lambda: save_bundle(loaded, tmp_path / "m2"), "writing failed \\(No space left on device\\)")
    assert "nothing was written" in message
    calls.clear()
    _refused(lambda: save_bundle(loaded, target), "No space left on device.*the previous bundle is kept")
    assert _snapshot(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["m"]


# 8. Which data a bundle is evaluated on --------------------------------------------------------


def test_a_bundle_tells_its_training_data_from_other_prices(loaded, strong_market, walk_market):
    assert loaded.data_match(strong_market).verdict == "training data"
    other = loaded.data_match(walk_market.loc[strong_market.index[0]:strong_market.index[-1]])
    assert other.verdict == "another instrument or revised data" and other.differing == other.compared > 0
    revised = strong_market.copy()
    revised.loc[revised.index[-100:], "close"] *= 1.01
    assert 0 < loaded.data_match(revised).differing < loaded.data_match(revised).compared
    later = strong_market.copy()
    later.index = later.index + (later.index[-1] - later.index[0]) + np.timedelta64(7, "D")
    unknown = loaded.data_match(later)
    assert unknown.verdict == "cannot tell" and "no overlapping dates" in unknown.describe()


def test_a_bundle_saved_without_the_data_fields_still_loads_and_cannot_tell(strong_bundle_dir, strong_market, tmp_path):
    folder = _copy(strong_bundle_dir, tmp_path)
    metadata = json.loads((folder / "metadata.json").read_text())
    for key in ("name", "fingerprint"):
        metadata["data"].pop(key)
    (folder / "metadata.json").write_text(json.dumps(metadata))
    _rehash(folder)
    match = load_bundle(folder).data_match(strong_market)
    assert match.verdict == "cannot tell" and "without a fingerprint" in match.describe()


def test_the_r_api_evaluate_says_whether_the_prices_are_the_training_data(strong_result, strong_market):
    from pyanalytics.interop import r_api

    assert r_api.evaluate(strong_result, strong_market)["data"]["verdict"] == "training data"
    revised = strong_market.assign(close=strong_market["close"] * 1.01)
    assert r_api.evaluate(strong_result, revised)["data"]["verdict"] == "another instrument or revised data"
