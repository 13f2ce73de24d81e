# A quant's own numeric column of the prices as an extra feature: fitted from R, the same model
# as Python's; it predicts identically on both sides and needs the column at prediction time.

# Prices whose `hint` column, known at each close, reads the next day's return noisily.
hinted_csv <- local({
  path <- NULL
  function() {
    if (is.null(path)) {
      prices <- pa_synthetic_prices(700, seed = 4)
      next_return <- c(diff(log(prices$close)), 0)
      set.seed(5)
      prices$Hint <- next_return / stats::sd(next_return) + stats::rnorm(nrow(prices))
      path <<- tempfile(fileext = ".csv")
      utils::write.csv(prices, path, row.names = FALSE)
    }
    path
  }
})

test_that("pa_fit with extra_features trains the model Python trains and predicts as Python does", {
  skip_without_python()
  csv <- hinted_csv()
  model <- pa_fit(csv, extra_features = "Hint", epochs = 3, seed = 1)
  expect_identical(tail(summary(model)$features, 1), "Hint")
  folder <- tempfile()
  run_python(sprintf(paste(
    "import pathlib",
    "from pyanalytics.bundle import Bundle",
    "from pyanalytics.finance import load_prices",
    "from pyanalytics.finance.training import train_direction_model",
    "prices = load_prices(%s, extra=['Hint'])",
    "result = train_direction_model(prices, extra_features=['Hint'], seed=1, model_params={'epochs': 3})",
    "folder = pathlib.Path(%s)",
    "folder.mkdir()",
    "Bundle.from_result(result).predict(prices).to_csv(folder / 'predictions.csv', index=False, float_format='%%.17g')",
    sep = "\n"), deparse(csv), deparse(folder)))
  in_python <- utils::read.csv(file.path(folder, "predictions.csv"))
  prices <- utils::read.csv(csv)
  in_r <- predict(model, csv)
  expect_identical(as.character(in_r$date), in_python$date)
  expect_lte(max(abs(in_r$prob_up - in_python$prob_up)), 1e-6)
  expect_gt(pa_evaluate(model, csv)$roc_auc[[1]], 0.6)
  bundle <- pa_save(model, file.path(tempfile(), "bundle"))
  expect_equal(predict(pa_load(bundle), csv), in_r)
  expect_equal(predict(model, prices)$prob_up, in_r$prob_up, tolerance = 1e-6)
})

test_that("a model with an extra feature refuses newdata without its column, naming it", {
  skip_without_python()
  model <- pa_fit(hinted_csv(), extra_features = "hint", epochs = 2, seed = 1)
  prices <- utils::read.csv(hinted_csv())
  expect_error(predict(model, prices[setdiff(names(prices), "Hint")]), "'hint'", class = "pa_error")
})

test_that("extra_features must be column names; a price column's name is refused", {
  skip_without_python()
  expect_error(pa_fit(hinted_csv(), extra_features = 1), "extra_features: expected a character vector", class = "pa_error")
  expect_error(pa_fit(hinted_csv(), extra_features = "close", epochs = 2), "extra_features: 'close' is already the price column", class = "pa_error")
})

test_that("pa_load_prices keeps the extra columns asked for", {
  skip_without_python()
  prices <- pa_load_prices(hinted_csv(), extra = "hint")
  expect_identical(names(prices), c("date", "open", "high", "low", "close", "adj_close", "volume", "hint"))
  expect_equal(prices$hint, utils::read.csv(hinted_csv())$Hint)
  expect_false("hint" %in% names(pa_load_prices(hinted_csv())))
})

test_that("pa_walk_forward takes extra_features", {
  skip_without_python()
  result <- pa_walk_forward(hinted_csv(), folds = 2, epochs = 2, extra_features = "hint")
  expect_identical(tail(result$summary$features, 1), "hint")
})
