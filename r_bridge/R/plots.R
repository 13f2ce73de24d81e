# Base-graphics plot() methods, and the data they and the ggplot2 autoplot() methods
# (autoplot.R) draw: both renderers show the same series, labels and colours.

series_colours <- c(strategy = "#3b5bdb", `buy and hold` = "grey45")
effect_colours <- c(supports = "#1f77b4", contradicts = "#d62728")
effect_labels <- c(supports = "supports a rise", contradicts = "contradicts a rise")

# The legend of an explanation's bars: a rise for price models, the explained output for tables.
effect_names <- function(quantity) {
  if (identical(quantity, "P(up)")) effect_labels else c(supports = "raises the prediction", contradicts = "lowers the prediction")
}

# Breaks of a date axis on 1 January of round years, when the dates span at least two years.
year_breaks <- function(limits) {
  years <- as.integer(format(as.Date(limits, origin = "1970-01-01"), "%Y"))
  if (diff(range(years)) < 2L) return(NULL)
  years <- pretty(years)
  as.Date(sprintf("%d-01-01", as.integer(years[years == round(years)])))
}

date_axis <- function(dates) {
  at <- year_breaks(range(dates))
  if (is.null(at)) graphics::axis.Date(1, dates, format = "%b %Y") else graphics::axis.Date(1, at = at, format = "%Y")
}

loss_colours <- c(training = "#1f77b4", validation = "#ff7f0e")

# A model's loss per epoch, one row per epoch and part of the data (training, validation).
training_history <- function(model) {
  history <- frame_from_columns(call_python("history", model$py))
  losses <- intersect(c("loss", "val_loss"), names(history))
  parts <- names(loss_colours)[match(losses, c("loss", "val_loss"))]
  data.frame(epoch = rep(history$epoch, length(losses)), loss = unlist(history[losses], use.names = FALSE),
             part = factor(rep(parts, each = nrow(history)), parts))
}

epoch_breaks <- function(epochs) unique(round(pretty(epochs)))

# The title of a model's training history: the network, and a tabular model's task and response.
history_title <- function(model) {
  info <- model$info
  if (is.null(info$task)) return(sprintf("%s training history", info$model))
  sprintf("%s %s model of %s: training history", info$model, info$task, info$target)
}

# The test part a model's metrics come from: a price model's dates, a tabular model's rows.
test_part_label <- function(model) {
  if (!is.null(model$info$test_label)) return(model$info$test_label) # a sequence model's first test set
  test <- model$info$periods$test
  if (is.null(test)) return(sprintf("test part, %d rows", model$info$parts$test))
  sprintf("test part %s .. %s, %d dates", test$start, test$end, test$rows)
}

kept_epoch_label <- function(best) sprintf(" weights kept: epoch %d ", best)

# Strategy and buy-and-hold of a daily record, one row per date and series.
equity_long <- function(daily) {
  series <- factor(rep(names(series_colours), each = nrow(daily)), names(series_colours))
  data.frame(date = rep(daily$date, 2L), series = series, equity = c(daily$equity, daily$benchmark_equity),
             drawdown = 100 * c(daily$drawdown, daily$benchmark_drawdown))
}

# The test period of each walk-forward fold, with its label.
fold_periods <- function(folds) {
  data.frame(fold = folds$fold, start = folds$test_start, end = folds$test_end,
             middle = folds$test_start + (folds$test_end - folds$test_start) / 2,
             label = sprintf("fold %d", folds$fold), shaded = folds$fold %% 2L == 0L)
}

walk_forward_title <- function(x, ticker = NULL) {
  run <- sprintf("%s walk-forward, %d %s folds", x$summary_row$model, nrow(x$folds), x$summary$window_mode)
  if (is.null(ticker)) run else sprintf("%s: %s", ticker, run)
}

# The settings and headline statistics of a backtest; `sep` between the two (a new line fits a
# narrow plot).
backtest_subtitle <- function(x, sep = "; ") {
  stat <- function(side, name) x$raw[[side]][[name]] %||% NA_real_
  sprintf("%s, costs %g bps%sstrategy: Sharpe %.2f, total return %+.0f%%; buy and hold: Sharpe %.2f, total return %+.0f%%",
          x$settings$mode, x$settings$cost_bps, sep, stat("strategy", "sharpe"), 100 * stat("strategy", "total_return"),
          stat("buy_and_hold", "sharpe"), 100 * stat("buy_and_hold", "total_return"))
}

