# Small seeded series for the sequence tests: an hourly season with AR(1) noise, and a room whose light
# follows an occupied/empty state. Times are text, as read.csv reads a CSV's.
seasonal_series <- function(n = 400, seed = 1) {
  set.seed(seed)
  noise <- stats::filter(stats::rnorm(n, sd = 0.4), 0.7, method = "recursive")
  data.frame(time = format(as.POSIXct("2024-01-01", tz = "UTC") + 3600 * (seq_len(n) - 1), "%Y-%m-%d %H:%M:%S", tz = "UTC"),
             value = 2 * sin(2 * pi * seq_len(n) / 12) + as.numeric(noise), stringsAsFactors = FALSE)
}

room_series <- function(n = 500, seed = 1, start = "2024-01-01") {
  set.seed(seed)
  state <- cumsum(stats::runif(n) < 0.03) %% 2
  data.frame(time = format(as.POSIXct(start, tz = "UTC") + 60 * (seq_len(n) - 1), "%Y-%m-%d %H:%M:%S", tz = "UTC"),
             light = 400 * state + stats::rnorm(n, sd = 60), occupied = as.integer(state), stringsAsFactors = FALSE)
}

# One small forecaster with an interval shared by the tests (training costs seconds).
small_forecaster <- local({
  cached <- NULL
  function() {
    if (is.null(cached)) cached <<- pa_forecast(seasonal_series(), "value", time_column = "time", window = 24, horizon = 4,
                                                period = 12, quantiles = c(0.1, 0.5, 0.9), epochs = 3, units = 8, seed = 1)
    cached
  }
})

# A series as Python reads it back from a CSV: written with 17 significant digits, which a double survives.
write_series <- function(frame) {
  csv <- tempfile(fileext = ".csv")
  numbers <- vapply(frame, is.double, TRUE)
  frame[numbers] <- lapply(frame[numbers], function(x) sprintf("%.17g", x))
  utils::write.csv(frame, csv, row.names = FALSE, quote = FALSE)
  csv
}
