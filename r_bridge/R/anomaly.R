#' Fit an anomaly detector (an autoencoder) on a data.frame
#'
#' An autoencoder learns to reconstruct the normal rows; a row it reconstructs badly (a high
#' mean squared reconstruction error, its anomaly score) is flagged. The rows are split by
#' `time_column` when given, else seeded and stratified on the label; the training part keeps
#' normal rows only (a labelled anomaly there is left out), and the validation part chooses the
#' threshold by `rule`. IsolationForest and a PCA reconstruction error are fitted beside it as
#' unsupervised baselines and, with a label, a class-weighted logistic regression as the
#' supervised ceiling (it saw the labels, so it is reported apart from the baselines). Every
#' model is scored on the test part.
#'
#' The features are given by a formula or are every column of a data.frame:
#'
#' * `pa_anomaly(data)` or `pa_anomaly(~ ., data)`: every column but `label` and `time_column`.
#' * `pa_anomaly(~ V1 + V2 + Amount, data)`: those columns only (`- x` leaves `x` out).
#' * `pa_anomaly(Class ~ ., data)`: the left-hand side is the 0/1 label column (1 = anomaly), as
#'   `label = "Class"` would be; naming a different `label` as well is an error.
#'
#' Features must be numeric, finite and not constant on the training rows; the label holds 0
#' and 1 only. Bad input is an error of class `pa_data_error` whose one-line message names the
#' column and row (R's row names).
#'
#' @param formula_or_data A one- or two-sided formula naming the columns (see above), or the
#'   data.frame itself.
#' @param data A data.frame holding the columns (with a formula).
#' @param label The name of the 0/1 label column (1 = anomaly), or `NULL` for unlabelled rows.
#'   Labels drop known anomalies from the training rows and let the threshold aim at a
#'   precision, a recall or the lowest cost; without them the threshold is a quantile of the
#'   normal training scores.
#' @param time_column The name of a column of times (numbers or dates) to split the rows by
#'   time; it is then no feature.
#' @param amount_column The feature whose value a missed anomaly costs (`rule = "cost"`).
#' @param model `"autoencoder"` (undercomplete), `"sparse"` (an L1 penalty on the code, setting
#'   `l1`), `"denoising"` (noise on the inputs while training, settings `noise` and
#'   `noise_level`) or `"variational"` (settings `beta` and `score_by`).
#' @param rule How the validation part chooses the threshold: `"precision"` or `"recall"` (a
#'   target value), `"top_k"` (alerts), `"fraction"` (of rows flagged), `"cost"` (target: the
#'   review fee of an alert; a missed anomaly costs its `amount_column`) or `"quantile"` (of
#'   the normal training scores). `NULL`: recall 0.8 with a label, the 0.99 quantile without.
#' @param target The rule's target, or `NULL` for its default.
#' @param ... Settings of the network (`hidden_units = c(16, 8)`, `code_size`, `activation`,
#'   `learning_rate`, `batch_size`, `epochs`, `patience`, and the model's own) and of the split
#'   (`validation`, `test`, `gap`), with Python's names and defaults; a misspelt one is an error
#'   that lists them.
#' @param seed An integer for a reproducible split, network and baselines, or `NULL`.
#' @return A `pa_anomaly` (also a `pa_model`): print it for the test metrics beside the
#'   baselines and the verdict, `summary()` it, `plot()` its training history, `predict()`
#'   scores and flags with it, [pa_feature_errors()] and [pa_explain()] say which fields look
#'   unusual, [pa_evaluate()] scores it on labelled rows, [pa_report()] writes its HTML page and
#'   [pa_save()] keeps it.
#' @export
#' @examples
#' \donttest{
#' set.seed(1)
#' rows <- data.frame(a = rnorm(600), b = rnorm(600))
#' rows$c <- rows$a + rows$b + rnorm(600, sd = 0.1)
#' rows$fraud <- 0L
#' rows[1:30, "c"] <- rows[1:30, "c"] + 4
#' rows$fraud[1:30] <- 1L
#' detector <- pa_anomaly(fraud ~ ., data = rows, epochs = 20, hidden_units = 4, code_size = 2)
#' detector
#' head(predict(detector, rows))
#' }
pa_anomaly <- function(formula_or_data, data = NULL, label = NULL, time_column = NULL, amount_column = NULL,
                       model = c("autoencoder", "sparse", "denoising", "variational"), rule = NULL, target = NULL,
                       ..., seed = 0) {
  model <- as_py_choice(model, "model", c("autoencoder", "sparse", "denoising", "variational"))
  check_argument_names(anomaly_settings(model))
  name <- substitute(data)
  if (is.data.frame(formula_or_data) && is.null(data)) {
    name <- substitute(formula_or_data)
    data <- formula_or_data
    formula_or_data <- ~.
  }
  label <- as_py_string(label, "label", null_ok = TRUE)
  time_column <- as_py_string(time_column, "time_column", null_ok = TRUE)
  columns <- anomaly_columns(formula_or_data, data, label, time_column)
  fitted <- call_python(
    "fit_anomaly", as_py_table(data[unique(c(columns$features, columns$label, time_column))], "data"),
    as.list(columns$features), label = columns$label, time_column = time_column,
    amount_column = as_py_string(amount_column, "amount_column", null_ok = TRUE), model = model,
    rule = as_py_string(rule, "rule", null_ok = TRUE), target = as_py_number(target, "target", null_ok = TRUE),
    seed = as_py_integer(seed, "seed", 0L, null_ok = TRUE), settings = model_params(list(...)),
    data_name = if (is.name(name)) deparse(name)
  )
  new_anomaly(fitted)
}

