# A small walk-forward of two tickers shared by the plot and broom tests (each run costs seconds).
two_tickers <- local({
  cached <- NULL
  function() {
    if (is.null(cached)) {
      prices <- list(first = market(), second = pa_synthetic_prices(900, seed = 4))
      cached <<- pa_walk_forward(prices, folds = 3, epochs = 1, seed = 1, hidden_units = 8)
    }
    cached
  }
})

# Draw with base graphics into a temporary PNG; returns the file.
draw_png <- function(draw) {
  file <- tempfile(fileext = ".png")
  grDevices::png(file, width = 800, height = 600)
  on.exit(grDevices::dev.off())
  draw()
  file
}

# The labels of a built ggplot's axis ("x" or "y") in its first panel (breaks outside it dropped).
axis_labels <- function(plot, axis = "x") {
  labels <- ggplot2::ggplot_build(plot)$layout$panel_params[[1]][[axis]]$get_labels()
  labels[!is.na(labels)]
}
