"""write_walk_forward_report: equity, drawdown, folds and importance per fold, escaped and written atomically."""

import os
import re

import pytest

from pyanalytics.errors import ParameterError
from pyanalytics.finance.reports import render_walk_forward_report, write_walk_forward_report
from pyanalytics.reports import plots

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def page(walk_forward_results, tmp_path_factory):
    path = write_walk_forward_report(tmp_path_factory.mktemp("wf") / "walk_forward.html", walk_forward_results,
                                     title="Apple & Microsoft")
    return path.read_text(encoding="utf-8")


def _section(page: str, section_id: str) -> str:
    start = page.index(f'<section id="{section_id}"')
    end = page.find("<section", start + 1)
    return page[start:end if end != -1 else None]


def test_every_ticker_gets_equity_drawdown_folds_and_metrics(page, walk_forward_results):
    assert '<section id="summary"' in page and '<section id="setup"' in page
    for number, result in enumerate(walk_forward_results.results.values(), start=1):
        section = _section(page, f"ticker-{number}")
        for heading in ("Equity against buy-and-hold", "Drawdown", "Trading the out-of-sample signals", "Per fold",
                        "All out-of-sample dates"):
            assert f">{heading}</h3>" in section
        assert len(re.findall(r"<img src=\"data:image/svg\+xml;base64,", section)) >= 2
        fold_rows = re.findall(r"<tr><td class=\"num\">(\d+)</td><td class=\"date\">", section)
        assert fold_rows == [str(f) for f in result.folds["fold"]]
        for auc in result.folds["roc_auc"]:
            assert f">{auc:.3f}</td>" in section
        assert f"{result.backtest.stats['sharpe']:.2f}" in section
        for name in result.metrics:
            assert f'<span class="name">{name}</span>' in section


def test_importance_per_fold_is_shown_only_where_folds_were_explained(page, walk_forward_results):
    explained, plain = (_section(page, f"ticker-{n}") for n in (1, 2))
    assert ">Global importance per fold</h3>" in explained and ">Global importance per fold</h3>" not in plain
    importance = next(iter(walk_forward_results.results.values())).importance
    assert explained.count("<tr><td>1 → 2</td>") == 1  # the ranking agreement of consecutive folds
    assert f'<td class="name">{importance.loc[1].idxmax()}</td>' in explained


def test_the_summary_has_one_row_per_ticker_and_the_portfolio(page, walk_forward_results):
    summary = _section(page, "summary")
    assert summary.count('<a href="#ticker-') == len(walk_forward_results.results)
    assert "Equal-weight portfolio of the strategies" in summary
    _, stats = walk_forward_results.portfolio()
    assert f"{stats['strategy']['sharpe']:.2f}" in summary


def test_a_single_result_has_its_verdicts_in_the_header_and_no_summary(walk_forward_results):
    result = walk_forward_results.results["MSFT & co"]
    single = render_walk_forward_report(result)
    header = single[single.index("<header"):single.index("</header>")]
    assert header.count('class="verdict ') == 2 and "Mean AUC per fold" in header
    assert 'id="summary"' not in single and 'id="ticker-1"' in single
    assert f"{result.auc_edge['model_auc']:.3f}" in header and "standard error" in header


def test_names_are_escaped_and_the_page_is_self_contained(page):
    assert EVIL not in page and "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "MSFT &amp; co" in page
    assert "Apple &amp; Microsoft" in page
    lowered = page.lower()
    assert "http://" not in lowered and "https://" not in lowered and "url(" not in lowered
    assert all(href.startswith("#ticker-") or href == "#summary" or href == "#setup"
               for href in re.findall(r'href="([^"]*)"', page))
    assert "default-src 'none'; img-src data:" in page


