#' Backtest a model's signals against buy-and-hold
#'
#' Trades the model's out-of-sample calls on `newdata`: each signal is decided at the close of
#' a date and earns the return to the next price date (never that day's own return). Costs
#' and slippage are charged in basis points per unit of turnover; buy-and-hold on the same days
#' pays its one entry cost.
#'
#' @param model A `pa_model`.
#' @param newdata Prices (data.frame, xts or CSV path).
#' @param mode `"long_flat"` (long on up, else flat) or `"long_short"` (long on up, short on down).
#' @param cost_bps Commission in basis points per unit of turnover (`NULL`: Python's default, 5, as the command line).
#' @param slippage_bps Slippage in basis points per unit of turnover.
#' @param holding Days each signal is held, in overlapping tranches (default: the model's horizon).
#' @param since The first signal date (default: the start of the model's own test part).
#' @param drop_invalid `TRUE` to drop rows of `newdata` holding an invalid cell, with a warning,
#'   as [pa_fit()] does.
#' @return A `pa_backtest`: `$stats` (a data.frame of the numeric statistics, strategy beside
#'   buy-and-hold; `NA` where one is undefined, such as the Sharpe ratio of a strategy that never
#'   invests), `$dates` (the same for the dates: `start`, `end` and the worst drawdown's
#'   `max_drawdown_start` and `max_drawdown_end`), `$daily` (positions, returns, costs, equity
#'   and drawdown per day) and `$settings`.
#'   `plot()` draws the equity curves and drawdowns; `as.data.frame()` gives `$daily`.
#' @export
#' @examples
#' \donttest{
#' prices <- pa_synthetic_prices(1500, signal_strength = 2, seed = 1)
#' model <- pa_fit(prices, epochs = 3, seed = 1)
#' result <- pa_backtest(model, prices, mode = "long_short", cost_bps = 5)
#' result
#' plot(result)
#' }
pa_backtest <- function(model, newdata, mode = c("long_flat", "long_short"), cost_bps = NULL, slippage_bps = 0,
                        holding = NULL, since = NULL, drop_invalid = FALSE) {
  check_argument_names()
  check_price_model(model, "pa_backtest")
  mode <- as_py_choice(mode, "mode", c("long_flat", "long_short"))
  result <- call_python(
    "backtest", model$py, as_py_prices(newdata, "newdata"), mode,
    cost_bps = as_py_number(cost_bps, "cost_bps", null_ok = TRUE), slippage_bps = as_py_number(slippage_bps, "slippage_bps"),
    holding = as_py_integer(holding, "holding", 1L, null_ok = TRUE), since = as_py_date(since, "since"),
    drop_invalid = as_py_flag(drop_invalid, "drop_invalid")
  )
  new_backtest(result$summary, frame_from_columns(result$daily))
}

# The statistics as two typed tables (numbers; dates), strategy beside buy-and-hold. Python's
# NaN (a Sharpe ratio without variance) and None (no drawdown) become NA.
new_backtest <- function(summary, daily) {
  statistics <- names(summary$strategy)
  dated <- grepl("(^|_)(start|end)$", statistics)
  numbers <- function(values) {
    values <- as.numeric(values)
    values[is.nan(values)] <- NA
    values
  }
  settings <- lapply(summary[c("mode", "holding", "cost_bps", "slippage_bps", "sharpe_t", "excess_t")],
                     function(value) if (is.numeric(value)) numbers(value) else value %||% NA_real_)
  structure(list(stats = stat_table(summary, statistics[!dated], numbers),
                 dates = stat_table(summary, statistics[dated], function(values) as.Date(as.character(values))),
                 daily = daily, settings = settings, raw = summary), class = "pa_backtest")
}

stat_table <- function(summary, statistics, convert) {
  side <- function(name) convert(unlist(lapply(summary[[name]][statistics], function(x) x %||% NA), use.names = FALSE))
  data.frame(statistic = statistics, strategy = side("strategy"), buy_and_hold = side("buy_and_hold"),
             row.names = NULL)
}

