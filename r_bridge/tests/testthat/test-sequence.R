# Sequence classifiers and forecasters from R: classed results, predict, evaluate, plots, broom, one-line
# errors, and bundles that predict identically in Python and R (Python in a separate process).

python_predictions <- function(bundle, csv, out, last = FALSE) {
  paste(sep = "\n",
        "import pandas as pd",
        "from pyanalytics.bundle import load_bundle",
        sprintf("frame = pd.read_csv(%s, float_precision='round_trip')", deparse(csv)),
        sprintf("table = load_bundle(%s).predict(frame, last=%s)", deparse(bundle), if (last) "True" else "False"),
        sprintf("table.reset_index().to_csv(%s, index=False, float_format='%%.17g', date_format='%%Y-%%m-%%d %%H:%%M:%%S')",
                deparse(out)))
}

test_that("a forecaster prints its test metrics and verdict, and forecasts from the last row with its interval", {
  skip_without_python()
  model <- small_forecaster()
  expect_s3_class(model, c("pa_sequence", "pa_model"))
  printed <- capture.output(print(model))
  expect_match(printed[[1]], "<pa_sequence> lstm forecasting value 1..4 steps ahead (quantiles 0.1, 0.5, 0.9), window 24", fixed = TRUE)
  expect_true(any(grepl("linear_ar", printed)) && any(grepl("MASE .* vs best baseline", printed)))
  expect_lt(model$info$metrics$mase[model$info$metrics$model == "linear_ar"], 1) # the planted season + AR
  forecast <- predict(model, seasonal_series(), last = TRUE)
  expect_equal(nrow(forecast), 1L)
  expect_s3_class(forecast$time, "POSIXct")
  expect_equal(format(forecast$time, "%Y-%m-%d %H:%M", tz = "UTC"), "2024-01-17 15:00")
  expect_named(forecast, c("time", paste0("h", 1:4), paste0("lower_h", 1:4), paste0("upper_h", 1:4)))
  expect_true(all(unlist(forecast[paste0("lower_h", 1:4)]) <= unlist(forecast[paste0("upper_h", 1:4)])))
  every <- predict(model, seasonal_series())
  expect_equal(nrow(every), 400L - 24L + 1L)
  # one window runs in NumPy (float64), hundreds in TensorFlow (float32): equal to rounding
  expect_equal(unlist(every[nrow(every), -1L]), unlist(forecast[1L, -1L]), tolerance = 1e-6)
})

test_that("pa_evaluate scores every window beside the saved baselines, with MASE per horizon", {
  skip_without_python()
  evaluated <- pa_evaluate(small_forecaster(), seasonal_series(500, seed = 2))
  expect_s3_class(evaluated, "pa_tabular_metrics")
  expect_identical(evaluated$model, c("lstm", "naive", "seasonal_naive", "linear_ar"))
  horizons <- attr(evaluated, "horizons")
  expect_identical(unique(horizons$horizon), 1:4)
  expect_true(all(horizons$mase[horizons$model == "naive"] > horizons$mase[horizons$model == "linear_ar"]))
  expect_identical(attr(evaluated, "verdict")$metric, "mase")
})

test_that("a forecaster saved from R forecasts identically when Python loads it", {
  skip_without_python()
  bundle <- file.path(tempfile(), "r-forecaster")
  pa_save(small_forecaster(), bundle)
  csv <- write_series(seasonal_series(300, seed = 3))
  out <- tempfile(fileext = ".csv")
  run_python(python_predictions(bundle, csv, out))
  in_python <- utils::read.csv(out)
  in_r <- predict(pa_load(bundle), utils::read.csv(csv))
  expect_identical(format(in_r$time, "%Y-%m-%d %H:%M:%S", tz = "UTC"), in_python$time)
  for (column in setdiff(names(in_r), "time")) expect_identical(in_r[[column]], in_python[[column]])
})

test_that("a classifier saved from Python, tested on a named file, loads in R and predicts identically", {
  skip_without_python()
  folder <- tempfile()
  dir.create(folder)
  train <- write_series(room_series())
  test <- file.path(folder, "week2.csv")
  file.copy(write_series(room_series(200, seed = 2, start = "2024-02-01")), test)
  bundle <- file.path(folder, "bundle")
  out <- file.path(folder, "predictions.csv")
  run_python(paste(sep = "\n",
                   "from pyanalytics.sequence import train_sequence_classifier",
                   sprintf("r = train_sequence_classifier(%s, 'occupied', time_column='time', window=5, test_data=[%s], epochs=2, units=(4,), seed=3)",
                           deparse(train), deparse(test)),
                   sprintf("r.save(%s)", deparse(bundle)),
                   python_predictions(bundle, test, out)))
  model <- pa_load(bundle)
  expect_s3_class(model, "pa_sequence")
  expect_identical(names(model$info$test_sets), "week2")
  expect_true("persistence" %in% model$info$metrics$model)
  in_python <- utils::read.csv(out)
  in_r <- predict(model, utils::read.csv(test))
  expect_identical(in_r$prob_1, in_python$prob_1)
  expect_identical(in_r$class, in_python$class)
  expect_equal(nrow(in_r), 196L)
})

