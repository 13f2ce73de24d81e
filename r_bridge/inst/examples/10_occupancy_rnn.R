#!/usr/bin/env Rscript
# Course example 10 in R: is a room occupied? An LSTM over the last half hour of sensor readings,
# beside the baselines that are honest for a minute-level series.
#
# UCI room occupancy: temperature, humidity, light, CO2 and the humidity ratio once a minute. The
# network reads the window of the last 30 minutes ending at each minute and says whether the room is
# occupied then. It is trained on the training file (split by time, with a purge gap) and tested on
# both test files beside the majority class, a logistic regression on the window's last minute, and
# persistence, the label of the minute before: for a minute-level sensor nearly all of the task is
# "the room stays as it was", and persistence is wrong only at the minutes where occupancy changes.
# The files' header is one name short of their rows (a row id first): read.csv takes that column
# as the row names.
#
# Run:  Rscript 10_occupancy_rnn.R [EPOCHS]   (default 20)
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
epochs <- if (length(args) >= 1) as.integer(args[[1]]) else 20L
shared <- function(...) file.path(dirname(dirname(pa_price_file("aapl"))), "timeseries", ...)
training <- utils::read.csv(shared("occupancy_datatraining.txt"))
tests <- list(occupancy_datatest = utils::read.csv(shared("occupancy_datatest.txt")),
              occupancy_datatest2 = utils::read.csv(shared("occupancy_datatest2.txt")))

model <- pa_sequence_classifier(training, "Occupancy", time_column = "date", window = 30, test_data = tests,
                                max_gap = "5min", epochs = epochs, seed = 0)
info <- summary(model)
cat(sprintf("lstm over 30-minute windows of %s; trained on %d windows, early stopping on %d (best epoch %d).\n",
            paste(info$features, collapse = ", "), info$parts$train, info$parts$validation, info$best_epoch))
for (note in info$notes) cat("note:", note, "\n")

for (metric in c("accuracy", "roc_auc")) {
  table <- t(vapply(info$test_sets, function(test) stats::setNames(test$metrics[[metric]], test$metrics$model),
                    numeric(4)))
  rownames(table) <- sprintf("%s (%d windows)", names(info$test_sets), vapply(info$test_sets, `[[`, 0L, "windows"))
  cat(sprintf("\nTest %s:\n", sub("_", " ", metric)))
  print(round(table, 3))
}

cat("\n")
for (name in names(tests)) {
  outcomes <- pa_outcomes(model, tests[[name]])
  switched <- which(outcomes$actual[-1] != outcomes$actual[-nrow(outcomes)]) + 1L
  metrics <- info$test_sets[[name]]$metrics
  network <- metrics$accuracy[metrics$model == "lstm"]
  persistence <- metrics$accuracy[metrics$model == "persistence"]
  cat(sprintf(paste0("%s: persistence (the label of the minute before) is right %.1f%% of the time, because a room rarely ",
                     "changes state from one minute to the next; the lstm (%.1f%%) %s it. At the %d minutes where occupancy ",
                     "changes, persistence is wrong by construction; the lstm gets %d of them right.\n"),
              name, 100 * persistence, 100 * network, if (network > persistence) "beats" else "does not beat",
              length(switched), sum(outcomes$predicted[switched] == outcomes$actual[switched])))
}
cat("Verdict on the first test file:", info$verdict$sentence, "\n")
bundle <- pa_save(model, file.path(tempdir(), "occupancy.bundle"))
report <- pa_report(model, file = file.path(tempdir(), "occupancy.html"))
cat(sprintf("\nBundle: %s (Python: load_bundle(...).predict(frame, last=True))\nReport: %s\n", bundle, report))
