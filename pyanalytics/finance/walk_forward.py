"""Walk-forward evaluation: retrain on each fold's past, predict the next block, stitch, backtest.

A single train/test split judges a model on one period. Walk-forward asks the question a quant
analyst asks next: had the model been retrained on everything known at each point, how would its
out-of-sample predictions and the trades on them have fared, block after block? Each fold fits
the model and every baseline through the same ``ModelSetup.fit`` as ``train_direction_model``,
on that fold's past only; the test blocks' predictions are stitched into one series, scored, and
backtested against buy-and-hold. Nothing here writes to disk or prints.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pyanalytics.data.windows import model_inputs
from pyanalytics.engine import task_seed
from pyanalytics.errors import FoldError
from pyanalytics.evaluation import best_baseline, classification_metrics
from pyanalytics.evaluation.metrics import fold_spread
from pyanalytics.evaluation.scoring import probabilities, score
from pyanalytics.evaluation.verdict import fold_edge
from pyanalytics.finance.backtest import (
    DEFAULT_COST_BPS,
    MAX_BPS,
    MODES,
    BacktestResult,
    backtest,
)
from pyanalytics.finance.extra_features import with_extra_features
from pyanalytics.finance.features import Dataset, FeatureSpec, build_dataset, default_spec
from pyanalytics.jsonio import json_safe
from pyanalytics.params import check_choice, check_float, check_int
from pyanalytics.splits import WalkForward, chronological_split
from pyanalytics.finance.model_setup import ModelSetup
from pyanalytics.training import part_rows

EXPLAIN_DATES = 50  # test dates per fold explained with SHAP when ``explain=True``
WINDOW_MODES = ("expanding", "rolling")
DATE_COLUMNS = ("train_start", "train_end", "validation_start", "validation_end", "test_start", "test_end")


def fold_auc_table(folds: pd.DataFrame, metrics: dict, model_name: str) -> pd.DataFrame:
    """Folds x models: the ROC AUC of the model and of every baseline in each fold of a fold table."""
    names = {"roc_auc": model_name, **{f"roc_auc_{n}": n for n in metrics if n != model_name}}
    return folds.set_index("fold")[list(names)].rename(columns=names)


@dataclass(frozen=True, eq=False)
class WalkForwardResult:
    """Stitched out-of-sample predictions of a walk-forward run, per fold and overall, and their backtest.

    Attributes:
        model_name: key of the model in ``pyanalytics.models.MODELS``.
        predictions: one row per predicted date (index ``date``), oldest first: ``fold`` (from
            1), ``prob_up``, ``threshold`` (the fold's), ``signal`` (1 up, 0 down), ``label``,
            ``forward_return`` (over the horizon), and ``prob_<baseline>`` per baseline.
        folds: one row per fold: ``fold``, the dates of its ``train``, ``validation`` (early
            stopping) and ``test`` parts, their sizes ``n_train``, ``n_validation``, ``n_test``,
            ``best_epoch``, ``threshold``, the model's ``roc_auc``, ``accuracy``, ``brier`` and
            ``up_rate`` on the block, ``best_baseline`` and ``best_baseline_auc`` (the fold's
            best), ``roc_auc_<baseline>`` per baseline, and the compounded ``strategy_return``
            and ``buy_and_hold_return`` of the block's decisions.
        metrics: metric dicts of the model and of every baseline on all predicted dates. Their
            ROC AUCs pool the folds, where a constant per fold already ranks whole folds by
            their up-rates; judge the model on ``fold_auc`` and ``auc_edge`` instead.
        backtest: the stitched signals traded on the prices, beside buy-and-hold.
        config: the settings of the run as plain data.
        importance: mean |SHAP contribution| per fold (rows) and feature (columns), when run
            with ``explain=True``; else None.
    """

    model_name: str
    predictions: pd.DataFrame
    folds: pd.DataFrame
    metrics: dict
    backtest: BacktestResult
    config: dict
    importance: pd.DataFrame | None = None

    @property
    def best_baseline(self) -> tuple[str | None, float]:
        """The baseline with the highest ROC AUC on the stitched predictions, and that AUC."""
        return best_baseline(self.metrics, self.model_name)

    @property
    def fold_auc(self) -> pd.DataFrame:
        """ROC AUC of the model and of every baseline in each fold (NaN on a single-direction block)."""
        return fold_auc_table(self.folds, self.metrics, self.model_name)

    @property
    def fold_auc_spread(self) -> dict:
        """Per model: mean, std, min and max of its per-fold ROC AUC (``fold_spread``)."""
        return {name: fold_spread(aucs) for name, aucs in self.fold_auc.items()}

    @property
    def auc_edge(self) -> dict:
        """The model's mean per-fold ROC AUC margin over its strongest baseline, judged (``fold_edge``)."""
        return fold_edge(self.fold_auc, self.model_name)

    @property
    def period(self) -> dict:
        """First and last predicted date (ISO) and the number of predicted dates."""
        dates = self.predictions.index
        return {"start": dates[0].date().isoformat(), "end": dates[-1].date().isoformat(), "rows": len(dates)}

    def summary_row(self) -> dict:
        """The run in one row: period, mean per-fold AUCs and their edge, strategy and buy-and-hold.

        ``model_auc`` and ``best_baseline_auc`` are means of per-fold ROC AUCs (``auc_edge``);
        ``model_auc_std`` is the model's spread over the folds.
        """
        edge = self.auc_edge
        row = {
            "start": self.period["start"],
            "end": self.period["end"],
            "n_folds": len(self.folds),
            "model": self.model_name,
            "model_auc": edge["model_auc"],
            "model_auc_std": self.fold_auc_spread[self.model_name]["std"],
            "best_baseline": edge["baseline"],
            "best_baseline_auc": edge["baseline_auc"],
            "auc_edge": edge["edge"],
            "auc_edge_se": edge["se"],
            "auc_judgement": edge["judgement"],
        }
        for side, stats in (("strategy", self.backtest.stats), ("buy_and_hold", self.backtest.benchmark)):
            row.update({f"{side}_{k}": stats[k] for k in ("sharpe", "annual_return", "max_drawdown")})
        return row

    def summary(self) -> dict:
        """The result as plain JSON-able data (``pyanalytics walk-forward --json``, R)."""
        baseline, baseline_auc = self.best_baseline
        folds = self.folds.assign(**{c: _iso(self.folds[c]) for c in DATE_COLUMNS})
        importance = None if self.importance is None else {
            str(fold): row.to_dict() for fold, row in self.importance.iterrows()
        }
        return json_safe({
            **self.config,
            "period": self.period,
            "metrics": self.metrics,
            "best_baseline": {"name": baseline, "roc_auc": baseline_auc},
            "fold_auc": self.fold_auc_spread,
            "auc_edge": self.auc_edge,
            "folds": folds.to_dict(orient="records"),
            "backtest": self.backtest.summary(),
            "importance": importance,
        })


@dataclass(frozen=True, eq=False)
class WalkForwardPlan:
    """One ticker's walk-forward, checked and cut into folds before anything is fitted.

    ``walk_forward`` runs every fold here, one after another; a universe run sends each fold to
    an engine worker, which rebuilds the plan from the same prices and options and runs that fold
    alone (``run_fold`` depends only on the plan and the fold's number). ``finish`` stitches the
    folds' runs into the result.

    Attributes:
        prices: the prices in the prices contract.
        setup: the model and how it is fitted (``seed`` is the run's; each fold derives its own).
        splitter: the walk-forward splitter of the labelled rows.
        dataset: features, labels and forward returns.
        blocks: per fold, the dataset rows it trains on and the rows it tests on.
        options: the remaining settings: ``validation``, ``explain``, ``mode``, ``cost_bps``, ``slippage_bps``.
    """

    prices: pd.DataFrame
    setup: ModelSetup
    splitter: WalkForward
    dataset: Dataset
    blocks: list
    options: dict

    @property
    def n_folds(self) -> int:
        return len(self.blocks)

    def run_fold(self, number: int, on_epoch=None) -> "FoldRun":
        """Fit fold ``number`` (from 1) on its past, with its own seed, and predict its test block.

        Raises:
            FoldError: the fold failed; the message names the fold, its dates and the cause.
        """
        train, test = self.blocks[number - 1]
        setup = replace(self.setup, seed=task_seed(self.setup.seed, number))
        try:
            return _fold(number, setup, self.dataset, train, test, self.options["validation"],
                         self.options["explain"], on_epoch)
        except Exception as error:
            where = _fold_name(number, self.n_folds, self.dataset.X.index, train, test)
            raise FoldError(f"{where}: {error}") from error

    def finish(self, runs: list) -> WalkForwardResult:
        """Stitch the folds' runs (in fold order), score them and backtest the stitched signals."""
        setup, splitter, dataset, options = self.setup, self.splitter, self.dataset, self.options
        predictions = pd.concat([r.predictions for r in runs]).rename_axis("date")
        traded = backtest(predictions["signal"].astype(np.float64), self.prices, mode=options["mode"],
                          holding=setup.horizon, cost_bps=options["cost_bps"], slippage_bps=options["slippage_bps"])
        fold_table = pd.DataFrame([r.row for r in runs])
        fold_table = fold_table.join(_fold_returns(traded.daily, fold_table["test_start"], self.prices.index), on="fold")
        config = {
            "model": setup.model, "horizon": setup.horizon, "window": setup.window, "gap": setup.gap,
            "embargo": splitter.embargo, "n_folds": splitter.n_folds, "window_mode": splitter.window,
            "train_size": splitter.train_size, "test_size": splitter.test_size, "validation": options["validation"],
            "cost_fp": setup.cost_fp, "alpha": setup.alpha, "tune_threshold": setup.tune_threshold,
            "seed": setup.seed, "model_params": setup.model_params, "dead_zone": dataset.dead_zone,
            "mode": options["mode"], "cost_bps": options["cost_bps"], "slippage_bps": options["slippage_bps"],
            "features": list(dataset.X.columns), "extra_features": list(dataset.spec.extra_features),
        }
        return WalkForwardResult(
            model_name=setup.model,
            predictions=predictions,
            folds=fold_table,
            metrics=_stitched_metrics(predictions, runs, setup.model, setup.alpha),
            backtest=traded,
            config=config,
            importance=_importance_table(runs) if options["explain"] else None,
        )


def plan_walk_forward(
    prices: pd.DataFrame,
    *,
    model: str = "dnn",
    folds: int = 5,
    window_mode: str = "expanding",
    train_size: int | None = None,
    test_size: int | None = None,
    horizon: int = 1,
    window: int | None = None,
    gap: int | None = None,
    embargo: int = 0,
    validation: float = 0.15,
    cost_fp: float | None = None,
    tune_threshold: bool = False,
    seed: int | None = 0,
    model_params: dict | None = None,
    spec: FeatureSpec | None = None,
    extra_features: list[str] | tuple[str, ...] = (),
    dead_zone: float = 0.0,
    mode: str = "long_flat",
    cost_bps: float = DEFAULT_COST_BPS,
    slippage_bps: float = 0.0,
    explain: bool = False,
) -> WalkForwardPlan:
    """Check every argument, build the dataset and cut it into folds (see ``walk_forward``).

    Raises:
        ParameterError: an argument out of range.
        DataError: too little history for the folds.
    """
    setup = ModelSetup(model, horizon, window, gap, cost_fp, tune_threshold, seed, model_params)
    splitter = WalkForward(
        check_int("folds", folds, minimum=2), check_choice("window_mode", window_mode, WINDOW_MODES),
        setup.gap, train_size, test_size, embargo,
    )
    check_float("validation", validation, low=0.0, high=0.9)
    check_choice("mode", mode, MODES)
    for name, bps in (("cost_bps", cost_bps), ("slippage_bps", slippage_bps)):
        check_float(name, bps, low=0.0, high=MAX_BPS)
    spec = with_extra_features(spec or default_spec(prices), extra_features)
    dataset = build_dataset(prices, spec, setup.horizon, dead_zone)
    labelled = np.flatnonzero(dataset.labelled)
    blocks = [(labelled[train], labelled[test]) for train, test in splitter.split(len(labelled))]
    options = {"validation": validation, "explain": explain, "mode": mode, "cost_bps": cost_bps,
               "slippage_bps": slippage_bps}
    return WalkForwardPlan(prices, setup, splitter, dataset, blocks, options)


def walk_forward(prices: pd.DataFrame, *, on_fold=None, on_epoch=None, **options) -> WalkForwardResult:
    """Retrain the model on each walk-forward fold, predict the next block, stitch and backtest.

    The labelled dates are cut into ``folds`` consecutive test blocks (scikit-learn's
    ``TimeSeriesSplit``). For each block the model and the baselines are fitted on the dates
    before it only (all of them, or the last ``train_size`` with ``window_mode="rolling"``),
    ending ``gap + embargo`` labelled rows before the block. The last ``validation`` fraction of
    those dates, after a further purge gap, is held out for early stopping (and threshold
    tuning). A sequence model's windows stay inside their part: they never reach back across the
    fold's training start, the validation start or the gap before the test block, so a block's
    first ``window - 1`` dates get no prediction. Dates in the dead zone get none either; the
    backtest stays flat on dates without a prediction. Many tickers at once, in parallel:
    ``pyanalytics.finance.universe.walk_forward_many``.

    Args:
        prices: a frame in the prices contract (see ``pyanalytics.finance.load_prices``).
        on_fold: progress callback ``on_fold(fold, n_folds, fold_row)`` after each fold, where
            ``fold_row`` is the fold's row of ``folds`` as a dict (without the backtest returns).
        on_epoch: progress callback ``on_epoch(epoch, max_epochs, logs)`` of every fit.
        **options: keyword arguments of ``plan_walk_forward``:

            model: ``"dnn"``, ``"lstm"`` or ``"gru"``.
            folds: number of test blocks (at least 2).
            window_mode: ``"expanding"`` (train on all the past) or ``"rolling"`` (the last
                ``train_size`` labelled rows).
            train_size: labelled rows per rolling training window (validation included).
            test_size: labelled rows per test block (default: the history divided into
                ``folds + 1`` equal parts, the first of which only trains).
            horizon: rows ahead for the direction label.
            window: days per input window of ``"lstm"``/``"gru"`` (default 20).
            gap: purge gap in rows (default: the horizon), before each test block and before the
                validation rows.
            embargo: further rows dropped before each test block (see ``WalkForward``).
            validation: fraction of each fold's training rows held out for early stopping.
            cost_fp: a false positive costs ``cost_fp`` false negatives (see ``train_direction_model``).
            tune_threshold: tune each fold's threshold on its validation rows.
            seed: the run's seed; fold k's model gets the seed ``task_seed(seed, k)``, so folds
                draw independently and any fold can be rerun alone.
            model_params: extra keyword arguments of the model class (e.g. ``{"epochs": 20}``).
            spec: which features to compute (default ``default_spec(prices)``: ``FeatureSpec()``
                without the volume feature where the volume is flat, with a DataWarning).
            extra_features: names of your own numeric columns of ``prices`` used as features, each
                date's value known at its close (see ``train_direction_model``).
            dead_zone: moves within ``±dead_zone`` are left unlabelled.
            mode: backtest positions, ``"long_flat"`` or ``"long_short"``.
            cost_bps: transaction cost in basis points per unit of turnover.
            slippage_bps: slippage in basis points per unit of turnover.
            explain: also explain each fold's model with SHAP on ``EXPLAIN_DATES`` dates spread over
                its test block (background: the fold's training rows), for ``importance``.

    Raises:
        ParameterError: an argument out of range (before anything is fitted).
        DataError: too little history for the folds.
        FoldError: a fold failed; the message names the fold, its dates and the cause.

    Example:
        >>> from pyanalytics.finance import synthetic_market
        >>> result = walk_forward(synthetic_market(1500, signal_strength=2.0), folds=3,
        ...                       model_params={"epochs": 3})
        >>> len(result.folds), result.metrics["dnn"]["roc_auc"] > 0.6
        (3, True)
    """
    plan = plan_walk_forward(prices, **options)
    runs = []
    for number in range(1, plan.n_folds + 1):
        runs.append(plan.run_fold(number, on_epoch))
        if on_fold is not None:
            on_fold(number, plan.n_folds, dict(runs[-1].row))
    return plan.finish(runs)


@dataclass(frozen=True, eq=False)
class FoldRun:
    """One fold's out-of-sample predictions, its row of the fold table, thresholds and importance.

    ``to_plain``/``from_plain`` turn it into JSON-able data and back exactly (what an engine
    worker sends back and a task store keeps): dates as nanoseconds, floats as they are.
    """

    predictions: pd.DataFrame
    row: dict
    thresholds: dict
    importance: pd.Series | None

    def to_plain(self) -> dict:
        frame = self.predictions
        return {
            "dates": frame.index.asi8.tolist(),
            "columns": {name: {"dtype": str(frame[name].dtype), "values": frame[name].tolist()} for name in frame},
            "row": {key: _plain_value(value) for key, value in self.row.items()},
            "thresholds": {name: float(value) for name, value in self.thresholds.items()},
            "importance": None if self.importance is None else {str(k): float(v) for k, v in self.importance.items()},
        }

    @classmethod
    def from_plain(cls, data: dict) -> "FoldRun":
        columns = {name: np.asarray(c["values"], dtype=c["dtype"]) for name, c in data["columns"].items()}
        predictions = pd.DataFrame(columns, index=pd.DatetimeIndex(np.asarray(data["dates"], dtype="datetime64[ns]")))
        importance = data["importance"]
        return cls(
            predictions=predictions,
            row={key: _value_from_plain(value) for key, value in data["row"].items()},
            thresholds=dict(data["thresholds"]),
            importance=None if importance is None else pd.Series(importance, dtype=np.float64),
        )


def _plain_value(value):
    """A fold row's value as JSON-able data: a date (or NaT) becomes ``{"date": nanoseconds or None}``."""
    if isinstance(value, (pd.Timestamp, type(pd.NaT))):
        return {"date": None if pd.isna(value) else value.value}
    return value.item() if isinstance(value, np.generic) else value


def _value_from_plain(value):
    if isinstance(value, dict):
        return pd.NaT if value["date"] is None else pd.Timestamp(value["date"])
    return value


def _fold(number: int, setup: ModelSetup, dataset: Dataset, training: np.ndarray, test: np.ndarray,
          validation: float, explain: bool, on_epoch) -> FoldRun:
    """Fit on one fold's training rows (validation carved from their end), predict its test block."""
    carve = chronological_split(len(training), validation=validation, test=0.0, gap=setup.gap)
    parts = {"train": training[carve.train], "validation": training[carve.validation], "test": test}
    rows = part_rows(parts, setup.window)
    estimator, baselines = setup.fit(dataset, rows, on_epoch)
    tested = rows["test"]
    prob_up = probabilities(estimator, setup.model, baselines, dataset, tested, setup.window)
    metrics = score(estimator, setup.model, baselines, dataset, tested, setup.window, setup.alpha, prob_up=prob_up)
    model_prob = prob_up.pop(setup.model)
    predictions = pd.DataFrame({
        "fold": number,
        "prob_up": model_prob,
        "threshold": estimator.threshold_,
        "signal": (model_prob >= estimator.threshold_).astype(np.int64),
        "label": dataset.y.to_numpy()[tested].astype(np.int64),
        "forward_return": dataset.forward_return.to_numpy()[tested],
        **{f"prob_{name}": p for name, p in prob_up.items()},
    }, index=dataset.X.index[tested])
    dates = dataset.X.index
    spans = {part: (dates[r[0]], dates[r[-1]]) for part, r in rows.items()}
    spans.setdefault("validation", (pd.NaT, pd.NaT))
    model_metrics = metrics[setup.model]
    baseline, baseline_auc = best_baseline(metrics, setup.model)
    row = {
        "fold": number,
        **{f"{part}_{end}": spans[part][i] for part in ("train", "validation", "test")
           for i, end in enumerate(("start", "end"))},
        "n_train": len(rows["train"]), "n_validation": len(rows.get("validation", ())), "n_test": len(tested),
        "best_epoch": getattr(estimator, "best_epoch_", None), "threshold": estimator.threshold_,
        **{k: model_metrics[k] for k in ("roc_auc", "accuracy", "brier", "up_rate")},
        "best_baseline": baseline, "best_baseline_auc": baseline_auc,
        **{f"roc_auc_{name}": metrics[name]["roc_auc"] for name in baselines},
    }
    thresholds = {setup.model: estimator.threshold_, **{n: b.threshold_ for n, b in baselines.items()}}
    importance = _fold_importance(estimator, dataset, rows, setup.window, setup.seed) if explain else None
    return FoldRun(predictions, row, thresholds, importance)


def _fold_importance(estimator, dataset: Dataset, rows: dict, window: int | None, seed) -> pd.Series:
    """Mean |SHAP contribution| per feature on dates spread evenly over the fold's test block."""
    from pyanalytics.explain import explain

    tested = rows["test"]
    picks = np.unique(np.linspace(0, len(tested) - 1, min(EXPLAIN_DATES, len(tested))).round().astype(int))
    explained = explain(
        estimator, dataset.X, method="shap", dates=dataset.X.index[tested[picks]],
        background=model_inputs(dataset.X, rows["train"], window), seed=seed,
    )
    return explained.global_importance()


def _importance_table(runs: list) -> pd.DataFrame:
    """Folds x features, the features in order of their mean importance over the folds."""
    table = pd.DataFrame({r.row["fold"]: r.importance for r in runs}).T.rename_axis("fold")
    return table[table.mean().sort_values(ascending=False).index]


def _fold_name(number: int, n_folds: int, dates: pd.DatetimeIndex, train: np.ndarray, test: np.ndarray) -> str:
    def span(rows):
        return f"{dates[rows[0]].date()}..{dates[rows[-1]].date()}"

    return f"fold {number} of {n_folds} (train {span(train)}, test {span(test)})"


def _stitched_metrics(predictions: pd.DataFrame, runs: list, model_name: str, alpha: float) -> dict:
    """Metrics of every model on all predicted dates, each row judged at its own fold's threshold."""
    thresholds = pd.DataFrame([r.thresholds for r in runs], index=range(1, len(runs) + 1))
    labels = predictions["label"].to_numpy()
    return {
        name: classification_metrics(
            labels,
            predictions["prob_up" if name == model_name else f"prob_{name}"].to_numpy(),
            thresholds.loc[predictions["fold"], name].to_numpy(),
            alpha,
        )
        for name in thresholds.columns
    }


def _fold_returns(daily: pd.DataFrame, test_starts: pd.Series, price_dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Compounded strategy and buy-and-hold returns of the days decided within each fold's block."""
    decided = price_dates[price_dates.get_indexer(daily.index) - 1]
    fold = np.searchsorted(test_starts.to_numpy(), decided.to_numpy(), side="right")
    growth = (1.0 + daily[["strategy_return", "benchmark_return"]]).groupby(fold).prod() - 1.0
    return growth.rename(columns={"benchmark_return": "buy_and_hold_return"}).rename_axis("fold")


def _iso(column: pd.Series) -> list:
    return [None if pd.isna(d) else d.date().isoformat() for d in column]
