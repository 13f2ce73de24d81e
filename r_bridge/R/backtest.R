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
#' @param prices Prices (data.frame, xts or CSV path), or a universe of tickers, each evaluated
#'   on its own history: a named list of prices, a character vector of CSV files, a folder of
#'   CSV files or a glob such as `"data/universe/A*.csv"` (tickers are the file names without
#'   `.csv`). One CSV path is one ticker.
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
#' @param engine For a universe, where its (ticker, fold) fits run: `"local"` (a pool of
#'   processes on this machine, one TensorFlow thread each), `"dask"` (a local Dask cluster),
#'   `"serial"` (this R session's Python, one after another) or a Dask scheduler's address such
#'   as `"tcp://host:8786"`. Results are the same whatever the engine.
#' @param workers Processes of the local pool or cluster (`NULL`: every core).
#' @param store A folder keeping each finished fit; a run started again with the same settings
#'   computes only what is missing (`NULL`: none).
#' @param strict `TRUE` to stop at the first ticker that cannot be run (an error naming it)
#'   instead of setting it aside in `$skipped`.
#' @param cross_section Also fit one DNN pooled across the tickers and trade a daily long-short
#'   portfolio of its ranks (`NULL`: when the model is the DNN and at least `min_tickers`
#'   tickers run).
#' @param quantile Fraction of the tickers held long (top) and short (bottom) each day by the
#'   cross-section.
#' @param min_tickers Dates with fewer tickers are left out of the cross-section (`NULL`:
#'   Python's default, 10).
#' @param ... Further settings of the Python model (e.g. `hidden_units = c(32, 16)`). A name
#'   that is neither an argument nor a setting is an error that lists the valid ones.
#' @return A `pa_walk_forward` (`$folds`, `$metrics`, `$predictions`, `$backtest`,
#'   `$importance`, `$summary`, and `$ticker`: the name of the prices' file or variable, which
#'   plots show), or for a universe a `pa_walk_forward_list` with one summary row per ticker in
#'   `$summary`, each ticker's result in `$results`, in `$portfolio` the equal-weight portfolio
#'   of the strategies (and of buy-and-hold) on the tickers' common dates (its daily record in
#'   `$portfolio_daily`), and:
#'   * `$skipped`: the tickers set aside (`ticker`, `reason`), and `$notes` their data warnings;
#'   * `$distribution`: across tickers, count, mean, spread and quantiles (one row each) of
#'     the mean per-fold ROC AUC, its edge over the best baseline, and the Sharpe ratios of the
#'     strategy and of buy-and-hold;
#'   * `$significance`: per ticker (by p-value), the strategy's annual Sharpe ratio, its
#'     t-statistic, the t-statistic of its excess over buy-and-hold, the one-sided p-value of
#'     "Sharpe > 0", the Benjamini-Hochberg adjusted p-value and whether it is a discovery at a
#'     5% false discovery rate;
#'   * `$deflated_sharpe`: the deflated Sharpe ratio (Bailey and Lopez de Prado, 2014) of the
#'     best strategy given how many were tried (`NULL` when every strategy is flat);
#'   * `$cross_section`: the pooled model's `$summary`, `$folds` and `$daily` record
#'     (long-short and equal-weight buy-and-hold returns and equity), or `NULL`;
#'   * `$run`: the engine, workers, fits computed, reused from the store and failed, seconds,
#'     and `peak_memory`, the peak memory in MB of each worker.
#'
#'   `print()` shows the tickers run and set aside, the discoveries and the cross-section;
#'   `autoplot()` draws the equity per ticker, the distributions, the p-values or the
#'   cross-section.
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
                            tune_threshold = FALSE, drop_invalid = FALSE, extra_features = NULL, engine = "local",
                            workers = NULL, store = NULL, strict = FALSE, cross_section = NULL, quantile = 0.2,
                            min_tickers = NULL, ...) {
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
  universe <- as_py_universe(prices)
  if (!is.null(universe)) {
    settings <- list(
      engine = as_py_engine(engine), workers = as_py_integer(workers, "workers", 1L, null_ok = TRUE),
      store = if (is.null(store)) NULL else as_py_path(store, "store"), strict = as_py_flag(strict, "strict"),
      cross_section = if (is.null(cross_section)) NULL else as_py_flag(cross_section, "cross_section"),
      quantile = as_py_number(quantile, "quantile"), min_tickers = as_py_integer(min_tickers, "min_tickers", 2L, null_ok = TRUE)
    )
    return(new_walk_forward_list(do.call(call_python, c(list("walk_forward", universe), arguments, settings))))
  }
  ticker <- prices_name(prices, substitute(prices))
  if (is.character(prices)) ticker <- sub("\\.[^.]*$", "", ticker) # the file name without its extension
  new_walk_forward(do.call(call_python, c(list("walk_forward", as_py_prices(prices, "prices")), arguments)), ticker)
}

