#' Classify each time step of a series with a recurrent network
#'
#' An LSTM or GRU reads the window of the last `window` time steps ending at each row and
#' learns that row's label (two classes: binary; more: multiclass). The series is split by time
#' into train, validation and test parts with a purge gap, and every window stays inside its
#' part; with `test_data` the model is tested on those series instead of a test part. Beside
#' the network: the majority class, a logistic regression on each window's last step, and
#' persistence (each row's label is the one before it), a strong baseline for minute-level
#' sensors that a network rarely beats.
#'
#' Rows must be in time order: a `time_column` that goes back or repeats, or jumps by more than
#' `max_gap`, is an error of class `pa_data_error` naming both rows.
#'
#' @param data A data.frame of the series (or a CSV path), one row per time step.
#' @param label The name of the column of each time step's class.
#' @param time_column The name of the column of times (`POSIXct`, `Date` or text such as
#'   `"2015-02-04 17:51:00"`); it is no feature. `NULL` uses the row order.
#' @param window Time steps per window.
#' @param test_data Test series scored instead of a test part: a data.frame, a CSV path, or a
#'   (named) list of them; each is named by its list name, else `test_1`, `test_2`, ...
#' @param features Names of the numeric columns each step holds (default: every column but the
#'   time and the label).
#' @param model `"lstm"` or `"gru"`.
#' @param max_gap The longest step allowed between consecutive times, such as `"5min"`, or
#'   `NULL`.
#' @param ... Settings of the network (`units = 32`, `dropout`, `learning_rate`, `batch_size`,
#'   `epochs`, `patience`) and of the split (`validation`, `test`, `gap`), with Python's names
#'   and defaults; a misspelt one is an error that lists them.
#' @param seed An integer for a reproducible network, or `NULL`.
#' @return A `pa_sequence` (also a `pa_model`): print it for each test set's metrics beside the
#'   baselines and the verdict, `predict()` each window with it, `plot()`/`autoplot()` the
#'   probability against the label over time, [pa_evaluate()] it on a labelled series and
#'   [pa_save()] it.
#' @export
#' @examples
#' \donttest{
#' n <- 600
#' state <- cumsum(runif(n) < 0.03) %% 2
#' room <- data.frame(time = as.POSIXct("2024-01-01", tz = "UTC") + 60 * seq_len(n),
#'                    light = 400 * state + rnorm(n, sd = 60), occupied = state)
#' model <- pa_sequence_classifier(room, "occupied", time_column = "time", window = 10, epochs = 3, units = 8)
#' model
#' tail(predict(model, room))
#' }
pa_sequence_classifier <- function(data, label, time_column = NULL, window = 30, test_data = NULL, features = NULL,
                                   model = c("lstm", "gru"), max_gap = NULL, ..., seed = 0) {
  check_argument_names(sequence_settings())
  fit_sequence("classify", data, as_py_string(label, "label"), time_column, window, test_data, features, model,
               max_gap, list(...), seed, data_name = sequence_data_name(data, substitute(data)))
}

