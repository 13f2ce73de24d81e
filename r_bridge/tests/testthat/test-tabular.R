# Issue 11, point 9 (R): a formula and a data.frame for any task; predict's types; bad input as
# one-line pa_errors.

test_that("a Titanic formula fit is a binary tabular model with metrics beside the baselines and Python's verdict", {
  skip_without_python()
  model <- titanic_model()
  expect_s3_class(model, c("pa_tabular_model", "pa_model"), exact = TRUE)
  expect_identical(model$info$task, "binary")
  expect_identical(as.character(model$info$classes), c("died", "survived"))
  expect_identical(model$info$columns, c("Pclass", "Sex", "Age", "Fare", "Embarked"))
  expect_identical(model$info$metrics$model, c("dnn", "majority_class", "logistic_regression"))
  expect_true(all(c("accuracy", "roc_auc", "pr_auc") %in% names(model$info$metrics)))
  expect_gt(model$info$metrics$roc_auc[[1]], 0.7)
  printed <- capture.output(print(model))
  expect_match(printed[[1]], "<pa_tabular_model> dnn binary of Survived on 5 feature column(s), classes died, survived",
               fixed = TRUE)
  expect_true(model$info$verdict$sentence %in% printed)
  expect_match(model$info$verdict$sentence, "ROC AUC")
  expect_output(print(summary(model)), "Age (missing)", fixed = TRUE)
  png <- draw_png(function() plot(model))
  expect_gt(file.size(png), 1000)
})

test_that("predict gives classes as a factor of the response's levels and probabilities per level", {
  skip_without_python()
  model <- titanic_model()
  rows <- titanic()[1:20, ]
  classes <- predict(model, rows)
  expect_s3_class(classes, "factor")
  expect_identical(levels(classes), c("died", "survived"))
  expect_length(classes, 20L)
  probabilities <- predict(model, rows, type = "prob")
  expect_identical(names(probabilities), c("died", "survived"))
  expect_equal(rowSums(probabilities), rep(1, 20), tolerance = 1e-6)
  expect_identical(as.character(classes), ifelse(probabilities$survived >= 0.5, "survived", "died"))
  expect_true(anyNA(rows$Age)) # missing values are imputed, not refused
  expect_false(anyNA(probabilities))
  expect_error(predict(model, rows, type = "response"), 'type: expected "prob" or "class" for classes',
               class = "pa_parameter_error")
})

test_that("wages ~ . is a regression with numeric predictions beside the mean and ridge baselines", {
  skip_without_python()
  wages <- utils::read.csv(tabular_file("hourly_wages.csv"))
  model <- pa_fit(wage_per_hour ~ ., data = wages, epochs = 5, seed = 1, hidden_units = c(10, 5))
  expect_identical(model$info$task, "regression")
  expect_identical(model$info$columns, setdiff(names(wages), "wage_per_hour"))
  expect_identical(model$info$metrics$model, c("dnn", "mean", "ridge"))
  expect_true(all(c("mse", "rmse", "mae", "r2") %in% names(model$info$metrics)))
  predictions <- predict(model, wages[1:10, ])
  expect_type(predictions, "double")
  expect_length(predictions, 10L)
  expect_identical(predictions, predict(model, wages[1:10, ], type = "response"))
  expect_error(predict(model, wages, type = "class"), 'type: expected "response" for a regression', class = "pa_parameter_error")
})

test_that("a multiclass factor response keeps its level order in classes and probability columns", {
  skip_without_python()
  flowers <- iris
  flowers$Species <- factor(flowers$Species, levels = c("virginica", "setosa", "versicolor"))
  model <- pa_fit(Species ~ Petal.Length + Petal.Width, data = flowers, epochs = 3, seed = 1)
  expect_identical(model$info$task, "multiclass")
  expect_identical(levels(predict(model, flowers)), c("virginica", "setosa", "versicolor"))
  probabilities <- predict(model, flowers, type = "prob")
  expect_identical(names(probabilities), c("virginica", "setosa", "versicolor"))
  expect_equal(unname(rowSums(probabilities)), rep(1, 150), tolerance = 1e-5)
})

