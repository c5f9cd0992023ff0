"""Validation against the catalog: each kind of bad value is reported with file, row and column."""
import pandas as pd
import pytest

from tillit.tables.catalog import load_catalog
from tillit.core.errors import DataErrors
from tillit.tables.validate import load_table, read_csv_table, validate_frame, write_table

TABLE = load_catalog()["sjukfranvaro_landsting"]


def good_rows() -> pd.DataFrame:
    return pd.read_csv(TABLE.path(), dtype=str, keep_default_na=False, na_values=[""]).head(5)


def errors_for(frame: pd.DataFrame) -> list:
    with pytest.raises(DataErrors) as err:
        validate_frame(frame, TABLE, "tables/sjukfranvaro_landsting.csv")
    return err.value.errors


def test_default_tables_are_valid():
    for name, table in load_catalog().tables.items():
        # a table compiled from facts has rows; one fed only by `tillit refresh` (no facts) may still be empty
        assert len(load_table(name)) > 0 or not table.facts, name


@pytest.mark.parametrize("column,value,message", [
    ("value", "sex", "'sex' is not a number"),
    ("value", "140", "is above the maximum 100"),
    ("value", "-1", "is below the minimum 0"),
    ("region_code", "99", "is not a known region code"),
    ("sex", "X", "is not a known sex code"),
    ("period", "2017.5", "is not a whole number"),
    ("source_type", "tertiary", "is not one of primary, secondary"),
    ("source_title", "<script>alert(1)</script>", "contains HTML or script markup"),
    ("value", None, "value is missing"),
])
def test_bad_value_names_file_row_and_column(column, value, message):
    frame = good_rows()
    frame.loc[2, column] = value
    errors = errors_for(frame)
    assert len(errors) == 1, errors
    e = errors[0]
    assert (e.file, e.row, e.column) == ("tables/sjukfranvaro_landsting.csv", 4, column)
    assert message in e.message


def test_duplicate_key_is_reported_once_per_row():
    frame = good_rows()
    frame.loc[3] = frame.loc[1]
    errors = errors_for(frame)
    assert {e.row for e in errors} == {3, 5}
    assert all("duplicate key" in e.message and e.column == "period+region_code+sex" for e in errors)


def test_missing_and_extra_columns():
    frame = good_rows().drop(columns=["sex"]).assign(extra="x")
    messages = {e.message for e in errors_for(frame)}
    assert "required column 'sex' is missing" in messages
    assert "unexpected column 'extra'" in messages


def test_not_utf8_and_empty_files(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("period,region\n2017,Västmanland\n".encode("latin-1"))
    with pytest.raises(DataErrors, match="latin.csv: not UTF-8 text"):
        read_csv_table(latin)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataErrors, match="empty.csv: the file is empty"):
        read_csv_table(empty)


def test_write_is_atomic_and_sorted(data_copy):
    frame = validate_frame(good_rows().iloc[::-1], TABLE, "x")
    path = write_table(frame, TABLE, data_copy)
    written = pd.read_csv(path, dtype=str)
    assert list(written.columns) == list(TABLE.columns)
    assert written[TABLE.key].values.tolist() == sorted(written[TABLE.key].values.tolist())
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]
