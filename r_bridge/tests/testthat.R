library(testthat)
library(pyanalytics)

test_check("pyanalytics")
