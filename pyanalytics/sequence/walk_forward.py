"""Walk-forward evaluation of a forecaster: train on the past, forecast the next block, move on.

Each fold refits the network and the baselines on every row before its test block (less a purge
gap of ``horizon`` rows, so no training target reaches into the block) and scores the block's
windows, each inside the block. MASE's scale is each fold's own training naive error.
"""

from dataclasses import dataclass

import pandas as pd

from pyanalytics.data.tabular import read_frame
from pyanalytics.evaluation.forecast_metrics import naive_scale
from pyanalytics.evaluation.task_metrics import task_metrics_table
from pyanalytics.evaluation.verdict import Verdict, task_verdict
from pyanalytics.sequence.preprocessing import SequencePreprocessing
from pyanalytics.sequence.training import baseline, forecasting_models, part_windows, score_windows
from pyanalytics.splits import WalkForward
from pyanalytics.tasks import TASKS

TASK = TASKS["forecasting"]


@dataclass(frozen=True)
class ForecastWalkForward:
    """The folds of a forecaster's walk-forward beside its baselines.

    Attributes:
        model_name: the network's name (``lstm`` or ``gru``).
        folds: one row per (fold, model): ``fold``, ``model``, ``train_end``, ``test_start``,
            ``test_end``, ``windows`` and the task's metrics (``mae``, ``rmse``, ``mase``, and
            ``coverage`` with quantiles).
        horizons: one row per (fold, model, horizon) with that horizon's ``mae``, ``rmse``, ``mase``.
    """

    model_name: str
    folds: pd.DataFrame
    horizons: pd.DataFrame

    def mean_metrics(self) -> dict[str, dict]:
        """Each model's metrics averaged over the folds (equal weight per fold)."""
        numeric = self.folds.drop(columns=["fold", "train_end", "test_start", "test_end"])
        means = numeric.groupby("model", sort=False).mean()
        return {name: row.dropna().to_dict() for name, row in means.iterrows()}

    def table(self) -> pd.DataFrame:
        """One row per model (the network first), the task's metrics averaged over the folds."""
        return task_metrics_table(TASK, self.mean_metrics())

    @property
    def verdict(self) -> Verdict:
        """The network's mean MASE over the folds against the best baseline's (``task_verdict``)."""
        return task_verdict(TASK, self.mean_metrics(), self.model_name)


def walk_forward_forecast(
    data,
    target: str,
    *,
    time_column: str | None = None,
    features=None,
    window: int = 24,
    horizon: int = 12,
    period: int | None = None,
    quantiles=None,
    relative: bool = True,
    model: str = "lstm",
    n_folds: int = 5,
    test_size: int | None = None,
    max_gap=None,
    seed: int | None = 0,
    on_fold=None,
    **network,
) -> ForecastWalkForward:
    """Walk-forward folds of ``train_forecaster``'s models through ``pyanalytics.splits.WalkForward``.

    Args:
        data, target, time_column, features, window, horizon, period, quantiles, relative, model, max_gap,
            seed, **network: as in ``train_forecaster``.
        n_folds: test blocks, oldest first; each fold trains on all rows before its block.
        test_size: rows per test block (default: what divides the series evenly).
        on_fold: progress callback ``on_fold(fold, n_folds, rows)`` with the fold's table rows.

    Raises:
        DataError: as ``train_forecaster``, or too few rows for the folds or a block's windows.
        ParameterError: as ``train_forecaster``.
    """
    frame, _ = read_frame(data)
    pre = SequencePreprocessing.for_frame(frame, task="forecasting", window=window, time_column=time_column,
                                          target=target, features=features, horizon=horizon, max_gap=max_gap)
    series = pre.series(frame)
    splitter = WalkForward(n_folds=n_folds, gap=pre.horizon, test_size=test_size)
    fold_rows, horizon_rows = [], []
    for fold, (train, test) in enumerate(splitter.split(len(frame)), start=1):
        estimator, baseline_classes, options = forecasting_models(pre, model, period, quantiles, relative, network, seed)
        X, y = pre.examples(series, part_windows("train", train, pre))
        estimator.fit(X, y)
        models = {model: estimator, **{n: baseline(cls, options).fit(X, y) for n, cls in baseline_classes.items()}}
        scored = score_windows(pre, models, series, part_windows(f"fold {fold} test", test, pre),
                               naive_scale(series.labels[train], period or 1))
        span = {"fold": fold, "train_end": series.times[train[-1]], "test_start": series.times[test[0]],
                "test_end": series.times[test[-1]], "windows": len(scored.times)}
        rows = [{**span, "model": who, **{k: v for k, v in m.items() if not isinstance(v, dict)}}
                for who, m in scored.metrics.items()]
        horizon_rows += [{"fold": fold, "model": who, "horizon": h + 1, **{k: values[h] for k, values in m["horizons"].items()}}
                         for who, m in scored.metrics.items() for h in range(pre.horizon)]
        fold_rows += rows
        if on_fold is not None:
            on_fold(fold, n_folds, rows)
    folds = pd.DataFrame(fold_rows)
    return ForecastWalkForward(model, folds[["fold", "model", *[c for c in folds.columns if c not in ("fold", "model")]]],
                               pd.DataFrame(horizon_rows))
