#' Load and validate daily prices
#'
#' Reads a Yahoo-style CSV (`Date,Open,High,Low,Close,Adj Close,Volume`) or takes a data.frame
#' or an xts object, and checks it the way the models need it: parseable, unique, increasing
#' daily dates and finite positive prices. Every invalid cell (a `null`, a zero price, a
#' negative volume, a date that does not parse) is counted in one error that names, per column,
#' the count and the first rows and dates; with `drop_invalid = TRUE` those rows are dropped
#' instead, with a warning that says which. Only `close` and `volume` are required.
#'
#' Column names are matched as a CSV's headers are, whatever R made of them: `Adj Close`,
#' `Adj.Close` (from `read.csv`), `AAPL.Adjusted` (quantmod) all mean `adj_close`; a dotted
#' ticker prefix is skipped (`AAPL.Close`, `BRK.B.Close`). Two columns meaning the same name, a
#' column renamed for being a duplicate (`Close.1`) and intraday rows are refused.
#'
#' @param x A CSV path, a data.frame with a date column (or dates as row names), or an xts
#'   object.
#' @param drop_invalid `TRUE` to drop the rows holding an invalid cell instead of refusing them.
#' @param extra Names of your own numeric columns to keep (other columns are dropped), e.g. for
#'   `pa_fit(prices, extra_features = ...)`, or `NULL`. Numbers, finite, missing only before
#'   their first value; an error names the row and date of a bad cell.
#' @return A data.frame with a `date` column (class Date) and lower-case price columns
#'   (`open`, `high`, `low`, `close`, `adj_close` where present, `volume`). When rows were
#'   dropped, its attribute `"dropped"` is a data.frame of their invalid cells (`row`, `date`,
#'   `column`, `value`, `problem`). Warnings say which rows were dropped and flag an adjusted
#'   close that jumps where the close does not.
#' @export
#' @examples
#' \donttest{
#' prices <- pa_load_prices(data.frame(
#'   Date = as.Date("2024-01-01") + 0:2, Close = c(10, 10.5, 10.2)
#' ))
#' }
pa_load_prices <- function(x, drop_invalid = FALSE, extra = NULL) {
  loaded <- call_python("load_prices", as_py_prices(x, "x"), as_py_flag(drop_invalid, "drop_invalid"),
                        as_py_column_names(extra, "extra"))
  prices <- frame_from_columns(loaded$prices)
  if (!is.null(loaded$dropped)) attr(prices, "dropped") <- frame_from_columns(loaded$dropped)
  prices
}

# A Python DataWarning as an R warning (see call_python()).
pa_warning <- function(message) {
  structure(class = c("pa_data_warning", "warning", "condition"), list(message = message, call = NULL))
}

#' A synthetic market with a planted signal
#'
#' A random-walk price series in which the next day's direction depends on a signal hidden in
#' the volume (`"volume"`: today's volume shock) or in the last two days' volume shocks
#' (`"sequence"`, which only a model that sees a window can use). With `signal_strength = 0` it
#' is a pure random walk: no model should beat a coin flip on it.
#'
#' @param n_days Trading days.
#' @param signal_strength How strongly the signal moves the next return (0: none).
#' @param signal `"volume"` or `"sequence"`.
#' @param seed An integer seed.
#' @return A prices data.frame, as [pa_load_prices()] returns.
#' @export
#' @examples
#' \donttest{
#' head(pa_synthetic_prices(500, seed = 1))
#' }
pa_synthetic_prices <- function(n_days = 2000, signal_strength = 1, signal = "volume", seed = 0) {
  frame_from_columns(call_python(
    "synthetic_prices",
    n_days = as_py_integer(n_days, "n_days", 1L),
    signal_strength = as_py_number(signal_strength, "signal_strength"),
    signal = as_py_string(signal, "signal", c("volume", "sequence")),
    seed = as_py_integer(seed, "seed", 0L)
  ))
}

#' Path of a ticker's prices in the shared data folder
#'
#' @param ticker A ticker such as `"aapl"` or `"msft"`.
#' @return The CSV path (from `PYANALYTICS_DATA_DIR`, else `../shared/data` beside the
#'   pyanalytics project). An error when the file is not there.
#' @export
#' @examples
#' \dontrun{
#' prices <- pa_load_prices(pa_price_file("aapl"))
#' }
pa_price_file <- function(ticker) {
  call_python("price_file", as_py_string(ticker, "ticker"))
}
