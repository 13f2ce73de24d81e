# A model crosses between R and Python as a bundle and predicts the same on both sides. Python
# runs in a separate process, as it would for a colleague who loads the bundle.

market_python <- "synthetic_market(900, signal_strength=2.0, seed=3)"

test_that("a model fitted and saved from R predicts identically when Python loads it", {
  skip_without_python()
  model <- small_model()
  bundle <- file.path(tempfile(), "r-bundle")
  expect_identical(pa_save(model, bundle), bundle)
  predictions <- tempfile(fileext = ".csv")
  run_python(sprintf(
    "from pyanalytics.bundle import load_bundle\nfrom pyanalytics.finance import synthetic_market\n%s",
    sprintf("load_bundle(%s).predict(%s).to_csv(%s, index=False, float_format='%%.17g')",
            deparse(bundle), market_python, deparse(predictions))
  ))
  in_python <- utils::read.csv(predictions)
  in_r <- predict(model, market())
  expect_identical(as.character(in_r$date), in_python$date)
  expect_lte(max(abs(in_r$prob_up - in_python$prob_up)), 1e-6)
  expect_identical(in_r$signal, in_python$signal)
  expect_equal(predict(pa_load(bundle), market()), in_r)
})

test_that("a bundle saved from Python loads in R and predicts as in Python; the same seed gives the same metrics", {
  skip_without_python()
  folder <- tempfile()
  run_python(sprintf(paste(
    "import json, pathlib",
    "from pyanalytics.finance import synthetic_market",
    "from pyanalytics.finance.training import train_direction_model",
    "folder = pathlib.Path(%s)",
    "prices = %s",
    "result = train_direction_model(prices, seed=7, model_params={'epochs': 3})",
    "result.save(folder / 'bundle')",
    "result.estimator.predict_proba(result.dataset.X.to_numpy())",
    "from pyanalytics.bundle import Bundle",
    "Bundle.from_result(result).predict(prices).to_csv(folder / 'predictions.csv', index=False, float_format='%%.17g')",
    "(folder / 'metrics.json').write_text(json.dumps(result.metrics))",
    sep = "\n"), deparse(folder), market_python))
  model <- pa_load(file.path(folder, "bundle"))
  expect_output(print(model), "bundle: ")
  in_python <- utils::read.csv(file.path(folder, "predictions.csv"))
  in_r <- predict(model, market())
  expect_lte(max(abs(in_r$prob_up - in_python$prob_up)), 1e-6)
  python_metrics <- jsonlite::fromJSON(file.path(folder, "metrics.json"))
  r_metrics <- as.data.frame(small_model())
  for (name in names(python_metrics)) {
    row <- r_metrics[r_metrics$model == name, ]
    for (metric in c("accuracy", "roc_auc", "brier", "expected_cost")) {
      expect_equal(row[[metric]], python_metrics[[name]][[metric]], tolerance = 1e-9, label = paste(name, metric))
    }
  }
})
