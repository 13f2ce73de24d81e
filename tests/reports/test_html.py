"""write_report: one self-contained, escaped HTML file with the expected sections, written atomically."""

import os
import re
import subprocess
import sys

import pytest

from report_fakes import make_explanations
from pyanalytics.errors import ParameterError
from pyanalytics.reports import from_training, html, plots, render_report, write_report

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def report_html(report_result, explanations, tmp_path_factory):
    path = write_report(tmp_path_factory.mktemp("report") / "report.html", report_result,
                        explanations=explanations, title="ACME & Co — DNN")
    return path.read_text(encoding="utf-8")


def _section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    end = page.find("<section", start)
    return page[start:end if end != -1 else None]


def test_the_report_has_every_section(report_html, report_result):
    page = report_html
    for section in ("performance", "errors", "cost", "importance", "cases", "setup"):
        assert f'<section id="{section}"' in page
    for heading in ("Performance against the baselines", "ROC curve", "Confusion matrix", "Cost curve",
                    "Global feature importance", "Do LIME and SHAP agree?", "The most recent explained dates",
                    "Data", "Model configuration"):
        assert f">{heading}</h" in page
    performance = _section(page, "performance")
    for name in report_result.metrics:
        assert f'<span class="name">{name}</span>' in performance
    assert "Expected cost" in performance
    assert page.count('<article class="card case">') == 3
    assert "ACME &amp; Co — DNN" in page  # the title, escaped


def test_the_header_gives_the_verdict_and_the_period(report_html, report_result):
    from pyanalytics.evaluation.verdict import verdict

    judged = verdict(report_result.metrics, "dnn")
    header = report_html[report_html.index("<header"):report_html.index("</header>")]
    assert f'<div class="headline">{judged.badge[1]}</div>' in header and judged.sentence in header
    test = report_result.periods["test"]
    assert f"{test['start']} → {test['end']}" in header
    assert f"{report_result.metrics['dnn']['roc_auc']:.3f}" in header


def test_the_importance_chart_says_how_many_features_it_shows(report_html, report_result):
    importance = _section(report_html, "importance")
    n = report_result.dataset.X.shape[1]
    assert n > html.IMPORTANCE_FEATURES
    caption = re.search(r"<figcaption>([^<]*)</figcaption>", importance).group(1)
    assert caption.startswith(f"The top {html.IMPORTANCE_FEATURES} of {n} features")


def test_numbers_sit_in_right_aligned_cells(report_html):
    performance = _section(report_html, "performance")
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', performance)
    assert len(cells) == 5 * 8
    assert all(re.fullmatch(r"[\d,]+(\.\d{3})?|–", c) for c in cells)


def test_confusion_counts_match_the_metrics(report_html, report_result):
    errors = _section(report_html, "errors")
    confusion = report_result.metrics["dnn"]["confusion"]
    for key in ("tn", "fp", "fn", "tp"):
        assert re.search(rf'<span class="count">{confusion[key]}</span><span class="meta">{key.upper()} ·', errors)


def test_without_explanations_or_costs_those_sections_are_left_out(report_result):
    import dataclasses

    page = render_report(from_training(dataclasses.replace(report_result, alpha=1.0)))
    assert 'id="performance"' in page and 'id="setup"' in page
    for section in ("cost", "importance", "cases"):
        assert f'id="{section}"' not in page


