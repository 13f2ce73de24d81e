"""The report of a tabular model (issue 11, point 8): per-task sections, the verdict, the metrics
beside the baselines, the confusion matrix against scikit-learn's, training curves, explanations,
and nothing half-written on failure.

The models train on data sets that ship with scikit-learn: breast cancer (binary), wine
(multiclass) and diabetes (regression), a few columns each and few epochs.
"""

import html as markup
import os
import re

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation.verdict import task_verdict
from pyanalytics.reports import plots, render_tabular_report, tabular_report_data, write_tabular_report
from pyanalytics.reports.html import format_number
from pyanalytics.tasks import TASKS

SMALL = {"hidden_units": (8,), "epochs": 12, "patience": 4, "learning_rate": 1e-2}
TARGETS = {"binary": "diagnosis", "multiclass": "cultivar", "regression": "progression"}


def _dataset(task: str) -> pd.DataFrame:
    from sklearn import datasets

    if task == "binary":
        data = datasets.load_breast_cancer(as_frame=True)
        frame = data.frame[["mean radius", "mean texture", "mean smoothness", "worst concavity"]].copy()
        frame["diagnosis"] = np.asarray(data.target_names)[data.target]
    elif task == "multiclass":
        data = datasets.load_wine(as_frame=True)
        frame = data.frame[["alcohol", "flavanoids", "color_intensity", "proline"]].copy()
        frame["cultivar"] = np.asarray(["barolo", "grignolino", "barbera"])[data.target]
    else:
        data = datasets.load_diabetes(as_frame=True, scaled=False)
        frame = data.frame[["age", "sex", "bmi", "bp", "s5"]].copy()
        frame["sex"] = frame["sex"].map({1.0: "one", 2.0: "two"})  # a categorical column
        frame["progression"] = data.target
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


@pytest.fixture(scope="module")
def fitted():
    """``fitted(task)``: a small seeded network trained for the task, once per module."""
    from pyanalytics.tabular import train_tabular

    cache = {}

    def fit(task):
        if task not in cache:
            cache[task] = train_tabular(_dataset(task), TARGETS[task], seed=0, data_name=f"{task}.csv", **SMALL)
        return cache[task]

    return fit


@pytest.fixture(scope="module")
def pages(fitted):
    """``pages(task)``: the report of the task's result on its own test part."""
    cache = {}

    def page(task):
        if task not in cache:
            cache[task] = render_tabular_report(tabular_report_data(fitted(task)))
        return cache[task]

    return page


def _section_ids(page: str) -> set[str]:
    return set(re.findall(r'<(?:section|div) id="([^"]+)"', page))


def _header(page: str) -> str:
    return page[page.index("<header"):page.index("</header>")]


