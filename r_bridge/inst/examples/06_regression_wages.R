#!/usr/bin/env Rscript
# Course example 6 in R: a regression network on hourly wages.
#
# `wage_per_hour ~ .`: every other column is a feature. The course's Sequential stack (10 and 5
# units, then one linear output) learns the mean squared error; the test part's MSE, RMSE, MAE
# and R² stand beside two naive baselines, the training mean and a linear (ridge) regression,
# with Python's verdict on whether the network beats them.
#
# Run:  Rscript 06_regression_wages.R [hourly_wages.csv] [OUTPUT_FOLDER]
#       (default: the shared data folder's tabular/hourly_wages.csv; outputs in ./06_wages_output)
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
shared <- function(name) file.path(dirname(dirname(pa_price_file("aapl"))), "tabular", name)
source_file <- if (length(args) >= 1 && nzchar(args[[1]])) args[[1]] else shared("hourly_wages.csv")
out <- if (length(args) >= 2) args[[2]] else "06_wages_output"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

wages <- utils::read.csv(source_file)
cat(sprintf("%s: %d workers, %d columns\n\n", basename(source_file), nrow(wages), ncol(wages)))

model <- pa_fit(wage_per_hour ~ ., data = wages, hidden_units = c(10, 5), seed = 1)
print(model)

grDevices::pdf(file.path(out, "06_training_history.pdf"))
plot(model)
invisible(grDevices::dev.off())

cat("\nPredicted against actual wages of the first six workers:\n")
print(data.frame(actual = head(wages$wage_per_hour), predicted = round(predict(model, head(wages)), 2)))

bundle <- pa_save(model, file.path(out, "wages-bundle"))
cat(sprintf("\nSaved to %s; Python loads it with pyanalytics.bundle.load_bundle.\n", bundle))