# The bars of an explanation, one row per shown contribution of each case, largest first.
# SHAP rows also chain from the base value (`start` to `end`, a waterfall); features beyond
# `top` are summed into one "other features" bar so that the chain ends at base + sum.
explanation_bars <- function(x, case, top) {
  explanation <- x
  tabular <- !is.null(attr(x, "task"))
  x <- as.data.frame(x)
  top <- as_py_integer(top, "top", 1L)
  cases <- if (tabular) case else as.Date(case)
  unknown <- cases[!cases %in% x$case]
  if (length(unknown)) stop_argument("case", sprintf("one of the explained %s", if (tabular) "rows" else "dates"), format(unknown[[1]]))
  do.call(rbind, lapply(as.list(cases), function(day) {
    rows <- x[x$case == day, ]
    rows <- rows[order(-abs(rows$feature_weight)), ]
    shown <- utils::head(rows, top)
    label <- shown$feature_desc
    weight <- shown$feature_weight
    rest <- nrow(rows) - nrow(shown)
    if (rows$method[[1]] == "shap" && rest > 0L) {
      label <- c(label, sprintf("%d other feature%s", rest, if (rest > 1L) "s" else ""))
      weight <- c(weight, sum(rows$feature_weight[-seq_len(nrow(shown))]))
    }
    n <- length(weight)
    end <- if (rows$method[[1]] == "shap") rev(rows$base_value[[1]] + cumsum(rev(weight))) else weight
    effect <- factor(ifelse(weight >= 0, "supports", "contradicts"), names(effect_colours))
    data.frame(case = day, method = rows$method[[1]], position = rev(seq_len(n)),
               key = sprintf("%s %04d", format(day), rev(seq_len(n))), label = label, weight = weight,
               effect = effect, start = end - weight, end = end, label_prob = rows$label_prob[[1]],
               base_value = rows$base_value[[1]], model_prediction = rows$model_prediction[[1]],
               model_r2 = rows$model_r2[[1]], case_name = case_names(explanation, day),
               quantity = explained_quantity(explanation, rows$label[[1]]))
  }))
}

# Title, subtitle and (for SHAP, when the contributions miss f(x)) caption of one case's bars.
explanation_titles <- function(bars) {
  first <- bars[1L, ]
  title <- sprintf("%s on %s: %s = %.3f", toupper(first$method), first$case_name, first$quantity, first$label_prob)
  if (first$method == "reconstruction") {
    return(list(title = title, caption = NULL,
                subtitle = "each field's squared reconstruction error (scaled units); their mean is the score"))
  }
  if (first$method == "lime") {
    return(list(title = title, caption = NULL,
                subtitle = sprintf("fit of LIME's local model to the network: R\u00b2 = %.2f", first$model_r2)))
  }
  gap <- first$model_prediction - first$label_prob
  list(title = title,
       subtitle = sprintf("from the base value E[f(X)] = %.3f to f(x) = %.3f", first$base_value, first$label_prob),
       caption = if (abs(gap) >= 5e-4) {
         sprintf("the contributions add up to %.3f, %+.3f from f(x): GradientExplainer estimates them by sampling",
                 first$model_prediction, gap)
       })
}

# The base value (drawn at the foot of the waterfall) and f(x) (at its head) of one case's
# bars, each labelled on the side of its line that has room within the x range `limits`.
reference_marks <- function(case, limits) {
  at <- c(case$base_value, case$label_prob)
  data.frame(case = case$case, at = at, label = sprintf(c(" E[f(X)] = %.3f ", " f(x) = %.3f "), at),
             hjust = ifelse(at > mean(limits), 1, 0), linetype = c("dashed", "solid"))
}

explanation_axis_label <- function(method, quantity = "P(up)") {
  if (method == "reconstruction") return("squared reconstruction error (scaled units)")
  if (method == "shap") sprintf("%s, built up from the base value", quantity) else sprintf("weight in LIME's local model of %s", quantity)
}

