"""The report of a sequence model (issue 13, point 5): written atomically, every section there, the
metrics those of the result (persistence included), the confusion matrix per test set, forecasts
with their interval band, error and coverage per horizon, and a loaded bundle reported on labelled
series as its evaluate scores them.

Planted data (tests/sequence/sequence_series.py, fixtures in conftest.py); small networks and few epochs.
"""

import base64
import dataclasses
import html as markup
import os
import re
import xml.etree.ElementTree as ElementTree

import pandas as pd
import pytest
from sequence_series import SMALL, shapes_panel

from pyanalytics.bundle import load_bundle
from pyanalytics.errors import DataError, NotFittedError, ParameterError
from pyanalytics.models import LSTMForecaster
from pyanalytics.reports import plots
from pyanalytics.reports.html import format_number
from pyanalytics.sequence import report as sequence_report
from pyanalytics.sequence import train_forecaster, train_panel_classifier
from pyanalytics.sequence.explain import explain_sequences
from pyanalytics.sequence.report import write_sequence_report

CLASSIFIER_SECTIONS = {"performance", "confusion", "training", "setup"}
FORECAST_SECTIONS = {"performance", "forecasts", "horizons", "training", "setup"}


def _sections(page: str) -> set[str]:
    return set(re.findall(r'<(?:section|div) id="([^"]+)"', page))


def _images(page: str) -> list[tuple[str, bytes]]:
    return [(mime, base64.b64decode(data))
            for mime, data in re.findall(r'<img src="data:(image/[a-z+]+);base64,([A-Za-z0-9+/=]+)"', page)]


def _row(page: str, name: str) -> list[str]:
    """The cells of the first metrics-table row of model ``name``."""
    start = page.index(f'<span class="name">{name}</span>')
    row = page[start:page.index("</tr>", start)]
    return re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)


@pytest.fixture(scope="module")
def quantile_result(seasonal):
    return train_forecaster(seasonal, "value", time_column="time", window=24, horizon=6, period=12, seed=0,
                            quantiles=(0.1, 0.5, 0.9), **{**SMALL, "epochs": 10, "learning_rate": 1e-2})


