#!/usr/bin/env Rscript
# Course example 3 in R: a broker for whom a false positive costs alpha times a false negative.
#
# Buying before a fall (false positive) loses more than missing a rise (false negative). Three
# ways to decide, each judged by the expected cost per decision, (alpha * FP + FN) / n, on the
# same test dates:
#   plain @ 0.5     an ordinary DNN with the usual threshold;
#   plain @ tuned   the same network, its threshold tuned on the validation part (theory says
#                   alpha / (1 + alpha) for calibrated probabilities);
#   cost-sensitive  a DNN trained with the cost-weighted loss in a custom TensorFlow training
#                   step, threshold 0.5.
#
# Run:  Rscript 03_custom_cost.R [PRICES.csv]
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
prices <- if (length(args) >= 1) pa_load_prices(args[[1]]) else pa_load_prices(pa_price_file("aapl"))
settings <- list(epochs = 30, seed = 0, hidden_units = c(32, 16))
fit <- function(...) do.call(pa_fit, c(list(prices), settings, list(...)))

plain <- fit()
counts <- pa_evaluate(plain, prices)[1, ]
n <- counts$tn + counts$fp + counts$fn + counts$tp

rows <- lapply(c(1, 2, 5, 10), function(alpha) {
  tuned <- fit(cost_fp = alpha, tune_threshold = TRUE)
  weighted <- fit(cost_fp = alpha)
  data.frame(
    alpha = alpha,
    plain_at_0.5 = (alpha * counts$fp + counts$fn) / n,
    plain_tuned = tuned$info$metrics$expected_cost[[1]],
    tuned_threshold = tuned$info$threshold,
    theory = alpha / (1 + alpha),
    cost_sensitive = weighted$info$metrics$expected_cost[[1]],
    auc_plain = counts$roc_auc,
    auc_cost_sensitive = weighted$info$metrics$roc_auc[[1]]
  )
})
cat("Expected cost per decision on the test part (lower is better):\n")
print(do.call(rbind, rows), digits = 3, row.names = FALSE)