# Equity of a strategy and buy-and-hold (log scale) on base graphics, with a walk-forward's
# folds shaded and labelled.
draw_equity <- function(daily, main, folds = NULL, subtitle = NULL) {
  graphics::matplot(daily$date, cbind(daily$equity, daily$benchmark_equity), type = "n", log = "y", xaxt = "n",
                    xlab = "", ylab = "growth of 1 (log scale)", main = main)
  if (!is.null(folds)) {
    periods <- fold_periods(folds)
    limits <- graphics::par("usr")[3:4]
    shaded <- periods[periods$shaded, ]
    graphics::rect(shaded$start, 10^limits[1], shaded$end, 10^limits[2], col = "grey93", border = NA)
    graphics::abline(v = periods$start, col = "grey60", lty = 3)
    graphics::mtext(periods$label, side = 3, at = periods$middle, line = -1.2, cex = 0.7, col = "grey35")
  }
  graphics::matlines(daily$date, cbind(daily$equity, daily$benchmark_equity), lty = 1, lwd = 2, col = series_colours)
  if (!is.null(subtitle)) graphics::mtext(subtitle, side = 3, line = 0.3, cex = 0.8)
  date_axis(daily$date)
  graphics::legend(quiet_corner(rep(daily$date, 2L), c(daily$equity, daily$benchmark_equity)), legend = names(series_colours),
                   col = series_colours, lwd = 2, bg = "white", box.col = NA, inset = c(0.01, 0.07), cex = 0.85)
}

# The corner of the current plot that the points (x, y) cover least, for its legend.
quiet_corner <- function(x, y) {
  usr <- graphics::par("usr")
  if (graphics::par("ylog")) y <- log10(y)
  across <- (as.numeric(x) - usr[1]) / (usr[2] - usr[1])
  up <- (y - usr[3]) / (usr[4] - usr[3])
  corners <- c(topleft = sum(across < 0.3 & up > 0.7), topright = sum(across > 0.7 & up > 0.7),
               bottomleft = sum(across < 0.3 & up < 0.3), bottomright = sum(across > 0.7 & up < 0.3))
  names(which.min(corners))
}

#' Plot a model's training history
#'
#' Training and validation loss per epoch; the dashed line marks the epoch whose weights early
#' stopping kept.
#'
#' @param x A `pa_model`.
#' @param ... Passed to [graphics::matplot()].
#' @return `x`, invisibly.
#' @export
plot.pa_model <- function(x, ...) {
  history <- training_history(x)
  losses <- split(history$loss, history$part, drop = TRUE)
  epochs <- unique(history$epoch)
  graphics::matplot(epochs, do.call(cbind, losses), type = "l", lty = 1, lwd = 2, col = loss_colours[names(losses)],
                    xaxt = "n", xlab = "epoch", ylab = "loss", main = history_title(x), ...)
  graphics::axis(1, at = epoch_breaks(epochs))
  best <- x$info$best_epoch
  if (!is.null(best)) {
    graphics::abline(v = best, lty = 2, col = "grey40")
    graphics::mtext(kept_epoch_label(best), side = 3, at = best, line = 0.2, cex = 0.8,
                    adj = if (best > mean(range(epochs))) 1 else 0)
  }
  kept <- if (!is.null(best)) list(x = c(best, best), y = range(history$loss)) # its line's ends
  graphics::legend(quiet_corner(c(history$epoch, kept$x), c(history$loss, kept$y)), legend = paste(names(losses), "loss"),
                   col = loss_colours[names(losses)], lwd = 2, bg = "white", box.col = NA)
  invisible(x)
}

#' Plot a backtest: equity against buy-and-hold, and the drawdowns
#'
#' @param x A `pa_backtest` (or the `$backtest` of a `pa_walk_forward`).
#' @param ... Unused.
#' @return `x`, invisibly.
#' @export
plot.pa_backtest <- function(x, ...) {
  daily <- x$daily
  old <- graphics::par(mfrow = c(2, 1), mar = c(3, 4, 3.5, 1))
  on.exit(graphics::par(old))
  draw_equity(daily, "strategy against buy-and-hold", subtitle = backtest_subtitle(x))
  graphics::matplot(daily$date, 100 * cbind(daily$drawdown, daily$benchmark_drawdown), type = "l", lty = 1,
                    col = series_colours, xaxt = "n", xlab = "", ylab = "drawdown (%)", main = "drawdown")
  date_axis(daily$date)
  invisible(x)
}

