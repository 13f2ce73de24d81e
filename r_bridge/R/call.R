# Calling Python: one place that turns its errors into R conditions and its column dicts into
# data.frames.

# Call pyanalytics.interop.r_api.<fun>(...). A pyanalytics error (a DataError, ParameterError,
# BundleError, ...) becomes an R error of class `pa_<type>` (e.g. `pa_data_error`) and
# `pa_error` with the same one-line message in R's notation; any other Python error keeps
# reticulate's condition. Each DataWarning becomes an R warning of class `pa_data_warning`,
# one line in R's notation, instead of Python's text on stderr.
call_python <- function(fun, ...) {
  check_alive(list(...))
  api <- python_api()
  returned <- tryCatch(
    api$call_recording_data_warnings(fun, ...),
    python.builtin.Exception = function(error) {
      if (!inherits(error, "pyanalytics.errors.PyAnalyticsError")) stop(error)
      type <- sub(".*\\.", "", class(error)[[1]])
      message <- python_api()$r_notation(reticulate::py_last_error()$value)
      stop(pa_error(message, paste0("pa_", snake_case(type))))
    }
  )
  for (message in returned[[2]]) warning(pa_warning(message))
  returned[[1]]
}

# A model restored by readRDS() (or kept from an earlier session) has lost its Python object:
# say how to keep a model instead of failing on a null pointer.
check_alive <- function(arguments) {
  for (argument in arguments) {
    if (inherits(argument, "python.builtin.object") && reticulate::py_is_null_xptr(argument)) {
      stop(pa_error(paste(
        "model: its Python side is gone (a model restored by readRDS() or kept from another R session);",
        "save models with pa_save() and restore them with pa_load()."
      )))
    }
  }
}

# The settings a model's `...` takes (its Python class's parameters), asked of Python once.
model_settings <- function(model) {
  if (is.null(state$settings[[model]])) state$settings[[model]] <- unlist(call_python("model_settings", model))
  state$settings[[model]]
}

snake_case <- function(name) tolower(gsub("([a-z])([A-Z])", "\\1_\\2", name))

# A data.frame from a Python column dict: dates become Date (times stay POSIXct in UTC with
# `keep_times`), NaN becomes NA.
frame_from_columns <- function(columns, keep_times = FALSE) {
  columns <- lapply(columns, function(x) { # reticulate has converted the dict and its arrays
    dim(x) <- NULL
    if (inherits(x, "POSIXct")) return(if (keep_times) as.POSIXct(format(x, tz = "UTC", usetz = FALSE), tz = "UTC") else as.Date(x, tz = "UTC"))
    if (is.double(x)) x[is.nan(x)] <- NA
    x
  })
  as.data.frame(columns, check.names = FALSE, stringsAsFactors = FALSE)
}

# A metrics data.frame (one row per model) from Python's metrics columns.
metrics_frame <- function(columns) {
  structure(frame_from_columns(columns), class = c("pa_metrics", "data.frame"))
}
