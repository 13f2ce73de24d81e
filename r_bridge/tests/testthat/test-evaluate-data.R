test_that("pa_evaluate notes prices that are not the model's training data", {
  skip_without_python()
  model <- small_model()
  expect_no_message(pa_evaluate(model, market()))
  revised <- market()
  revised$close <- revised$close * 1.01
  expect_message(pa_evaluate(model, revised), "another instrument or revised data")
})

test_that("a model fitted from R keeps its data's name, so evaluating other prices names the training data", {
  skip_without_python()
  other <- pa_synthetic_prices(900, seed = 11)
  aapl_like <- market()
  path <- pa_save(pa_fit(aapl_like, epochs = 1, seed = 1), tempfile("bundle"))
  expect_message(pa_evaluate(pa_load(path), other),
                 "another instrument or revised data \\(.* differ from the training data 'aapl_like'\\)")
  csv <- tempfile("PRICES", fileext = ".csv")
  utils::write.csv(market(), csv, row.names = FALSE)
  expect_message(pa_evaluate(pa_fit(csv, epochs = 1, seed = 1), other),
                 sprintf("differ from the training data '%s')", basename(csv)), fixed = TRUE)
  expect_message(pa_evaluate(pa_fit(market(), epochs = 1, seed = 1), other), "differ from the training data)",
                 fixed = TRUE) # an expression has no name to keep
})