#' Forecast a series with a recurrent network
#'
#' An LSTM or GRU reads the window of the last `window` time steps ending at each row and
#' forecasts the next `horizon` values of `target` at once (direct multi-step: one output per
#' horizon). Beside it: naive (the last value), seasonal naive (with a `period`) and a linear
#' autoregression on the window. Errors are MAE, RMSE and MASE (scaled by the training part's
#' in-sample naive error, seasonal with a `period`), overall and per horizon; with `quantiles`
#' the network learns those quantiles (a pinball loss) and its outer two are a prediction
#' interval, scored by its coverage.
#'
#' @inheritParams pa_sequence_classifier
#' @param target The name of the column to forecast (always one of the features).
#' @param horizon Steps ahead forecast (1..`horizon`).
#' @param period The season's length in steps (at most `window`), or `NULL`.
#' @param quantiles Quantile levels such as `c(0.1, 0.5, 0.9)`, or `NULL` for point forecasts.
#' @param features Names of further numeric columns each step holds (default: the target alone).
#' @param ... Settings of the network (`units = 32`, `dropout`, `learning_rate`, `batch_size`,
#'   `epochs`, `patience`) and of the split (`validation`, `test`, `gap`: rows purged between
#'   parts, default the horizon).
#' @return A `pa_sequence` (also a `pa_model`): print it for each test set's metrics beside the
#'   baselines (and MASE per horizon) with the verdict, `predict()` forecasts with it (`last =
#'   TRUE`: from the last row on), `plot()`/`autoplot()` the forecast against the actual values
#'   with the interval band, [pa_evaluate()] it on a series and [pa_save()] it.
#' @export
#' @examples
#' \donttest{
#' n <- 400
#' series <- data.frame(time = as.POSIXct("2024-01-01", tz = "UTC") + 3600 * seq_len(n),
#'                      value = 2 * sin(2 * pi * seq_len(n) / 12) + rnorm(n, sd = 0.3))
#' model <- pa_forecast(series, "value", time_column = "time", window = 24, horizon = 6, period = 12,
#'                      quantiles = c(0.1, 0.5, 0.9), epochs = 5, units = 8)
#' model
#' predict(model, series, last = TRUE)
#' }
pa_forecast <- function(data, target, time_column = NULL, window = 24, horizon = 12, period = NULL, quantiles = NULL,
                        features = NULL, model = c("lstm", "gru"), test_data = NULL, max_gap = NULL, ..., seed = 0) {
  check_argument_names(sequence_settings())
  if (!is.null(quantiles) && (!is.numeric(quantiles) || anyNA(quantiles) || any(quantiles <= 0 | quantiles >= 1))) {
    stop_argument("quantiles", "levels between 0 and 1 such as c(0.1, 0.5, 0.9)", quantiles)
  }
  fit_sequence("forecast", data, as_py_string(target, "target"), time_column, window, test_data, features, model,
               max_gap, list(...), seed, data_name = sequence_data_name(data, substitute(data)),
               horizon = as_py_integer(horizon, "horizon", 1L), period = as_py_integer(period, "period", 1L, null_ok = TRUE),
               quantiles = if (!is.null(quantiles)) as.list(as.double(quantiles)))
}

# The settings a sequence model's `...` takes, asked of Python once.
sequence_settings <- function() {
  if (is.null(state$settings$sequence)) state$settings$sequence <- unlist(call_python("sequence_settings"))
  state$settings$sequence
}

fit_sequence <- function(task, data, column, time_column, window, test_data, features, model, max_gap, settings, seed,
                         data_name, ...) {
  model <- as_py_choice(model, "model", c("lstm", "gru"))
  time_column <- as_py_string(time_column, "time_column", null_ok = TRUE)
  fitted <- call_python(
    "fit_sequence", task, sequence_table(data, "data"), column, time_column = time_column,
    features = if (!is.null(features)) as.list(as_py_column_names(features, "features")),
    window = as_py_integer(window, "window", 1L), model = model, test_data = sequence_tests(test_data),
    max_gap = as_py_string(max_gap, "max_gap", null_ok = TRUE), seed = as_py_integer(seed, "seed", 0L, null_ok = TRUE),
    settings = model_params(settings), data_name = data_name, ...
  )
  new_sequence(fitted)
}

# A series for Python: a data.frame (or a CSV path, read as read.csv reads it) as a tabular frame.
sequence_table <- function(x, name) {
  if (is.character(x) && length(x) == 1L) x <- utils::read.csv(as_py_path(x, name))
  if (!is.data.frame(x)) stop_argument(name, "a data.frame of the series or a CSV path", class(x)[[1]])
  as_py_table(x, name)
}

