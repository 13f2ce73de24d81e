"""The universe page of the walk-forward report: what a universe run found, told honestly and safely."""

import html
import os
import re

import pytest

from pyanalytics.finance import synthetic_market
from pyanalytics.finance.reports import render_walk_forward_report, write_walk_forward_report
from pyanalytics.finance.universe import walk_forward_many
from pyanalytics.reports.html import format_number

SMALL = {"hidden_units": (16, 8), "epochs": 2, "learning_rate": 0.01}
EVIL = "<script>alert(1)</script>"
EVIL_SHORT = "<img src=x onerror=alert(2)>"
PLANTED = ("P0", "P1")


@pytest.fixture(scope="module")
def universe():
    """Two tickers with a planted signal, a random walk named like an attack, and a ticker too short to run
    (named like another): four tickers, the fewest that make a universe, to keep the fits under 30 s."""
    markets = {name: synthetic_market(600, signal_strength=2.0, drift=0.0, seed=40 + i) for i, name in enumerate(PLANTED)}
    markets[EVIL] = synthetic_market(600, drift=0.0, seed=60)
    markets[EVIL_SHORT] = synthetic_market(40, seed=5)
    return walk_forward_many(markets, engine="serial", folds=2, model_params=SMALL, cross_section=True,
                             min_tickers=3, seed=0)


@pytest.fixture(scope="module")
def page(universe, tmp_path_factory):
    return write_walk_forward_report(tmp_path_factory.mktemp("universe") / "u.html", universe).read_text("utf-8")


def _kpis(page: str) -> dict:
    header = page[page.index("<header"):page.index("</header>")]
    found = re.findall(r'<div class="label">([^<]*)</div><div class="value">([^<]*)</div><div class="note">([^<]*)</div>',
                       header)
    return {label: (value, note) for label, value, note in found}


def _part(page: str, start: str, end: str) -> str:
    begin = page.index(start)
    return page[begin:page.index(end, begin)]


def test_the_kpis_are_the_results_numbers(page, universe):
    kpis = _kpis(page)
    assert list(kpis) == ["Tickers run", "Median AUC per fold", "Discoveries", "Deflated Sharpe ratio",
                          "Cross-section Sharpe", "Run"]
    assert kpis["Tickers run"] == ("3 of 4", "1 set aside (why: below)")
    table = universe.summary_table()
    assert kpis["Median AUC per fold"][0] == format_number(table["model_auc"].median())
    edge_share = f"{(table['auc_edge'] > 0).mean():.0%}"
    assert kpis["Median AUC per fold"][1] == (f"best baselines&#39; median {format_number(table['best_baseline_auc'].median())}; "
                                             f"edge &gt; 0 for {edge_share} of tickers")
    significance = universe.significance(0.05)
    assert kpis["Discoveries"][0] == f"{significance['discovery'].sum()} of 3"
    dsr = universe.deflated_sharpe()
    assert kpis["Deflated Sharpe ratio"][0] == format_number(dsr["dsr"], 2)
    assert f"best of {dsr['n_trials']} trials" in kpis["Deflated Sharpe ratio"][1] and dsr["n_trials"] == 4
    pooled = universe.cross_section.stats
    assert kpis["Cross-section Sharpe"] == (format_number(pooled["strategy"]["sharpe"], 2),
                                            f"equal-weight buy and hold {format_number(pooled['buy_and_hold']['sharpe'], 2)}")
    run = universe.run
    assert kpis["Run"] == (f"{run.seconds:,.0f} s", f"serial, in this process: {run.computed} tasks computed, 0 from the store")


