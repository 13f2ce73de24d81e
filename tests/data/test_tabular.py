"""Tabular data: reading a target, task inference, label encoding, and the JSON preprocessor."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from pyanalytics.errors import DataWarning
from pyanalytics.data.preprocess import TabularPreprocessor, UnseenCategoryWarning
from pyanalytics.data.tabular import read_tabular
from pyanalytics.data.target import TargetEncoder, infer_task
from pyanalytics.errors import DataError, NotFittedError
from pyanalytics.splits import tabular_split


@pytest.fixture(scope="module")
def titanic(shared_data):
    return read_tabular(shared_data("tabular/titanic_train.csv"), "Survived")


@pytest.fixture(scope="module")
def titanic_parts(titanic):
    """The seeded stratified split of Titanic and a preprocessor fitted on its training part."""
    split = tabular_split(titanic.features, titanic.target, titanic.task, seed=0)
    prep = TabularPreprocessor().fit(titanic.features.iloc[split.train])
    return split, prep


@pytest.fixture(scope="module")
def wages(shared_data):
    return read_tabular(shared_data("tabular/hourly_wages.csv"), "wage_per_hour")


def planted(n=400, seed=0):
    """A frame with every column kind, missing values, and a response planted on x, colour and flag."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "row_id": np.arange(1000, 1000 + n),
        "x": rng.normal(5.0, 2.0, n),
        "colour": rng.choice(["red", "green", "blue"], n),
        "flag": rng.choice([True, False], n),
        "constant": np.full(n, 7.0),
        "comment": [f"free text {i}" for i in range(n)],
    })
    frame.loc[rng.choice(n, 40, replace=False), "x"] = np.nan
    frame.loc[rng.choice(n, 30, replace=False), "colour"] = None
    score = frame["x"].fillna(5) - 5 + 2 * (frame["colour"] == "red") + frame["flag"]
    frame["y"] = np.where(score > 0.5, "yes", "no")
    return frame


def one_line_error(excinfo, *names):
    message = str(excinfo.value)
    assert "\n" not in message
    for name in names:
        assert name in message, (name, message)
    return message


# --- reading and the response ------------------------------------------------------------------


def test_titanic_reads_with_crlf_rows_labelled_from_one_and_a_binary_task(titanic):
    assert titanic.task == "binary" and titanic.notes == ()
    assert titanic.features.shape == (891, 11) and "Survived" not in titanic.features
    assert titanic.features.index[0] == 1 and titanic.features.index[-1] == 891
    assert titanic.features["Age"].isna().sum() == 177 and titanic.features["Embarked"].isna().sum() == 2
    assert int(titanic.target.sum()) == 342


def test_task_inference_on_real_and_planted_responses(wages):
    assert wages.task == "regression"
    assert infer_task(pd.Series(["a", "b", "c", "a"], name="y")) == "multiclass"
    assert infer_task(pd.Series([1, 2, 3, 4, 5] * 3, name="y")) == "multiclass"
    assert infer_task(pd.Series(np.arange(30), name="y")) == "regression"
    assert infer_task(pd.Series([True, False, True], name="y")) == "binary"
    assert infer_task(pd.Series([1, 2, 3, 4, 5] * 3, name="y"), "regression") == "regression"


def test_missing_target_column_is_one_line_naming_it(shared_data):
    with pytest.raises(DataError) as excinfo:
        read_tabular(shared_data("tabular/titanic_train.csv"), "survived")
    one_line_error(excinfo, "'survived'", "titanic_train.csv", "Survived")


def test_target_with_one_class_is_refused():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["a", "a", "a"]})
    with pytest.raises(DataError) as excinfo:
        read_tabular(frame, "y")
    one_line_error(excinfo, "'y'", "two distinct values", "'a'")