# Test series as a named list for Python (a dict): a single series is `test_1` unless named or a path.
sequence_tests <- function(test_data) {
  if (is.null(test_data)) return(NULL)
  if (is.data.frame(test_data)) test_data <- list(test_data)
  if (is.character(test_data)) test_data <- as.list(test_data)  # c("a.csv", "b.csv"): one series per path
  if (!is.list(test_data) || !length(test_data)) stop_argument("test_data", "a data.frame, a CSV path or a list of them", test_data)
  names <- names(test_data) %||% rep("", length(test_data))
  paths <- vapply(test_data, function(x) if (is.character(x)) tools::file_path_sans_ext(basename(x)) else "", "")
  names <- ifelse(nzchar(names), names, ifelse(nzchar(paths), paths, sprintf("test_%d", seq_along(test_data))))
  stats::setNames(lapply(seq_along(test_data), function(i) sequence_table(test_data[[i]], sprintf("test_data[[%d]]", i))),
                  names)
}

sequence_data_name <- function(x, expr) if (is.character(x)) basename(x) else if (is.name(expr)) deparse(expr)

new_sequence <- function(py) {
  info <- call_python("sequence_summary", py)
  info$test_sets <- lapply(info$test_sets, function(test) {
    list(windows = test$windows, metrics = metrics_frame(test$metrics),
         horizons = if (!is.null(test$horizons)) frame_from_columns(test$horizons))
  })
  first <- info$test_sets[[1L]]
  info$metrics <- first$metrics # what pa_model's metrics plot reads
  info$test_label <- sprintf("test set %s, %d windows", names(info$test_sets)[[1L]], first$windows)
  structure(list(py = py, info = info), class = c("pa_sequence", "pa_model"))
}

#' Classify or forecast with a sequence model
#'
#' @param object A `pa_sequence`.
#' @param newdata A data.frame of the series (its time column and features, in time order).
#' @param last `TRUE` for the window ending at the last row only (the forecast from now on).
#' @param ... Unused.
#' @return A data.frame with one row per window, by the time it ends at (the time column, as
#'   `POSIXct` in UTC, or `row`): for a classifier `prob_<class>` (the positive class's for two
#'   classes) and `class`; for a forecaster `h1`..`hH`, with quantiles also `lower_h1`..
#'   and `upper_h1`.. (the interval).
#' @export
#' @examples
#' \donttest{
#' n <- 400
#' series <- data.frame(value = sin(seq_len(n) / 2) + rnorm(n, sd = 0.1))
#' model <- pa_forecast(series, "value", window = 12, horizon = 3, epochs = 3, units = 8)
#' predict(model, series, last = TRUE)
#' }
predict.pa_sequence <- function(object, newdata, last = FALSE, ...) {
  check_argument_names()
  frame_from_columns(call_python("sequence_predict", object$py, sequence_rows(object, newdata),
                                 as_py_flag(last, "last")), keep_times = TRUE)
}

# The columns of newdata a sequence model reads (and its label), for Python.
sequence_rows <- function(model, newdata, labelled = FALSE) {
  if (missing(newdata) || !is.data.frame(newdata)) {
    stop_argument("newdata", if (labelled) "a data.frame of the series with its label" else "a data.frame of the series",
                  if (!missing(newdata)) class(newdata)[[1]])
  }
  wanted <- c(model$info$columns, if (labelled) model$info$label)
  as_py_table(newdata[intersect(wanted, names(newdata))], "newdata")
}

# pa_evaluate() of a sequence model: every window of newdata, beside its saved baselines.
sequence_evaluate <- function(model, newdata, since, drop_invalid) {
  check_tabular_only(since, drop_invalid, "a sequence model", "it refuses missing values, naming them")
  result <- call_python("sequence_evaluate", model$py, sequence_rows(model, newdata, labelled = TRUE))
  structure(metrics_frame(result$metrics), verdict = result$verdict,
            horizons = if (!is.null(result$horizons)) frame_from_columns(result$horizons),
            class = c("pa_tabular_metrics", "pa_metrics", "data.frame"))
}

