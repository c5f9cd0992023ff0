"""Fuzzing every importer (hypothesis): random bytes, CSV of random shape, random JSON and mutated publisher files,
each given to every format. Only two outcomes are allowed: a clean import, or a DataError naming the file. Never
another exception, never a change to data/ when the import fails, never a change to the project's own data/.

$TILLIT_FUZZ_EXAMPLES sets the examples per test (default 40); CI runs a fixed (derandomized) set."""
from __future__ import annotations

import copy
from collections import Counter
import io
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from importkit import FIXTURES, ROOT, checksums, project_copy  # noqa: E402

from tillit.core.errors import DataError, DataErrors  # noqa: E402
from tillit.ingest.importer import import_files  # noqa: E402
from tillit.ingest.formats import FORMATS  # noqa: E402

pytestmark = pytest.mark.xdist_group("fuzz")

OUTCOMES: Counter = Counter()
EXAMPLES = int(os.environ.get("TILLIT_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FORMAT_NAMES = [None, *FORMATS]   # None: the format is detected from the content
CSV_FIXTURES = ["fk_sjukfall_diagnos.csv", "ihp_vardanalys_2019.csv", "oj_datalista.csv", "pxweb_sjukfall_sektor.csv",
                "pxweb_sjukfall_sektor_en.csv"]
JSON_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.json"))


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """A throw-away project's data/ (the project's own data/ is checked to be unchanged at the end)."""
    own = checksums(ROOT / "data" / "tables")
    folder = project_copy(tmp_path_factory, tmp_path_factory.mktemp("fuzz") / "project")
    yield folder
    assert checksums(ROOT / "data" / "tables") == own, "fuzzing changed the project's own data/tables"
    if os.environ.get("TILLIT_FUZZ_REPORT"):
        print(f"\nfuzz outcomes: {dict(OUTCOMES)}")


def _text(name: str) -> str:
    raw = (FIXTURES / name).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def check(data: Path, content: bytes, fmt: str | None, suffix: str, table: str | None = None) -> str:
    """Import `content` as a file; the outcome must be a report or DataError(s) naming the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz-input{suffix}"
        path.write_bytes(content)
        before = checksums(data)
        try:
            import_files([path], data=data, fmt=fmt, table=table)
        except DataErrors as err:
            OUTCOMES["DataErrors"] += 1
            assert err.errors, "DataErrors without errors"
            assert all("fuzz-input" in e.file for e in err.errors), [str(e) for e in err.errors[:3]]
            assert checksums(data) == before, "a failed import changed data/"
            return "error"
        except DataError as err:
            OUTCOMES[err.message.split(" (")[0][:60]] += 1
            assert "fuzz-input" in err.file, str(err)
            assert checksums(data) == before, "a failed import changed data/"
            return "error"
    OUTCOMES["imported"] += 1
    return "imported"


# --- random bytes -------------------------------------------------------------------------------------------------

@FUZZ
@given(content=st.binary(max_size=3000), fmt=st.sampled_from(FORMAT_NAMES),
       suffix=st.sampled_from([".csv", ".json", ".xlsx", ""]))
def test_random_bytes(data, content, fmt, suffix):
    check(data, content, fmt, suffix)


@FUZZ
@given(prefix=st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"{", b"[", b"<html>", b'"']),
       content=st.binary(max_size=2000), fmt=st.sampled_from(FORMAT_NAMES))
def test_random_bytes_behind_a_telling_start(data, prefix, content, fmt):
    check(data, prefix + content, fmt, ".dat")


# --- CSV of random shape ------------------------------------------------------------------------------------------

CELL = st.one_of(
    st.sampled_from(["", "..", ".", "-", "–", "0", "1", "-1", "100", "101", "1 234,5", "1,5", "12.5%", "n/a", "NaN",
                     "inf", "1e308", "2019", "2019K1", "2019M13", "2015-2017", "Samtliga", "F00-F99", "01", "99",
                     "Stockholms län", "kvinnor", "män", "totalt", "<b>x</b>", "javascript:alert(2)", '"', "''",
                     "\u00a0", "\ufeff", "\x00", "Ã¶", "Sverige", "SE", "2221"]),
    st.text(max_size=12),
)


@st.composite
def csv_file(draw) -> bytes:
    sep = draw(st.sampled_from([",", ";", "\t"]))
    fixture = draw(st.sampled_from(CSV_FIXTURES))
    lines = _text(fixture).split("\n")
    header_at = next(i for i, line in enumerate(lines) if line.count(",") + line.count(";") >= 2)
    header = [h.strip('"') for h in lines[header_at].replace(";", ",").split(",")]
    if draw(st.booleans()):
        header = draw(st.lists(st.sampled_from(header + ["x", "", "År"]), min_size=1, max_size=len(header) + 2))
    width = len(header)
    rows = draw(st.lists(st.lists(CELL, min_size=max(0, width - 2), max_size=width + 2), max_size=12))
    title = lines[:header_at] if draw(st.booleans()) else []

    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if draw(st.booleans()) else cell

    body = [sep.join(quote(h) for h in header)] + [sep.join(quote(c) for c in row) for row in rows]
    text = "\n".join([*title, *body]) + draw(st.sampled_from(["", "\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(content=csv_file(), fmt=st.sampled_from([None, "pxweb-csv", "fk-csv", "oj-datalista", "ihp-csv"]),
       table=st.sampled_from([None, None, "sjukfranvaro_landsting", "sjukfall_diagnos"]))
def test_csv_of_random_shape(data, content, fmt, table):
    check(data, content, fmt, ".csv", table)


@st.composite
def mutated_text(draw) -> bytes:
    """A publisher's file with lines dropped, repeated or cut, or cells replaced."""
    fixture = draw(st.sampled_from(CSV_FIXTURES + JSON_FIXTURES))
    text = _text(fixture)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "drop line", "repeat line", "replace", "insert"]))
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        if op == "cut":
            text = text[:at]
        elif op in ("drop line", "repeat line"):
            start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
            end = len(text) if end < 0 else end + 1
            text = text[:start] + (text[start:end] * 2 if op == "repeat line" else "") + text[end:]
        elif op == "replace":
            width = draw(st.integers(1, 8))
            text = text[:at] + draw(CELL) + text[at + width:]
        else:
            text = text[:at] + draw(st.sampled_from([",", ";", '"', "\n", "{", "}", "[", "]", ":", "null", "-1", "1e9"])) + text[at:]
    return text.encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])), errors="replace")


