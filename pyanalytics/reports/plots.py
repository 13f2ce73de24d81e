"""The report's figures, drawn with matplotlib and returned as ``data:`` URIs (SVG or PNG).

Each function takes plain data and returns a string to put in an ``<img src>``. Figures are
drawn on matplotlib's Agg canvas inside the function, without pyplot: nothing here changes the
caller's matplotlib backend or global settings, and importing pyanalytics never imports
matplotlib.

Colours are the same everywhere: green for contributions towards a rise, red towards a fall,
blue for the model, grey for baselines, purple for decision thresholds.
"""

from __future__ import annotations

import base64
import io
import math
import re
from contextlib import contextmanager

import numpy as np
import pandas as pd

RISE = "#2b8a3e"
FALL = "#c92a2a"
MODEL = "#3b5bdb"
BASELINE = "#868e96"
BEST_BASELINE = "#e67700"
THRESHOLD = "#7048e8"
METHOD_COLOURS = {"shap": "#1971c2", "lime": "#f08c00"}
INK = "#343a40"
MUTED = "#868e96"
GRID = "#e9ecef"
FORMATS = ("svg", "png")
WIDTH = 6.4  # inches; the template scales figures to their card's width
CASE_WIDTH = 5.4  # the two charts of a case share one card
PAIR_WIDTH = 5.4  # two charts side by side, one card each
MAX_LABEL = 40
MAX_POINTS = 1200  # per plotted series: more than the figure has pixels across, whatever the history's length
MANY_FOLDS = 8  # beyond this many folds, their marks are labelled by number only
TIME_MARGINS = (0.85, 0.15, 0.45, 0.5)  # inches left, right, below and above a time series' plot

_STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#adb5bd",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "svg.fonttype": "path",  # text as outlines: the same look without any font on the reader's side
    "svg.hashsalt": "pyanalytics-report",  # stable element ids: the same data gives the same file
}


def _short(label: str, limit: int = MAX_LABEL) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


@contextmanager
def _figure(height: float, width: float = WIDTH, layout: str | None = "constrained"):
    """A pyplot-free figure on the Agg canvas, with the report's style applied locally."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(width, height), layout=layout)
        FigureCanvasAgg(figure)
        yield figure


@contextmanager
def _time_figure(height: float):
    """A figure whose plot has fixed margins (in inches): charts of one period line up date for date."""
    with _figure(height, layout=None) as figure:
        left, right, bottom, top = TIME_MARGINS
        figure.subplots_adjust(left=left / WIDTH, right=1 - right / WIDTH, bottom=bottom / height, top=1 - top / height)
        yield figure


def _data_uri(figure, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"image format: expected one of {FORMATS}, got {fmt!r}")
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        buffer = io.BytesIO(_rounded_paths(buffer.getvalue().decode("utf-8")).encode("utf-8"))
        mime = "image/svg+xml"
    else:
        figure.savefig(buffer, format="png", dpi=144, metadata={"Software": None})
        mime = "image/png"
    return f"data:{mime};base64,{base64.b64encode(buffer.getvalue()).decode('ascii')}"


_PATH_DATA = re.compile(r' d="[^"]*"')
_DECIMAL = re.compile(r"-?\d+\.\d+")


def _rounded_paths(svg: str) -> str:
    """The SVG with path coordinates rounded to 0.1 pt, far below a pixel: long series take a third less."""
    def tenth(number):
        return f"{float(number.group()):.1f}".rstrip("0").rstrip(".")

    return _PATH_DATA.sub(lambda path: _DECIMAL.sub(tenth, path.group()), svg)


def _finite(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def roc_chart(roc: dict, aucs: dict, model: str, baseline: str | None = None, *, fmt: str = "svg",
              xlabel: str = "false positive rate (said up, went down)",
              ylabel: str = "true positive rate (said up, went up)") -> str:
    """ROC curves of the model and (dashed) of one baseline, with the chance diagonal."""
    with _figure(3.6, 4.4) as figure:
        ax = figure.add_subplot()
        ax.plot([0, 1], [0, 1], color=MUTED, lw=0.8, ls=":", zorder=1, label="chance (AUC 0.5)")
        lines = [(baseline, BEST_BASELINE, "--", 1.6), (model, MODEL, "-", 2.2)]
        for name, colour, style, width in lines:
            points = roc.get(name) if name else None
            if points is None:
                continue
            auc = aucs.get(name)
            label = f"{name} (AUC {auc:.3f})" if _finite(auc) else name
            ax.plot(points["fpr"], points["tpr"], color=colour, ls=style, lw=width, label=label,
                    drawstyle="steps-post", zorder=3)
        ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel=xlabel, ylabel=ylabel)
        ax.set_aspect("equal")
        ax.legend(loc="lower right")
        return _data_uri(figure, fmt)


def cost_chart(curve: pd.DataFrame, alpha: float, threshold: float, theoretical: float, *, fmt: str = "svg") -> str:
    """Expected cost per decision against the threshold, with the model's and the theory's."""
    with _figure(3.1, 5.6) as figure:
        ax = figure.add_subplot()
        ax.plot(curve["threshold"], curve["expected_cost"], color=MODEL, lw=2, label="expected cost")
        best = curve.loc[curve["expected_cost"].idxmin()]
        ax.scatter([best["threshold"]], [best["expected_cost"]], color=MODEL, zorder=4, s=24,
                   label=f"lowest {best['expected_cost']:.3f} (hindsight)")
        ax.axvline(threshold, color=THRESHOLD, lw=1.5, label=f"model threshold {threshold:.3f}")
        if abs(theoretical - threshold) > 1e-9:
            ax.axvline(theoretical, color=THRESHOLD, lw=1.2, ls=":", label=f"α/(1+α) = {theoretical:.3f}")
        ax.set(xlim=(0, 1), xlabel="threshold on the probability of a rise", ylabel="expected cost per decision")
        ax.legend(loc="lower center", ncols=2, bbox_to_anchor=(0.5, 1.0))
        return _data_uri(figure, fmt)


def importance_chart(importance: pd.DataFrame, *, top: int, fmt: str = "svg") -> str:
    """Global importance per method as grouped horizontal bars, as shares of each method's total.

    Only the first ``top`` features are drawn: the caller says so beside the chart.
    """
    shares = (importance / importance.sum()).head(top).iloc[::-1]
    methods = list(shares.columns)
    n = len(shares)
    with _figure(0.9 + 0.28 * n * max(1, len(methods)) ** 0.5) as figure:
        ax = figure.add_subplot()
        height = 0.8 / len(methods)
        y = np.arange(n)
        for i, method in enumerate(methods):
            offset = (i - (len(methods) - 1) / 2) * height
            ax.barh(y - offset, shares[method].fillna(0).to_numpy(), height=height * 0.92,
                    color=METHOD_COLOURS.get(method, MODEL), label=method.upper())
        ax.set_yticks(y, [_short(f) for f in shares.index])
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("share of the method's total mean |contribution|")
        ax.xaxis.set_major_formatter(_percent())
        ax.legend(loc="lower right")
        return _data_uri(figure, fmt)


def _percent():
    """Fractions as percentages with the decimals each tick needs: 2.5% and 10%, never 2% or 10.0%."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: f"{100 * value + 0.0:.10g}%")  # + 0.0: no "-0%"


