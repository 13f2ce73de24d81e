#' Fit a stock-direction model
#'
#' Computes technical features from the prices (each date sees only its own past), labels each
#' date with the direction of the next `horizon` days, splits the dates chronologically into
#' train, validation and test parts with a purge gap, and trains the network with early
#' stopping on the validation part. Four naive baselines are fitted beside it, and the test
#' metrics of all of them are kept in the model.
#'
#' @param prices A data.frame (a `date` column and lower-case `open`, `high`, `low`, `close`,
#'   `volume`; see [pa_load_prices()]), an xts object or a CSV path.
#' @param model `"dnn"` (three Dense layers), `"lstm"` or `"gru"` (windows of past days).
#' @param horizon Days ahead of the direction label.
#' @param window Days per input window of `"lstm"` and `"gru"` (`NULL`: Python's default, 20); ignored for `"dnn"`.
#' @param epochs Maximum passes over the training part (early stopping may stop sooner).
#' @param cost_fp The cost of a false positive in false negatives (alpha), or `NULL` for equal
#'   costs. Trains with the cost-weighted loss, or with `tune_threshold = TRUE` moves the
#'   decision threshold instead.
#' @param tune_threshold Tune the decision threshold on the validation part.
#' @param seed An integer for reproducible training, or `NULL`.
#' @param drop_invalid `TRUE` to drop rows holding an invalid cell (a `null`, a zero price) with
#'   a warning of class `pa_data_warning` that says which, instead of refusing them (see
#'   [pa_load_prices()]).
#' @param extra_features Names of your own numeric columns of `prices` (e.g. `"sentiment"`)
#'   used as features beside the indicators, or `NULL`. The value on a date enters the
#'   prediction made at that date's close as it is, not shifted: it must be known at that close
#'   (your responsibility). Leading `NA`s are the column's warm-up; a later `NA` is an error
#'   naming the date. Names are matched without case, as the price columns are. The model then
#'   needs these columns in `newdata` of [predict()], [pa_evaluate()], [pa_explain()].
#' @param ... Further settings of the Python model (e.g. `hidden_units = c(64, 32)`,
#'   `batch_size = 32`, `learning_rate = 0.001`, `patience = 5`) and of the split
#'   (`validation`, `test`, `gap`, `dead_zone`). A name that is neither an argument nor a
#'   setting (`hiden_units`, or `price` for `prices`) is an error that lists the valid ones.
#' @return A `pa_model`: print it, `summary()` it, `plot()` its training history, `predict()`
#'   with it, and `pa_save()` it. Its bundle keeps the name of its data (the CSV's file name or
#'   the variable's name), which [pa_evaluate()] quotes.
#' @seealso [pa_fit.formula()] for a formula and a data.frame (`pa_fit(y ~ ., data)`).
#' @export
#' @examples
#' \donttest{
#' prices <- pa_synthetic_prices()
#' model <- pa_fit(prices, epochs = 3, seed = 1)
#' model
#' }
pa_fit <- function(prices, ...) UseMethod("pa_fit")

#' @rdname pa_fit
#' @export
pa_fit.default <- function(prices, model = "dnn", horizon = 1, window = NULL, epochs = 50, cost_fp = NULL,
                   tune_threshold = FALSE, seed = NULL, drop_invalid = FALSE, extra_features = NULL, ...) {
  model <- as_py_string(model, "model", python_defaults()$model_names)
  check_argument_names(c(split_settings, model_settings(model)))
  extra <- list(...)
  fitted <- call_python(
    "fit",
    prices = as_py_prices(prices, "prices"),
    model = model,
    horizon = as_py_integer(horizon, "horizon", 1L),
    window = sequence_window(model, window, "window"),
    epochs = as_py_integer(epochs, "epochs", 1L),
    cost_fp = as_py_number(cost_fp, "cost_fp", null_ok = TRUE),
    tune_threshold = as_py_flag(tune_threshold, "tune_threshold"),
    seed = as_py_integer(seed, "seed", 0L, null_ok = TRUE),
    validation = as_py_number(extra$validation %||% 0.15, "validation"),
    test = as_py_number(extra$test %||% 0.15, "test"),
    gap = as_py_integer(extra$gap, "gap", 0L, null_ok = TRUE),
    dead_zone = as_py_number(extra$dead_zone %||% 0, "dead_zone"),
    model_params = model_params(extra[setdiff(names(extra), split_settings)]),
    drop_invalid = as_py_flag(drop_invalid, "drop_invalid"),
    data_name = prices_name(prices, substitute(prices)),
    extra_features = as_py_column_names(extra_features, "extra_features")
  )
  new_model(fitted)
}

split_settings <- c("validation", "test", "gap", "dead_zone")

