"""The report of an anomaly detector (issue 12, point 7): written atomically, every section there,
the figures real images, the metrics those of the result, the ceiling kept apart, the threshold
curve and the top alerts' per-feature errors those of the detector, and a loaded bundle reported
on labelled rows.

Planted data: normal rows from a correlated Gaussian, anomalies that break the correlation, a
time column and an amount column; small networks and few epochs.
"""

import base64
import html as markup
import io
import os
import re
import xml.etree.ElementTree as ElementTree

import numpy as np
import pandas as pd
import pytest

from pyanalytics.anomaly import train_anomaly
from pyanalytics.anomaly.report import anomaly_report_data, render_anomaly_report, write_anomaly_report
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.thresholds import alert_curve
from pyanalytics.reports import plots
from pyanalytics.reports.html import format_number, format_signed
from pyanalytics.tasks import TASKS

SMALL = {"hidden_units": (8,), "code_size": 2, "epochs": 8, "patience": 3, "learning_rate": 1e-2}
SECTIONS = {"performance", "scores", "pr", "threshold", "errors", "training", "setup"}


def _planted(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 2))
    X = np.column_stack([base[:, 0], base[:, 1], base[:, 0] + 0.1 * rng.normal(size=n),
                         base[:, 1] - base[:, 0] + 0.1 * rng.normal(size=n)])
    anomalous = rng.random(n) < 0.06
    X[anomalous, 2] = -X[anomalous, 0] + rng.normal(size=anomalous.sum())  # the correlation broken
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["Amount"] = np.round(rng.gamma(2.0, 40.0, n), 2)
    frame["Time"] = np.arange(n, dtype=float)
    frame["Class"] = anomalous.astype(int)
    return frame


@pytest.fixture(scope="module")
def frame():
    return _planted()


@pytest.fixture(scope="module")
def fitted(frame):
    """``fitted(rule)``: a detector trained on the planted rows with its threshold chosen by ``rule``."""
    cache = {}

    def fit(rule):
        if rule not in cache:
            target = {"cost": 5.0, "recall": 0.8, "top_k": 15}[rule]
            cache[rule] = train_anomaly(frame, label="Class", time_column="Time", amount_column="Amount",
                                        rule=rule, target=target, seed=0, data_name="planted.csv", **SMALL)
        return cache[rule]

    return fit


@pytest.fixture(scope="module")
def page(fitted):
    return render_anomaly_report(anomaly_report_data(fitted("cost")))


def _section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start:page.index("</section>", start)]


def _images(page: str) -> list[tuple[str, bytes]]:
    return [(mime, base64.b64decode(data))
            for mime, data in re.findall(r'<img src="data:(image/[a-z+]+);base64,([A-Za-z0-9+/=]+)"', page)]


def test_the_report_is_written_atomically_with_every_section(fitted, tmp_path):
    target = write_anomaly_report(tmp_path / "out" / "fraud.html", fitted("cost"))
    assert target == tmp_path / "out" / "fraud.html" and os.listdir(target.parent) == ["fraud.html"]
    page = target.read_text(encoding="utf-8")
    assert SECTIONS <= set(re.findall(r'<(?:section|div) id="([^"]+)"', page))
    for heading in ("Performance against the baselines", "Scores per class", "Precision-recall curve",
                    "Cost by threshold", "Which fields look unusual: the top alerts", "Training curves", "Split"):
        assert f"{heading}</h2>" in page
    lowered = page.lower()
    assert "<script" not in lowered and "http://" not in lowered and "https://" not in lowered