def test_regression_target_that_is_not_numeric_is_refused_naming_the_row():
    frame = pd.DataFrame({"x": range(4), "price": ["1.5", "2.0", "cheap", "3.0"]}, index=[10, 11, 12, 13])
    with pytest.raises(DataError) as excinfo:
        read_tabular(frame, "price", task="regression")
    one_line_error(excinfo, "'price'", "'cheap'", "row 12")
    assert read_tabular(frame.drop(index=12), "price", task="regression").task == "regression"


def test_binary_task_with_three_classes_is_refused():
    with pytest.raises(DataError) as excinfo:
        infer_task(pd.Series(["a", "b", "c"], name="y"), "binary")
    one_line_error(excinfo, "'y'", "found 3")


def test_rows_with_a_missing_target_are_dropped_with_a_note(shared_data, tmp_path):
    lines = shared_data("tabular/titanic_train.csv").read_text().splitlines()
    header, rows = lines[0], lines[1:]
    rows[4] = rows[4].replace(",0,3,", ",,3,", 1)  # passenger 5 (Survived 0, Pclass 3) loses its label
    path = tmp_path / "titanic_gap.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    data = read_tabular(path, "Survived")
    assert len(data.target) == 890 and 5 not in data.target.index
    assert data.notes == ("target 'Survived': 1 row(s) with a missing value dropped (first: row 5).",)


def test_target_encoder_keeps_class_order_and_maps_back_through_json():
    factor = pd.Series(pd.Categorical(["low", "high", "mid", "low"], categories=["low", "mid", "high"]), name="y")
    encoder = TargetEncoder("multiclass").fit(factor)
    assert encoder.classes_.tolist() == ["low", "mid", "high"]
    codes = encoder.encode(factor)
    assert codes.tolist() == [0, 2, 1, 0]
    restored = TargetEncoder.from_dict(json.loads(json.dumps(encoder.to_dict())))
    assert restored.decode(codes).tolist() == ["low", "high", "mid", "low"]
    numbers = TargetEncoder("binary").fit(pd.Series([3, 7, 7], name="y"))
    assert TargetEncoder.from_dict(json.loads(json.dumps(numbers.to_dict()))).decode([1, 0]).tolist() == [7, 3]
    with pytest.raises(DataError) as excinfo:
        encoder.encode(pd.Series(["low", "huge"], name="y"))
    one_line_error(excinfo, "'huge'", "row 1")


# --- the preprocessor --------------------------------------------------------------------------


def test_titanic_identifier_columns_are_dropped_with_notes_naming_them(titanic_parts):
    _, prep = titanic_parts
    assert set(prep.dropped_) == {"PassengerId", "Name", "Ticket", "Cabin"}
    notes = " ".join(prep.notes_)
    for name in ("PassengerId", "Name", "Ticket", "Cabin"):
        assert f"'{name}'" in notes
    kinds = {spec["name"]: spec["kind"] for spec in prep.columns_}
    assert kinds == {"Pclass": "numeric", "Sex": "categorical", "Age": "numeric", "SibSp": "numeric",
                     "Parch": "numeric", "Fare": "numeric", "Embarked": "categorical"}


def test_statistics_come_from_the_training_part_only(titanic, titanic_parts):
    split, prep = titanic_parts
    # change only the rows outside the training part: a new category, absurd ages, missing fares
    altered = titanic.features.copy()
    others = altered.index[np.concatenate([split.validation, split.test])]
    altered.loc[others, "Sex"] = "unrecorded"
    altered.loc[others, "Age"] = 1000.0
    altered.loc[others, "Fare"] = np.nan
    refit = TabularPreprocessor().fit(altered.iloc[split.train])
    assert refit.to_dict() == prep.to_dict()
    # the same changes inside the fitted rows do change what is learned
    assert TabularPreprocessor().fit(altered).to_dict() != prep.to_dict()
    train_matrix = prep.transform(titanic.features.iloc[split.train])
    assert np.array_equal(refit.transform(altered.iloc[split.train]), train_matrix)


