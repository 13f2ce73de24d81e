"""Sequence bundles: saved and loaded without pickle, the same predictions, scored on new series."""

import numpy as np
import pytest

from pyanalytics.bundle import load_bundle
from pyanalytics.errors import BundleError, DataError


@pytest.fixture(scope="module")
def classifier_bundle(classifier_result, tmp_path_factory):
    return load_bundle(classifier_result.save(tmp_path_factory.mktemp("seq") / "occupancy"))


@pytest.fixture(scope="module")
def forecast_bundle(forecast_result, tmp_path_factory):
    return load_bundle(forecast_result.save(tmp_path_factory.mktemp("seq") / "forecast"))


def test_a_loaded_classifier_predicts_what_it_predicted_when_trained(classifier_result, classifier_bundle, switching):
    test = classifier_result.test_sets["test"]
    predictions = classifier_bundle.predict(switching)
    assert list(predictions.columns) == ["prob_1", "class"]
    assert predictions.index[0] == switching["date"].iloc[9]  # the first whole window ends at the 10th row
    np.testing.assert_allclose(predictions.loc[test.times, "prob_1"],
                               classifier_result.estimator.predict_proba(test.X)[:, 1], rtol=1e-6)
    assert set(predictions["class"]) <= {0, 1}


def test_a_loaded_classifier_evaluates_with_persistence_beside_it(classifier_bundle, switching):
    evaluation = classifier_bundle.evaluate(switching.iloc[-200:])
    assert set(evaluation.table().index) == {"lstm", "majority_class", "last_step_logistic", "persistence"}
    assert evaluation.metrics["lstm"]["n"] == 191


def test_a_loaded_forecaster_forecasts_from_the_last_window(forecast_result, forecast_bundle, seasonal):
    last = forecast_bundle.predict(seasonal, last=True)
    assert list(last.columns) == [f"h{h}" for h in range(1, 7)] and last.index[0] == seasonal["time"].iloc[-1]
    window = seasonal[["value"]].to_numpy()[-24:][None]
    np.testing.assert_allclose(last.to_numpy(), forecast_result.estimator.predict(window), rtol=1e-6)
    evaluation = forecast_bundle.evaluate(seasonal.iloc[-150:])
    assert evaluation.metrics["linear_ar"]["mase"] < 1
    assert forecast_bundle.metadata["scale"] == pytest.approx(forecast_result.scale)


def test_a_frame_shorter_than_a_window_or_missing_a_column_is_refused(forecast_bundle, seasonal):
    with pytest.raises(DataError, match="shorter than one window of 24"):
        forecast_bundle.predict(seasonal.iloc[:10])
    with pytest.raises(DataError, match="features: column 'value' is not in the data"):
        forecast_bundle.predict(seasonal.drop(columns="value"))


def _edited(result, folder, name: str, edit) -> None:
    """Save ``result`` at ``folder``, change JSON file ``name`` with ``edit`` and re-sign the manifest
    (what a careless hand, not a broken disk, does)."""
    import json

    from pyanalytics.bundle.files import MANIFEST, manifest_bytes

    result.save(folder)
    document = json.loads((folder / name).read_text())
    edit(document)
    (folder / name).write_text(json.dumps(document))
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != MANIFEST}
    (folder / MANIFEST).write_bytes(manifest_bytes(files))


def test_a_bundle_whose_window_was_edited_is_refused(forecast_result, tmp_path):
    _edited(forecast_result, tmp_path / "edited", "preprocessing.json", lambda pre: pre.update(horizon=3))
    with pytest.raises(BundleError, match=r"maps a window of shape \(1, 24, 1\) to \(1, 6\); .* needs \(1, 3\)"):
        load_bundle(tmp_path / "edited")


def test_a_baseline_reading_another_feature_as_the_target_is_refused(forecast_result, tmp_path):
    _edited(forecast_result, tmp_path / "edited", "baselines.json", lambda b: b["naive"]["params"].update(target_index=2))
    with pytest.raises(BundleError, match="naive.params.target_index reads feature 2 as the target, but .* feature 0"):
        load_bundle(tmp_path / "edited")
