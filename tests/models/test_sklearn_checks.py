"""scikit-learn's own estimator checks over every estimator that takes 2-D input.

Checks that cannot apply are declared with a reason, never skipped silently: through the
estimators' tags (binary-only models say ``multi_class = False``, naive baselines
``poor_score = True``) or the expected failures below. The networks train three epochs on
the checks' small data sets, so the checks test the contract, not the learning.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from pyanalytics.models import (
    AUTOENCODERS,
    AlwaysUpBaseline,
    DNNClassifier,
    DNNRegressor,
    IsolationForestBaseline,
    LogisticRegressionBaseline,
    MajorityClassBaseline,
    MeanBaseline,
    PCABaseline,
    PreviousDirectionBaseline,
    RidgeBaseline,
    SupervisedCeiling,
)

FAST_NETWORK = {
    "hidden_units": (8,),
    "epochs": 3,
    "batch_size": 256,
    "learning_rate": 0.05,
    "validation_fraction": 0.0,
    "seed": 0,
}

NEEDS_RETURN_COLUMN = (
    "PreviousDirectionBaseline reads the 1-day return from the feature column named 'ret_1'; "
    "the check passes an array without column names, so fit refuses it with a DataError"
)
PREVIOUS_DIRECTION_FAILURES = {
    name: NEEDS_RETURN_COLUMN
    for name in (
        "check_classifier_data_not_an_array",
        "check_classifiers_classes",
        "check_classifiers_train",
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_dtype_object",
        "check_estimators_dtypes",
        "check_estimators_fit_returns_self",
        "check_estimators_nan_inf",
        "check_estimators_overwrite_params",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
        "check_fit2d_1feature",
        "check_fit2d_predict1d",
        "check_fit_check_is_fitted",
        "check_fit_idempotent",
        "check_fit_score_takes_y",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_n_features_in",
        "check_n_features_in_after_fitting",
        "check_pipeline_consistency",
        "check_positive_only_tag_during_fit",
        "check_readonly_memmap_input",
        "check_supervised_y_2d",
    )
}
Y_IS_THE_ANOMALY_LABEL = (
    "an anomaly detector reads y as 1 (anomaly) / 0 (normal) to leave known anomalies out of "
    "training; the check passes three-class labels, which fit refuses with a DataError naming the row"
)
ANOMALY_LABEL_FAILURES = {
    name: Y_IS_THE_ANOMALY_LABEL
    for name in (
        "check_classifier_data_not_an_array",
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_dtype_object",
        "check_estimators_dtypes",
        "check_estimators_fit_returns_self",
        "check_estimators_overwrite_params",
        "check_f_contiguous_array_estimator",
        "check_fit2d_1feature",
        "check_fit2d_1sample",  # its one row is labelled 1: no normal row is left to learn from
        "check_fit2d_predict1d",
        "check_fit_score_takes_y",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_n_features_in_after_fitting",
        "check_positive_only_tag_during_fit",
        "check_readonly_memmap_input",
    )
}
NEEDS_BOTH_CLASSES = (
    "the supervised ceiling learns from y with anomalies and normal rows; the outlier checks fit "
    "without y, which fit refuses with a DataError naming y"
)
EXPECTED_FAILURES = {
    "PreviousDirectionBaseline": PREVIOUS_DIRECTION_FAILURES,
    "IsolationForestBaseline": ANOMALY_LABEL_FAILURES,
    **{cls.__name__: ANOMALY_LABEL_FAILURES for cls in AUTOENCODERS.values()},
    "PCABaseline": ANOMALY_LABEL_FAILURES,
    "SupervisedCeiling": {
        **ANOMALY_LABEL_FAILURES,
        "check_outliers_fit_predict": NEEDS_BOTH_CLASSES,
        "check_outliers_train": NEEDS_BOTH_CLASSES,
    },
    "MajorityClassBaseline": {
        "check_classifiers_train": (
            "on the check's balanced binary data both classes have probability 0.5; a binary predict "
            "applies threshold_ with >=, so the tie goes to classes_[1] (up, for direction labels) "
            "while argmax(predict_proba) picks classes_[0]"
        ),
    },
}

NETWORKS = [DNNClassifier(**FAST_NETWORK), DNNRegressor(**FAST_NETWORK)]
FAST_AUTOENCODER = {**FAST_NETWORK, "code_size": 2, "epochs": 2}
AUTOENCODER_NETWORKS = [cls(**FAST_AUTOENCODER) for cls in AUTOENCODERS.values()]
BASELINES = [
    MajorityClassBaseline(),
    AlwaysUpBaseline(),
    PreviousDirectionBaseline(),
    LogisticRegressionBaseline(),
    MeanBaseline(),
    RidgeBaseline(),
    IsolationForestBaseline(n_estimators=20),
    PCABaseline(),
    SupervisedCeiling(),
]


def expected_failures(estimator) -> dict[str, str]:
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})


@parametrize_with_checks(BASELINES, expected_failed_checks=expected_failures)
def test_baselines_pass_sklearn_checks(estimator, check):
    check(estimator)


@pytest.mark.slow  # about 110 fits of a small network: most of this file's time
@parametrize_with_checks(NETWORKS, expected_failed_checks=expected_failures)
def test_networks_pass_sklearn_checks(estimator, check):
    check(estimator)


@pytest.mark.slow  # about 25 fits of a small network per autoencoder
@parametrize_with_checks(AUTOENCODER_NETWORKS, expected_failed_checks=expected_failures)
def test_autoencoders_pass_sklearn_checks(estimator, check):
    check(estimator)
