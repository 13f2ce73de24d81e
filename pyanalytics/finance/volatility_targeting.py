"""Use the forecasts: a strategy's position scaled to a target volatility, beside the unscaled one.

Each model's stitched out-of-sample forecasts of a walk-forward (``walk_forward_volatility``)
scale the same signal through ``backtest(..., volatility=...)``: the position decided at a close
is multiplied by ``min(max_leverage, target_volatility / forecast)`` of that close. A better
volatility forecast gives a realised volatility nearer the target and a smaller worst drawdown;
the Sharpe ratio changes only as far as volatility predicts returns.
"""

from dataclasses import dataclass

import pandas as pd

from pyanalytics.defaults import DEFAULT_COST_BPS
from pyanalytics.errors import DataError
from pyanalytics.finance.backtest import BacktestResult, backtest
from pyanalytics.jsonio import json_safe
from pyanalytics.params import check_choice

TARGETING_STATS = ("annual_return", "annual_volatility", "sharpe", "max_drawdown", "turnover", "exposure")


@dataclass(frozen=True, eq=False)
class VolatilityTargeting:
    """Backtests of one signal scaled by each model's volatility forecasts.

    Attributes:
        backtests: model name -> its targeted backtest (whose ``unscaled`` statistics are the
            plain strategy's, the same for every model).
        horizon: the forecast horizon used (days).
        target_volatility, max_leverage: the targeting settings.
    """

    backtests: dict[str, BacktestResult]
    horizon: int
    target_volatility: float
    max_leverage: float

    def table(self) -> pd.DataFrame:
        """One row per strategy (``unscaled``, then ``targeted_<model>``): ``TARGETING_STATS`` and
        the mean leverage of invested days (1 for the unscaled strategy)."""
        first = next(iter(self.backtests.values()))
        rows = {"unscaled": {**{k: first.unscaled[k] for k in TARGETING_STATS}, "mean_leverage": 1.0}}
        for model, result in self.backtests.items():
            invested = result.daily["unscaled_position"] != 0
            rows[f"targeted_{model}"] = {**{k: result.stats[k] for k in TARGETING_STATS},
                                         "mean_leverage": float(result.daily.loc[invested, "leverage"].mean())}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("strategy")

    def summary(self) -> dict:
        """The settings and the table as plain JSON-able data."""
        first = next(iter(self.backtests.values()))
        return json_safe({
            "horizon": self.horizon, "target_volatility": self.target_volatility, "max_leverage": self.max_leverage,
            "mode": first.mode, "cost_bps": first.cost_bps, "start": first.stats["start"], "end": first.stats["end"],
            "table": self.table().reset_index().to_dict(orient="records"),
        })


def volatility_targeting(result, prices, signal: pd.Series | None = None, *, horizon: int | None = None,
                         models=None, target_volatility: float = 0.10, max_leverage: float = 2.0,
                         mode: str = "long_flat", cost_bps: float = DEFAULT_COST_BPS) -> VolatilityTargeting:
    """Backtest ``signal`` scaled by each model's forecasts, beside the unscaled signal.

    Args:
        result: a ``VolatilityResult``.
        prices: the prices the forecasts were made on.
        signal: 1/0/NaN decisions by date (see ``backtest``); default: always long. Only its dates
            with a forecast are traded, so the plain and targeted strategies trade the same days.
        horizon: the forecast horizon to scale by (default: the shortest of the run).
        models: which models' forecasts (default: every model of the run).
        target_volatility: annualised volatility aimed at.
        max_leverage: the largest scale.
        mode: ``"long_flat"`` or ``"long_short"``.
        cost_bps: cost in basis points per unit of turnover.

    Raises:
        ParameterError: a model or horizon not in the run, or a setting out of range.
        DataError: the signal has no date with a forecast.
    """
    horizon = result.horizons[0] if horizon is None else check_choice("horizon", horizon, result.horizons)
    models = result.models if models is None else tuple(check_choice("models", m, result.models) for m in models)
    forecasts = {model: result.volatility_forecast(model, horizon) for model in models}
    dates = next(iter(forecasts.values())).index
    if signal is None:
        signal = pd.Series(1.0, index=dates, name="signal")
    else:
        signal = signal[signal.index.isin(dates)]
        if signal.empty:
            raise DataError(f"signal: no date in the forecasts' period {dates[0].date()} .. {dates[-1].date()}; "
                            "pass a signal over those dates.")
    backtests = {
        model: backtest(signal, prices, mode=mode, cost_bps=cost_bps, volatility=forecast,
                        target_volatility=target_volatility, max_leverage=max_leverage)
        for model, forecast in forecasts.items()
    }
    first = next(iter(backtests.values()))
    return VolatilityTargeting(backtests, int(horizon), first.target_volatility, first.max_leverage)
