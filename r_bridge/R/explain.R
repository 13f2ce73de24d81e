#' Explain single predictions with LIME or SHAP
#'
#' Each feature's contribution to the model's probability of a rise on each explained date,
#' as one tidy data.frame with the columns of R's `lime` package. For LSTM/GRU models every
#' feature of every day of the window is explained, named `<feature>_t-<lag>`.
#'
#' A tabular model from `pa_fit(formula, data)` explains rows instead, one row of the frame per
#' column of `data` it reads, its category or missing value in words (`Sex = female`,
#' `Age = missing`; `feature_value` is the number in original units, `NA` for a category or a
#' missing value). What the weights add up to depends on the task: the probability of the
#' second level (binary), of `label` or else of each row's predicted class (multiclass,
#' `label` names the class), or the predicted value (regression: `label` is the response's
#' name and `label_prob` the prediction). `case` is the row's name in `newdata`.
#'
#' An anomaly detector from [pa_anomaly()] explains its anomaly score on rows: by default
#' (`method = "reconstruction"`) each feature's squared reconstruction error in scaled units
#' (the fields it could not rebuild; they average to the score, `model_prediction`), or with
#' `method = "shap"` SHAP's KernelExplainer on the score against normal rows (`base_value +
#' sum(feature_weight)` is the score). `label` is `"anomaly"` for a flagged row and `"normal"`
#' otherwise, and `label_prob` the row's score. Without `rows` the `n` highest-scoring flagged
#' rows of `newdata` (or of the test part of a detector fitted in this session) are explained.
#'
#' A sequence model from [pa_sequence_classifier()] or [pa_forecast()] explains its last `n`
#' windows of `newdata` (or of its first test set), each feature's cells summed over the window's
#' steps (`feature_desc` says how many); a forecaster once per horizon (`label` `"h1"`, ...,
#' a `horizon` column), `case` the time the window ends at.
#'
#' @param model A `pa_model` (a `pa_tabular_model`, a `pa_anomaly`, a `pa_sequence`).
#' @param newdata Prices (data.frame, xts or CSV path) holding the dates to explain and enough
#'   history before them. For a tabular model a data.frame with its columns (the response may
#'   be there or not); left out, the model's test rows (for a model from `pa_fit()`).
#' @param method `"lime"` or `"shap"`; for an anomaly detector `"reconstruction"` (its
#'   default) or `"shap"`.
#' @param n Explain the `n` most recent dates with complete inputs (the last `n` rows).
#' @param rows Instead of `n`: row numbers of `newdata` (1-based) whose dates to explain; for a
#'   tabular model the row names of `newdata` (its row numbers unless it has names).
#' @param label A multi-class tabular model only: the class to explain for every row (default:
#'   each row's predicted class).
#' @param seed An integer seed; a date's explanation depends only on it, the model and the date.
#' @param n_samples Samples drawn per date: LIME's perturbed samples (default 2000) or SHAP's
#'   expected-gradient samples (default 200). More samples cost time and make SHAP's
#'   contributions add up more closely.
#' @param drop_invalid `TRUE` to drop rows of `newdata` holding an invalid cell, with a warning,
#'   as [pa_fit()] does; `rows` then count the rows left.
#' @return A `pa_explanation` data.frame with columns `case`, `label`, `label_prob`, `feature`,
#'   `feature_value`, `feature_weight`, `feature_desc`, `method`, `model_prediction`,
#'   `model_intercept`, `base_value`, `model_r2`, and the attributes `explainer` (the library
#'   class used), `n_samples` and `quality` (a list: for SHAP `additivity_max_error` and
#'   `additivity_mean_error`, for LIME `r2_median` and `r2_min` of its local fits; for both
#'   `background_rows`). `print()` shows them and `plot()` draws the contributions of one date.
#' @section SHAP's contributions add up only approximately:
#' SHAP's contributions come from `shap.GradientExplainer` (expected gradients), which estimates
#' them by sampling: `base_value + sum(feature_weight)` (the `model_prediction` column) matches
#' the model's probability `label_prob` only approximately. The gap is the additivity error
#' that `quality` and `print()` report, as Python does; it shrinks as `n_samples` grows.
#' @export
#' @examples
#' \donttest{
#' prices <- pa_synthetic_prices(1200, seed = 1)
#' model <- pa_fit(prices, epochs = 3, seed = 1)
#' explanation <- pa_explain(model, prices, method = "lime", n = 2)
#' plot(explanation)
#' }
pa_explain <- function(model, newdata = NULL, method = c("lime", "shap"), n = 10, rows = NULL, seed = 0,
                       n_samples = NULL, drop_invalid = FALSE, label = NULL) {
  check_argument_names()
  check_model(model)
  if (inherits(model, "pa_anomaly")) return(explain_anomaly(model, newdata, method, n, rows, seed, n_samples, drop_invalid, label))
  if (inherits(model, "pa_sequence")) return(explain_sequence(model, newdata, method, n, rows, seed, n_samples, drop_invalid, label))
  method <- as_py_choice(method, "method", c("lime", "shap"))
  if (inherits(model, "pa_tabular_model")) return(explain_rows(model, newdata, method, n, rows, seed, n_samples, label))
  check_price_model(model, "pa_explain")
  if (!is.null(label)) stop_argument("label", "NULL for a price model (it explains P(up))", label)
  if (is.null(newdata)) stop_argument("newdata", "prices holding the dates to explain", newdata)
  dates <- NULL
  if (!is.null(rows)) {
    prices <- suppressWarnings(pa_load_prices(newdata, drop_invalid), classes = "pa_data_warning") # warned below
    dates <- format(prices$date[as_row_numbers(rows, "rows", nrow(prices))], "%Y-%m-%d")
  }
  result <- call_python(
    "explain", model$py, as_py_prices(newdata, "newdata"), method,
    n = as_py_integer(n, "n", 1L), dates = dates, seed = as_py_integer(seed, "seed", 0L),
    n_samples = as_py_integer(n_samples, "n_samples", 10L, null_ok = TRUE),
    drop_invalid = as_py_flag(drop_invalid, "drop_invalid")
  )
  new_explanation(result)
}

