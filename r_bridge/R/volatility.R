#' Walk-forward volatility forecasts: the LSTM beside HAR, EWMA and GARCH, and volatility targeting
#'
#' Forecasts the realised volatility of the next `horizons` days (annualised, from daily log
#' returns of the adjusted close) walk-forward: the dates are cut into `folds` consecutive test
#' blocks; for each block every model is fitted on the dates before it (a purge gap of the longest
#' horizon apart) and forecasts each date of the block from prices up to that date. The models:
#' an LSTM over windows of `window` days trained on the log realised variance, HAR-RV (least
#' squares on the daily, weekly and monthly realised volatility), EWMA (RiskMetrics, decay 0.94)
#' and GARCH(1,1) (the Python `arch` package, parameters fitted per fold and then fixed). Each is
#' scored by MSE and QLIKE on the variance (lower is better; QLIKE weighs calm and turbulent years
#' alike). Then the forecasts are used: always long, scaled each day by `target_volatility` over
#' each model's forecast of the shortest horizon (at most `max_leverage`), beside the unscaled.
#'
#' @param prices Prices (data.frame, xts or CSV path); `high` and `low` for the LSTM's range feature.
#' @param horizons Days of each realised-volatility target.
#' @param folds Number of test blocks.
#' @param window Days per LSTM input window.
#' @param models Which of `"lstm"`, `"har"`, `"ewma"`, `"garch"` to run (`NULL`: all four).
#' @param epochs Most LSTM training epochs per fold (early stopping on the end of each fold's past).
#' @param seed An integer seed of the LSTM, or `NULL`.
#' @param range_feature `TRUE` to give the LSTM the daily range log(high / low) too.
#' @param target_volatility Annual volatility the targeted strategy aims at (0.10 = 10 %).
#' @param max_leverage The largest scale of the position.
#' @param cost_bps Costs in basis points per unit of turnover (`NULL`: Python's default, 5).
#' @param drop_invalid `TRUE` to drop rows holding an invalid cell, with a warning, as [pa_fit()] does.
#' @return A `pa_volatility`: `$table` (one row per model and horizon: `mse`, `qlike`, `n`),
#'   `$forecasts` (one row per date and horizon: `realised` and each model's forecast, annualised
#'   volatilities), `$folds`, `$verdict` (one sentence per horizon), `$targeting` (the unscaled and
#'   targeted strategies' statistics) and `$summary`. `print()` shows them, `plot()` and
#'   `autoplot()` draw the forecasts against the realised volatility, `as.data.frame()` gives
#'   `$forecasts`.
#' @export
#' @examples
#' \donttest{
#' result <- pa_volatility(pa_price_file("aapl"), folds = 3, epochs = 5)
#' result
#' plot(result)
#' }
pa_volatility <- function(prices, horizons = c(5, 21), folds = 5, window = 22, models = NULL, epochs = 30,
                          seed = 0, range_feature = TRUE, target_volatility = 0.10, max_leverage = 2, cost_bps = NULL,
                          drop_invalid = FALSE) {
  check_argument_names()
  if (!is.null(models)) {
    models <- as.list(vapply(seq_along(models), function(i) {
      as_py_string(models[i], sprintf("models[%d]", i), c("lstm", "har", "ewma", "garch"))
    }, ""))
  }
  result <- call_python(
    "volatility", as_py_prices(prices, "prices"), horizons = as_py_integers(horizons, "horizons", 1L),
    folds = as_py_integer(folds, "folds", 2L), window = as_py_integer(window, "window", 1L), models = models,
    epochs = as_py_integer(epochs, "epochs", 1L), seed = as_py_integer(seed, "seed", 0L, null_ok = TRUE),
    range_feature = as_py_flag(range_feature, "range_feature"),
    target_volatility = as_py_number(target_volatility, "target_volatility"),
    max_leverage = as_py_number(max_leverage, "max_leverage"), cost_bps = as_py_number(cost_bps, "cost_bps", null_ok = TRUE),
    drop_invalid = as_py_flag(drop_invalid, "drop_invalid")
  )
  ticker <- prices_name(prices, substitute(prices))
  if (is.character(prices)) ticker <- sub("\\.[^.]*$", "", ticker)
  structure(list(
    ticker = ticker, table = frame_from_columns(result$table), forecasts = frame_from_columns(result$forecasts),
    folds = frame_from_columns(result$folds), verdict = unlist(result$verdict),
    targeting = frame_from_columns(result$targeting), targeting_summary = result$targeting_summary,
    summary = result$summary
  ), class = "pa_volatility")
}

