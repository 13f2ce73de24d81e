#' Fit a network on a data.frame with a formula
#'
#' `pa_fit(y ~ x1 + x2, data)` or `pa_fit(y ~ ., data)` trains a dense network for any
#' response: two classes (binary, sigmoid output), more (multiclass, softmax) or numbers
#' (regression), decided from the response unless `task` names it. The rows are split seeded
#' and stratified into train, validation and test parts (chronologically, with a purge gap,
#' when `date_column` names each row's date); missing values are imputed and numbers scaled
#' from the training part only, factors and text one-hot encoded (a category the training part
#' never had is "unknown" later, never an error), and identifier-like columns (unique per row,
#' free text) dropped with a note. The task's naive baselines are fitted beside the network
#' and every model is scored on the test part.
#'
#' Columns cross to Python by their R type: factors as categories in their level order,
#' logicals as booleans, characters as text, numbers as numbers, `Date`s as dates, and `NA` as
#' missing. The formula names columns only: write transformations (`log(x)`) into `data`
#' first.
#'
#' @param formula `response ~ terms`: the response column and the feature columns (`.` for
#'   every other column, `- x` to leave `x` out).
#' @param data A data.frame holding the columns.
#' @param task `"auto"`, `"binary"`, `"multiclass"` or `"regression"`.
#' @param date_column The name of a column of dates to split the rows by time (it is then no
#'   feature), or `NULL` for a seeded stratified split.
#' @param epochs Maximum passes over the training part (early stopping may stop sooner), or
#'   `NULL` for Python's default.
#' @param seed An integer for reproducible training, or `NULL`.
#' @param ... Settings of the network (`hidden_units = c(100, 100)`, `activation = "relu"`,
#'   `dropout = 0.2`, `batch_norm = TRUE`, `learning_rate`, `batch_size`, `patience`) and of the
#'   split (`validation`, `test`, `gap`), with Python's names and defaults; a misspelt one is an
#'   error that lists them.
#' @return A `pa_tabular_model` (also a `pa_model`): print it for the test metrics beside the
#'   baselines and the verdict, `summary()` it, `plot()` its training history, `predict()` with
#'   it and [pa_save()] it.
#' @rdname pa_fit.formula
#' @export
#' @examples
#' \donttest{
#' model <- pa_fit(Species ~ ., data = iris, epochs = 20, seed = 1)
#' model
#' head(predict(model, iris, type = "prob"))
#' }
pa_fit.formula <- function(formula, data, task = c("auto", "binary", "multiclass", "regression"),
                           date_column = NULL, epochs = NULL, seed = 0, ...) {
  check_argument_names(tabular_settings())
  columns <- formula_columns(formula, data)
  fitted <- call_python(
    "fit_tabular", as_py_table(data[c(columns$features, intersect(columns$response, names(data)))], "data"),
    columns$response,
    task = as_py_choice(task, "task", c("auto", "binary", "multiclass", "regression")),
    date_column = as_py_string(date_column, "date_column", null_ok = TRUE),
    epochs = as_py_integer(epochs, "epochs", 1L, null_ok = TRUE),
    seed = as_py_integer(seed, "seed", 0L, null_ok = TRUE),
    settings = model_params(list(...)),
    data_name = if (is.name(substitute(data))) deparse(substitute(data))
  )
  new_tabular_model(fitted)
}

# The settings a tabular model's `...` takes, asked of Python once.
tabular_settings <- function() {
  if (is.null(state$tabular_settings)) state$tabular_settings <- unlist(call_python("tabular_settings"))
  state$tabular_settings
}

# The response and feature columns a formula names in `data`. The response is left for Python
# to check (its error lists the columns); a feature that is no column is refused here.
formula_columns <- function(formula, data) {
  if (!is.data.frame(data)) stop_argument("data", "a data.frame", class(data)[[1]])
  if (length(formula) != 3L) stop_argument("formula", "response ~ terms", formula)
  response <- deparse(formula[[2L]])
  list(response = response, features = formula_features(formula, data, setdiff(names(data), response)))
}

# The feature columns the right-hand side of a formula names among the `known` columns of data
# (`.` for all of them); a term that is no column is refused.
formula_features <- function(formula, data, known) {
  terms <- stats::terms(formula, data = data[known])
  features <- attr(terms, "term.labels")
  strange <- setdiff(features, known)
  if (length(strange)) {
    stop(pa_error(sprintf(
      "formula: %s is not a column of data; name columns only (write transformations and interactions into data first).",
      strange[[1L]]
    )))
  }
  if (!length(features)) stop_argument("formula", "at least one feature column", formula)
  features
}