#' @export
print.pa_backtest <- function(x, ...) {
  s <- x$settings
  cat(sprintf("<pa_backtest> %s, held %d day(s), costs %g + slippage %g bps per unit of turnover\n",
              s$mode, s$holding, s$cost_bps, s$slippage_bps))
  shown <- function(table, text) {
    data.frame(statistic = table$statistic, strategy = text(table$strategy), buy_and_hold = text(table$buy_and_hold))
  }
  print(rbind(shown(x$stats, function(v) trimws(formatC(v, digits = 4, format = "fg"))), shown(x$dates, format)),
        row.names = FALSE, right = FALSE)
  cat(sprintf("t-statistic of the mean daily return %.2f, of its excess over buy-and-hold %.2f\n",
              s$sharpe_t, s$excess_t))
  cat("(at 2 or more a significant gain, at -2 or less a significant loss; between them within luck)\n")
  invisible(x)
}

#' @export
as.data.frame.pa_backtest <- function(x, ...) x$daily

#' Walk-forward evaluation: retrain on each fold, predict the next block, backtest the whole
#'
#' The labelled dates are cut into `folds` consecutive test blocks. For each block the model
#' and its baselines are fitted on earlier dates only (all of them, or the last `train_size`
#' with `window = "rolling"`), ending a purge gap before the block, with early stopping on the
#' end of that training period. The out-of-sample predictions are stitched into one series,
#' scored next to the baselines and traded against buy-and-hold.
#'
#' @param prices Prices (data.frame, xts or CSV path), or a named list of them for several
#'   tickers (each evaluated on its own history).
#' @param model `"dnn"`, `"lstm"` or `"gru"`.
#' @param folds Number of test blocks.
#' @param window `"expanding"` or `"rolling"` training windows.
#' @param train_size Training rows of a rolling window.
#' @param epochs Maximum epochs per fold.
#' @param seed An integer seed, or `NULL`.
#' @param mode `"long_flat"` or `"long_short"`.
#' @param cost_bps Costs in basis points per unit of turnover (`NULL`: Python's default, 5).
#' @param cost_fp The cost of a false positive in false negatives (alpha), or `NULL` for equal
#'   costs, as in [pa_fit()].
#' @param tune_threshold Tune each fold's decision threshold on the end of its training period
#'   (with `cost_fp`, instead of the cost-weighted loss).
#' @param explain Also compute SHAP global importance per fold (does the explanation drift?).
#' @param horizon Days ahead of the direction label.
#' @param sequence_window Days per input window of `"lstm"` and `"gru"` (`NULL`: Python's default, 20).
#' @param drop_invalid `TRUE` to drop rows holding an invalid cell (of every ticker), with a
#'   warning, as [pa_fit()] does.
#' @param extra_features Names of your own numeric columns of the prices used as features, each
#'   date's value known at its close (see [pa_fit()]), or `NULL`.
#' @param ... Further settings of the Python model (e.g. `hidden_units = c(32, 16)`). A name
#'   that is neither an argument nor a setting is an error that lists the valid ones.
#' @return A `pa_walk_forward` (`$folds`, `$metrics`, `$predictions`, `$backtest`,
#'   `$importance`, `$summary`, and `$ticker`: the name of the prices' file or variable, which
#'   plots show), or for a list of tickers a `pa_walk_forward_list` with one
#'   summary row per ticker in `$summary`, each ticker's result in `$results`, and in
#'   `$portfolio` the equal-weight portfolio of the strategies (and of buy-and-hold) on the
#'   tickers' common dates (its daily record in `$portfolio_daily`).
#' @export
#' @examples
#' \donttest{
#' prices <- pa_synthetic_prices(1500, signal_strength = 2, seed = 1)
#' result <- pa_walk_forward(prices, folds = 3, epochs = 3)
#' result
#' plot(result)
#' }
pa_walk_forward <- function(prices, model = "dnn", folds = 5, window = c("expanding", "rolling"), train_size = NULL,
                            epochs = 50, seed = 0, mode = c("long_flat", "long_short"), cost_bps = NULL,
                            explain = FALSE, horizon = 1, sequence_window = NULL, cost_fp = NULL,
                            tune_threshold = FALSE, drop_invalid = FALSE, extra_features = NULL, ...) {
  window <- as_py_choice(window, "window", c("expanding", "rolling"))
  mode <- as_py_choice(mode, "mode", c("long_flat", "long_short"))
  model <- as_py_string(model, "model", python_defaults()$model_names)
  check_argument_names(model_settings(model))
  arguments <- list(
    model = model, folds = as_py_integer(folds, "folds", 2L), window_mode = window,
    train_size = as_py_integer(train_size, "train_size", 1L, null_ok = TRUE),
    horizon = as_py_integer(horizon, "horizon", 1L),
    window = sequence_window(model, sequence_window, "sequence_window"),
    epochs = as_py_integer(epochs, "epochs", 1L), seed = as_py_integer(seed, "seed", 0L, null_ok = TRUE),
    mode = mode, cost_bps = as_py_number(cost_bps, "cost_bps", null_ok = TRUE), cost_fp = as_py_number(cost_fp, "cost_fp", null_ok = TRUE),
    tune_threshold = as_py_flag(tune_threshold, "tune_threshold"), explain = as_py_flag(explain, "explain"),
    model_params = model_params(list(...)), drop_invalid = as_py_flag(drop_invalid, "drop_invalid"),
    extra_features = as_py_column_names(extra_features, "extra_features")
  )
  if (is.list(prices) && !is.data.frame(prices)) {
    if (is.null(names(prices)) || any(!nzchar(names(prices)))) stop_argument("prices", "a named list of prices", prices)
    sent <- lapply(names(prices), function(ticker) as_py_prices(prices[[ticker]], sprintf("prices[[\"%s\"]]", ticker)))
    names(sent) <- names(prices)
    result <- do.call(call_python, c(list("walk_forward", sent), arguments))
    return(structure(list(
      summary = frame_from_columns(result$summary), results = Map(new_walk_forward, result$tickers, names(result$tickers)),
      portfolio = result$portfolio,
      portfolio_daily = if (is.null(result$portfolio_daily)) NULL else frame_from_columns(result$portfolio_daily)
    ), class = "pa_walk_forward_list"))
  }
  ticker <- prices_name(prices, substitute(prices))
  if (is.character(prices)) ticker <- sub("\\.[^.]*$", "", ticker) # the file name without its extension
  new_walk_forward(do.call(call_python, c(list("walk_forward", as_py_prices(prices, "prices")), arguments)), ticker)
}