#' @export
print.pa_volatility <- function(x, ...) {
  period <- x$summary$period
  cat(sprintf("<pa_volatility> %s%d folds, %d forecast dates %s .. %s\n", if (is.null(x$ticker)) "" else paste0(x$ticker, ": "),
              nrow(x$folds), period$dates, period$start, period$end))
  cat("MSE and QLIKE of the annualised variance (lower is better):\n")
  wide <- stats::reshape(x$table[c("model", "horizon", "mse", "qlike")], idvar = "model", timevar = "horizon",
                         direction = "wide", sep = "_")
  print(wide, digits = 3, row.names = FALSE)
  cat(paste0(x$verdict, collapse = "\n"), "\n", sep = "")
  s <- x$targeting_summary
  cat(sprintf("\nAlways long, scaled to %.0f%% annual volatility by each %d-day forecast (leverage at most %g), %s .. %s:\n",
              100 * s$target_volatility, s$horizon, s$max_leverage, s$start, s$end))
  print(x$targeting, digits = 3, row.names = FALSE)
  invisible(x)
}

#' @export
as.data.frame.pa_volatility <- function(x, ...) x$forecasts

# One row per date, horizon and series (realised, then each model), for the plots.
volatility_long <- function(x, horizon, models) {
  horizon <- as_py_integer(horizon, "horizon", 1L)
  horizons <- unique(x$forecasts$horizon)
  if (!horizon %in% horizons) stop_argument("horizon", paste("one of", paste(horizons, collapse = ", ")), horizon)
  known <- setdiff(names(x$forecasts), c("date", "fold", "horizon", "realised"))
  models <- if (is.null(models)) known else vapply(seq_along(models), function(i) {
    as_py_string(models[i], sprintf("models[%d]", i), known)
  }, "")
  rows <- x$forecasts[x$forecasts$horizon == horizon, ]
  series <- c("realised", models)
  data.frame(date = rep(rows$date, length(series)), series = factor(rep(series, each = nrow(rows)), series),
             volatility = 100 * unlist(rows[series], use.names = FALSE))
}

volatility_title <- function(x, horizon) {
  sprintf("%s%d-day realised volatility and its walk-forward forecasts", if (is.null(x$ticker)) "" else paste0(x$ticker, ": "),
          as.integer(horizon))
}

volatility_colours <- function(series) {
  palette <- c(realised = "grey55", lstm = "#3b5bdb", har = "#e8590c", ewma = "#2b8a3e", garch = "#ae3ec9")
  palette[as.character(series)]
}

#' Plot volatility forecasts against the realised volatility
#'
#' The annualised realised volatility of the next `horizon` days (grey) and each model's
#' out-of-sample forecast of it, over the stitched walk-forward dates, with the QLIKE of each
#' model in the legend.
#'
#' @param x A `pa_volatility`.
#' @param horizon The horizon to draw (default: the shortest).
#' @param models Which models to draw (default: all of the run).
#' @param ... Unused.
#' @return `x`, invisibly.
#' @export
plot.pa_volatility <- function(x, horizon = min(x$forecasts$horizon), models = NULL, ...) {
  long <- volatility_long(x, horizon, models)
  wide <- do.call(cbind, split(long$volatility, long$series))
  old <- graphics::par(mar = c(3, 4, 3.5, 1))
  on.exit(graphics::par(old))
  dates <- long$date[long$series == "realised"]
  graphics::matplot(dates, wide, type = "l", lty = 1, lwd = c(1.5, rep(1, ncol(wide) - 1L)),
                    col = volatility_colours(colnames(wide)), xaxt = "n", xlab = "", ylab = "annualised volatility (%)",
                    main = volatility_title(x, horizon))
  date_axis(dates)
  graphics::legend("topright", legend = volatility_legend(x, horizon, colnames(wide)), col = volatility_colours(colnames(wide)),
                   lty = 1, bty = "n", cex = 0.8)
  invisible(x)
}

volatility_legend <- function(x, horizon, series) {
  qlike <- x$table$qlike[x$table$horizon == horizon]
  names(qlike) <- x$table$model[x$table$horizon == horizon]
  ifelse(series == "realised", "realised", sprintf("%s (QLIKE %.3f)", series, qlike[series]))
}

#' @rdname plot.pa_volatility
#' @param object A `pa_volatility`.
#' @method autoplot pa_volatility
#' @rawNamespace S3method(ggplot2::autoplot,pa_volatility)
autoplot.pa_volatility <- function(object, horizon = min(object$forecasts$horizon), models = NULL, ...) {
  long <- volatility_long(object, horizon, models)
  series <- levels(long$series)
  ggplot2::ggplot(long, ggplot2::aes(.data$date, .data$volatility, colour = .data$series)) +
    ggplot2::geom_line(ggplot2::aes(linewidth = .data$series == "realised")) +
    ggplot2::scale_linewidth_manual(values = c(`TRUE` = 0.6, `FALSE` = 0.4), guide = "none") +
    ggplot2::scale_colour_manual(values = stats::setNames(volatility_colours(series), series),
                                 labels = volatility_legend(object, horizon, series), name = NULL) +
    date_scale(long$date) +
    ggplot2::labs(title = volatility_title(object, horizon), subtitle = paste(object$verdict, collapse = "\n"),
                  y = "annualised volatility (%)") +
    pa_theme()
}