# A data.frame for Python, column by column (see r_api.tabular_frame): values as 1-D arrays and
# a separate missing mask, since reticulate would turn an integer or logical NA into a number.
as_py_table <- function(data, name) {
  if (!is.data.frame(data)) stop_argument(name, "a data.frame", class(data)[[1]])
  columns <- Map(py_column, data, names(data))
  row_names <- attr(data, "row.names")
  python_api()$tabular_frame(columns, if (is.character(row_names)) array(row_names))
}

py_column <- function(x, name) {
  missing <- array(is.na(x))
  if (is.factor(x)) {
    return(list(kind = "factor", values = array(ifelse(missing, 0L, as.integer(x))), missing = missing,
                levels = as.list(levels(x)), ordered = is.ordered(x)))
  }
  if (inherits(x, c("Date", "POSIXt"))) {
    return(list(kind = "date", values = array(ifelse(missing, "", format(x, "%Y-%m-%dT%H:%M:%S"))), missing = missing))
  }
  kind <- switch(typeof(x), logical = "logical", integer = "integer", double = "double", character = "character",
                 stop(pa_error(sprintf("data: column %s is %s; expected numbers, logicals, factors, characters or dates.",
                                       name, class(x)[[1]]))))
  values <- if (kind %in% c("logical", "integer", "character")) replace(x, missing, if (kind == "character") "" else 0L) else x
  list(kind = kind, values = array(values), missing = missing)
}

new_tabular_model <- function(py) {
  info <- call_python("tabular_summary", py)
  info$metrics <- metrics_frame(info$metrics)
  structure(list(py = py, info = info), class = c("pa_tabular_model", "pa_model"))
}

#' Predict with a tabular model
#'
#' @param object A `pa_tabular_model`.
#' @param newdata A data.frame with the columns the model was trained with (others are
#'   ignored; missing values are imputed as in training, and an unseen category counts as
#'   unknown, with a warning of class `pa_data_warning`).
#' @param type `"class"`: a factor with the response's levels (the classes the training part
#'   had); `"prob"`: a data.frame of class probabilities, one column per level; `"response"`:
#'   the predicted numbers of a regression. The default is `"response"` for regression and
#'   `"class"` otherwise.
#' @param ... Unused.
#' @return A factor, a data.frame or a numeric vector with one element (row) per row of
#'   `newdata`.
#' @export
#' @examples
#' \donttest{
#' model <- pa_fit(Species ~ ., data = iris, epochs = 20, seed = 1)
#' table(predict(model, iris), iris$Species)
#' }
predict.pa_tabular_model <- function(object, newdata, type = NULL, ...) {
  check_argument_names()
  regression <- object$info$task == "regression"
  type <- as_py_string(type %||% if (regression) "response" else "class", "type", c("prob", "class", "response"))
  if (regression != (type == "response")) {
    stop_argument("type", if (regression) '"response" for a regression' else '"prob" or "class" for classes', type)
  }
  predictions <- tabular_predictions(object, newdata)
  if (regression) predictions else predictions[[type]]
}

# One pass of the model over newdata: a regression's numbers, else list(class = a factor in the
# response's levels, prob = a data.frame of class probabilities). The class is Python's (a binary
# model says its positive class at its learned threshold, not at 0.5).
tabular_predictions <- function(object, newdata) {
  if (missing(newdata) || !is.data.frame(newdata)) stop_argument("newdata", "a data.frame", if (!missing(newdata)) class(newdata)[[1]])
  known <- intersect(object$info$columns, names(newdata))
  predictions <- call_python("tabular_predict", object$py, as_py_table(newdata[known], "newdata"))
  if (object$info$task == "regression") return(as.vector(predictions$prediction))
  levels <- as.character(object$info$classes)
  probabilities <- if (length(levels) == 2L) {
    positive <- as.vector(predictions[[paste0("prob_", levels[[2L]])]])
    list(1 - positive, positive)
  } else {
    lapply(paste0("prob_", levels), function(column) as.vector(predictions[[column]]))
  }
  list(class = factor(as.character(predictions$class), levels),
       prob = as.data.frame(stats::setNames(probabilities, levels), check.names = FALSE))
}

