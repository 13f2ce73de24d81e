test_that("pa_backtest trades the model's out-of-sample signals beside buy-and-hold", {
  skip_without_python()
  model <- small_model()
  result <- pa_backtest(model, market(), mode = "long_short", cost_bps = 5)
  expect_s3_class(result, "pa_backtest")
  daily <- as.data.frame(result)
  expect_s3_class(daily$date, "Date")
  expect_gte(min(daily$date), as.Date(model$info$periods$test$start))
  # Net return = position x next return - costs on turnover; equity compounds it.
  expect_equal(daily$strategy_return, daily$position * daily$asset_return - daily$turnover * 5 / 1e4)
  expect_equal(daily$equity, cumprod(1 + daily$strategy_return))
  expect_true(all(daily$position %in% c(-1, 1)))
  stats <- result$stats
  expect_identical(stats$statistic[1:3], c("total_return", "annual_return", "annual_volatility"))
  expect_equal(stats$strategy[stats$statistic == "total_return"], utils::tail(daily$equity, 1) - 1)
  expect_output(print(result), "<pa_backtest> long_short, held 1 day\\(s\\), costs 5")
  file <- tempfile(fileext = ".pdf")
  grDevices::pdf(file)
  expect_invisible(plot(result))
  grDevices::dev.off()
  expect_error(pa_backtest(model, market(), cost_bps = "5"), "cost_bps: expected a number")
})

test_that("pa_walk_forward retrains per fold and stitches out-of-sample predictions", {
  skip_without_python()
  result <- pa_walk_forward(market(), folds = 3, epochs = 2, seed = 1, hidden_units = c(16, 8))
  expect_s3_class(result, "pa_walk_forward")
  folds <- result$folds
  expect_identical(folds$fold, 1:3)
  expect_true(all(folds$train_end < folds$test_start))
  expect_true(all(utils::head(folds$test_end, -1) < utils::tail(folds$test_start, -1)))
  expect_identical(nrow(result$predictions), sum(folds$n_test))
  expect_identical(result$metrics$model[[1]], "dnn")
  expect_output(print(result), "<pa_walk_forward> dnn, 3 folds")
  several <- pa_walk_forward(list(first = market(), second = pa_synthetic_prices(900, seed = 4)), folds = 2, epochs = 1)
  expect_s3_class(several, "pa_walk_forward_list")
  expect_identical(several$summary$ticker, c("first", "second"))
  expect_identical(names(several$results), c("first", "second"))
  expect_s3_class(several$results$second, "pa_walk_forward")
  expect_identical(several$portfolio$strategy$n_days, several$portfolio$buy_and_hold$n_days)
  expect_output(print(several), "equal-weight strategy on the")
  bad <- market()[, c("date", "open")]
  expect_error(pa_walk_forward(list(good = market(), bad = bad), folds = 2, epochs = 1, strict = TRUE), "^bad: ",
               class = "pa_data_error")
  expect_error(pa_walk_forward(list(market()), folds = 2), "prices: expected a named list of prices")
  expect_error(pa_walk_forward(market(), folds = 1), "folds: expected an integer >= 2")
})

test_that("a model that never goes long backtests to numeric statistics, NA where undefined, and prints", {
  skip_without_python()
  never_long <- pa_fit(market(), epochs = 1, seed = 7, threshold = 1) # P(up) never reaches 1
  result <- pa_backtest(never_long, market())
  expect_true(all(result$daily$position == 0))
  stats <- result$stats
  expect_type(stats$strategy, "double")
  expect_type(stats$buy_and_hold, "double")
  sharpe <- stats$strategy[stats$statistic == "sharpe"]
  expect_true(is.na(sharpe) && !is.nan(sharpe)) # no variance: undefined, as R says it
  expect_identical(stats$strategy[stats$statistic == "total_return"], 0)
  expect_equal(stats$buy_and_hold[stats$statistic == "total_return"], utils::tail(result$daily$benchmark_equity, 1) - 1)
  expect_s3_class(result$dates$buy_and_hold, "Date")
  expect_identical(result$dates$strategy[result$dates$statistic == "start"],
                   result$dates$buy_and_hold[result$dates$statistic == "start"])
  expect_true(is.na(result$dates$strategy[result$dates$statistic == "max_drawdown_start"])) # no drawdown
  expect_true(is.na(result$settings$sharpe_t))
  expect_output(print(result), "sharpe +NA +-?[0-9.]+")
  expect_output(print(result), "t-statistic of the mean daily return NA")
})

test_that("pa_walk_forward takes cost_fp and tunes each fold's threshold to it", {
  skip_without_python()
  result <- pa_walk_forward(market(), folds = 2, epochs = 1, seed = 1, cost_fp = 4, tune_threshold = TRUE,
                            hidden_units = 8)
  expect_identical(result$summary$cost_fp, 4)
  expect_true(result$summary$tune_threshold)
  # A false positive costing 4 false negatives pushes the cheapest threshold well above 0.5.
  expect_true(all(result$folds$threshold > 0.5))
  expect_identical(result$predictions$signal, as.integer(result$predictions$prob_up >= result$predictions$threshold))
})
