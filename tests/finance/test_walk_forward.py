"""walk_forward: every fold learns from its past only, predictions are stitched, scored and traded."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, FoldError, ParameterError
from pyanalytics.finance import random_walk, synthetic_market
from pyanalytics.finance.features import build_dataset
from pyanalytics.finance.walk_forward import EXPLAIN_DATES, WalkForwardResult, walk_forward
from pyanalytics.models import BASELINES, LSTMClassifier
from pyanalytics.models.base import DirectionClassifier
from pyanalytics.splits import WalkForward, chronological_split
from pyanalytics.finance.model_setup import ModelSetup

SMALL = {"hidden_units": (16, 8), "epochs": 5, "patience": 2, "learning_rate": 0.005}
GAP, EMBARGO = 2, 3


def _spied_run(prices, **options):
    """walk_forward with every fit (model and baselines) recorded, split into folds by on_fold."""
    calls, boundaries, progress = [], [], []
    real_fit = DirectionClassifier.fit

    def spy_fit(self, X, y, **kwargs):
        validation = kwargs.get("validation_data")
        calls.append({"model": type(self).__name__, "X": X, "validation": None if validation is None else validation[0]})
        return real_fit(self, X, y, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DirectionClassifier, "fit", spy_fit)
        result = walk_forward(prices, on_fold=lambda *args: (boundaries.append(len(calls)), progress.append(args)),
                              **options)
    per_fold = [calls[start:end] for start, end in zip([0, *boundaries], boundaries)]
    return result, per_fold, progress


@pytest.fixture(scope="module")
def strong_prices():
    return synthetic_market(2000, signal_strength=2.0, seed=11)


@pytest.fixture(scope="module")
def strong_run(strong_prices):
    """A DNN on a planted signal with a wide purge gap and an embargo, every fit spied on."""
    return _spied_run(strong_prices, folds=3, gap=GAP, embargo=EMBARGO, seed=0, model_params=SMALL, explain=True)


@pytest.fixture(scope="module")
def walk_run():
    """A long/short DNN after costs on a pure random walk."""
    return walk_forward(random_walk(3000, seed=12), folds=3, mode="long_short", cost_bps=5.0, seed=0,
                        model_params=SMALL)


@pytest.fixture(scope="module")
def tuned_run():
    """Horizon 3, each fold's threshold tuned on its validation rows for alpha 3, no trading costs."""
    return walk_forward(synthetic_market(1500, signal_strength=1.0, seed=6), folds=2, horizon=3, cost_fp=3.0,
                        tune_threshold=True, cost_bps=0.0, seed=0, model_params={**SMALL, "epochs": 3})


def _regime_market(drifts, days=300):
    """Random walks glued end to end, each with its own drift: the up-rate shifts from block to block."""
    parts, start, level = [], pd.Timestamp("2000-01-03"), 100.0
    for seed, drift in enumerate(drifts):
        part = random_walk(days, seed=seed, drift=drift, start=start)
        prices = [c for c in part.columns if c != "volume"]
        part[prices] *= level / part["adj_close"].iloc[0]
        parts.append(part)
        level, start = part["adj_close"].iloc[-1] * 1.001, part.index[-1] + pd.offsets.BDay()
    return pd.concat(parts)


@pytest.fixture(scope="module")
def regime_run():
    """Five blocks whose up-rate rises from about 0.35 to 0.65, cut into four test blocks."""
    return walk_forward(_regime_market([-0.006, -0.003, 0.0, 0.003, 0.006]), folds=4, seed=0,
                        model_params={**SMALL, "epochs": 1})


def _labelled_dates(prices, horizon=1):
    data = build_dataset(prices, horizon=horizon)
    return data.X.index[data.labelled]


# -- honesty ----------------------------------------------------------------------------------


def test_on_a_random_walk_nothing_is_found_and_trading_it_earns_nothing_significant(walk_run):
    assert 0.44 <= walk_run.metrics["dnn"]["roc_auc"] <= 0.56
    stats = walk_run.backtest.stats
    years = stats["n_days"] / 252
    assert walk_run.backtest.mode == "long_short" and walk_run.backtest.cost_bps == 5.0
    assert stats["sharpe"] * math.sqrt(years) < 2  # the Sharpe ratio's t-statistic


def test_a_planted_signal_is_found_out_of_sample(strong_run):
    result, _, _ = strong_run
    assert result.metrics["dnn"]["roc_auc"] >= 0.8
    assert (result.folds["roc_auc"] >= 0.65).all()  # fold 1 learns from ~400 rows in 5 epochs
    assert result.backtest.stats["sharpe"] > result.backtest.benchmark["sharpe"]