#' @export
print.pa_tabular_model <- function(x, ...) {
  info <- x$info
  cat(sprintf("<pa_tabular_model> %s %s of %s on %d feature column(s)%s\n", info$model, info$task, info$target,
              length(info$columns),
              if (is.null(info$classes)) "" else sprintf(", classes %s", paste(info$classes, collapse = ", "))))
  cat(sprintf("test part (%d rows), next to the naive baselines:\n", info$parts$test))
  print(info$metrics)
  cat(info$verdict$sentence, "\n", sep = "")
  if (!is.null(info$path)) cat(sprintf("bundle: %s\n", info$path))
  invisible(x)
}

#' @export
summary.pa_tabular_model <- function(object, ...) {
  structure(object$info, class = "summary.pa_tabular_model")
}

#' @export
print.summary.pa_tabular_model <- function(x, ...) {
  cat(sprintf("pyanalytics %s %s model of %s, seed %s, best epoch %s\n", x$model, x$task, x$target,
              if (is.null(x$seed)) "none" else x$seed, if (is.null(x$best_epoch)) "none" else x$best_epoch))
  cat(sprintf("rows: %s\n", paste(sprintf("%s %d", names(x$parts), unlist(x$parts)), collapse = ", ")))
  cat(sprintf("columns: %s\n", paste(x$columns, collapse = ", ")))
  cat(sprintf("network inputs: %s\n", paste(x$features, collapse = ", ")))
  for (note in x$notes) cat("note:", note, "\n")
  cat("test metrics, next to the naive baselines:\n")
  print(x$metrics)
  cat(x$verdict$sentence, "\n", sep = "")
  invisible(x)
}

# A finance function was given a tabular model: say which functions serve it.
check_price_model <- function(model, fun) {
  check_model(model)
  own <- if (inherits(model, "pa_tabular_model")) {
    "a tabular model has its own methods: predict(), pa_explain(), pa_report() and pa_evaluate()"
  } else if (inherits(model, "pa_anomaly")) {
    "an anomaly detector has its own methods: predict(), pa_feature_errors(), pa_explain(), pa_report() and pa_evaluate()"
  } else if (inherits(model, "pa_sequence")) {
    "a sequence model has its own methods: predict(), pa_outcomes(), autoplot(), pa_explain(), pa_report() and pa_evaluate()"
  }
  if (!is.null(own)) stop(pa_error(sprintf("model: %s() takes a price model from pa_fit(prices); %s.", fun, own)))
}

# pa_evaluate() of a tabular model: the metrics of the model and its baselines on the labelled
# rows of newdata, with the verdict.
tabular_evaluate <- function(model, newdata, since, drop_invalid) {
  check_tabular_only(since, drop_invalid)
  judged_metrics(call_python("tabular_evaluate", model$py, tabular_rows(model, newdata)))
}

# Python's {metrics, verdict} of an evaluation: the metrics table, printed with the verdict under it.
judged_metrics <- function(result) {
  structure(metrics_frame(result$metrics), verdict = result$verdict,
            class = c("pa_tabular_metrics", "pa_metrics", "data.frame"))
}

# pa_report() of a tabular model: on the labelled rows of newdata, or (NULL) on the test part of
# a model fitted in this session.
tabular_report <- function(model, newdata, file, methods, drop_invalid) {
  check_tabular_only(NULL, drop_invalid)
  rows <- if (is.null(newdata)) NULL else tabular_rows(model, newdata)
  invisible(call_python("tabular_report", model$py, rows, as_py_path(file, "file"), as.list(methods)))
}

# The columns of newdata a tabular model reads, and its response, for Python.
tabular_rows <- function(model, newdata) {
  if (missing(newdata) || !is.data.frame(newdata)) {
    stop_argument("newdata", "a data.frame of labelled rows", if (!missing(newdata)) class(newdata)[[1]])
  }
  as_py_table(newdata[intersect(c(model$info$columns, model$info$target), names(newdata))], "newdata")
}

# Arguments of the price functions that a tabular model (or `what`) has no use for.
check_tabular_only <- function(since, drop_invalid, what = "a tabular model", missing_values = "it imputes missing values") {
  if (!is.null(since)) stop_argument("since", sprintf("NULL for %s (its rows have no dates to start from)", what), since)
  if (!isFALSE(drop_invalid)) stop_argument("drop_invalid", sprintf("FALSE for %s (%s)", what, missing_values), drop_invalid)
}

#' @export
print.pa_tabular_metrics <- function(x, digits = 3, ...) {
  print.data.frame(x, digits = digits, row.names = FALSE, ...)
  cat(attr(x, "verdict")$sentence, "\n", sep = "")
  invisible(x)
}