# Extra model settings: whole numbers become integers; layer sizes (`units`, `hidden_units`)
# and other vectors become lists, since R cannot tell a one-layer vector from a number.
model_params <- function(params) {
  if (length(params) && (is.null(names(params)) || any(!nzchar(names(params))))) {
    stop_argument("...", "named model settings such as batch_size = 64", params)
  }
  Map(function(value, name) {
    if (anyNA(value)) stop_argument(name, "a value other than NA", value)
    if (is.numeric(value) && all(value == trunc(value))) value <- as.integer(value)
    if (length(value) > 1L || grepl("units$", name)) as.list(value) else value
  }, params, names(params))
}

`%||%` <- function(x, y) if (is.null(x)) y else x

new_model <- function(py) {
  info <- call_python("summary", py)
  info$metrics <- metrics_frame(info$metrics)
  structure(list(py = py, info = info), class = "pa_model")
}

#' Load a model bundle
#'
#' Loads a bundle saved by [pa_save()] or by Python (`TrainingResult.save`, `pyanalytics train
#' --out`). Every file is checked against the bundle's SHA-256 manifest and the network is
#' loaded in Keras safe mode; nothing is unpickled.
#'
#' @param path The bundle directory.
#' @return A `pa_model` (a `pa_tabular_model` for a bundle of a tabular model, a `pa_anomaly`
#'   for an anomaly detector's, a `pa_sequence` for a sequence classifier's or forecaster's).
#' @export
#' @examples
#' \donttest{
#' model <- pa_fit(pa_synthetic_prices(), epochs = 3, seed = 1)
#' path <- pa_save(model, file.path(tempdir(), "dnn-bundle"))
#' same <- pa_load(path)
#' }
pa_load <- function(path) {
  check_argument_names()
  py <- call_python("load", as_py_path(path, "path"))
  switch(call_python("domain_of", py) %||% "finance", tabular = new_tabular_model(py), anomaly = new_anomaly(py),
         sequence = new_sequence(py), new_model(py))
}

#' Save a model as a bundle
#'
#' Writes the model as a bundle directory that Python and R load alike, atomically: a failed
#' save leaves nothing behind, and an existing bundle at `path` is replaced.
#'
#' @param model A `pa_model`.
#' @param path The bundle directory to write.
#' @return `path`, invisibly.
#' @export
#' @examples
#' \donttest{
#' model <- pa_fit(pa_synthetic_prices(), epochs = 3, seed = 1)
#' pa_save(model, file.path(tempdir(), "dnn-bundle"))
#' }
pa_save <- function(model, path) {
  check_argument_names()
  check_model(model)
  invisible(call_python("save", model$py, as_py_path(path, "path")))
}

check_model <- function(model) {
  if (!inherits(model, "pa_model")) stop_argument("model", "a model from pa_fit() or pa_load()", class(model)[[1]])
}

#' Predict the direction with a model
#'
#' @param object A `pa_model`.
#' @param newdata Prices (data.frame, xts or CSV path) whose history covers the feature warm-up
#'   (and, for LSTM/GRU, one window).
#' @param type `"prob"`: `signal` is 1 for up and 0 for down; `"class"`: `signal` is a factor
#'   with levels `down`, `up`.
#' @param last Only the most recent `last` dates, or `NULL` for every date with complete inputs.
#' @param drop_invalid `TRUE` to drop rows of `newdata` holding an invalid cell, with a warning,
#'   as [pa_fit()] does.
#' @param ... Unused.
#' @return A data.frame with columns `date`, `prob_up` and `signal` (the model's threshold applied).
#' @importFrom stats predict
#' @export
#' @examples
#' \donttest{
#' prices <- pa_synthetic_prices()
#' model <- pa_fit(prices, epochs = 3, seed = 1)
#' tail(predict(model, prices, last = 5))
#' }
predict.pa_model <- function(object, newdata, type = c("prob", "class"), last = NULL, drop_invalid = FALSE, ...) {
  check_argument_names()
  type <- as_py_choice(type, "type", c("prob", "class"))
  predictions <- frame_from_columns(call_python(
    "predict", object$py, as_py_prices(newdata, "newdata"), as_py_integer(last, "last", 1L, null_ok = TRUE),
    drop_invalid = as_py_flag(drop_invalid, "drop_invalid")
  ))
  if (type == "class") predictions$signal <- factor(c("down", "up")[predictions$signal + 1L], c("down", "up"))
  predictions
}

