# The Python side is needed by most tests; without it they skip with the reason.
python_ready <- local({
  ready <- NULL
  function() {
    if (is.null(ready)) ready <<- tryCatch({ pyanalytics:::python_api(); TRUE }, error = function(e) conditionMessage(e))
    ready
  }
})

skip_without_python <- function() {
  ready <- python_ready()
  if (!isTRUE(ready)) skip(paste("Python side unavailable:", ready))
}

# Run Python code in a separate process with the package's Python (never in this process's
# embedded interpreter's place: the point is a second process). Returns its stdout.
run_python <- function(code) {
  script <- tempfile(fileext = ".py")
  on.exit(unlink(script))
  writeLines(code, script)
  output <- system2(reticulate::py_exe(), script, stdout = TRUE, stderr = TRUE)
  status <- attr(output, "status")
  if (!is.null(status) && status != 0) stop(paste(output, collapse = "\n"))
  output
}

# One small fitted model shared by the tests (training costs seconds).
market <- local({
  cached <- NULL
  function() {
    if (is.null(cached)) cached <<- pa_synthetic_prices(900, signal_strength = 2, seed = 3)
    cached
  }
})

small_model <- local({
  cached <- NULL
  function() {
    if (is.null(cached)) cached <<- pa_fit(market(), epochs = 3, seed = 7)
    cached
  }
})