def _case_title(figure, title: str) -> None:
    """A title over the whole figure, so long feature labels on the left never push it off the edge."""
    figure.suptitle(title, x=0.02, ha="left", fontsize=_STYLE["axes.titlesize"], fontweight="bold")


def _value_column(ax, values) -> None:
    """Each bar's value in a column right of the plot, on the bar's row: clear of bars, lines and each other."""
    for y, value in enumerate(values):
        ax.text(1.02, y, f"{value:+.3f}", transform=ax.get_yaxis_transform(), va="center", ha="left",
                fontsize=7.5, color=RISE if value >= 0 else FALL)


def waterfall_chart(rows: pd.DataFrame, base: float, prediction: float | None, threshold: float | None,
                    *, fmt: str = "svg", xlabel: str = "probability of a rise") -> str:
    """SHAP waterfall: from the base value, each contribution in turn, to the prediction.

    ``rows`` holds ``label`` and ``feature_weight``, largest first; the largest is drawn on top
    and the walk starts at the bottom, as in shap's own waterfall plot. A ``threshold`` of None
    draws no threshold line (a regression, a class of several).
    """
    ordered = rows.iloc[::-1].reset_index(drop=True)
    weights = ordered["feature_weight"].to_numpy(dtype=float)
    ends = base + np.cumsum(weights)
    starts = ends - weights
    final = prediction if _finite(prediction) else float(ends[-1]) if len(ends) else base
    points = [base, final, *([] if threshold is None else [threshold]), *starts, *ends]
    low, high = min(points), max(points)
    span = max(high - low, 1e-6)
    with _figure(1.45 + 0.27 * len(ordered), CASE_WIDTH) as figure:
        ax = figure.add_subplot()
        colours = [RISE if w >= 0 else FALL for w in weights]
        ax.barh(np.arange(len(ordered)), weights, left=starts, color=colours, height=0.66)
        for y in range(len(ordered) - 1):
            ax.plot([ends[y], ends[y]], [y + 0.33, y + 0.67], color=MUTED, lw=0.7)
        _value_column(ax, weights)
        ax.axvline(final, color=INK, lw=1.2, label=f"f(x) = {final:.3f}")
        ax.axvline(base, color=MUTED, lw=1, ls="--", label=f"base {base:.3f}")
        if threshold is not None:
            ax.axvline(threshold, color=THRESHOLD, lw=1, ls=":", label=f"threshold {threshold:.3f}")
        ax.set_yticks(np.arange(len(ordered)), [_short(x) for x in ordered["label"]])
        ax.set_ylim(-0.6, len(ordered) - 0.4)
        ax.set_xlim(low - 0.05 * span, high + 0.05 * span)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(xlabel)
        ax.legend(loc="lower left", ncols=3, bbox_to_anchor=(0.0, 1.0), borderaxespad=0.2, handlelength=1.6,
                  columnspacing=1.2)
        _case_title(figure, "SHAP: base value → contributions → prediction")
        return _data_uri(figure, fmt)


