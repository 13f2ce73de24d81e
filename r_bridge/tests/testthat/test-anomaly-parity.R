# Issue 12 (what it must show): bundles saved from Python and R predict identical scores in the
# other language. Python runs in a separate process, as it would for a colleague who loads the
# bundle; scores cross as CSV text with 17 significant digits, which a double survives exactly.

python_scores <- function(bundle, csv, out) {
  paste(sep = "\n",
        "import pandas as pd",
        "from pyanalytics.bundle import load_bundle",
        sprintf("rows = pd.read_csv(%s, float_precision='round_trip')", deparse(csv)),
        sprintf("load_bundle(%s).predict(rows).to_csv(%s, index=False, float_format='%%.17g')", deparse(bundle), deparse(out)))
}

test_that("a detector fitted and saved from R scores and flags identically when Python loads it", {
  skip_without_python()
  detector <- cardio_detector()
  bundle <- file.path(tempfile(), "r-anomaly")
  pa_save(detector, bundle)
  out <- tempfile(fileext = ".csv")
  run_python(python_scores(bundle, shared_data_file("anomaly", "cardio.csv"), out))
  in_python <- utils::read.csv(out)
  in_r <- predict(detector, cardio())
  expect_identical(in_r$score, in_python$score)
  expect_identical(in_r$flag, in_python$flag)
  expect_gt(sum(in_r$flag), 0L)
})

test_that("a variational detector saved from Python loads in R and scores identically to Python", {
  skip_without_python()
  folder <- tempfile()
  dir.create(folder)
  csv <- shared_data_file("anomaly", "cardio.csv")
  bundle <- file.path(folder, "bundle")
  out <- file.path(folder, "scores.csv")
  run_python(paste(sep = "\n",
                   "from pyanalytics.anomaly import train_anomaly",
                   sprintf("result = train_anomaly(%s, label='label', model='variational', epochs=3, hidden_units=(8,), code_size=3, seed=4)", deparse(csv)),
                   sprintf("result.save(%s)", deparse(bundle)),
                   python_scores(bundle, csv, out)))
  detector <- pa_load(bundle)
  expect_s3_class(detector, "pa_anomaly")
  expect_identical(detector$info$model, "variational")
  in_python <- utils::read.csv(out)
  in_r <- predict(detector, cardio())
  expect_identical(in_r$score, in_python$score)
  expect_identical(in_r$flag, in_python$flag)
})
