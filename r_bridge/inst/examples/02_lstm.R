#!/usr/bin/env Rscript
# Course example 2 in R: the LSTM (and its cheaper sibling, the GRU) over windows of past days.
#
# The same task as example 1, but each prediction sees the last `window` days of features as a
# (timesteps, features) sequence. Windows never reach across the split or its purge gap. The
# DNN, LSTM and GRU are compared on the same test dates, next to the naive baselines.
#
# Run:  Rscript 02_lstm.R [PRICES.csv] [WINDOW]
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
source_file <- if (length(args) >= 1 && nzchar(args[[1]])) args[[1]] else pa_price_file("aapl")
window <- if (length(args) >= 2) suppressWarnings(as.integer(args[[2]])) else 20L
if (is.na(window) || window < 1) stop("WINDOW: expected a whole number of days such as 20, got ", args[[2]], call. = FALSE)

prices <- pa_load_prices(source_file)
cat(sprintf("%s: %d trading days; windows of %d days\n\n", basename(source_file), nrow(prices), window))

models <- list(
  dnn = pa_fit(prices, model = "dnn", epochs = 30, seed = 1),
  lstm = pa_fit(prices, model = "lstm", window = window, epochs = 10, seed = 1),
  gru = pa_fit(prices, model = "gru", window = window, epochs = 10, seed = 1)
)
for (model in models) print(model)

# A sequence model's first test date is the first with a whole window inside the test part, so
# score the DNN from that date too: all three networks and their baselines on the same dates.
first <- summary(models$lstm)$periods$test$start
comparison <- do.call(rbind, lapply(names(models), function(name) {
  metrics <- pa_evaluate(models[[name]], prices, since = if (name == "dnn") first else NULL)
  cbind(network = name, metrics[, c("model", "roc_auc", "accuracy", "brier", "expected_cost")])
}))
cat(sprintf("\nFrom %s on, each network next to its baselines:\n", first))
print(comparison, digits = 3, row.names = FALSE)

cat("\nSHAP on the LSTM's last two predictions, summed over the window's days:\n")
shap <- pa_explain(models$lstm, prices, method = "shap", n = 2)
shap$base <- sub("_t-[0-9]+$", "", shap$feature)
per_feature <- aggregate(feature_weight ~ case + base, data = shap, FUN = sum)
per_feature <- per_feature[order(per_feature$case, -abs(per_feature$feature_weight)), ]
print(do.call(rbind, lapply(split(per_feature, per_feature$case), utils::head, 5)), row.names = FALSE, digits = 3)
