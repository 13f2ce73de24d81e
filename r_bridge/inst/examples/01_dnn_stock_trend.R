#!/usr/bin/env Rscript
# Course example 1 in R: the stock-trend DNN on Apple.
#
# Technical features from daily prices (each date sees only its past), a dense network of three
# layers, a chronological train / validation / test split with a purge gap, early stopping when
# the validation loss stops improving, the test metrics next to naive baselines, and LIME
# explanations of the latest predictions.
#
# Run:  Rscript 01_dnn_stock_trend.R [PRICES.csv] [OUTPUT_FOLDER]
#       (default: Apple from the shared data folder; outputs in ./01_dnn_output)
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
source_file <- if (length(args) >= 1 && nzchar(args[[1]])) args[[1]] else pa_price_file("aapl")
out <- if (length(args) >= 2) args[[2]] else "01_dnn_output"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

prices <- pa_load_prices(source_file)
cat(sprintf("%s: %d trading days, %s .. %s\n\n", basename(source_file), nrow(prices), min(prices$date), max(prices$date)))

model <- pa_fit(prices, model = "dnn", epochs = 50, seed = 1)
print(model)
cat("\nTest metrics next to the naive baselines (the honest yardstick):\n")
print(pa_evaluate(model, prices))

grDevices::pdf(file.path(out, "01_training_history.pdf"))
plot(model)
invisible(grDevices::dev.off())

cat("\nTomorrow's call for the last five days:\n")
print(predict(model, prices, type = "class", last = 5), row.names = FALSE)

cat("\nWhy? LIME on the last three days:\n")
explanation <- pa_explain(model, prices, method = "lime", n = 3)
print(explanation)
grDevices::pdf(file.path(out, "01_lime_latest.pdf"))
plot(explanation)
invisible(grDevices::dev.off())

bundle <- pa_save(model, file.path(out, "aapl-dnn"))
cat(sprintf("\nBundle (loads in Python with pyanalytics.load_bundle): %s\nPlots: %s\n", bundle, out))
