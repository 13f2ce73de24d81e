#' Explain single predictions with LIME or SHAP
#'
#' Each feature's contribution to the model's probability of a rise on each explained date,
#' as one tidy data.frame with the columns of R's `lime` package. For LSTM/GRU models every
#' feature of every day of the window is explained, named `<feature>_t-<lag>`.
#'
#' @param model A `pa_model`.
#' @param newdata Prices (data.frame, xts or CSV path) holding the dates to explain and enough
#'   history before them.
#' @param method `"lime"` or `"shap"`.
#' @param n Explain the `n` most recent dates with complete inputs.
#' @param rows Instead of `n`: row numbers of `newdata` (1-based) whose dates to explain.
#' @param seed An integer seed; a date's explanation depends only on it, the model and the date.
#' @param n_samples LIME's perturbed samples per date (default 2000) or SHAP's samples.
#' @return A `pa_explanation` data.frame with columns `case`, `label`, `label_prob`, `feature`,
#'   `feature_value`, `feature_weight`, `feature_desc`, `method`, `model_prediction`,
#'   `model_intercept`, `base_value`, `model_r2`. `plot()` draws the contributions of one date.
#' @export
#' @examples
#' \donttest{
#' prices <- pa_synthetic_prices(1200, seed = 1)
#' model <- pa_fit(prices, epochs = 3, seed = 1)
#' explanation <- pa_explain(model, prices, method = "lime", n = 2)
#' plot(explanation)
#' }
pa_explain <- function(model, newdata, method = c("lime", "shap"), n = 10, rows = NULL, seed = 0,
                       n_samples = NULL) {
  check_model(model)
  method <- match.arg(method)
  dates <- NULL
  if (!is.null(rows)) {
    prices <- pa_load_prices(newdata)
    dates <- format(prices$date[as_row_numbers(rows, "rows", nrow(prices))], "%Y-%m-%d")
  }
  frame <- frame_from_columns(call_python(
    "explain", model$py, as_py_prices(newdata, "newdata"), method,
    n = as_py_integer(n, "n", 1L), dates = dates, seed = as_py_integer(seed, "seed", 0L),
    n_samples = as_py_integer(n_samples, "n_samples", 10L, null_ok = TRUE)
  ))
  structure(frame, class = c("pa_explanation", "data.frame"))
}

#' @export
print.pa_explanation <- function(x, ...) {
  cases <- unique(x$case)
  cat(sprintf("<pa_explanation> %s, %d date(s) from %s to %s, %d features\n", x$method[[1]], length(cases),
              min(cases), max(cases), length(unique(x$feature))))
  for (case in as.list(utils::tail(cases, 3L))) {
    rows <- x[x$case == case, ]
    top <- utils::head(rows[order(-abs(rows$feature_weight)), ], 3L)
    cat(sprintf("  %s P(up) %.3f: %s\n", format(case), rows$label_prob[[1]],
                paste(sprintf("%s %+.3f", top$feature, top$feature_weight), collapse = ", ")))
  }
  invisible(x)
}

#' @export
as.data.frame.pa_explanation <- function(x, ...) {
  structure(x, class = "data.frame")
}

#' Write the HTML explanation report
#'
#' A self-contained page: the model's metrics next to its baselines, calibration, the global
#' importance of the features, and the most recent predictions explained with SHAP and LIME.
#'
#' @param model A `pa_model`.
#' @param newdata Prices to score and explain (the model's test part of them is reported).
#' @param file The `.html` file to write (written atomically).
#' @param methods Explainers to include: any of `"shap"`, `"lime"`.
#' @return `file`, invisibly.
#' @export
#' @examples
#' \donttest{
#' prices <- pa_synthetic_prices(1200, seed = 1)
#' model <- pa_fit(prices, epochs = 3, seed = 1)
#' pa_report(model, prices, file.path(tempdir(), "report.html"))
#' }
pa_report <- function(model, newdata, file, methods = c("shap", "lime")) {
  check_model(model)
  methods <- vapply(methods, as_py_string, "", name = "methods", choices = c("shap", "lime"), USE.NAMES = FALSE)
  invisible(call_python("report", model$py, as_py_prices(newdata, "newdata"), as_py_path(file, "file"), as.list(methods)))
}