def test_numeric_columns_are_standardised_with_training_statistics(titanic, titanic_parts):
    split, prep = titanic_parts
    names = prep.get_feature_names_out().tolist()
    matrix = prep.transform(titanic.features.iloc[split.train])
    for name in ("Pclass", "SibSp", "Parch", "Fare"):
        column = matrix[:, names.index(name)]
        assert abs(column.mean()) < 1e-5 and abs(column.std() - 1) < 1e-5
    observed_age = titanic.features["Age"].iloc[split.train].dropna()
    spec = next(s for s in prep.columns_ if s["name"] == "Age")
    assert spec["fill"] == observed_age.median() and spec["indicator"]
    assert spec["mean"] == pytest.approx(observed_age.mean()) and spec["std"] == pytest.approx(observed_age.std(ddof=0))


def test_missing_values_take_training_fills_and_an_indicator(titanic, titanic_parts):
    split, prep = titanic_parts
    names = prep.get_feature_names_out().tolist()
    rows = titanic.features.iloc[split.train]
    matrix = prep.transform(rows)
    age_missing = rows["Age"].isna().to_numpy()
    np.testing.assert_array_equal(matrix[:, names.index("Age (missing)")], age_missing)
    spec = next(s for s in prep.columns_ if s["name"] == "Age")
    imputed = (spec["fill"] - spec["mean"]) / spec["std"]
    np.testing.assert_allclose(matrix[age_missing, names.index("Age")], imputed, rtol=1e-6)
    # no training row lacks a fare, so no indicator; a missing fare still gets the training median
    assert "Fare (missing)" not in names
    blank = rows.iloc[[0]].assign(Fare=np.nan)
    fare = next(s for s in prep.columns_ if s["name"] == "Fare")
    assert prep.transform(blank)[0, names.index("Fare")] == np.float32((fare["fill"] - fare["mean"]) / fare["std"])


def test_round_trip_through_json_gives_bit_identical_transforms(titanic, titanic_parts):
    _, prep = titanic_parts
    restored = TabularPreprocessor.from_dict(json.loads(json.dumps(prep.to_dict())))
    assert restored.transform(titanic.features).tobytes() == prep.transform(titanic.features).tobytes()
    frame = planted()
    fitted = TabularPreprocessor().fit(frame.drop(columns="y"))
    again = TabularPreprocessor.from_dict(json.loads(json.dumps(fitted.to_dict(), allow_nan=False)))
    assert again.transform(frame.drop(columns="y")).tobytes() == fitted.transform(frame.drop(columns="y")).tobytes()
    assert again.get_feature_names_out().tolist() == fitted.get_feature_names_out().tolist()
    damaged = json.loads(json.dumps(prep.to_dict()))
    del damaged["columns"][1]["categories"]
    with pytest.raises(DataError) as excinfo:
        TabularPreprocessor.from_dict(damaged)
    one_line_error(excinfo, "preprocessing state", "categories")


def test_every_column_kind_of_a_planted_frame():
    frame = planted().drop(columns="y")
    prep = TabularPreprocessor().fit(frame)
    assert set(prep.dropped_) == {"row_id", "comment"}
    names = prep.get_feature_names_out().tolist()
    assert names == ["x", "x (missing)", "colour=blue", "colour=green", "colour=red", "colour=(unknown)",
                     "colour (missing)", "flag", "constant"]
    matrix = prep.transform(frame)
    assert matrix.dtype == np.float32 and matrix.shape == (len(frame), len(names))
    np.testing.assert_array_equal(matrix[:, names.index("flag")], frame["flag"].to_numpy(dtype=float))
    assert not matrix[:, names.index("constant")].any()
    assert prep.transform(frame.iloc[[0]].assign(constant=9.0))[0, names.index("constant")] == 0
    one_hot = matrix[:, names.index("colour=blue"):names.index("colour (missing)")]
    np.testing.assert_array_equal(one_hot.sum(axis=1), 1)


