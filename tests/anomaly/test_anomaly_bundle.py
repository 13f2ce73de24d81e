"""Anomaly bundles: saved and loaded without pickle, they score raw rows as the result did."""

import json

import numpy as np
import pytest

from pyanalytics.bundle import load_bundle
from pyanalytics.errors import BundleError, DataError
from tests.test_bundle_hostile import _rehash


@pytest.fixture(scope="module")
def saved(planted_result, tmp_path_factory):
    path = planted_result.save(tmp_path_factory.mktemp("anomaly") / "bundle")
    return path, load_bundle(path)


def test_a_loaded_bundle_scores_and_flags_as_the_result(planted_result, saved):
    _, bundle = saved
    test = planted_result.test_frame
    scores = planted_result.estimator.anomaly_score(test[list(planted_result.preprocessing.feature_names)])
    predicted = bundle.predict(test)
    assert list(predicted.columns) == ["score", "flag"] and predicted.index.equals(test.index)
    np.testing.assert_allclose(predicted["score"], scores, rtol=1e-6)
    assert (predicted["flag"] == (scores >= planted_result.threshold.threshold)).all()
    assert bundle.threshold == planted_result.threshold.threshold


def test_feature_errors_average_to_the_score(planted_result, saved):
    _, bundle = saved
    errors = bundle.feature_errors(planted_result.test_frame)
    assert list(errors.columns) == list(planted_result.preprocessing.feature_names)
    np.testing.assert_allclose(errors.mean(axis=1), bundle.predict(planted_result.test_frame)["score"], rtol=1e-5)


def test_evaluate_reproduces_the_test_metrics_of_the_saved_models(planted_result, saved):
    _, bundle = saved
    evaluation = bundle.evaluate(planted_result.test_frame)
    assert set(evaluation.metrics) == {"autoencoder", "pca", "supervised_ceiling"}  # the forest is not saved
    for name, metrics in evaluation.metrics.items():
        assert metrics["pr_auc"] == pytest.approx(planted_result.metrics[name]["pr_auc"], abs=1e-6)
    assert evaluation.verdict.metric == "pr_auc" and list(evaluation.table().index)[0] == "autoencoder"


def test_the_metadata_records_the_rule_and_the_forest_metrics(saved):
    path, bundle = saved
    assert bundle.metadata["threshold"]["rule"] == "recall"
    assert "isolation_forest" in bundle.metadata["metrics"]["test"]
    assert "isolation_forest" not in json.loads((path / "baselines.json").read_text())


def test_scoring_a_frame_missing_a_column_names_it(planted_result, saved):
    _, bundle = saved
    with pytest.raises(DataError, match=r"features: column 'c' is not in the data"):
        bundle.predict(planted_result.test_frame.drop(columns="c"))


def test_a_bundle_naming_an_unknown_baseline_is_refused(saved, tmp_path):
    path, bundle = saved
    copy = bundle.save(tmp_path / "copy")
    baselines = json.loads((copy / "baselines.json").read_text())
    baselines["oracle"] = baselines["pca"]
    (copy / "baselines.json").write_text(json.dumps(baselines))
    _rehash(copy)  # a consistent manifest, so the schema check is what refuses it
    with pytest.raises(BundleError, match=r"baselines.json key 'oracle': expected a saved baseline's name \(pca, supervised_ceiling\)"):
        load_bundle(copy)


@pytest.mark.parametrize("model", ["sparse", "denoising", "variational"])
def test_every_autoencoder_round_trips_through_a_bundle(planted, model, tmp_path):
    from pyanalytics.anomaly import train_anomaly
    from tests.anomaly.conftest import SMALL

    result = train_anomaly(planted, label="y", model=model, seed=0, **{**SMALL, "epochs": 2})
    bundle = load_bundle(result.save(tmp_path / model))
    test = result.test_frame
    expected = result.estimator.anomaly_score(test[list(result.preprocessing.feature_names)])
    np.testing.assert_allclose(bundle.predict(test)["score"], expected, rtol=1e-6)
    assert bundle.model_name == model