def _confusion_counts(page: str) -> np.ndarray:
    table = page[page.index('<table class="confusion matrix">'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr><th class=\"side name\">.*?</tr>", table, flags=re.S)
    return np.array([[int(c.replace(",", "")) for c in re.findall(r'<span class="count">([^<]*)</span>', row)]
                     for row in rows])


@pytest.mark.parametrize("task, sections, absent", [
    ("binary", {"roc", "confusion"}, {"fit", "residuals"}),
    ("multiclass", {"confusion"}, {"roc", "fit", "residuals"}),
    ("regression", {"fit", "residuals"}, {"roc", "confusion"}),
])
def test_each_task_renders_its_own_sections(pages, task, sections, absent):
    found = _section_ids(pages(task))
    assert {"performance", "training", "setup"} | sections <= found
    assert not absent & found
    assert "Residuals</h2>" in pages(task) if task == "regression" else "Residuals</h2>" not in pages(task)


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_the_verdict_sentence_is_task_verdicts(pages, fitted, task):
    result = fitted(task)
    expected = task_verdict(TASKS[task], result.metrics, result.model_name)
    [text] = re.findall(r'<div class="text">(.*?)</div>', _header(pages(task)))
    assert markup.unescape(text) == expected.sentence == result.verdict.sentence
    assert f'<div class="headline">{expected.badge[1]}</div>' in _header(pages(task))


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_the_metrics_table_has_the_model_then_its_baselines_with_their_test_metrics(pages, fitted, task):
    result = fitted(task)
    page = pages(task)
    performance = page[page.index('id="performance"'):page.index("</section>", page.index('id="performance"'))]
    names = re.findall(r'<span class="name">([^<]*)</span>', performance)
    assert names == ["dnn", *TASKS[task].baselines]
    rows = re.findall(r"<tr class=\"[^\"]*\">(.*?)</tr>", performance, flags=re.S)
    for name, row in zip(names, rows):
        cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
        expected = [format_number(result.metrics[name][m]) for m in TASKS[task].metric_names]
        assert cells == [*expected, format_number(result.metrics[name]["n"])]


@pytest.mark.parametrize("task", ["binary", "multiclass"])
def test_the_confusion_matrix_counts_are_scikit_learns(fitted, task, tmp_path):
    from sklearn.metrics import confusion_matrix

    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(fitted(task).save(tmp_path / "bundle"))
    frame = _dataset(task).iloc[::2]
    page = write_tabular_report(tmp_path / "r.html", bundle, frame, data_label="every other row").read_text()
    classes = bundle.preprocessing.classes
    expected = confusion_matrix(frame[TARGETS[task]], bundle.predict(frame)["class"], labels=classes)
    assert _confusion_counts(page).tolist() == expected.tolist()
    assert len(classes) == (2 if task == "binary" else 3)
    head = page[page.index('<table class="confusion matrix">'):page.index("</thead>", page.index("confusion matrix"))]
    assert re.findall(r'<th class="name">([^<]*)</th>', head) == classes
    assert f"scored on every other row ({len(frame)} rows)" in page


def test_the_confusion_cells_are_shaded_by_their_rows_share(pages, fitted):
    page = pages("multiclass")
    counts = _confusion_counts(page)
    cells = re.findall(r'<td class="cell[^"]*" style="([^"]*)"><span class="count">([^<]*)</span>'
                       r'<span class="meta">([^<]*)</span>', page)
    shares = (counts / counts.sum(axis=1, keepdims=True)).ravel()
    assert len(cells) == counts.size
    for (style, count, share), expected in zip(cells, shares):
        assert share == f"{expected:.0%}"
        if int(count):
            assert float(re.search(r",([\d.]+)\)$", style).group(1)) == pytest.approx(0.06 + 0.6 * expected, abs=1e-3)
        else:
            assert style == ""


def test_a_bundle_report_scores_the_given_rows_as_its_evaluate_does(fitted, tmp_path):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(fitted("regression").save(tmp_path / "bundle"))
    frame = _dataset("regression").iloc[:120]
    data = tabular_report_data(bundle, frame, data_label="the first 120 rows")
    assert data.metrics == bundle.evaluate(frame).metrics
    assert data.verdict.sentence == bundle.evaluate(frame).verdict.sentence
    assert data.source == "bundle" and data.data_name == "regression.csv" and data.parts == fitted("regression").parts
    np.testing.assert_allclose(data.predicted, bundle.predict(frame)["prediction"].to_numpy())
    page = render_tabular_report(data)
    assert "scored on the first 120 rows (120 rows)" in page and 'id="residuals"' in page
    assert data.caution is None and 'class="caution"' not in page
    same_file = tabular_report_data(bundle, frame, data_label="regression.csv")
    assert same_file.caution.startswith("regression.csv is the file the model was trained on")


def test_the_results_own_test_part_gives_its_training_metrics(fitted):
    result = fitted("binary")
    data = tabular_report_data(result)
    assert data.metrics == result.metrics
    assert len(data.labels) == result.parts["test"] and data.scored == "the test part"


def test_the_training_curves_mark_the_epoch_the_model_kept(pages, fitted):
    page = pages("regression")
    estimator = fitted("regression").estimator
    training = page[page.index('id="training"'):page.index("</section>", page.index('id="training"'))]
    epochs = len(estimator.history_["loss"])
    assert f"Best epoch {estimator.best_epoch_} of {epochs}" in training
    assert "mean squared error per epoch on the training part and on the validation part" in training
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="Training curves', training)


def test_a_frame_without_the_response_is_refused_and_nothing_is_written(fitted, tmp_path):
    frame = _dataset("binary").drop(columns=["diagnosis"])
    with pytest.raises(DataError, match="target 'diagnosis': no such column"):
        write_tabular_report(tmp_path / "r.html", fitted("binary"), frame)
    assert os.listdir(tmp_path) == []


def test_a_bundle_needs_rows_to_score(fitted, tmp_path):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(fitted("binary").save(tmp_path / "bundle"))
    with pytest.raises(ParameterError, match="a loaded bundle keeps no rows to score"):
        write_tabular_report(tmp_path / "r.html", bundle)
    with pytest.raises(ParameterError, match="expected a TabularResult or a loaded tabular bundle"):
        write_tabular_report(tmp_path / "r.html", {"task": "binary"})
    assert sorted(os.listdir(tmp_path)) == ["bundle"]


def test_a_failure_while_drawing_keeps_the_previous_report(fitted, tmp_path, monkeypatch):
    target = write_tabular_report(tmp_path / "r.html", fitted("regression"))
    before = target.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(plots, "residuals_chart", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        write_tabular_report(target, fitted("regression"), title="new")
    assert target.read_bytes() == before and os.listdir(tmp_path) == ["r.html"]


def test_the_page_is_self_contained_and_escapes_names(fitted):
    import dataclasses

    result = fitted("multiclass")
    evil = "<script>alert(1)</script>"
    data = dataclasses.replace(tabular_report_data(result, title=evil), classes=[evil, "grignolino", "barbera"])
    page = render_tabular_report(data)
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    lowered = page.lower()
    assert "<script" not in lowered and "http://" not in lowered and "https://" not in lowered
    assert "default-src 'none'; img-src data:" in page


@pytest.fixture(scope="module")
def shap_explanation(fitted):
    """SHAP on the binary network's test rows, indexed by dates (the explainer's direction contract)."""
    from pyanalytics.explain import explain

    result = fitted("binary")
    X = result.preprocessing.features(result.test_frame)
    X.index = pd.date_range("2020-01-01", periods=len(X), freq="D", name="date")
    return explain(result.estimator, X, method="shap", last=4, n_samples=20, seed=0), X


def _as_rows(explanation, X, result):
    """The same explanation in the tabular contract: each case the row's label, the class explained."""
    from pyanalytics.explain.result import ExplanationResult

    rows = dict(zip(X.index, result.test_frame.index))
    frame = explanation.frame.assign(case=explanation.frame["case"].map(rows), label=result.preprocessing.classes[1])
    return ExplanationResult(frame, explanation.method, explanation.model_name, explanation.explainer,
                             explanation.quality)


def test_explanations_of_rows_show_each_row_label_as_text_with_its_actual_class(fitted, shap_explanation):
    result = fitted("binary")
    explanation, X = shap_explanation
    by_row = _as_rows(explanation, X, result)
    page = render_tabular_report(tabular_report_data(result, explanations={"shap": by_row}, cases=2))
    assert {"importance", "cases"} <= _section_ids(page)
    heads = re.findall(r'<div class="case-head">(.*?)</div>', page, flags=re.S)
    shown = list(pd.unique(by_row.frame["case"]))[:2]
    assert len(heads) == 2
    for head, row in zip(heads, shown):
        assert f'<span class="date">{row}</span>' in head
        assert f"actual <b>{result.test_frame.at[row, 'diagnosis']}</b>" in head
        prob = by_row.frame.loc[by_row.frame["case"] == row, "label_prob"].iloc[0]
        assert f"probability of {result.preprocessing.classes[1]} <b>{format_number(prob)}</b>" in head
    assert "Mean absolute contribution over 4 explained rows" in page
    top = explanation.global_importance().index[0]
    assert re.search(rf'<td class="name">{re.escape(top)}</td>', page)


def test_explanations_of_dates_show_each_date(fitted, shap_explanation):
    explanation, _ = shap_explanation
    page = render_tabular_report(tabular_report_data(fitted("binary"), explanations={"shap": explanation}, cases=1))
    first = pd.Timestamp(explanation.cases[0])
    assert f'<span class="date">{first.date().isoformat()}</span>' in page
    assert "actual <b>" not in page  # a date is not a scored row: no actual value to show
