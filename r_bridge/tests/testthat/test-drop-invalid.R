# Issue 10 point 7 from R: every function that takes prices drops invalid rows on request, and
# Python's DataWarnings arrive as R warnings of class pa_data_warning, one line each.

with_invalid_rows <- function() {
  prices <- market()
  prices$close[c(30, 31)] <- NA
  prices$volume[40] <- -1
  prices
}

# The value of `expr` and the conditions of `class` it signalled (muffled).
signalled <- function(expr, class = "warning") {
  caught <- list()
  value <- withCallingHandlers(expr, warning = function(w) {
    if (inherits(w, class)) {
      caught[[length(caught) + 1L]] <<- w
      invokeRestart("muffleWarning")
    }
  })
  list(value = value, conditions = caught)
}

test_that("pa_fit drops invalid rows on request with one R warning that says what it dropped", {
  skip_without_python()
  prices <- with_invalid_rows()
  expect_error(pa_fit(prices, epochs = 1), "column 'close': 2 values missing", class = "pa_data_error")
  expect_warning(pa_fit(prices, drop_invalid = TRUE, epochs = 1), class = "pa_data_warning")
  stderr <- reticulate::py_capture_output(
    fitted <- signalled(pa_fit(prices, drop_invalid = TRUE, epochs = 1, seed = 1), "pa_data_warning"),
    type = "stderr"
  )
  expect_identical(stderr, "") # nothing printed by Python's warnings module
  expect_length(fitted$conditions, 1L)
  text <- conditionMessage(fitted$conditions[[1]])
  expect_match(text, "dropped 3 of 900 rows as invalid: column 'close': 2 values missing, first in rows 30", fixed = TRUE)
  expect_match(text, "value '-1' is negative", fixed = TRUE) # R's notation, not '-1.0'
  expect_false(grepl("\n", text, fixed = TRUE))
  expect_s3_class(fitted$value, "pa_model")
  expect_error(pa_fit(prices, drop_inv = TRUE), "drop_inv: not an argument or setting of pa_fit(); did you mean drop_invalid?",
               fixed = TRUE, class = "pa_parameter_error")
})

test_that("predict, pa_evaluate, pa_backtest, pa_explain and pa_report take drop_invalid", {
  skip_without_python()
  model <- small_model()
  prices <- with_invalid_rows()
  clean <- suppressWarnings(pa_load_prices(prices, drop_invalid = TRUE), classes = "pa_data_warning")
  expect_error(predict(model, prices), "2 values missing", class = "pa_data_error")
  dropping <- function(expr) {
    run <- signalled(expr, "pa_data_warning")
    expect_match(vapply(run$conditions, conditionMessage, ""), "^prices: dropped 3 of 900 rows")
    run$value
  }
  expect_equal(dropping(predict(model, prices, drop_invalid = TRUE)), predict(model, clean))
  expect_equal(dropping(pa_evaluate(model, prices, drop_invalid = TRUE)), suppressMessages(pa_evaluate(model, clean)))
  expect_equal(dropping(pa_backtest(model, prices, drop_invalid = TRUE))$daily, pa_backtest(model, clean)$daily)
  explained <- dropping(pa_explain(model, prices, n = 1, n_samples = 50, drop_invalid = TRUE))
  expect_identical(unique(explained$case), max(clean$date))
  by_row <- dropping(pa_explain(model, prices, rows = nrow(clean), n_samples = 50, drop_invalid = TRUE))
  expect_identical(unique(by_row$case), max(clean$date)) # rows count the rows left
  file <- tempfile(fileext = ".html")
  expect_warning(pa_report(model, prices, file, methods = "lime", drop_invalid = TRUE), class = "pa_data_warning")
  expect_true(file.exists(file))
})

test_that("pa_walk_forward drops invalid rows of one ticker or of each, naming the ticker", {
  skip_without_python()
  prices <- with_invalid_rows()
  expect_error(pa_walk_forward(prices, folds = 2, epochs = 1), "2 values missing", class = "pa_data_error")
  one <- signalled(pa_walk_forward(prices, folds = 2, epochs = 1, hidden_units = 8, drop_invalid = TRUE), "pa_data_warning")
  expect_match(vapply(one$conditions, conditionMessage, ""), "dropped 3 of 900 rows", all = FALSE)
  expect_false(any(one$value$predictions$date %in% prices$date[c(30, 31, 40)]))
  several <- signalled(pa_walk_forward(list(good = market(), bad = prices), folds = 2, epochs = 1, hidden_units = 8,
                                       drop_invalid = TRUE), "pa_data_warning")
  expect_match(vapply(several$conditions, conditionMessage, ""), "^bad: prices: dropped 3 of 900 rows", all = FALSE)
})