def test_no_fold_learns_from_a_date_inside_or_after_its_block_and_gap_plus_embargo_holds(strong_run, strong_prices):
    result, per_fold, _ = strong_run
    labelled = _labelled_dates(strong_prices)
    position = pd.Series(np.arange(len(labelled)), index=labelled)
    assert len(per_fold) == len(result.folds) == 3
    for fold, calls in zip(result.folds.itertuples(), per_fold):
        assert [c["model"] for c in calls] == ["DNNClassifier", *(cls.__name__ for cls in BASELINES.values())]
        first_test = position[fold.test_start]
        seen = [c["X"].index for c in calls] + [c["validation"].index for c in calls if c["validation"] is not None]
        last_seen = max(position[dates].max() for dates in seen)
        assert max(dates.max() for dates in seen) < fold.test_start
        assert first_test - last_seen - 1 == GAP + EMBARGO  # exactly the rows dropped, no more
        model = calls[0]
        assert position[model["validation"].index[0]] - position[model["X"].index[-1]] - 1 == GAP  # purged carve-out
        assert model["validation"].index[-1] == fold.validation_end and model["X"].index[-1] == fold.train_end
        for baseline in calls[1:]:  # the baselines see the model's training dates, not validation
            assert baseline["X"].index.equals(model["X"].index) and baseline["validation"] is None


def test_a_rolling_window_keeps_its_length_and_moves_forward():
    prices = synthetic_market(1400, signal_strength=1.0, seed=5)
    result, per_fold, _ = _spied_run(prices, folds=2, window_mode="rolling", train_size=300,
                                     model_params={**SMALL, "epochs": 1})
    labelled = _labelled_dates(prices)
    position = pd.Series(np.arange(len(labelled)), index=labelled)
    for fold, calls in zip(result.folds.itertuples(), per_fold):
        model = calls[0]
        first, last = position[model["X"].index[0]], position[model["validation"].index[-1]]
        assert last - first + 1 == 300 and position[fold.test_start] - last - 1 == 1
    assert result.folds["train_start"].is_monotonic_increasing and result.folds["train_start"].is_unique


def test_sequence_windows_stay_inside_their_fold_parts():
    prices = synthetic_market(1200, signal_strength=1.0, seed=4)
    window, gap = 5, 2
    seen = []
    real_fit = LSTMClassifier.fit

    def spy_fit(self, X, y, **kwargs):
        seen.append({"train": np.array(X), "validation": np.array(kwargs["validation_data"][0])})
        return real_fit(self, X, y, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LSTMClassifier, "fit", spy_fit)
        result = walk_forward(prices, model="lstm", window=window, folds=2, gap=gap,
                              model_params={"units": (8,), "epochs": 1, "batch_size": 64})
    X = build_dataset(prices).X
    date_of = {row.tobytes(): date for date, row in zip(X.index, X.to_numpy(dtype=np.float64))}
    labelled = _labelled_dates(prices)
    blocks = list(WalkForward(n_folds=2, gap=gap).split(len(labelled)))
    for number, (train, test) in enumerate(blocks, start=1):
        carve = chronological_split(len(train), validation=0.15, test=0.0, gap=gap)
        parts = {"train": labelled[train[carve.train]], "validation": labelled[train[carve.validation]]}
        for name, part in parts.items():
            windows = seen[number - 1][name]
            first_days = {date_of[w[0].tobytes()] for w in windows}
            last_days = {date_of[w[-1].tobytes()] for w in windows}
            assert min(first_days) == part[0] and max(last_days) == part[-1]  # never before the part
            assert len(windows) == len(part) - (window - 1)
        # the block's first window - 1 dates would reach back across the gap: not predicted
        predicted = result.predictions.index[result.predictions["fold"] == number]
        assert predicted.equals(labelled[test][window - 1:].rename("date"))


# -- the stitched series ----------------------------------------------------------------------


def test_predictions_cover_exactly_the_union_of_the_test_blocks(strong_run, strong_prices):
    result, _, _ = strong_run
    labelled = _labelled_dates(strong_prices)
    blocks = list(WalkForward(n_folds=3, gap=GAP, embargo=EMBARGO).split(len(labelled)))
    expected = labelled[np.concatenate([test for _, test in blocks])]
    assert result.predictions.index.equals(expected.rename("date"))
    for number, (_, test) in enumerate(blocks, start=1):
        in_fold = result.predictions.index[result.predictions["fold"] == number]
        assert in_fold.equals(labelled[test].rename("date"))
    assert result.folds["n_test"].sum() == len(result.predictions)