def bar_chart(rows: pd.DataFrame, *, title: str = "LIME: local model weights", fmt: str = "svg",
              xlabel: str = "contribution to the probability of a rise") -> str:
    """Horizontal contribution bars (LIME), largest on top, green towards a rise, red a fall."""
    ordered = rows.iloc[::-1].reset_index(drop=True)
    weights = ordered["feature_weight"].to_numpy(dtype=float)
    span = max(float(np.abs(weights).max()) if len(weights) else 0.0, 1e-6)
    with _figure(1.2 + 0.27 * len(ordered), CASE_WIDTH) as figure:
        ax = figure.add_subplot()
        ax.barh(np.arange(len(ordered)), weights, color=[RISE if w >= 0 else FALL for w in weights], height=0.66)
        _value_column(ax, weights)
        ax.axvline(0, color=INK, lw=0.9)
        ax.set_yticks(np.arange(len(ordered)), [_short(x) for x in ordered["label"]])
        ax.set_xlim(-1.1 * span, 1.1 * span)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(xlabel)
        _case_title(figure, title)
        return _data_uri(figure, fmt)


def probability_chart(prob_up: np.ndarray, y_true: np.ndarray, threshold: float, *, fmt: str = "svg") -> str:
    """Histograms of the model's P(rise) on the evaluated dates, split by what happened."""
    with _figure(2.7, 4.6) as figure:
        ax = figure.add_subplot()
        low, high = float(np.min(prob_up)), float(np.max(prob_up))
        pad = max((high - low) * 0.05, 0.005)
        bins = np.linspace(min(low - pad, threshold), max(high + pad, threshold), 25)
        # outlines, not see-through fills: where the two overlap no third colour appears
        ax.hist(prob_up[y_true == 1], bins=bins, histtype="step", color=RISE, lw=1.8, label="went up")
        ax.hist(prob_up[y_true == 0], bins=bins, histtype="step", color=FALL, lw=1.8, ls=(0, (4, 1.5)),
                label="went down")
        ax.axvline(threshold, color=THRESHOLD, lw=1.5, label=f"threshold {threshold:.3f}")
        ax.set(xlabel="model's probability of a rise", ylabel="dates")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower center", ncols=3, bbox_to_anchor=(0.5, 1.0))
        return _data_uri(figure, fmt)


def _date_axis(ax) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def thin(series: pd.Series, max_points: int = MAX_POINTS) -> pd.Series:
    """At most ``max_points`` points of a long series, in order: each stretch's lowest and highest.

    The series is cut into consecutive stretches and keeps, of each, the points where it is
    lowest and highest, and its first and last point: every peak and trough survives, and at the
    width of a figure the line looks the same. NaN points are left out.
    """
    values = series.dropna()
    if len(values) <= max_points:
        return values
    v = values.to_numpy(dtype=float)
    edges = np.linspace(0, len(v), max_points // 2, dtype=int)
    stretches = list(zip(edges[:-1], edges[1:]))
    lows = [start + np.argmin(v[start:end]) for start, end in stretches]
    highs = [start + np.argmax(v[start:end]) for start, end in stretches]
    return values.iloc[np.unique([0, len(v) - 1, *lows, *highs])]


def _fold_marks(ax, fold_starts) -> None:
    """A dotted line where each fold's test block starts, numbered just above the plot."""
    many = len(fold_starts) > MANY_FOLDS
    for number, start in enumerate(fold_starts, start=1):
        ax.axvline(start, color=MUTED, lw=0.7, ls=":", zorder=1)
        ax.text(start, 1.0, f"{number}" if many else f"fold {number}", transform=ax.get_xaxis_transform(),
                fontsize=7, color=MUTED, va="bottom", ha="center")


def _legend_above(ax) -> None:
    """The legend above the plot, left-aligned with it: it never covers a line."""
    ax.figure.legend(*ax.get_legend_handles_labels(), loc="upper left", bbox_to_anchor=(ax.get_position().x0, 1.0),
                     ncols=2, borderaxespad=0.2)


def equity_chart(daily: pd.DataFrame, fold_starts=(), *, labels=("strategy (after costs)", "buy and hold"),
                 fmt: str = "svg") -> str:
    """Growth of 1 for the strategy and buy-and-hold (log scale), each fold's first test date marked.

    ``daily`` holds ``equity`` and ``benchmark_equity`` indexed by date; long histories are
    thinned to their peaks and troughs (``thin``). ``labels`` names the strategy and the benchmark.
    """
    from matplotlib.ticker import LogFormatter

    with _time_figure(3.2) as figure:
        ax = figure.add_subplot()
        _fold_marks(ax, fold_starts)
        benchmark, strategy = thin(daily["benchmark_equity"]), thin(daily["equity"])
        ax.plot(benchmark.index, benchmark, color=BASELINE, lw=1.3, label=labels[1], zorder=2)
        ax.plot(strategy.index, strategy, color=MODEL, lw=1.6, label=labels[0], zorder=3)
        ax.axhline(1.0, color=INK, lw=0.6, zorder=1)
        ax.set_yscale("log")
        for axis_format in (ax.yaxis.set_major_formatter, ax.yaxis.set_minor_formatter):
            axis_format(LogFormatter(labelOnlyBase=False))  # 2, 5, 20 rather than 2×10⁰
        ax.set_ylabel("growth of 1 (log scale)")
        _date_axis(ax)
        _legend_above(ax)
        return _data_uri(figure, fmt)


def drawdown_chart(daily: pd.DataFrame, fold_starts=(), *, labels=("strategy", "buy and hold"),
                   fmt: str = "svg") -> str:
    """Drawdown below the running peak: the strategy filled, buy-and-hold as a line, folds marked."""
    with _time_figure(2.5) as figure:
        ax = figure.add_subplot()
        _fold_marks(ax, fold_starts)
        strategy, benchmark = thin(daily["drawdown"]), thin(daily["benchmark_drawdown"])
        # one polygon down to 0 at both ends: half the points of fill_between's
        ax.fill(strategy.index[[0, *range(len(strategy)), -1]], [0.0, *strategy, 0.0], color=MODEL, alpha=0.35,
                lw=0, label=labels[0])
        ax.plot(benchmark.index, benchmark, color=BASELINE, lw=1.0, label=labels[1])
        ax.set_ylim(min(float(daily[["drawdown", "benchmark_drawdown"]].min().min()), -0.01) * 1.05, 0.0)
        ax.yaxis.set_major_formatter(_percent())
        ax.set_ylabel("below the peak")
        _date_axis(ax)
        _legend_above(ax)
        return _data_uri(figure, fmt)


def importance_heatmap(importance: pd.DataFrame, fold_labels: list[str], *, top: int, fmt: str = "svg") -> str:
    """Each feature's share of each fold's total importance: features down, folds across.

    ``importance`` has one row per fold and one column per feature, most important first; only the
    first ``top`` features are drawn: the caller says so beside the chart.
    """
    shares = importance.div(importance.sum(axis=1), axis=0).T.head(top)
    with _figure(0.9 + 0.24 * len(shares)) as figure:
        ax = figure.add_subplot()
        values = shares.to_numpy(dtype=float)
        image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0.0, vmax=max(float(np.nanmax(values)), 1e-9))
        for (row, column), value in np.ndenumerate(values):
            dark = value > 0.6 * image.norm.vmax
            ax.text(column, row, f"{value:.0%}", ha="center", va="center", fontsize=7.5,
                    color="#ffffff" if dark else INK)
        ax.set_yticks(np.arange(len(shares)), [_short(f) for f in shares.index])
        ax.set_xticks(np.arange(shares.shape[1]), fold_labels)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.grid(False)
        ax.set_title("share of the fold's total mean |SHAP|")
        return _data_uri(figure, fmt)


