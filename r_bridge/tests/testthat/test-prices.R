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
