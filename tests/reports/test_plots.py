"""The report's figures as a reader sees them: legends off the data, labels apart, no blended colours, bounded size.

Each figure is caught as it is saved (``plots._data_uri``) and measured on its own canvas, in
display pixels: where the legend sits against the plotting area, where each label sits against
the bars, the lines and the other labels.
"""

import base64
import re

import numpy as np
import pandas as pd
import pytest

from pyanalytics.reports import plots


@pytest.fixture
def drawn(monkeypatch):
    """The figures the chart functions draw, each drawn once on its canvas (the URI is left empty)."""
    figures = []

    def keep(figure, fmt):
        figure.canvas.draw()
        figures.append(figure)
        return ""

    monkeypatch.setattr(plots, "_data_uri", keep)
    return figures


def _daily(n: int, seed: int = 0) -> pd.DataFrame:
    """A strategy and buy-and-hold over ``n`` business days, with their drawdowns below the peak."""
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("1930-01-02", periods=n)
    returns = rng.normal(0.0004, 0.012, (n, 2))
    daily = pd.DataFrame(np.cumprod(1 + returns, axis=0), index=index, columns=["equity", "benchmark_equity"])
    daily["drawdown"] = daily["equity"] / daily["equity"].cummax() - 1
    daily["benchmark_drawdown"] = daily["benchmark_equity"] / daily["benchmark_equity"].cummax() - 1
    return daily


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("chart", ["equity", "drawdown"])
def test_the_legend_of_a_time_series_never_covers_the_plotting_area(drawn, chart):
    daily = _daily(3000)
    if chart == "equity":
        plots.equity_chart(daily, list(daily.index[[0, 1000, 2000]]))
    else:
        plots.drawdown_chart(daily, list(daily.index[[0, 1000, 2000]]))
    [figure] = drawn
    ax = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    [legend] = [legend.get_window_extent(renderer) for legend in [*figure.legends, ax.get_legend()] if legend]
    assert not _overlap(legend, ax.get_window_extent(renderer)), "the legend sits on the plotted data"
    assert figure.bbox.contains(legend.x0, legend.y0) and figure.bbox.contains(legend.x1, legend.y1)


def test_the_drawdown_marks_where_each_fold_starts(drawn):
    daily = _daily(3000)
    starts = list(daily.index[[0, 1000, 2000]])
    plots.drawdown_chart(daily, starts)
    [figure] = drawn
    texts = [t.get_text().strip() for t in figure.axes[0].texts]
    assert texts == ["fold 1", "fold 2", "fold 3"]


# the contributions of a real SHAP case (AAPL, 2023-08-28) that drew labels over bars and lines
WATERFALL = pd.DataFrame({
    "label": ["rsi_14 = 47.1", "volatility_20 = 0.01545", "bollinger_pctb_20 = 0.4968", "ret_20 = -0.0864",
              "ret_3 = -0.005148", "ma_ratio_50 = -0.03406", "volume_z_20 = -0.8396", "ret_1 = 0.008807",
              "9 other features"],
    "feature_weight": [-0.016, -0.007, -0.006, -0.006, 0.006, 0.006, -0.006, 0.004, 0.011],
})


def _labels_collide(figure) -> list[str]:
    """Texts of the axes that touch another text, a bar or a vertical line, or stick out of the figure."""
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    texts = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text().strip()]
    bars = [p.get_window_extent(renderer) for p in ax.patches]
    lines = [line.get_window_extent(renderer) for line in ax.lines if len(set(line.get_xdata())) == 1]
    problems = []
    for i, (text, box) in enumerate(texts):
        others = [b for j, (_, b) in enumerate(texts) if j != i]
        if any(_overlap(box, b) for b in others + bars):
            problems.append(f"{text!r} touches another label or a bar")
        if any(line.x0 - 1 <= box.x1 and box.x0 <= line.x1 + 1 and _overlap(box, ax.bbox) for line in lines):
            problems.append(f"{text!r} is crossed by a vertical line")
        if box.x0 < ax.bbox.x0 < box.x1 or box.x0 < ax.bbox.x1 < box.x1:
            problems.append(f"{text!r} straddles the frame of the plot")
        if not (figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1)):
            problems.append(f"{text!r} sticks out of the figure")
    return problems


