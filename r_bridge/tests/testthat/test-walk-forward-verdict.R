# Issue 10 point 10 from R: walk-forward results are judged on ROC AUC per fold, in Python's words.

test_that("a walk-forward prints its ROC AUC per fold, the edge and Python's verdict", {
  skip_without_python()
  result <- two_tickers()$results$first
  row <- result$summary_row
  expect_equal(row$model_auc, mean(result$folds$roc_auc))
  expect_equal(row$model_auc_std, stats::sd(result$folds$roc_auc))
  python <- reticulate::import("pyanalytics.evaluation.verdict")$fold_edge_verdict(result$summary$auc_edge)
  expect_identical(result$verdict, python)
  printed <- capture.output(print(result))
  expect_match(printed, sprintf("ROC AUC per fold: dnn %.3f \u00b1 %.3f (mean \u00b1 SD over 3 folds)", row$model_auc,
                                row$model_auc_std), fixed = TRUE, all = FALSE)
  expect_match(printed, sprintf("edge over %s %+.3f \u00b1 %.3f (SE)", row$best_baseline, row$auc_edge, row$auc_edge_se),
               fixed = TRUE, all = FALSE)
  expect_match(printed, python, fixed = TRUE, all = FALSE)
  expect_false(any(grepl("^ROC AUC [0-9.]+ vs best baseline", printed))) # the stitched AUC, no longer the verdict
})

test_that("several tickers print each ticker's verdict, and glance gives the per-fold figures", {
  skip_without_python()
  several <- two_tickers()
  printed <- capture.output(print(several))
  for (ticker in c("first", "second")) {
    expect_match(printed, paste0(ticker, ": ", several$results[[ticker]]$verdict), fixed = TRUE, all = FALSE)
  }
  skip_if_not_installed("generics")
  first <- several$results$first
  one <- generics::glance(first)
  expect_equal(one$model_auc, mean(first$folds$roc_auc))
  expect_equal(one$best_baseline_auc, mean(first$folds[[paste0("roc_auc_", one$best_baseline)]]))
  expect_equal(one$auc_edge, mean(first$folds$roc_auc - first$folds[[paste0("roc_auc_", one$best_baseline)]]))
  expect_identical(one$auc_verdict, first$verdict)
  expect_identical(generics::glance(several)$auc_judgement, c(first$summary_row$auc_judgement,
                                                              several$results$second$summary_row$auc_judgement))
})
