"""Checking and converting cell values with file, line and column in every error: numbers, codes, labels, periods."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tillit.tables.catalog import vocab
from tillit.core.errors import DataError


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