def test_waterfall_labels_touch_neither_each_other_nor_bars_nor_lines(drawn):
    plots.waterfall_chart(WATERFALL, base=0.481, prediction=0.468, threshold=0.5)
    [figure] = drawn
    assert _labels_collide(figure) == []
    values = [t.get_text() for t in figure.axes[0].texts]
    for weight in WATERFALL["feature_weight"]:
        assert f"{weight:+.3f}" in values


def test_lime_bar_labels_stay_clear_of_the_bars_and_the_figure_edge(drawn):
    rows = WATERFALL.assign(label=[f"{label} <= 0.1" for label in WATERFALL["label"]])
    plots.bar_chart(rows)
    [figure] = drawn
    assert _labels_collide(figure) == []


def _svg(uri: str) -> str:
    return base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")


def test_the_two_histograms_never_blend_into_a_third_colour():
    rng = np.random.default_rng(0)
    prob = rng.uniform(0.4, 0.6, 600)
    went_up = (rng.uniform(size=600) < prob).astype(int)
    svg = _svg(plots.probability_chart(prob, went_up, 0.5))
    styles = re.findall(r'style="([^"]*)"', svg)
    for colour in (plots.RISE, plots.FALL):
        drawn_in = [s for s in styles if colour in s]
        assert drawn_in, f"nothing drawn in {colour}"
        assert not [s for s in drawn_in if re.search(r"(?<![-\w])opacity: 0\.", s)], \
            f"{colour} drawn see-through: it mixes with the other histogram where they overlap"


def test_thinning_keeps_the_extremes_and_both_ends_of_a_long_series():
    daily = _daily(40_000)
    series = daily["drawdown"]
    thinned = plots.thin(series)
    assert len(thinned) <= plots.MAX_POINTS
    assert thinned.index.is_monotonic_increasing
    assert thinned.min() == series.min() and thinned.max() == series.max()
    assert thinned.index[0] == series.index[0] and thinned.index[-1] == series.index[-1]
    assert (thinned == series.loc[thinned.index]).all()  # points of the series, not averages
    short = series.iloc[:500]
    assert plots.thin(short).equals(short)


def test_a_long_series_draws_figures_of_bounded_size():
    short, long = _daily(4_000), _daily(40_000, seed=1)
    for chart in (plots.equity_chart, plots.drawdown_chart):
        sizes = [len(chart(daily, list(daily.index[:1]))) for daily in (short, long)]
        assert sizes[1] < 1.3 * sizes[0], f"{chart.__name__}: {sizes[1]:,} bytes for 40,000 days, {sizes[0]:,} for 4,000"
        assert sizes[1] < 250_000


def test_percent_ticks_read_as_the_values_they_mark(drawn):
    """Ticks every 2.5% labelled with no decimals read '2%, 5%, 8%': each label must name its tick."""
    shares = [0.19, 0.18, 0.1, 0.09, 0.09, 0.06, 0.06, 0.05, 0.05, 0.05, 0.04, 0.04]  # as in AAPL's report
    importance = pd.DataFrame({"shap": shares, "lime": shares[::-1]}, index=[f"feature_{i}" for i in range(12)])
    plots.importance_chart(importance, top=12)
    daily = _daily(500)
    daily[["drawdown", "benchmark_drawdown"]] *= 0.03 / -daily["drawdown"].min()  # a shallow drawdown, to -3%
    plots.drawdown_chart(daily)
    for figure, axis in zip(drawn, ("xaxis", "yaxis")):
        ax = figure.axes[0]
        low, high = sorted(ax.get_xlim() if axis == "xaxis" else ax.get_ylim())
        ticks = getattr(ax, axis).get_major_ticks()
        shown = [(t.get_loc(), t.label1.get_text()) for t in ticks if low <= t.get_loc() <= high]
        assert len(shown) >= 3
        for value, label in shown:
            assert float(label.replace("−", "-").rstrip("%")) == pytest.approx(100 * value, abs=1e-9), shown


