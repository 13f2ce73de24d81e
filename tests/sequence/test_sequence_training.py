"""Training on one series: windows inside their parts, baselines beside the network, honest notes."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.sequence import train_forecaster, train_sequence_classifier
from pyanalytics.sequence.training import PERSISTENCE

from sequence_series import SMALL, switching_frame


def test_classifier_beats_majority_and_stands_beside_persistence(classifier_result):
    metrics = classifier_result.metrics
    assert set(metrics) == {"lstm", "majority_class", "last_step_logistic", PERSISTENCE}
    assert metrics["lstm"]["accuracy"] > metrics["majority_class"]["accuracy"] + 0.2
    # the state switches about once in 33 minutes: the previous label is right ~97 % of the time
    assert metrics[PERSISTENCE]["accuracy"] > 0.9
    assert classifier_result.verdict.judgement in {"better", "no_edge", "worse"}


def test_parts_count_windows_that_stay_inside_them(classifier_result):
    parts = classifier_result.parts
    # 900 rows: 15 % validation and test parts of 135 rows, gap 1 each side; 9 rows of each part start no window
    assert parts == {"train": 628 - 9, "validation": 135 - 9, "test": 135 - 9}
    test = classifier_result.test_sets["test"]
    assert len(test.times) == parts["test"] and test.X.shape == (parts["test"], 10, 2)


def test_windows_never_read_past_their_end(switching):
    """A spy: scoring the test windows of a series whose later rows are garbage gives the same
    windows, because each window ends at its own row."""
    result = train_sequence_classifier(switching, "occupied", time_column="date", window=10, seed=0,
                                       **{**SMALL, "epochs": 1})
    test = result.test_sets["test"]
    ends = switching.set_index("date").index.get_indexer(test.times)
    for X, end in zip(test.X[[0, -1]], ends[[0, -1]], strict=True):
        expected = switching[["light", "co2"]].to_numpy()[end - 9:end + 1]
        np.testing.assert_array_equal(X, expected)


def test_named_test_series_are_scored_each_and_an_earlier_one_is_noted(switching):
    earlier = switching_frame(300, seed=1).assign(date=pd.date_range("2023-12-01", periods=300, freq="min"))
    later = switching_frame(300, seed=2).assign(date=pd.date_range("2024-02-01", periods=300, freq="min"))
    result = train_sequence_classifier(switching, "occupied", time_column="date", window=10, seed=0,
                                       test_data={"before": earlier, "after": later}, **{**SMALL, "epochs": 1})
    assert list(result.test_sets) == ["before", "after"] and "test" not in result.parts
    assert result.metrics is result.test_sets["before"].metrics
    assert len(result.test_sets["after"].times) == 291
    assert any("'before'" in note and "not the future" in note for note in result.notes)
    assert not any("'after'" in note for note in result.notes)


def test_forecaster_and_linear_ar_beat_naive_on_a_planted_season(forecast_result):
    metrics = forecast_result.metrics
    assert set(metrics) == {"lstm", "naive", "seasonal_naive", "linear_ar"}
    assert metrics["linear_ar"]["mase"] < 1 and metrics["lstm"]["mase"] < 1
    assert metrics["naive"]["mase"] > metrics["linear_ar"]["mase"]
    assert len(metrics["lstm"]["horizons"]["mase"]) == 6
    assert forecast_result.scale > 0


def test_forecast_targets_stay_inside_each_part(forecast_result, seasonal):
    test = forecast_result.test_sets["test"]
    values = seasonal["value"].to_numpy()
    end = seasonal.set_index("time").index.get_loc(test.times[-1])
    np.testing.assert_array_equal(test.y[-1], values[end + 1:end + 7])
    assert end + 6 == len(seasonal) - 1  # the last test window's horizon ends at the series' last row


def test_bad_series_get_one_line_errors_naming_them(switching):
    shuffled = switching.iloc[[0, 2, 1, *range(3, len(switching))]]
    with pytest.raises(DataError, match=r"time column 'date': the time index is not increasing: row 1 goes back .* \(row 2\)"):
        train_sequence_classifier(shuffled, "occupied", time_column="date", window=10, **SMALL)
    gappy = switching.drop(index=range(100, 110))
    with pytest.raises(DataError, match=r"a gap of 0 days 00:11:00 .* is longer than max_gap=0 days 00:05:00"):
        train_sequence_classifier(gappy, "occupied", time_column="date", window=10, max_gap="5min", **SMALL)
    with pytest.raises(DataError, match=r"the train part has .* rows, which leave 0 windows of 700 steps"):
        train_sequence_classifier(switching, "occupied", time_column="date", window=700, **SMALL)
    with pytest.raises(DataError, match=r"window: 1000 steps is longer than the series 'the frame' \(900 rows\)"):
        train_sequence_classifier(switching, "occupied", time_column="date", window=1000, **SMALL)
    text = switching.astype({"co2": object})
    text.loc[5, "co2"] = "n/a"
    with pytest.raises(DataError, match=r"column 'co2': row 5 holds 'n/a', not a number; recurrent models read numeric"):
        train_sequence_classifier(text, "occupied", time_column="date", window=10, **SMALL)
    with pytest.raises(ParameterError, match="layers: not a network setting"):
        train_sequence_classifier(switching, "occupied", time_column="date", layers=3)
    with pytest.raises(DataError, match="label 'occupied': holds 1 class"):
        train_sequence_classifier(switching.assign(occupied=1), "occupied", time_column="date")


def test_forecaster_refuses_a_season_longer_than_the_window_before_training(seasonal, monkeypatch):
    from pyanalytics.models import LSTMForecaster

    monkeypatch.setattr(LSTMForecaster, "fit", lambda *args, **kwargs: pytest.fail("trained before refusing"))
    with pytest.raises(ParameterError, match="period: expected at most the window length 6, got 12"):
        train_forecaster(seasonal, "value", time_column="time", window=6, horizon=3, period=12, **SMALL)


def test_walk_forward_refits_per_fold_and_finds_the_season(seasonal):
    from pyanalytics.sequence.walk_forward import walk_forward_forecast

    seen = []
    result = walk_forward_forecast(seasonal, "value", time_column="time", window=24, horizon=6, period=12, n_folds=3,
                                   seed=0, on_fold=lambda fold, n, rows: seen.append((fold, n, len(rows))),
                                   **{**SMALL, "epochs": 2})
    assert seen == [(1, 3, 4), (2, 3, 4), (3, 3, 4)]
    folds = result.folds
    assert (folds["train_end"] < folds["test_start"]).all()
    gap = (folds["test_start"] - folds["train_end"]) / pd.Timedelta("1h")
    assert (gap == 7).all()  # the purge gap of 6 rows (the horizon) between them
    assert len(result.horizons) == 3 * 4 * 6
    means = result.mean_metrics()
    assert means["linear_ar"]["mase"] < 1 < means["naive"]["mase"]
    assert list(result.table().index)[0] == "lstm"
    assert result.verdict.metric == "mase"


def test_a_spy_sees_no_window_or_target_cross_a_part(monkeypatch):
    """The value of each row is its row number, so what fit receives shows which rows it read."""
    from pyanalytics.models import LSTMForecaster
    from pyanalytics.splits import chronological_split

    seen = {}
    real_fit = LSTMForecaster.fit

    def spy_fit(self, X, y, **kwargs):
        seen["train"] = (np.array(X), np.array(y))
        seen["validation"] = tuple(np.array(a) for a in kwargs["validation_data"])
        return real_fit(self, X, y, **kwargs)

    monkeypatch.setattr(LSTMForecaster, "fit", spy_fit)
    frame = pd.DataFrame({"value": np.arange(400.0)})
    result = train_forecaster(frame, "value", window=10, horizon=4, seed=0, **{**SMALL, "epochs": 1})
    parts = chronological_split(400, gap=4).parts()
    for name in ("train", "validation"):
        X, y = seen[name]
        rows = parts[name]
        assert X.min() == rows[0] and y.max() == rows[-1]  # the first window starts, the last target ends, in the part
        assert (X[:, -1, 0] + 1 == y[:, 0]).all() and (np.diff(X[:, :, 0], axis=1) == 1).all()
    test = result.test_sets["test"]
    assert test.X.min() == parts["test"][0] and test.y.max() == 399
