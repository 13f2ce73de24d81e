test_that("prices load from a CSV, a data.frame and an xts object alike", {
  skip_without_python()
  csv <- tempfile(fileext = ".csv")
  writeLines(c("Date,Open,High,Low,Close,Adj Close,Volume",
               "2024-01-02,10,11,9,10.5,10.4,1000",
               "2024-01-03,10.5,11,10,10.8,10.7,1200"), csv)
  from_csv <- pa_load_prices(csv)
  expect_identical(names(from_csv), c("date", "open", "high", "low", "close", "adj_close", "volume"))
  expect_s3_class(from_csv$date, "Date")
  expect_equal(from_csv$close, c(10.5, 10.8))
  from_frame <- pa_load_prices(read.csv(csv, check.names = FALSE))
  expect_equal(from_frame, from_csv)
  skip_if_not_installed("xts")
  series <- xts::xts(cbind(AAPL.Open = c(10, 10.5), AAPL.Close = c(10.5, 10.8)), order.by = from_csv$date)
  from_xts <- pa_load_prices(series)
  expect_identical(from_xts$date, from_csv$date)
  expect_equal(from_xts$close, c(10.5, 10.8))
})

test_that("bad prices from R give one clear line naming the column and row", {
  skip_without_python()
  prices <- market()
  expect_error(pa_fit(prices[, c("date", "open", "high", "low", "volume")]),
               "missing required column(s) 'close'", fixed = TRUE, class = "pa_data_error")
  as_text <- prices
  as_text$close <- as.character(as_text$close)
  as_text$close[5] <- "n/a"
  expect_error(pa_fit(as_text), "column 'close', row 5 (2000-01-07): value 'n/a' is not a number", fixed = TRUE)
  no_date <- prices
  no_date$date[7] <- NA
  expect_error(pa_fit(no_date), "column 'date', row 7", fixed = TRUE, class = "pa_data_error")
  expect_error(pa_load_prices(file.path(tempdir(), "no-such.csv")), "no-such.csv", class = "pa_data_error")
})

# Issue 10, points 7 and 13: real files, R's column names, dropping invalid rows.

shared_file <- function(...) {
  aapl <- tryCatch(pa_price_file("aapl"), pa_error = function(e) "")
  path <- if (nzchar(aapl)) file.path(dirname(dirname(aapl)), ...) else ""
  if (!file.exists(path)) skip("the shared data folder is absent (set PYANALYTICS_DATA_DIR)")
  path
}

test_that("read.csv of a real file keeps the adjusted close as the CSV path does", {
  skip_without_python()
  path <- shared_file("prices", "AAPL.csv")
  from_path <- pa_load_prices(path)
  from_frame <- pa_load_prices(read.csv(path))
  expect_true("Adj.Close" %in% names(read.csv(path, nrows = 1)))
  expect_equal(from_frame, from_path)
})

test_that("xts with read.csv or quantmod names, dotted tickers included, maps like a CSV", {
  skip_without_python()
  skip_if_not_installed("xts")
  csv <- tempfile(fileext = ".csv")
  writeLines(c("Date,Open,High,Low,Close,Adj Close,Volume",
               "2024-01-02,10,11,9,10.5,10.4,1000",
               "2024-01-03,10.5,11,10,10.8,10.7,1200"), csv)
  from_csv <- pa_load_prices(csv)
  frame <- read.csv(csv)
  values <- as.matrix(frame[, -1])
  dates <- as.Date(frame$Date)
  as_xts <- function(names) xts::xts(`colnames<-`(values, names), order.by = dates)
  quantmod <- c("Open", "High", "Low", "Close", "Adjusted", "Volume")
  expect_equal(pa_load_prices(as_xts(colnames(values))), from_csv)  # Adj.Close
  expect_equal(pa_load_prices(as_xts(paste0("AAPL.", quantmod))), from_csv)
  expect_equal(pa_load_prices(as_xts(paste0("BRK.B.", quantmod))), from_csv)
})

test_that("invalid rows of a real file are summarised, or dropped with a warning and a record", {
  skip_without_python()
  path <- shared_file("universe", "ZTR.csv")
  expect_error(pa_load_prices(path), "193 of 8,119 rows invalid: column 'open': 193 values not positive",
               fixed = TRUE, class = "pa_data_error")
  said <- character()
  prices <- withCallingHandlers(pa_load_prices(path, drop_invalid = TRUE), pa_data_warning = function(w) {
    said <<- c(said, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  expect_length(said, 2L)
  expect_match(said[[1]], "dropped 193 of 8,119 rows as invalid", fixed = TRUE)
  expect_match(said[[2]], "adj_close moves apart from close by more than 5% on 1 day(s) (2017-01-05)", fixed = TRUE)
  expect_equal(nrow(prices), 8119 - 193)
  dropped <- attr(prices, "dropped")
  expect_identical(names(dropped), c("row", "date", "column", "value", "problem"))
  expect_equal(nrow(dropped), 193)
  expect_s3_class(dropped$date, "Date")
  expect_false(any(prices$date %in% dropped$date))
  expect_error(pa_load_prices(path, drop_invalid = "yes"), "drop_invalid: expected TRUE or FALSE")
})
