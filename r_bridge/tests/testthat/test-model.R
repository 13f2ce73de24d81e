test_that("pa_fit returns a model that prints, summarises and keeps its test metrics", {
  skip_without_python()
  model <- small_model()
  expect_s3_class(model, "pa_model")
  expect_output(print(model), "<pa_model> dnn, horizon 1 day\\(s\\)")
  expect_output(print(model), "best baseline")
  verdict <- model$info$verdict # Python's one verdict, as the command line and the report say it
  expect_true(verdict$judgement %in% c("better", "worse", "no_edge", "undefined"))
  expect_output(print(model), verdict$sentence, fixed = TRUE)
  metrics <- as.data.frame(model)
  expect_identical(metrics$model[[1]], "dnn")
  expect_setequal(metrics$model, c("dnn", "majority_class", "always_up", "previous_direction", "logistic_regression"))
  expect_true(all(metrics$roc_auc >= 0 & metrics$roc_auc <= 1, na.rm = TRUE))
  expect_output(print(summary(model)), "test metrics, next to the naive baselines")
})

test_that("predict gives dates, probabilities and the thresholded signal", {
  skip_without_python()
  model <- small_model()
  prices <- market()
  predictions <- predict(model, prices)
  expect_identical(names(predictions), c("date", "prob_up", "signal"))
  expect_s3_class(predictions$date, "Date")
  expect_identical(max(predictions$date), max(prices$date))
  expect_true(all(predictions$prob_up > 0 & predictions$prob_up < 1))
  expect_identical(predictions$signal, as.integer(predictions$prob_up >= model$info$threshold))
  last <- predict(model, prices, type = "class", last = 3)
  expect_identical(nrow(last), 3L)
  expect_identical(levels(last$signal), c("down", "up"))
  expect_equal(last$prob_up, utils::tail(predictions$prob_up, 3))
})

test_that("pa_evaluate on the training prices reproduces the model's test metrics", {
  skip_without_python()
  model <- small_model()
  evaluated <- pa_evaluate(model, market())
  expect_s3_class(evaluated, "pa_metrics")
  expect_equal(as.data.frame(unclass(evaluated)), as.data.frame(model), tolerance = 1e-12)
  later <- pa_evaluate(model, market(), since = "2003-01-02")
  expect_lt(sum(later$tp + later$fp + later$tn + later$fn) / 5, sum(evaluated$tp + evaluated$fp + evaluated$tn + evaluated$fn) / 5)
})

test_that("bad arguments from R are R errors with the Python side's one-line message", {
  skip_without_python()
  prices <- market()
  expect_error(pa_fit(prices, epochs = "ten"), 'epochs: expected an integer >= 1, got "ten".', fixed = TRUE,
               class = "pa_parameter_error")
  expect_error(pa_fit(prices, model = "svm"), "model: expected one of")
  expect_error(pa_fit(prices, cost_fp = -1, epochs = 1), "cost_fp", class = "pa_parameter_error")
  missing <- file.path(tempdir(), "no-such-bundle")
  error <- expect_error(pa_load(missing), class = "pa_bundle_error")
  expect_identical(conditionMessage(error), sprintf("bundle '%s': no such directory. Check the path.", missing))
  expect_false(grepl("Traceback|py_last_error", conditionMessage(error)))
  expect_error(predict(small_model(), prices, last = 0), "last: expected an integer >= 1")
})

test_that("plot draws the training history", {
  skip_without_python()
  file <- tempfile(fileext = ".pdf")
  grDevices::pdf(file)
  expect_invisible(plot(small_model()))
  grDevices::dev.off()
  expect_gt(file.size(file), 1000)
})

test_that("a misspelt setting or a partially matched argument is refused by name, listing the valid ones", {
  skip_without_python()
  prices <- market()
  error <- expect_error(pa_fit(prices, epochs = 1, hiden_units = 16), class = "pa_parameter_error")
  message <- conditionMessage(error)
  expect_match(message, "^hiden_units: not an argument or setting of pa_fit\\(\\); did you mean hidden_units\\?")
  expect_match(message, "arguments: prices, model, horizon, window, epochs,", fixed = TRUE)
  settings <- sub(".*; settings: (.*)\\.$", "\\1", message)
  python <- names(reticulate::import("pyanalytics.models")$DNNClassifier()$get_params())
  listed <- strsplit(settings, ", ")[[1]]
  expect_true("hidden_units" %in% listed && "validation" %in% listed)
  expect_true(all(setdiff(listed, c("validation", "test", "gap", "dead_zone")) %in% python))
  expect_false(grepl("\n|TypeError", message))
  expect_error(pa_fit(price = prices, epochs = 1), "^price: not an argument or setting of pa_fit\\(\\); did you mean prices\\?",
               class = "pa_parameter_error")
  expect_error(pa_fit(prices, epoch = 1), "did you mean epochs?", fixed = TRUE, class = "pa_parameter_error")
  expect_error(pa_walk_forward(prices, folds = 2, epochs = 1, units = 8), "^units: not an argument or setting of pa_walk_forward",
               class = "pa_parameter_error")
  expect_error(predict(small_model(), newdat = prices), "did you mean newdata?", fixed = TRUE, class = "pa_parameter_error")
  expect_error(pa_backtest(small_model(), prices, cost = 5), "^cost: not an argument of pa_backtest\\(\\); arguments: model,",
               class = "pa_parameter_error")
  expect_error(pa_backtest(small_model(), prices, mode = "long"), 'mode: expected one of "long_flat", "long_short", got "long".',
               fixed = TRUE, class = "pa_parameter_error")
  expect_error(pa_fit(prices, dropout = NA), "dropout: expected a value other than NA, got NA.", fixed = TRUE,
               class = "pa_parameter_error")
})

test_that("a model restored by readRDS() says to keep models with pa_save() and pa_load() instead", {
  skip_without_python()
  file <- tempfile(fileext = ".rds")
  saveRDS(small_model(), file)
  restored <- readRDS(file)
  expect_output(print(restored), "<pa_model> dnn") # the R side survives
  uses <- list(function() predict(restored, market()), function() pa_evaluate(restored, market()),
               function() pa_backtest(restored, market()), function() pa_save(restored, tempfile()))
  for (use in uses) {
    error <- expect_error(use(), class = "pa_parameter_error")
    expect_identical(conditionMessage(error), paste(
      "model: its Python side is gone (a model restored by readRDS() or kept from another R session);",
      "save models with pa_save() and restore them with pa_load()."
    ))
  }
})
