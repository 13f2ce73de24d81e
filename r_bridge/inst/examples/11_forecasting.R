#!/usr/bin/env Rscript
# Course example 11 in R: multi-step forecasting with an LSTM on two series with known answers.
#
# The LSTM reads the last 24 hourly values and forecasts the next 6 at once, learning the 0.1, 0.5
# and 0.9 quantiles so that the outer two are an 80% prediction interval; beside it naive (the last
# value), seasonal naive (one period ago) and a linear autoregression on the window, all scored by
# MASE (below 1: better than the naive forecast's in-sample error), overall and per horizon. The
# series come from the generator Python uses (pa_synthetic_series): a planted season plus AR(1)
# noise, where the network and the linear AR should reach a MASE below 1 and the interval should
# cover about 80%, and a random walk, where nothing should beat naive by more than noise.
#
# R fits one chronological split (train, validation, test); the Python script
# (scripts/11_forecasting.py) walks forward through several folds.
#
# Run:  Rscript 11_forecasting.R [EPOCHS]   (default 30)
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
epochs <- if (length(args) >= 1) as.integer(args[[1]]) else 30L

for (kind in c("seasonal_ar", "random_walk")) {
  series <- pa_synthetic_series(1200, kind = kind, period = 12, seed = 0)
  model <- pa_forecast(series, "value", time_column = "time", window = 24, horizon = 6, period = 12,
                       quantiles = c(0.1, 0.5, 0.9), epochs = epochs, learning_rate = 0.01, seed = 0)
  info <- summary(model)
  test <- info$test_sets$test
  cat(sprintf("\n== %s: %d hourly values, test part of %d windows, forecasting 1..6 hours ahead ==\n",
              kind, nrow(series), test$windows))
  print(test$metrics)
  cat("\nMASE per horizon:\n")
  print(round(stats::xtabs(mase ~ model + horizon, test$horizons), 2))
  coverage <- test$horizons$coverage[test$horizons$model == "lstm"]
  cat(sprintf("\nlstm 80%% interval coverage per horizon: %s (overall %.1f%%, nominal 80%%)\n",
              paste(sprintf("%.0f%%", 100 * coverage), collapse = " "), 100 * test$metrics$coverage[[1]]))
  cat(info$verdict$sentence, "\n", sep = "")
}
