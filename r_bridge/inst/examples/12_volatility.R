#!/usr/bin/env Rscript
# Course example 12 in R: forecasting volatility (the predictable part of a price series) and using it.
#
# For Apple and Microsoft, the realised volatility of the next 5 and 21 days is forecast
# walk-forward over 5 folds by an LSTM, HAR-RV, EWMA (RiskMetrics) and GARCH(1,1), each fitted on
# the past of its fold only, and scored by MSE and QLIKE on the variance. Then the forecasts are
# used: always long, scaled each day to 10 % annual volatility by each model's 5-day forecast,
# beside the unscaled position. With ggplot2, the forecasts against the realised volatility are
# drawn to PLOTS.pdf.
#
# Run:  Rscript 12_volatility.R [EPOCHS] [PLOTS.pdf]
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
epochs <- if (length(args) >= 1) suppressWarnings(as.integer(args[[1]])) else 30L
if (is.na(epochs) || epochs < 1) stop("EPOCHS: expected a whole number such as 30, got ", args[[1]], call. = FALSE)
plots <- if (length(args) >= 2) args[[2]] else "volatility_forecasts.pdf"

results <- list()
for (ticker in c("AAPL", "MSFT")) {
  results[[ticker]] <- pa_volatility(pa_price_file(ticker), horizons = c(5, 21), folds = 5, epochs = epochs, seed = 0,
                                     target_volatility = 0.10, max_leverage = 2)
  print(results[[ticker]])
  cat("\n")
}

# Both tickers side by side: QLIKE per model and horizon (lower is better).
qlike <- do.call(cbind, lapply(names(results), function(ticker) {
  table <- results[[ticker]]$table
  wide <- stats::reshape(table[c("model", "horizon", "qlike")], idvar = "model", timevar = "horizon", direction = "wide")
  stats::setNames(wide[-1], paste(ticker, sub("qlike.", "", names(wide)[-1], fixed = TRUE), "days"))
}))
rownames(qlike) <- results[[1]]$table$model[results[[1]]$table$horizon == 5]
cat("QLIKE, both tickers:\n")
print(round(qlike, 3))

if (requireNamespace("ggplot2", quietly = TRUE)) {
  grDevices::pdf(plots, width = 11, height = 6)
  for (result in results) for (horizon in c(5, 21)) print(ggplot2::autoplot(result, horizon = horizon))
  grDevices::dev.off()
  cat(sprintf("\nForecasts against the realised volatility drawn to %s\n", plots))
}
