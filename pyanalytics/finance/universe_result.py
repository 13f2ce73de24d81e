"""What a universe walk-forward found: per ticker, across tickers, and honestly after many tries."""

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from pyanalytics.errors import DataError, PyAnalyticsError
from pyanalytics.evaluation.multiple_testing import benjamini_hochberg, deflated_sharpe_ratio, sharpe_p_values
from pyanalytics.finance.backtest import portfolio_record
from pyanalytics.jsonio import json_safe

DISTRIBUTION_COLUMNS = ("model_auc", "auc_edge", "strategy_sharpe", "buy_and_hold_sharpe")
CROSS_SECTION = "cross-section"  # the pooled long-short strategy's name among the trials
SHOWN_P_VALUES = 5  # tickers listed by p-value (command line, report) when none is a discovery


@dataclass(frozen=True, eq=False)
class MultiWalkForwardResult:
    """Walk-forward results of many tickers, each run on its own whole history.

    Attributes:
        results: ticker -> WalkForwardResult, in the universe's order.
        skipped: ticker -> why it was set aside (unreadable prices, too short a history, a fold
            that failed).
        notes: ticker -> warnings raised while reading its prices (rows dropped, ...).
        cross_section: the pooled model's long-short strategy (``CrossSectionResult``), or None.
        run: how the tasks ran (``pyanalytics.engine.RunReport``: engine, workers, tasks
            computed and reused from the store, seconds, peak memory per worker), or None.
        config: the universe's settings (engine settings excluded: they do not change results).
    """

    results: dict
    skipped: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    cross_section: object | None = None
    run: object | None = None
    config: dict = field(default_factory=dict)

    def summary_table(self) -> pd.DataFrame:
        """One row per ticker: see ``WalkForwardResult.summary_row`` (each on its own period)."""
        return pd.DataFrame([{"ticker": name, **r.summary_row()} for name, r in self.results.items()])

    def distribution(self) -> pd.DataFrame:
        """Across tickers: count, mean, spread and quantiles of the mean per-fold AUC, its edge over the
        best baseline, and the strategy's and buy-and-hold's Sharpe ratios (one row each)."""
        table = self.summary_table()[list(DISTRIBUTION_COLUMNS)].astype(np.float64)
        return table.describe(percentiles=[0.1, 0.25, 0.5, 0.75, 0.9]).T.rename_axis("statistic")

    def significance(self, alpha: float = 0.05) -> pd.DataFrame:
        """Per ticker, is the strategy's Sharpe ratio above zero beyond luck, after trying them all?

        One-sided p-values of the Sharpe t-statistics (``BacktestResult.sharpe_t``), adjusted by
        Benjamini-Hochberg over the tickers (false discovery rate ``alpha``). A discovery says the
        strategy earned more than nothing, which a long/flat strategy on a rising stock does
        without skill; the same test on the daily excess over buy-and-hold (``excess_t``) says
        whether it beat holding the stock (``beats_holding``).

        Returns:
            one row per ticker (index ``ticker``): ``sharpe`` (annualised), ``sharpe_t``,
            ``excess_t``, ``n_days``, ``p_value``, ``p_adjusted``, ``discovery``, ``p_excess``,
            ``p_excess_adjusted``, ``beats_holding``; sorted by p-value.
        """
        table = pd.DataFrame({
            name: {"sharpe": r.backtest.stats["sharpe"], "sharpe_t": r.backtest.sharpe_t(),
                   "excess_t": r.backtest.excess_t(), "n_days": r.backtest.stats["n_days"]}
            for name, r in self.results.items()
        }).T.rename_axis("ticker").astype({"sharpe": float, "sharpe_t": float, "excess_t": float, "n_days": int})
        table["p_value"] = sharpe_p_values(table["sharpe_t"].to_numpy())
        table["p_adjusted"], table["discovery"] = benjamini_hochberg(table["p_value"].to_numpy(), alpha)
        table["p_excess"] = sharpe_p_values(table["excess_t"].to_numpy())
        table["p_excess_adjusted"], table["beats_holding"] = benjamini_hochberg(table["p_excess"].to_numpy(), alpha)
        return table.sort_values("p_value", kind="stable")

    def trial_returns(self) -> dict:
        """Every strategy tried, name -> its daily net returns: each ticker's, and the cross-section's."""
        trials = {name: r.backtest.daily["strategy_return"] for name, r in self.results.items()}
        if self.cross_section is not None:
            trials[CROSS_SECTION] = self.cross_section.daily["long_short_return"]
        return trials

    def deflated_sharpe(self) -> dict:
        """The deflated Sharpe ratio (Bailey and Lopez de Prado, 2014) of the best strategy tried.

        The best by Sharpe ratio among every ticker's strategy and the cross-sectional one is judged
        against the Sharpe ratio the best of that many unskilled strategies would reach by luck;
        ``dsr`` is the probability that its true Sharpe ratio is above zero given the tries.
        """
        trials = {name: r.dropna().to_numpy() for name, r in self.trial_returns().items()}
        sharpes = {name: _sharpe(returns) for name, returns in trials.items()}
        finite = {name: s for name, s in sharpes.items() if np.isfinite(s)}
        if not finite:
            raise DataError("deflated_sharpe: no strategy has a Sharpe ratio (every one is flat).")
        best = max(finite, key=finite.get)
        return {"strategy": best, **deflated_sharpe_ratio(trials[best], np.fromiter(finite.values(), float))}

    def portfolio(self) -> tuple[pd.DataFrame, dict]:
        """The equal-weight portfolio of the tickers' strategies, and of their buy-and-holds.

        Tickers' histories differ (Microsoft listed in 1986, Apple in 1980), so the portfolio is
        aligned on the dates common to every ticker's backtest: each such day earns the mean of
        the tickers' net strategy returns (rebalanced daily to equal weights, no extra cost).

        Returns:
            ``(daily, stats)``: ``daily`` has ``strategy_return``, ``equity``, ``drawdown`` and
            the same three for ``benchmark_``; ``stats`` is ``{"strategy": {...},
            "buy_and_hold": {...}}`` with the statistics in ``PORTFOLIO_STATS`` and the dates.
        """
        returns = {
            side: pd.concat({n: r.backtest.daily[side] for n, r in self.results.items()}, axis=1, join="inner")
            for side in ("strategy_return", "benchmark_return")
        }
        common = returns["strategy_return"].index
        if not len(common):
            raise DataError(
                f"portfolio: the backtests of {', '.join(self.results)} share no date; "
                "an equal-weight portfolio needs overlapping histories."
            )
        means = {side: frame.mean(axis=1).to_numpy() for side, frame in returns.items()}
        record, stats = portfolio_record(means["strategy_return"], means["benchmark_return"], common)
        daily = pd.DataFrame(means, index=common).join(record)
        return daily[["strategy_return", "equity", "drawdown", "benchmark_return", "benchmark_equity",
                      "benchmark_drawdown"]], stats

    def summary(self) -> dict:
        """Every ticker's summary, the tables across tickers, the cross-section and the run, as JSON-able data."""
        many = len(self.results) > 1
        significance = self.significance().reset_index() if self.results else None
        return json_safe({
            **self.config,
            "tickers": {name: r.summary() for name, r in self.results.items()},
            "summary": self.summary_table().to_dict(orient="records"),
            "skipped": self.skipped,
            "notes": self.notes,
            "distribution": self.distribution().reset_index().to_dict(orient="records") if many else None,
            "significance": None if significance is None else significance.to_dict(orient="records"),
            "deflated_sharpe": _value_or_reason(self.deflated_sharpe),
            "portfolio": _value_or_reason(lambda: self.portfolio()[1]) if many else None,
            "cross_section": None if self.cross_section is None else self.cross_section.summary(),
            "run": None if self.run is None else asdict(self.run),
        })


def _sharpe(returns: np.ndarray) -> float:
    """Per-period Sharpe ratio (mean over standard deviation); NaN for fewer than two days or no spread."""
    spread = returns.std(ddof=1) if len(returns) > 1 else 0.0
    return float(returns.mean() / spread) if spread > 0 else float("nan")


def attempt(compute):
    """``(compute(), None)``, or ``(None, its message)`` when it raises a PyAnalyticsError: a universe whose
    histories share no date has no equal-weight portfolio, one whose strategies are all flat no best Sharpe."""
    try:
        return compute(), None
    except PyAnalyticsError as error:
        return None, str(error)


def _value_or_reason(compute):
    value, reason = attempt(compute)
    return {"missing": reason} if reason is not None else value