# The settings an anomaly model's `...` takes, asked of Python once per model.
anomaly_settings <- function(model) {
  key <- paste0("anomaly_", model)
  if (is.null(state$settings[[key]])) state$settings[[key]] <- unlist(call_python("anomaly_settings", model))
  state$settings[[key]]
}

# The label and feature columns of a formula: a left-hand side is the label (as `label =` is);
# `.` is every column but the label and the time column.
anomaly_columns <- function(formula, data, label, time_column) {
  if (!inherits(formula, "formula")) stop_argument("formula_or_data", "a formula such as ~ . or a data.frame", class(formula)[[1]])
  if (!is.data.frame(data)) stop_argument("data", "a data.frame", if (is.null(data)) NULL else class(data)[[1]])
  if (length(formula) == 3L) {
    response <- deparse(formula[[2L]])
    if (!is.null(label) && label != response) {
      stop_argument("label", sprintf("NULL or \"%s\" (the formula's left-hand side is the label)", response), label)
    }
    label <- response
  }
  for (column in c(label, time_column)) {
    if (!column %in% names(data)) {
      stop(pa_error(sprintf("%s: column '%s' is not in the data; its columns are %s.",
                            if (identical(column, label)) "label" else "time_column", column,
                            paste(utils::head(names(data), 20L), collapse = ", ")), "pa_data_error"))
    }
  }
  list(label = label, features = formula_features(formula, data, setdiff(names(data), c(label, time_column))))
}

new_anomaly <- function(py) {
  info <- call_python("anomaly_summary", py)
  info$metrics <- metrics_frame(info$metrics)
  structure(list(py = py, info = info), class = c("pa_anomaly", "pa_model"))
}

#' Score and flag rows with an anomaly detector
#'
#' @param object A `pa_anomaly`.
#' @param newdata A data.frame with the detector's feature columns (others are ignored); a
#'   missing column, text, `NA` or an infinite value is an error naming the column (and row).
#' @param ... Unused.
#' @return A data.frame with one row per row of `newdata` (its row names kept): `score`, the
#'   anomaly score (the mean squared reconstruction error in scaled units; higher is more
#'   unusual), and `flag`, 1 where the score reaches the detector's threshold, else 0.
#' @export
#' @examples
#' \donttest{
#' rows <- data.frame(a = rnorm(400), b = rnorm(400))
#' detector <- pa_anomaly(rows, epochs = 5)
#' head(predict(detector, rows))
#' }
predict.pa_anomaly <- function(object, newdata, ...) {
  check_argument_names()
  anomaly_frame(object, "anomaly_predict", newdata)
}

#' Which fields of each row look unusual to an anomaly detector
#'
#' The squared reconstruction error of each feature of each row, in the detector's scaled
#' units: the fields the autoencoder could not reconstruct. A row's mean over its features is
#' its anomaly score (for a variational autoencoder scored by `"elbo"`, the reconstruction
#' part of it).
#'
#' @param object A `pa_anomaly`.
#' @param newdata A data.frame with the detector's feature columns.
#' @return A data.frame with one row per row of `newdata` (its row names kept) and one column
#'   per feature.
#' @export
#' @examples
#' \donttest{
#' rows <- data.frame(a = rnorm(400), b = rnorm(400))
#' detector <- pa_anomaly(rows, epochs = 5)
#' head(pa_feature_errors(detector, rows))
#' }
pa_feature_errors <- function(object, newdata) {
  check_argument_names()
  check_anomaly(object)
  anomaly_frame(object, "anomaly_feature_errors", newdata)
}

check_anomaly <- function(model) {
  if (!inherits(model, "pa_anomaly")) stop_argument("object", "an anomaly detector from pa_anomaly() or pa_load()", class(model)[[1]])
}

