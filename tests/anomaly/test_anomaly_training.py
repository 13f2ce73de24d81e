"""train_anomaly: normal rows learned, thresholds chosen on validation, metrics beside baselines."""

import numpy as np
import pytest

from pyanalytics.anomaly import train_anomaly
from pyanalytics.errors import DataError, ParameterError
from tests.anomaly.conftest import SMALL


def test_the_detector_learns_normal_rows_and_finds_planted_anomalies(planted_result):
    result = planted_result
    assert result.parts["train"] + result.parts["validation"] + result.parts["test"] < 600  # anomalies left out
    assert result.frames["train"]["y"].sum() == 0 and result.frames["test"]["y"].sum() > 0
    model = result.metrics["autoencoder"]
    assert model["roc_auc"] > 0.9 and model["pr_auc"] > 0.5  # anomalies are 7 % of the test rows
    assert set(result.metrics) == {"autoencoder", "isolation_forest", "pca", "supervised_ceiling"}
    assert result.notes[0].startswith(f"{600 - sum(result.parts.values()) } labelled anomalies")
    for part in ("validation", "test"):  # a part with under 10 anomalies is flagged as too thin to measure by
        count = result.frames[part]["y"].sum()
        assert any(note.startswith(f"the {part} part holds only {count} ") for note in result.notes) == (count < 10)


def test_each_model_flags_at_the_threshold_its_validation_rows_chose(planted_result):
    result = planted_result
    assert result.threshold.rule == "recall" and result.threshold.target == 0.8
    assert result.estimator.threshold_ == result.threshold.threshold
    assert result.threshold.chosen["recall"] >= 0.8
    test = result.test_frame
    flags = result.estimator.flag(test[list(result.preprocessing.feature_names)])
    assert result.metrics["autoencoder"]["alerts"] == flags.sum()


def test_the_summary_carries_the_rule_the_split_and_the_verdict(planted_result):
    summary = planted_result.summary()
    assert summary["task"] == "anomaly" and summary["label"] == "y" and summary["amount_column"] == "amount"
    assert summary["threshold"]["rule"] == "recall" and "validation" in summary["threshold"]
    assert "supervised ceiling" in summary["verdict"]["sentence"]


def test_unlabelled_data_flags_at_a_training_quantile_and_has_no_verdict(planted):
    result = train_anomaly(planted.drop(columns="y"), seed=0, **{**SMALL, "epochs": 3})
    assert result.threshold.rule == "quantile" and "supervised_ceiling" not in result.baselines
    assert np.isnan(result.metrics["autoencoder"]["roc_auc"]) and result.metrics["autoencoder"]["n"] == result.parts["test"]
    assert result.verdict.judgement == "undefined"


def test_a_cost_rule_reads_the_amount_column(planted):
    result = train_anomaly(planted, label="y", amount_column="amount", rule="cost", target=5.0, seed=0,
                           **{**SMALL, "epochs": 3})
    curve = result.threshold.curve
    assert result.threshold.rule == "cost" and result.threshold.chosen["cost"] == curve["cost"].min()


@pytest.mark.parametrize(
    ("change", "kwargs", "error", "message"),
    [
        (lambda f: f.assign(b=f["b"].astype(object).where(f.index != 7, "x")), {}, DataError, r"column 'b': row 7 holds 'x'"),
        (lambda f: f.assign(c=f["c"].where(f.index != 9, np.nan)), {}, DataError, r"column 'c': row 9 holds a missing value"),
        (lambda f: f.assign(d=f["d"].where(f.index != 3, np.inf)), {}, DataError, r"column 'd': row 3 holds an infinite value"),
        (lambda f: f.assign(k=1.5), {}, DataError, r"column 'k': constant \(1.5\) on all \d+ training rows"),
        (lambda f: f.assign(y=f["y"].where(f.index != 5, 2)), {}, DataError, r"label 'y': y holds 2 at row 5"),
        (lambda f: f, {"model": "pca"}, ParameterError, r"model: expected one of 'autoencoder'"),
        (lambda f: f, {"rule": "f1"}, ParameterError, r"rule: expected one of 'precision'"),
        (lambda f: f, {"validation": 0}, ParameterError, r"validation: expected a fraction"),
    ],
)
def test_bad_input_is_one_line_naming_it(planted, change, kwargs, error, message):
    with pytest.raises(error, match=message) as caught:
        train_anomaly(change(planted), label="y", **{**SMALL, "epochs": 1}, **kwargs)
    assert "\n" not in str(caught.value)


def test_a_validation_part_without_anomalies_is_refused_before_training(shared_data):
    """The real 0.17 % imbalance split by time leaves none of its 10 frauds in validation."""
    with pytest.raises(DataError, match=r"rule 'cost': the validation part holds none of the 10 labelled anomalies"):
        train_anomaly(shared_data("tabular/creditcard_random_2pct.csv"), label="Class", time_column="Time",
                      amount_column="Amount", rule="cost", target=5.0, epochs=1)


def test_a_rule_needing_labels_is_refused_without_them(planted):
    with pytest.raises(ParameterError, match=r"rule: 'precision' needs labelled rows"):
        train_anomaly(planted.drop(columns="y"), rule="precision", **{**SMALL, "epochs": 1})


def test_credit_card_duplicates_stay_in_one_part_and_time_orders_the_split(shared_data):
    result = train_anomaly(shared_data("tabular/creditcard_fraud_enriched.csv"), label="Class", time_column="Time",
                           amount_column="Amount", seed=0, **{**SMALL, "epochs": 2})
    frames = result.frames
    assert "Time" not in result.preprocessing.feature_names and "Amount" in result.preprocessing.feature_names
    assert frames["train"]["Time"].max() <= frames["validation"]["Time"].min()
    assert frames["validation"]["Time"].max() <= frames["test"]["Time"].min()
    keys = {name: set(map(tuple, frame.drop(columns="Time").round(6).to_numpy())) for name, frame in frames.items()}
    assert not keys["test"] & (keys["train"] | keys["validation"])
    assert any("19 rows repeat an earlier row" in note for note in result.notes)
