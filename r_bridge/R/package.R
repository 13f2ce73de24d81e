#' pyanalytics: stock-direction deep learning from R
#'
#' Fit, evaluate, explain and save the models of the Python package `pyanalytics` from R.
#' Python is not started by `library(pyanalytics)`; it starts on the first call that needs it.
#'
#' The Python used is, in this order: the environment variable `PYANALYTICS_PYTHON`, then
#' `RETICULATE_PYTHON`, then the project virtual environment this package was installed into
#' by `make` (`.venv/bin/python` beside the `R-library` folder), then a `.venv` in the working
#' directory or one of its parents.
#'
#' @keywords internal
"_PACKAGE"

# Python is imported on first use, not by library(): loading reticulate alone takes longer than
# the whole package should. (reticulate's delay_load would load reticulate here, and it picks
# its Python before calling a before_load hook, where it mistakes the project's pyproject.toml
# for a Poetry project; choosing the Python ourselves first avoids both.)
state <- new.env(parent = emptyenv())

.onLoad <- function(libname, pkgname) {
  state$libname <- libname
}

python_api <- function() {
  if (is.null(state$api)) {
    python <- project_python(state$libname)
    state$api <- tryCatch(
      {
        if (!is.null(python)) reticulate::use_python(python, required = TRUE)
        reticulate::import("pyanalytics.interop.r_api")
      },
      error = setup_error
    )
  }
  state$api
}

# The model names and defaults, as Python declares them once (pyanalytics.defaults): R never
# spells its own copy.
python_defaults <- function() {
  if (is.null(state$defaults)) state$defaults <- call_python("defaults")
  state$defaults
}

project_python <- function(libname) {
  chosen <- Sys.getenv("PYANALYTICS_PYTHON")
  if (nzchar(chosen)) return(chosen)
  if (nzchar(Sys.getenv("RETICULATE_PYTHON"))) return(NULL) # reticulate's own choice
  candidates <- file.path(dirname(libname), "bin", "python")
  folder <- normalizePath(getwd(), mustWork = FALSE)
  repeat {
    candidates <- c(candidates, file.path(folder, ".venv", "bin", "python"))
    parent <- dirname(folder)
    if (parent == folder) break
    folder <- parent
  }
  found <- candidates[file.exists(candidates)]
  if (length(found)) found[[1]] else NULL
}

setup_error <- function(error) {
  stop(paste0(
    "pyanalytics could not start its Python side (", conditionMessage(error), "). ",
    "Run `make test` in the pyanalytics project to create its .venv, or point ",
    "PYANALYTICS_PYTHON at a Python that has pyanalytics installed ",
    "(pip install -e /path/to/pyanalytics)."
  ), call. = FALSE)
}