@pytest.fixture(scope="module")
def classifier_page(classifier_result, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    target = write_sequence_report(classifier_result, folder / "out" / "room.html")
    assert target == folder / "out" / "room.html" and os.listdir(target.parent) == ["room.html"]
    return target.read_text(encoding="utf-8")


def test_a_classifier_report_has_every_section_and_its_figures(classifier_page):
    page = classifier_page
    assert CLASSIFIER_SECTIONS <= _sections(page)
    for heading in ("Performance against the baselines", "Probability and label over time", "Confusion matrix",
                    "Training curves", "Split", "Model configuration"):
        assert heading in page
    images = _images(page)
    assert len(images) == 2  # probability over time, training curves
    for mime, data in images:
        root = ElementTree.fromstring(data)
        assert mime == "image/svg+xml" and len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 20
    lowered = page.lower()
    assert "<script" not in lowered and "http://" not in lowered and "https://" not in lowered


def test_the_metrics_and_confusion_matrix_are_the_results(classifier_page, classifier_result):
    metrics = classifier_result.test_sets["test"].metrics
    for name in ("lstm", "majority_class", "last_step_logistic", "persistence"):
        expected = [format_number(metrics[name][k]) for k in
                    ("accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "brier")]
        assert _row(classifier_page, name)[:7] == expected
    confusion = metrics["lstm"]["confusion"]
    counts = re.findall(r'<span class="count">([^<]*)</span>', classifier_page)
    assert counts == [format_number(confusion[k]) for k in ("tn", "fp", "fn", "tp")]
    assert f"Persistence (each step&#39;s label is the one before) is right on {metrics['persistence']['accuracy']:.1%}" \
        in classifier_page


def test_a_forecaster_with_quantiles_shows_its_band_errors_and_coverage_per_horizon(quantile_result, tmp_path):
    page = write_sequence_report(quantile_result, tmp_path / "forecast.html").read_text(encoding="utf-8")
    assert FORECAST_SECTIONS <= _sections(page)
    assert "80% interval (band)" in page and "Interval coverage" not in page  # coverage sits beside MASE
    metrics = quantile_result.test_sets["test"].metrics
    assert f"{metrics['lstm']['coverage']:.1%} over every horizon" in page
    horizons = metrics["lstm"]["horizons"]
    table = page[page.index(">Horizon</th>"):]
    first = re.findall(r'<td class="num">([^<]*)</td>', table[table.index("<tbody>"):table.index("</tr>", table.index("<tbody>"))])
    assert first[:3] == ["1", format_number(horizons["mae"][0]), format_number(horizons["mase"][0])]
    assert first[-1] == f"{horizons['coverage'][0]:.0%}"
    assert len(_images(page)) == 4  # forecasts, MASE and coverage per horizon, training curves


def test_a_point_forecaster_shows_no_empty_interval_columns_but_its_error_per_horizon(forecast_result, tmp_path):
    page = write_sequence_report(forecast_result, tmp_path / "point.html").read_text(encoding="utf-8")
    assert FORECAST_SECTIONS <= _sections(page)
    assert ">Coverage</th>" not in page and ">Interval width</th>" not in page and "interval (band)" not in page
    assert "MAE at each step ahead, in the target's units." in page
    assert len(_images(page)) == 4  # forecasts, MASE and MAE per horizon, training curves


def test_explanations_given_add_the_summed_importance_and_the_methods_agreement(forecast_result, tmp_path):
    shap = explain_sequences(forecast_result, method="shap", n=2, n_samples=300)
    lime = explain_sequences(forecast_result, method="lime", n=2, n_samples=300)
    page = write_sequence_report(forecast_result, tmp_path / "explained.html",
                                 explanations={"shap": shap, "lime": lime}).read_text(encoding="utf-8")
    assert "importance" in _sections(page) and "Do LIME and SHAP agree?" in page
    assert "Mean absolute contribution over 2 explained windows" in page
    assert format_number(float(shap.global_importance()["value"]), 4) in page
    with pytest.raises(ParameterError, match=r"explanations\['lime'\]: holds a 'shap' explanation"):
        write_sequence_report(forecast_result, tmp_path / "bad.html", explanations={"lime": shap})
    assert not (tmp_path / "bad.html").exists()


def test_a_bundle_is_reported_on_named_series_as_its_evaluate_scores_them(classifier_result, switching, tmp_path):
    bundle = load_bundle(classifier_result.save(tmp_path / "room"))
    frames = {"morning": switching.iloc[:400], "afternoon": switching.iloc[400:]}
    page = write_sequence_report(bundle, tmp_path / "bundle.html", data=frames).read_text(encoding="utf-8")
    for name, frame in frames.items():
        assert f'<span class="name">{name}</span> · {len(frame) - 9} windows' in page
    evaluation = bundle.evaluate(frames["morning"])
    assert _row(page, "persistence")[0] == format_number(evaluation.metrics["persistence"]["accuracy"])
    assert markup.escape(evaluation.verdict.sentence, quote=True) in page
    assert "scored when trained (the bundle&#39;s metadata)" in page


def test_a_panel_classifier_is_reported_per_series_without_a_time_axis(tmp_path):
    result = train_panel_classifier(shapes_panel(60), "label", series_id="id", time_column="step", seed=0, **SMALL)
    page = write_sequence_report(result, tmp_path / "panel.html").read_text(encoding="utf-8")
    assert {"performance", "confusion", "setup"} <= _sections(page)
    assert "Probability and label over time" not in page and "classifies whole series by label" in page
    assert f"{len(result.test_sets['test'].times)} series" in page and "by series, stratified on the label" in page
    explanation = explain_sequences(result, method="lime", n=2, n_samples=300)
    assert list(pd.unique(explanation.frame["case"])) == list(result.test_sets["test"].times[-2:])  # series ids
    assert set(explanation.frame["label"]) <= {"up", "down", "bump"}


def test_a_failure_halfway_through_the_page_keeps_the_previous_report(classifier_result, tmp_path, monkeypatch):
    target = write_sequence_report(classifier_result, tmp_path / "room.html")
    before = target.read_bytes()

    def half_a_page(data, image_format):
        yield "<!DOCTYPE html><html><body>"
        raise RuntimeError("template failed")

    monkeypatch.setattr(sequence_report, "_chunks", half_a_page)
    with pytest.raises(RuntimeError, match="template failed"):
        write_sequence_report(classifier_result, target)
    assert target.read_bytes() == before and os.listdir(tmp_path) == ["room.html"]


def test_bad_sources_and_series_are_refused_and_nothing_is_written(classifier_result, forecast_result, switching,
                                                                  tmp_path, monkeypatch):
    bundle = load_bundle(forecast_result.save(tmp_path / "forecast"))
    target = tmp_path / "out.html"
    with pytest.raises(ParameterError, match="data: a loaded bundle keeps no series"):
        write_sequence_report(bundle, target)
    with pytest.raises(DataError, match="'co2'"):
        write_sequence_report(classifier_result, target, data=switching.drop(columns="co2"))
    with pytest.raises(NotFittedError, match="LSTMForecaster is not fitted"):
        write_sequence_report(dataclasses.replace(forecast_result, estimator=LSTMForecaster()), target)
    with pytest.raises(ParameterError, match="source: expected a SequenceResult"):
        write_sequence_report(object(), target)

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(plots, "forecast_windows_chart", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        write_sequence_report(forecast_result, target)
    assert not target.exists() and sorted(os.listdir(tmp_path)) == ["forecast"]