@FUZZ
@given(content=mutated_text(), fmt=st.sampled_from(FORMAT_NAMES))
@example(content=(FIXTURES / "oj_datalista.csv").read_bytes(), fmt=None)   # untouched files: through the merge too
@example(content=(FIXTURES / "kolada_v3_N60030.json").read_bytes(), fmt="kolada")
def test_mutated_publisher_files(data, content, fmt):
    check(data, content, fmt, ".txt")


# --- random JSON ----------------------------------------------------------------------------------------------------

SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False),
                   st.text(max_size=10), st.sampled_from(["..", "2019", "2019K1", "0180", "T", "K", "M", "1", ""]))
JSON = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                    max_leaves=20)
KEYS = ["class", "dataset", "dimension", "value", "id", "size", "role", "category", "index", "label", "status",
        "values", "kpi", "municipality", "period", "gender", "count", "next_page", "meta", "observations", "variables",
        "title", "ssyk", "yrkesgrupp", "bristvarde", "year", "data", "extension"]


@st.composite
def mutated_json(draw) -> bytes:
    """A publisher's JSON with a random part replaced by random JSON (keys from the publishers' vocabulary)."""
    tree = json.loads(_text(draw(st.sampled_from(JSON_FIXTURES))))
    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, 3))):
        node = tree
        for _ in range(draw(st.integers(0, 4))):
            if isinstance(node, dict) and node:
                child = node[draw(st.sampled_from(sorted(node)))]
            elif isinstance(node, list) and node:
                child = node[draw(st.integers(0, len(node) - 1))]
            else:
                break
            if not isinstance(child, (dict, list)):
                break
            node = child
        new = draw(st.one_of(JSON, SCALAR))
        if isinstance(node, dict):
            key = draw(st.sampled_from(sorted(node) + KEYS))
            if draw(st.booleans()) and key in node:
                del node[key]
            else:
                node[key] = new
        elif isinstance(node, list):
            if node and draw(st.booleans()):
                node[draw(st.integers(0, len(node) - 1))] = new
            else:
                node.append(new)
    return json.dumps(tree, ensure_ascii=draw(st.booleans())).encode("utf-8")


@FUZZ
@given(content=mutated_json(), fmt=st.sampled_from(FORMAT_NAMES))
def test_mutated_publisher_json(data, content, fmt):
    check(data, content, fmt, ".json")


@FUZZ
@given(tree=st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6) | JSON, fmt=st.sampled_from(FORMAT_NAMES))
def test_random_json(data, tree, fmt):
    check(data, json.dumps(tree).encode("utf-8"), fmt, ".json")


# --- workbooks ----------------------------------------------------------------------------------------------------

@FUZZ
@given(rows=st.lists(st.lists(st.one_of(CELL, st.integers(-10**6, 10**9), st.floats(allow_nan=True), st.none()),
                              max_size=12), max_size=8),
       header=st.sampled_from([["År", "Kvartal", "Diagnoskapitel kod", "Diagnoskapitel"], ["Item", "AUS", "SWE", "US"],
                               ["Fråga", "Sverige", "Norge"], []]),
       fmt=st.sampled_from([None, "fk-xlsx", "ihp-xlsx"]))
def test_random_workbooks(data, rows, header, fmt):
    from openpyxl import Workbook

    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    sheet = book.active
    sheet.append(["Titel (testdata)"])
    if header:
        sheet.append(header)
    out = io.BytesIO()
    try:
        for row in rows:
            sheet.append(row)
        book.save(out)
    except IllegalCharacterError:   # openpyxl refuses control characters itself: no workbook to import
        return
    check(data, out.getvalue(), fmt, ".xlsx")