#' What a sequence model said beside what happened
#'
#' @param object A `pa_sequence`.
#' @param newdata A labelled series (a data.frame with the label or target column), or `NULL`
#'   for the first test set of a model fitted in this session.
#' @param horizon For a forecaster, the horizon whose forecasts are shown.
#' @return A data.frame by time: a classifier's `actual` label, `predicted` class and `prob`
#'   (of the positive class; of the predicted class for more than two); a forecaster's
#'   `actual` value and the `predicted` one made `horizon` steps before (at `origin`), with
#'   `lower` and `upper` for quantiles.
#' @export
pa_outcomes <- function(object, newdata = NULL, horizon = 1) {
  check_argument_names()
  if (!inherits(object, "pa_sequence")) stop_argument("object", "a sequence model from pa_sequence_classifier() or pa_forecast()", class(object)[[1]])
  rows <- if (!is.null(newdata)) sequence_rows(object, newdata, labelled = TRUE)
  frame_from_columns(call_python("sequence_outcomes", object$py, rows, as_py_integer(horizon, "horizon", 1L)),
                     keep_times = TRUE)
}

#' @export
print.pa_sequence <- function(x, ...) {
  info <- x$info
  what <- if (info$task == "forecasting") {
    sprintf("forecasting %s 1..%d steps ahead%s", info$target, info$horizon,
            if (is.null(info$quantiles)) "" else sprintf(" (quantiles %s)", paste(info$quantiles, collapse = ", ")))
  } else {
    sprintf("%s classifier of %s (classes %s)", info$task, info$label, paste(info$classes, collapse = ", "))
  }
  cat(sprintf("<pa_sequence> %s %s, window %d on %d feature(s)\n", info$model, what, info$window, length(info$features)))
  for (note in info$notes) cat("note:", note, "\n")
  for (name in names(info$test_sets)) {
    test <- info$test_sets[[name]]
    cat(sprintf("test set %s (%d windows), next to the baselines:\n", name, test$windows))
    print(test$metrics)
  }
  cat(info$verdict$sentence, "\n", sep = "")
  if (!is.null(info$path)) cat(sprintf("bundle: %s\n", info$path))
  invisible(x)
}

#' @export
summary.pa_sequence <- function(object, ...) structure(object$info, class = "summary.pa_sequence")

#' @export
print.summary.pa_sequence <- function(x, ...) {
  cat(sprintf("pyanalytics %s %s model, window %d, seed %s, best epoch %s\n", x$model, x$task, x$window,
              if (is.null(x$seed)) "none" else x$seed, if (is.null(x$best_epoch)) "none" else x$best_epoch))
  cat(sprintf("windows: %s (split %s)\n", paste(sprintf("%s %d", names(x$parts), unlist(x$parts)), collapse = ", "),
              if (is.null(x$time_column)) "by row order" else sprintf("by %s", x$time_column)))
  cat(sprintf("features: %s\n", paste(x$features, collapse = ", ")))
  for (note in x$notes) cat("note:", note, "\n")
  for (name in names(x$test_sets)) {
    cat(sprintf("test set %s:\n", name))
    print(x$test_sets[[name]]$metrics)
    horizons <- x$test_sets[[name]]$horizons
    if (!is.null(horizons)) {
      cat("MASE per horizon:\n")
      print(stats::xtabs(mase ~ model + horizon, horizons), digits = 3)
    }
  }
  cat(x$verdict$sentence, "\n", sep = "")
  invisible(x)
}

#' Plot a sequence model's outcomes
#'
#' A forecaster: the actual values and the forecasts made `horizon` steps before, with the
#' interval as a band (quantiles). A classifier: the probability of the positive class (of the
#' predicted class for more than two) over time, with the actual label as a step line.
#'
#' @param x A `pa_sequence`.
#' @param newdata A labelled series, or `NULL` for the first test set of a model fitted in this
#'   session.
#' @param horizon For a forecaster, the horizon shown.
#' @param ... Unused.
#' @return `x`, invisibly.
#' @export
plot.pa_sequence <- function(x, newdata = NULL, horizon = 1, ...) {
  outcomes <- pa_outcomes(x, newdata, horizon)
  lines <- sequence_lines(x, outcomes)
  graphics::plot(outcomes$time, lines$actual, type = "n", ylim = range(lines$actual, lines$shown, outcomes$lower,
                                                                      outcomes$upper, na.rm = TRUE),
                 xlab = "", ylab = lines$ylab, main = outcomes_title(x, horizon))
  if (!is.null(outcomes$lower)) {
    graphics::polygon(c(outcomes$time, rev(outcomes$time)), c(outcomes$lower, rev(outcomes$upper)),
                      col = grDevices::adjustcolor(outcome_colours[["predicted"]], 0.2), border = NA)
  }
  graphics::lines(outcomes$time, lines$actual, type = if (x$info$task == "forecasting") "l" else "s",
                  col = outcome_colours[["actual"]], lwd = 1.5)
  graphics::lines(outcomes$time, lines$shown, col = outcome_colours[["predicted"]], lwd = 1.5)
  graphics::legend("topleft", legend = names(lines$legend), col = outcome_colours, lwd = 2, bg = "white", box.col = NA)
  invisible(x)
}