#' Plot a walk-forward evaluation
#'
#' The equity of the stitched out-of-sample strategy against buy-and-hold (log scale), with
#' each fold's test period marked. For several tickers, `type`:
#' * `"equity"`: one panel per ticker and one for their equal-weight portfolio on the common
#'   dates (the default for up to 6 tickers);
#' * `"distribution"`: histograms across tickers of the mean per-fold ROC AUC (line at 0.5, a
#'   coin flip) and of the strategy's Sharpe ratio (line at 0) (the default beyond 6 tickers);
#' * `"significance"`: the strategies' one-sided p-values sorted, beside the
#'   Benjamini-Hochberg line (5% times rank over the number of tickers): the discoveries are
#'   the lowest p-values up to the last one below it;
#' * `"cross_section"`: the pooled model's long-short portfolio against the equal-weight
#'   buy-and-hold of the universe (log scale).
#'
#' @param x A `pa_walk_forward` or `pa_walk_forward_list`.
#' @param ticker The name shown in the title of a single ticker's plot (default: the prices'
#'   file or variable name).
#' @param type For several tickers: `"equity"`, `"distribution"`, `"significance"` or
#'   `"cross_section"` (`NULL`: `"equity"` up to 6 tickers, else `"distribution"`).
#' @param ... Unused.
#' @return `x`, invisibly.
#' @export
plot.pa_walk_forward <- function(x, ticker = x$ticker, ...) {
  old <- graphics::par(mar = c(3, 4, 3.5, 1))
  on.exit(graphics::par(old))
  draw_equity(x$backtest$daily, walk_forward_title(x, ticker), x$folds, backtest_subtitle(x$backtest))
  invisible(x)
}

#' @rdname plot.pa_walk_forward
#' @export
plot.pa_walk_forward_list <- function(x, type = NULL, ...) {
  type <- walk_forward_list_type(x, type)
  if (type != "equity") {
    old <- graphics::par(mar = c(4, 4, 3.5, 1))
    on.exit(graphics::par(old))
    switch(type, distribution = draw_distribution(x), significance = draw_significance(x),
           cross_section = draw_cross_section(x$cross_section))
    return(invisible(x))
  }
  panels <- length(x$results) + !is.null(x$portfolio_daily)
  old <- graphics::par(mfrow = grDevices::n2mfrow(panels), mar = c(3, 4, 3.5, 1))
  on.exit(graphics::par(old))
  for (ticker in names(x$results)) {
    result <- x$results[[ticker]]
    draw_equity(result$backtest$daily, walk_forward_title(result, ticker), result$folds,
                backtest_subtitle(result$backtest))
  }
  if (!is.null(x$portfolio_daily)) {
    draw_equity(x$portfolio_daily, sprintf("equal-weight portfolio of %d tickers", length(x$results)),
                subtitle = sprintf("on their %d common dates, rebalanced daily", nrow(x$portfolio_daily)))
  }
  invisible(x)
}

draw_distribution <- function(x) {
  long <- distribution_long(x)
  references <- distribution_references_frame()
  graphics::par(mfrow = c(1L, 2L), oma = c(0, 0, 1.5, 0))
  for (measure in levels(long$measure)) {
    values <- long$value[long$measure == measure]
    at <- references$at[references$measure == measure]
    graphics::hist(values, breaks = histogram_bins(length(values)), col = series_colours[["strategy"]], border = "white",
                   xlim = range(values, at, na.rm = TRUE), main = measure, xlab = measure, ylab = "tickers")
    graphics::abline(v = at, lty = 2, col = "grey30")
  }
  graphics::mtext(distribution_subtitle(x), outer = TRUE, cex = 0.85)
}

draw_significance <- function(x) {
  points <- significance_points(x)
  graphics::plot(points$rank, points$p_value, pch = 19, col = significance_colours[as.character(points$discovery)],
                 log = "y", ylim = range(points$p_value, points$bh, 1), xlab = "tickers by p-value",
                 ylab = "one-sided p-value of Sharpe > 0 (log scale)", main = significance_title(x), cex.main = 0.9)
  graphics::lines(points$rank, points$bh, lty = 2, col = "grey30")
  graphics::legend("bottomright", legend = c(names(significance_colours), "Benjamini-Hochberg line"), bg = "white", box.col = NA,
                   col = c(significance_colours, "grey30"), pch = c(19, 19, NA), lty = c(NA, NA, 2), cex = 0.85)
}

