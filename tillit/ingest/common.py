"""Shared parsing helpers for publisher files: text decoding, CSV/JSON with line numbers, numbers, codes, periods."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from json.decoder import scanstring
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tillit.tables.catalog import vocab
from tillit.core.errors import DataError

# --- what a parser returns ------------------------------------------------------------------------------------

PROVENANCE_FILLED_BY_PARSER = ("source_publisher", "source_title", "source_url", "source_type", "quote", "note")


@dataclass
class Context:
    """What the importer tells a parser: how to name the file, overrides, and metadata from sidecar files."""

    file: str                                   # display name used in every error message
    path: Path | None = None
    source_url: str | None = None               # where the file came from (set by `tillit fetch`)
    source_title: str | None = None             # override the title the parser would give
    table: str | None = None                    # --table: the analyst names the target table
    options: dict[str, Any] = field(default_factory=dict)   # format-specific (period, population, measure …)
    meta: dict[str, Any] = field(default_factory=dict)      # from metadata files imported alongside (Kolada KPI titles, FK labels)


@dataclass
class Parsed:
    """Rows for catalog tables read from one publisher file.

    Each frame holds the table's data columns, the provenance columns a parser can know (publisher, title, url,
    type, quote, note), `_line` (the row's line/record in the source file) and optionally `_src_<column>` naming
    the source column a catalog column was read from, row by row (used to point errors at the right cell)."""

    format: str
    publisher: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> catalog column -> source column
    notes: list[str] = field(default_factory=list)     # rows deliberately left out, and why
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # metadata offered to other files in the same import

    skipped: dict[str, int] = field(default_factory=dict)   # reason → rows left out

    def skip(self, reason: str) -> None:
        """Count a row deliberately left out; the reasons are reported (never a silent drop)."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add(self, table: str, rows, columns: dict[str, str] | None = None) -> None:
        if len(rows) == 0:
            return
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
        if table in self.tables:
            frame = pd.concat([self.tables[table], frame], ignore_index=True)
        self.tables[table] = frame
        if columns:
            self.columns.setdefault(table, {}).update(columns)


class NoTableFits(DataError):
    """The file is readable but no catalog table holds what it contains."""


# --- text ----------------------------------------------------------------------------------------------------

_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|Ã[¥¤¶…„–©]|â€[\u0090-\u00bf™œ\u009d]")
_C1 = re.compile(r"[\u0080-\u009f]")


def _where(text: str, offset: int, sep: str | None) -> tuple[int, str | None]:
    """Line (1-based) and column name (from the header) at a character offset of a delimited text."""
    line = text.count("\n", 0, offset) + 1
    if sep is None:
        return line, None
    start = text.rfind("\n", 0, offset) + 1
    header_end = text.find("\n")
    header = next(csv.reader([text[: header_end if header_end >= 0 else len(text)].rstrip("\r")], delimiter=sep), [])
    prefix = text[start:offset]
    index = len(next(csv.reader([prefix], delimiter=sep), [""])) - 1 if prefix else 0
    name = header[index].strip() if 0 <= index < len(header) else f"field {index + 1}"
    return line, name


# byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one)
BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def bom_encoding(raw: bytes) -> tuple[str, int] | None:
    """(encoding, length of the mark) when the bytes start with a Unicode byte-order mark."""
    for mark, encoding in BOMS:
        if raw.startswith(mark):
            return encoding, len(mark)
    return None


def text_head(raw: bytes, size: int = 65536) -> str:
    """The start of a file as text, for telling formats apart (a byte-order mark says the encoding)."""
    found = bom_encoding(raw)
    encoding, skip = found if found else ("utf-8", 0)
    return raw[skip: skip + size].decode(encoding, errors="replace")


def decode(raw: bytes, file: str, encodings: tuple[str, ...] = ("utf-8", "cp1252"), sep: str | None = None) -> str:
    """Text of a publisher file: a byte-order mark decides the encoding (UTF-8, UTF-16 or UTF-32, as spreadsheet
    programs save "Unicode text"); otherwise the given encodings are tried. A clear DataError when none fits.

    Rejects UTF-16 without a byte-order mark, undecodable bytes, C1 control characters (a sign of the wrong 8-bit
    code page) and UTF-8 that was read as Latin-1 and saved again (mojibake such as 'Ã¶')."""
    found = bom_encoding(raw)
    if found and found[0] != "utf-8":
        encoding, skip = found
        try:
            text = raw[skip:].decode(encoding)
        except UnicodeDecodeError as err:
            good = raw[skip: skip + err.start].decode(encoding, errors="replace")
            line, column = _where(good, len(good), sep)
            raise DataError(file, line, column, f"the file starts with a {encoding.upper()} byte-order mark, but byte "
                            f"{err.start + skip} cannot be read as {encoding.upper()} (a damaged or truncated file?)") from None
        raw, encodings = text.encode("utf-8"), ("utf-8",)
    elif len(raw) > 3 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00":
        raise DataError(file, 1, None, "the file looks like UTF-16 text without a byte-order mark; save it as UTF-8 "
                        "(or as UTF-16 with a byte-order mark) and import again")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        encodings = ("utf-8",)
    if b"\x00" in raw[:4096]:
        raise DataError(file, _where(raw[: raw.index(b"\x00")].decode("latin-1"), raw.index(b"\x00"), None)[0], None,
                        "the file contains NUL bytes: it is not a text file")
    first_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as err:
            first_error = first_error or err
            continue
        bad = _C1.search(text) if encoding in ("latin-1", "iso-8859-1") else None
        if bad:
            line, column = _where(text, bad.start(), sep)
            raise DataError(file, line, column, f"wrong encoding: control character U+{ord(bad.group()):04X} "
                            "in the text (the file is neither UTF-8 nor Latin-1/Windows-1252)")
        garbled = _MOJIBAKE.search(text)
        if garbled:
            line, column = _where(text, garbled.start(), sep)
            raise DataError(file, line, column, f"wrong encoding: {garbled.group()!r} looks like UTF-8 text that was "
                            "decoded as Latin-1 and saved again (mojibake); export the file again from the publisher")
        return text.replace("\r\n", "\n").replace("\r", "\n")
    assert first_error is not None
    good = raw[: first_error.start].decode(first_error.encoding, errors="replace")
    line, column = _where(good, len(good), sep)
    raise DataError(file, line, column, f"wrong encoding: byte 0x{raw[first_error.start]:02x} cannot be read as "
                    f"{' or '.join(encodings)}; save the file as UTF-8")


def sniff_separator(header_line: str, candidates: str = ",;\t") -> str:
    counts = {c: header_line.count(c) for c in candidates}
    return max(counts, key=counts.get) if max(counts.values()) > 0 else ","


@dataclass
class CsvRows:
    """A delimited file read as text: the header, every cell as a string (frame) and each row's line in the file."""

    header: list[str]
    frame: pd.DataFrame
    lines: list[int]
    header_line: int = 1

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        return list(zip(self.lines, (list(r) for r in self.frame.itertuples(index=False, name=None))))


def read_delimited(text: str, file: str, sep: str | None = None, header_line: int | None = None,
                   required: tuple[str, ...] = (), known: tuple[str, ...] | None = None) -> CsvRows:
    """Rows of a delimited text with their line numbers; ragged rows, missing and unknown columns are DataErrors.

    `header_line` (1-based) skips title lines above the header; by default the first non-empty line. Well-formed
    files go through pandas' C parser; anything irregular is read again row by row to name the exact line."""
    if not text.strip():
        raise DataError(file, 1, None, "the file is empty (no header line, no rows)")
    lines = text.split("\n")
    if header_line is None:
        header_line = next(i for i, line in enumerate(lines, 1) if line.strip())
    sep = sep or sniff_separator(lines[header_line - 1])
    try:
        header = [_clean_header(h) for h in next(csv.reader([lines[header_line - 1]], delimiter=sep, strict=True))]
    except csv.Error as err:
        raise DataError(file, header_line, None, f"the header line is not well-formed CSV: {err}") from None
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise DataError(file, header_line, dup, "the header names this column twice")
    for name in required:
        if name not in header:
            raise DataError(file, header_line, name, f"required column {name!r} is missing (header: {', '.join(header)})")
    if known is not None:
        for name in header:
            if name not in known:
                raise DataError(file, header_line, name, f"unexpected column {name!r}; this format has "
                                f"{', '.join(known)} (is it another kind of file? use --format)")
    body_lines = lines[header_line:]
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    fast = _read_fast(body_lines, sep, header)
    if fast is not None:
        if fast.empty:
            raise DataError(file, header_line + 1, None, "the file has a header but no data rows")
        return CsvRows(header, fast, list(range(header_line + 1, header_line + 1 + len(fast))), header_line)
    return _read_slow(text, lines, file, sep, header, header_line)


def _read_fast(body_lines: list[str], sep: str, header: list[str]) -> pd.DataFrame | None:
    """The body through pandas' C parser, or None unless every line is one row with exactly the header's fields
    (then the slow reader names the exact line of the problem)."""
    if not body_lines:
        return pd.DataFrame(columns=header, dtype=object)
    if any(not line.strip() for line in body_lines):
        return None
    body = "\n".join(body_lines)
    if '"' in body:
        for line in body_lines:
            if '"' not in line and line.count(sep) != len(header) - 1:
                return None
            if '"' in line:
                try:
                    if len(next(csv.reader([line], delimiter=sep, strict=True))) != len(header):
                        return None
                except csv.Error:
                    return None
    elif body.count(sep) != (len(header) - 1) * len(body_lines):
        return None   # some row has too few fields (pandas would pad it silently)
    try:
        frame = pd.read_csv(io.StringIO(body), sep=sep, header=None, names=header, dtype=object,
                            keep_default_na=False, na_values=[], quotechar='"', skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, ValueError):
        return None
    return frame if len(frame) == len(body_lines) else None


def _read_slow(text: str, lines: list[str], file: str, sep: str, header: list[str], header_line: int) -> CsvRows:
    body = "\n".join(lines[header_line - 1:])
    reader = csv.reader(io.StringIO(body), delimiter=sep, quotechar='"', strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    offset = header_line - 1
    try:
        next(reader)
        last_line = reader.line_num
        for fields in reader:
            line = last_line + 1 + offset
            last_line = reader.line_num
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) > len(header):
                raise DataError(file, line, f"field {len(header) + 1}", f"the row has {len(fields)} fields but the "
                                f"header has {len(header)} (an extra column, or a separator inside an unquoted value)")
            if len(fields) < len(header):
                missing = header[len(fields)]
                raise DataError(file, line, missing, f"the row ends after {len(fields)} of {len(header)} fields "
                                "(truncated file or a missing column)")
            rows.append(fields)
            numbers.append(line)
    except csv.Error as err:
        raise DataError(file, last_line + 1 + offset, None, f"not well-formed CSV (truncated file?): {err}") from None
    if not rows:
        raise DataError(file, header_line + 1, None, "the file has a header but no data rows")
    return CsvRows(header, pd.DataFrame(rows, columns=header, dtype=object), numbers, header_line)


def _clean_header(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\ufeff", "").replace("\u00a0", " ")).strip()


# --- JSON with line numbers ------------------------------------------------------------------------------------

_DECODER = json.JSONDecoder()
_WS = " \t\n\r"


def load_json(text: str, file: str) -> Any:
    if not text.strip():
        raise DataError(file, 1, None, "the file is empty (no JSON)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        hint = " (the file ends early: truncated download?)" if err.pos >= len(text.rstrip()) - 1 else ""
        raise DataError(file, err.lineno, f"char {err.colno}", f"not valid JSON{hint}: {err.msg}") from None


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _value_at(text: str, path: tuple[str, ...]) -> int | None:
    """Offset of the value at a path of object keys (e.g. ("values",)) in a JSON text, or None."""
    i = _skip(text, 0)
    for key in path:
        if i >= len(text) or text[i] != "{":
            return None
        i = _skip(text, i + 1)
        while i < len(text) and text[i] == '"':
            name, i = scanstring(text, i + 1)
            i = _skip(text, i)
            if text[i] != ":":
                return None
            i = _skip(text, i + 1)
            if name == key:
                break
            _, i = _DECODER.raw_decode(text, i)
            i = _skip(text, i)
            if text[i] == ",":
                i = _skip(text, i + 1)
        else:
            return None
    return i


def array_lines(text: str, path: tuple[str, ...] = ()) -> list[int]:
    """The line on which each element of the JSON array at `path` starts (same order as json.loads gives them)."""
    i = _value_at(text, path)
    if i is None or i >= len(text) or text[i] != "[":
        return []
    lines, line, last = [], 1, 0
    i = _skip(text, i + 1)
    while i < len(text) and text[i] != "]":
        line += text.count("\n", last, i)
        last = i
        lines.append(line)
        _, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if i < len(text) and text[i] == ",":
            i = _skip(text, i + 1)
    return lines


def with_lines(items: list, lines: list[int]) -> Iterator[tuple[int, Any]]:
    """Pair JSON array elements with their lines (falls back to the element number when lines are unknown)."""
    if len(lines) != len(items):
        lines = list(range(1, len(items) + 1))
    return zip(lines, items)


# --- numbers ----------------------------------------------------------------------------------------------------

# markers publishers put where a number is missing: SCB/FK ".." (not available or suppressed), "." (not applicable),
# "-" (zero, or nothing to report); an empty cell is simply missing
MISSING_MARKERS = {"": "", "..": "..", ".": ".", "-": "-", "–": "-", "—": "-", "…": "..", "...": ".."}
_SPACE_CHARS = "\u00a0\u202f\u2009\u2007\u2002\u2003 "
_STRIP = " \t\r\n" + _SPACE_CHARS
_DIGITS = re.compile(r"\d+")
_GROUP1 = re.compile(r"\d{1,3}")
_GROUP = re.compile(r"\d{3}")
_SCI = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=65536)
def parse_number(text: str, percent: bool = False) -> tuple[float | None, str | None]:
    """(value, marker) for a number as publishers write it; ValueError when the text is not a number.

    Accepts decimal comma or point, spaces / no-break spaces / thin spaces as thousands separators
    ("1 234,5"), a Unicode minus, and (with percent=True) a trailing "%". Missing-value markers give
    (None, marker): "" → "", ".." → "..", "." → ".", "-" → "-". A lone comma is a decimal comma ("1,234" is 1.234);
    with both comma and point the last one is the decimal separator."""
    if _PLAIN.fullmatch(text):
        return float(text), None
    s = str(text).replace("\u2212", "-").strip(_STRIP)
    if s in MISSING_MARKERS:
        return None, MISSING_MARKERS[s]
    if percent and s.endswith("%"):
        s = s[:-1].rstrip(_STRIP)
    if _SCI.fullmatch(s):
        return float(s), None
    sign = ""
    if s[:1] in "+-":
        sign, s = s[0].replace("+", ""), s[1:].lstrip(_STRIP)
    for ch in _SPACE_CHARS:
        s = s.replace(ch, " ")
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if dec == "," else ","
        whole, frac = s.rsplit(dec, 1)
        whole = whole.replace(thousands, " ")
    elif s.count(",") == 1 or s.count(".") == 1:
        whole, frac = re.split(r"[.,]", s)
    elif s.count(",") > 1 or s.count(".") > 1:
        whole, frac = re.sub(r"[.,]", " ", s), None
    else:
        whole, frac = s, None
    if frac is not None and not _DIGITS.fullmatch(frac):
        raise ValueError(f"{text!r} is not a number")
    if " " in whole:
        groups = whole.split(" ")
        if not (_GROUP1.fullmatch(groups[0]) and all(_GROUP.fullmatch(g) for g in groups[1:])):
            raise ValueError(f"{text!r} is not a number (thousands must be grouped by three: '1 234 567')")
        whole = "".join(groups)
    elif whole == "" and frac is not None:
        whole = "0"
    elif not _DIGITS.fullmatch(whole):
        raise ValueError(f"{text!r} is not a number")
    return float(f"{sign}{whole}.{frac or '0'}"), None


def number(text: Any, file: str, line: int, column: str, percent: bool = False) -> tuple[float | None, str | None]:
    """parse_number for a cell; a DataError naming file, line and column when the text is not a number."""
    if text is None:
        return None, ""
    if isinstance(text, bool):
        raise DataError(file, line, column, f"{text!r} is not a number")
    if isinstance(text, (int, float)):
        return (None, "") if text != text else (float(text), None)
    try:
        return parse_number(str(text), percent)
    except ValueError as err:
        raise DataError(file, line, column, str(err)) from None


def number_column(values, file: str, lines, column: str, percent: bool = False) -> tuple[pd.Series, pd.Series]:
    """Vectorised `number` for a whole column: (values as floats, markers); the first bad cell in file order is a
    DataError naming its line. Plain numbers ("123", "-4.5") are converted in one go; each other distinct text is
    parsed once."""
    cells = pd.Series(values, dtype=object).reset_index(drop=True)
    result = pd.Series(np.nan, index=cells.index, dtype="float64")
    markers = pd.Series(None, index=cells.index, dtype=object)
    try:
        arr = pa.array(cells.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = None   # numbers from a workbook or JSON: the per-value path below
    if arr is not None:
        plain = pd.Series(pc.fill_null(pc.match_substring_regex(arr, r"^-?[0-9]+(?:\.[0-9]+)?$"), False)
                          .to_numpy(zero_copy_only=False), index=cells.index)
        if plain.any():
            converted = pc.cast(pc.if_else(pa.array(plain.to_numpy()), arr, None), pa.float64())
            result[plain] = converted.to_numpy(zero_copy_only=False)[plain.to_numpy()]
    else:
        plain = pd.Series(False, index=cells.index)
    rest = cells[~plain]
    if len(rest):
        parsed: dict = {}
        for text in pd.unique(rest):
            key = "\0nan" if isinstance(text, float) and text != text else text
            try:
                parsed[key] = number(text, file, 0, column, percent)
            except DataError as err:
                same = rest.isna() if key == "\0nan" else rest.map(lambda v, t=text: v is t or v == t)
                first = int(same.index[same.to_numpy().argmax()])
                raise DataError(file, int(lines[first]), column, err.message) from None
        pairs = rest.map(lambda v: parsed["\0nan" if isinstance(v, float) and v != v else v])
        result[rest.index] = [p[0] if p[0] is not None else np.nan for p in pairs]
        markers[rest.index] = [p[1] for p in pairs]
    return result, markers


def label_column(values, file: str, lines, column: str) -> pd.Series:
    """Vectorised `label` for a whole column (each distinct text checked once)."""
    cells = pd.Series(values, dtype=object).reset_index(drop=True)
    checked: dict = {}
    for text in pd.unique(cells):
        try:
            checked[text] = label(text, file, 0, column)
        except DataError as err:
            first = int((cells == text).to_numpy().argmax())
            raise DataError(file, int(lines[first]), column, err.message) from None
    return cells.map(checked)


# --- codes and labels --------------------------------------------------------------------------------------------

_CODE_LABEL = re.compile(r"^(\d[\w+\-.]*|[A-Z]{2}\d+)\s+(\S.*)$")


def split_code_label(cell: str) -> tuple[str | None, str]:
    """'SE11 Stockholm' → ('SE11', 'Stockholm'); '0 samtliga sektorer' → ('0', 'samtliga sektorer'); 'totalt' → (None, 'totalt')."""
    cell = clean(cell)
    m = _CODE_LABEL.match(cell)
    return (m[1], m[2].strip()) if m else (None, cell)


def clean(text: Any) -> str:
    """A label with no-break spaces and runs of whitespace made single spaces."""
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", str(text)).strip()


def lookup(kind: str, text: str, file: str, line: int, column: str, extra: dict[str, str] | None = None) -> str:
    """The vocabulary code for a code, label or alias; a DataError listing known codes otherwise."""
    value = clean(text)
    if extra and value.casefold() in extra:
        return extra[value.casefold()]
    try:
        return vocab(kind).code(value)
    except KeyError:
        known = sorted(vocab(kind).labels)
        shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        raise DataError(file, line, column, f"unknown {kind} {value!r} (known {kind} codes: {shown}; "
                        "add new codes to data/vocab.yaml)") from None


def region_code(text: Any, file: str, line: int, column: str) -> str:
    """A län code ("00".."25") from a code ("1", "01", "01 Stockholms län") or a name ("Stockholms län")."""
    value = clean(text)
    code, label = split_code_label(value)
    candidate = code if code is not None else value
    if re.fullmatch(r"\d{1,2}", candidate):
        candidate = candidate.zfill(2)
    return lookup("region", candidate, file, line, column)


_SSYK = re.compile(r"\d{4}")


def ssyk_code(text: Any, file: str, line: int, column: str) -> str:
    """A SSYK 2012 unit-group code (four digits)."""
    value = clean(text)
    if isinstance(text, float) and text.is_integer():
        value = str(int(text))
    if not _SSYK.fullmatch(value):
        raise DataError(file, line, column, f"unknown occupation code {value!r}: SSYK 2012 codes have four digits "
                        "(e.g. 2221)")
    return value


# --- periods -----------------------------------------------------------------------------------------------------

_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})\s*[KkQq]\s*([1-4])")
_MONTH = re.compile(r"(\d{4})\s*(?:[Mm]|-)\s*(0[1-9]|1[0-2])")
_RANGE = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


@dataclass(frozen=True)
class Period:
    kind: str   # year | quarter | month | range
    text: str   # normalized: 2017, 2017K1, 2017-01, 2015-2017
    year: int


def parse_period(text: Any) -> Period:
    """A period as publishers write it: 2017, 2017K1 / 2017Q1, 2017M01 / 2017-01, ranges 2015-2017 (no-break spaces ok)."""
    value = clean(text)
    if m := _YEAR.fullmatch(value):
        return Period("year", m[1], int(m[1]))
    if m := _QUARTER.fullmatch(value):
        return Period("quarter", f"{m[1]}K{m[2]}", int(m[1]))
    if m := _MONTH.fullmatch(value):
        return Period("month", f"{m[1]}-{m[2]}", int(m[1]))
    if m := _RANGE.fullmatch(value):
        if int(m[2]) < int(m[1]):
            raise ValueError(f"{value!r} is a period range that ends before it starts")
        return Period("range", f"{m[1]}-{m[2]}", int(m[2]))
    raise ValueError(f"{value!r} is not a period (expected e.g. 2017, 2017K1, 2017M01 or 2015-2017)")


def period(text: Any, file: str, line: int, column: str, kinds: tuple[str, ...]) -> Period:
    """parse_period for a cell, requiring one of `kinds`; a DataError naming file, line and column otherwise."""
    try:
        p = parse_period(text)
    except ValueError as err:
        raise DataError(file, line, column, str(err)) from None
    if p.kind not in kinds:
        raise DataError(file, line, column, f"period {p.text!r} is a {p.kind}; this table holds "
                        f"{' or '.join(k + 's' for k in kinds)}")
    return p


# --- labels ------------------------------------------------------------------------------------------------------

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&lt;\s*/?\s*[a-zA-Z]|javascript:", re.IGNORECASE)


def label(text: Any, file: str, line: int, column: str) -> str:
    """A text label that will be shown in the book: plain text only (markup is rejected, never passed on)."""
    value = clean(text)
    if MARKUP.search(value):
        raise DataError(file, line, column, f"{value[:60]!r} contains HTML or script markup; labels must be plain text")
    return value


def optional_label(text: Any, file: str, line: int, column: str) -> str | None:
    if text is None:
        return None
    value = label(text, file, line, column)
    return value or None
