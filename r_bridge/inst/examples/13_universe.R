#!/usr/bin/env Rscript
# Course example 13 in R: does the DNN work across the market, not just on Apple? A universe walk-forward.
#
# 20 tickers of the shared universe (real Yahoo exports: reverse splits, Open = 0 rows, short
# histories), given as a vector of files: each is cut into 3 walk-forward folds and a DNN is
# retrained per fold, each (ticker, fold) fit a task of a local pool of processes (one per core,
# one TensorFlow thread each). A file that cannot be read is set aside with its reason. Beside the
# one model per ticker, one DNN is pooled across the tickers (features standardised across them
# each day) and trades a daily long-short portfolio of its ranks against the equal-weight
# buy-and-hold. With 20 strategies tried, some look significant by luck: the discoveries are
# counted after the Benjamini-Hochberg correction, and the best strategy's Sharpe ratio is deflated
# for the number tried. With ggplot2, the distribution of AUC and Sharpe is drawn to PLOT.png.
#
# Run:  Rscript 13_universe.R [EPOCHS] [PLOT.png]   (default 20 epochs; takes minutes)
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
epochs <- if (length(args) >= 1) suppressWarnings(as.integer(args[[1]])) else 20L
if (is.na(epochs) || epochs < 1) stop("EPOCHS: expected a whole number such as 20, got ", args[[1]], call. = FALSE)
plot_file <- if (length(args) >= 2) args[[2]] else "universe_distribution.png"

universe <- file.path(dirname(dirname(pa_price_file("aapl"))), "universe")
files <- utils::head(sort(list.files(universe, pattern = "\\.csv$", full.names = TRUE)), 20)

result <- pa_walk_forward(files, model = "dnn", folds = 3, epochs = epochs, seed = 0, engine = "local")
print(result)

cat("\nPer ticker, by p-value (p adjusted: Benjamini-Hochberg over the tickers):\n")
print(result$significance, digits = 3, row.names = FALSE)

pooled <- result$cross_section
if (!is.null(pooled)) {
  edge <- pooled$summary$auc_edge
  cat(sprintf("\nCross-section: %d tickers pooled; ROC AUC per fold %.3f, %+.3f over its best baseline (%s): %s\n",
              pooled$summary$n_tickers, edge$model_auc, edge$edge, edge$baseline, edge$judgement))
}

if (requireNamespace("ggplot2", quietly = TRUE)) {
  ggplot2::ggsave(plot_file, ggplot2::autoplot(result, type = "distribution"), width = 10, height = 5, dpi = 100)
  cat(sprintf("\nDistribution of AUC and Sharpe across the tickers drawn to %s\n", plot_file))
}