# pa_explain() for a tabular model: rows of newdata (or its test rows), by row name.
explain_rows <- function(model, newdata, method, n, rows, seed, n_samples, label) {
  if (!is.null(newdata) && !is.data.frame(newdata)) stop_argument("newdata", "a data.frame", class(newdata)[[1]])
  if (!is.null(rows) && (!(is.numeric(rows) || is.character(rows)) || !length(rows) || anyNA(rows))) {
    stop_argument("rows", "row names of newdata", rows)
  }
  data <- if (!is.null(newdata)) as_py_table(newdata[intersect(model$info$columns, names(newdata))], "newdata")
  new_explanation(call_python(
    "explain_tabular", model$py, data, method, n = as_py_integer(n, "n", 1L), rows = if (!is.null(rows)) array(rows),
    label = if (!is.null(label)) as.character(as_py_string(as.character(label), "label")),
    seed = as_py_integer(seed, "seed", 0L), n_samples = as_py_integer(n_samples, "n_samples", 10L, null_ok = TRUE)
  ))
}

# pa_explain() for an anomaly detector: the rows named, or its n highest-scoring alerts in newdata
# (or in its test part), by per-feature reconstruction error (the default) or SHAP on the score.
explain_anomaly <- function(model, newdata, method, n, rows, seed, n_samples, drop_invalid, label) {
  method <- if (identical(method, c("lime", "shap"))) "reconstruction" else as_py_string(method, "method", c("reconstruction", "shap"))
  if (!is.null(label)) stop_argument("label", "NULL for an anomaly detector (it explains its anomaly score)", label)
  check_tabular_only(NULL, drop_invalid, "an anomaly detector", "it refuses missing values, naming them")
  if (!is.null(newdata) && !is.data.frame(newdata)) stop_argument("newdata", "a data.frame", class(newdata)[[1]])
  if (!is.null(rows) && (!(is.numeric(rows) || is.character(rows)) || !length(rows) || anyNA(rows))) {
    stop_argument("rows", "row names of newdata", rows)
  }
  data <- if (!is.null(newdata)) as_py_table(newdata[intersect(c(model$info$columns, model$info$label), names(newdata))], "newdata")
  new_explanation(call_python(
    "explain_anomaly", model$py, data, method, n = as_py_integer(n, "n", 1L), rows = if (!is.null(rows)) array(rows),
    seed = as_py_integer(seed, "seed", 0L), n_samples = as_py_integer(n_samples, "n_samples", 10L, null_ok = TRUE)
  ))
}