def test_date_columns_are_dropped_but_month_names_are_categories():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({
        "day": pd.Series(pd.date_range("2021-01-01", periods=60).strftime("%Y-%m-%d")).sample(frac=1, random_state=1).to_numpy(),
        "stamp": pd.date_range("2021-01-01", periods=60, freq="h"),
        "month": rng.choice(["January", "March", "May"], 60),
    })
    prep = TabularPreprocessor().fit(frame)
    assert set(prep.dropped_) == {"day", "stamp"} and "date column" in prep.dropped_["day"]
    assert prep.columns_[0]["name"] == "month" and prep.columns_[0]["kind"] == "categorical"


def test_nullable_integer_columns_are_numeric_with_their_missing_values():
    frame = pd.DataFrame({"count": pd.array([3, None, 5, 8] * 10, dtype="Int64")})
    prep = TabularPreprocessor().fit(frame)
    assert prep.get_feature_names_out().tolist() == ["count", "count (missing)"]
    matrix = prep.transform(frame)
    np.testing.assert_array_equal(matrix[:, 1], [0, 1, 0, 0] * 10)
    std = np.std([3.0, 5.0, 8.0])
    assert matrix[0, 0] == np.float32((3 - 16 / 3) / std)
    assert matrix[1, 0] == np.float32((5 - 16 / 3) / std)  # the training median fills the gap


def test_feature_origins_name_the_column_and_category_of_every_output(titanic_parts):
    _, prep = titanic_parts
    origins = prep.feature_origins().set_index("output")
    assert origins.loc["Sex=female", ["column", "role", "category"]].tolist() == ["Sex", "category", "female"]
    assert origins.loc["Embarked (missing)", ["column", "role"]].tolist() == ["Embarked", "missing"]
    assert origins.loc["Embarked=(unknown)", "role"] == "unknown"
    assert origins.loc["Fare", ["column", "role"]].tolist() == ["Fare", "value"]
    assert origins.index.tolist() == prep.get_feature_names_out().tolist()


