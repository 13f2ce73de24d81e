# broom's tidy(), glance() and augment() for the package's results. The generics live in the
# suggested package `generics` (which broom re-exports); NAMESPACE registers these methods
# once it is loaded, so library(pyanalytics) loads neither.

#' Tidy data.frames of models, backtests, explanations and walk-forward results
#'
#' Methods for the `generics`/broom verbs (load broom or generics first). Each returns a plain
#' data.frame.
#'
#' * `pa_model`: `tidy()` the test metrics, one row per model (the model's own first, then its
#'   naive baselines); `glance()` one row: the settings, the test period, the model's test ROC
#'   AUC, accuracy and Brier score, and its best baseline; `augment(x, newdata)` the prices of
#'   `newdata` with the model's `.prob_up` and `.signal` on each date (`NA` on dates without
#'   complete inputs).
#' * `pa_tabular_model` (from `pa_fit(formula, data)`): `tidy()` the test metrics of its task,
#'   one row per model; `glance()` one row: the task, target, rows, the verdict's headline
#'   `metric` and its `value`, the best baseline's, the `judgement` and Python's `verdict`
#'   sentence; `augment(x, newdata)` the rows of `newdata` with `.pred` (regression) or
#'   `.pred_class` and one `.pred_<level>` probability per class.
#' * `pa_anomaly` (from [pa_anomaly()]): `tidy()` the test metrics, one row per model (the
#'   detector, its baselines and the supervised ceiling); `glance()` one row: the detector,
#'   label, rows, the threshold with its rule and target, the verdict's headline `metric` (PR
#'   AUC) and its `value`, the best baseline's, the ceiling's, the `judgement` and Python's
#'   `verdict` sentence; `augment(x, newdata)` the rows of `newdata` with `.score` and `.flag`.
#' * `pa_sequence` (from [pa_sequence_classifier()] or [pa_forecast()]): `tidy()` the metrics of
#'   every test set, one row per test set and model (a `test_set` column first); `glance()` one
#'   row: the model, task, column, window, horizon, windows, the verdict's headline `metric` and
#'   its `value` on the first test set, the best baseline's, the `judgement` and Python's
#'   `verdict` sentence; `augment(x, newdata)` the rows of the series with the prediction
#'   columns prefixed `.` (`.prob_1`, `.class`, or `.h1`..) on each row a window ends at (`NA`
#'   on the first `window - 1` rows).
#' * `pa_backtest`: `tidy()` one row per date (positions, returns, costs, equity, drawdowns);
#'   `glance()` one row: the settings, every statistic of the strategy, the same prefixed
#'   `buy_and_hold_`, and the t-statistics `sharpe_t` and `excess_t`.
#' * `pa_explanation`: `tidy()` the tidy frame (one row per date and feature).
#' * `pa_walk_forward`: `tidy()` one row per fold; `glance()` the run in one row, judged on ROC
#'   AUC per fold: `model_auc` (mean) and `model_auc_std`, the best baseline's mean
#'   `best_baseline_auc`, the mean `auc_edge` over it with its standard error `auc_edge_se`,
#'   `auc_judgement` and Python's sentence `auc_verdict`.
#'   `pa_walk_forward_list`: `tidy()` the folds of every ticker (a `ticker` column first);
#'   `glance()` one row per ticker.
#'
#' @param x A `pa_model` (a `pa_tabular_model`, a `pa_anomaly`, a `pa_sequence`), `pa_backtest`,
#'   `pa_explanation`, `pa_walk_forward` or `pa_walk_forward_list`.
#' @param newdata Prices (data.frame, xts or CSV path) to predict; for a tabular model, a
#'   data.frame of rows.
#' @param ... Unused.
#' @return A data.frame.
#' @name tidy.pa_model
#' @examples
#' \donttest{
#' if (requireNamespace("generics", quietly = TRUE)) {
#'   prices <- pa_synthetic_prices(1200, seed = 1)
#'   model <- pa_fit(prices, epochs = 3, seed = 1)
#'   generics::tidy(model)
#'   generics::glance(pa_backtest(model, prices))
#'   tail(generics::augment(model, prices))
#' }
#' }
NULL

#' @rdname tidy.pa_model
#' @method tidy pa_model
#' @rawNamespace S3method(generics::tidy,pa_model)
tidy.pa_model <- function(x, ...) as.data.frame(unclass(x$info$metrics))

