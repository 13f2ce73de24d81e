# Issue 12, point 7 (R): anomaly detectors from a formula or a data.frame; predict's score and
# flag; evaluation, feature errors, broom verbs, bundles; bad input as one-line pa_errors.

test_that("label ~ . trains on every other column, beside the baselines and the ceiling, with Python's verdict", {
  skip_without_python()
  detector <- cardio_detector()
  expect_s3_class(detector, c("pa_anomaly", "pa_model"), exact = TRUE)
  expect_identical(detector$info$label, "label")
  expect_identical(detector$info$columns, paste0("x", 1:21))
  expect_identical(detector$info$metrics$model, c("autoencoder", "isolation_forest", "pca", "supervised_ceiling"))
  expect_gt(detector$info$metrics$roc_auc[[1]], 0.8)
  expect_identical(detector$info$threshold$rule, "recall")
  printed <- capture.output(print(detector))
  expect_identical(printed[[1]], "<pa_anomaly> autoencoder on 21 feature column(s), label label")
  expect_match(printed[[2]], "rule recall, target 0.8, chosen on the validation part", fixed = TRUE)
  expect_match(printed[[3]], "supervised_ceiling saw the labels", fixed = TRUE)
  expect_true(detector$info$verdict$sentence %in% printed)
  expect_match(detector$info$verdict$sentence, "PR AUC .* supervised ceiling")
  summarised <- capture.output(print(summary(detector)))
  expect_true("label: label (1 = anomaly)" %in% summarised)
  expect_true(any(grepl("^note: .*labelled anomalies in the training part were left out", summarised)))
  png <- draw_png(function() plot(detector))
  expect_gt(file.size(png), 1000)
})

test_that("a formula names the features; a data.frame alone is every column, unlabelled", {
  skip_without_python()
  rows <- cardio()
  picked <- pa_anomaly(~ x1 + x2 + x5, data = rows, label = "label", epochs = 2, hidden_units = 4, code_size = 2)
  expect_identical(picked$info$columns, c("x1", "x2", "x5"))
  expect_identical(picked$info$label, "label")
  dropped <- pa_anomaly(label ~ . - x21, data = rows, epochs = 2, hidden_units = 4, code_size = 2, model = "sparse")
  expect_identical(dropped$info$columns, paste0("x", 1:20))
  expect_identical(dropped$info$model, "sparse")
  features <- rows[paste0("x", 1:6)]
  unlabelled <- pa_anomaly(features, epochs = 2, hidden_units = 4, code_size = 2)
  expect_null(unlabelled$info$label)
  expect_identical(unlabelled$info$columns, paste0("x", 1:6))
  expect_identical(unlabelled$info$threshold$rule, "quantile") # no labels: a quantile of the normal training scores
  printed <- capture.output(print(unlabelled))
  expect_match(printed[[1]], "unlabelled$")
  expect_match(printed[[2]], "rule quantile, target 0.99, of the normal training rows' scores", fixed = TRUE)
  expect_identical(trimws(printed[[4]]), "model alerts") # no labels: no metric but the alerts
  expect_true(all(is.na(unlabelled$info$metrics$pr_auc)))
  expect_error(pa_evaluate(unlabelled, rows), "trained without a label column", class = "pa_data_error")
})

test_that("predict gives score and flag per row, keeping row names; the flag is the score at the threshold", {
  skip_without_python()
  detector <- cardio_detector()
  rows <- cardio()[c(5, 9, 1700:1720), ]
  predictions <- predict(detector, rows)
  expect_identical(names(predictions), c("score", "flag"))
  expect_identical(row.names(predictions), row.names(rows))
  expect_identical(predictions$flag, as.integer(predictions$score >= detector$info$threshold$value))
  expect_true(any(predictions$flag == 1L) && any(predictions$flag == 0L))
  errors <- pa_feature_errors(detector, rows)
  expect_identical(names(errors), paste0("x", 1:21))
  expect_identical(row.names(errors), row.names(rows))
  expect_equal(rowMeans(errors), stats::setNames(predictions$score, row.names(rows)), tolerance = 1e-6)
  augmented <- generics::augment(detector, rows)
  expect_identical(augmented[names(rows)], rows)
  expect_identical(augmented$.score, predictions$score)
  expect_identical(augmented$.flag, predictions$flag)
})

