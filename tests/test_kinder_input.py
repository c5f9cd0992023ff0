"""Kinder input handling: byte-order marks decide the encoding, repeated errors are one line, a PxWeb metadata response
is named as such, and a damaged store is rebuilt from data/tables with a note instead of a stack trace."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from importkit import FIXTURES, checksums, project_copy  # noqa: E402

from tillit.tables import store  # noqa: E402
from tillit.cli import main  # noqa: E402
from tillit.cli_data import import_command  # noqa: E402
from tillit.core.errors import DataError, DataErrors, grouped, row_ranges  # noqa: E402
from tillit.ingest.importer import import_files  # noqa: E402


@pytest.fixture
def project(tmp_path, tmp_path_factory) -> Path:
    project_copy(tmp_path_factory, tmp_path / "project")
    return tmp_path / "project"


# --- byte-order marks -------------------------------------------------------------------------------------------

def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")   # some publishers write Windows-1252


def _changes(report) -> dict:
    return {name: (c.added, c.unchanged, c.rows_after) for name, c in report.changes.items()}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-32"])
@pytest.mark.parametrize("fixture", ["pxweb_sjukfall_sektor.csv", "oj_datalista.csv", "fk_sjukfall_diagnos.csv"])
def test_a_file_saved_with_a_byte_order_mark_imports_like_the_original(project, tmp_path, fixture, encoding):
    text = _text(FIXTURES / fixture)
    saved = tmp_path / f"saved-{encoding}-{fixture}"
    saved.write_bytes(text.encode(encoding))
    expected = import_files([FIXTURES / fixture], data=project / "data", dry_run=True)
    got = import_files([saved], data=project / "data", dry_run=True)
    assert got.files[0].format == expected.files[0].format
    assert _changes(got) == _changes(expected)


def test_utf16_import_writes_the_same_rows_as_utf8(project, tmp_path):
    saved = tmp_path / "sektor-unicode.csv"
    saved.write_bytes(_text(FIXTURES / "pxweb_sjukfall_sektor.csv").encode("utf-16"))
    import_files([saved], data=project / "data")
    table = pd.read_csv(project / "data" / "tables" / "sjukfall_sektor_scb.csv", dtype=str)
    assert table["source_ref"].str.contains("sektor-unicode.csv").any()
    assert not table.apply(lambda col: col.astype(str).str.contains("\x00|\ufeff")).any().any()


# --- repeated errors ----------------------------------------------------------------------------------------------

def test_row_ranges():
    assert row_ranges([2, 3, 4, 7, 9, 10, 3]) == "2–4, 7, 9–10"
    assert row_ranges([5]) == "5"


def test_the_same_error_on_many_rows_is_one_line():
    errors = [DataError("x.csv", n, "source_url", "'javascript:alert(2)' is not an http(s) address") for n in range(2, 23)]
    errors += [DataError("x.csv", 30, "value", "'abc' is not a number"), DataError("x.csv", 31, "value", "'abd' is not a number")]
    lines = grouped(errors)
    assert lines == ["x.csv, rows 2–22 (21 rows), column 'source_url': 'javascript:alert(2)' is not an http(s) address",
                     "x.csv, row 30, column 'value': 'abc' is not a number",
                     "x.csv, row 31, column 'value': 'abd' is not a number"]
    assert str(DataErrors(errors)).splitlines() == lines


def test_validate_names_21_bad_rows_in_one_line(project, monkeypatch):
    path = project / "data" / "tables" / "sjukfranvaro_landsting.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0:20, "source_url"] = "javascript:alert(2)"
    frame.to_csv(path, index=False, lineterminator="\n")
    monkeypatch.setenv("TILLIT_ROOT", str(project))
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "sjukfranvaro_landsting.csv" in line]
    assert len(lines) == 1, result.output
    assert "rows 2–22 (21 rows), column 'source_url': 'javascript:alert(2)' is not an absolute http(s) address" in lines[0]


# --- PxWeb metadata -------------------------------------------------------------------------------------------------

def _one_error(result) -> str:
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    return errors[0]


@pytest.mark.parametrize("shape", ["no value", "empty value", "null value"])
def test_a_pxweb_metadata_response_is_named_as_such(project, tmp_path, shape):
    data = json.loads((FIXTURES / "scb_metadata_TAB9999.json").read_text(encoding="utf-8"))
    if shape != "no value":
        data["value"] = [] if shape == "empty value" else None
    path = tmp_path / "TAB9999-metadata.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = checksums(project)
    for extra in ([], ["--format", "pxweb-json"]):
        error = _one_error(CliRunner().invoke(import_command, [str(path), "--data", str(project / "data"), *extra]))
        assert "TAB9999-metadata.json" in error and "PxWeb metadata response for table TAB9999" in error
        assert "truncated" not in error and "tillit fetch scb --table-id TAB9999" in error
    assert checksums(project) == before


def test_metadata_alongside_its_data_is_a_note(project):
    result = CliRunner().invoke(import_command, [str(FIXTURES / "scb_metadata_TAB9999.json"),
                                                 str(FIXTURES / "scb_data_TAB9999_2021K1.json"),
                                                 "--data", str(project / "data"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "PxWeb metadata response for table TAB9999 (variables and values, no figures): nothing imported" in result.output


def test_a_pxweb_v1_table_description_is_metadata_too(project, tmp_path):
    path = tmp_path / "v1.json"
    path.write_text(json.dumps({"title": "Sjukfall", "variables": [{"code": "Tid", "values": ["2021K1"]}]}))
    error = _one_error(CliRunner().invoke(import_command, [str(path), "--data", str(project / "data")]))
    assert "PxWeb metadata response" in error


# --- a damaged store ----------------------------------------------------------------------------------------------

def _damage(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 3])
    elif how == "garbage":
        path.write_bytes(b"not a database\n" * 100)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "flipped bytes":
        damaged = bytearray(raw)
        for i in range(len(raw) // 2, len(raw), 4099):
            damaged[i] ^= 0xFF
        path.write_bytes(bytes(damaged))


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "flipped bytes"])
def test_a_damaged_store_is_rebuilt_from_the_tables_with_a_note(project, how):
    path = project / "data" / "tillit.duckdb"
    tables_before = checksums(project / "data" / "tables")
    _damage(path, how)
    update = store.build(path, data=project / "data")
    assert update.note and "rebuilt from data/tables" in update.note
    assert len(update.rebuilt) == len(tables_before)
    assert not Path(str(path) + ".wal").exists()
    db = store.connect(path)
    try:
        assert len(db.sql('SELECT * FROM "sjukfranvaro_landsting"')) > 0
    finally:
        db.close()
    assert store.build(path, data=project / "data").note is None, "the rebuilt store is good"
    assert checksums(project / "data" / "tables") == tables_before


def test_the_store_command_says_so_and_succeeds(project, monkeypatch):
    path = project / "data" / "tillit.duckdb"
    _damage(path, "truncated")
    monkeypatch.setenv("TILLIT_ROOT", str(project))
    result = CliRunner().invoke(main, ["store", "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "note: tillit.duckdb was unreadable" in result.output and "Traceback" not in result.output
