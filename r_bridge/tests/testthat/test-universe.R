# Issue 14 point 6 from R: pa_walk_forward on a universe of files, its tables and plots.

test_that("a folder runs as a universe: the bad file set aside with its reason, tables per ticker", {
  skip_without_python()
  result <- universe_run()
  expect_s3_class(result, "pa_walk_forward_list")
  expect_identical(result$summary$ticker, c("AAA", "BBB", "CCC"))
  expect_identical(result$skipped$ticker, "ZERO")
  expect_match(result$skipped$reason, "column 'open', row 11 .*not positive")
  expect_identical(names(result$significance), c("ticker", "sharpe", "sharpe_t", "excess_t", "n_days", "p_value",
                                                 "p_adjusted", "discovery", "p_excess", "p_excess_adjusted",
                                                 "beats_holding"))
  expect_setequal(result$significance$ticker, result$summary$ticker)
  expect_type(result$significance$discovery, "logical")
  expect_true(all(result$significance$p_adjusted >= result$significance$p_value))
  expect_identical(result$distribution$statistic, c("model_auc", "auc_edge", "strategy_sharpe", "buy_and_hold_sharpe"))
  expect_identical(result$distribution$count, rep(3, 4))
  expect_equal(result$distribution$mean[[1]], mean(result$summary$model_auc))
  expect_identical(result$deflated_sharpe$n_trials, 4L) # three tickers and the cross-section
  pooled <- result$cross_section
  expect_s3_class(pooled$daily, "data.frame")
  expect_s3_class(pooled$daily$date, "Date")
  expect_s3_class(pooled$folds$test_start, "Date")
  expect_equal(utils::tail(pooled$daily$equity, 1) - 1, pooled$summary$strategy$total_return)
  expect_identical(result$run[c("engine", "computed", "stored", "failed")],
                   list(engine = "serial", computed = 8L, stored = 0L, failed = 0L))
  expect_type(result$run$peak_memory, "double")
  expect_identical(as.data.frame(result), result$summary)
  printed <- capture.output(print(result))
  expect_match(printed[[1]], "<pa_walk_forward_list> 3 tickers run, 1 set aside \\(8 fits on serial")
  expect_match(printed, "set aside ZERO: ", all = FALSE)
  expect_match(printed, "discoveries at a 5% false discovery rate \\(Benjamini-Hochberg\\): [0-3] of 3", all = FALSE)
  expect_match(printed, "cross-section (one pooled dnn, long top / short bottom 50% daily)", fixed = TRUE, all = FALSE)
  skip_if_not_installed("generics")
  expect_identical(generics::glance(result), result$summary)
  expect_identical(unique(generics::tidy(result)$ticker), result$summary$ticker)
})

test_that("a vector of files gives the folder's tickers, and its fits come from the store", {
  skip_without_python()
  folder <- universe_run() # fills the store
  files <- file.path(universe_folder(), c("AAA.csv", "BBB.csv", "CCC.csv"))
  listed <- universe_walk_forward(files, engine = "serial", cross_section = FALSE, store = universe_store())
  expect_identical(listed$summary$ticker, folder$summary$ticker)
  expect_identical(listed$summary$model_auc, folder$summary$model_auc)
  expect_identical(c(listed$run$computed, listed$run$stored), c(0L, 6L))
  expect_identical(nrow(listed$skipped), 0L)
  expect_null(listed$cross_section)
  expect_output(print(listed), "<pa_walk_forward_list> 3 tickers run, 0 set aside")
})

test_that("strict stops at the bad file, and engine settings are checked before anything runs", {
  skip_without_python()
  folder <- universe_folder()
  expect_error(universe_walk_forward(folder, engine = "serial", strict = TRUE), "^ZERO: ", class = "pa_data_error")
  expect_error(universe_walk_forward(folder, engine = "spark"),
               "engine: expected one of \"local\", \"dask\", \"serial\" or a Dask scheduler address", class = "pa_parameter_error")
  expect_error(universe_walk_forward(folder, workers = 0), "workers: expected an integer >= 1, got 0", class = "pa_parameter_error")
  expect_error(universe_walk_forward(folder, strict = NA), "strict: expected TRUE or FALSE", class = "pa_parameter_error")
  expect_error(universe_walk_forward(c(folder, NA)), "prices: expected CSV files, a folder or a glob", class = "pa_parameter_error")
  expect_error(universe_walk_forward(file.path(folder, "*.parquet"), engine = "serial"), "matches no file",
               class = "pa_data_error")
})

test_that("a universe plots its equity, distributions, p-values and cross-section", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  result <- universe_run()
  for (type in c("equity", "distribution", "significance", "cross_section")) {
    expect_s3_class(ggplot2::autoplot(result, type = type), "ggplot")
    expect_true(file.size(draw_png(function() plot(result, type = type))) > 0)
  }
  expect_identical(ggplot2::autoplot(result)$labels$y, "growth of 1 (log scale)") # three tickers: the equity panels
  distribution <- ggplot2::autoplot(result, type = "distribution")
  expect_identical(levels(ggplot2::ggplot_build(distribution)$layout$layout$measure),
                   c("mean ROC AUC per fold", "strategy Sharpe ratio (annual)"))
  file <- tempfile(fileext = ".png")
  ggplot2::ggsave(file, ggplot2::autoplot(result, type = "significance"), width = 7, height = 4, dpi = 72)
  expect_gt(file.size(file), 1000)
  listed <- universe_walk_forward(file.path(universe_folder(), c("AAA.csv", "BBB.csv", "CCC.csv")), engine = "serial",
                                  cross_section = FALSE, store = universe_store())
  expect_error(ggplot2::autoplot(listed, type = "cross_section"), "type: expected a plot of this result: it has no cross-section",
               class = "pa_parameter_error")
})

test_that("the local engine runs from R in spawned workers and gives the serial run's results", {
  skip_without_python()
  files <- file.path(universe_folder(), c("AAA.csv", "BBB.csv"))
  local <- universe_walk_forward(files, engine = "local", workers = 2)
  expect_identical(local$run$engine, "local")
  expect_identical(c(local$run$computed, local$run$workers), c(4L, 2L))
  expect_length(local$run$peak_memory, 2L) # two worker processes, not this R session
  serial <- universe_run()
  expect_identical(local$summary$model_auc, serial$summary$model_auc[1:2])
  expect_identical(local$results$AAA$predictions$prob_up, serial$results$AAA$predictions$prob_up)
})