def test_prediction_columns_agree_with_the_data(strong_run, strong_prices):
    result, _, _ = strong_run
    p = result.predictions
    data = build_dataset(strong_prices)
    assert list(p.columns[:6]) == ["fold", "prob_up", "threshold", "signal", "label", "forward_return"]
    assert {f"prob_{name}" for name in BASELINES} <= set(p.columns)
    np.testing.assert_array_equal(p["label"], data.y[p.index].astype(int))
    np.testing.assert_allclose(p["forward_return"], data.forward_return[p.index])
    np.testing.assert_array_equal(p["signal"], (p["prob_up"] >= p["threshold"]).astype(int))
    assert p["prob_always_up"].eq(1.0).all()


def test_overall_metrics_are_those_of_the_stitched_predictions(strong_run):
    result, _, _ = strong_run
    from sklearn.metrics import roc_auc_score

    p = result.predictions
    assert set(result.metrics) == {"dnn", *BASELINES}
    assert result.metrics["dnn"]["roc_auc"] == pytest.approx(roc_auc_score(p["label"], p["prob_up"]))
    assert result.metrics["dnn"]["n"] == len(p)
    assert result.metrics["dnn"]["accuracy"] == pytest.approx((p["signal"] == p["label"]).mean())
    name, auc = result.best_baseline
    assert name in BASELINES and auc == max(result.metrics[n]["roc_auc"] for n in BASELINES)


def test_stitched_metrics_score_each_date_at_its_own_folds_threshold(tuned_run):
    p = tuned_run.predictions
    assert (tuned_run.folds["threshold"] != 0.5).all()  # else 0.5 and the folds' thresholds agree
    decided = p["signal"] == 1
    model = tuned_run.metrics["dnn"]
    assert model["accuracy"] == pytest.approx((p["signal"] == p["label"]).mean())
    assert model["confusion"] == {
        "tn": int((~decided & (p["label"] == 0)).sum()), "fp": int((decided & (p["label"] == 0)).sum()),
        "fn": int((~decided & (p["label"] == 1)).sum()), "tp": int((decided & (p["label"] == 1)).sum()),
    }


def test_the_backtest_holds_each_decision_for_the_horizon(tuned_run):
    """Each day's decision is a third of the book for three days (overlapping tranches), by hand."""
    prices = synthetic_market(1500, signal_strength=1.0, seed=6)
    closes = prices["adj_close"]
    signal = tuned_run.predictions["signal"]
    days = closes.loc[signal.index[0]:signal.index[-1]].index
    position = signal.reindex(days, fill_value=0).rolling(3, min_periods=1).sum() / 3
    earned = (closes.shift(-1) / closes - 1).loc[days]
    assert tuned_run.backtest.stats["total_return"] == pytest.approx(np.prod(1 + position * earned) - 1, rel=1e-9)
    np.testing.assert_allclose(tuned_run.backtest.daily["position"].to_numpy(), position.to_numpy())
    assert tuned_run.backtest.holding == 3


def test_a_constant_baseline_scores_one_half_in_every_fold_whatever_its_stitched_auc(regime_run):
    from sklearn.metrics import roc_auc_score

    assert regime_run.metrics["majority_class"]["roc_auc"] > 0.55  # pooled: it ranks whole folds by their up-rate
    assert (regime_run.fold_auc["majority_class"] == 0.5).all()
    assert regime_run.fold_auc_spread["majority_class"] == {"mean": 0.5, "std": 0.0, "min": 0.5, "max": 0.5,
                                                             "n_folds": 4}
    p = regime_run.predictions
    for name in regime_run.metrics:
        column = "prob_up" if name == "dnn" else f"prob_{name}"
        if name == "always_up":
            continue  # a single constant: sklearn agrees (0.5) but needs no check
        expected = [roc_auc_score(g["label"], g[column]) for _, g in p.groupby("fold")]
        np.testing.assert_allclose(regime_run.fold_auc[name], expected)


def test_the_auc_verdict_is_the_mean_per_fold_edge_with_its_standard_error(regime_run):
    edge, spread = regime_run.auc_edge, regime_run.fold_auc_spread
    baselines = {name: s["mean"] for name, s in spread.items() if name != "dnn"}
    assert edge["baseline_auc"] == max(baselines.values()) and baselines[edge["baseline"]] == edge["baseline_auc"]
    margins = regime_run.fold_auc["dnn"] - regime_run.fold_auc[edge["baseline"]]
    assert edge["edge"] == pytest.approx(margins.mean())
    assert edge["se"] == pytest.approx(margins.std() / 2) and edge["n_folds"] == 4
    assert spread["dnn"]["max"] == regime_run.folds["roc_auc"].max()
    summary = regime_run.summary()
    assert summary["auc_edge"] == edge and summary["fold_auc"]["majority_class"]["mean"] == 0.5


