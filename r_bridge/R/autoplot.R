# ggplot2 autoplot() methods. ggplot2 is suggested, not imported: the methods are registered
# for ggplot2::autoplot in NAMESPACE only once ggplot2 is loaded, so library(pyanalytics)
# never loads it.

utils::globalVariables(".data") # ggplot2's pronoun for the plotted data's columns

# Years on a long date axis, months and years on a short one.
date_scale <- function(dates) {
  if (is.null(year_breaks(range(dates)))) return(ggplot2::scale_x_date(date_labels = "%b %Y", name = NULL))
  ggplot2::scale_x_date(breaks = year_breaks, date_labels = "%Y", name = NULL)
}

# A ggplot2 theme shared by the plots: a light grid, the legend on top.
pa_theme <- function() {
  ggplot2::theme_minimal(base_size = 11) +
    ggplot2::theme(legend.position = "top", legend.justification = "left", plot.title.position = "plot",
                   panel.grid.minor = ggplot2::element_blank())
}

#' ggplot2 plots of models, explanations, backtests and walk-forward results
#'
#' `autoplot()` methods for ggplot2 (load ggplot2 first): each returns a `ggplot` object that
#' can be printed, saved with [ggplot2::ggsave()] or extended with further layers.
#'
#' * `pa_model`: `type = "history"` draws the training and validation loss per epoch, with the
#'   epoch whose weights early stopping kept; `type = "metrics"` draws a test metric of the
#'   model beside its naive baselines (`metric`, default the one its verdict compares; ROC AUC
#'   and two-class accuracy with chance at 0.5).
#' * `pa_explanation`: LIME bars labelled with their conditions (`ret_1 <= -0.016`), coloured by
#'   whether they support or contradict a rise, with the local model's R\eqn{^2}; SHAP as a
#'   waterfall from the base value E\[f(X)\] to f(x) = P(up). Several `case` dates give one
#'   panel each.
#' * `pa_backtest`: equity (growth of 1) and drawdown of the strategy against buy-and-hold.
#' * `pa_walk_forward`: equity of the stitched out-of-sample strategy against buy-and-hold (log
#'   scale), each fold's test period shaded and labelled.
#' * `pa_walk_forward_list`: `type = "equity"`, one panel per ticker and one for the
#'   equal-weight portfolio on the tickers' common dates (the default for up to 6 tickers);
#'   `"distribution"`, histograms across tickers of the mean per-fold ROC AUC (line at 0.5) and
#'   of the strategy's Sharpe ratio (line at 0) (the default beyond 6 tickers);
#'   `"significance"`, the one-sided p-values sorted against the Benjamini-Hochberg line, the
#'   discoveries in red; `"cross_section"`, the pooled model's long-short portfolio against the
#'   equal-weight buy-and-hold of the universe (log scale), its folds marked.
#'
#' @param object A `pa_model`, `pa_explanation`, `pa_backtest`, `pa_walk_forward` or
#'   `pa_walk_forward_list`.
#' @param type For a model: `"history"` or `"metrics"`; for a `pa_walk_forward_list`:
#'   `"equity"`, `"distribution"`, `"significance"` or `"cross_section"` (`NULL`: `"equity"` up
#'   to 6 tickers, else `"distribution"`).
#' @param metric For `type = "metrics"`: a column of the model's metrics, e.g. `"accuracy"`
#'   (default: the metric its verdict compares, `"roc_auc"` for price and binary models,
#'   `"accuracy"` for multiclass, `"rmse"` for regression).
#' @param case Dates to show (default: the most recent explained date).
#' @param top How many features to show per date.
#' @param ticker The name shown in the title of a single ticker's walk-forward plot (default:
#'   the prices' file or variable name).
#' @param ... Unused.
#' @return A `ggplot` object.
#' @name autoplot.pa_model
#' @examples
#' \donttest{
#' if (requireNamespace("ggplot2", quietly = TRUE)) {
#'   library(ggplot2)
#'   prices <- pa_synthetic_prices(1200, seed = 1)
#'   model <- pa_fit(prices, epochs = 3, seed = 1)
#'   autoplot(model, type = "metrics")
#'   autoplot(pa_explain(model, prices, method = "lime", n = 1, n_samples = 500))
#'   autoplot(pa_backtest(model, prices))
#' }
#' }
NULL