def history_chart(history: dict, best_epoch: int | None, *, loss: str = "loss", fmt: str = "svg") -> str:
    """Training curves: the loss per epoch on the training part and (dashed) the validation part.

    ``history`` is an estimator's ``history_`` (``loss``, ``val_loss`` when it had a validation
    part); ``best_epoch`` (1-based), whose weights the model kept, is marked; ``loss`` names it.
    """
    training = np.asarray(history["loss"], dtype=float)
    epochs = np.arange(1, len(training) + 1)
    marker = "o" if len(epochs) <= 30 else None  # a dot per epoch while they can be told apart
    with _figure(2.9, 5.6) as figure:
        ax = figure.add_subplot()
        ax.plot(epochs, training, color=MODEL, lw=1.8, marker=marker, ms=3, label="training part")
        if "val_loss" in history:
            ax.plot(epochs, np.asarray(history["val_loss"], dtype=float), color=BEST_BASELINE, lw=1.8, ls="--",
                    marker=marker, ms=3, label="validation part")
        if best_epoch is not None:
            ax.axvline(best_epoch, color=THRESHOLD, lw=1.3, ls=":", label=f"best epoch {best_epoch} (kept)")
        ax.set(xlabel="epoch", ylabel=loss)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower center", ncols=3, bbox_to_anchor=(0.5, 1.0))
        return _data_uri(figure, fmt)


def _span_with_margin(*arrays) -> tuple[float, float]:
    low = min(float(np.min(a)) for a in arrays)
    high = max(float(np.max(a)) for a in arrays)
    pad = 0.04 * (high - low) or 0.5
    return low - pad, high + pad


def predicted_actual_chart(y_true, y_pred, target: str, *, fmt: str = "svg") -> str:
    """Each row's prediction against its actual value, with the line y = x of perfect predictions."""
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    limits = _span_with_margin(y_true, y_pred)
    with _figure(4.2, 4.6) as figure:
        ax = figure.add_subplot()
        ax.plot(limits, limits, color=INK, lw=1, ls="--", zorder=2, label="y = x (a perfect prediction)")
        ax.scatter(y_true, y_pred, s=14, color=MODEL, alpha=0.55, edgecolors="none", zorder=3, label="scored rows")
        ax.set(xlim=limits, ylim=limits, xlabel=f"actual {_short(target)}", ylabel=f"predicted {_short(target)}")
        ax.set_aspect("equal")
        ax.legend(loc="upper left")
        return _data_uri(figure, fmt)