def test_the_discoveries_table_lists_each_discovery_with_its_numbers(page, universe):
    from pyanalytics.finance.universe_report import format_p

    significance = universe.significance(0.05)
    found = significance[significance["discovery"]]
    assert set(found.index) == set(PLANTED)
    section = _part(page, '<div id="discoveries"', '<div id="cross-section"')
    assert f"{len(found)} discoveries at 5%</h3>" in section and "No discovery" not in section
    rows = re.findall(r"<tr><td><a href=\"#ticker-\d\" class=\"name\">([^<]*)</a></td>(.*?)</tr>", section)
    assert [name for name, _ in rows] == list(found.index)
    for (name, cells), row in zip(rows, found.itertuples()):
        assert re.findall(r'<td class="num">([^<]*)</td>', cells) == [
            format_number(row.sharpe, 2), format_number(row.sharpe_t, 2), format_p(row.p_value),
            format_p(row.p_adjusted), format_number(row.excess_t, 2)]
    assert "The best strategy, deflated" in section


def test_the_universe_section_draws_its_figures_and_the_cross_section(page, universe):
    section = _part(page, '<section id="universe"', "</section>")
    assert len(re.findall(r'<img src="data:image/svg\+xml;base64,', section)) == 5  # AUC, Sharpe, p-values, equity, drawdown
    for alt in ("mean ROC AUC per fold", "Sharpe ratios of the 3 tickers", "p-values sorted",
                "Growth of 1 for the cross-sectional long-short", "Drawdown of the cross-sectional"):
        assert alt in section
    folds = _part(section, '<table class="folds cross-section-folds">', "</table>")
    fold_auc = universe.cross_section.fold_auc
    for fold, aucs in fold_auc.iterrows():
        row = re.search(rf'<tr><td class="num">{fold}</td>.*?</tr>', folds).group()
        assert re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)[2:] == [format_number(a) for a in aucs]
    pooled = universe.cross_section.stats["strategy"]
    assert f"{pooled['start']} → {pooled['end']}" in section


def test_a_ticker_set_aside_is_listed_with_its_reason_and_every_name_is_escaped(page, universe):
    set_aside = _part(page, '<div id="set-aside"', "</section>")
    assert "Set aside: 1 of 4 tickers" in set_aside
    assert "&lt;img src=x onerror=alert(2)&gt;" in set_aside and "supply a longer history" in set_aside
    assert "<script" not in page.lower() and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _part(page, '<section id="summary"', "</section>")
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', page))
    assert "default-src 'none'; img-src data:" in page


def test_many_tickers_get_detail_sections_for_the_extremes_only_and_none_found_is_said(universe, monkeypatch):
    from pyanalytics.finance import universe_report

    monkeypatch.setattr(universe_report, "DETAILED_TICKERS", 2)
    monkeypatch.setattr(universe_report, "EXTREME_TICKERS", 1)
    monkeypatch.setattr(universe_report, "ALPHA", 1e-12)
    page = render_walk_forward_report(universe, image_format="png")
    sharpes = {name: r.backtest.stats["sharpe"] for name, r in universe.results.items()}
    best, worst = max(sharpes, key=sharpes.get), min(sharpes, key=sharpes.get)
    shown = re.findall(r'<section id="ticker-\d+" class="ticker">\s*<div class="ticker-head"><h2>([^<]*)</h2>', page)
    assert shown == [html.escape(best), html.escape(worst)]
    summary = _part(page, '<section id="summary"', "</section>")
    table = _part(summary, '<table class="metrics compact">', "</table>")
    assert table.count("<tr><td>") == 3 and table.count('<a href="#ticker-') == 2
    assert "only for the 1 with the highest and the 1 with the lowest Sharpe ratio" in summary
    discoveries = _part(page, '<div id="discoveries"', '<div id="cross-section"')
    assert "No ticker's Sharpe ratio survived" in discoveries and "The 3 lowest p-values" in discoveries
    assert len(re.findall(r"<tr><td>", discoveries)) == 3


def test_a_failure_while_drawing_leaves_the_previous_report_alone(universe, tmp_path, monkeypatch):
    from pyanalytics.reports import plots

    target = tmp_path / "u.html"
    target.write_text("the previous report")

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(plots, "p_value_chart", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        write_walk_forward_report(target, universe)
    assert os.listdir(tmp_path) == ["u.html"] and target.read_text() == "the previous report"
