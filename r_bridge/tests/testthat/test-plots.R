test_that("library(pyanalytics) loads neither ggplot2 nor generics", {
  code <- 'library(pyanalytics); cat(c("ggplot2", "generics", "broom") %in% loadedNamespaces())'
  loaded <- system2(file.path(R.home("bin"), "Rscript"), c("-e", shQuote(code)), stdout = TRUE)
  expect_identical(loaded, "FALSE FALSE FALSE")
})

test_that("plot() of a walk-forward on several tickers draws every ticker and the portfolio", {
  skip_without_python()
  several <- two_tickers()
  expect_s3_class(several$portfolio_daily$date, "Date")
  expect_identical(nrow(several$portfolio_daily), several$portfolio$strategy$n_days)
  expect_equal(utils::tail(several$portfolio_daily$equity, 1) - 1, several$portfolio$strategy$total_return)
  file <- draw_png(function() expect_invisible(plot(several)))
  expect_gt(file.size(file), 10000)
  draw_png(function() expect_invisible(plot(several$results$first, ticker = "renamed")))
})

test_that("base plots of explanations label the conditions and refuse several dates", {
  skip_without_python()
  lime <- pa_explain(small_model(), market(), method = "lime", n = 2, n_samples = 300)
  shap <- pa_explain(small_model(), market(), method = "shap", n = 1)
  draw_png(function() {
    expect_invisible(plot(lime, top = 5))
    expect_invisible(plot(shap))
    expect_error(plot(lime, case = unique(lime$case)), "case: expected one date", class = "pa_parameter_error")
  })
})

test_that("autoplot of a model: training history with the kept epoch, metrics beside the baselines", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  model <- small_model()
  history <- ggplot2::autoplot(model)
  expect_s3_class(history, "ggplot")
  lines <- ggplot2::layer_data(history, 1)
  expect_identical(length(unique(lines$group)), 2L) # training and validation loss
  expect_equal(nrow(lines), 2 * max(lines$x))
  expect_equal(ggplot2::layer_data(history, 2)$xintercept, model$info$best_epoch)
  expect_match(history$labels$title, "dnn training history")

  metrics <- ggplot2::autoplot(model, type = "metrics")
  bars <- ggplot2::layer_data(metrics, 1)
  expect_equal(sort(bars$x), sort(model$info$metrics$roc_auc))
  own <- bars$x == model$info$metrics$roc_auc[[1]]
  expect_identical(length(unique(bars$fill[own])), 1L)
  expect_false(bars$fill[own][[1]] %in% bars$fill[!own]) # the model stands out from its baselines
  expect_match(metrics$labels$title, "ROC AUC of dnn")
  expect_match(ggplot2::autoplot(model, type = "metrics", metric = "brier")$labels$x, "brier")
  expect_error(ggplot2::autoplot(model, type = "metrics", metric = "sharpe"), "metric: expected one of")
})

test_that("autoplot of LIME labels the bars with their conditions, the fit's R² and a supports/contradicts legend", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  lime <- pa_explain(small_model(), market(), method = "lime", n = 2, n_samples = 300)
  day <- max(lime$case)
  rows <- lime[lime$case == day, ]
  rows <- utils::head(rows[order(-abs(rows$feature_weight)), ], 4)
  plot <- ggplot2::autoplot(lime, top = 4)
  expect_s3_class(plot, "ggplot")
  expect_identical(axis_labels(plot, "y"), rev(rows$feature_desc)) # largest at the top
  expect_true(any(grepl("<=|>", rows$feature_desc)))
  bars <- ggplot2::layer_data(plot, 1)
  bars <- bars[order(-bars$ymin), ]
  expect_equal(bars$xmax - bars$xmin, abs(rows$feature_weight))
  expect_identical(bars$fill, unname(c("#1f77b4", "#d62728")[1 + (rows$feature_weight < 0)]))
  expect_match(plot$labels$subtitle, sprintf("R\u00b2 = %.2f", rows$model_r2[[1]]), fixed = TRUE)
  expect_match(plot$labels$title, sprintf("P(up) = %.3f", rows$label_prob[[1]]), fixed = TRUE)
  fill <- ggplot2::ggplot_build(plot)$plot$scales$get_scales("fill")
  expect_identical(as.character(fill$get_labels()), c("supports a rise", "contradicts a rise"))
  both <- ggplot2::autoplot(lime, case = unique(lime$case), top = 3)
  expect_identical(length(unique(ggplot2::layer_data(both, 1)$PANEL)), 2L)
})

