test_that("whole doubles become integers and everything else is refused by name", {
  expect_identical(pyanalytics:::as_py_integer(50, "epochs", 1L), 50L)
  expect_null(pyanalytics:::as_py_integer(NULL, "seed", 0L, null_ok = TRUE))
  expect_error(pyanalytics:::as_py_integer("ten", "epochs", 1L), 'epochs: expected an integer >= 1, got "ten".', fixed = TRUE)
  expect_error(pyanalytics:::as_py_integer(2.5, "epochs", 1L), "epochs: expected an integer >= 1, got 2.5.", fixed = TRUE)
  expect_error(pyanalytics:::as_py_integer(0, "epochs", 1L), class = "pa_parameter_error")
  expect_error(pyanalytics:::as_py_integer(c(1, 2), "horizon", 1L), "horizon")
  expect_error(pyanalytics:::as_py_integer(NA, "horizon", 1L), "horizon")
  expect_error(pyanalytics:::as_py_flag("yes", "tune_threshold"), "tune_threshold: expected TRUE or FALSE")
  expect_error(pyanalytics:::as_py_string("svm", "model", c("dnn", "lstm")), 'model: expected one of "dnn", "lstm", got "svm".', fixed = TRUE)
})

test_that("row numbers are checked against the frame", {
  expect_identical(pyanalytics:::as_row_numbers(c(1, 3), "rows", 3), c(1L, 3L))
  expect_error(pyanalytics:::as_row_numbers(4, "rows", 3), "rows: expected row numbers between 1 and 3, got 4.", fixed = TRUE)
  expect_error(pyanalytics:::as_row_numbers(0, "rows", 3), class = "pa_parameter_error")
})

test_that("frames for Python carry their dates as ISO strings, from a column or the row names", {
  skip_without_python()
  frame <- data.frame(Date = as.Date("2024-01-01") + 0:1, Close = c(1, 2))
  sent <- reticulate::py_to_r(pyanalytics:::as_py_prices(frame, "x")$to_dict("list"))
  expect_identical(unlist(sent$date), c("2024-01-01", "2024-01-02"))
  by_rows <- data.frame(close = c(1, 2), row.names = c("2024-01-01", "2024-01-02"))
  sent <- reticulate::py_to_r(pyanalytics:::as_py_prices(by_rows, "x")$to_dict("list"))
  expect_identical(unlist(sent$date), c("2024-01-01", "2024-01-02"))
  expect_error(pyanalytics:::as_py_prices(42, "prices"), "prices: expected a data.frame, an xts object or a CSV path")
})

test_that("messages from Python arrive in R's notation: 1-based positions, whole numbers, NA", {
  skip_without_python()
  prices <- market()
  expect_error(pa_fit(prices, epochs = 1, hidden_units = c(16, 0)), "hidden_units[2]: expected an integer >= 1, got 0.",
               fixed = TRUE, class = "pa_parameter_error")
  error <- expect_error(pa_fit(prices, epochs = 1, cost_fp = -1), class = "pa_parameter_error")
  expect_match(conditionMessage(error), "^cost_fp: expected a number in \\(0, [0-9]+\\], got -1\\.$")
  missing <- prices
  missing$close[5] <- NA
  error <- expect_error(pa_fit(missing, epochs = 1), class = "pa_data_error")
  expect_match(conditionMessage(error), "row 5 (2000-01-07)", fixed = TRUE)
  expect_false(grepl("nan", conditionMessage(error), ignore.case = TRUE))
  notation <- pyanalytics:::python_api()$r_notation
  expect_identical(notation("units[0] and x[12]: got nan (nan), -1.0, 2.50, 1.05 in [0.0, 0.95]; inf, None, True"),
                   "units[1] and x[13]: got NA (NA), -1, 2.50, 1.05 in [0, 0.95]; Inf, NULL, TRUE")
  expect_identical(notation("row 5 (2000-01-07), version 3.10.0"), "row 5 (2000-01-07), version 3.10.0")
})

test_that("choices are exact, the whole default vector meaning its first", {
  choices <- c("long_flat", "long_short")
  expect_identical(pyanalytics:::as_py_choice(choices, "mode", choices), "long_flat")
  expect_identical(pyanalytics:::as_py_choice("long_short", "mode", choices), "long_short")
  expect_error(pyanalytics:::as_py_choice("long", "mode", choices), class = "pa_parameter_error")
})
