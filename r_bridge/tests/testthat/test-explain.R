python_columns <- c("case", "label", "label_prob", "feature", "feature_value", "feature_weight", "feature_desc",
                    "method", "model_prediction", "model_intercept", "base_value", "model_r2")

test_that("pa_explain returns the tidy frame with the Python (and R lime) columns", {
  skip_without_python()
  model <- small_model()
  lime <- pa_explain(model, market(), method = "lime", n = 2, n_samples = 500)
  expect_s3_class(lime, "pa_explanation")
  expect_identical(names(lime), python_columns)
  expect_identical(python_columns, unlist(reticulate::import("pyanalytics.explain.result")$COLUMNS))
  expect_identical(length(unique(lime$case)), 2L)
  expect_identical(nrow(lime), 2L * length(model$info$features))
  expect_true(all(lime$method == "lime") && all(!is.na(lime$model_r2)))
  shap <- pa_explain(model, market(), method = "shap", n = 2)
  # SHAP contributions add up to the prediction, to the sampling accuracy of expected gradients.
  for (case in as.list(unique(shap$case))) {
    rows <- shap[shap$case == case, ]
    expect_lt(abs(rows$base_value[[1]] + sum(rows$feature_weight) - rows$label_prob[[1]]), 0.05)
  }
  expect_output(print(shap), "<pa_explanation> shap, 2 date\\(s\\)")
})

test_that("rows choose the explained dates by 1-based row number", {
  skip_without_python()
  prices <- market()
  explained <- pa_explain(small_model(), prices, method = "shap", rows = c(nrow(prices) - 10, nrow(prices)))
  expect_identical(sort(unique(explained$case)), prices$date[c(nrow(prices) - 10, nrow(prices))])
  expect_error(pa_explain(small_model(), prices, rows = nrow(prices) + 1), "rows: expected row numbers between 1 and")
})

test_that("explanations plot and the report is written", {
  skip_without_python()
  model <- small_model()
  explanation <- pa_explain(model, market(), method = "shap", n = 2)
  file <- tempfile(fileext = ".pdf")
  grDevices::pdf(file)
  expect_invisible(plot(explanation))
  expect_error(plot(explanation, case = "1999-01-01"), "case: expected one of the explained dates")
  grDevices::dev.off()
  report <- file.path(tempfile(), "report.html")
  expect_identical(pa_report(model, market(), report, methods = "shap"), report)
  html <- paste(readLines(report, warn = FALSE), collapse = "\n")
  expect_match(html, "data:image/svg+xml", fixed = TRUE)
  expect_match(html, "logistic_regression", fixed = TRUE)
  expect_false(grepl("<dd>None</dd>", html, fixed = TRUE)) # an unsaved model has no bundle path to show
})