def test_equity_and_drawdown_share_one_time_axis(drawn):
    """Drawn one above the other on the page: a date sits at the same place across in both figures."""
    daily = _daily(3000)
    daily[["equity", "benchmark_equity"]] *= 400  # wide tick labels on the log axis: 1,000 and more
    starts = list(daily.index[[0, 1000, 2000]])
    plots.equity_chart(daily, starts)
    plots.drawdown_chart(daily, starts)
    equity, drawdown = (figure.axes[0] for figure in drawn)
    assert equity.get_xlim() == pytest.approx(drawdown.get_xlim())
    assert (equity.get_position().x0, equity.get_position().x1) == pytest.approx(
        (drawdown.get_position().x0, drawdown.get_position().x1))
    assert drawn[0].get_figwidth() == drawn[1].get_figwidth()
    for figure in drawn:  # and nothing is cut off at the edges
        renderer = figure.canvas.get_renderer()
        box = figure.axes[0].get_tightbbox(renderer)
        assert figure.bbox.x0 <= box.x0 and box.x1 <= figure.bbox.x1


def test_no_roc_curve_runs_through_a_label(drawn):
    """Curves near the diagonal (AUC about 0.5, as on real prices) ran through the 'chance' label drawn on it."""
    from sklearn.metrics import roc_curve

    rng = np.random.default_rng(1)
    went_up = rng.integers(0, 2, 1600)
    roc, aucs = {}, {}
    for name, noise in (("dnn", 1.0), ("logistic_regression", 0.9)):
        fpr, tpr, _ = roc_curve(went_up, went_up * 0.05 + rng.normal(0, noise, 1600))
        roc[name], aucs[name] = {"fpr": fpr, "tpr": tpr}, float(np.trapezoid(tpr, fpr))
    plots.roc_chart(roc, aucs, "dnn", "logistic_regression")
    [figure] = drawn
    ax = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        for line in ax.lines:
            path = line.get_transform().transform_path(line.get_path())
            assert not path.intersects_bbox(box, filled=False), f"{line.get_label()!r} runs through {text.get_text()!r}"
    assert "chance (AUC 0.5)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_the_training_curves_draw_each_part_per_epoch_and_mark_the_kept_epoch(drawn):
    history = {"loss": [0.9, 0.7, 0.6, 0.55, 0.52], "val_loss": [0.95, 0.8, 0.74, 0.76, 0.79]}
    plots.history_chart(history, 3, loss="binary cross-entropy")
    [figure] = drawn
    ax = figure.axes[0]
    lines = {line.get_label(): line for line in ax.lines}
    for label, key in (("training part", "loss"), ("validation part", "val_loss")):
        np.testing.assert_array_equal(lines[label].get_xdata(), [1, 2, 3, 4, 5])
        np.testing.assert_array_equal(lines[label].get_ydata(), history[key])
    assert list(lines["best epoch 3 (kept)"].get_xdata()) == [3, 3]
    assert ax.get_ylabel() == "binary cross-entropy"
    renderer = figure.canvas.get_renderer()
    assert not _overlap(ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer))


def test_predicted_against_actual_puts_y_equals_x_across_equal_axes(drawn):
    actual, predicted = np.array([1.0, 4.0, 9.0]), np.array([2.0, 3.5, 12.0])
    plots.predicted_actual_chart(actual, predicted, "wage_per_hour")
    [figure] = drawn
    ax = figure.axes[0]
    [diagonal] = [line for line in ax.lines if line.get_label().startswith("y = x")]
    assert list(diagonal.get_xdata()) == list(diagonal.get_ydata()) == list(ax.get_xlim()) == list(ax.get_ylim())
    assert ax.get_xlim()[0] < 1.0 and ax.get_xlim()[1] > 12.0
    np.testing.assert_array_equal(ax.collections[0].get_offsets(), np.column_stack([actual, predicted]))
    assert ax.get_xlabel() == "actual wage_per_hour" and ax.get_ylabel() == "predicted wage_per_hour"


def test_residuals_are_actual_minus_predicted_beside_their_distribution(drawn):
    rng = np.random.default_rng(0)
    actual = rng.normal(10, 3, 200)
    predicted = actual + rng.normal(0, 1, 200)
    plots.residuals_chart(actual, predicted, "y")
    [figure] = drawn
    scatter, histogram = figure.axes
    np.testing.assert_allclose(scatter.collections[0].get_offsets(), np.column_stack([predicted, actual - predicted]))
    assert sum(patch.get_width() for patch in histogram.patches) == 200  # every row counted once, bars horizontal
    assert scatter.get_shared_y_axes().joined(scatter, histogram)