#' @rdname autoplot.pa_model
#' @method autoplot pa_model
#' @rawNamespace S3method(ggplot2::autoplot,pa_model)
autoplot.pa_model <- function(object, type = c("history", "metrics"), metric = object$info$verdict$metric, ...) {
  type <- match.arg(type)
  if (type == "history") history_plot(object) else metrics_plot(object, metric)
}

history_plot <- function(model) {
  history <- training_history(model)
  plot <- ggplot2::ggplot(history, ggplot2::aes(.data$epoch, .data$loss, colour = .data$part)) +
    ggplot2::geom_line(linewidth = 1) +
    ggplot2::scale_x_continuous(breaks = epoch_breaks) +
    ggplot2::scale_colour_manual(values = loss_colours, name = "loss on") +
    ggplot2::labs(title = history_title(model), x = "epoch", y = "loss") +
    pa_theme()
  best <- model$info$best_epoch
  if (is.null(best)) return(plot)
  plot + ggplot2::geom_vline(xintercept = best, linetype = "dashed", colour = "grey40") +
    ggplot2::annotate("text", x = best, y = Inf, label = kept_epoch_label(best), vjust = 1.5, size = 3.2,
                      hjust = if (best > mean(range(history$epoch))) 1 else 0, colour = "grey30")
}

metrics_plot <- function(model, metric) {
  metrics <- as.data.frame(unclass(model$info$metrics))
  numeric <- names(metrics)[vapply(metrics, is.numeric, TRUE)]
  metric <- as_py_string(metric, "metric", numeric)
  own <- model$info$model
  frame <- data.frame(model = factor(metrics$model, rev(metrics$model)), value = metrics[[metric]],
                      role = factor(ifelse(metrics$model == own, "the model", "naive baseline"),
                                    c("the model", "naive baseline")))
  shown <- if (metric == "roc_auc") "ROC AUC" else metric
  plot <- ggplot2::ggplot(frame, ggplot2::aes(.data$value, .data$model, fill = .data$role)) +
    ggplot2::geom_col(width = 0.7) +
    ggplot2::geom_text(ggplot2::aes(label = sprintf("%.3f", .data$value)), hjust = -0.15, size = 3.3) +
    ggplot2::scale_fill_manual(values = c(`the model` = "#3b5bdb", `naive baseline` = "grey65"), name = NULL) +
    ggplot2::scale_x_continuous(expand = ggplot2::expansion(mult = c(0, 0.12))) +
    ggplot2::labs(title = sprintf("Test %s of %s beside its naive baselines", shown, own),
                  subtitle = test_part_label(model),
                  x = shown, y = NULL) +
    pa_theme()
  if (metric == "roc_auc" || (metric == "accuracy" && !identical(model$info$task, "multiclass"))) {
    plot <- plot + ggplot2::geom_vline(xintercept = 0.5, linetype = "dashed", colour = "grey30") +
      ggplot2::labs(caption = "dashed: 0.5, a coin flip")
  }
  plot
}

