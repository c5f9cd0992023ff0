"""Reading publisher files as text: encodings and BOMs, delimited files and JSON, each row with its line number."""
from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from json.decoder import scanstring
from typing import Any, Iterator

import pandas as pd

from tillit.core.errors import DataError


# --- size --------------------------------------------------------------------------------------------------

DEFAULT_MAX_BYTES = 1024**3  # 1 GiB; $TILLIT_MAX_IMPORT_BYTES overrides


def max_bytes() -> int:
    """The largest file (or HTTP response) read: $TILLIT_MAX_IMPORT_BYTES, else DEFAULT_MAX_BYTES."""
    return int(os.environ.get("TILLIT_MAX_IMPORT_BYTES", DEFAULT_MAX_BYTES))


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