outcome_colours <- c(actual = "grey35", predicted = "#3b5bdb")

# The two lines of an outcomes plot and their names: actual against forecast, or the label against
# the probability.
sequence_lines <- function(model, outcomes) {
  if (model$info$task == "forecasting") {
    return(list(actual = outcomes$actual, shown = outcomes$predicted, ylab = model$info$target,
                legend = c(actual = "actual", predicted = "forecast")))
  }
  classes <- as.character(model$info$classes)
  positive <- classes[[length(classes)]]
  if (length(classes) == 2L) {
    return(list(actual = as.numeric(as.character(outcomes$actual) == positive), shown = outcomes$prob,
                ylab = sprintf("P(%s = %s)", model$info$label, positive),
                legend = stats::setNames(c("actual", "predicted"), c(sprintf("label is %s", positive), "probability"))))
  }
  list(actual = as.numeric(as.character(outcomes$actual) == as.character(outcomes$predicted)), shown = outcomes$prob,
       ylab = "probability of the predicted class", legend = c(`prediction right` = "actual", probability = "predicted"))
}

outcomes_title <- function(model, horizon) {
  info <- model$info
  if (info$task == "forecasting") return(sprintf("%s forecasts of %s, %d step(s) ahead", info$model, info$target, horizon))
  sprintf("%s probabilities of %s over time", info$model, info$label)
}

#' @rdname autoplot.pa_model
#' @param newdata For a `pa_sequence`: a labelled series for `type = "outcomes"`, or `NULL`
#'   for the first test set of a model fitted in this session.
#' @param horizon For a forecaster's `type = "outcomes"`: the horizon shown.
#' @method autoplot pa_sequence
#' @rawNamespace S3method(ggplot2::autoplot,pa_sequence)
autoplot.pa_sequence <- function(object, type = c("outcomes", "metrics", "horizons", "history"), newdata = NULL,
                                 horizon = 1, metric = object$info$verdict$metric, ...) {
  type <- match.arg(type)
  switch(type, history = history_plot(object), metrics = metrics_plot(object, metric),
         horizons = horizons_plot(object), outcomes = outcomes_plot(object, newdata, horizon))
}

outcomes_plot <- function(model, newdata, horizon) {
  outcomes <- pa_outcomes(model, newdata, horizon)
  lines <- sequence_lines(model, outcomes)
  long <- data.frame(time = rep(outcomes$time, 2L), value = c(lines$actual, lines$shown),
                     series = factor(rep(c("actual", "predicted"), each = nrow(outcomes)), c("actual", "predicted")))
  plot <- ggplot2::ggplot(long, ggplot2::aes(.data$time, .data$value))
  if (!is.null(outcomes$lower)) {
    plot <- plot + ggplot2::geom_ribbon(data = outcomes, ggplot2::aes(x = .data$time, ymin = .data$lower, ymax = .data$upper),
                                        inherit.aes = FALSE, fill = outcome_colours[["predicted"]], alpha = 0.2)
  }
  step <- model$info$task != "forecasting"
  plot + (if (step) ggplot2::geom_step(ggplot2::aes(colour = .data$series), linewidth = 0.6)
          else ggplot2::geom_line(ggplot2::aes(colour = .data$series), linewidth = 0.6)) +
    ggplot2::scale_colour_manual(values = outcome_colours, labels = names(lines$legend), name = NULL) +
    ggplot2::labs(title = outcomes_title(model, horizon), x = NULL, y = lines$ylab,
                  subtitle = if (!is.null(outcomes$lower)) {
                    sprintf("band: the %s-%s quantile interval", min(unlist(model$info$quantiles)), max(unlist(model$info$quantiles)))
                  }) +
    pa_theme()
}

