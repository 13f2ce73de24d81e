"""Tabular models: any frame or CSV with a named target column, for every task.

``train_tabular`` fits a network and the task's baselines on a seeded stratified (or, with a
date column, chronological) split; ``TabularPreprocessing`` is the ``tabular`` domain a bundle
saves, so a loaded bundle predicts from raw rows in the response's own labels.
"""

from pyanalytics.tabular.preprocessing import TabularPreprocessing
from pyanalytics.tabular.training import TabularResult, train_tabular

__all__ = ["TabularPreprocessing", "TabularResult", "train_tabular"]
