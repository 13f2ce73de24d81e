#!/usr/bin/env Rscript
# Course example 7 in R: Titanic survival with a classification network.
#
# `Survived ~ Pclass + Sex + Age + SibSp + Parch + Fare + Embarked` on read.csv's data.frame,
# with Survived, Pclass, Sex and Embarked as factors: categories cross to Python as categories,
# missing ages and ports as missing (imputed from the training part, with an indicator). The
# course's "improved" Sequential model: two layers of 100 units, each with BatchNormalization
# and Dropout, a sigmoid output. The test part's accuracy, ROC AUC and PR AUC stand beside the
# majority class and a logistic regression.
#
# Run:  Rscript 07_classification_titanic.R [titanic_train.csv] [OUTPUT_FOLDER]
#       (default: the shared data folder's tabular/titanic_train.csv; outputs in ./07_titanic_output)
library(pyanalytics)
options(width = 120)

args <- commandArgs(trailingOnly = TRUE)
shared <- function(name) file.path(dirname(dirname(pa_price_file("aapl"))), "tabular", name)
source_file <- if (length(args) >= 1 && nzchar(args[[1]])) args[[1]] else shared("titanic_train.csv")
out <- if (length(args) >= 2) args[[2]] else "07_titanic_output"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

titanic <- utils::read.csv(source_file, na.strings = c("NA", ""))
titanic$Survived <- factor(titanic$Survived, levels = c(0, 1), labels = c("died", "survived"))
for (column in c("Pclass", "Sex", "Embarked")) titanic[[column]] <- factor(titanic[[column]])
cat(sprintf("%s: %d passengers, %d without an age\n\n", basename(source_file), nrow(titanic), sum(is.na(titanic$Age))))

model <- pa_fit(Survived ~ Pclass + Sex + Age + SibSp + Parch + Fare + Embarked, data = titanic,
                hidden_units = c(100, 100), batch_norm = TRUE, dropout = 0.2, seed = 1)
print(model)

grDevices::pdf(file.path(out, "07_training_history.pdf"))
plot(model)
invisible(grDevices::dev.off())

cat("\nTwo passengers the model has not seen:\n")
passengers <- data.frame(Pclass = factor(c(1, 3), levels = levels(titanic$Pclass)), Sex = c("female", "male"),
                         Age = c(29, NA), SibSp = 0, Parch = 0, Fare = c(80, 8), Embarked = c("C", "S"))
print(cbind(passengers, predict(model, passengers, type = "prob"), class = predict(model, passengers)))