#' @rdname autoplot.pa_model
#' @method autoplot pa_explanation
#' @rawNamespace S3method(ggplot2::autoplot,pa_explanation)
autoplot.pa_explanation <- function(object, case = max(object$case), top = 10, ...) {
  bars <- explanation_bars(object, case, top)
  bars$key <- factor(bars$key, sort(unique(bars$key)))
  # A gap of three positions between cases, so that no panel's padding reaches (and labels)
  # the next case's bars: the panels share one y scale.
  in_key_order <- unique(bars$case[order(bars$key)])
  bars$y <- as.integer(bars$key) + 3L * (match(bars$case, in_key_order) - 1L)
  several <- length(unique(bars$case)) > 1L
  titles <- explanation_titles(bars)
  shap <- bars$method[[1]] == "shap"
  plot <- ggplot2::ggplot(bars) +
    ggplot2::geom_rect(ggplot2::aes(xmin = pmin(.data$start, .data$end), xmax = pmax(.data$start, .data$end),
                                    ymin = .data$y - 0.4, ymax = .data$y + 0.4,
                                    fill = .data$effect)) +
    ggplot2::scale_fill_manual(values = effect_colours, labels = effect_names(bars$quantity[[1]]), name = NULL, drop = FALSE) +
    ggplot2::scale_y_continuous(breaks = sort(bars$y), labels = bars$label[order(bars$y)],
                                name = NULL, expand = ggplot2::expansion(add = if (shap) 1 else 0.3)) +
    ggplot2::labs(x = explanation_axis_label(bars$method[[1]], bars$quantity[[1]]), title = titles$title, subtitle = titles$subtitle,
                  caption = titles$caption) +
    pa_theme() +
    ggplot2::theme(panel.grid.major.y = ggplot2::element_blank())
  if (shap) {
    references <- do.call(rbind, lapply(split(bars, bars$case), function(case) {
      marks <- reference_marks(case[1L, ], range(case$start, case$end, case$base_value, case$label_prob))
      cbind(marks, y = c(-Inf, Inf), vjust = c(-0.4, 1.4))
    }))
    plot <- plot +
      ggplot2::geom_vline(data = references, ggplot2::aes(xintercept = .data$at, linetype = .data$linetype),
                          colour = "grey30") +
      ggplot2::scale_linetype_identity() +
      ggplot2::geom_text(data = references, size = 3.3, colour = "grey20",
                         ggplot2::aes(x = .data$at, y = .data$y, label = .data$label, hjust = .data$hjust, vjust = .data$vjust))
  } else {
    plot <- plot + ggplot2::geom_vline(xintercept = 0, colour = "grey30")
  }
  if (!several) return(plot)
  panels <- unique(bars[c("case", "case_name", "quantity", "method", "label_prob", "model_r2", "base_value")])
  names <- stats::setNames(
    if (shap) sprintf("%s: %s = %.3f, base value %.3f", panels$case_name, panels$quantity, panels$label_prob, panels$base_value)
    else sprintf("%s: %s = %.3f, R\u00b2 = %.2f", panels$case_name, panels$quantity, panels$label_prob, panels$model_r2),
    format(panels$case)
  )
  plot + ggplot2::facet_wrap(ggplot2::vars(format(.data$case)), scales = "free", ncol = 1L,
                             labeller = ggplot2::as_labeller(names)) +
    ggplot2::labs(title = sprintf("%s explanations of %d %s", toupper(bars$method[[1]]), nrow(panels),
                                  if (is.null(attr(object, "task"))) "dates" else "rows"),
                  subtitle = NULL, caption = NULL)
}

#' @rdname autoplot.pa_model
#' @method autoplot pa_backtest
#' @rawNamespace S3method(ggplot2::autoplot,pa_backtest)
autoplot.pa_backtest <- function(object, ...) {
  long <- equity_long(object$daily)
  panels <- c("growth of 1", "drawdown (%)")
  long <- data.frame(date = rep(long$date, 2L), series = rep(long$series, 2L), value = c(long$equity, long$drawdown),
                     panel = factor(rep(panels, each = nrow(long)), panels))
  ggplot2::ggplot(long, ggplot2::aes(.data$date, .data$value, colour = .data$series)) +
    ggplot2::geom_line(linewidth = 0.7) +
    ggplot2::facet_grid(ggplot2::vars(.data$panel), scales = "free_y", switch = "y") +
    ggplot2::scale_colour_manual(values = series_colours, name = NULL) +
    date_scale(long$date) +
    ggplot2::labs(title = "Strategy against buy-and-hold", subtitle = backtest_subtitle(object, "\n"), y = NULL) +
    pa_theme() +
    ggplot2::theme(strip.placement = "outside", panel.spacing = ggplot2::unit(1.5, "lines"))
}