horizons_plot <- function(model) {
  horizons <- model$info$test_sets[[1L]]$horizons
  if (is.null(horizons)) stop_argument("type", "\"horizons\" for a forecaster only", "horizons")
  horizons$model <- factor(horizons$model, unique(horizons$model))
  ggplot2::ggplot(horizons, ggplot2::aes(.data$horizon, .data$mase, colour = .data$model)) +
    ggplot2::geom_hline(yintercept = 1, linetype = "dashed", colour = "grey40") +
    ggplot2::geom_line(linewidth = 0.8) + ggplot2::geom_point() +
    ggplot2::scale_x_continuous(breaks = unique(horizons$horizon)) +
    ggplot2::labs(title = sprintf("MASE per horizon, %s", model$info$test_label), x = "steps ahead", y = "MASE",
                  caption = "dashed: 1, the training part's in-sample naive error") +
    pa_theme()
}

#' A synthetic series with a known answer
#'
#' Hourly values from the generator Python's tests and course script 11 use: `"seasonal_ar"`, a
#' sine of `period` steps plus AR(1) noise (a forecaster reading a window can beat the naive
#' forecast), or `"random_walk"` (nothing to learn beyond the last value: no model should beat
#' naive by more than noise).
#'
#' @param n Time steps.
#' @param kind `"seasonal_ar"` or `"random_walk"`.
#' @param period The season's length in steps (`"seasonal_ar"`).
#' @param seed An integer seed.
#' @return A data.frame with `time` (`POSIXct`, UTC, hourly from 2024-01-01) and `value`.
#' @export
#' @examples
#' \donttest{
#' head(pa_synthetic_series(200))
#' }
pa_synthetic_series <- function(n = 1200, kind = c("seasonal_ar", "random_walk"), period = 12, seed = 0) {
  check_argument_names()
  frame_from_columns(call_python("synthetic_series", as_py_integer(n, "n", 2L),
                                 as_py_choice(kind, "kind", c("seasonal_ar", "random_walk")),
                                 as_py_integer(period, "period", 2L), as_py_integer(seed, "seed", 0L)), keep_times = TRUE)
}

# pa_explain() for a sequence model: its last n windows of newdata (or of its first test set).
explain_sequence <- function(model, newdata, method, n, rows, seed, n_samples, drop_invalid, label) {
  method <- as_py_choice(method, "method", c("lime", "shap"))
  if (!is.null(rows)) stop_argument("rows", "NULL for a sequence model (it explains its last n windows)", rows)
  check_tabular_only(NULL, drop_invalid, "a sequence model", "it refuses missing values, naming them")
  data <- if (!is.null(newdata)) sequence_rows(model, newdata)
  new_explanation(call_python(
    "explain_sequence", model$py, data, method, n = as_py_integer(n, "n", 1L),
    label = if (!is.null(label)) as.character(as_py_string(as.character(label), "label")),
    seed = as_py_integer(seed, "seed", 0L), n_samples = as_py_integer(n_samples, "n_samples", 10L, null_ok = TRUE)
  ), keep_times = TRUE)
}

# pa_report() of a sequence model: on the labelled series newdata, or (NULL) on the test sets of a
# model fitted in this session.
sequence_report <- function(model, newdata, file, methods, drop_invalid) {
  check_tabular_only(NULL, drop_invalid, "a sequence model", "it refuses missing values, naming them")
  rows <- if (!is.null(newdata)) sequence_rows(model, newdata, labelled = TRUE)
  invisible(call_python("sequence_report", model$py, rows, as_py_path(file, "file"), as.list(methods)))
}