def residuals_chart(y_true, y_pred, target: str, *, fmt: str = "svg") -> str:
    """Residuals (actual - predicted) against the prediction, and beside them their distribution."""
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    residuals = y_true - y_pred
    with _figure(4.2, 4.9) as figure:  # beside predicted_actual_chart, at the same scale
        scatter, histogram = figure.subplots(1, 2, sharey=True, width_ratios=[3, 1])
        scatter.axhline(0, color=INK, lw=1, ls="--", zorder=2)
        scatter.scatter(y_pred, residuals, s=14, color=MODEL, alpha=0.55, edgecolors="none", zorder=3)
        scatter.set(xlabel=f"predicted {_short(target)}", ylabel="residual (actual − predicted)")
        histogram.hist(residuals, bins=min(30, max(5, len(residuals) // 5)), orientation="horizontal",
                       color=MODEL, alpha=0.75)
        histogram.axhline(0, color=INK, lw=1, ls="--")
        histogram.set_xlabel("rows")
        histogram.xaxis.get_major_locator().set_params(integer=True)
        histogram.tick_params(axis="y", labelleft=False)
        return _data_uri(figure, fmt)


def _log_scale_fits(*arrays) -> bool:
    """Whether positive values spanning two decades or more read better on a log axis."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = values[np.isfinite(values)]
    return len(values) > 0 and float(values.min()) > 0 and float(values.max()) / float(values.min()) >= 100


def score_distribution_chart(scores: np.ndarray, y_true: np.ndarray, threshold: float, *, fmt: str = "svg",
                             classes: tuple[str, str] = ("normal", "anomaly"),
                             xlabel: str = "anomaly score") -> str:
    """Histograms of a score per class (y_true 0 and 1), each as the share of its class's rows, the
    threshold marked; heavy-tailed positive scores are binned on a log axis."""
    scores, y_true = np.asarray(scores, dtype=float), np.asarray(y_true)
    log = _log_scale_fits(scores, [threshold])
    low, high = min(float(scores.min()), threshold), max(float(scores.max()), threshold)
    bins = np.geomspace(low * 0.95, high * 1.05, 40) if log else np.linspace(low, high + 1e-12, 40)
    with _figure(4.2, PAIR_WIDTH) as figure:  # beside pr_chart, at the same scale
        ax = figure.add_subplot()
        for label, colour, style, name in ((0, BASELINE, "-", classes[0]), (1, FALL, (0, (4, 1.5)), classes[1])):
            part = scores[y_true == label]
            if len(part):
                ax.hist(part, bins=bins, weights=np.full(len(part), 1 / len(part)), histtype="step", color=colour,
                        lw=1.8, ls=style, label=f"{name} ({len(part):,} rows)")
        ax.axvline(threshold, color=THRESHOLD, lw=1.5, label=f"threshold {threshold:.3g}")
        if log:
            ax.set_xscale("log")
        ax.set(xlabel=xlabel + (" (log scale)" if log else ""), ylabel="share of the class's rows")
        ax.yaxis.set_major_formatter(_percent())
        ax.legend(loc="lower center", ncols=3, bbox_to_anchor=(0.5, 1.0))
        return _data_uri(figure, fmt)


def pr_chart(curves: dict, average_precision: dict, model: str, *, prevalence: float, operating=None,
             dashed=(), fmt: str = "svg") -> str:
    """Precision-recall curves: the model bold, baselines grey or orange, ``dashed`` ones (a ceiling
    that saw the labels) dashed; a dot at the model's operating point ``(recall, precision)``; the
    line of a random ranking at ``prevalence``.

    ``curves`` maps a name to a frame with ``recall`` and ``precision``; ``average_precision`` to its PR AUC.
    """
    palette = [BEST_BASELINE, "#0c8599", BASELINE, "#e64980"]
    with _figure(4.2, PAIR_WIDTH) as figure:
        ax = figure.add_subplot()
        ax.axhline(prevalence, color=MUTED, lw=0.8, ls=":", label=f"random ranking ({prevalence:.3f})")
        others = iter(palette)
        for name in [*(n for n in curves if n != model), model]:
            points = curves[name]
            is_model = name == model
            colour = MODEL if is_model else THRESHOLD if name in dashed else next(others)
            ap = average_precision.get(name)
            label = (f"{name}" + (" (saw the labels)" if name in dashed else "")
                     + (f", AP {ap:.3f}" if _finite(ap) else ""))
            ax.plot(points["recall"], points["precision"], color=colour, lw=2.2 if is_model else 1.4,
                    ls="--" if name in dashed else "-", drawstyle="steps-post", zorder=4 if is_model else 3,
                    label=label)
        if operating is not None:
            ax.scatter([operating[0]], [operating[1]], s=36, color=MODEL, edgecolors="white", zorder=5,
                       label=f"{model} at its threshold")
        ax.set(xlim=(0, 1), ylim=(0, 1.02), xlabel="recall (share of the anomalies flagged)",
               ylabel="precision (share of the alerts that are anomalies)")
        ax.legend(loc="lower center", ncols=2, bbox_to_anchor=(0.5, 1.0), fontsize=8)
        return _data_uri(figure, fmt)


def threshold_chart(curve: pd.DataFrame, threshold: float, *, rule: str, target: float | None = None,
                    fmt: str = "svg", xlabel: str = "threshold on the anomaly score",
                    ylabel: str = "total cost") -> str:
    """What each threshold would give on the rows it was chosen on, the chosen one marked.

    ``curve`` is an ``alert_curve`` (``threshold``, ``alerts``, ``precision``, ``recall`` and, for
    the cost rule, ``missed_cost`` and ``cost``). The cost rule draws the total cost, its two parts
    and what flagging nothing or everything costs; any other rule precision and recall (left axis)
    and the alerts (right axis), with a precision or recall target as a line.
    """
    points = curve[np.isfinite(curve["threshold"])]
    x = points["threshold"].to_numpy(dtype=float)
    log = _log_scale_fits(x)
    with _figure(3.4, WIDTH) as figure:
        ax = figure.add_subplot()
        if rule == "cost":
            ax.plot(x, points["cost"], color=MODEL, lw=2, drawstyle="steps-post", label="total cost")
            ax.plot(x, points["missed_cost"], color=FALL, lw=1.2, ls="--", drawstyle="steps-post",
                    label="missed anomalies' amounts")
            ax.plot(x, points["cost"] - points["missed_cost"], color=BASELINE, lw=1.2, ls="-.", drawstyle="steps-post",
                    label="review fees")
            nothing, everything = float(curve["cost"].iloc[0]), float(curve["cost"].iloc[-1])
            ax.axhline(nothing, color=INK, lw=0.8, ls=(0, (1, 2)), label=f"flag nothing: {nothing:,.0f}")
            ax.axhline(everything, color=INK, lw=0.8, ls=(0, (5, 3)), label=f"flag everything: {everything:,.0f}")
            reached = curve.loc[curve["threshold"] >= threshold, "cost"]  # the flags the threshold raises
            ax.scatter([threshold], [float(reached.iloc[-1])], color=THRESHOLD, zorder=5, s=30)
            ax.set_ylabel(ylabel)
        else:
            ax.plot(x, points["precision"], color=MODEL, lw=2, drawstyle="steps-post", label="precision")
            ax.plot(x, points["recall"], color=RISE, lw=2, ls="--", drawstyle="steps-post", label="recall")
            if rule in ("precision", "recall") and _finite(target):
                ax.axhline(target, color=MUTED, lw=0.9, ls=":", label=f"target {rule} {target:.2f}")
            ax.set(ylim=(0, 1.03), ylabel="precision, recall")
            alerts = ax.twinx()
            alerts.plot(x, points["alerts"], color=BEST_BASELINE, lw=1.2, ls=":", drawstyle="steps-post",
                        label="alerts (right axis)")
            alerts.set_ylim(0, 1.03 * max(float(points["alerts"].max()), 1.0))  # its 0 level with the left axis's
            alerts.set_ylabel("alerts", color=BEST_BASELINE)
            alerts.tick_params(axis="y", colors=BEST_BASELINE)
            alerts.grid(False)
            alerts.spines["right"].set_visible(True)
            ax.plot([], [], color=BEST_BASELINE, lw=1.2, ls=":", label="alerts (right axis)")  # one legend
        ax.axvline(threshold, color=THRESHOLD, lw=1.5, label=f"chosen threshold {threshold:.3g}")
        if log:
            ax.set_xscale("log")
        ax.set_xlabel(xlabel + (" (log scale)" if log else ""))
        ax.legend(loc="lower center", ncols=3, bbox_to_anchor=(0.5, 1.0))
        return _data_uri(figure, fmt)


def error_heatmap(errors: pd.DataFrame, row_labels: list[str], highlighted: list[bool], *, fmt: str = "svg",
                  colour_label: str = "squared reconstruction error (scaled units)") -> str:
    """Per-feature errors of a few rows: rows down (``row_labels``; ``highlighted`` ones in red),
    features across, on a log colour scale when the errors span two decades or more."""
    from matplotlib.colors import LogNorm, Normalize

    values = errors.to_numpy(dtype=float)
    positive = values[values > 0]
    log = len(positive) > 0 and _log_scale_fits(positive)
    floor = float(np.quantile(positive, 0.02)) if log else 0.0
    top = max(float(values.max()), 1e-12)
    norm = LogNorm(vmin=floor, vmax=top) if log else Normalize(vmin=0.0, vmax=top)
    n_rows, n_features = values.shape
    with _figure(1.3 + 0.24 * n_rows, min(11.0, 2.6 + 0.3 * n_features)) as figure:
        ax = figure.add_subplot()
        image = ax.imshow(np.maximum(values, floor) if log else values, cmap="magma_r", norm=norm, aspect="auto",
                          interpolation="nearest")
        ax.set_yticks(np.arange(n_rows), [_short(label) for label in row_labels])
        for tick, red in zip(ax.get_yticklabels(), highlighted):
            tick.set_color(FALL if red else INK)
        ax.set_xticks(np.arange(n_features), [_short(str(f), 14) for f in errors.columns], rotation=60, ha="right",
                      rotation_mode="anchor")
        ax.tick_params(axis="both", labelsize=7.5, length=0)
        ax.grid(False)
        bar = figure.colorbar(image, ax=ax, fraction=0.04, pad=0.015)
        bar.set_label(colour_label + (", log scale" if log else ""), fontsize=8)
        bar.ax.tick_params(labelsize=7.5)
        return _data_uri(figure, fmt)


def label_probability_chart(times, probability: np.ndarray, actual: np.ndarray, threshold: float | None, *,
                            positive: str, fmt: str = "svg") -> str:
    """A classifier's probability of ``positive`` over time, with the steps that were ``positive``
    shaded (``actual`` 0/1) and the threshold; long stretches are thinned (``thin``)."""
    index = pd.Index(times)
    probability = pd.Series(np.asarray(probability, dtype=float), index=index)
    actual = np.asarray(actual, dtype=float)
    with _time_figure(2.8) as figure:
        ax = figure.add_subplot()
        ax.fill_between(index, 0, actual, step="post", color=RISE, alpha=0.18, lw=0, label=f"actual {positive}")
        shown = thin(probability)
        ax.plot(shown.index, shown, color=MODEL, lw=1.2, label=f"P({positive})")
        if threshold is not None:
            ax.axhline(threshold, color=THRESHOLD, lw=1.0, ls=":", label=f"threshold {threshold:.3g}")
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel("probability")
        if isinstance(index, pd.DatetimeIndex):
            _date_axis(ax)
        else:
            ax.set_xlabel("window end")
        _legend_above(ax)
        return _data_uri(figure, fmt)


def forecast_windows_chart(windows: list[dict], *, target: str, fmt: str = "svg") -> str:
    """Small multiples, one per forecast origin: the target's last steps, then the actual next values
    against the model's forecast (with its interval band) and one baseline's (dashed).

    Each of ``windows`` holds ``title``, ``history`` (the last input steps of the target, oldest
    first), ``actual`` and ``forecast`` (H values each), optional ``lower``/``upper`` (H values) and
    ``baseline`` (H values) with ``baseline_name``; the x axis counts steps from the origin.
    """
    columns = min(len(windows), 4)
    rows = math.ceil(len(windows) / columns)
    with _figure(2.2 * rows + 0.45, width=2.4 * columns) as figure:
        axes = np.atleast_1d(figure.subplots(rows, columns, sharey=True, squeeze=False)).ravel()
        for ax, window in zip(axes, windows):
            history = np.asarray(window["history"], dtype=float)
            horizon = len(window["actual"])
            past = np.arange(-len(history) + 1, 1)
            ahead = np.arange(1, horizon + 1)
            ax.axvline(0.5, color=MUTED, lw=0.7, ls=":", zorder=1)
            ax.plot(past, history, color=INK, lw=1.2, label="input (actual)")
            ax.plot(np.r_[0, ahead], np.r_[history[-1], window["actual"]], color=INK, lw=1.2, ls="-", marker="o",
                    ms=2.5, label="actual")
            if window.get("lower") is not None:
                ax.fill_between(ahead, window["lower"], window["upper"], color=MODEL, alpha=0.18, lw=0,
                                label=window.get("band", "interval"))
            if window.get("baseline") is not None:
                ax.plot(ahead, window["baseline"], color=BEST_BASELINE, lw=1.3, ls="--", label=window["baseline_name"])
            ax.plot(ahead, window["forecast"], color=MODEL, lw=1.8, marker="o", ms=3, label="forecast")
            ax.set_title(_short(window["title"]), fontsize=8.5)
            ax.tick_params(labelsize=7.5)
        for ax in axes[len(windows):]:
            ax.set_visible(False)
        for ax in axes[(rows - 1) * columns:]:
            ax.set_xlabel("steps from the forecast origin")
        axes[0].set_ylabel(_short(target))
        figure.legend(*axes[0].get_legend_handles_labels(), loc="outside upper center", ncols=5)
        return _data_uri(figure, fmt)


def _spread_fits_log(series) -> bool:
    """Whether positive values whose largest is 4+ times the smallest read better on a log axis."""
    values = np.concatenate([np.asarray(v, dtype=float).ravel() for v in series])
    values = values[np.isfinite(values)]
    return len(values) > 0 and float(values.min()) > 0 and float(values.max()) / float(values.min()) >= 4


def horizon_chart(values: dict, *, ylabel: str, model: str, best: str | None = None, nominal: float | None = None,
                  fmt: str = "svg") -> str:
    """A metric per forecast horizon, one line per model (``values``: name -> one value per horizon):
    the model bold, the ``best`` baseline orange, the others grey with a marker each; ``nominal`` (a
    coverage's target) as a line; errors spanning a factor of 4 or more on a log axis."""
    markers = iter("sD^v<>")
    with _figure(3.0, PAIR_WIDTH) as figure:
        ax = figure.add_subplot()
        for name, series in values.items():
            series = np.asarray(series, dtype=float)
            horizons = np.arange(1, len(series) + 1)
            if name == model:
                style = {"color": MODEL, "lw": 2.2, "marker": "o", "ms": 3.5, "zorder": 3}
            else:
                colour = BEST_BASELINE if name == best else BASELINE
                style = {"color": colour, "lw": 1.3, "ls": "--", "marker": next(markers, "."), "ms": 3, "zorder": 2}
            ax.plot(horizons, series, label=name, **style)
        if nominal is not None:
            ax.axhline(nominal, color=THRESHOLD, lw=1.2, ls=":", label=f"nominal {nominal:.0%}")
            low = min(nominal, *(float(np.min(v)) for v in values.values()))
            ax.set_ylim(max(0.0, low - 0.15), 1.0)  # a few points' wobble is not drawn as a cliff
            ax.yaxis.set_major_formatter(_percent())
        elif _spread_fits_log(values.values()):
            from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

            ax.set_yscale("log")  # a naive forecast many times worse does not flatten the others
            ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.2g}"))  # 0.5, 2 rather than 5×10⁻¹
            ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set(xlabel="horizon (steps ahead)", ylabel=ylabel)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower center", ncols=4, bbox_to_anchor=(0.5, 1.0))
        return _data_uri(figure, fmt)


def _bins(values: np.ndarray, *marks: float) -> np.ndarray:
    """Histogram edges over the values and the marked lines: about two bins per square root of the count."""
    low, high = min(float(values.min()), *marks), max(float(values.max()), *marks)
    pad = max((high - low) * 0.04, 0.005)
    count = int(np.clip(round(2 * math.sqrt(len(values))), 5, 30))
    return np.linspace(low - pad, high + pad, count + 1)


def auc_distribution_chart(model_auc, baseline_auc, *, fmt: str = "svg") -> str:
    """Across tickers: a histogram of each ticker's mean ROC AUC per fold, the coin flip (0.5), the
    model's median and its best baselines' median marked. NaN values are left out."""
    model_auc = np.asarray(model_auc, dtype=float)
    model_auc = model_auc[np.isfinite(model_auc)]
    baseline_auc = np.asarray(baseline_auc, dtype=float)
    baseline_median = float(np.median(baseline_auc[np.isfinite(baseline_auc)]))
    model_median = float(np.median(model_auc))
    with _figure(3.0, PAIR_WIDTH) as figure:
        ax = figure.add_subplot()
        ax.hist(model_auc, bins=_bins(model_auc, 0.5, baseline_median), color=MODEL, alpha=0.55,
                edgecolor="white", lw=0.6, label="tickers")
        ax.axvline(0.5, color=MUTED, lw=1.2, ls=":", label="coin flip 0.5")
        ax.axvline(model_median, color=INK, lw=1.6, label=f"median {model_median:.3f}")
        ax.axvline(baseline_median, color=BEST_BASELINE, lw=1.6, ls="--",
                   label=f"best baselines' median {baseline_median:.3f}")
        ax.set(xlabel="mean ROC AUC per fold (each ticker's model)", ylabel="tickers")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower center", ncols=2, bbox_to_anchor=(0.5, 1.0))
        return _data_uri(figure, fmt)


def sharpe_distribution_chart(strategy, buy_and_hold, *, fmt: str = "svg") -> str:
    """Across tickers: each ticker's Sharpe ratio after costs beside its buy-and-hold's, as a box of
    the quartiles over one dot per ticker (spread up and down so equal values stay apart), zero marked."""
    rows = [("strategy (after costs)", MODEL, strategy), ("buy and hold", BASELINE, buy_and_hold)]
    with _figure(3.0, PAIR_WIDTH) as figure:
        ax = figure.add_subplot()
        ax.axvline(0.0, color=INK, lw=1.0, zorder=1)
        for y, (_, colour, values) in enumerate(rows[::-1]):
            values = np.asarray(values, dtype=float)
            values = values[np.isfinite(values)]
            ax.boxplot(values, positions=[y], orientation="horizontal", widths=0.55, showfliers=False,
                       patch_artist=True, boxprops={"facecolor": "none", "edgecolor": colour, "lw": 1.3},
                       medianprops={"color": colour, "lw": 2.2}, whiskerprops={"color": colour},
                       capprops={"color": colour}, zorder=2)
            spread = np.random.default_rng(0).uniform(-0.2, 0.2, len(values))  # the same dots every time
            ax.scatter(values, y + spread, s=14, color=colour, alpha=0.7, edgecolors="none", zorder=3)
        ax.set_yticks(range(len(rows)), [label for label, _, _ in rows[::-1]])
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Sharpe ratio (annualised), one dot per ticker")
        return _data_uri(figure, fmt)


def p_value_chart(p_values, discoveries, alpha: float, *, fmt: str = "svg") -> str:
    """Benjamini-Hochberg at a glance: the p-values sorted, against the line ``alpha * rank / m``;
    the discoveries (every p-value up to the last one under the line) in green, on a log scale.
    NaN p-values are left out (at least one must be known); one below 1e-12 is drawn at 1e-12."""
    p_values, discoveries = np.asarray(p_values, dtype=float), np.asarray(discoveries, dtype=bool)
    known = np.isfinite(p_values)
    order = np.argsort(p_values[known], kind="stable")
    p, found = p_values[known][order], discoveries[known][order]
    rank = np.arange(1, len(p) + 1)
    shown = np.maximum(p, 1e-12)
    floor = min(float(shown.min()), alpha / len(p)) / 4  # the lowest dot and the line's start stay inside
    with _figure(3.2, WIDTH) as figure:
        ax = figure.add_subplot()
        line = np.linspace(0.5, len(p) + 0.5, 200)
        ax.plot(line, alpha * line / len(p), color=THRESHOLD, lw=1.4, label=f"α·rank/m, α = {alpha:g}, m = {len(p)}")
        ax.scatter(rank[~found], shown[~found], s=18, color=BASELINE, zorder=3, label="not a discovery")
        if found.any():
            ax.scatter(rank[found], shown[found], s=22, color=RISE, zorder=4, label=f"discovery ({found.sum()})")
        ax.set_yscale("log")
        ax.set(xlim=(0.5, len(p) + 0.5), ylim=(floor, 1.5), xlabel="tickers, by p-value",
               ylabel="one-sided p-value of Sharpe > 0")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower center", ncols=3, bbox_to_anchor=(0.5, 1.0))
        return _data_uri(figure, fmt)
