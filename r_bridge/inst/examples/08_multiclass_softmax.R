#!/usr/bin/env Rscript
# Course example 8 in R: a softmax network for three classes.
#
# R's built-in iris (150 flowers, three species, four measurements) stands in for the Python
# script's scikit-learn wine data: it ships with R, so the example needs no file and no
# Python-side download, and it is the multi-class data set R users know. `Species ~ .` with a
# factor response is a multiclass task: one softmax unit per level, in the factor's level
# order. The test part's accuracy, macro-F1 and log-loss stand beside the majority class and a
# multinomial logistic regression.
#
# Run:  Rscript 08_multiclass_softmax.R [OUTPUT_FOLDER]   (outputs in ./08_softmax_output)
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[[1]] else "08_softmax_output"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

model <- pa_fit(Species ~ ., data = iris, hidden_units = c(16, 8), seed = 1)
print(model)

grDevices::pdf(file.path(out, "08_training_history.pdf"))
plot(model)
invisible(grDevices::dev.off())

cat("\nClass probabilities of one flower of each species:\n")
flowers <- iris[c(1, 51, 101), ]
print(cbind(species = flowers$Species, round(predict(model, flowers, type = "prob"), 3),
            predicted = predict(model, flowers)))
