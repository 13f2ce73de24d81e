"""Panels of separate series, one label each: split by series, saved, and read back from long frames."""

import numpy as np
import pytest

from pyanalytics.bundle import load_bundle
from pyanalytics.errors import DataError
from pyanalytics.sequence import train_panel_classifier

from sequence_series import SMALL, shapes_panel


@pytest.fixture(scope="module")
def panel_result():
    return train_panel_classifier(shapes_panel(), "label", series_id="id", time_column="step", seed=0,
                                  **{**SMALL, "epochs": 15, "learning_rate": 1e-2})


def test_a_panel_classifier_learns_shapes_the_last_step_cannot_tell_apart(panel_result):
    metrics = panel_result.metrics
    assert panel_result.task == "multiclass" and panel_result.parts == {"train": 84, "validation": 18, "test": 18}
    assert metrics["lstm"]["accuracy"] >= 0.8
    assert metrics["majority_class"]["accuracy"] < 0.5
    assert set(panel_result.test_sets["test"].times) <= {f"s{i:03d}" for i in range(120)}


def test_a_panel_bundle_predicts_one_row_per_series(panel_result, tmp_path):
    bundle = load_bundle(panel_result.save(tmp_path / "panel"))
    fresh = shapes_panel(9, seed=5)
    predictions = bundle.predict(fresh)
    assert list(predictions.columns) == ["prob_bump", "prob_down", "prob_up", "class"]
    assert list(predictions.index) == sorted(fresh["id"].unique())
    assert bundle.evaluate(fresh).metrics["lstm"]["n"] == 9
    with pytest.raises(DataError, match="series of 10 steps x 1 features; the model reads series of 20 steps"):
        bundle.predict(shapes_panel(3, steps=10))


def test_a_panel_from_an_array_needs_labels():
    with pytest.raises(DataError, match="needs one label per series"):
        train_panel_classifier(np.zeros((30, 10)))
