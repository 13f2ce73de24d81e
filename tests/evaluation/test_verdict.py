"""One verdict on a model beside its baselines: the same judgement and sentence from the command
line, the HTML reports and R, and per-fold verdicts on the same margin."""

import dataclasses
import math

import numpy as np
import pytest

from pyanalytics.evaluation.verdict import AUC_EDGE, verdict


def _metrics(model_auc, **baselines):
    return {"dnn": {"roc_auc": model_auc}, **{name: {"roc_auc": auc} for name, auc in baselines.items()}}


@pytest.mark.parametrize(
    ("model_auc", "judgement"),
    [(0.526, "no_edge"), (0.524 + AUC_EDGE, "better"), (0.60, "better"), (0.50, "worse"), (math.nan, "undefined")],
)
def test_an_edge_counts_from_the_margin_on(model_auc, judgement):
    result = verdict(_metrics(model_auc, majority_class=math.nan, logistic_regression=0.524, always_up=0.5), "dnn")
    assert result.judgement == judgement
    assert "\n" not in result.sentence
    if judgement != "undefined":
        assert (result.baseline, result.baseline_value) == ("logistic_regression", 0.524)
        assert result.edge == pytest.approx(model_auc - 0.524)
        assert result.sentence.startswith(f"dnn ROC AUC {model_auc:.3f} vs best baseline logistic_regression 0.524: ")


def test_without_a_defined_baseline_there_is_no_verdict():
    result = verdict(_metrics(0.7, majority_class=math.nan), "dnn")
    assert result.judgement == "undefined" and result.badge == ("unknown", "No verdict")
    assert "no baseline has a defined ROC AUC" in result.sentence


@pytest.fixture(scope="module")
def close_call(strong_result):
    """A trained result whose test metrics put the model 0.002 ROC AUC above its best baseline."""
    metrics = {name: dict(m) for name, m in strong_result.metrics.items()}
    for name, m in metrics.items():
        m["roc_auc"] = 0.526 if name == "dnn" else 0.524 if name == "logistic_regression" else 0.5
    return dataclasses.replace(strong_result, metrics=metrics)


def test_the_report_the_cli_and_r_give_the_same_verdict(close_call):
    """AUC 0.526 against 0.524: the report's badge said "Beats the best baseline" while the
    command line said "no real edge"; now every front end says the one verdict."""
    from pyanalytics.cli.common import stdout
    from pyanalytics.cli.train import render_training
    from pyanalytics.interop import r_api
    from pyanalytics.reports.html import gather_report_data, render_report

    expected = verdict(close_call.metrics, "dnn")
    assert expected.judgement == "no_edge"

    page = render_report(gather_report_data(close_call))
    header = page[page.index("<header"):page.index("</header>")]
    assert '<div class="headline">No real edge over the best baseline</div>' in header
    assert expected.sentence in header

    with stdout.capture() as captured:
        render_training(close_call, "prices.csv", None)
    assert expected.sentence in " ".join(captured.get().split())
    assert close_call.summary()["verdict"]["judgement"] == "no_edge"

    from_r = r_api.summary(close_call)["verdict"]
    assert (from_r["judgement"], from_r["sentence"]) == ("no_edge", expected.sentence)


def _folds(model, **baselines):
    import pandas as pd

    return pd.DataFrame({"dnn": model, **baselines}, index=pd.RangeIndex(1, len(model) + 1, name="fold"))


@pytest.mark.parametrize(
    ("model", "judgement"),
    [
        ([0.58, 0.60, 0.62, 0.60], "better"),        # +0.085 over b (mean 0.515), standard error 0.01
        ([0.42, 0.44, 0.40, 0.42], "worse"),         # -0.095
        ([0.54, 0.52, 0.53, 0.52], "no_edge"),       # +0.0125: under AUC_EDGE
        ([0.75, 0.40, 0.70, 0.45], "inconsistent"),  # +0.06 on average, standard error 0.08
        ([math.nan] * 4, "undefined"),
    ],
)
def test_the_fold_edge_is_the_mean_margin_over_the_strongest_baseline_with_its_standard_error(model, judgement):
    from pyanalytics.evaluation.verdict import fold_edge, fold_edge_verdict

    aucs = _folds(model, constant=[0.5] * 4, b=[0.53, 0.51, 0.52, 0.50], c=[0.49, math.nan, 0.47, 0.50])
    edge = fold_edge(aucs, "dnn")
    assert edge["judgement"] == judgement
    verdict = fold_edge_verdict(edge)
    assert "\n" not in verdict
    if judgement == "undefined":
        assert verdict.startswith("ROC AUC is undefined in every fold")
        return
    margins = np.array(model) - np.array([0.53, 0.51, 0.52, 0.50])
    assert (edge["baseline"], edge["baseline_auc"]) == ("b", pytest.approx(0.515))
    assert edge["edge"] == pytest.approx(margins.mean()) and edge["n_folds"] == 4
    assert edge["se"] == pytest.approx(margins.std(ddof=1) / 2)
    assert verdict.startswith(f"dnn mean ROC AUC per fold {np.mean(model):.3f} vs best baseline b 0.515: "
                              f"edge {margins.mean():+.3f}, standard error {edge['se']:.3f} over 4 folds: ")