#' @rdname autoplot.pa_model
#' @method autoplot pa_walk_forward
#' @rawNamespace S3method(ggplot2::autoplot,pa_walk_forward)
autoplot.pa_walk_forward <- function(object, ticker = object$ticker, ...) {
  long <- equity_long(object$backtest$daily)
  periods <- fold_periods(object$folds)
  ggplot2::ggplot(long) +
    ggplot2::geom_rect(data = periods[periods$shaded, ], ggplot2::aes(xmin = .data$start, xmax = .data$end),
                       ymin = -Inf, ymax = Inf, fill = "grey93") +
    ggplot2::geom_vline(data = periods, ggplot2::aes(xintercept = .data$start), colour = "grey60", linetype = "dotted") +
    ggplot2::geom_text(data = periods, ggplot2::aes(x = .data$middle, label = .data$label), y = Inf, vjust = 1.5,
                       size = 3, colour = "grey35") +
    ggplot2::geom_line(ggplot2::aes(.data$date, .data$equity, colour = .data$series), linewidth = 0.7) +
    ggplot2::scale_colour_manual(values = series_colours, name = NULL) +
    ggplot2::scale_y_log10() +
    date_scale(long$date) +
    ggplot2::labs(title = walk_forward_title(object, ticker), subtitle = backtest_subtitle(object$backtest, "\n"),
                  y = "growth of 1 (log scale)") +
    pa_theme()
}

#' @rdname autoplot.pa_model
#' @method autoplot pa_walk_forward_list
#' @rawNamespace S3method(ggplot2::autoplot,pa_walk_forward_list)
autoplot.pa_walk_forward_list <- function(object, type = NULL, ...) {
  type <- walk_forward_list_type(object, type)
  switch(type, equity = equity_panels_plot(object), distribution = distribution_plot(object),
         significance = significance_plot(object), cross_section = cross_section_plot(object$cross_section))
}

equity_panels_plot <- function(object) {
  tickers <- names(object$results)
  portfolio <- if (is.null(object$portfolio_daily)) character() else "equal-weight portfolio"
  order <- c(tickers, portfolio)
  panel <- function(frame, name) cbind(frame, panel = factor(name, order))
  long <- do.call(rbind, c(
    lapply(tickers, function(t) panel(equity_long(object$results[[t]]$backtest$daily), t)),
    lapply(portfolio, function(p) panel(equity_long(object$portfolio_daily), p))
  ))
  periods <- do.call(rbind, lapply(tickers, function(t) panel(fold_periods(object$results[[t]]$folds), t)))
  model <- object$results[[1]]$summary_row$model
  ggplot2::ggplot(long) +
    ggplot2::geom_rect(data = periods[periods$shaded, ], ggplot2::aes(xmin = .data$start, xmax = .data$end),
                       ymin = -Inf, ymax = Inf, fill = "grey93") +
    ggplot2::geom_vline(data = periods, ggplot2::aes(xintercept = .data$start), colour = "grey60", linetype = "dotted") +
    ggplot2::geom_line(ggplot2::aes(.data$date, .data$equity, colour = .data$series), linewidth = 0.6) +
    ggplot2::facet_wrap(ggplot2::vars(.data$panel), scales = "free") +
    ggplot2::scale_colour_manual(values = series_colours, name = NULL) +
    ggplot2::scale_y_log10() +
    date_scale(long$date) +
    ggplot2::labs(
      title = sprintf("%s walk-forward on %s", model,
                      if (length(tickers) > EQUITY_PANELS) sprintf("%d tickers", length(tickers)) else paste(tickers, collapse = ", ")),
      subtitle = paste0("each ticker on its own history, its folds shaded in turn",
                        if (length(portfolio)) ";\nthe equal-weight portfolio on the tickers' common dates, rebalanced daily"),
      y = "growth of 1 (log scale)"
    ) +
    pa_theme()
}