test_that("pa_evaluate scores labelled rows beside the saved baselines, its counts those of predict's flags", {
  skip_without_python()
  detector <- cardio_detector()
  rows <- cardio()
  metrics <- pa_evaluate(detector, rows)
  expect_s3_class(metrics, "pa_tabular_metrics")
  expect_identical(metrics$model, c("autoencoder", "pca", "supervised_ceiling")) # IsolationForest is not saved
  flags <- predict(detector, rows)$flag
  expect_equal(metrics$alerts[[1]], sum(flags))
  expect_equal(metrics$tp[[1]], sum(flags == 1L & rows$label == 1L))
  expect_equal(metrics$fn[[1]], sum(flags == 0L & rows$label == 1L))
  expect_identical(attr(metrics, "verdict")$metric, "pr_auc")
  expect_output(print(metrics), attr(metrics, "verdict")$sentence, fixed = TRUE)
  expect_error(pa_evaluate(detector, rows, since = "2020-01-01"), "since: expected NULL for an anomaly detector",
               class = "pa_parameter_error")
  glanced <- generics::glance(detector)
  expect_identical(nrow(glanced), 1L)
  expect_identical(glanced$ceiling, "supervised_ceiling")
  expect_identical(glanced$metric, "pr_auc")
  expect_identical(generics::tidy(detector)$model, detector$info$metrics$model)
})

test_that("pa_save and pa_load keep a detector: the loaded one scores identically and prints its bundle", {
  skip_without_python()
  detector <- cardio_detector()
  bundle <- file.path(tempfile(), "cardio-detector")
  expect_identical(pa_save(detector, bundle), bundle)
  loaded <- pa_load(bundle)
  expect_s3_class(loaded, c("pa_anomaly", "pa_model"), exact = TRUE)
  rows <- cardio()
  expect_identical(predict(loaded, rows), predict(detector, rows))
  expect_identical(loaded$info$metrics, detector$info$metrics)
  expect_identical(loaded$info$threshold$value, detector$info$threshold$value)
  expect_output(print(loaded), paste("bundle:", bundle), fixed = TRUE)
  expect_error(pa_backtest(loaded, pa_synthetic_prices(300)), "an anomaly detector has its own methods", class = "pa_error")
})

test_that("bad input is a one-line pa_error naming the column, row or argument", {
  skip_without_python()
  detector <- cardio_detector()
  rows <- cardio()[1:400, ]
  text <- rows
  text$x2 <- as.character(text$x2)
  text$x2[[3]] <- "n/a"
  one_line(expect_error(pa_anomaly(label ~ ., data = text, epochs = 1), "column 'x2': row 3 holds 'n/a', not a number",
                        class = "pa_data_error"))
  labels <- rows
  labels$label[[7]] <- 2L
  one_line(expect_error(pa_anomaly(label ~ ., data = labels, epochs = 1), "label 'label': .*holds 2.*expected 1 \\(anomaly\\) or 0",
                        class = "pa_data_error"))
  constant <- rows
  constant$x4 <- 1
  one_line(expect_error(pa_anomaly(label ~ ., data = constant, epochs = 1), "column 'x4': constant", class = "pa_data_error"))
  holes <- rows
  holes$x6[[12]] <- NA
  one_line(expect_error(predict(detector, holes), "column 'x6': row 12 holds a missing value", class = "pa_data_error"))
  one_line(expect_error(predict(detector, rows[setdiff(names(rows), "x3")]), "features: column 'x3' is not in the data",
                        class = "pa_data_error"))
  one_line(expect_error(pa_anomaly(label ~ x1 + nope, data = rows), "formula: nope is not a column of data", class = "pa_error"))
  one_line(expect_error(pa_anomaly(~ ., data = rows, label = "Class"), "label: column 'Class' is not in the data",
                        class = "pa_data_error"))
  one_line(expect_error(pa_anomaly(label ~ ., data = rows, label = "x1"), "label: expected NULL or \"label\"",
                        class = "pa_parameter_error"))
  one_line(expect_error(pa_anomaly(label ~ ., data = rows, rule = "bogus"), "rule: expected one of", class = "pa_parameter_error"))
  one_line(expect_error(pa_anomaly(label ~ ., data = rows, hiden_units = 4), "did you mean hidden_units?", fixed = TRUE,
                        class = "pa_parameter_error"))
  one_line(expect_error(pa_anomaly(label ~ ., data = rows, l1 = 0.1), "l1: not an argument or setting of pa_anomaly()",
                        fixed = TRUE, class = "pa_parameter_error")) # the sparse model's, not the plain one's
})
