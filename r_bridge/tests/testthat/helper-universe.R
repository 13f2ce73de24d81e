# A small universe of Yahoo-style CSV files, written once and shared by the universe tests.

# Prices as a Yahoo export writes them: Date,Open,High,Low,Close,Adj Close,Volume.
write_yahoo <- function(prices, file) {
  headers <- c(date = "Date", open = "Open", high = "High", low = "Low", close = "Close", adj_close = "Adj Close",
               volume = "Volume")
  names(prices) <- headers[names(prices)]
  utils::write.csv(prices, file, row.names = FALSE)
  file
}

# Three tickers (AAA with a planted signal) and ZERO, whose one zero Open sets it aside.
universe_folder <- local({
  folder <- NULL
  function() {
    if (is.null(folder)) {
      folder <<- tempfile("universe")
      dir.create(folder)
      write_yahoo(pa_synthetic_prices(600, signal_strength = 2, seed = 1), file.path(folder, "AAA.csv"))
      write_yahoo(pa_synthetic_prices(600, seed = 2), file.path(folder, "BBB.csv"))
      write_yahoo(pa_synthetic_prices(600, seed = 3), file.path(folder, "CCC.csv"))
      zero <- pa_synthetic_prices(600, seed = 4)
      zero$open[[11]] <- 0
      write_yahoo(zero, file.path(folder, "ZERO.csv"))
    }
    folder
  }
})

# The settings of every universe run of the tests: tiny fits, in this R session's Python.
universe_walk_forward <- function(prices, ...) {
  pa_walk_forward(prices, folds = 2, epochs = 1, seed = 1, quantile = 0.5, min_tickers = 3, hidden_units = 8, ...)
}

# The folder's run, serial, with the cross-section, its fits kept in a store for the other tests.
universe_store <- local({
  store <- NULL
  function() {
    if (is.null(store)) store <<- tempfile("universe-store")
    store
  }
})

universe_run <- local({
  cached <- NULL
  function() {
    if (is.null(cached)) {
      cached <<- universe_walk_forward(universe_folder(), engine = "serial", cross_section = TRUE, store = universe_store())
    }
    cached
  }
})