def test_unseen_category_is_reported_not_a_crash(titanic, titanic_parts):
    _, prep = titanic_parts
    names = prep.get_feature_names_out().tolist()
    rows = titanic.features.iloc[:3].copy()
    rows["Embarked"] = ["Z", "Z", "S"]
    matrix, report = prep.transform_with_report(rows)
    assert report.unseen == {"Embarked": {"Z": 2}}
    assert matrix[:, names.index("Embarked=(unknown)")].tolist() == [1, 1, 0]
    assert not matrix[:2, names.index("Embarked=C"):names.index("Embarked=(unknown)")].any()
    with pytest.warns(UnseenCategoryWarning, match=r"'Embarked' \('Z' x2\)") as record:
        np.testing.assert_array_equal(prep.transform(rows), matrix)
    assert issubclass(record[0].category, DataWarning) and "\n" not in str(record[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prep.transform(titanic.features.iloc[:3])  # known categories: silent


def test_all_nan_column_is_refused_naming_it(titanic):
    with pytest.raises(DataError) as excinfo:
        TabularPreprocessor().fit(titanic.features.assign(Deck=np.nan))
    one_line_error(excinfo, "'Deck'", "only missing values")


def test_string_in_a_numeric_column_is_refused_naming_column_and_row(titanic, titanic_parts, tmp_path):
    _, prep = titanic_parts
    rows = titanic.features.loc[[7, 8]].astype({"Age": object})
    rows.loc[8, "Age"] = "about 27"
    with pytest.raises(DataError) as excinfo:
        prep.transform(rows)
    one_line_error(excinfo, "'Age'", "row 8", "'about 27'", "expected a number")
    # a CSV whose numeric column holds one word is read as text, classed numeric, and refused at fit
    frame = pd.DataFrame({"x": [str(v) for v in np.linspace(0, 1, 40)], "y": [0, 1] * 20})
    frame.loc[25, "x"] = "n/a?"
    frame.to_csv(tmp_path / "worded.csv", index=False)
    data = read_tabular(tmp_path / "worded.csv", "y")
    with pytest.raises(DataError) as excinfo:
        TabularPreprocessor().fit(data.features)
    one_line_error(excinfo, "'x'", "row 26", "'n/a?'")


def test_a_frame_lacking_a_training_column_is_refused_naming_it(titanic, titanic_parts):
    _, prep = titanic_parts
    with pytest.raises(DataError) as excinfo:
        prep.transform(titanic.features.drop(columns=["Sex"]))
    one_line_error(excinfo, "'Sex'", "lacks")
    # dropped identifier columns are not needed at prediction time
    kept = titanic.features.drop(columns=["PassengerId", "Name", "Ticket", "Cabin"])
    assert np.array_equal(prep.transform(kept), prep.transform(titanic.features))


def test_frames_without_text_column_names_or_with_repeated_ones_are_refused(titanic_parts):
    with pytest.raises(DataError) as excinfo:
        TabularPreprocessor().fit(pd.DataFrame(np.ones((3, 2))))
    one_line_error(excinfo, "column 0", "text column name")
    with pytest.raises(DataError) as excinfo:
        titanic_parts[1].transform(pd.DataFrame([[1, 2]], columns=["Age", "Age"]))
    one_line_error(excinfo, "'Age'", "more than once")


def test_unfitted_preprocessor_says_so():
    with pytest.raises(NotFittedError, match="TabularPreprocessor"):
        TabularPreprocessor().transform(pd.DataFrame({"x": [1.0]}))


def test_hourly_wages_keeps_every_column_and_its_duplicate_rows_agree(wages):
    prep = TabularPreprocessor().fit(wages.features)
    assert prep.dropped_ == {}
    kinds = {spec["name"]: spec["kind"] for spec in prep.columns_}
    assert {n for n, k in kinds.items() if k == "boolean"} == {
        "union", "female", "marr", "south", "manufacturing", "construction"}
    twins = wages.features.assign(wage=wages.target).duplicated(keep=False).to_numpy()
    assert twins.sum() == 2  # the one exact duplicate row of the file
    first, second = prep.transform(wages.features[twins])
    assert first.tobytes() == second.tobytes()


@pytest.mark.slow
def test_titanic_features_carry_the_signal_to_a_small_network(titanic, titanic_parts):
    from pyanalytics.models import DNNClassifier

    split, prep = titanic_parts
    X = {part: prep.transform(titanic.features.iloc[rows]) for part, rows in split.parts().items()}
    y = {part: titanic.target.iloc[rows].to_numpy() for part, rows in split.parts().items()}
    model = DNNClassifier(hidden_units=(16, 8), epochs=30, batch_size=64, patience=5, seed=0)
    model.fit(X["train"], y["train"], validation_data=(X["validation"], y["validation"]))
    assert (model.predict(X["test"]) == y["test"]).mean() >= 0.78


def test_boolean_columns_from_csv_text_and_r_numbers(tmp_path):
    path = tmp_path / "flags.csv"
    path.write_text("member,code,y\r\nTrue,1,a\r\nFalse,0,b\r\n,1,a\r\nTrue,0,b\r\n")
    data = read_tabular(path, "y")
    prep = TabularPreprocessor().fit(data.features)
    assert {spec["name"]: spec["kind"] for spec in prep.columns_} == {"member": "boolean", "code": "boolean"}
    assert prep.get_feature_names_out().tolist() == ["member", "member (missing)", "code"]
    # R sends numbers as doubles, text as strings: the same rows give the same matrix
    from_r = pd.DataFrame({"member": [1.0, 0.0, None, 1.0], "code": ["1", "0", "1", "0"]})
    np.testing.assert_array_equal(prep.transform(from_r), prep.transform(data.features))
    np.testing.assert_array_equal(prep.transform(data.features)[:, 0], [1, 0, 1, 1])
    with pytest.raises(DataError) as excinfo:
        prep.transform(from_r.assign(code=["1", "2", "0", "1"]))
    one_line_error(excinfo, "'code'", "row 1", "'2'", "True/False or 0/1")
