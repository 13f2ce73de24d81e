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
  history <- frame_from_columns(call_python("history", x$py))
  losses <- history[grepl("loss$", names(history))]
  graphics::matplot(history$epoch, losses, type = "l", lty = 1, lwd = 2, col = c("#1f77b4", "#ff7f0e"),
                    xlab = "epoch", ylab = "loss", main = sprintf("%s training history", x$info$model), ...)
  if (!is.null(x$info$best_epoch)) graphics::abline(v = x$info$best_epoch, lty = 2, col = "grey40")
  graphics::legend("topright", legend = names(losses), col = c("#1f77b4", "#ff7f0e"), lwd = 2, bty = "n")
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
  old <- graphics::par(mfrow = c(2, 1), mar = c(3, 4, 2, 1))
  on.exit(graphics::par(old))
  colours <- c(strategy = "#3b5bdb", buy_and_hold = "grey45")
  graphics::matplot(daily$date, cbind(daily$equity, daily$benchmark_equity), type = "l", lty = 1, lwd = 2,
                    col = colours, log = "y", xaxt = "n", xlab = "", ylab = "growth of 1",
                    main = sprintf("%s strategy against buy-and-hold", x$settings$mode))
  graphics::axis.Date(1, daily$date)
  graphics::legend("topleft", legend = c("strategy", "buy and hold"), col = colours, lwd = 2, bty = "n")
  graphics::matplot(daily$date, 100 * cbind(daily$drawdown, daily$benchmark_drawdown), type = "l", lty = 1,
                    col = colours, xaxt = "n", xlab = "", ylab = "drawdown (%)", main = "drawdown")
  graphics::axis.Date(1, daily$date)
  invisible(x)
}

#' @export
plot.pa_walk_forward <- function(x, ...) plot(x$backtest, ...)

#' Plot the contributions behind one prediction
#'
#' Horizontal bars of each feature's contribution to P(up) on one date, largest first: blue
#' pushes towards a rise, red towards a fall.
#'
#' @param x A `pa_explanation`.
#' @param case The date to show (default: the most recent explained date).
#' @param top How many features to show.
#' @param ... Passed to [graphics::barplot()].
#' @return `x`, invisibly.
#' @export
plot.pa_explanation <- function(x, case = max(x$case), top = 10, ...) {
  case <- as.Date(case)
  rows <- x[x$case == case, ]
  if (!nrow(rows)) stop_argument("case", "one of the explained dates", format(case))
  rows <- utils::head(rows[order(-abs(rows$feature_weight)), ], as_py_integer(top, "top", 1L))
  rows <- rows[rev(seq_len(nrow(rows))), ]
  old <- graphics::par(mar = c(4, 10, 3, 1))
  on.exit(graphics::par(old))
  graphics::barplot(rows$feature_weight, names.arg = rows$feature, horiz = TRUE, las = 1,
                    col = ifelse(rows$feature_weight > 0, "#1f77b4", "#d62728"), border = NA,
                    xlab = "contribution to P(up)",
                    main = sprintf("%s on %s: P(up) %.3f", toupper(rows$method[[1]]), format(case), rows$label_prob[[1]]),
                    ...)
  graphics::abline(v = 0, col = "grey40")
  invisible(x)
}
