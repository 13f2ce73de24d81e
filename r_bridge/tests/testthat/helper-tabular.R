# A file of a part (tabular/, anomaly/) of the shared data folder; the test skips when it is absent.
shared_data_file <- function(part, name) {
  prices <- tryCatch(pa_price_file("aapl"), pa_error = function(e) "")
  path <- if (nzchar(prices)) file.path(dirname(dirname(prices)), part, name) else ""
  if (!file.exists(path)) skip("the shared data folder is absent (set PYANALYTICS_DATA_DIR)")
  path
}

tabular_file <- function(name) shared_data_file("tabular", name)

# Titanic as read.csv reads it, with Sex, Embarked and Pclass as factors (NA in Age and Embarked).
titanic <- function() {
  frame <- utils::read.csv(tabular_file("titanic_train.csv"), na.strings = c("NA", ""))
  frame$Survived <- factor(frame$Survived, levels = c(0, 1), labels = c("died", "survived"))
  frame$Sex <- factor(frame$Sex)
  frame$Embarked <- factor(frame$Embarked)
  frame$Pclass <- factor(frame$Pclass)
  frame
}

# One small Titanic model shared by the tests (training costs seconds).
titanic_model <- local({
  cached <- NULL
  function() {
    if (is.null(cached)) cached <<- pa_fit(Survived ~ Pclass + Sex + Age + Fare + Embarked, data = titanic(),
                                           epochs = 5, seed = 1, hidden_units = c(16, 8))
    cached
  }
})

# An error's message is one line.
one_line <- function(error) expect_false(grepl("\n", conditionMessage(error)))