new_explanation <- function(result, keep_times = FALSE) {
  structure(frame_from_columns(result$frame, keep_times), class = c("pa_explanation", "data.frame"),
            explainer = result$explainer, n_samples = result$n_samples, quality = result$quality,
            task = result$task, target = result$target)
}

# What a case's weights add up to: "P(up)", "P(Survived = survived)", "predicted wage".
explained_quantity <- function(x, label) {
  task <- attr(x, "task")
  if (is.null(task)) return("P(up)")
  if (task == "anomaly") return("anomaly score")
  if (task == "forecasting") return(sprintf("forecast of %s at %s", attr(x, "target"), label))
  if (task == "regression") sprintf("predicted %s", attr(x, "target")) else sprintf("P(%s = %s)", attr(x, "target"), label)
}

# The cases as people read them: dates, or "row 12" for a tabular model's rows.
case_names <- function(x, case) if (is.null(attr(x, "task")) || inherits(case, "POSIXct")) format(case) else paste("row", case)

# Rows (and columns, while every column stays) of an explanation are an explanation from the
# same run; any other piece is a plain data.frame.
#' @export
`[.pa_explanation` <- function(x, ...) {
  piece <- NextMethod()
  if (!is.data.frame(piece) || !all(names(x) %in% names(piece))) {
    return(if (is.data.frame(piece)) as.data.frame(piece) else piece)
  }
  attributes(piece)[explanation_attributes] <- attributes(x)[explanation_attributes]
  class(piece) <- class(x)
  piece
}

explanation_attributes <- c("explainer", "n_samples", "quality", "task", "target")

#' @export
print.pa_explanation <- function(x, ...) {
  cases <- unique(x$case)
  tabular <- !is.null(attr(x, "task"))
  unit <- if (tabular) "row" else "date"
  if (!length(cases)) {
    cat(sprintf("<pa_explanation> no %ss\n", unit))
    return(invisible(x))
  }
  run <- if (is.null(attr(x, "explainer"))) "" else if (is.null(attr(x, "n_samples"))) sprintf(" (%s)", attr(x, "explainer"))
         else sprintf(" (%s, %d samples per %s)", attr(x, "explainer"), attr(x, "n_samples"), unit)
  span <- if (identical(attr(x, "task"), "anomaly")) sprintf("%d row(s) of an anomaly detector", length(cases))
          else if (tabular) sprintf("%d row(s) of a %s model of %s", length(cases), attr(x, "task"), attr(x, "target"))
          else sprintf("%d date(s) from %s to %s", length(cases), min(cases), max(cases))
  cat(sprintf("<pa_explanation> %s%s, %s, %d features\n", x$method[[1]], run, span, length(unique(x$feature))))
  quality <- attr(x, "quality")
  if (!is.null(quality$additivity_max_error)) {
    cat(sprintf(paste0("  contributions add up to %s only approximately: base_value + sum(feature_weight) ",
                       "differs by up to %.4f (additivity_max_error; mean %.4f); more n_samples, smaller gap\n"),
                if (tabular) "the explained output" else "P(up)", quality$additivity_max_error, quality$additivity_mean_error))
  }
  if (!is.null(quality$r2_median)) {
    cat(sprintf("  LIME's local fits to the model: R-squared median %.3f, min %.3f\n", quality$r2_median, quality$r2_min))
  }
  for (case in as.list(utils::tail(cases, 3L))) {
    rows <- x[x$case == case, ]
    top <- utils::head(rows[order(-abs(rows$feature_weight)), ], 3L)
    cat(sprintf("  %s %s %s: %s\n", case_names(x, case), explained_quantity(x, rows$label[[1]]),
                if (identical(attr(x, "task"), "regression")) format(signif(rows$label_prob[[1]], 4L)) else sprintf("%.3f", rows$label_prob[[1]]),
                paste(sprintf("%s %+.3f", top$feature, top$feature_weight), collapse = ", ")))
  }
  invisible(x)
}