draw_cross_section <- function(pooled) {
  long <- cross_section_long(pooled)
  wide <- do.call(cbind, split(long$equity, long$series))
  dates <- pooled$daily$date
  graphics::matplot(dates, wide, type = "l", lty = 1, lwd = 2, col = cross_section_colours, log = "y", xaxt = "n",
                    xlab = "", ylab = "growth of 1 (log scale)", main = cross_section_title(pooled), cex.main = 0.9)
  graphics::abline(v = pooled$folds$test_start, col = "grey60", lty = 3)
  graphics::mtext(cross_section_subtitle(pooled), side = 3, line = 0.3, cex = 0.7)
  date_axis(dates)
  graphics::legend(quiet_corner(long$date, long$equity), legend = names(cross_section_colours), col = cross_section_colours,
                   lwd = 2, bg = "white", box.col = NA, cex = 0.85)
}

#' Plot the contributions behind one prediction
#'
#' LIME: horizontal bars of each feature's weight in LIME's local model of P(up) on one date,
#' labelled with the condition LIME found (`ret_1 <= -0.016`), largest first, coloured by
#' whether they support or contradict a rise; the subtitle gives the local model's R\eqn{^2}.
#' SHAP: a waterfall from the base value E\[f(X)\] through each feature's contribution to the
#' prediction f(x) = P(up), the features beyond `top` summed into one bar.
#'
#' @param x A `pa_explanation`.
#' @param case The date to show (default: the most recent explained date); for a tabular model's
#'   explanation the row (default: the largest row name).
#' @param top How many features to show.
#' @param ... Unused.
#' @return `x`, invisibly.
#' @export
plot.pa_explanation <- function(x, case = max(x$case), top = 10, ...) {
  if (length(case) != 1L) stop_argument("case", if (is.null(attr(x, "task"))) "one date" else "one row", paste(format(case), collapse = ", "))
  bars <- explanation_bars(x, case, top)
  titles <- explanation_titles(bars)
  shap <- bars$method[[1]] == "shap"
  old <- graphics::par(mar = c(6.5, 1 + 0.55 * max(nchar(bars$label)), 4, 1))
  on.exit(graphics::par(old))
  reference <- if (shap) c(bars$base_value[[1]], bars$label_prob[[1]]) else 0
  graphics::plot.new()
  graphics::plot.window(xlim = range(bars$start, bars$end, reference), ylim = c(0.5 - shap, nrow(bars) + 0.5 + shap))
  graphics::rect(pmin(bars$start, bars$end), bars$position - 0.38, pmax(bars$start, bars$end), bars$position + 0.38,
                 col = effect_colours[as.character(bars$effect)], border = NA)
  graphics::abline(v = reference, lty = if (shap) c(2, 1) else 1, col = "grey30")
  if (shap) {
    marks <- reference_marks(bars[1L, ], graphics::par("usr")[1:2])
    graphics::text(marks$at, c(0.3, nrow(bars) + 0.7), marks$label, pos = ifelse(marks$hjust > 0.5, 2, 4), cex = 0.8)
  }
  graphics::axis(1)
  graphics::axis(2, at = bars$position, labels = bars$label, las = 1, tick = FALSE)
  graphics::title(main = titles$title, line = 2.4)
  graphics::mtext(titles$subtitle, side = 3, line = 1.2, cex = 0.85)
  graphics::mtext(explanation_axis_label(bars$method[[1]], bars$quantity[[1]]), side = 1, line = 2.2)
  if (!is.null(titles$caption)) graphics::mtext(titles$caption, side = 1, line = 5.5, cex = 0.7, adj = 1)
  lines_below <- 4.7 * graphics::par("csi") / graphics::par("pin")[2] # the legend's bottom, 4.7 lines down
  graphics::legend("bottom", legend = effect_names(bars$quantity[[1]]), fill = effect_colours, border = NA, horiz = TRUE, bty = "n",
                   inset = c(0, -lines_below), xpd = TRUE, cex = 0.85)
  invisible(x)
}

# A universe's plots (autoplot() and plot() of a pa_walk_forward_list): the data both draw.

WALK_FORWARD_LIST_PLOTS <- c("equity", "distribution", "significance", "cross_section")
EQUITY_PANELS <- 6L # more tickers than this draw their distribution by default: panels would be unreadable
FDR_ALPHA <- 0.05 # the false discovery rate of $significance's discoveries