def test_a_failure_while_drawing_keeps_the_previous_report(fitted, tmp_path, monkeypatch):
    target = write_anomaly_report(tmp_path / "fraud.html", fitted("cost"))
    before = target.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(plots, "error_heatmap", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        write_anomaly_report(target, fitted("cost"), title="new")
    assert target.read_bytes() == before and os.listdir(tmp_path) == ["fraud.html"]


def test_the_figures_are_real_svg_images(page):
    images = _images(page)
    assert len(images) == 5  # scores per class, PR curve, threshold curve, heatmap, training curves
    for mime, data in images:
        assert mime == "image/svg+xml"
        root = ElementTree.fromstring(data)
        assert root.tag.endswith("svg") and float(root.get("width").rstrip("pt")) > 100
        assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 20  # drawn lines, not an empty canvas


def test_the_figures_are_real_png_images(fitted):
    from PIL import Image

    images = _images(render_anomaly_report(anomaly_report_data(fitted("cost")), image_format="png"))
    assert len(images) == 5
    for mime, data in images:
        image = Image.open(io.BytesIO(data))
        assert mime == "image/png" and image.format == "PNG" and min(image.size) > 200
        assert len(np.unique(np.asarray(image.convert("L")))) > 20  # many shades: something was drawn


def test_the_metrics_table_is_the_results_with_the_ceiling_last_and_apart(page, fitted):
    result = fitted("cost")
    performance = _section(page, "performance")
    names = re.findall(r'<span class="name">([^<]*)</span>', performance)
    assert names == ["autoencoder", "isolation_forest", "pca", "supervised_ceiling"]
    rows = re.findall(r'<tr class="([^"]*)">(.*?)</tr>', performance, flags=re.S)
    for name, (kind, row) in zip(names, rows):
        cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
        expected = [format_number(result.metrics[name][m]) for m in TASKS["anomaly"].metric_names]
        assert cells == [*expected, format_number(result.metrics[name]["n"])]
    kind, ceiling = rows[-1]
    assert kind == "ceiling" and "saw the labels" in ceiling
    assert "num best" not in re.findall(r'<td class="([^"]*)"', ceiling)  # its best values are not marked
    [text] = re.findall(r'<div class="text">(.*?)</div>', page)
    assert markup.unescape(text).startswith(result.verdict.sentence)


def test_the_cost_curve_is_the_validation_curve_and_marks_the_chosen_threshold(page, fitted):
    result = fitted("cost")
    data = anomaly_report_data(result)
    assert data.curve is result.threshold.curve and data.curve_rows == "the validation part"
    assert data.validation == result.threshold.chosen
    threshold = _section(page, "threshold")
    chosen, test = result.threshold.chosen, result.metrics["autoencoder"]
    rows = dict(re.findall(r"<tr><td>([^<]+)</td>(.*?)</tr>", threshold, flags=re.S))
    assert re.findall(r'"num">([^<]*)<', rows["Precision"])[:2] == [format_number(chosen["precision"]),
                                                                     format_number(test["precision"])]
    assert re.findall(r'"num">([^<]*)<', rows["Recall"])[:2] == [format_number(chosen["recall"]),
                                                                  format_number(test["recall"])]
    test_rows = result.test_frame
    scores = result.estimator.anomaly_score(test_rows[list(result.preprocessing.feature_names)].to_numpy())
    missed = test_rows["Amount"][(test_rows["Class"] == 1).to_numpy() & (scores < result.threshold.threshold)].sum()
    expected_cost = missed + 5.0 * (scores >= result.threshold.threshold).sum()
    assert re.findall(r'"num">([^<]*)<', rows["Total cost"])[:2] == [format_number(chosen["cost"]),
                                                                      format_number(expected_cost)]
    assert "a missed anomaly costs its Amount and every alert a review fee of 5" in threshold


@pytest.mark.parametrize("rule", ["recall", "top_k"])
def test_other_rules_draw_precision_and_recall_on_the_labelled_validation_rows(fitted, rule):
    result = fitted(rule)
    data = anomaly_report_data(result)
    validation = result.frames["validation"]
    scores = result.estimator.anomaly_score(validation[list(result.preprocessing.feature_names)].to_numpy())
    expected = alert_curve(scores, validation["Class"].to_numpy())
    pd.testing.assert_frame_equal(data.curve, expected)  # a budget's own curve has no labels: drawn again with them
    flagged = scores >= result.threshold.threshold
    assert data.validation["alerts"] == flagged.sum()
    assert data.validation["recall"] == pytest.approx(validation["Class"].to_numpy()[flagged].sum()
                                                      / validation["Class"].sum())
    page = render_anomaly_report(data)
    assert "Precision, recall and alerts by threshold</h2>" in page and "Cost by threshold" not in page
    reached = result.metrics["autoencoder"]["recall"]
    assert ("Target recall 0.80" in page) == (rule == "recall")
    if rule == "recall":
        assert f"on the test part it is {reached:.3f} ({format_signed(reached - 0.8)})." in page


def test_the_heatmap_holds_the_top_scoring_test_rows_feature_errors(fitted):
    result = fitted("cost")
    data = anomaly_report_data(result, top_alerts=7)
    X = result.test_frame[list(result.preprocessing.feature_names)].to_numpy()
    scores = result.estimator.anomaly_score(X)
    top = np.argsort(-scores, kind="stable")[:7]
    assert data.errors.index.tolist() == result.test_frame.index[top].tolist()
    np.testing.assert_allclose(data.errors.to_numpy(), result.estimator.feature_errors(X[top]))
    np.testing.assert_allclose(data.errors.mean(axis=1).to_numpy(), scores[top], rtol=1e-6)  # a row's score
    page = render_anomaly_report(data)
    errors = _section(page, "errors")
    flagged = int((scores[top] >= result.threshold.threshold).sum())
    assert f"for the 7 highest-scoring rows of the test part ({flagged} of them flagged" in errors
    assert re.findall(r'<td class="name">([^<]*)</td>', errors) == [str(r) for r in result.test_frame.index[top]]


def test_the_split_summary_counts_each_parts_anomalies_and_keeps_the_notes(page, fitted):
    result = fitted("cost")
    split = _section(page, "setup")
    for part, rows in result.frames.items():
        assert re.search(rf"<td>{part}</td><td class=\"num\">{format_number(len(rows))}</td>"
                         rf"<td class=\"num\">{format_number(int(rows['Class'].sum()))}</td>", split)
    assert result.parts["train"] == len(result.frames["train"]) and result.frames["train"]["Class"].sum() == 0
    assert "planted.csv, split chronological by Time" in split
    for note in result.notes:
        assert markup.escape(note) in split


def test_a_bundle_is_reported_on_labelled_rows_as_its_evaluate_scores_them(fitted, frame, tmp_path):
    from pyanalytics.bundle import load_bundle

    result = fitted("cost")
    bundle = load_bundle(result.save(tmp_path / "bundle"))
    rows = frame.iloc[::3]
    data = anomaly_report_data(bundle, rows, data_label="every third row")
    assert data.metrics == bundle.evaluate(rows).metrics and "isolation_forest" not in data.metrics
    assert data.verdict.sentence == bundle.evaluate(rows).verdict.sentence
    scores = bundle.predict(rows)["score"].to_numpy()
    expected = alert_curve(scores, rows["Class"].to_numpy(), amounts=rows["Amount"].to_numpy(), review_fee=5.0)
    pd.testing.assert_frame_equal(data.curve, expected)
    assert data.curve_rows == "every third row" and data.validation == result.threshold.chosen
    pd.testing.assert_frame_equal(data.errors, bundle.feature_errors(rows.loc[data.errors.index]))
    page = write_anomaly_report(tmp_path / "b.html", bundle, rows, data_label="every third row").read_text()
    assert "scored on every third row (500 rows)" in page and "Not in a bundle: isolation_forest" in page
    assert anomaly_report_data(bundle, rows, data_label="planted.csv").caution.startswith(
        "planted.csv is the file the model was trained on")


def test_bad_sources_and_rows_are_refused_and_nothing_is_written(fitted, frame, tmp_path):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(fitted("cost").save(tmp_path / "bundle"))
    with pytest.raises(ParameterError, match="a loaded bundle keeps no rows to score"):
        write_anomaly_report(tmp_path / "r.html", bundle)
    with pytest.raises(ParameterError, match="expected an AnomalyResult or a loaded anomaly bundle"):
        write_anomaly_report(tmp_path / "r.html", {"task": "anomaly"})
    with pytest.raises(DataError, match="label: column 'Class' is not in the data"):
        write_anomaly_report(tmp_path / "r.html", bundle, frame.drop(columns=["Class"]))
    with pytest.raises(DataError, match="every scored row is normal; the report needs both classes"):
        write_anomaly_report(tmp_path / "r.html", bundle, frame[frame["Class"] == 0])
    with pytest.raises(ParameterError, match="top_alerts"):
        write_anomaly_report(tmp_path / "r.html", fitted("cost"), top_alerts=0)
    assert sorted(os.listdir(tmp_path)) == ["bundle"]


def test_the_page_escapes_names(fitted):
    evil = "<script>alert(1)</script>"
    page = render_anomaly_report(anomaly_report_data(fitted("cost"), title=evil))
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "default-src 'none'; img-src data:" in page


def test_a_detector_read_from_a_csv_is_reported_under_the_files_name(frame, tmp_path):
    frame.to_csv(tmp_path / "cards.csv", index=False)
    result = train_anomaly(tmp_path / "cards.csv", label="Class", time_column="Time", seed=0, **{**SMALL, "epochs": 2})
    assert result.data_name == "cards.csv"
    assert "trained on cards.csv" in render_anomaly_report(anomaly_report_data(result))


def test_a_detector_without_labels_is_refused_naming_why(frame, tmp_path):
    result = train_anomaly(frame.drop(columns=["Class"]), time_column="Time", seed=0, **{**SMALL, "epochs": 2})
    with pytest.raises(DataError, match="trained without a label column, so the report has no classes"):
        write_anomaly_report(tmp_path / "r.html", result)
    assert os.listdir(tmp_path) == []
