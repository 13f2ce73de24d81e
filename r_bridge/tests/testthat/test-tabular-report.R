# Issue 11, points 8-9 (R): pa_evaluate() and pa_report() of a tabular model.


# The counts of the report's confusion matrix, row by row (rows: actual class; columns: predicted).
report_confusion <- function(file) {
  page <- paste(readLines(file, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  table <- regmatches(page, regexpr('(?s)<table class="confusion matrix">.*?</table>', page, perl = TRUE))
  rows <- regmatches(table, gregexpr('(?s)<tr><th class="side name">.*?</tr>', table, perl = TRUE))[[1]]
  t(vapply(rows, function(row) {
    counts <- regmatches(row, gregexpr('<span class="count">[^<]*</span>', row))[[1]]
    as.numeric(gsub("[^0-9]", "", counts))
  }, numeric(length(rows)), USE.NAMES = FALSE))
}

test_that("pa_evaluate gives the model and its baselines on labelled rows, with Python's verdict", {
  skip_without_python()
  model <- titanic_model()
  rows <- titanic()
  evaluated <- pa_evaluate(model, rows)
  expect_s3_class(evaluated, c("pa_tabular_metrics", "pa_metrics", "data.frame"), exact = TRUE)
  expect_identical(evaluated$model, c("dnn", "majority_class", "logistic_regression"))
  expect_true(all(c("accuracy", "roc_auc", "pr_auc", "brier") %in% names(evaluated)))
  expect_equal(evaluated$accuracy[[1]], mean(predict(model, rows) == rows$Survived)) # computed here, in R
  verdict <- attr(evaluated, "verdict")
  expect_match(verdict$sentence, "^dnn ROC AUC")
  expect_equal(verdict$value, evaluated$roc_auc[[1]])
  printed <- capture.output(print(evaluated))
  expect_identical(printed[[length(printed)]], verdict$sentence)
  expect_error(pa_evaluate(model, rows[setdiff(names(rows), "Survived")]), "target 'Survived': no such column",
               class = "pa_data_error")
  expect_error(pa_evaluate(model, rows, since = "2020-01-01"), "since: expected NULL for a tabular model",
               class = "pa_parameter_error")
})

test_that("pa_report of a model fitted in this session reports its own test part with the verdict it prints", {
  skip_without_python()
  model <- titanic_model()
  file <- tempfile(fileext = ".html")
  expect_identical(pa_report(model, file = file), file)
  page <- paste(readLines(file, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  expect_true(grepl(sprintf('<div class="text">%s</div>', model$info$verdict$sentence), page, fixed = TRUE))
  expect_true(grepl(sprintf("scored on the test part (%d rows)", model$info$parts$test), page, fixed = TRUE))
  for (section in c("performance", "roc", "confusion", "training", "importance", "cases")) {
    expect_true(grepl(sprintf('id="%s"', section), page, fixed = TRUE), info = section)
  }
  expect_false(grepl('id="residuals"', page, fixed = TRUE))
  # the last five test rows are explained; the page shows the first three of them, as for a price model
  expect_length(gregexpr('<article class="card case">', page, fixed = TRUE)[[1]], 3)
})

test_that("pa_report's confusion matrix on newdata is R's own table of predicted against actual classes", {
  skip_without_python()
  model <- pa_fit(Species ~ ., data = iris, epochs = 15, seed = 1, hidden_units = 8)
  file <- tempfile(fileext = ".html")
  pa_report(model, iris[seq(1, 150, by = 2), ], file)
  rows <- iris[seq(1, 150, by = 2), ]
  expected <- unclass(table(rows$Species, predict(model, rows)))
  expect_equal(report_confusion(file), matrix(as.numeric(expected), nrow(expected)), ignore_attr = TRUE)
})

test_that("a loaded model needs newdata; rows without the response are refused and nothing is written", {
  skip_without_python()
  bundle <- file.path(tempdir(), "titanic-report-bundle")
  unlink(bundle, recursive = TRUE)
  loaded <- pa_load(pa_save(titanic_model(), bundle))
  file <- tempfile(fileext = ".html")
  one_line(expect_error(pa_report(loaded, file = file), "newdata: a model loaded from a bundle keeps no rows",
                        class = "pa_parameter_error"))
  one_line(expect_error(pa_report(loaded, titanic()[c("Pclass", "Sex", "Age", "Fare", "Embarked")], file),
                        "target 'Survived': no such column", class = "pa_data_error"))
  expect_false(file.exists(file))
  pa_report(loaded, titanic(), file)
  expect_true(grepl("scored on newdata (891 rows)", paste(readLines(file, warn = FALSE), collapse = "\n"), fixed = TRUE))
})

test_that("a regression's report shows predicted against actual values and the residuals", {
  skip_without_python()
  wages <- utils::read.csv(tabular_file("hourly_wages.csv"))
  model <- pa_fit(wage_per_hour ~ ., data = wages, epochs = 5, seed = 1, hidden_units = c(10, 5))
  file <- tempfile(fileext = ".html")
  pa_report(model, file = file)
  page <- paste(readLines(file, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  expect_true(grepl('id="fit"', page, fixed = TRUE) && grepl('id="residuals"', page, fixed = TRUE))
  expect_false(grepl('id="confusion"', page, fixed = TRUE))
  expect_identical(pa_evaluate(model, wages)$model, c("dnn", "mean", "ridge"))
})
