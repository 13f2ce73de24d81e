# Issue 12, points 6 and 7 (R): an anomaly detector's alerts explained (per-feature reconstruction
# errors, SHAP on the score) in the tidy frame.

test_that("pa_explain gives each top alert's per-feature reconstruction errors, which average to its score", {
  skip_without_python()
  detector <- cardio_detector()
  rows <- cardio()
  explanation <- pa_explain(detector, rows, n = 3)
  expect_s3_class(explanation, "pa_explanation")
  expect_identical(unique(explanation$method), "reconstruction")
  cases <- unique(explanation$case)
  expect_length(cases, 3L)
  scores <- predict(detector, rows)
  flagged <- scores[scores$flag == 1L, ]
  expect_identical(as.integer(cases), as.integer(utils::head(row.names(flagged)[order(-flagged$score)], 3L)))
  expect_identical(unique(explanation$label), "anomaly")
  errors <- pa_feature_errors(detector, rows[cases, ])
  first <- explanation[explanation$case == cases[[1]], ]
  expect_equal(first$feature_weight[match(names(errors), first$feature)], unlist(errors[1L, ], use.names = FALSE), tolerance = 1e-6)
  expect_equal(first$label_prob[[1]], scores[cases[[1]], "score"], tolerance = 1e-6)
  printed <- capture.output(print(explanation))
  expect_match(printed[[1]], "<pa_explanation> reconstruction .*3 row\\(s\\) of an anomaly detector, 21 features")
  expect_true(any(grepl("row [0-9]+ anomaly score", printed)))
  png <- draw_png(function() plot(explanation))
  expect_gt(file.size(png), 1000)
})

test_that("pa_explain with SHAP adds up to the score of the rows named", {
  skip_without_python()
  detector <- cardio_detector()
  rows <- cardio()
  explanation <- pa_explain(detector, rows, method = "shap", rows = c(5, 1700), n_samples = 200)
  expect_identical(unique(explanation$case), c(5L, 1700L))
  sums <- tapply(explanation$feature_weight, explanation$case, sum) + tapply(explanation$base_value, explanation$case, `[`, 1L)
  expect_equal(as.vector(sums), predict(detector, rows[c(5, 1700), ])$score, tolerance = 1e-3)
  one_line(expect_error(pa_explain(detector, rows, method = "lime"), 'method: expected one of "reconstruction", "shap"',
                        class = "pa_parameter_error"))
})