#' @export
as.data.frame.pa_explanation <- function(x, ...) {
  attributes(x)[explanation_attributes] <- NULL
  structure(x, class = "data.frame")
}

#' Write the HTML explanation report
#'
#' A self-contained page: the model's metrics next to its baselines, calibration, the global
#' importance of the features, and the most recent predictions explained with SHAP and LIME.
#'
#' For an anomaly detector the page shows the verdict, the metrics beside the baselines (the
#' supervised ceiling apart), the score distributions per class, the PR curves, the threshold or
#' cost curve with the chosen threshold, a heatmap of the top alerts' per-feature errors, the
#' training curves and the split; `methods` does not apply.
#'
#' For a tabular model the page shows the verdict, the task's metrics beside its baselines, the
#' ROC curve and confusion matrix (two classes), the confusion matrix (more classes) or predicted
#' against actual values and the residuals (regression), the training curves, and its last five
#' rows explained.
#'
#' For a sequence model the page shows the verdict, each series' metrics beside the baselines, the
#' confusion matrix and probability over time (a classifier) or the forecasts with their band and
#' the errors and coverage per horizon (a forecaster), the training curves and, with `methods`,
#' each feature's importance on the last three windows.
#'
#' @param model A `pa_model`, a `pa_tabular_model`, a `pa_anomaly` or a `pa_sequence`.
#' @param newdata Prices to score and explain (the model's test part of them is reported). For a
#'   tabular model or an anomaly detector, a data.frame of labelled rows (with the response or
#'   label column), or `NULL` for the test part of a model fitted in this session (a model from
#'   [pa_load()] keeps no rows).
#' @param file The `.html` file to write (written atomically).
#' @param methods Explainers to include: any of `"shap"`, `"lime"`.
#' @param drop_invalid `TRUE` to drop rows of `newdata` holding an invalid cell, with a warning,
#'   as [pa_fit()] does (price models only).
#' @return `file`, invisibly.
#' @export
#' @examples
#' \donttest{
#' prices <- pa_synthetic_prices(1200, seed = 1)
#' model <- pa_fit(prices, epochs = 3, seed = 1)
#' pa_report(model, prices, file.path(tempdir(), "report.html"))
#' }
pa_report <- function(model, newdata = NULL, file, methods = c("shap", "lime"), drop_invalid = FALSE) {
  check_argument_names()
  methods <- vapply(methods, as_py_string, "", name = "methods", choices = c("shap", "lime"), USE.NAMES = FALSE)
  if (inherits(model, "pa_tabular_model")) return(tabular_report(model, newdata, file, methods, drop_invalid))
  if (inherits(model, "pa_anomaly")) return(anomaly_report(model, newdata, file, drop_invalid))
  if (inherits(model, "pa_sequence")) return(sequence_report(model, newdata, file, methods, drop_invalid))
  check_price_model(model, "pa_report")
  invisible(call_python("report", model$py, as_py_prices(newdata, "newdata"), as_py_path(file, "file"), as.list(methods),
                           drop_invalid = as_py_flag(drop_invalid, "drop_invalid")))
}
