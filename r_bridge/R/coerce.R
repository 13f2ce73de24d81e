# Every argument that crosses to Python is checked and converted here, with messages in the
# Python side's words ("name: expected ..., got ..."). R numbers are doubles: where Python
# means an integer it gets an R integer; row numbers stay 1-based on the R side.

pa_error <- function(message, class = "pa_parameter_error") {
  structure(
    class = c(class, "pa_error", "error", "condition"),
    list(message = message, call = NULL)
  )
}

stop_argument <- function(name, expected, got) {
  shown <- if (is.null(got)) "NULL" else paste(utils::head(deparse(got), 1L), collapse = "")
  stop(pa_error(sprintf("%s: expected %s, got %s.", name, expected, shown)))
}

# The caller's named arguments, each spelt exactly as one of its arguments or as one of the
# `settings` its `...` takes; call it first thing (an S3 method's messages name its generic). R
# would otherwise bind `price =` to `prices` by partial matching, and pass a misspelt setting on
# to fail in Python.
check_argument_names <- function(settings = character()) {
  call <- sys.call(-1L)
  written <- names(call)[-1L]
  arguments <- setdiff(names(formals(sys.function(-1L))), "...")
  unknown <- setdiff(written[nzchar(written)], c(arguments, settings))
  if (!length(unknown)) return(invisible())
  fun <- get0(".Generic", parent.frame(), inherits = FALSE) %||% deparse(call[[1L]])[[1L]]
  name <- unknown[[1L]]
  known <- c(arguments, settings)
  distance <- drop(utils::adist(name, known))
  near <- known[distance == min(distance) & (distance <= 2L | startsWith(known, name))]
  stop(pa_error(sprintf(
    "%s: not an argument%s of %s();%s arguments: %s%s.", name, if (length(settings)) " or setting" else "",
    fun, if (length(near)) sprintf(" did you mean %s?", near[[1L]]) else "",
    paste(arguments, collapse = ", "),
    if (length(settings)) paste0("; settings: ", paste(sort(settings), collapse = ", ")) else ""
  )))
}

as_py_integer <- function(x, name, minimum = 0L, null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x != trunc(x) || x < minimum) {
    stop_argument(name, sprintf("an integer >= %d", minimum), x)
  }
  as.integer(x)
}

as_py_number <- function(x, name, null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (!is.numeric(x) || length(x) != 1L || is.na(x)) stop_argument(name, "a number", x)
  as.double(x)
}

as_py_flag <- function(x, name) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) stop_argument(name, "TRUE or FALSE", x)
  x
}

as_py_string <- function(x, name, choices = NULL, null_ok = FALSE) {
  if (is.null(x) && null_ok) return(NULL)
  if (!is.character(x) || length(x) != 1L || is.na(x) || !nzchar(x)) stop_argument(name, "a string", x)
  if (!is.null(choices) && !x %in% choices) {
    stop_argument(name, paste0("one of ", paste0('"', choices, '"', collapse = ", ")), x)
  }
  x
}

# Names of the user's own price columns for Python (which matches them in any case, as
# as_py_prices() lower-cases a data.frame's names); a list, so that one name stays a list of one.
as_py_column_names <- function(x, name) {
  if (is.null(x)) return(list())
  if (!is.character(x) || anyNA(x) || !all(nzchar(x))) stop_argument(name, "a character vector of column names", x)
  as.list(x)
}

# One of `choices`; the default (the whole vector, as for match.arg()) is the first.
as_py_choice <- function(x, name, choices) {
  if (identical(x, choices)) return(choices[[1L]])
  as_py_string(x, name, choices)
}

as_py_path <- function(x, name) path.expand(as_py_string(x, name))

as_py_date <- function(x, name, null_ok = TRUE) {
  if (is.null(x) && null_ok) return(NULL)
  dates <- tryCatch(as.Date(x), error = function(e) NA)
  if (length(dates) == 0L || anyNA(dates)) stop_argument(name, "dates such as \"2020-01-31\"", x)
  format(dates, "%Y-%m-%d")
}

# Rows of a data.frame chosen by 1-based row numbers, checked against its length.
as_row_numbers <- function(x, name, n) {
  if (!is.numeric(x) || !length(x) || anyNA(x) || any(x != trunc(x)) || any(x < 1 | x > n)) {
    stop_argument(name, sprintf("row numbers between 1 and %d", n), x)
  }
  as.integer(x)
}

# Prices for Python: a CSV path stays a path; a data.frame (or xts) becomes a frame whose dates
# are ISO strings, so Python parses and checks them like a CSV's, naming the row of a bad one.
as_py_prices <- function(x, name) {
  if (is.character(x)) return(as_py_path(x, name))
  if (inherits(x, "xts") || inherits(x, "zoo")) x <- zoo_to_frame(x)
  if (!is.data.frame(x)) stop_argument(name, "a data.frame, an xts object or a CSV path", class(x)[[1]])
  names(x) <- tolower(names(x))
  if (!"date" %in% names(x) && !identical(rownames(x), as.character(seq_len(nrow(x))))) {
    x <- cbind(date = rownames(x), x, stringsAsFactors = FALSE) # quantmod-style dates as row names
  }
  for (column in names(x)) {
    if (inherits(x[[column]], c("Date", "POSIXt"))) x[[column]] <- format(x[[column]], "%Y-%m-%d")
  }
  rownames(x) <- NULL
  python_api() # picks the project's Python before reticulate would start another
  reticulate::r_to_py(x)
}

# The name of prices for people: a CSV's file name, else the variable the caller passed (`expr`,
# from substitute()), else NULL.
prices_name <- function(x, expr) {
  if (is.character(x)) return(basename(x))
  if (is.name(expr)) deparse(expr)
}

# The column names stay as they are: Python maps AAPL.Close, BRK.B.Close, AAPL.Adjusted and
# Adj.Close as it maps a CSV's headers.
zoo_to_frame <- function(x) {
  cbind(date = as.Date(zoo::index(x)), as.data.frame(zoo::coredata(x)))
}

# Whole numbers >= `minimum` for Python, as a list (one value stays a list of one).
as_py_integers <- function(x, name, minimum = 0L) {
  if (!is.numeric(x) || !length(x)) stop_argument(name, sprintf("integers >= %d", minimum), x)
  lapply(seq_along(x), function(i) as_py_integer(x[[i]], sprintf("%s[%d]", name, i), minimum))
}