test_that("autoplot of SHAP is a waterfall from the base value to f(x)", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  shap <- pa_explain(small_model(), market(), method = "shap", n = 1)
  plot <- ggplot2::autoplot(shap, top = 5)
  bars <- ggplot2::layer_data(plot, 1)
  expect_identical(nrow(bars), 6L) # five features and the sum of the others
  expect_identical(utils::tail(axis_labels(plot, "y"), 1), shap$feature_desc[which.max(abs(shap$feature_weight))])
  expect_identical(axis_labels(plot, "y")[[1]], sprintf("%d other features", nrow(shap) - 5L))
  # The chain starts at the base value and ends at base + sum of all contributions.
  bottom <- bars[which.min(bars$ymin), ]
  top <- bars[which.max(bars$ymin), ]
  expect_equal(min(abs(c(bottom$xmin, bottom$xmax) - shap$base_value[[1]])), 0)
  expect_equal(min(abs(c(top$xmin, top$xmax) - shap$base_value[[1]] - sum(shap$feature_weight))), 0)
  lines <- ggplot2::layer_data(plot, 2)
  expect_equal(sort(lines$xintercept), sort(c(shap$base_value[[1]], shap$label_prob[[1]])))
  labels <- ggplot2::layer_data(plot, 3)$label
  expect_true(any(grepl(sprintf("E[f(X)] = %.3f", shap$base_value[[1]]), labels, fixed = TRUE)))
  expect_true(any(grepl(sprintf("f(x) = %.3f", shap$label_prob[[1]]), labels, fixed = TRUE)))
})

test_that("autoplot of a backtest: equity and drawdown against buy-and-hold, with the Sharpe ratios", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  result <- pa_backtest(small_model(), market())
  plot <- ggplot2::autoplot(result)
  lines <- ggplot2::layer_data(plot, 1)
  expect_identical(nrow(lines), 4L * nrow(result$daily)) # two series in two panels
  expect_equal(sort(unique(lines$y[lines$PANEL == 1])), sort(unique(c(result$daily$equity, result$daily$benchmark_equity))))
  expect_match(plot$labels$subtitle, sprintf("Sharpe %.2f", result$raw$strategy$sharpe), fixed = TRUE)
  colour <- ggplot2::ggplot_build(plot)$plot$scales$get_scales("colour")
  expect_identical(as.character(colour$get_labels()), c("strategy", "buy and hold"))
})

test_that("autoplot of a walk-forward marks the folds and names the ticker; dates show years", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  several <- two_tickers()
  first <- several$results$first
  plot <- ggplot2::autoplot(first) # named by its place in the list
  expect_match(plot$labels$title, "^first: dnn walk-forward, 3 expanding folds")
  expect_equal(as.Date(ggplot2::layer_data(plot, 2)$xintercept), first$folds$test_start)
  expect_identical(ggplot2::layer_data(plot, 3)$label, c("fold 1", "fold 2", "fold 3"))
  expect_true(all(grepl("^[0-9]{4}$", axis_labels(plot)))) # the history spans more than two years
  expect_gt(length(axis_labels(plot)), 1)

  panels <- ggplot2::autoplot(several)
  expect_match(panels$labels$title, "first, second")
  built <- ggplot2::ggplot_build(panels)
  expect_identical(levels(built$layout$layout$panel), c("first", "second", "equal-weight portfolio"))
  lines <- ggplot2::layer_data(panels, 3)
  portfolio <- lines[lines$PANEL == 3, ]
  expect_equal(sort(10^portfolio$y), sort(c(several$portfolio_daily$equity, several$portfolio_daily$benchmark_equity)))
  boundaries <- ggplot2::layer_data(panels, 2)
  expect_identical(nrow(boundaries), 6L) # three folds of each ticker, none in the portfolio panel
  expect_false(3L %in% boundaries$PANEL)
  file <- tempfile(fileext = ".png")
  ggplot2::ggsave(file, panels, width = 8, height = 4, dpi = 60)
  expect_gt(file.size(file), 10000)
})

test_that("a walk-forward on one ticker is named after its file or variable", {
  skip_without_python()
  skip_if_not_installed("ggplot2")
  file <- file.path(tempfile(), "ACME.csv")
  dir.create(dirname(file))
  utils::write.csv(market(), file, row.names = FALSE)
  result <- pa_walk_forward(file, folds = 2, epochs = 1, hidden_units = 8)
  expect_identical(result$ticker, "ACME")
  expect_match(ggplot2::autoplot(result)$labels$title, "^ACME: dnn walk-forward, 2 expanding folds")
  expect_match(ggplot2::autoplot(result, ticker = "Acme Corp")$labels$title, "^Acme Corp: ")
})

test_that("a base plot's legend goes to the corner its lines leave free", {
  dates <- as.Date("2020-01-01") + 0:99
  draw_png(function() {
    graphics::plot(dates, 100:1)
    expect_identical(pyanalytics:::quiet_corner(dates, 100:1), "topright")
    graphics::plot(dates, 1:100)
    expect_identical(pyanalytics:::quiet_corner(dates, 1:100), "topleft")
  })
})
