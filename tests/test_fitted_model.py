"""One core result: every task's result shares FittedModel's verdict, table, history, summary and save."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from pyanalytics import domains
from pyanalytics.evaluation.task_metrics import binary_metrics
from pyanalytics.evaluation.verdict import task_verdict, verdict
from pyanalytics.tabular import TabularResult, train_tabular
from pyanalytics.tasks import TASKS
from pyanalytics.training import FittedModel, TrainingResult

SHARED = ("history", "best_epoch", "verdict", "metrics_table", "summary", "save")
COMMON_KEYS = ("task", "model", "features", "seed", "best_epoch", "metrics", "baselines", "verdict", "bundle")


@pytest.fixture(scope="module")
def tabular_result():
    """A tiny seeded network on a planted binary signal."""
    x = np.random.default_rng(0).normal(size=300)
    frame = pd.DataFrame({"x": x, "noise": np.random.default_rng(1).normal(size=300), "y": (x > 0).astype(int)})
    return train_tabular(frame, "y", hidden_units=(4,), epochs=5, seed=0)


@pytest.fixture(params=["direction", "tabular"])
def result(request, strong_result, tabular_result):
    return {"direction": strong_result, "tabular": tabular_result}[request.param]


def test_both_results_are_fitted_models_that_inherit_the_common_behaviour(strong_result, tabular_result):
    assert isinstance(strong_result, TrainingResult) and isinstance(tabular_result, TabularResult)
    for result in (strong_result, tabular_result):
        assert isinstance(result, FittedModel)
        for name in SHARED:
            assert getattr(type(result), name) is getattr(FittedModel, name), name
    assert not isinstance(tabular_result, TrainingResult)  # core modules tell the direction result apart


def test_the_common_behaviour_reads_the_result_it_is_called_on(result):
    expected = task_verdict(TASKS[result.task], result.metrics, result.model_name)
    assert result.verdict == expected
    assert result.history is result.estimator.history_ and "val_loss" in result.history
    assert result.best_epoch == result.estimator.best_epoch_
    table = result.metrics_table()
    assert list(table.index) == list(result.metrics)
    for name, metrics in result.metrics.items():
        assert table.loc[name].to_dict() == pytest.approx({k: metrics[k] for k in table.columns}, nan_ok=True)
    summary = result.summary(bundle="there")
    assert list(summary)[:2] == ["task", "model"] and list(summary)[-1] == "bundle"
    assert {key: summary[key] for key in COMMON_KEYS} == {
        "task": result.task, "model": result.model_name, "features": list(result.preprocessing.feature_names),
        "seed": result.seed, "best_epoch": result.best_epoch, "metrics": {"test": result.metrics["dnn"]},
        "baselines": {k: v for k, v in result.metrics.items() if k != "dnn"}, "verdict": expected.to_dict(),
        "bundle": "there",
    }


def test_a_direction_result_keeps_the_direction_verdict_and_table(strong_result):
    assert strong_result.task == "binary"
    assert strong_result.verdict == verdict(strong_result.metrics, "dnn")
    table = strong_result.metrics_table()
    # the binary metrics direction scoring reports; none it does not (PR AUC) as a column of NaN
    assert list(table.columns) == [k for k in TASKS["binary"].metric_names if k != "pr_auc"]
    assert table.loc["dnn", "roc_auc"] == strong_result.metrics["dnn"]["roc_auc"]


@dataclass(frozen=True)
class _Preprocessing:
    DOMAIN = "toy"
    feature_names = ("a", "b")


@dataclass(frozen=True, eq=False, kw_only=True)
class _ToyResult(FittedModel):
    task: str


_written = []


def _write(result, path):
    _written.append((result, path))
    return path


def test_a_new_task_gets_the_common_behaviour_and_saves_through_its_domain(monkeypatch):
    monkeypatch.setitem(domains._REGISTRY, "toy", f"{__name__}:_Preprocessing")
    monkeypatch.setitem(domains._WRITERS, "toy", f"{__name__}:_write")
    y, prob = [0, 1, 1, 0, 1, 0], [0.2, 0.9, 0.6, 0.4, 0.7, 0.45]
    metrics = {"dnn": binary_metrics(y, prob), "majority_class": binary_metrics(y, [0.5] * 6)}
    toy = _ToyResult(task="binary", model_name="dnn", estimator=None, baselines={},
                     preprocessing=_Preprocessing(), metrics=metrics, seed=3)

    assert toy.verdict.sentence == verdict(metrics, "dnn").sentence
    assert toy.summary()["features"] == ["a", "b"] and toy.summary()["best_epoch"] is None
    assert list(toy.metrics_table().columns) == list(TASKS["binary"].metric_names)
    assert toy.save("somewhere") == "somewhere" and _written == [(toy, "somewhere")]
