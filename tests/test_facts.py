"""Compiling the default data from the shared facts: harmonized codes, citations kept, nothing invented."""
from pathlib import Path

import pandas as pd
import pytest

from tillit.tables.catalog import load_catalog
from tillit.core.errors import DataError
from tillit.ingest.af import occupation_from_ingress
from tillit.ingest.facts import COMPILERS, compile_table, default_facts_dir, resolve_repeated_keys
from tillit.tables.validate import validate_frame

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
    from tillit.ingest.facts import url_and_remark

    assert url_and_remark("https://skr.se/a.html (stored copy at host patientenkat.se, same path)") == \
        ("https://skr.se/a.html", "sparad kopia på patientenkat.se, samma sökväg")
    assert url_and_remark("https://skr.se/a.html") == ("https://skr.se/a.html", "")


def _compiled(rows: list[dict]) -> pd.DataFrame:
    base = {"source_publisher": "X", "source_title": "X", "source_url": None, "quote": None, "note": None}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_two_sources_for_one_cell_primary_wins_and_the_difference_is_shown():
    from tillit.ingest.facts import resolve_overlaps

    frame = _compiled([
        {"k": "a", "value": 55.5, "_value_text": "55.5", "source_type": "secondary", "source_ref": "facts/old.csv:2",
         "source_publisher": "Altinget"},
        {"k": "a", "value": 55.3, "_value_text": "55.3", "source_type": "primary", "source_ref": "facts/new.csv:9",
         "source_publisher": "Statskontoret"},
        {"k": "b", "value": 3.4, "_value_text": "3.4", "source_type": "primary", "source_ref": "facts/new.csv:3"},
        {"k": "b", "value": 3.37, "_value_text": "3.37", "source_type": "primary", "source_ref": "facts/old.csv:4"},
        {"k": "c", "value": 1.0, "_value_text": "1", "source_type": "primary", "source_ref": "facts/old.csv:5"},
    ])
    used, overlaps = resolve_overlaps(frame, "t", ["k"], ["new.csv", "old.csv"])
    assert dict(zip(used.k, used.value)) == {"a": 55.3, "b": 3.37, "c": 1.0}     # never an average
    a = next(o for o in overlaps if o["cell"] == "k=a")
    assert a["outcome"] == "olika värden" and a["value"] == 55.5 and a["used_ref"] == "facts/new.csv:9"
    assert "primärkälla" in a["reason"] and a["source_ref"] == "facts/old.csv:2"   # provenance of the value not used
    assert "55,5 (Altinget, facts/old.csv:2)" in used.set_index("k").loc["a", "note"]
    b = next(o for o in overlaps if o["cell"] == "k=b")
    assert b["outcome"] == "samma värde avrundat" and "fler decimaler" in b["reason"]
    assert pd.isna(used.set_index("k").loc["b", "note"])                          # agreeing values add no remark


@needs_facts
def test_the_two_state_series_stay_apart_and_overlaps_are_recorded():
    sector = compile_table("sjukfranvaro_sektor", FACTS)
    staten = sector[(sector.sector == "staten") & (sector.measure == "sjukfranvaro_pct") & (sector.sex == "T")]
    by_series = staten.groupby("series").period.apply(set)
    assert {2018, 2019, 2020, 2022} <= by_series["statskontoret"] and {2019, 2021, 2022} <= by_series["arbetsgivarverket"]
    both = staten[staten.period == 2022].set_index("series").value
    assert both["statskontoret"] == 4.1 and both["arbetsgivarverket"] == 3.9        # two series, two values, both kept
    overlaps = compile_table("kalloverlapp", FACTS)
    assert set(overlaps.outcome) <= {"samma värde", "samma värde avrundat", "olika värden"}
    differing = overlaps[overlaps.outcome == "olika värden"]
    assert "sjukfranvaro_sektor" in set(differing.table_name)
