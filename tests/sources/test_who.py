"""WHO Global Health Observatory CSV exports → halsopersonal_who: our own small export of the same shape, the bad-input
rules, and the real exports in ../shared/data/native when present (they agree with the default data)."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from importkit import FIXTURES, NATIVE, project_copy  # noqa: E402

from tillit.core.errors import DataError, DataErrors  # noqa: E402
from tillit.ingest.importer import import_files  # noqa: E402
from tillit.ingest.formats import Context, detect, parse  # noqa: E402

FIXTURE = FIXTURES / "who_gho_hwf.csv"


@pytest.fixture
def data(tmp_path, tmp_path_factory) -> Path:
    return project_copy(tmp_path_factory, tmp_path / "project")


def parsed():
    raw = FIXTURE.read_bytes()
    return parse(raw, Context(file=FIXTURE.name), detect(raw, FIXTURE.name))


def test_detected_and_parsed_into_the_catalog_shape():
    assert detect(FIXTURE.read_bytes(), FIXTURE.name) == "who-gho-csv"
    result = parsed()
    frame = result.tables["halsopersonal_who"].set_index(["country_code", "measure", "period"])
    assert set(frame.index) == {("SWE", "lakare", 2031), ("SWE", "lakare", 2030), ("NOR", "lakare", 2031),
                                ("SWE", "sjukskoterskor_barnmorskor", 2031)}
    assert frame.loc[("SWE", "lakare", 2031), "value"] == 51.5
    assert frame.loc[("SWE", "lakare", 2031), "indicator"] == "HWF_0001"
    assert frame.loc[("SWE", "lakare", 2031), "source_title"] == "WHO Global Health Observatory: Medical doctors (per 10,000) (HWF_0001)"
    assert "OECD portal" in frame.loc[("SWE", "lakare", 2030), "note"]
    assert "Colegio de Médicos" in frame.loc[("SWE", "sjukskoterskor_barnmorskor", 2031), "note"]   # mis-encoding repaired


def test_repeats_keep_the_latest_modification_and_report_the_revision():
    result = parsed()
    norway = result.tables["halsopersonal_who"].query("country_code == 'NOR'")
    assert list(norway.value) == [52.25]                      # modified 2022-01-24, not the 2022-01-10 value 52.0
    assert any("NOR 2031: WHO revised 52 (line 5" in n and "to 52.25 (line 4" in n for n in result.notes)


def test_rows_left_out_are_counted_with_the_reason():
    skipped = parsed().skipped
    assert skipped["a country outside the IHP surveys (the `country` vocabulary)"] == 1    # Estonia
    assert skipped["indicator HWF_0002 (only HWF_0001, HWF_0006 are per 10 000 inhabitants)"] == 1
    assert skipped["no value (FactValueNumeric empty)"] == 1                               # Germany, empty cell


def test_import_adds_the_new_years_with_provenance(data):
    report = import_files([FIXTURE], data=data, source_urls={FIXTURE: "https://ghoapi.azureedge.net/api/HWF_0001"})
    assert report.changes["halsopersonal_who"].added == 4
    table = pd.read_csv(data / "tables" / "halsopersonal_who.csv", dtype=str)
    row = table[(table.period == "2031") & (table.country_code == "SWE") & (table.measure == "lakare")].iloc[0]
    assert row.source_publisher == "WHO" and row.source_type == "primary"
    assert row.source_url == "https://ghoapi.azureedge.net/api/HWF_0001"
    assert row.source_ref.startswith("who_gho_hwf.csv:2 sha256:")


def test_a_changed_value_for_a_year_already_there_is_a_conflict(data, tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("Sweden,Year,2030,FALSE,,,,,,,,,,,,,50.9,,,,,,50.9",
                                                      "Sweden,Year,2018,FALSE,,,,,,,,,,,,,40.0,,,,,,40.0")
    changed = tmp_path / "who_changed.csv"
    changed.write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors) as err:
        import_files([changed], data=data)
    message = str(err.value)
    assert "who_changed.csv, row 3, column 'FactValueNumeric'" in message and "existing value 44.06, new 40" in message


def test_text_in_the_value_names_file_row_and_column():
    bad = FIXTURES.parent / "bad" / "text_in_numeric_who.csv"
    with pytest.raises(DataError) as err:
        parse(bad.read_bytes(), Context(file=bad.name))
    assert (err.value.row, err.value.column) == (2, "FactValueNumeric") and "'5l.5' is not a number" in str(err.value)


def test_a_file_without_the_indicators_is_refused(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("HWF_0001", "HWF_0002").replace("HWF_0006", "HWF_0007")
    with pytest.raises(DataError, match="no values to import"):
        parse(text.encode(), Context(file="other.csv"))


@pytest.mark.skipif(not NATIVE.is_dir(), reason="../shared/data/native is not here")
@pytest.mark.parametrize("name", ["who_gho_HWF_0001_medical_doctors_per10000.csv", "who_gho_HWF_0006_nursing_midwives_per10000.csv"])
def test_the_real_exports_agree_with_the_default_data(name, data):
    path = NATIVE / name
    if not path.exists():
        pytest.skip(f"{name} is not among the specimens")
    report = import_files([path], data=data, dry_run=True)
    change = report.changes["halsopersonal_who"]
    assert change.replaced == [] and change.unchanged == (192 if "0001" in name else 191)   # every compiled value
    assert change.added > 0                                                                   # years before 2000
