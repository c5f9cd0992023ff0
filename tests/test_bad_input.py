"""The bad-input corpus (tests/bad/): each file gives one clear error naming file, row and column, exit status ≠ 0,
and leaves data/, the store and the last built book exactly as they were."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from importkit import BAD, FIXTURES, checksums, project_copy  # noqa: E402

from tillit.cli_data import import_command  # noqa: E402

# file → (row, column) the one error must name; column None where a file has no columns to name
CORPUS = {
    "wrong_encoding_fk.csv": (3, "diagnoskapitel_text", "wrong encoding"),
    "truncated_fk.csv": (4, "antal", "truncated"),
    "truncated_kolada.json": (23, "char 10", "truncated"),
    "missing_column_fk.csv": (1, "antal_kvinnor", "missing"),
    "extra_column_fk.csv": (3, "field 11", "11 fields"),
    "extra_header_column_oj.csv": (1, "region_namn", "unexpected column"),
    "text_in_numeric_fk.csv": (3, "antal_kvinnor", "not a number"),
    "pct_out_of_range_oj.csv": (3, "value", "above the maximum 100"),
    "negative_count_fk.csv": (3, "antal", "below the minimum 0"),
    "duplicate_keys_oj.csv": (4, "period+cat_code+sex_all", "duplicate key: row 2"),
    "unknown_region_oj.csv": (3, "cat_code", "unknown region '99'"),
    "unknown_occupation_af.json": (26, "ssyk", "unknown occupation code '23430'"),
    "empty.csv": (1, None, "empty"),
    "html_label_fk.csv": (3, "diagnoskapitel_text", "markup"),
    "html_label_ihp.csv": (4, "Fråga", "markup"),
    "text_in_numeric_who.csv": (2, "FactValueNumeric", "not a number"),
}


@pytest.fixture
def project(tmp_path, tmp_path_factory) -> Path:
    project_copy(tmp_path_factory, tmp_path / "project")
    return tmp_path / "project"


def run(path: Path, project: Path, *extra: str):
    before = checksums(project)
    result = CliRunner().invoke(import_command, [str(path), "--data", str(project / "data"), *extra])
    assert checksums(project) == before, "data/, the store or the built book changed"
    return result


def one_error(result) -> str:
    assert result.exit_code not in (0, None), result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    return errors[0]


def test_the_corpus_is_complete():
    assert {p.name for p in BAD.iterdir()} == set(CORPUS)
    assert (BAD / "empty.csv").stat().st_size == 0


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_gives_one_clear_error_and_changes_nothing(name, project):
    row, column, words = CORPUS[name]
    error = one_error(run(BAD / name, project))
    assert f"tests/bad/{name}" in error or name in error
    assert f"row {row}" in error
    if column is not None:
        assert f"column '{column}'" in error
    assert words in error
    assert "Traceback" not in error


def test_bad_input_through_a_subprocess_exit_status(project):
    import subprocess

    code = ("import sys; from tillit.cli_data import import_command; "
            "sys.exit(import_command.main(sys.argv[1:], standalone_mode=True))")
    before = checksums(project)
    done = subprocess.run([sys.executable, "-c", code, str(BAD / "negative_count_fk.csv"), "--data",
                           str(project / "data")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "negative_count_fk.csv, row 3, column 'antal'" in done.stderr
    assert checksums(project) == before


def test_huge_file_with_one_bad_value_deep_inside(project, tmp_path):
    """A generated ~12 MB Försäkringskassan CSV (never committed): the one bad cell near the end is found and named."""
    path = tmp_path / "huge_fk.csv"
    header = (FIXTURES / "fk_sjukfall_diagnos.csv").read_text(encoding="utf-8").split("\n")[0]
    lines = [header]
    n = 0
    for year in range(1000, 2100):
        for quarter in range(1, 5):
            for chapter in range(110):
                n += 1
                lines.append(f"{year},{quarter},X{chapter:02d},Kapitel {chapter},{n},1.0,{n // 2},1.0,{n - n // 2},1.0")
    bad_line = len(lines) - 7
    lines[bad_line - 1] = lines[bad_line - 1].replace(",1.0,", ",ett,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 10e6
    started = time.monotonic()
    error = one_error(run(path, project))
    assert f"row {bad_line}, column 'andel'" in error and "'ett' is not a number" in error
    assert time.monotonic() - started < 120   # generous: the machine may be busy; minutes would mean a regression


def test_huge_file_above_the_size_limit_is_refused_before_reading(project, tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.seek(64 * 1024 * 1024)
        handle.write(b"\n")
    monkeypatch.setenv("TILLIT_MAX_IMPORT_BYTES", str(32 * 1024 * 1024))
    error = one_error(run(path, project))
    assert "above the import limit" in error and "TILLIT_MAX_IMPORT_BYTES" in error


def test_markup_in_a_label_deep_in_a_fixture_is_named(project, tmp_path):
    text = (FIXTURES / "oj_datalista.csv").read_bytes().decode("cp1252")
    text = text.replace("Uppgift saknas", "<a href='javascript:alert(1)'>Uppgift saknas</a>")
    path = tmp_path / "oj_markup.csv"
    path.write_bytes(text.encode("cp1252"))
    error = one_error(run(path, project))
    assert "row 7, column 'comment'" in error and "markup" in error
