"""Tabular bundles: the task and its prediction schema saved, loaded in another process, refused when damaged."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pyanalytics.bundle import load_bundle
from pyanalytics.data.preprocess import UnseenCategoryWarning
from pyanalytics.errors import BundleError, DataError
from tabular_frames import mixed_frame

COLUMNS = {"label": ["prob_yes", "class"], "kind": ["prob_high", "prob_low", "prob_mid", "class"], "amount": ["prediction"]}


@pytest.fixture(scope="module")
def saved(fitted, tmp_path_factory):
    """``saved(target)``: the path of the fitted model's bundle."""
    folder = tmp_path_factory.mktemp("tabular-bundles")

    def path(target):
        if not (folder / target).exists():
            fitted(target).save(folder / target)
        return folder / target

    return path


@pytest.mark.parametrize("target", ["label", "kind", "amount"])
def test_a_loaded_bundle_predicts_the_tasks_columns_in_the_responses_labels(saved, fitted, target):
    bundle = load_bundle(saved(target))
    rows = mixed_frame(20, seed=5)
    table = bundle.predict(rows)
    assert list(table.columns) == COLUMNS[target]
    if target != "amount":
        assert set(table["class"]) <= set(fitted(target).preprocessing.classes)
        probabilities = table.drop(columns="class").to_numpy()
        assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert bundle.task == fitted(target).task and bundle.target == target


@pytest.mark.parametrize("target", ["label", "kind", "amount"])
def test_evaluate_gives_the_metrics_beside_the_saved_baselines_and_the_verdict(saved, fitted, mixed, target):
    bundle = load_bundle(saved(target))
    result = bundle.evaluate(mixed)
    assert set(result.metrics) == set(fitted(target).metrics)
    assert result.metrics["dnn"]["n"] == len(mixed)
    assert list(result.table().index)[0] == "dnn"
    assert result.verdict.sentence.startswith("dnn ")


@pytest.mark.parametrize("target", ["label", "kind", "amount"])
def test_raw_rows_predict_as_their_inputs_frame_does_with_the_estimators_own_classes(saved, target):
    """Predicting raw rows skips the frame of inputs and the second pass for the classes; the
    columns are the same, and the class is the estimator's ``predict`` at its threshold."""
    bundle = load_bundle(saved(target))
    if target == "label":
        bundle.estimator.threshold_ = 0.7
    rows = mixed_frame(40, seed=3)
    inputs = bundle.preprocessing.features(rows)
    table = bundle.predict(rows)
    pd.testing.assert_frame_equal(table, bundle.preprocessing.prediction_frame(bundle.estimator, inputs))
    if target != "amount":
        assert list(table["class"]) == list(bundle.preprocessing.encoder.decode(bundle.estimator.predict(inputs)))
    if target == "label":
        assert list(table["class"] == "yes") == list(table["prob_yes"] >= 0.7)


def test_a_bundle_with_categorical_and_missing_values_predicts_identically_in_a_new_process(saved, fitted, tmp_path):
    model = fitted("kind")
    here = model.preprocessing.prediction_frame(model.estimator, model.preprocessing.features(mixed_frame(30, seed=9)))
    script = (
        "import sys; sys.path.insert(0, sys.argv[2]); from pyanalytics.bundle import load_bundle\n"
        "from tabular_frames import mixed_frame\n"
        "load_bundle(sys.argv[1]).predict(mixed_frame(30, seed=9)).to_json(sys.argv[3], orient='split', double_precision=15)"
    )
    output = tmp_path / "predictions.json"
    subprocess.run([sys.executable, "-c", script, str(saved("kind")), str(Path(__file__).parent), str(output)],
                   capture_output=True, text=True, check=True)
    there = pd.read_json(output, orient="split")
    assert list(there["class"]) == list(here["class"])
    np.testing.assert_allclose(there.drop(columns="class").to_numpy(), here.drop(columns="class").to_numpy(), rtol=1e-6)


def test_an_unseen_category_is_reported_and_predicted(saved):
    bundle = load_bundle(saved("label"))
    rows = mixed_frame(5, seed=1).assign(colour="purple")
    with pytest.warns(UnseenCategoryWarning, match="'colour' \\('purple' x5\\)") as caught:
        table = bundle.predict(rows)
    assert caught[0].filename == __file__  # the warning points at the caller's line
    assert len(table) == 5 and table["prob_yes"].notna().all()


def test_a_prediction_frame_lacking_a_training_column_is_one_line(saved):
    with pytest.raises(DataError, match="column 'colour': the model was trained with it") as error:
        load_bundle(saved("label")).predict(mixed_frame(5).drop(columns="colour"))
    assert "\n" not in str(error.value)


def _tamper(source, tmp_path, name, change):
    import hashlib
    import shutil

    folder = tmp_path / "tampered"
    shutil.copytree(source, folder)
    document = json.loads((folder / name).read_text())
    change(document)
    (folder / name).write_text(json.dumps(document))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


@pytest.mark.parametrize(("name", "change", "match"), [
    ("preprocessing.json", lambda d: d.update(task="ranking"), "preprocessing.json key 'task': expected one of binary"),
    ("preprocessing.json", lambda d: d["target"].update(classes=["high"]), "key 'target.classes': expected two or more"),
    ("preprocessing.json", lambda d: d["preprocessor"].update(format="x"), "key 'preprocessor': expected a valid preprocessor"),
    ("preprocessing.json", lambda d: d["estimator"].update(n_features=2), "key 'estimator.n_features'"),
    ("baselines.json", lambda d: d.pop("ridge", None) or d.pop("majority_class"), "baselines.json"),
    ("metadata.json", lambda d: d.update(parts=[]), "metadata.json key 'parts'"),
])
def test_a_damaged_tabular_bundle_is_refused_naming_file_and_key(saved, tmp_path, name, change, match):
    folder = _tamper(saved("kind"), tmp_path, name, change)
    with pytest.raises(BundleError, match=match) as error:
        load_bundle(folder)
    assert "\n" not in str(error.value)


def test_finance_bundles_still_load_as_before():
    bundle = load_bundle(Path(__file__).parents[1] / "fixtures" / "bundle_v1")
    assert bundle.preprocessing.DOMAIN == "finance" and hasattr(bundle, "evaluation_rows")