test_that("bad input is a one-line pa_error naming it", {
  skip_without_python()
  frame <- data.frame(x = c(1, 2, 3, 4, 5, 6), y = c("a", "b", "a", "b", "a", "b"), z = rep("same", 6))
  one_line(expect_error(pa_fit(missing_target ~ x, data = frame, epochs = 1), "target 'missing_target': no such column",
                        class = "pa_data_error"))
  one_line(expect_error(pa_fit(z ~ x, data = frame, epochs = 1), "target 'z': expected at least two distinct values",
                        class = "pa_data_error"))
  one_line(expect_error(pa_fit(y ~ x, data = frame, task = "regression", epochs = 1),
                        "target 'y': a regression target must be numeric, found 'a' at row 1", class = "pa_data_error"))
  one_line(expect_error(pa_fit(y ~ x + w, data = frame, epochs = 1), "formula: w is not a column of data",
                        class = "pa_error"))
  one_line(expect_error(pa_fit(y ~ log(x), data = frame, epochs = 1), "formula: log(x) is not a column of data",
                        fixed = TRUE, class = "pa_error"))
  one_line(expect_error(pa_fit(y ~ x, data = frame, hiden_units = 4), "hiden_units: not an argument or setting of pa_fit(); did you mean hidden_units?",
                        fixed = TRUE, class = "pa_parameter_error"))
  one_line(expect_error(pa_fit(y ~ x, data = frame, task = "ranking"), "task: expected one of", class = "pa_parameter_error"))
  model <- titanic_model()
  one_line(expect_error(predict(model, titanic()[1:5, c("Pclass", "Sex", "Fare", "Embarked")]),
                        "column 'Age': the model was trained with it, but the frame lacks it", class = "pa_data_error"))
})

test_that("finance functions refuse a tabular model with a clear pa_error", {
  skip_without_python()
  model <- titanic_model()
  one_line(expect_error(pa_backtest(model, titanic()), "pa_backtest\\(\\) takes a price model .*pa_explain\\(\\), pa_report\\(\\) and pa_evaluate\\(\\)",
                        class = "pa_parameter_error"))
})

test_that("an unseen category is a pa_data_warning naming it, a string in a numeric column an error naming its row", {
  skip_without_python()
  model <- titanic_model()
  rows <- titanic()[1:6, ]
  rows$Embarked <- factor(c("S", "C", "X", "S", "Q", "S"))
  expect_warning(classes <- predict(model, rows), "Embarked", class = "pa_data_warning")
  expect_length(classes, 6L)
  rows <- titanic()[1:6, ]
  rows$Age <- as.character(rows$Age)
  rows$Age[[3]] <- "unknown"
  expect_error(predict(model, rows), "column 'Age', row 3: expected a number", class = "pa_data_error")
  frame <- data.frame(x = 1:30, empty = NA_real_, y = rep(c("a", "b"), 15))
  expect_error(pa_fit(y ~ ., data = frame, epochs = 1), "column 'empty': expected some values in the training part",
               class = "pa_data_error")
})

test_that("glance and augment describe a tabular model in its task's terms", {
  skip_without_python()
  skip_if_not_installed("generics")
  model <- titanic_model()
  glanced <- generics::glance(model)
  expect_identical(nrow(glanced), 1L)
  expect_identical(glanced$task, "binary")
  expect_identical(glanced$metric, "roc_auc")
  expect_identical(glanced$value, model$info$metrics$roc_auc[[1]])
  expect_identical(glanced$verdict, model$info$verdict$sentence)
  rows <- titanic()[1:10, ]
  augmented <- generics::augment(model, rows)
  expect_identical(names(augmented), c(names(rows), ".pred_class", ".pred_died", ".pred_survived"))
  expect_identical(augmented$.pred_class, predict(model, rows))
})

test_that("plots of a tabular model name its task and response and default to its verdict's metric", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  model <- titanic_model()
  history <- ggplot2::autoplot(model)
  expect_identical(history$labels$title, "dnn binary model of Survived: training history")
  metrics <- ggplot2::autoplot(model, type = "metrics")
  expect_identical(rlang::as_label(metrics$mapping$x), "value")
  expect_identical(metrics$labels$x, "ROC AUC")
  expect_identical(metrics$labels$subtitle, sprintf("test part, %d rows", model$info$parts$test))
  expect_identical(ggplot2::ggplot_build(metrics)$data[[1]]$x, model$info$metrics$roc_auc)
})

test_that("date_column splits the rows by an R Date column, which is then no feature", {
  skip_without_python()
  set.seed(5)
  n <- 200
  frame <- data.frame(day = as.Date("2020-01-01") + sample(n), x = rnorm(n), z = factor(sample(c("u", "v"), n, TRUE)))
  frame$y <- 2 * frame$x + (frame$z == "u") + rnorm(n, 0, 0.1)
  model <- pa_fit(y ~ ., data = frame, date_column = "day", epochs = 2, seed = 1, hidden_units = 4)
  expect_identical(model$info$task, "regression")
  expect_false(any(grepl("day", model$info$features)))
  expect_equal(sum(unlist(model$info$parts)) + 2L * 1L, n) # the default gap of 1 row purged twice
  expect_error(pa_fit(y ~ ., data = frame, date_column = "when", epochs = 1), "when", class = "pa_error")
})
