python_columns <- c("case", "label", "label_prob", "feature", "feature_value", "feature_weight", "feature_desc",
                    "method", "model_prediction", "model_intercept", "base_value", "model_r2")

test_that("pa_explain explains a tabular model's rows in its own columns and categories", {
  skip_without_python()
  model <- titanic_model()
  data <- titanic()
  shap <- pa_explain(model, data, method = "shap", rows = c(2, 1))
  expect_s3_class(shap, "pa_explanation")
  expect_identical(names(shap), python_columns)
  expect_identical(unique(shap$case), c(2L, 1L))
  expect_setequal(shap$feature, c("Pclass", "Sex", "Age", "Fare", "Embarked"))
  expect_true(all(shap$label == "survived"))
  sex <- shap[shap$feature == "Sex", ]
  expect_identical(sex$feature_desc, paste("Sex =", as.character(data$Sex[c(2, 1)])))
  expect_true(all(is.na(sex$feature_value)))
  fare <- shap[shap$feature == "Fare", ]
  expect_equal(fare$feature_value, data$Fare[c(2, 1)]) # original units, not scaled
  expect_equal(shap$label_prob[!duplicated(shap$case)], predict(model, data[c(2, 1), ], type = "prob")$survived, tolerance = 1e-6)
  for (case in unique(shap$case)) {
    rows <- shap[shap$case == case, ]
    expect_lt(abs(rows$base_value[[1]] + sum(rows$feature_weight) - rows$label_prob[[1]]), 0.06)
  }
  expect_output(print(shap), "2 row\\(s\\) of a binary model of Survived")
  expect_output(print(shap), "row 1 P\\(Survived = survived\\)")
})

test_that("a missing Age is said in words and the test rows are explained without newdata", {
  skip_without_python()
  model <- titanic_model()
  data <- titanic()
  missing_age <- which(is.na(data$Age))[[1]]
  lime <- pa_explain(model, data, method = "lime", rows = missing_age, n_samples = 500)
  expect_identical(lime$feature_desc[lime$feature == "Age"], "Age = missing")
  expect_true(all(!is.na(lime$model_r2)))
  test_rows <- pa_explain(model, method = "shap", n = 3)
  expect_length(unique(test_rows$case), 3L)
  expect_true(all(unique(test_rows$case) %in% seq_len(nrow(data)))) # the rows' numbers in the training data
})

test_that("multiclass explains the predicted class or label; regression its predicted value", {
  skip_without_python()
  iris_model <- pa_fit(Species ~ ., data = iris, epochs = 20, seed = 1, hidden_units = 8)
  rows <- c(1, 51, 101)
  chosen <- pa_explain(iris_model, iris, method = "shap", rows = rows)
  predicted <- as.character(predict(iris_model, iris[rows, ]))
  expect_identical(chosen$label[!duplicated(chosen$case)], predicted)
  fixed <- pa_explain(iris_model, iris, method = "shap", rows = rows, label = "virginica")
  expect_true(all(fixed$label == "virginica"))
  expect_equal(fixed$label_prob[!duplicated(fixed$case)], predict(iris_model, iris[rows, ], type = "prob")$virginica,
               tolerance = 1e-6)
  one_line(expect_error(pa_explain(iris_model, iris, label = "rose"), "label: 'rose' is not a class of the model; its classes are setosa, versicolor, virginica",
                        class = "pa_parameter_error"))
  many_cars <- mtcars[rep(seq_len(nrow(mtcars)), 4L), ] # row names "Mazda RX4", "Mazda RX4.1", ...
  cars <- pa_fit(mpg ~ ., data = many_cars, epochs = 20, seed = 1, hidden_units = 8)
  value <- pa_explain(cars, mtcars, method = "lime", rows = "Mazda RX4", n_samples = 300)
  expect_identical(unique(value$case), "Mazda RX4")
  expect_true(all(value$label == "mpg"))
  expect_equal(value$label_prob[[1]], predict(cars, mtcars["Mazda RX4", ]), tolerance = 1e-6)
  expect_output(print(value), "Mazda RX4 predicted mpg")
})

test_that("bad rows are one-line pa_errors", {
  skip_without_python()
  model <- titanic_model()
  one_line(expect_error(pa_explain(model, titanic(), rows = 5000), "rows: 5000 is not a row label of the data", class = "pa_data_error"))
  one_line(expect_error(pa_explain(model, titanic()[c("Sex", "Age")]), "column 'Pclass': the model was trained with it", class = "pa_data_error"))
  one_line(expect_error(pa_explain(model, "titanic.csv"), "newdata: expected a data.frame", class = "pa_parameter_error"))
  bundle <- file.path(tempfile(), "titanic")
  pa_save(model, bundle)
  one_line(expect_error(pa_explain(pa_load(bundle)), "newdata: a model loaded from a bundle keeps no rows to explain",
                        class = "pa_parameter_error"))
})

test_that("tabular explanations plot with base graphics and ggplot2", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  model <- titanic_model()
  shap <- pa_explain(model, titanic(), method = "shap", rows = c(1, 2))
  file <- tempfile(fileext = ".pdf")
  grDevices::pdf(file)
  on.exit(grDevices::dev.off())
  expect_invisible(plot(shap, case = 2))
  expect_error(plot(shap, case = 3), "case: expected one of the explained rows")
  one <- ggplot2::autoplot(shap, case = 1)
  expect_identical(one$labels$title, sprintf("SHAP on row 1: P(Survived = survived) = %.3f", shap$label_prob[shap$case == 1][[1]]))
  expect_match(one$labels$x, "P(Survived = survived), built up from the base value", fixed = TRUE)
  both <- ggplot2::autoplot(shap, case = c(1, 2))
  expect_identical(both$labels$title, "SHAP explanations of 2 rows")
  print(both)
})

test_that("the legend of a tabular explanation speaks of the prediction, not of a rise", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  shap <- pa_explain(titanic_model(), titanic(), method = "shap", rows = 1)
  built <- ggplot2::ggplot_build(ggplot2::autoplot(shap))
  legend <- built$plot$scales$get_scales("fill")$get_labels()
  expect_setequal(legend, c("raises the prediction", "lowers the prediction"))
})

test_that("each panel of several explained rows labels its own bars only", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  shap <- pa_explain(titanic_model(), titanic(), method = "shap", rows = c(1, 2))
  built <- ggplot2::ggplot_build(ggplot2::autoplot(shap, case = c(1, 2), top = 3))
  for (panel in seq_along(built$layout$panel_params)) {
    shown <- built$layout$panel_params[[panel]]$y$get_breaks()
    expect_length(shown[!is.na(shown)], 4L) # three features and "2 other features", none of the other row
  }
})
