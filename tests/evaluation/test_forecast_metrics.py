"""Forecast metrics per horizon, MASE's in-sample scale, interval coverage, and the forecasting verdict."""

import numpy as np
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.forecast_metrics import forecast_metrics, naive_scale
from pyanalytics.evaluation.task_metrics import compare_task_models, task_metrics_table
from pyanalytics.evaluation.verdict import task_verdict
from pyanalytics.models import LinearAR, NaiveForecast
from pyanalytics.tasks import TASKS


def test_naive_scale_is_the_mean_absolute_change_over_the_period():
    series = np.array([1.0, 3.0, 2.0, 6.0, 5.0])
    assert naive_scale(series) == pytest.approx((2 + 1 + 4 + 1) / 4)
    assert naive_scale(series, period=2) == pytest.approx((1 + 3 + 3) / 3)


@pytest.mark.parametrize(
    ("series", "period", "message"),
    [([1.0, 2.0], 2, "train_target: expected more than period=2 values"), ([4.0] * 5, 1, "never changes")],
)
def test_naive_scale_refuses_a_series_it_cannot_measure(series, period, message):
    with pytest.raises(DataError, match=message):
        naive_scale(series, period)


def test_forecast_metrics_are_computed_per_horizon_and_overall():
    rng = np.random.default_rng(0)
    y = rng.normal(size=(40, 3))
    pred = y + rng.normal(scale=[0.1, 0.5, 1.0], size=(40, 3))
    m = forecast_metrics(y, pred, scale=0.5)
    error = y - pred
    np.testing.assert_allclose(m["horizons"]["mae"], np.abs(error).mean(axis=0))
    np.testing.assert_allclose(m["horizons"]["rmse"], np.sqrt((error**2).mean(axis=0)))
    np.testing.assert_allclose(m["horizons"]["mase"], np.abs(error).mean(axis=0) / 0.5)
    assert m["mae"] == pytest.approx(np.abs(error).mean()) and m["mase"] == pytest.approx(m["mae"] / 0.5)
    assert m["rmse"] == pytest.approx(np.sqrt((error**2).mean())) and m["n"] == 40
    assert m["horizons"]["mae"][0] < m["horizons"]["mae"][1] < m["horizons"]["mae"][2]
    assert "coverage" not in m and "coverage" not in m["horizons"]


def test_interval_coverage_counts_the_actual_values_inside_the_bounds():
    y = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]])
    lower, upper = y - 1.0, y + 1.0
    upper[0, 0] = -0.5  # one value of horizon 1 falls above its interval
    m = forecast_metrics(y, y, scale=1.0, lower=lower, upper=upper, nominal=0.8)
    assert m["coverage"] == pytest.approx(7 / 8) and m["nominal"] == 0.8
    assert m["horizons"]["coverage"] == [0.75, 1.0]
    assert m["interval_width"] == pytest.approx((2.0 * 7 + 0.5) / 8)
    assert m["horizons"]["interval_width"] == pytest.approx([(0.5 + 6.0) / 4, 2.0])


def test_forecast_metrics_name_the_argument_that_does_not_fit():
    y = np.zeros((5, 2))
    with pytest.raises(DataError, match=r"pred: expected the shape of y \(5, 2\), got \(5, 3\)"):
        forecast_metrics(y, np.zeros((5, 3)), scale=1.0)
    with pytest.raises(DataError, match="scale: expected MASE's positive scale"):
        forecast_metrics(y, y, scale=0.0)
    with pytest.raises(DataError, match=r"upper: expected the shape of y"):
        forecast_metrics(y, y, scale=1.0, lower=y, upper=np.zeros(5))


def test_the_forecasting_task_is_scored_and_judged_by_mase_lower_is_better():
    """A linear AR on an AR(1) beats the naive forecast; compare_task_models needs the scale."""
    rng = np.random.default_rng(1)
    series = np.zeros(600)
    for t in range(1, 600):
        series[t] = 0.5 * series[t - 1] + rng.normal()
    X = np.lib.stride_tricks.sliding_window_view(series[:-2], 8)[..., None]
    y = np.lib.stride_tricks.sliding_window_view(series[8:], 2)
    models = {"linear_ar": LinearAR().fit(X[:400], y[:400]), "naive": NaiveForecast().fit(X[:400], y[:400])}
    task = TASKS["forecasting"]
    with pytest.raises(ParameterError, match="scale: the forecasting task needs MASE's scale"):
        compare_task_models(task, models, X[400:], y[400:])
    results = compare_task_models(task, models, X[400:], y[400:], scale=naive_scale(series[:409]))
    assert results["linear_ar"]["mase"] < results["naive"]["mase"]
    verdict = task_verdict(task, results, "linear_ar")
    assert verdict.judgement == "better" and verdict.metric == "mase" and verdict.baseline == "naive"
    assert verdict.sentence.startswith(f"linear_ar MASE {results['linear_ar']['mase']:.3f} vs best baseline naive")
    assert task_verdict(task, results, "naive").judgement == "worse"
    assert list(task_metrics_table(task, results).columns) == ["mae", "rmse", "mase"]


def test_the_forecasting_task_declares_one_linear_output_per_horizon():
    task = TASKS["forecasting"]
    assert (task.output_units(5), task.output_activation, task.loss) == (5, "linear", "mse")
    assert task.prediction_columns([1, 2, 3]) == ["h1", "h2", "h3"]
    assert (task.headline, task.higher_is_better, task.relative_margin) == ("mase", False, True)
    assert task.baselines == ("naive", "seasonal_naive", "linear_ar")