#' @rdname tidy.pa_model
#' @method glance pa_model
#' @rawNamespace S3method(generics::glance,pa_model)
glance.pa_model <- function(x, ...) {
  info <- x$info
  own <- info$metrics[1L, ]
  test <- info$periods$test
  data.frame(model = info$model, horizon = info$horizon, window = info$window %||% NA_integer_,
             threshold = info$threshold, alpha = info$alpha, best_epoch = info$best_epoch %||% NA_integer_,
             test_start = as.Date(test$start), test_end = as.Date(test$end), n_test = test$rows,
             roc_auc = own$roc_auc, accuracy = own$accuracy, brier = own$brier,
             best_baseline = info$best_baseline$name %||% NA_character_,
             best_baseline_auc = info$best_baseline$roc_auc %||% NA_real_)
}

#' @rdname tidy.pa_model
#' @method augment pa_model
#' @rawNamespace S3method(generics::augment,pa_model)
augment.pa_model <- function(x, newdata, ...) {
  if (missing(newdata)) stop_argument("newdata", "the prices to predict (a model keeps no data)", NULL)
  prices <- pa_load_prices(newdata)
  predictions <- stats::predict(x, newdata)
  row <- match(prices$date, predictions$date)
  prices$.prob_up <- predictions$prob_up[row]
  prices$.signal <- predictions$signal[row]
  prices
}

#' @rdname tidy.pa_model
#' @method tidy pa_backtest
#' @rawNamespace S3method(generics::tidy,pa_backtest)
tidy.pa_backtest <- function(x, ...) x$daily

#' @rdname tidy.pa_model
#' @method glance pa_backtest
#' @rawNamespace S3method(generics::glance,pa_backtest)
glance.pa_backtest <- function(x, ...) {
  side <- function(stats, prefix) {
    values <- lapply(stats, function(value) {
      if (is.null(value)) return(NA_real_)
      if (is.character(value)) return(as.Date(value))
      value
    })
    stats::setNames(values, paste0(prefix, names(stats)))
  }
  s <- x$settings
  as.data.frame(c(
    list(mode = s$mode, holding = s$holding, cost_bps = s$cost_bps, slippage_bps = s$slippage_bps),
    side(x$raw$strategy, ""), side(x$raw$buy_and_hold, "buy_and_hold_"),
    list(sharpe_t = s$sharpe_t %||% NA_real_, excess_t = s$excess_t %||% NA_real_)
  ))
}

#' @rdname tidy.pa_model
#' @method tidy pa_explanation
#' @rawNamespace S3method(generics::tidy,pa_explanation)
tidy.pa_explanation <- function(x, ...) as.data.frame(x)

#' @rdname tidy.pa_model
#' @method tidy pa_walk_forward
#' @rawNamespace S3method(generics::tidy,pa_walk_forward)
tidy.pa_walk_forward <- function(x, ...) x$folds

#' @rdname tidy.pa_model
#' @method glance pa_walk_forward
#' @rawNamespace S3method(generics::glance,pa_walk_forward)
glance.pa_walk_forward <- function(x, ...) {
  row <- x$summary_row
  row[c("start", "end")] <- lapply(row[c("start", "end")], as.Date)
  row$auc_verdict <- x$verdict
  row
}

#' @rdname tidy.pa_model
#' @method tidy pa_walk_forward_list
#' @rawNamespace S3method(generics::tidy,pa_walk_forward_list)
tidy.pa_walk_forward_list <- function(x, ...) {
  folds <- lapply(names(x$results), function(ticker) cbind(ticker = ticker, x$results[[ticker]]$folds))
  do.call(rbind, folds)
}

#' @rdname tidy.pa_model
#' @method glance pa_walk_forward_list
#' @rawNamespace S3method(generics::glance,pa_walk_forward_list)
glance.pa_walk_forward_list <- function(x, ...) x$summary

#' @rdname tidy.pa_model
#' @method glance pa_tabular_model
#' @rawNamespace S3method(generics::glance,pa_tabular_model)
glance.pa_tabular_model <- function(x, ...) {
  info <- x$info
  verdict <- info$verdict
  data.frame(model = info$model, task = info$task, target = info$target, n_train = info$parts$train,
             n_test = info$parts$test, best_epoch = info$best_epoch %||% NA_integer_, metric = verdict$metric,
             value = verdict$value, best_baseline = verdict$baseline %||% NA_character_,
             best_baseline_value = verdict$baseline_value, judgement = verdict$judgement, verdict = verdict$sentence)
}

