# Issue 11 (what it must show): a tabular model with categorical and missing values crosses
# between R and Python as a bundle and predicts identically on both sides. Python runs in a
# separate process, as it would for a colleague who loads the bundle.

# Rows with a factor, a logical, text and missing values in each, written to a CSV that Python
# reads back with the same kinds (categories as text, logicals as True/False).
mixed_rows <- function() {
  set.seed(11)
  n <- 240
  colour <- factor(sample(c("red", "green", "blue"), n, TRUE), levels = c("red", "green", "blue"))
  size <- round(rnorm(n, 10, 3), 3)
  member <- sample(c(TRUE, FALSE), n, TRUE)
  town <- sample(c("north", "south"), n, TRUE)
  y <- factor(ifelse(size / 10 + (colour == "red") + member + rnorm(n, 0, 0.5) > 1.8, "yes", "no"), c("no", "yes"))
  size[c(3, 50, 90)] <- NA
  colour[c(4, 60)] <- NA
  member[c(5, 70)] <- NA
  town[c(6, 80)] <- NA
  data.frame(colour, size, member, town, y, stringsAsFactors = FALSE)
}

# The rows as Python reads them: the CSV with pandas, the factor a Categorical of its levels.
python_rows <- function(csv) {
  paste(sep = "\n",
        "import pandas as pd",
        sprintf("rows = pd.read_csv(%s, keep_default_na=False, na_values=['NA'])", deparse(csv)),
        "rows['colour'] = pd.Categorical(rows['colour'], categories=['red', 'green', 'blue'])",
        "rows['member'] = rows['member'].astype('boolean')")
}

test_that("a tabular model with categories and missing values saved in R predicts identically in Python", {
  skip_without_python()
  rows <- mixed_rows()
  model <- pa_fit(y ~ ., data = rows, epochs = 3, seed = 2, hidden_units = 8)
  bundle <- file.path(tempfile(), "r-tabular")
  expect_identical(pa_save(model, bundle), bundle)
  csv <- tempfile(fileext = ".csv")
  utils::write.csv(rows, csv, row.names = FALSE)
  predictions <- tempfile(fileext = ".csv")
  run_python(paste(sep = "\n", python_rows(csv),
                   "from pyanalytics.bundle import load_bundle",
                   sprintf("load_bundle(%s).predict(rows).to_csv(%s, index=False, float_format='%%.17g')",
                           deparse(bundle), deparse(predictions))))
  in_python <- utils::read.csv(predictions)
  in_r <- predict(model, rows, type = "prob")
  expect_lte(max(abs(in_r$yes - in_python$prob_yes)), 1e-6)
  expect_identical(as.character(predict(model, rows)), in_python$class)
  loaded <- pa_load(bundle)
  expect_s3_class(loaded, "pa_tabular_model")
  expect_identical(predict(loaded, rows, type = "prob"), in_r)
  expect_identical(loaded$info$metrics, model$info$metrics)
})

test_that("a tabular bundle saved from Python loads in R and predicts as in Python", {
  skip_without_python()
  rows <- mixed_rows()
  folder <- tempfile()
  dir.create(folder)
  csv <- file.path(folder, "rows.csv")
  utils::write.csv(rows, csv, row.names = FALSE)
  run_python(paste(sep = "\n", python_rows(csv),
                   "rows['y'] = pd.Categorical(rows['y'], categories=['no', 'yes'])",
                   "from pyanalytics.tabular import train_tabular",
                   "result = train_tabular(rows, 'y', epochs=3, seed=2, hidden_units=(8,))",
                   sprintf("result.save(%s)", deparse(file.path(folder, "bundle"))),
                   "from pyanalytics.bundle import load_bundle",
                   sprintf("load_bundle(%s).predict(rows).to_csv(%s, index=False, float_format='%%.17g')",
                           deparse(file.path(folder, "bundle")), deparse(file.path(folder, "predictions.csv")))))
  model <- pa_load(file.path(folder, "bundle"))
  expect_s3_class(model, c("pa_tabular_model", "pa_model"), exact = TRUE)
  expect_output(print(model), "bundle: ")
  in_python <- utils::read.csv(file.path(folder, "predictions.csv"))
  expect_lte(max(abs(predict(model, rows, type = "prob")$yes - in_python$prob_yes)), 1e-6)
  expect_identical(as.character(predict(model, rows)), in_python$class)
})