def test_names_from_data_are_escaped_text_never_markup(report_result, tmp_path):
    evil = make_explanations(report_result, 3, rename={"volume_z_20": EVIL, "macd": 'x" onload="alert(2)'})
    page = write_report(tmp_path / "r.html", report_result, explanations=evil, cases=1,
                        title=f"<b>{EVIL}</b>").read_text(encoding="utf-8")
    assert EVIL not in page and "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '" onload="' not in page and "x&#34; onload=&#34;alert(2)" in page
    assert "&lt;b&gt;&lt;script&gt;" in page  # the title too
    # every image is a base64 data: URI made by matplotlib, never a raw string
    sources = re.findall(r'<img src="([^"]*)"', page)
    assert sources and all(re.fullmatch(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+", s) for s in sources)


def test_the_file_is_self_contained_with_no_network_references(report_html):
    lowered = report_html.lower()
    assert "http://" not in lowered and "https://" not in lowered
    assert "<script" not in lowered and "<link" not in lowered and "@import" not in lowered
    assert "url(" not in lowered and "<iframe" not in lowered
    assert re.findall(r'\b(?:src|href)="([^"#][^"]*)"', report_html) == [
        s for s in re.findall(r'\bsrc="([^"]*)"', report_html) if s.startswith("data:image/")
    ]
    assert "default-src 'none'; img-src data:" in report_html  # the CSP forbids scripts and requests


def test_png_figures_are_available(report_result, tmp_path):
    page = write_report(tmp_path / "r.html", report_result, image_format="png").read_text()
    assert re.findall(r'<img src="data:image/png;base64,', page)
    with pytest.raises(ParameterError, match="image_format"):
        write_report(tmp_path / "bad.html", report_result, image_format="gif")
    assert not (tmp_path / "bad.html").exists()


def test_write_report_replaces_and_returns_the_path(report_result, explanations, tmp_path):
    data = from_training(report_result, explanations, cases=1)
    target = tmp_path / "sub" / "dir" / "report.html"
    assert write_report(target, data) == target
    assert target.read_text(encoding="utf-8") == render_report(data)
    assert os.stat(target).st_mode & 0o777 == 0o644
    write_report(target, data)
    assert os.listdir(target.parent) == ["report.html"]


def test_a_failure_while_drawing_leaves_no_file(report_result, explanations, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(plots, "waterfall_chart", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        write_report(tmp_path / "report.html", report_result, explanations=explanations)
    assert os.listdir(tmp_path) == []


def test_a_failure_mid_render_leaves_no_file_and_no_temporary_file(report_result, explanations, tmp_path,
                                                                    monkeypatch):
    data = from_training(report_result, explanations, cases=1)
    chunks = html._chunks(data, "svg")  # figures drawn; the template has not started yet
    written_before_failure = []
    real, calls = html.format_number, []

    def failing(value, digits=3):  # the template's number filter, failing halfway through the page
        calls.append(value)
        if len(calls) > 2:  # the header and the metrics table are already written by then
            written_before_failure.extend((p.name, p.stat().st_size) for p in tmp_path.iterdir())
            raise RuntimeError("render failed")
        return real(value, digits)

    monkeypatch.setattr(html, "format_number", failing)
    monkeypatch.setattr(html, "_chunks", lambda *args: chunks)
    with pytest.raises(RuntimeError, match="render failed"):
        write_report(tmp_path / "report.html", data)
    # the page was being written to a temporary file beside the target when it failed ...
    [(name, size)] = written_before_failure
    assert name.startswith(".report.html.") and name.endswith(".tmp") and size > 0
    # ... and nothing is left: no report, no temporary file
    assert os.listdir(tmp_path) == []


def test_a_failed_rewrite_keeps_the_previous_report(report_result, tmp_path, monkeypatch):
    target = write_report(tmp_path / "report.html", report_result)
    before = target.read_bytes()

    def no_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(OSError, match="disk full"):
        write_report(target, report_result, title="new")
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["report.html"]


def test_sources_are_checked(report_result, report_market, tmp_path):
    with pytest.raises(ParameterError, match="TrainingResult is reported on its own test part"):
        write_report(tmp_path / "r.html", report_result, prices=report_market)
    with pytest.raises(ParameterError, match="expected a TrainingResult, a Bundle or a ReportData"):
        write_report(tmp_path / "r.html", {"metrics": {}})
    with pytest.raises(ParameterError, match="is a directory"):
        write_report(tmp_path, report_result)
    assert os.listdir(tmp_path) == []


def test_a_bundle_report_needs_prices(report_result, report_market, tmp_path):
    from pyanalytics.bundle import load_bundle

    bundle = load_bundle(report_result.save(tmp_path / "bundle"))
    with pytest.raises(ParameterError, match="prices"):
        write_report(tmp_path / "r.html", bundle)
    page = write_report(tmp_path / "r.html", bundle, prices=report_market).read_text()
    assert "scored here" in page and str(bundle.path) in page


def test_importing_the_reports_package_imports_neither_matplotlib_nor_jinja2():
    code = ("import sys, pyanalytics.reports; "
            "print(sorted(m for m in ('matplotlib', 'jinja2', 'tensorflow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