#' @rdname tidy.pa_model
#' @method augment pa_tabular_model
#' @rawNamespace S3method(generics::augment,pa_tabular_model)
augment.pa_tabular_model <- function(x, newdata, ...) {
  if (missing(newdata)) stop_argument("newdata", "the rows to predict (a model keeps no data)", NULL)
  if (x$info$task == "regression") {
    newdata$.pred <- stats::predict(x, newdata)
    return(newdata)
  }
  predictions <- tabular_predictions(x, newdata)
  newdata$.pred_class <- predictions$class
  cbind(newdata, stats::setNames(predictions$prob, paste0(".pred_", names(predictions$prob))))
}

#' @rdname tidy.pa_model
#' @method glance pa_anomaly
#' @rawNamespace S3method(generics::glance,pa_anomaly)
glance.pa_anomaly <- function(x, ...) {
  info <- x$info
  verdict <- info$verdict
  data.frame(model = info$model, label = info$label %||% NA_character_, n_train = info$parts$train,
             n_test = info$parts$test, best_epoch = info$best_epoch %||% NA_integer_, threshold = info$threshold$value,
             rule = info$threshold$rule, target = info$threshold$target %||% NA_real_, metric = verdict$metric,
             value = verdict$value %||% NA_real_, best_baseline = verdict$baseline %||% NA_character_,
             best_baseline_value = verdict$baseline_value %||% NA_real_, ceiling = verdict$ceiling %||% NA_character_,
             ceiling_value = verdict$ceiling_value %||% NA_real_, judgement = verdict$judgement, verdict = verdict$sentence)
}

#' @rdname tidy.pa_model
#' @method augment pa_anomaly
#' @rawNamespace S3method(generics::augment,pa_anomaly)
augment.pa_anomaly <- function(x, newdata, ...) {
  if (missing(newdata)) stop_argument("newdata", "the rows to score (a detector keeps no data)", NULL)
  predictions <- stats::predict(x, newdata)
  newdata$.score <- predictions$score
  newdata$.flag <- predictions$flag
  newdata
}

#' @rdname tidy.pa_model
#' @method tidy pa_sequence
#' @rawNamespace S3method(generics::tidy,pa_sequence)
tidy.pa_sequence <- function(x, ...) {
  tests <- x$info$test_sets
  do.call(rbind, lapply(names(tests), function(name) cbind(test_set = name, as.data.frame(unclass(tests[[name]]$metrics)))))
}

#' @rdname tidy.pa_model
#' @method glance pa_sequence
#' @rawNamespace S3method(generics::glance,pa_sequence)
glance.pa_sequence <- function(x, ...) {
  info <- x$info
  verdict <- info$verdict
  data.frame(model = info$model, task = info$task, column = info$label %||% info$target, window = info$window,
             horizon = info$horizon %||% NA_integer_, n_train = info$parts$train,
             test_set = names(info$test_sets)[[1L]], n_test = info$test_sets[[1L]]$windows,
             best_epoch = info$best_epoch %||% NA_integer_, metric = verdict$metric, value = verdict$value %||% NA_real_,
             best_baseline = verdict$baseline %||% NA_character_, best_baseline_value = verdict$baseline_value %||% NA_real_,
             judgement = verdict$judgement, verdict = verdict$sentence)
}

#' @rdname tidy.pa_model
#' @method augment pa_sequence
#' @rawNamespace S3method(generics::augment,pa_sequence)
augment.pa_sequence <- function(x, newdata, ...) {
  if (missing(newdata)) stop_argument("newdata", "the series to predict (a model keeps no data)", NULL)
  predictions <- stats::predict(x, newdata)
  rows <- seq.int(x$info$window, nrow(newdata)) # each window ends at one of these rows, in order
  for (column in setdiff(names(predictions), names(predictions)[[1L]])) {
    newdata[[paste0(".", column)]] <- NA
    newdata[[paste0(".", column)]][rows] <- predictions[[column]]
  }
  newdata
}
