"""A model pooled across a universe of tickers, trading a daily long-short portfolio of its ranks.

One model per ticker asks "will this stock rise?"; the pooled model asks "which stocks will do
better than the others?", learning from every ticker's history at once (about 100 times the rows
of one ticker).

Decisions:

- Features: each ticker's ``build_dataset`` with one ``FeatureSpec`` for all (the columns every
  ticker has), so a feature at date t uses that ticker's prices up to t only. Each date's rows
  are then z-scored across the tickers present that date (mean 0, standard deviation 1 with
  ddof 0; a feature equal across them is 0): a value says how a stock stands against the rest of
  the market that day, and uses nothing but that day's cross-section (no look-ahead).
- Label: relative. 1 when the ticker's forward return over the horizon is above that date's
  cross-sectional median (of the tickers present with a known forward return), else 0; NaN where
  the forward return is unknown. A market-wide rise or fall is no signal here; half the rows of
  each date are "up".
- Dates with fewer than ``min_tickers`` tickers present are dropped: a median of three is noise.
- Walk-forward over the labelled *dates* (the same ``WalkForward``), so a fold's training and
  test rows never share a date and the purge gap (default the horizon) is counted in dates; the
  early-stopping rows are the last ``validation`` fraction of the training dates after another
  gap. Only ``"dnn"`` is pooled: windows of a sequence model do not stack across tickers.
- Portfolio: rebalanced daily. At each test date's close, long the top ``quantile`` of the
  tickers predicted that date by probability and short the bottom ``quantile`` (at least one
  each), equal weights ``1/n_long`` and ``-1/n_short`` (dollar-neutral), held one day, earning
  each ticker's next-day simple return; costs ``(cost_bps + slippage_bps) / 1e4`` per unit of
  turnover, the sum of the absolute weight changes (entering from no position counts). The
  benchmark is the equal-weight portfolio of the same tickers each day (rebalanced daily, no
  cost), as ``MultiWalkForwardResult.portfolio``.

``run_cross_section_fold`` is one fold's work and returns plain JSON-able data, so a fold can
run as an engine task; ``assemble_cross_section`` stitches the folds and trades them.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pyanalytics.engine import task_seed
from pyanalytics.errors import DataError, ParameterError
from pyanalytics.evaluation import best_baseline, classification_metrics
from pyanalytics.evaluation.metrics import fold_spread
from pyanalytics.evaluation.scoring import probabilities, score
from pyanalytics.evaluation.verdict import fold_edge
from pyanalytics.finance.backtest import (
    DEFAULT_COST_BPS,
    MAX_BPS,
    backtest_matrix,
    portfolio_record,
    sharpe_t_statistic,
)
from pyanalytics.finance.features import Dataset, FeatureSpec, build_dataset, default_spec, forward_returns
from pyanalytics.finance.model_setup import ModelSetup
from pyanalytics.finance.walk_forward import WINDOW_MODES, fold_auc_table
from pyanalytics.jsonio import json_safe
from pyanalytics.params import check_choice, check_float, check_int
from pyanalytics.splits import WalkForward, chronological_split

DEFAULT_MIN_TICKERS = 10  # fewer tickers on a date make its quantiles and z-scores mostly noise
CROSS_SECTION_BATCH = 512  # the pooled rows are ~100x one ticker's: batch_size unless model_params sets one
POOLED_MODELS = ("dnn",)


@dataclass(frozen=True, eq=False)
class CrossSectionPanel:
    """Every ticker's feature rows stacked, sorted by (date, ticker), standardised per date.

    Attributes:
        X: features (RangeIndex, float64), z-scored per date across the tickers present.
        dates: ``datetime64[ns]`` date of each row.
        tickers: ticker of each row (str).
        label: 1.0 when the ticker's forward return over ``horizon`` beats that date's
            cross-sectional median, 0.0 otherwise, NaN where unknown.
        forward_return: the next-day simple return of each row (what the portfolio earns).
        horizon: rows ahead the label looks.
        spec: the feature spec every ticker was built with.
    """

    X: pd.DataFrame
    dates: np.ndarray
    tickers: np.ndarray
    label: np.ndarray
    forward_return: np.ndarray
    horizon: int
    spec: FeatureSpec

    def dataset(self) -> Dataset:
        """The panel as a ``Dataset`` (rows = ticker-dates), for ``ModelSetup.fit`` and scoring."""
        return Dataset(
            X=self.X, y=pd.Series(self.label), forward_return=pd.Series(self.forward_return),
            spec=self.spec, horizon=self.horizon, dead_zone=0.0,
        )


def cross_section_panel(
    prices: dict, *, horizon: int = 1, spec: FeatureSpec | None = None, min_tickers: int = DEFAULT_MIN_TICKERS
) -> CrossSectionPanel:
    """Build the pooled panel of a universe: features per ticker, standardised per date, relative labels.

    Args:
        prices: ticker -> prices frame (the prices contract, see ``load_prices``).
        horizon: rows ahead for the label.
        spec: one feature spec for every ticker (default: ``default_spec`` of each ticker, keeping
            the features all of them have, e.g. no volume feature when one ticker's volume is flat).
        min_tickers: dates with fewer tickers present are dropped (at least 2).

    Raises:
        ParameterError: fewer than 2 tickers, or ``min_tickers`` < 2.
        DataError: a ticker's prices too short for its features (named), or no date with
            ``min_tickers`` tickers present.
    """
    min_tickers = check_int("min_tickers", min_tickers, minimum=2)
    if len(prices) < 2:
        raise ParameterError(f"prices: a cross-section needs at least 2 tickers, got {len(prices)}; pass a universe.")
    specs = {name: spec or default_spec(frame) for name, frame in prices.items()}
    frames = []
    for name, frame in prices.items():
        try:
            dataset = build_dataset(frame, specs[name], horizon)
        except DataError as error:
            raise DataError(f"{name}: {error}") from error
        frames.append(dataset.X.assign(
            _ticker=str(name),
            _horizon_return=dataset.forward_return,
            _next_return=forward_returns(frame, 1, specs[name].price).loc[dataset.X.index],
        ))
    columns = [c for c in frames[0].columns if all(c in f.columns for f in frames)]
    stacked = pd.concat([f[columns] for f in frames]).rename_axis("date").reset_index()
    stacked = stacked.sort_values(["date", "_ticker"], kind="stable", ignore_index=True)
    present = stacked.groupby("date")["_ticker"].transform("size").to_numpy()
    if present.max() < min_tickers:
        raise DataError(
            f"min_tickers: no date has {min_tickers} tickers present (at most {present.max()} on one date); "
            "lower min_tickers or add tickers with overlapping histories."
        )
    stacked = stacked[present >= min_tickers].reset_index(drop=True)
    features = [c for c in columns if not c.startswith("_")]
    by_date = stacked.groupby("date")
    spread = by_date[features].transform("std", ddof=0)
    X = ((stacked[features] - by_date[features].transform("mean")) / spread.where(spread > 0)).fillna(0.0)
    ahead = stacked["_horizon_return"]
    median = ahead.groupby(stacked["date"]).transform("median")
    label = np.where(ahead.isna(), np.nan, (ahead > median).astype(np.float64))
    chosen = min(specs.values(), key=lambda s: len(s.names))  # the spec of the columns kept
    return CrossSectionPanel(
        X=X.astype(np.float64), dates=stacked["date"].to_numpy(dtype="datetime64[ns]"),
        tickers=stacked["_ticker"].to_numpy(dtype=str), label=label,
        forward_return=stacked["_next_return"].to_numpy(dtype=np.float64), horizon=horizon, spec=chosen,
    )


def cross_section_blocks(
    panel: CrossSectionPanel, *, folds: int = 5, gap: int | None = None, window_mode: str = "expanding",
    train_size: int | None = None, test_size: int | None = None, embargo: int = 0,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Walk-forward folds over the panel's labelled dates, as ``(train_rows, test_rows)`` of the panel.

    ``WalkForward`` cuts the sorted unique dates that have a label (sizes, gap and embargo are
    counted in dates); each fold's rows are the labelled rows on its dates.

    Args:
        panel: the pooled panel.
        folds, window_mode, train_size, test_size, embargo: see ``WalkForward``.
        gap: purge gap in dates (default the panel's horizon; at least the horizon).

    Raises:
        ParameterError: an argument out of range.
        DataError: too few labelled dates for the folds.
    """
    gap = panel.horizon if gap is None else check_int("gap", gap, minimum=panel.horizon)
    splitter = WalkForward(check_int("folds", folds, minimum=2), check_choice("window_mode", window_mode, WINDOW_MODES),
                           gap, train_size, test_size, embargo)
    labelled = np.flatnonzero(~np.isnan(panel.label))
    days, where = np.unique(panel.dates[labelled], return_inverse=True)
    return [
        (labelled[np.isin(where, train)], labelled[np.isin(where, test)])
        for train, test in splitter.split(len(days))
    ]


def plan_cross_section(
    panel: CrossSectionPanel, *, folds: int = 5, model: str = "dnn", gap: int | None = None,
    window_mode: str = "expanding", train_size: int | None = None, test_size: int | None = None,
    embargo: int = 0, validation: float = 0.15, seed: int | None = 0, model_params: dict | None = None,
) -> tuple[ModelSetup, list]:
    """Check the pooled model's settings and cut the panel's dates into folds, before anything is fitted.

    Args:
        panel: the pooled panel (``cross_section_panel``).
        folds, gap, window_mode, train_size, test_size, embargo: see ``cross_section_blocks``.
        model: the pooled model, ``"dnn"``.
        validation: fraction of the training dates held out for early stopping, > 0 (without
            it the model would carve its own from the last rows, splitting a date).
        seed: the run's seed of the pooled model; fold k fits with ``task_seed(seed, k)``.
        model_params: extra keyword arguments of the model class (e.g. ``{"epochs": 20}``).

    Returns:
        ``(setup, blocks)``: the model setup and, per fold, its training and test rows.

    Raises:
        ParameterError: an argument out of range, or a model other than ``"dnn"``.
        DataError: too few dates for the folds.
    """
    if model not in POOLED_MODELS:
        raise ParameterError(
            f"model: the cross-sectional model pools one day per ticker, so it is 'dnn'; got {model!r} "
            "(a sequence model's windows do not stack across tickers)."
        )
    params = {"batch_size": CROSS_SECTION_BATCH, **(model_params or {})}
    setup = ModelSetup(model, panel.horizon, None, gap, None, False, seed, params)
    check_float("validation", validation, low=0.0, high=0.9, low_open=True)  # a model's own carve counts rows
    blocks = cross_section_blocks(panel, folds=folds, gap=setup.gap, window_mode=window_mode,
                                  train_size=train_size, test_size=test_size, embargo=embargo)
    return setup, blocks


def run_cross_section_fold(
    panel: CrossSectionPanel, fold: int, *, folds: int = 5, model: str = "dnn", gap: int | None = None,
    window_mode: str = "expanding", train_size: int | None = None, test_size: int | None = None,
    embargo: int = 0, validation: float = 0.15, seed: int | None = 0, model_params: dict | None = None,
) -> dict:
    """Fit the pooled model and the baselines on one fold's past dates and predict its test dates.

    The fold's training dates lose their last ``validation`` fraction (after a purge gap of
    ``gap`` dates) to early stopping. ``batch_size`` defaults to ``CROSS_SECTION_BATCH``.

    Args:
        panel: the pooled panel (``cross_section_panel``).
        fold: which fold, from 1 to ``folds``.
        folds, model, gap, window_mode, train_size, test_size, embargo, validation, seed,
        model_params: see ``plan_cross_section``.

    Returns:
        Plain JSON-able data: ``fold``, ``rows`` (panel rows predicted), ``prob_up`` (the
        model's), ``baselines`` (name -> probabilities), ``thresholds`` (name -> threshold),
        ``row`` (the fold's dates, sizes, ``best_epoch`` and ROC AUC of the model and of every
        baseline) and ``settings``.

    Raises:
        ParameterError: an argument out of range, or a model other than ``"dnn"``.
        DataError: too few dates for the folds or for a part.
    """
    setup, blocks = plan_cross_section(panel, folds=folds, model=model, gap=gap, window_mode=window_mode,
                                       train_size=train_size, test_size=test_size, embargo=embargo,
                                       validation=validation, seed=seed, model_params=model_params)
    fold = check_int("fold", fold, minimum=1)
    if fold > len(blocks):
        raise ParameterError(f"fold: expected a fold from 1 to {len(blocks)}, got {fold}.")
    setup = replace(setup, seed=task_seed(setup.seed, fold))
    training, test = blocks[fold - 1]
    days, where = np.unique(panel.dates[training], return_inverse=True)
    carve = chronological_split(len(days), validation=validation, test=0.0, gap=setup.gap, label="dates")
    rows = {"train": training[np.isin(where, carve.train)], "validation": training[np.isin(where, carve.validation)],
            "test": test}
    rows = {name: part for name, part in rows.items() if len(part)}
    dataset = panel.dataset()
    estimator, baselines = setup.fit(dataset, rows)
    prob_up = probabilities(estimator, model, baselines, dataset, test, None)
    metrics = score(estimator, model, baselines, dataset, test, None, setup.alpha, prob_up=prob_up)
    model_prob = prob_up.pop(model)
    baseline, baseline_auc = best_baseline(metrics, model)
    spans = {part: (_iso(panel.dates[r[0]]), _iso(panel.dates[r[-1]])) for part, r in rows.items()}
    spans.setdefault("validation", (None, None))
    row = {
        "fold": fold,
        **{f"{part}_{end}": spans[part][i] for part in ("train", "validation", "test")
           for i, end in enumerate(("start", "end"))},
        "n_train": len(rows["train"]), "n_validation": len(rows.get("validation", ())), "n_test": len(test),
        "n_test_dates": int(len(np.unique(panel.dates[test]))),
        "best_epoch": getattr(estimator, "best_epoch_", None), "threshold": float(estimator.threshold_),
        **{k: metrics[model][k] for k in ("roc_auc", "accuracy", "brier", "up_rate")},
        "best_baseline": baseline, "best_baseline_auc": baseline_auc,
        **{f"roc_auc_{name}": metrics[name]["roc_auc"] for name in baselines},
    }
    settings = {
        "model": model, "horizon": setup.horizon, "n_folds": len(blocks), "gap": setup.gap, "embargo": embargo,
        "window_mode": window_mode, "train_size": train_size, "test_size": test_size, "validation": validation,
        "seed": seed, "model_params": setup.model_params,
    }
    return {
        "fold": fold,
        "rows": test.tolist(),
        "prob_up": np.asarray(model_prob, dtype=np.float64).tolist(),
        "baselines": {name: np.asarray(p, dtype=np.float64).tolist() for name, p in prob_up.items()},
        "thresholds": {model: float(estimator.threshold_), **{n: float(b.threshold_) for n, b in baselines.items()}},
        "row": _plain(row),
        "settings": settings,
    }


@dataclass(frozen=True, eq=False)
class CrossSectionResult:
    """The pooled model's stitched out-of-sample predictions, its folds and its long-short portfolio.

    Attributes:
        predictions: one row per predicted ticker-date, sorted by (date, ticker): ``date``,
            ``ticker``, ``fold``, ``prob_up``, ``label``, ``forward_return`` (next day),
            ``weight`` (held over the next day) and ``prob_<baseline>`` per baseline.
        folds: one row per fold (see ``run_cross_section_fold``'s ``row``).
        metrics: metric dicts of the model and every baseline on all predicted rows, each row
            judged at its fold's threshold; judge the model on ``fold_auc``/``auc_edge``.
        daily: one row per test date (index ``date``, the decision's close; the return is
            earned over the next day): ``n_tickers``, ``n_long``, ``n_short``, ``gross_return``,
            ``turnover``, ``cost``, ``long_short_return`` (net), ``equity``, ``drawdown``,
            ``benchmark_return``, ``benchmark_equity``, ``benchmark_drawdown``.
        stats: ``{"strategy": {...}, "buy_and_hold": {...}}`` with ``PORTFOLIO_STATS``, the
            mean daily ``turnover`` (strategy) and the dates.
        config: the settings of the run as plain data.
    """

    predictions: pd.DataFrame
    folds: pd.DataFrame
    metrics: dict
    daily: pd.DataFrame
    stats: dict
    config: dict

    @property
    def model_name(self) -> str:
        return self.config["model"]

    def sharpe_t(self) -> float:
        """t-statistic of the long-short portfolio's mean daily net return: ``sharpe * sqrt(years)``."""
        stats = self.stats["strategy"]
        return sharpe_t_statistic(stats["sharpe"], stats["n_days"], self.config["periods_per_year"])

    @property
    def fold_auc(self) -> pd.DataFrame:
        """ROC AUC of the model and of every baseline in each fold."""
        return fold_auc_table(self.folds, self.metrics, self.model_name)

    @property
    def auc_edge(self) -> dict:
        """The model's mean per-fold ROC AUC margin over its strongest baseline (``fold_edge``)."""
        return fold_edge(self.fold_auc, self.model_name)

    def summary(self) -> dict:
        """The result as plain JSON-able data (no per-row predictions)."""
        return json_safe({
            **self.config,
            "metrics": self.metrics,
            "fold_auc": {name: fold_spread(aucs) for name, aucs in self.fold_auc.items()},
            "auc_edge": self.auc_edge,
            "folds": self.folds.to_dict(orient="records"),
            "sharpe_t": self.sharpe_t(),
            "strategy": self.stats["strategy"],
            "buy_and_hold": self.stats["buy_and_hold"],
        })


def assemble_cross_section(
    panel: CrossSectionPanel, fold_outputs: list, *, quantile: float = 0.2, cost_bps: float = DEFAULT_COST_BPS,
    slippage_bps: float = 0.0, periods_per_year: int = 252,
) -> CrossSectionResult:
    """Stitch the folds' predictions, score them, and trade the daily long-short portfolio.

    Args:
        panel: the panel the folds were run on.
        fold_outputs: the ``run_cross_section_fold`` results, one per fold (any order).
        quantile: fraction of each date's tickers held long (top) and short (bottom), in (0, 0.5].
        cost_bps: commission in basis points per unit of turnover.
        slippage_bps: slippage in basis points per unit of turnover.
        periods_per_year: days per year for annualising.

    Raises:
        ParameterError: an argument out of range, or no fold outputs.
    """
    quantile = check_float("quantile", quantile, low=0.0, high=0.5, low_open=True)
    for name, bps in (("cost_bps", cost_bps), ("slippage_bps", slippage_bps)):
        check_float(name, bps, low=0.0, high=MAX_BPS)
    periods_per_year = check_int("periods_per_year", periods_per_year, minimum=1)
    if not fold_outputs:
        raise ParameterError("fold_outputs: expected the results of run_cross_section_fold, got none.")
    outputs = sorted(fold_outputs, key=lambda out: out["fold"])
    settings = outputs[0]["settings"]
    model = settings["model"]
    rows = np.concatenate([np.asarray(out["rows"], dtype=np.int64) for out in outputs])
    predictions = pd.DataFrame({
        "date": panel.dates[rows], "ticker": panel.tickers[rows],
        "fold": np.concatenate([np.full(len(out["rows"]), out["fold"]) for out in outputs]),
        "prob_up": np.concatenate([out["prob_up"] for out in outputs]),
        "label": panel.label[rows], "forward_return": panel.forward_return[rows],
        **{f"prob_{name}": np.concatenate([out["baselines"][name] for out in outputs])
           for name in outputs[0]["baselines"]},
    }).sort_values(["date", "ticker"], kind="stable", ignore_index=True)
    predictions.insert(6, "weight", long_short_weights(predictions["date"], predictions["prob_up"], quantile))
    thresholds = pd.DataFrame([out["thresholds"] for out in outputs], index=[out["fold"] for out in outputs])
    metrics = {
        name: classification_metrics(
            predictions["label"].to_numpy().astype(np.int64),
            predictions["prob_up" if name == model else f"prob_{name}"].to_numpy(),
            thresholds.loc[predictions["fold"], name].to_numpy(), 1.0,
        )
        for name in thresholds.columns
    }
    daily, stats = long_short_portfolio(predictions, cost_bps=cost_bps, slippage_bps=slippage_bps,
                                        periods_per_year=periods_per_year)
    config = {
        **settings, "n_tickers": int(len(np.unique(panel.tickers))), "features": list(panel.X.columns),
        "quantile": quantile, "cost_bps": cost_bps, "slippage_bps": slippage_bps,
        "periods_per_year": periods_per_year,
    }
    folds = pd.DataFrame([out["row"] for out in outputs])
    return CrossSectionResult(predictions, folds, metrics, daily, stats, config)


def long_short_weights(dates, prob_up, quantile: float) -> np.ndarray:
    """Each date's weights: ``1/k`` on its top ``k`` probabilities, ``-1/k`` on its bottom ``k``, else 0.

    ``k = max(1, floor(quantile * n))`` for the ``n`` tickers of the date; ties are broken by
    row order (rows are sorted by ticker within a date). A date with a single ticker holds nothing.
    """
    frame = pd.DataFrame({"date": np.asarray(dates), "prob": np.asarray(prob_up, dtype=np.float64)})
    grouped = frame.groupby("date", sort=False)
    n = grouped["prob"].transform("size").to_numpy()
    rank = grouped["prob"].rank(method="first").to_numpy()  # 1 = lowest probability
    k = np.maximum(1, np.floor(quantile * n + 1e-9)).astype(np.int64)
    weights = np.where(rank > n - k, 1.0 / k, np.where(rank <= k, -1.0 / k, 0.0))
    return np.where(n >= 2, weights, 0.0)


def long_short_portfolio(predictions: pd.DataFrame, *, cost_bps: float, slippage_bps: float,
                         periods_per_year: int = 252) -> tuple[pd.DataFrame, dict]:
    """Daily returns, turnover, costs and equity of held weights beside the equal-weight benchmark.

    Args:
        predictions: rows with ``date``, ``ticker``, ``weight`` (held over the next day) and
            ``forward_return`` (that next day's simple return).
        cost_bps, slippage_bps: basis points per unit of turnover (sum of |weight changes|).
        periods_per_year: days per year for annualising.

    Returns:
        ``(daily, stats)`` as ``CrossSectionResult.daily`` and ``.stats``.
    """
    weights = predictions.pivot(index="date", columns="ticker", values="weight").fillna(0.0)
    returns = predictions.pivot(index="date", columns="ticker", values="forward_return")
    held = backtest_matrix(weights.to_numpy(), returns.fillna(0.0).to_numpy(), cost_bps=cost_bps,
                           slippage_bps=slippage_bps, periods_per_year=periods_per_year)
    net = held["net_return"].sum(axis=1)
    benchmark = returns.mean(axis=1).to_numpy()
    record, stats = portfolio_record(net, benchmark, pd.DatetimeIndex(weights.index).rename("date"),
                                     periods_per_year=periods_per_year)
    daily = pd.DataFrame({
        "n_tickers": returns.notna().sum(axis=1).to_numpy(),
        "n_long": (weights > 0).sum(axis=1).to_numpy(), "n_short": (weights < 0).sum(axis=1).to_numpy(),
        "gross_return": held["gross_return"].sum(axis=1), "turnover": held["daily_turnover"].sum(axis=1),
        "cost": held["cost"].sum(axis=1), "long_short_return": net, "benchmark_return": benchmark,
    }, index=record.index).join(record)
    stats["strategy"]["turnover"] = float(daily["turnover"].mean())
    return daily, stats


def _iso(date) -> str:
    return pd.Timestamp(date).date().isoformat()


def _plain(row: dict) -> dict:
    """numpy scalars as Python numbers (NaN kept), for the engine's JSON store."""
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in row.items()}
