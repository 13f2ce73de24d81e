"""pa_explain's Python side for tabular models: R's row numbers in, the tidy columns and what they explain out."""

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import ParameterError
from pyanalytics.explain import COLUMNS
from pyanalytics.interop import r_api


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=150), "c": pd.Categorical(rng.choice(["p", "q"], 150))})
    frame["y"] = np.where(frame["x"] + (frame["c"] == "p") > 0.5, "yes", "no")
    frame.index = pd.RangeIndex(1, 151, name="row")  # as tabular_frame labels R's rows
    return frame, r_api.fit_tabular(frame, "y", epochs=3, seed=1, settings={"hidden_units": [4]})


def test_r_row_numbers_choose_rows_and_the_answer_says_what_is_explained(fitted):
    frame, result = fitted
    out = r_api.explain_tabular(result, frame, "shap", rows=np.array([7.0, 3.0]))
    assert list(out["frame"]) == list(COLUMNS)
    assert out["frame"]["case"].tolist() == [7, 7, 3, 3] and out["frame"]["case"].dtype == np.int32
    assert out["task"] == "binary" and out["target"] == "y" and out["n_samples"] == 200
    assert set(out["frame"]["feature_desc"][out["frame"]["feature"] == "c"]) <= {"c = p", "c = q"}


def test_without_data_the_test_rows_are_explained(fitted):
    _, result = fitted
    out = r_api.explain_tabular(result, None, "lime", n=2, n_samples=100)
    assert out["frame"]["case"][::2].tolist() == list(result.frames["test"].index[-2:])
    assert out["quality"]["n_samples"] == 100


def test_a_model_that_is_not_tabular_is_refused(fitted):
    frame, _ = fitted
    with pytest.raises(ParameterError, match="model: expected a tabular model"):
        r_api.explain_tabular(object(), frame)