# A universe of tickers for Python (a named list of prices, files, a folder or a glob), or NULL
# for one ticker's prices (a data.frame, xts, or one CSV file).
as_py_universe <- function(prices) {
  if (is.list(prices) && !is.data.frame(prices)) {
    if (is.null(names(prices)) || any(!nzchar(names(prices)))) stop_argument("prices", "a named list of prices", prices)
    sent <- lapply(names(prices), function(ticker) as_py_prices(prices[[ticker]], sprintf("prices[[\"%s\"]]", ticker)))
    return(stats::setNames(sent, names(prices)))
  }
  if (!is.character(prices)) return(NULL)
  if (!length(prices) || anyNA(prices) || !all(nzchar(prices))) stop_argument("prices", "CSV files, a folder or a glob", prices)
  if (length(prices) > 1L) return(as.list(path.expand(prices)))
  if (dir.exists(prices) || (grepl("[*?[]", prices) && !file.exists(prices))) path.expand(prices)
}

# An engine's name, or a Dask scheduler's address ("tcp://host:8786").
as_py_engine <- function(x) {
  if (is.character(x) && length(x) == 1L && !is.na(x) && grepl("^[A-Za-z][A-Za-z0-9+.-]*://.", x)) return(x)
  if (is.null(state$engines)) state$engines <- unlist(call_python("engines"))
  if (!is.character(x) || length(x) != 1L || !x %in% state$engines) {
    stop_argument("engine", paste0("one of ", paste0('"', state$engines, '"', collapse = ", "),
                                   ' or a Dask scheduler address such as "tcp://host:8786"'), x)
  }
  x
}

new_walk_forward_list <- function(result) {
  pooled <- result$cross_section
  run <- result$run
  if (!is.null(run)) run$peak_memory <- unlist(run$peak_memory) %||% numeric()
  structure(list(
    summary = frame_from_columns(result$summary), results = Map(new_walk_forward, result$tickers, names(result$tickers)),
    portfolio = result$portfolio,
    portfolio_daily = if (is.null(result$portfolio_daily)) NULL else frame_from_columns(result$portfolio_daily),
    skipped = skipped_frame(result$skipped), notes = result$notes,
    distribution = frame_from_columns(result$distribution), significance = frame_from_columns(result$significance),
    deflated_sharpe = result$deflated_sharpe,
    cross_section = if (!is.null(pooled)) {
      folds <- frame_from_columns(pooled$folds)
      dated <- grepl("_(start|end)$", names(folds))
      folds[dated] <- lapply(folds[dated], as.Date)
      list(summary = pooled$summary, folds = folds, daily = frame_from_columns(pooled$daily))
    },
    run = run
  ), class = "pa_walk_forward_list")
}