def test_a_failure_while_drawing_leaves_no_file(walk_forward_results, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(plots, "drawdown_chart", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        write_walk_forward_report(tmp_path / "wf.html", walk_forward_results)
    assert os.listdir(tmp_path) == []


def test_sources_and_formats_are_checked(walk_forward_results, tmp_path):
    with pytest.raises(ParameterError, match="expected a WalkForwardResult"):
        write_walk_forward_report(tmp_path / "wf.html", {"AAPL": "not a result"})
    with pytest.raises(ParameterError, match="image_format"):
        write_walk_forward_report(tmp_path / "wf.html", walk_forward_results, image_format="gif")
    with pytest.raises(ParameterError, match="is a directory"):
        write_walk_forward_report(tmp_path, walk_forward_results)
    assert os.listdir(tmp_path) == []
    page = write_walk_forward_report(tmp_path / "wf.html", walk_forward_results.results, image_format="png")
    assert re.findall(r'<img src="data:image/png;base64,', page.read_text())


def test_per_fold_returns_say_they_are_totals_over_the_block(page, walk_forward_results):
    from pyanalytics.finance.reports import format_percent

    section = _section(page, "ticker-1")
    folds = section[section.index(">Per fold</h3>"):section.index(">All out-of-sample dates</h3>")]
    head = folds[folds.index("<thead>"):folds.index("</thead>")]
    group, columns = re.findall(r"<tr>(.*?)</tr>", head, re.S)
    assert re.findall(r'<th class="num" colspan="2">([^<]*)</th>', group) == ["Total return over the block"]
    assert group.rstrip().endswith('colspan="2">Total return over the block</th>')  # over the last two columns
    assert re.findall(r"<th[^>]*>([^<]*)</th>", columns) == ["Strategy", "Buy and hold"]
    result = next(iter(walk_forward_results.results.values()))
    for row in result.folds.itertuples():
        assert (f'<td class="num">{format_percent(row.strategy_return)}</td>'
                f'<td class="num">{format_percent(row.buy_and_hold_return)}</td></tr>') in folds


def _heatmap_caption(page: str) -> str:
    section = _section(page, "ticker-1")
    start = section.index(">Global importance per fold</h3>")
    return re.search(r"<figcaption>([^<]*)</figcaption>", section[start:]).group(1)


def test_the_heatmap_caption_says_how_many_features_it_shows(page, walk_forward_results, monkeypatch):
    from pyanalytics.finance import reports as walk_forward_report

    importance = next(iter(walk_forward_results.results.values())).importance
    n = importance.shape[1]
    assert n > 5
    assert _heatmap_caption(page).startswith(f"All {n} features, ")
    monkeypatch.setattr(walk_forward_report, "HEATMAP_FEATURES", 5)
    assert _heatmap_caption(render_walk_forward_report(walk_forward_results)).startswith(
        f"The top 5 of {n} features by mean |SHAP| over the folds")


def test_a_report_on_long_histories_stays_under_2_mb():
    """Two tickers of 20,000 days each (80 years, as an index since the 1940s): the page stays light."""
    from pyanalytics.finance import synthetic_market
    from pyanalytics.finance.universe_result import MultiWalkForwardResult
    from pyanalytics.finance.walk_forward import walk_forward

    from report_fakes import SMALL

    options = {"folds": 2, "seed": 0, "model_params": {**SMALL, "epochs": 1}}
    runs = MultiWalkForwardResult({
        name: walk_forward(synthetic_market(20_000, signal_strength=0.5, seed=seed, start="1940-01-02"), **options)
        for seed, name in enumerate(("INDEX", "STOCK"))
    })
    size = len(render_walk_forward_report(runs).encode("utf-8"))
    assert size < 2_000_000, f"{size:,} bytes"


def test_every_model_shows_its_mean_and_spread_of_auc_over_the_folds(page, walk_forward_results):
    for number, result in enumerate(walk_forward_results.results.values(), start=1):
        section = _section(page, f"ticker-{number}")
        table = section[section.index(">ROC AUC across the folds</h3>"):section.index(">All out-of-sample dates</h3>")]
        spreads = result.fold_auc_spread
        assert set(spreads) == set(result.metrics)
        for name, spread in spreads.items():
            row = re.search(rf'<tr[^>]*><td><span class="name">{re.escape(name)}</span>.*?</tr>', table).group()
            cells = re.findall(r'<td class="num">([^<]*)</td>', row)
            assert cells == [f"{spread['mean']:.3f} ± {spread['std']:.3f}", f"{spread['min']:.3f}",
                             f"{spread['max']:.3f}", str(spread["n_folds"])]
        assert f'{result.auc_edge["baseline"]}</span><span class="tag best">best baseline</span>' in table
    summary = _section(page, "summary")
    for result in walk_forward_results.results.values():
        row = result.summary_row()
        assert f'<td class="num">{row["model_auc"]:.3f} ± {row["model_auc_std"]:.3f}</td>' in summary


def test_the_settings_read_as_english(page):
    settings = _section(page, "setup")
    assert "<dt>Horizon</dt><dd>1 day ahead</dd>" in settings