# One pass of Python's `fun` over the detector's columns of newdata, as a data.frame keeping its row names.
anomaly_frame <- function(object, fun, newdata, columns = object$info$columns) {
  if (missing(newdata) || !is.data.frame(newdata)) stop_argument("newdata", "a data.frame", if (!missing(newdata)) class(newdata)[[1]])
  frame <- frame_from_columns(call_python(fun, object$py, as_py_table(newdata[intersect(columns, names(newdata))], "newdata")))
  row.names(frame) <- row.names(newdata)
  frame
}

# pa_evaluate() of an anomaly detector: the metrics of it and its saved baselines on the labelled
# rows of newdata, with the verdict.
anomaly_evaluate <- function(model, newdata, since, drop_invalid) {
  check_tabular_only(since, drop_invalid, "an anomaly detector", "it refuses missing values, naming them")
  if (missing(newdata) || !is.data.frame(newdata)) {
    stop_argument("newdata", "a data.frame of labelled rows", if (!missing(newdata)) class(newdata)[[1]])
  }
  columns <- intersect(c(model$info$columns, model$info$label), names(newdata))
  judged_metrics(call_python("anomaly_evaluate", model$py, as_py_table(newdata[columns], "newdata")))
}

# pa_report() of an anomaly detector: on the labelled rows of newdata, or (NULL) on the test part
# of a detector fitted in this session.
anomaly_report <- function(model, newdata, file, drop_invalid) {
  check_tabular_only(NULL, drop_invalid, "an anomaly detector", "it refuses missing values, naming them")
  if (!is.null(newdata) && !is.data.frame(newdata)) stop_argument("newdata", "a data.frame of labelled rows", class(newdata)[[1]])
  rows <- if (!is.null(newdata)) as_py_table(newdata[intersect(c(model$info$columns, model$info$label), names(newdata))], "newdata")
  invisible(call_python("anomaly_report", model$py, rows, as_py_path(file, "file")))
}

#' @export
print.pa_anomaly <- function(x, ...) {
  info <- x$info
  cat(sprintf("<pa_anomaly> %s on %d feature column(s), %s\n", info$model, length(info$columns),
              if (is.null(info$label)) "unlabelled" else sprintf("label %s", info$label)))
  cat(sprintf("threshold %s\n", threshold_text(info$threshold)))
  cat(sprintf("test part (%d rows), next to the baselines%s:\n", info$parts$test, ceiling_text(info)))
  print(known_metrics(info$metrics))
  cat(info$verdict$sentence, "\n", sep = "")
  if (!is.null(info$path)) cat(sprintf("bundle: %s\n", info$path))
  invisible(x)
}

# "2.32 (rule recall, target 0.8, chosen on the validation part)"; a quantile is of training scores.
threshold_text <- function(threshold) {
  sprintf("%s (rule %s%s, %s)", format(signif(threshold$value, 4L)), threshold$rule,
          if (is.null(threshold$target)) "" else sprintf(", target %s", format(threshold$target)),
          if (threshold$rule == "quantile") "of the normal training rows' scores" else "chosen on the validation part")
}

# The metrics that unlabelled test rows leave undefined (every one but the alerts) are not shown.
known_metrics <- function(metrics) metrics[, colSums(!is.na(metrics)) > 0L, drop = FALSE]

ceiling_text <- function(info) {
  ceilings <- intersect(unlist(info$ceilings), info$metrics$model)
  if (!length(ceilings)) return("")
  sprintf(" (%s saw the labels: a ceiling, not a baseline)", paste(ceilings, collapse = ", "))
}

#' @export
summary.pa_anomaly <- function(object, ...) {
  structure(object$info, class = "summary.pa_anomaly")
}

#' @export
print.summary.pa_anomaly <- function(x, ...) {
  cat(sprintf("pyanalytics %s anomaly detector, seed %s, best epoch %s\n", x$model,
              if (is.null(x$seed)) "none" else x$seed, if (is.null(x$best_epoch)) "none" else x$best_epoch))
  cat(sprintf("rows: %s%s\n", paste(sprintf("%s %d", names(x$parts), unlist(x$parts)), collapse = ", "),
              if (is.null(x$time_column)) " (seeded split)" else sprintf(" (split by %s)", x$time_column)))
  cat(sprintf("features: %s\n", paste(x$features, collapse = ", ")))
  if (!is.null(x$label)) cat(sprintf("label: %s (1 = anomaly)\n", x$label))
  if (!is.null(x$amount_column)) cat(sprintf("amount: %s\n", x$amount_column))
  cat(sprintf("threshold: %s\n", threshold_text(x$threshold)))
  for (note in x$notes) cat("note:", note, "\n")
  cat(sprintf("test metrics, next to the baselines%s:\n", ceiling_text(x)))
  print(known_metrics(x$metrics))
  cat(x$verdict$sentence, "\n", sep = "")
  invisible(x)
}