# The tickers set aside; typed columns even when there is none.
skipped_frame <- function(columns) {
  data.frame(ticker = as.character(unlist(columns$ticker)), reason = as.character(unlist(columns$reason)))
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
  run <- x$run
  cat(sprintf("<pa_walk_forward_list> %d tickers run, %d set aside%s\n", nrow(x$summary), nrow(x$skipped),
              if (is.null(run)) "" else sprintf(" (%d fits on %s, %d workers, %.0f s; %d from the store)",
                                                run$computed + run$stored + run$failed, run$engine, run$workers,
                                                run$seconds, run$stored)))
  if (nrow(x$summary) <= SHOWN_TICKERS) {
    print(x$summary, digits = 3, row.names = FALSE)
    for (ticker in names(x$results)) cat(ticker, ": ", x$results[[ticker]]$verdict, "\n", sep = "")
  } else {
    cat("Across the tickers (per-ticker rows in $summary):\n")
    print(x$distribution[c("statistic", "mean", "std", "min", "25%", "50%", "75%", "max")], digits = 3, row.names = FALSE)
  }
  for (i in seq_len(nrow(x$skipped))) cat(sprintf("set aside %s: %s\n", x$skipped$ticker[[i]], x$skipped$reason[[i]]))
  for (side in names(x$portfolio)) {
    p <- x$portfolio[[side]]
    cat(sprintf("equal-weight %s on the %d common days %s .. %s: Sharpe %.2f, annual %.1f%%, max drawdown %.1f%%\n",
                side, p$n_days, p$start, p$end, p$sharpe %||% NA_real_, 100 * p$annual_return, 100 * p$max_drawdown))
  }
  cat(discoveries_line(x$significance), "\n", sep = "")
  dsr <- x$deflated_sharpe
  if (!is.null(dsr)) {
    cat(sprintf("best of %d strategies: %s, Sharpe %.2f; deflated Sharpe ratio %.3f (the best of %d unskilled would reach %.2f by luck)\n",
                dsr$n_trials, dsr$strategy, dsr$sharpe_annual, dsr$dsr, dsr$n_trials, dsr$expected_max_sharpe_annual))
  }
  if (!is.null(x$cross_section)) cat(cross_section_line(x$cross_section), "\n", sep = "")
  invisible(x)
}

SHOWN_TICKERS <- 10L # more tickers print their distribution instead of one row each

# The Benjamini-Hochberg discoveries, or the lowest adjusted p-value when there is none.
discoveries_line <- function(significance) {
  found <- significance[significance$discovery, ]
  head <- sprintf("discoveries at a 5%% false discovery rate (Benjamini-Hochberg): %d of %d earn more than nothing, %d beat holding their stock",
                  nrow(found), nrow(significance), sum(significance$beats_holding, na.rm = TRUE))
  if (all(is.na(significance$p_adjusted))) return(paste0(head, " (no p-value: every strategy is flat)"))
  if (!nrow(found)) {
    return(sprintf("%s (lowest adjusted p-value %.3f, %s)", head, min(significance$p_adjusted, na.rm = TRUE),
                   significance$ticker[which.min(significance$p_adjusted)]))
  }
  paste0(head, ": ", paste(sprintf("%s (Sharpe %.2f, p adjusted %.2g)", found$ticker, found$sharpe, found$p_adjusted),
                           collapse = ", "))
}

cross_section_line <- function(pooled) {
  s <- pooled$summary
  sprintf("cross-section (one pooled %s, long top / short bottom %.0f%% daily) %s .. %s: Sharpe %.2f, annual %.1f%%; equal-weight buy and hold: Sharpe %.2f, annual %.1f%%",
          s$model, 100 * s$quantile, s$strategy$start, s$strategy$end, s$strategy$sharpe %||% NA_real_,
          100 * s$strategy$annual_return, s$buy_and_hold$sharpe %||% NA_real_, 100 * s$buy_and_hold$annual_return)
}

#' @export
as.data.frame.pa_walk_forward <- function(x, ...) x$predictions

#' @export
as.data.frame.pa_walk_forward_list <- function(x, ...) x$summary