# The plot type asked for, or by default the equity panels for a few tickers and the distribution beyond.
walk_forward_list_type <- function(x, type) {
  if (is.null(type)) return(if (length(x$results) > EQUITY_PANELS) "distribution" else "equity")
  type <- as_py_string(type, "type", WALK_FORWARD_LIST_PLOTS)
  if (type == "cross_section" && is.null(x$cross_section)) {
    stop_argument("type", "a plot of this result: it has no cross-section (run with cross_section = TRUE)", type)
  }
  type
}

distribution_measures <- c(model_auc = "mean ROC AUC per fold", strategy_sharpe = "strategy Sharpe ratio (annual)")
distribution_references <- c(model_auc = 0.5, strategy_sharpe = 0)

# Per ticker, its mean per-fold ROC AUC and its strategy's Sharpe ratio, in long form.
distribution_long <- function(x) {
  summary <- x$summary
  measures <- names(distribution_measures)
  data.frame(ticker = rep(summary$ticker, length(measures)),
             measure = factor(rep(distribution_measures, each = nrow(summary)), distribution_measures),
             value = unlist(summary[measures], use.names = FALSE))
}

distribution_references_frame <- function() {
  data.frame(measure = factor(distribution_measures, distribution_measures), at = unname(distribution_references),
             label = c(" 0.5: a coin flip", " 0: no gain"))
}

distribution_subtitle <- function(x) {
  s <- x$summary
  sprintf("%d tickers, each on its own history: median AUC %.3f (%d of %d above 0.5), median Sharpe %.2f (%d above 0)",
          nrow(s), stats::median(s$model_auc, na.rm = TRUE), sum(s$model_auc > 0.5, na.rm = TRUE), nrow(s),
          stats::median(s$strategy_sharpe, na.rm = TRUE), sum(s$strategy_sharpe > 0, na.rm = TRUE))
}

histogram_bins <- function(n) min(30L, max(6L, as.integer(ceiling(2 * sqrt(n)))))

# The p-values sorted, with the Benjamini-Hochberg line alpha * rank / m they are compared with.
significance_points <- function(x) {
  s <- x$significance[!is.na(x$significance$p_value), ]
  s <- s[order(s$p_value), ]
  m <- nrow(s)
  data.frame(ticker = s$ticker, rank = seq_len(m), p_value = pmax(s$p_value, .Machine$double.xmin), # a log axis
             bh = FDR_ALPHA * seq_len(m) / m,
             discovery = factor(ifelse(s$discovery, "discovery", "not a discovery"), c("discovery", "not a discovery")))
}

significance_title <- function(x) {
  sprintf("One-sided p-values of the strategies' Sharpe ratios: %d discover%s of %d at a %.0f%% false discovery rate",
          sum(x$significance$discovery), if (sum(x$significance$discovery) == 1L) "y" else "ies",
          nrow(x$significance), 100 * FDR_ALPHA)
}

significance_colours <- c(discovery = "#d62728", `not a discovery` = "grey45")

cross_section_colours <- c(`long-short` = "#3b5bdb", `equal-weight buy and hold` = "grey45")

# The pooled long-short portfolio's equity and the equal-weight buy-and-hold's, one row per date and series.
cross_section_long <- function(pooled) {
  daily <- pooled$daily
  series <- factor(rep(names(cross_section_colours), each = nrow(daily)), names(cross_section_colours))
  data.frame(date = rep(daily$date, 2L), series = series, equity = c(daily$equity, daily$benchmark_equity))
}

cross_section_title <- function(pooled) {
  s <- pooled$summary
  sprintf("Cross-section: one %s pooled over %d tickers, long the top and short the bottom %.0f%% each day",
          s$model, s$n_tickers, 100 * s$quantile)
}

cross_section_subtitle <- function(pooled, sep = "; ") {
  s <- pooled$summary
  sprintf("out-of-sample over %d folds, costs %g bps per unit of turnover%slong-short: Sharpe %.2f, total return %+.0f%%; buy and hold: Sharpe %.2f, total return %+.0f%%",
          nrow(pooled$folds), s$cost_bps, sep, s$strategy$sharpe %||% NA_real_, 100 * s$strategy$total_return,
          s$buy_and_hold$sharpe %||% NA_real_, 100 * s$buy_and_hold$total_return)
}
