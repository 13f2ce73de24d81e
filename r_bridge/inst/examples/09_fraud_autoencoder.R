#!/usr/bin/env Rscript
# Course example 9 in R: fraud detection with four autoencoders beside IsolationForest, PCA and a
# supervised ceiling.
#
# Each autoencoder (undercomplete, sparse, denoising, variational) learns to rebuild the normal
# transactions of the training part; a row it rebuilds badly is flagged at the threshold its
# validation rows chose. All four use the same split (by Time for the credit-card data, seeded and
# stratified for the anomaly sets), so the baselines are the same models in every run: they are
# printed once, the supervised logistic regression marked as the ceiling that saw the labels.
#
# Run:  Rscript 09_fraud_autoencoder.R [creditcard|cardio|mammography|thyroid] [EPOCHS]
#       (default: creditcard, each autoencoder's own epochs)
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
name <- if (length(args) >= 1) args[[1]] else "creditcard"
epochs <- if (length(args) >= 2) list(epochs = as.integer(args[[2]])) else list()
shared <- function(...) file.path(dirname(dirname(pa_price_file("aapl"))), ...)
datasets <- list(
  creditcard = list(file = shared("tabular", "creditcard_fraud_enriched.csv"), formula = Class ~ .,
                    time_column = "Time", amount_column = "Amount"),
  cardio = list(file = shared("anomaly", "cardio.csv"), formula = label ~ .),
  mammography = list(file = shared("anomaly", "mammography.csv"), formula = label ~ .),
  thyroid = list(file = shared("anomaly", "thyroid.csv"), formula = label ~ .)
)
if (!name %in% names(datasets)) stop(sprintf("DATA: expected one of %s, got '%s'.", paste(names(datasets), collapse = ", "), name))
setup <- datasets[[name]]
rows <- utils::read.csv(setup$file)
cat(sprintf("%s: %d rows, %d anomalies\n", basename(setup$file), nrow(rows), sum(rows[[all.vars(setup$formula)[1]]])))

detectors <- lapply(c("autoencoder", "sparse", "denoising", "variational"), function(kind) {
  do.call(pa_anomaly, c(list(setup$formula, data = rows, time_column = setup$time_column,
                             amount_column = setup$amount_column, model = kind, seed = 0), epochs))
})
first <- summary(detectors[[1]])
cat(sprintf("split: %s\n%s\n\n", paste(names(first$parts), unlist(first$parts), "rows", collapse = ", "),
            paste(first$notes, collapse = "\n")))

metrics_of <- function(detector) summary(detector)$metrics
autoencoders <- do.call(rbind, lapply(detectors, function(d) utils::head(metrics_of(d), 1L)))
baselines <- metrics_of(detectors[[1]])[-1L, ]
baselines$model[baselines$model == "supervised_ceiling"] <- "supervised_ceiling (saw the labels)"
table <- data.frame(rbind(autoencoders, baselines)[, c("model", "roc_auc", "pr_auc", "precision", "recall")])
names(table) <- c("model", "ROC AUC", "PR AUC", "precision@thr", "recall@thr")
table[-1L] <- lapply(table[-1L], round, 3L)
cat("Test part; thresholds chosen on validation (recall 0.8):\n")
print(table, row.names = FALSE)
cat("\n")
for (detector in detectors) cat(summary(detector)$verdict$sentence, "\n", sep = "")