test_that("a classifier fitted in R is tested on each named series beside persistence", {
  skip_without_python()
  model <- pa_sequence_classifier(room_series(), "occupied", time_column = "time", window = 5, epochs = 2, units = 4,
                                  test_data = list(later = room_series(200, seed = 4, start = "2024-03-01")), seed = 2)
  expect_identical(names(model$info$test_sets), "later")
  expect_identical(model$info$metrics$model, c("lstm", "majority_class", "last_step_logistic", "persistence"))
  outcomes <- pa_outcomes(model)
  expect_equal(nrow(outcomes), 196L)
  expect_true(all(outcomes$prob >= 0 & outcomes$prob <= 1))
  glanced <- generics::glance(model)
  expect_equal(nrow(glanced), 1L)
  expect_identical(glanced$n_test, 196L)
  augmented <- generics::augment(model, room_series(60, seed = 5))
  expect_true(all(is.na(augmented$.prob_1[1:4])) && !anyNA(augmented$.prob_1[5:60]))
})

test_that("test series given as a vector of CSV paths are one test set each, named by file", {
  skip_without_python()
  paths <- file.path(tempfile(), c("march.csv", "april.csv"))
  dir.create(dirname(paths[[1]]))
  utils::write.csv(room_series(120, seed = 6, start = "2024-03-01"), paths[[1]], row.names = FALSE)
  utils::write.csv(room_series(120, seed = 7, start = "2024-04-01"), paths[[2]], row.names = FALSE)
  model <- pa_sequence_classifier(room_series(), "occupied", time_column = "time", window = 5, epochs = 1, units = 4,
                                  test_data = paths, seed = 2)
  expect_identical(names(model$info$test_sets), c("march", "april"))
})

test_that("autoplot draws the forecast against the actual values with the band, and MASE per horizon", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  model <- small_forecaster()
  plot <- ggplot2::autoplot(model, newdata = seasonal_series(), horizon = 2)
  layers <- vapply(plot$layers, function(layer) class(layer$geom)[[1]], "")
  expect_identical(layers, c("GeomRibbon", "GeomLine"))
  expect_match(plot$labels$title, "forecasts of value, 2 step(s) ahead", fixed = TRUE)
  built <- ggplot2::ggplot_build(plot)
  expect_equal(nrow(built$data[[1]]), 400L - 24L - 4L + 1L)
  horizons <- ggplot2::autoplot(model, type = "horizons")
  expect_identical(sort(unique(as.character(horizons$data$model))), c("linear_ar", "lstm", "naive", "seasonal_naive"))
  expect_true(file.exists(draw_png(function() plot(model, seasonal_series()))))
})

test_that("bad series and settings are one-line errors naming them", {
  skip_without_python()
  shuffled <- seasonal_series(100)
  shuffled$time[40] <- shuffled$time[10]
  error <- expect_error(pa_forecast(shuffled, "value", time_column = "time", window = 12, horizon = 2, epochs = 1),
                        class = "pa_data_error")
  one_line(error)
  expect_match(conditionMessage(error), "time column 'time'", fixed = TRUE)
  error <- expect_error(pa_forecast(seasonal_series(), "value", window = 12, epoch = 1), class = "pa_parameter_error")
  expect_match(conditionMessage(error), "epoch: not an argument or setting of pa_forecast(); did you mean epochs?", fixed = TRUE)
  expect_error(pa_forecast(seasonal_series(), "value", quantiles = c(0.1, 1.5)), "quantiles: expected levels between 0 and 1")
  gap <- room_series(100)
  gap$time[60:100] <- format(as.POSIXct(gap$time[60:100], tz = "UTC") + 3600, "%Y-%m-%d %H:%M:%S", tz = "UTC")
  error <- expect_error(pa_sequence_classifier(gap, "occupied", time_column = "time", window = 5, max_gap = "5min"),
                        class = "pa_data_error")
  expect_match(conditionMessage(error), "longer than max_gap", fixed = TRUE)
  error <- expect_error(pa_backtest(small_forecaster(), seasonal_series()), class = "pa_error")
  expect_match(conditionMessage(error), "a sequence model has its own methods", fixed = TRUE)
})

test_that("pa_explain explains a forecaster's last windows per horizon and pa_report writes its page", {
  skip_without_python()
  model <- small_forecaster()
  explanation <- pa_explain(model, seasonal_series(), method = "lime", n = 2, n_samples = 200)
  expect_s3_class(explanation, "pa_explanation")
  expect_s3_class(explanation$case, "POSIXct")
  expect_identical(sort(unique(explanation$label)), paste0("h", 1:4))
  expect_identical(format(sort(unique(explanation$case)), "%H:%M", tz = "UTC"), c("14:00", "15:00"))
  expect_true(all(grepl("24 steps summed", explanation$feature_desc, fixed = TRUE)))
  expect_match(capture.output(print(explanation))[[1]], "lime")
  page <- tempfile(fileext = ".html")
  pa_report(model, seasonal_series(300, seed = 6), page, methods = "lime")
  expect_true(grepl("newdata", paste(readLines(page, warn = FALSE), collapse = "\n"), fixed = TRUE))
  error <- expect_error(pa_report(pa_load(pa_save(model, file.path(tempfile(), "b"))), file = tempfile(fileext = ".html")),
                        class = "pa_parameter_error")
  expect_match(conditionMessage(error), "newdata: a model loaded from a bundle keeps no rows to report on", fixed = TRUE)
})