def test_fold_table_and_backtest_agree(strong_run):
    result, _, _ = strong_run
    folds = result.folds
    assert list(folds["fold"]) == [1, 2, 3]
    assert (folds["train_end"] < folds["validation_start"]).all() and (folds["validation_end"] < folds["test_start"]).all()
    assert (folds["test_end"].iloc[:-1].to_numpy() < folds["test_start"].iloc[1:].to_numpy()).all()
    assert result.backtest.daily.index[0] > result.predictions.index[0]  # the first decision earns the next day
    total = np.prod(1 + folds["strategy_return"]) - 1
    assert total == pytest.approx(result.backtest.stats["total_return"], rel=1e-9)
    bench = np.prod(1 + folds["buy_and_hold_return"]) - 1
    assert bench == pytest.approx(result.backtest.benchmark["total_return"], rel=1e-9)
    assert result.backtest.stats["start"] == result.predictions.index[0].date().isoformat()


def test_importance_per_fold(strong_run):
    result, _, _ = strong_run
    importance = result.importance
    assert list(importance.index) == [1, 2, 3] and importance.index.name == "fold"
    assert set(importance.columns) == set(result.config["features"])
    assert (importance.to_numpy() >= 0).all()
    assert (importance.idxmax(axis=1) == "volume_z_20").all()  # the planted signal, in every fold
    assert EXPLAIN_DATES <= result.folds["n_test"].min()


def test_summary_is_strict_json(strong_run):
    result, _, _ = strong_run
    summary = result.summary()
    assert summary["model"] == "dnn" and summary["embargo"] == EMBARGO and summary["gap"] == GAP
    assert summary["n_folds"] == 3
    assert len(summary["folds"]) == 3 and summary["folds"][0]["test_start"] == result.folds["test_start"][0].date().isoformat()
    assert summary["backtest"]["strategy"]["sharpe"] == result.backtest.stats["sharpe"]
    assert summary["best_baseline"]["name"] == result.best_baseline[0]
    assert set(summary["importance"]) == {"1", "2", "3"}
    # already plain: the standard library's strict encoder takes it as it is, and it reads back equal
    assert json.loads(json.dumps(summary, allow_nan=False)) == summary


def test_progress_reports_each_fold_in_order_with_its_row(strong_run):
    result, _, progress = strong_run
    assert [(fold, n) for fold, n, _ in progress] == [(1, 3), (2, 3), (3, 3)]
    for (_, _, row), table_row in zip(progress, result.folds.to_dict(orient="records")):
        assert row == {k: v for k, v in table_row.items() if k in row}
        assert set(table_row) - set(row) == {"strategy_return", "buy_and_hold_return"}


# -- failures ---------------------------------------------------------------------------------


def test_a_failing_fold_is_named_with_its_dates():
    prices = synthetic_market(900, seed=2)
    calls = []
    real_fit = ModelSetup.fit

    def failing_fit(self, dataset, rows, on_epoch=None):
        calls.append(1)
        if len(calls) == 2:
            raise ValueError("the GPU caught fire")
        return real_fit(self, dataset, rows, on_epoch)

    done = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ModelSetup, "fit", failing_fit)
        with pytest.raises(FoldError, match=r"^fold 2 of 3 \(train \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d, "
                                            r"test \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d\): the GPU caught fire$"):
            walk_forward(prices, folds=3, model_params={**SMALL, "epochs": 1}, on_fold=lambda *a: done.append(a[0]))
    assert done == [1]


def test_a_fold_too_small_to_carve_validation_names_the_fold_and_the_part():
    with pytest.raises(FoldError, match=r"^fold 1 of 3 .*: prices: 30 labelled rows leave 4 rows for the validation part"):
        walk_forward(synthetic_market(900, seed=2), folds=3, window_mode="rolling", train_size=30)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"model": "rnn"}, "model"),
        ({"folds": 1}, "folds"),
        ({"window_mode": "sliding"}, "window_mode"),
        ({"window_mode": "rolling"}, "train_size"),
        ({"embargo": -1}, "embargo"),
        ({"gap": 0}, "gap"),
        ({"validation": 1.0}, "validation"),
        ({"mode": "short_only"}, "mode"),
        ({"cost_bps": -1}, "cost_bps"),
        ({"slippage_bps": "5"}, "slippage_bps"),
        ({"window": 5}, "window"),
    ],
)
def test_bad_arguments_fail_before_anything_is_fitted(kwargs, name):
    with pytest.raises(ParameterError, match=f"^{name}"):
        walk_forward(synthetic_market(300, seed=1), **kwargs)


def test_too_little_history_for_the_folds_is_a_data_error():
    with pytest.raises(DataError, match="too few"):
        walk_forward(synthetic_market(60, seed=1), folds=20)
