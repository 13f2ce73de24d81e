test_that("pa_evaluate notes prices that are not the model's training data", {
  skip_without_python()
  model <- small_model()
  expect_no_message(pa_evaluate(model, market()))
  revised <- market()
  revised$close <- revised$close * 1.01
  expect_message(pa_evaluate(model, revised), "another instrument or revised data")
})
