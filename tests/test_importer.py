"""`tillit import`: merge into data/tables (new rows added, same values kept, conflicts refused), provenance, log, store."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from importkit import FIXTURES, checksums, make_fk_xlsx, project_copy  # noqa: E402

from tillit.tables import store  # noqa: E402
from tillit.cli_data import fetch_command, import_command  # noqa: E402
from tillit.core.errors import DataError, DataErrors  # noqa: E402
from tillit.ingest.importer import import_files  # noqa: E402
from tillit.ingest.formats import NoTableFits  # noqa: E402


@pytest.fixture
def data(tmp_path, tmp_path_factory) -> Path:
    return project_copy(tmp_path_factory, tmp_path / "project")


def cli(*args: str):
    return CliRunner().invoke(import_command, [str(a) for a in args])


def table(data: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(data / "tables" / f"{name}.csv", dtype=str, keep_default_na=False)


def test_new_rows_are_added_with_provenance_and_logged(data):
    before = table(data, "sjukfranvaro_landsting")
    result = cli(FIXTURES / "oj_datalista.csv", "--data", data)
    assert result.exit_code == 0, result.output
    assert f"sjukfranvaro_landsting: 5 new rows, 0 already present → {len(before) + 5} rows" in result.output
    after = table(data, "sjukfranvaro_landsting")
    assert len(after) == len(before) + 5
    new = after[after["period"] == "2018"].set_index(["region_code", "sex"])
    row = new.loc[("01", "K")]
    assert row["value"] == "7.1" and row["source_publisher"] == "Socialstyrelsen och SKL"
    assert row["source_ref"].startswith("oj_datalista.csv:3 sha256:")
    assert "indikator 563" in row["source_title"] and row["source_type"] == "primary"
    old = before.set_index(["period", "region_code", "sex"])
    merged = after.set_index(["period", "region_code", "sex"]).loc[old.index]
    assert merged.equals(old)                                   # the rows already there are untouched
    log = list(csv.DictReader((data / "raw" / "imports.csv").open(encoding="utf-8")))
    assert log[-1]["format"] == "oj-datalista" and len(log[-1]["sha256"]) == 64
    assert log[-1]["sha256"].startswith(row["source_ref"].split("sha256:")[1])
    assert "sjukfranvaro_landsting +5 =0" in log[-1]["tables"]


def test_importing_the_same_file_again_changes_nothing(data):
    assert cli(FIXTURES / "fk_sjukfall_diagnos.csv", "--data", data).exit_code == 0
    tables = checksums(data / "tables")
    result = cli(FIXTURES / "fk_sjukfall_diagnos.csv", "--data", data)
    assert result.exit_code == 0 and "0 new rows" in result.output and "nothing new" in result.output
    assert checksums(data / "tables") == tables


def test_only_the_changed_tables_are_rebuilt_in_the_store(data):
    before = store.table_checksums(data)
    assert cli(FIXTURES / "af_yrkesprognos.json", "--data", data).exit_code == 0
    after = store.table_checksums(data)
    assert {n for n in after if after[n] != before[n]} == {"bristindex"}
    update = store.build(data / "tillit.duckdb", data=data)
    assert update.rebuilt == ["bristindex"]


def test_a_conflicting_value_is_reported_and_nothing_written(data, tmp_path):
    text = (FIXTURES / "oj_datalista.csv").read_bytes().decode("cp1252")
    # 2017 Stockholm total is 6.3 in the default data; 2018 rows are new
    text = text.replace(";Stockholm;LAN;1;0;0;2018;Totalt;;6.4;", ";Stockholm;LAN;1;0;0;2017;Totalt;;6.9;")
    bad = tmp_path / "oj_conflict.csv"
    bad.write_bytes(text.encode("cp1252"))
    before = checksums(data.parent)
    result = cli(bad, "--data", data)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "oj_conflict.csv, row 2, column 'value'" in errors[0]
    assert "existing value 6.3, new 6.9" in errors[0] and "sjukfranvaro_landsting.csv" in errors[0]
    assert checksums(data.parent) == before


def test_replace_overwrites_deliberately_and_lists_each_value(data, tmp_path):
    text = (FIXTURES / "oj_datalista.csv").read_bytes().decode("cp1252")
    text = text.replace(";Stockholm;LAN;1;0;0;2018;Totalt;;6.4;", ";Stockholm;LAN;1;0;0;2017;Totalt;;6.9;")
    bad = tmp_path / "oj_revised.csv"
    bad.write_bytes(text.encode("cp1252"))
    result = cli(bad, "--data", data, "--replace")
    assert result.exit_code == 0, result.output
    assert "replaced sjukfranvaro_landsting [period=2017, region_code=01, sex=T] value: 6.3 → 6.9" in result.output
    frame = table(data, "sjukfranvaro_landsting").set_index(["period", "region_code", "sex"])
    assert frame.loc[("2017", "01", "T"), "value"] == "6.9"
    assert frame.loc[("2017", "01", "T"), "source_ref"].startswith("oj_revised.csv:")


def test_values_that_agree_to_two_decimals_are_the_same_value(data, tmp_path):
    text = (FIXTURES / "oj_datalista.csv").read_bytes().decode("cp1252")
    text = text.replace(";Stockholm;LAN;1;0;0;2018;Totalt;;6.4;", ";Stockholm;LAN;1;0;0;2017;Totalt;;6.29999;")
    path = tmp_path / "oj_precise.csv"
    path.write_bytes(text.encode("cp1252"))
    report = import_files([path], data=data)
    change = report.changes["sjukfranvaro_landsting"]
    assert (change.added, change.unchanged, change.rounded) == (4, 1, 1)
    frame = table(data, "sjukfranvaro_landsting").set_index(["period", "region_code", "sex"])
    assert frame.loc[("2017", "01", "T"), "value"] == "6.3"      # kept as it was


def test_dry_run_writes_nothing(data):
    before = checksums(data.parent)
    result = cli(FIXTURES / "ihp_vardanalys_2019.csv", "--data", data, "--dry-run")
    assert result.exit_code == 0 and "ihp: 21 new rows" in result.output and "dry run" in result.output
    assert checksums(data.parent) == before


def test_several_files_are_one_import_all_or_nothing(data):
    before = checksums(data.parent)
    result = cli(FIXTURES / "af_yrkesprognos.json", Path(__file__).parent / "bad" / "negative_count_fk.csv",
                 "--data", data)
    assert result.exit_code == 1 and "negative_count_fk.csv, row 3" in result.output
    assert checksums(data.parent) == before


def test_the_same_key_in_two_files_is_a_duplicate(data, tmp_path):
    copy = tmp_path / "again.json"
    copy.write_bytes((FIXTURES / "af_yrkesprognos.json").read_bytes())
    with pytest.raises(DataErrors, match="duplicate key"):
        import_files([FIXTURES / "af_yrkesprognos.json", copy], data=data)


def test_kolada_pages_and_metadata_import_together(data):
    result = cli(FIXTURES / "kolada_v2_N00090_page1.json", FIXTURES / "kolada_v2_N00090_page2.json",
                 FIXTURES / "kolada_kpi_N00090.json", "--data", data)
    assert result.exit_code == 0, result.output
    assert "one page of several" not in result.output
    sector = table(data, "sjukfranvaro_sektor")
    kolada = sector[sector["series"] == "kolada_N00090"]
    assert len(kolada) == 6 and kolada["source_title"].str.contains("Sjukfrånvaro kommunalt anställda totalt").all()
    kommun = table(data, "personalnyckeltal_kommun")
    imported = kommun[kommun["source_ref"].str.startswith("kolada_v2_N00090")]
    assert set(imported["kommun_code"]) == {"1283", "1284"} and set(imported["period"]) == {"2019", "2020"}
    single = cli(FIXTURES / "kolada_v2_N00090_page1.json", "--data", data, "--dry-run")
    assert "one page of several" in single.output


def test_table_option_restricts_and_checks(data):
    report = import_files([FIXTURES / "oj_datalista.csv"], data=data, table="patientenkat", dry_run=True)
    assert set(report.changes) == {"patientenkat"}
    with pytest.raises(NoTableFits, match="fills bristindex, not ihp"):
        import_files([FIXTURES / "af_yrkesprognos.json"], data=data, table="ihp")
    with pytest.raises(DataError, match="no table named"):
        import_files([FIXTURES / "af_yrkesprognos.json"], data=data, table="nonsense")


def test_format_option_overrides_detection(data, tmp_path):
    path = tmp_path / "ihp.txt"
    path.write_text("Fråga;Sverige;Norge;Schweiz;Danmark\nHar fast läkare;40;60;70;80\n", encoding="utf-8")
    result = cli(path, "--data", data, "--format", "ihp-csv", "--period", "2016", "--population", "65+")
    assert result.exit_code == 1 and "unexpected column 'Danmark'" in result.output


def test_workbook_and_api_formats_end_to_end(data, tmp_path):
    xlsx = make_fk_xlsx(tmp_path / "fk.xlsx")
    result = cli(xlsx, "--data", data)
    assert result.exit_code == 0, result.output
    result = cli(FIXTURES / "fk_api_diagnos.json", FIXTURES / "fk_api_meta.json", "--data", data)
    assert result.exit_code == 1       # 2019K3 is now present from the workbook with other values
    assert "conflicts with data/tables/sjukfall_diagnos.csv" in result.output


def test_every_table_stays_valid_after_imports(data):
    for name in ("pxweb_sjukfall_sektor.csv", "pxweb_sjukfall_sektor.json", "fk_api_sjukpenningtal.json",
                 "af_yrkesbarometer.json", "kolada_v3_N60030.json", "ihp_vardanalys_2019.csv"):
        result = cli(FIXTURES / name, "--data", data)
        assert result.exit_code == 0, (name, result.output)
    update = store.build(data / "tillit.duckdb", data=data)   # validates every changed table again
    assert set(update.rebuilt) == {"sjukfall_sektor_scb", "sjukpenningtal_lan", "bristindex", "sjukfranvaro_landsting", "ihp"}


def test_help_texts():
    assert "Import publishers' FILES" in CliRunner().invoke(import_command, ["--help"]).output
    assert "Fetch SOURCE" in CliRunner().invoke(fetch_command, ["--help"]).output


def test_markup_never_reaches_a_table(data, tmp_path):
    rows = json.loads((FIXTURES / "af_yrkesbarometer.json").read_text(encoding="utf-8"))
    rows[0]["yb_yrke"] = "Sjuksköterskor <iframe src=javascript:alert(1)>"
    path = tmp_path / "yb.json"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    result = cli(path, "--data", data)
    assert result.exit_code == 1 and "column 'yb_yrke'" in result.output and "markup" in result.output
