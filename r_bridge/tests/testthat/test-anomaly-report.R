# Issue 12, point 7 (R): an anomaly detector's HTML report.

test_that("pa_report writes the anomaly page on labelled rows or the test part; a loaded detector needs rows", {
  skip_without_python()
  detector <- cardio_detector()
  file <- tempfile(fileext = ".html")
  expect_identical(pa_report(detector, cardio(), file = file), file)
  page <- paste(readLines(file, warn = FALSE), collapse = "\n")
  expect_match(page, "supervised_ceiling")
  expect_match(page, detector$info$model)
  on_test <- tempfile(fileext = ".html")
  expect_identical(pa_report(detector, file = on_test), on_test) # fitted in this session: its test part
  expect_false(identical(readLines(on_test, warn = FALSE), readLines(file, warn = FALSE)))
  bundle <- file.path(tempfile(), "detector")
  loaded <- pa_load(pa_save(detector, bundle))
  one_line(expect_error(pa_report(loaded, file = tempfile(fileext = ".html")), "newdata: a model loaded from a bundle keeps no rows",
                        class = "pa_parameter_error"))
})
