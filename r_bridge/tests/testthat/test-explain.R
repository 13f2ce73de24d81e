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
  expect_output(print(shap), "<pa_explanation> shap \\(GradientExplainer, 200 samples per date\\), 2 date\\(s\\)")
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

test_that("SHAP draws n_samples per date and reports, as Python does, how far its contributions miss P(up)", {
  skip_without_python()
  model <- small_model()
  few <- pa_explain(model, market(), method = "shap", n = 2, n_samples = 10)
  many <- pa_explain(model, market(), method = "shap", n = 2, n_samples = 1000)
  gap <- function(x) abs(x$base_value + ave(x$feature_weight, x$case, FUN = sum) - x$label_prob)
  expect_gt(max(gap(few)), 2 * max(gap(many))) # expected gradients: the error falls with the samples
  expect_identical(attr(few, "n_samples"), 10L)
  expect_identical(attr(few, "explainer"), "GradientExplainer")
  quality <- attr(few, "quality")
  expect_equal(quality$additivity_max_error, max(gap(few)))
  expect_equal(quality$additivity_mean_error, mean(gap(few)))
  expect_output(print(few), "GradientExplainer, 10 samples per date")
  expect_output(print(few), sprintf("differs by up to %.4f \\(additivity_max_error; mean %.4f\\)",
                                    max(gap(few)), mean(gap(few))))
  help <- paste(as.character(tools::Rd_db("pyanalytics")[["pa_explain.Rd"]]), collapse = "")
  expect_match(help, "only approximately", fixed = TRUE)
  expect_match(help, "additivity_max_error", fixed = TRUE)
  lime <- pa_explain(model, market(), method = "lime", n = 1, n_samples = 300)
  expect_equal(attr(lime, "quality")$r2_median, lime$model_r2[[1]])
  expect_output(print(lime), sprintf("R-squared median %.3f", lime$model_r2[[1]]), fixed = TRUE)
})

test_that("rows of an explanation stay an explanation that prints; other pieces are plain data.frames", {
  skip_without_python()
  explanation <- pa_explain(small_model(), market(), method = "shap", n = 2)
  first <- explanation[1:3, ]
  expect_s3_class(first, "pa_explanation")
  expect_identical(attributes(first)[c("explainer", "n_samples", "quality")],
                   attributes(explanation)[c("explainer", "n_samples", "quality")])
  expect_output(print(first), sprintf("1 date\\(s\\) from %s to %s, 3 features", first$case[[1]], first$case[[1]]))
  expect_output(print(first), sprintf("%s P\\(up\\) %.3f", first$case[[1]], first$label_prob[[1]]))
  expect_output(print(explanation[0, ]), "<pa_explanation> no dates")
  later <- explanation[explanation$case == max(explanation$case), ]
  expect_output(print(later), "1 date\\(s\\)")
  columns <- explanation[, c("case", "feature", "feature_weight")]
  expect_false(inherits(columns, "pa_explanation"))
  expect_s3_class(columns, "data.frame")
  expect_identical(explanation[1:2, "feature"], explanation$feature[1:2])
  expect_null(attr(as.data.frame(explanation), "quality"))
})
