"""Compiling the default data from the shared facts: harmonized codes, citations kept, nothing invented."""
from pathlib import Path

import pandas as pd
import pytest

from tillit.catalog import load_catalog
from tillit.errors import DataError
from tillit.facts import COMPILERS, compile_table, default_facts_dir, occupation_from_ingress, resolve_repeated_keys
from tillit.validate import validate_frame

FACTS = default_facts_dir()
needs_facts = pytest.mark.skipif(not FACTS.is_dir(), reason="../shared/data/facts is not beside the project")


def test_every_catalog_table_has_a_compiler():
    assert set(load_catalog().tables) == set(COMPILERS)


@needs_facts
@pytest.mark.parametrize("name", sorted(COMPILERS))
def test_committed_tables_equal_a_fresh_compile(name):
    """data/tables is exactly what the facts compile to: no hand edits, no drift."""
    table = load_catalog()[name]
    fresh = validate_frame(compile_table(name, FACTS), table, name)
    committed = validate_frame(pd.read_csv(table.path(), dtype=str, keep_default_na=False, na_values=[""]), table, name)
    key = table.key
    a = fresh.sort_values(key).reset_index(drop=True)
    b = committed.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


@needs_facts
def test_every_value_traces_to_its_facts_row():
    """source_ref names the facts file and line, and that line holds the same value."""
    table = load_catalog()["sjukfranvaro_landsting"]
    frame = pd.read_csv(table.path(), dtype=str)
    lines = (FACTS / "sjukfranvaro_landsting.csv").read_text(encoding="utf-8").splitlines()
    for ref, value in zip(frame.source_ref[:50], frame.value[:50]):
        file, line = ref.removeprefix("facts/").split(":")
        assert file == "sjukfranvaro_landsting.csv"
        assert f",{float(value)}," in lines[int(line) - 1] or f",{value}," in lines[int(line) - 1]


def _facts(rows: list[dict], file="x.csv") -> pd.DataFrame:
    frame = pd.DataFrame(rows).astype(str)
    frame["_line"] = range(2, len(frame) + 2)
    frame["_file"] = file
    return frame


BASE = {"source_title": "SCB: test", "source_url": "https://scb.se", "source_type": "primary", "quote": "", "note": ""}


def test_unknown_region_names_file_row_and_column():
    facts = _facts([{**BASE, "period": "2017", "region_code": "99", "region": "X", "sex": "Totalt", "value": "5.0"}],
                   "sjukfranvaro_landsting.csv")
    with pytest.raises(DataError) as err:
        COMPILERS["sjukfranvaro_landsting"](facts)
    assert err.value.file == "facts/sjukfranvaro_landsting.csv" and err.value.row == 2
    assert err.value.column == "region_code" and "unknown region" in str(err.value)


def test_unmapped_measure_is_an_error_not_a_guess():
    facts = _facts([{**BASE, "period": "2017", "sector": "staten", "measure": "något nytt", "value": "1",
                     "unit": "procent"}])
    with pytest.raises(DataError, match="column 'measure': no mapping for 'något nytt'"):
        COMPILERS["sjukfranvaro_sektor"](facts)


def test_text_in_value_is_an_error():
    facts = _facts([{**BASE, "period": "2017", "region_code": "01", "region": "Stockholm", "sex": "Totalt",
                     "value": "fem"}])
    with pytest.raises(DataError, match="row 2, column 'value': not a number"):
        COMPILERS["sjukfranvaro_landsting"](facts)


def test_repeated_keys_with_different_values_become_conflicts():
    frame = pd.DataFrame({"k": ["a", "a", "b", "b"], "value": [1.0, 2.0, 3.0, 3.0], "status": ["värde"] * 4,
                          "note": [""] * 4, "source_ref": ["f:2", "f:3", "f:4", "f:5"]})
    out = resolve_repeated_keys(frame, ["k"])
    assert len(out) == 2
    a = out[out.k == "a"].iloc[0]
    assert pd.isna(a.value) and a.status == "motstridig" and "f:2" in a.note and "f:3" in a.note
    assert out[out.k == "b"].iloc[0].value == 3.0


@pytest.mark.parametrize("ingress,name", [
    ("Det finns cirka 8200 yrkesverksamma distriktssköterskor i Sverige, varav …", "Distriktssköterskor"),
    ("Bedömningen för undersköterskor är en samlad bedömning för …", "Undersköterskor"),
    ("Ingen sådan text", None),
])
def test_occupation_is_read_from_the_ingress(ingress, name):
    assert occupation_from_ingress(ingress) == name


def test_a_remark_after_a_source_address_moves_to_the_note():
    from tillit.facts import url_and_remark

    assert url_and_remark("https://skr.se/a.html (stored copy at host patientenkat.se, same path)") == \
        ("https://skr.se/a.html", "sparad kopia på patientenkat.se, samma sökväg")
    assert url_and_remark("https://skr.se/a.html") == ("https://skr.se/a.html", "")
