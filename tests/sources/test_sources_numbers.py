"""Number, missing-value, period and encoding parsing shared by all importers (property-based where it pays)."""
from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tillit.core.errors import DataError
from tillit.ingest.reading import decode, read_delimited
from tillit.ingest.cells import parse_number, parse_period, split_code_label

SEPARATORS = ["", " ", "\u00a0", "\u202f"]   # thousands: none, space, no-break space, narrow no-break space


def swedish(value: int, decimals: str, thousands: str, decimal_mark: str) -> str:
    digits = f"{abs(value):,}".replace(",", thousands)
    text = digits + (decimal_mark + decimals if decimals else "")
    return ("-" if value < 0 else "") + text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-10**12, max_value=10**12), st.text("0123456789", min_size=0, max_size=4),
       st.sampled_from(SEPARATORS), st.sampled_from([",", "."]))
@example(1234567, "5", "\u00a0", ",")
def test_swedish_and_english_numbers_round_trip(value, decimals, thousands, decimal_mark):
    text = swedish(value, decimals, thousands, decimal_mark)
    parsed, marker = parse_number(text)
    expected = float(f"{value}.{decimals or '0'}") if value >= 0 else -float(f"{-value}.{decimals or '0'}")
    assert marker is None
    assert math.isclose(parsed, expected, rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_python_float_text_round_trips(value):
    assert parse_number(repr(value))[0] == value


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["", "..", ".", "-", "–", "…"]), st.text(" \t\u00a0\u202f", max_size=3),
       st.text(" \t\u00a0\u202f", max_size=3))
def test_missing_markers_survive_padding(marker, left, right):
    value, found = parse_number(left + marker + right)
    assert value is None
    assert found == {"–": "-", "…": ".."}.get(marker, marker)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12).filter(lambda s: any(c.isalpha() for c in s) and not
                                              any(c in "eE" for c in s)))
def test_text_with_letters_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("text, expected", [
    ("1 234,5", 1234.5), ("1\u00a0234\u00a0567", 1234567.0), ("12,75", 12.75), ("0,5", 0.5), (",5", 0.5),
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.234.567", 1234567.0), ("\u22123,2", -3.2), ("+7", 7.0),
    (" 42 ", 42.0), ("1e3", 1000.0), ("2.5E-2", 0.025),
])
def test_number_examples(text, expected):
    assert parse_number(text) == (expected, None)


@pytest.mark.parametrize("text", ["12 34", "1,2,3.4", "1.2.3,4,5", "5 %", "abc", "1-2", "--1", "1,", "1 2345"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_percent_only_when_asked():
    assert parse_number("45 %", percent=True) == (45.0, None)
    assert parse_number("45,5%", percent=True) == (45.5, None)


@pytest.mark.parametrize("text, kind, norm", [
    ("2017", "year", "2017"), ("\u00a02017", "year", "2017"), ("2017K1", "quarter", "2017K1"),
    ("2017Q4", "quarter", "2017K4"), ("2017M03", "month", "2017-03"), ("2017-03", "month", "2017-03"),
    ("2015-2017", "range", "2015-2017"), ("2015–2017", "range", "2015-2017"),
])
def test_periods(text, kind, norm):
    p = parse_period(text)
    assert (p.kind, p.text) == (kind, norm)


@pytest.mark.parametrize("text", ["2017K5", "2017 (varen)", "17", "2017-2015", "ett år"])
def test_bad_periods(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_code_and_label_in_one_cell():
    assert split_code_label("SE11 Stockholm") == ("SE11", "Stockholm")
    assert split_code_label("0 samtliga sektorer") == ("0", "samtliga sektorer")
    assert split_code_label("01\u00a0Stockholms län") == ("01", "Stockholms län")
    assert split_code_label("totalt") == (None, "totalt")


def test_decode_latin1_cp1252_utf8_and_bom():
    assert decode("Örebro".encode("latin-1"), "f", ("utf-8", "cp1252")) == "Örebro"
    assert decode("\ufeffÖrebro".encode("utf-8"), "f") == "Örebro"
    assert decode("a\r\nb\r\n".encode(), "f") == "a\nb\n"


def test_decode_names_line_and_column_of_a_bad_byte():
    raw = "a,b,c\n1,2,3\n4,Gävle,6\n".encode("latin-1")
    with pytest.raises(DataError) as err:
        decode(raw, "x.csv", ("utf-8",), sep=",")
    assert (err.value.row, err.value.column) == (3, "b")


def test_decode_rejects_mojibake_and_utf16_without_a_byte_order_mark():
    with pytest.raises(DataError, match="mojibake"):
        decode("region\nGÃ¶teborg\n".encode("utf-8"), "x.csv")
    with pytest.raises(DataError, match="UTF-16 text without a byte-order mark"):
        decode("region\n".encode("utf-16-le"), "x.csv")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_decode_follows_the_byte_order_mark(encoding):
    from tillit.ingest.reading import BOMS

    text = "region;värde\r\nGävleborgs län;4,5\r\n"
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw   # Python's big-endian codec writes no mark of its own
    assert any(raw.startswith(mark) for mark, _ in BOMS)
    assert decode(raw, "x.csv", ("utf-8", "cp1252")) == "region;värde\nGävleborgs län;4,5\n"


def test_decode_names_the_place_where_bom_text_is_damaged():
    raw = "a,b\n1,2\n".encode("utf-16") + b"\x00\xd8"   # a lone high surrogate at the end
    with pytest.raises(DataError, match="UTF-16-LE byte-order mark") as err:
        decode(raw, "x.csv", sep=",")
    assert err.value.row == 3


def test_read_delimited_reports_ragged_rows():
    with pytest.raises(DataError) as err:
        read_delimited("a;b;c\n1;2;3\n4;5\n", "x.csv", sep=";")
    assert (err.value.row, err.value.column) == (3, "c")
    with pytest.raises(DataError) as err:
        read_delimited("a;b\n1;2;3\n", "x.csv", sep=";")
    assert (err.value.row, err.value.column) == (2, "field 3")