distribution_plot <- function(object) {
  long <- distribution_long(object)
  references <- distribution_references_frame()
  ggplot2::ggplot(long, ggplot2::aes(.data$value)) +
    ggplot2::geom_histogram(bins = histogram_bins(nrow(object$summary)), fill = series_colours[["strategy"]],
                            colour = "white", na.rm = TRUE) +
    ggplot2::geom_vline(data = references, ggplot2::aes(xintercept = .data$at), linetype = "dashed", colour = "grey30") +
    ggplot2::geom_text(data = references, ggplot2::aes(x = .data$at, label = .data$label), y = Inf, hjust = 0,
                       vjust = 1.5, size = 3.2, colour = "grey30") +
    ggplot2::facet_wrap(ggplot2::vars(.data$measure), scales = "free_x", strip.position = "bottom") +
    ggplot2::scale_y_continuous(breaks = function(limits) unique(floor(pretty(limits))),
                                expand = ggplot2::expansion(mult = c(0, 0.15))) +
    ggplot2::labs(title = sprintf("%s walk-forward across a universe: one model per ticker",
                                  object$results[[1]]$summary_row$model),
                  subtitle = distribution_subtitle(object), x = NULL, y = "tickers") +
    pa_theme() +
    ggplot2::theme(strip.placement = "outside", strip.text = ggplot2::element_text(size = 11))
}

significance_plot <- function(object) {
  points <- significance_points(object)
  found <- points[points$discovery == "discovery", ]
  ggplot2::ggplot(points, ggplot2::aes(.data$rank, .data$p_value)) +
    ggplot2::geom_line(ggplot2::aes(y = .data$bh), linetype = "dashed", colour = "grey30") +
    ggplot2::geom_point(ggplot2::aes(colour = .data$discovery), size = 2) +
    ggplot2::geom_text(data = found, ggplot2::aes(label = .data$ticker), hjust = 0, nudge_x = 0.15, vjust = -0.4,
                       size = 3.2, colour = significance_colours[["discovery"]], check_overlap = TRUE) +
    ggplot2::annotate("text", x = max(points$rank), y = FDR_ALPHA, label = "Benjamini-Hochberg line: 5% \u00d7 rank / tickers",
                      hjust = 1, vjust = -0.6, size = 3.2, colour = "grey30") +
    ggplot2::scale_colour_manual(values = significance_colours, name = NULL, drop = FALSE) +
    ggplot2::scale_x_continuous(breaks = function(limits) unique(round(pretty(limits)))) +
    ggplot2::scale_y_log10(breaks = p_value_breaks, labels = function(breaks) formatC(breaks, format = "g")) +
    ggplot2::expand_limits(y = 1) +
    ggplot2::labs(title = significance_title(object),
                  subtitle = "a discovery: its p-value up to the last one below the line (the strategy earned more than nothing)",
                  x = "tickers by p-value", y = "one-sided p-value of Sharpe > 0 (log scale)") +
    pa_theme()
}

# Powers of ten from the smallest p-value's to 1, at most about six of them.
p_value_breaks <- function(limits) {
  lowest <- floor(log10(max(min(limits), .Machine$double.xmin)))
  10^rev(seq(0, lowest, by = -max(1, ceiling(-lowest / 6))))
}

cross_section_plot <- function(pooled) {
  long <- cross_section_long(pooled)
  ggplot2::ggplot(long) +
    ggplot2::geom_vline(data = pooled$folds, ggplot2::aes(xintercept = .data$test_start), colour = "grey60",
                        linetype = "dotted") +
    ggplot2::geom_line(ggplot2::aes(.data$date, .data$equity, colour = .data$series), linewidth = 0.7) +
    ggplot2::scale_colour_manual(values = cross_section_colours, name = NULL) +
    ggplot2::scale_y_log10() +
    date_scale(long$date) +
    ggplot2::labs(title = cross_section_title(pooled), subtitle = cross_section_subtitle(pooled, "\n"),
                  y = "growth of 1 (log scale)") +
    pa_theme()
}