#' Evaluate a model next to its baselines
#'
#' Scores the model and its saved naive baselines (majority class, always up, previous
#' direction, logistic regression) on the labelled dates of `newdata` from `since` on. By
#' default `since` is the first date of the model's own test part, so scoring the training
#' prices reproduces the test metrics and never scores dates the model learned from.
#'
#' The model's bundle keeps a fingerprint of its training prices (and their name): when
#' `newdata` is not that data, a message says so, e.g. "note: the evaluated prices are another
#' instrument or revised data (40 of 40 fingerprint dates differ from the training data
#' 'AAPL.csv')", or that it cannot be told (no dates in common, or a bundle saved without a
#' fingerprint). Its metrics are then not the model's out-of-sample results on its own data.
#'
#' A tabular model (from `pa_fit(formula, data)` or [pa_load()]) is scored on every labelled row
#' of `newdata` (a data.frame with the response column), beside its task's baselines; the
#' result carries the verdict, printed under the table.
#'
#' An anomaly detector (from [pa_anomaly()] with a label, or [pa_load()]) is scored on every row
#' of `newdata` (a data.frame with its features and its 0/1 label column) at its threshold,
#' beside the baselines its bundle keeps (the PCA reconstruction error and the supervised
#' ceiling; IsolationForest is not saved), judged on PR AUC.
#'
#' A sequence model (from [pa_sequence_classifier()], [pa_forecast()] or [pa_load()]) is scored
#' on every window of `newdata` (a data.frame of the series with its label or target column)
#' beside its saved baselines (and persistence, for a classifier); a forecaster's table has
#' the MASE per horizon in its `"horizons"` attribute.
#'
#' @param model A `pa_model`, a `pa_tabular_model`, a `pa_anomaly` or a `pa_sequence`.
#' @param newdata Prices (data.frame, xts or CSV path); for a tabular model or an anomaly
#'   detector, a data.frame of labelled rows; for a sequence model, the series.
#' @param since The first date to score, or `NULL` (always `NULL` for a tabular model).
#' @param drop_invalid `TRUE` to drop rows of `newdata` holding an invalid cell, with a warning,
#'   as [pa_fit()] does (price models only).
#' @return A `pa_metrics` data.frame: one row per model (the model's first), one column per
#'   metric (`accuracy`, `precision`, `recall`, `f1`, `roc_auc`, `brier`, `expected_cost`) and
#'   the confusion counts. For a tabular model or an anomaly detector a `pa_tabular_metrics`
#'   data.frame: a `model` column and the task's metrics (for anomalies `roc_auc`, `pr_auc`,
#'   `precision`, `recall`, `f1`, `precision_at_k`, `recall_at_precision`, `alerts` and the
#'   confusion counts), with the verdict (a list: `judgement`, `sentence`, ...) in its
#'   `"verdict"` attribute.
#' @export
#' @examples
#' \donttest{
#' prices <- pa_synthetic_prices()
#' model <- pa_fit(prices, epochs = 3, seed = 1)
#' pa_evaluate(model, prices)
#' }
pa_evaluate <- function(model, newdata, since = NULL, drop_invalid = FALSE) {
  check_argument_names()
  if (inherits(model, "pa_tabular_model")) return(tabular_evaluate(model, newdata, since, drop_invalid))
  if (inherits(model, "pa_anomaly")) return(anomaly_evaluate(model, newdata, since, drop_invalid))
  if (inherits(model, "pa_sequence")) return(sequence_evaluate(model, newdata, since, drop_invalid))
  check_price_model(model, "pa_evaluate")
  result <- call_python("evaluate", model$py, as_py_prices(newdata, "newdata"), as_py_date(since, "since"),
                        drop_invalid = as_py_flag(drop_invalid, "drop_invalid"))
  if (result$data$verdict != "training data") message("note: the evaluated prices are ", result$data$description, ".")
  metrics_frame(result$metrics)
}

#' @export
print.pa_model <- function(x, ...) {
  info <- x$info
  test <- info$periods$test
  cat(sprintf("<pa_model> %s, horizon %d day(s)%s, threshold %.3f%s\n", info$model, info$horizon,
              if (is.null(info$window)) "" else sprintf(", window %d days", info$window),
              info$threshold, if (info$alpha != 1) sprintf(", false positive costs %g", info$alpha) else ""))
  cat(sprintf("test part %s .. %s (%d dates): %s\n", test$start, test$end, test$rows, info$verdict$sentence))
  if (!is.null(info$path)) cat(sprintf("bundle: %s\n", info$path))
  invisible(x)
}

#' @export
summary.pa_model <- function(object, ...) {
  structure(object$info, class = "summary.pa_model")
}

#' @export
print.summary.pa_model <- function(x, ...) {
  cat(sprintf("pyanalytics %s model, horizon %d, threshold %.3f, seed %s\n", x$model, x$horizon,
              x$threshold, if (is.null(x$seed)) "none" else x$seed))
  for (part in names(x$periods)) {
    p <- x$periods[[part]]
    cat(sprintf("  %-10s %s .. %s  %5d dates\n", part, p$start, p$end, p$rows))
  }
  cat(sprintf("features: %s\n", paste(x$features, collapse = ", ")))
  cat("test metrics, next to the naive baselines:\n")
  print(x$metrics)
  invisible(x)
}

#' @export
print.pa_metrics <- function(x, digits = 3, ...) {
  print.data.frame(x, digits = digits, row.names = FALSE, ...)
  invisible(x)
}

#' @export
as.data.frame.pa_model <- function(x, ...) {
  as.data.frame(unclass(x$info$metrics))
}

# A sequence model's window (NULL: Python's default); NULL for a model of single days.
sequence_window <- function(model, window, name) {
  if (model %in% python_defaults()$sequence_model_names) as_py_integer(window, name, 1L, null_ok = TRUE) else NULL
}
