# The cardio anomaly benchmark (21 numeric features x1..x21, a 0/1 `label`) as read.csv reads it.
cardio <- function() utils::read.csv(shared_data_file("anomaly", "cardio.csv"))

# One small labelled detector shared by the tests (training costs seconds).
cardio_detector <- local({
  cached <- NULL
  function() {
    if (is.null(cached)) cached <<- pa_anomaly(label ~ ., data = cardio(), epochs = 5, hidden_units = 16, code_size = 4, seed = 1)
    cached
  }
})
