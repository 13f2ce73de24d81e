# A GARCH market written as a CSV, shared by the tests (its volatility is predictable).
garch_csv <- local({
  cached <- NULL
  function() {
    if (is.null(cached)) {
      cached <<- tempfile(fileext = ".csv")
      run_python(sprintf(paste(
        "from pyanalytics.finance import garch_market",
        "garch_market(1300, seed=1).rename(columns={'adj_close': 'Adj Close'}).rename(columns=str.title)%s",
        sep = "\n"), sprintf(".rename_axis('Date').to_csv('%s')", cached)))
    }
    cached
  }
})

test_that("pa_volatility scores every model per horizon, judges the LSTM and targets volatility", {
  skip_without_python()
  result <- pa_volatility(garch_csv(), folds = 2, window = 5, epochs = 1, seed = 1)
  expect_s3_class(result, "pa_volatility")
  expect_identical(result$table$model, rep(c("lstm", "har", "ewma", "garch"), 2))
  expect_identical(result$table$horizon, rep(c(5L, 21L), each = 4))
  forecasts <- as.data.frame(result)
  expect_s3_class(forecasts$date, "Date")
  expect_identical(names(forecasts), c("date", "fold", "horizon", "realised", "lstm", "har", "ewma", "garch"))
  # QLIKE of the variance, as stated
  month <- forecasts[forecasts$horizon == 21, ]
  ratio <- month$realised^2 / month$garch^2
  expect_equal(result$table$qlike[result$table$model == "garch" & result$table$horizon == 21], mean(ratio - log(ratio) - 1))
  expect_length(result$verdict, 2)
  expect_match(result$verdict[[1]], "^5-day: lstm QLIKE [0-9.]+ vs best baseline (har|ewma|garch)")
  expect_identical(result$targeting$strategy, c("unscaled", "targeted_lstm", "targeted_har", "targeted_ewma", "targeted_garch"))
  expect_equal(result$targeting$mean_leverage[[1]], 1)
  expect_identical(result$ticker, sub("\\.csv$", "", basename(garch_csv())))
  expect_output(print(result), "<pa_volatility> .*2 folds")
  expect_output(print(result), "Always long, scaled to 10% annual volatility by each 5-day forecast")
  file <- tempfile(fileext = ".pdf")
  grDevices::pdf(file)
  expect_invisible(plot(result, horizon = 21, models = c("har", "garch")))
  grDevices::dev.off()
  expect_error(plot(result, horizon = 10), "horizon: expected one of 5, 21, got 10")
})

test_that("autoplot draws the forecasts against the realised volatility", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  result <- pa_volatility(garch_csv(), folds = 2, models = c("ewma", "garch"))
  plot <- ggplot2::autoplot(result, horizon = 21)
  expect_s3_class(plot, "ggplot")
  expect_identical(levels(plot$data$series), c("realised", "ewma", "garch"))
  expect_equal(nrow(plot$data), 3 * sum(result$forecasts$horizon == 21))
  expect_match(plot$labels$title, "21-day realised volatility")
  expect_match(result$verdict, "^No LSTM in this run")
})

test_that("bad input is one line naming it", {
  skip_without_python()
  expect_error(pa_volatility(garch_csv(), horizons = c(5, 0)), "horizons\\[2\\]: expected an integer >= 1, got 0")
  expect_error(pa_volatility(garch_csv(), models = "arima"), "models\\[1\\]: expected one of \"lstm\"")
  expect_error(pa_volatility(garch_csv(), window = 5000), "window: 5000 days is longer than the 1278 dates",
               class = "pa_data_error")
  expect_error(pa_volatility(garch_csv(), horizon = 5), "horizon: not an argument of pa_volatility\\(\\); did you mean horizons?")
})