# `ticker` names the prices in plots: the list name, file name or variable they came from.
new_walk_forward <- function(result, ticker = NULL) {
  structure(list(
    ticker = ticker,
    folds = frame_from_columns(result$folds), metrics = metrics_frame(result$metrics),
    predictions = frame_from_columns(result$predictions),
    backtest = new_backtest(result$summary$backtest, frame_from_columns(result$daily)),
    importance = if (is.null(result$importance)) NULL else frame_from_columns(result$importance),
    summary_row = as.data.frame(lapply(result$summary_row, function(value) value %||% NA)),
    verdict = result$verdict, summary = result$summary
  ), class = "pa_walk_forward")
}

#' @export
print.pa_walk_forward <- function(x, ...) {
  row <- x$summary_row
  cat(sprintf("<pa_walk_forward> %s, %d folds, out-of-sample %s .. %s (%d dates)\n", row$model, row$n_folds,
              row$start, row$end, nrow(x$predictions)))
  cat(sprintf("ROC AUC per fold: %s %.3f \u00b1 %.3f (mean \u00b1 SD over %d folds), edge over %s %+.3f \u00b1 %.3f (SE)\n",
              row$model, row$model_auc, row$model_auc_std, row$n_folds, row$best_baseline, row$auc_edge,
              row$auc_edge_se))
  cat(x$verdict, "\n", sep = "")
  print(x$folds[, c("fold", "test_start", "test_end", "n_train", "n_test", "roc_auc", "best_baseline_auc",
                    "strategy_return", "buy_and_hold_return")], digits = 3, row.names = FALSE)
  print(x$backtest)
  invisible(x)
}

#' @export
print.pa_walk_forward_list <- function(x, ...) {
  cat(sprintf("<pa_walk_forward_list> %d tickers\n", nrow(x$summary)))
  print(x$summary, digits = 3, row.names = FALSE)
  for (ticker in names(x$results)) cat(ticker, ": ", x$results[[ticker]]$verdict, "\n", sep = "")
  for (side in names(x$portfolio)) {
    p <- x$portfolio[[side]]
    cat(sprintf("equal-weight %s on the %d common days %s .. %s: Sharpe %.2f, annual %.1f%%, max drawdown %.1f%%\n",
                side, p$n_days, p$start, p$end, p$sharpe %||% NA_real_, 100 * p$annual_return, 100 * p$max_drawdown))
  }
  invisible(x)
}

#' @export
as.data.frame.pa_walk_forward <- function(x, ...) x$predictions

#' @export
as.data.frame.pa_walk_forward_list <- function(x, ...) x$summary
