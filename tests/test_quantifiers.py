"""Tests for tillit.claims.quantifiers: Swedish quantity words and the ranges quantifier words allow."""
from __future__ import annotations

import math

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings, strategies as st

from tillit.claims import quantifiers as q
from tillit.claims.quantifiers import Range, expectation, expected_range, parse_number, parse_quantity


# --- parsing quantities ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, scale", [
    ("85 procent", 85, "number"),
    ("tre procent", 3, "number"),
    ("15 procent", 15, "number"),
    ("1,3 miljoner personer", 1_300_000, "number"),
    ("180 miljarder kronor", 180e9, "number"),
    ("en halv miljon", 500_000, "number"),
    ("dubbelt", 2, "ratio"),
    ("fördubblats", 2, "ratio"),
    ("tre gånger", 3, "ratio"),
    ("en tredjedel", 1 / 3, "share"),
    ("två tredjedelar", 2 / 3, "share"),
    ("hälften", 0.5, "share"),
    ("en femtedel", 0.2, "share"),
    ("var femte", 0.2, "share"),
    ("åtta av tio", 0.8, "share"),
    ("en av tio", 0.1, "share"),
    ("elva", 11, "number"),
    ("åtta", 8, "number"),
    ("2010", 2010, "number"),
])
def test_parse_quantity(text, value, scale):
    quantity = parse_quantity(text)
    assert quantity.value == pytest.approx(value)
    assert quantity.scale == scale


def test_parse_quantity_keeps_the_unit_and_rounding():
    quantity = parse_quantity("85 procent")
    assert quantity.unit == "procent"
    assert quantity.half_width == 0.5
    assert parse_quantity("14,5 procent").half_width == pytest.approx(0.05)
    assert parse_quantity("21 landsting").unit == "landsting"


@pytest.mark.parametrize("text", ["", "många", "procent", "högre"])
def test_parse_quantity_rejects_non_numbers(text):
    with pytest.raises(ValueError):
        parse_quantity(text)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10_000_000), st.integers(min_value=0, max_value=99))
def test_swedish_formatted_numbers_read_back(whole, hundredths):
    x = whole + hundredths / 100
    text = format_decimal(x, format="#,##0.##", locale="sv_SE") + " procent"
    assert parse_number(text) == pytest.approx(x)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(q.NUMBER_WORDS)))
def test_number_words(word):
    assert parse_number(word) == q.NUMBER_WORDS[word]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(q.ORDINAL_DENOMINATORS)))
def test_var_nth_is_one_over_n(word):
    assert parse_number(f"var {word}") == pytest.approx(1 / q.ORDINAL_DENOMINATORS[word])


# --- the report's own phrases ------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, inside, outside", [
    ("omkring 85 procent", [77, 85, 93], [75, 95]),
    ("nära 60 procent", [55, 60, 62.5], [53, 64]),
    ("nästan dubbelt", [1.8, 1.9, 2.0], [1.71, 2.05]),
    ("ungefär en tredjedel", [0.31, 1 / 3, 0.36], [0.27, 0.45]),
    ("cirka tre procent", [2.5, 3.3, 3.5], [2.4, 3.6]),
    ("ungefär 15 procent", [13.5, 14.5, 16.5], [13, 17]),
    ("en dryg timme", [1.0, 1.04, 1.1], [0.96, 1.2]),
    ("12 procent", [11.5, 12, 12.5], [11, 13]),
    ("17 procent", [16.46, 17], [16, 18]),
    ("över hälften", [0.51, 0.9], [0.5, 0.4]),
    ("majoriteten", [0.51, 1.0], [0.5, 0.3]),
    ("knappt hälften", [0.46, 0.5], [0.44, 0.51]),
    ("drygt hälften", [0.5, 0.54], [0.49, 0.56]),
    ("lite mindre än hälften", [0.46, 0.5], [0.44, 0.51]),
    ("nästan har fördubblats", [1.8, 2.0], [1.6, 2.1]),
    ("mer än dubbelt", [2.01, 3], [2, 1.9]),
    ("högre", [1.01, 2], [1.0, 0.9]),
    ("klart över genomsnittet", [1.1, 1.45], [1.05, 1.0]),
    ("försämring", [0.99, 0.5], [1.0, 1.06]),
    ("näst sist", [2], [1, 3]),
    ("högst", [1], [2]),
    ("sant", [1], [0]),
    ("var femte", [0.2], [0.25]),
    ("åtta av tio", [0.8, 0.78], [0.7, 0.9]),
])
def test_report_phrases(phrase, inside, outside):
    rng = expected_range(phrase)
    for x in inside:
        assert rng.contains(x), f"{phrase!r} should allow {x} ({rng})"
    for x in outside:
        assert not rng.contains(x), f"{phrase!r} should not allow {x} ({rng})"


def test_nastan_means_the_same_before_a_multiple_and_a_number():
    # one rule for "nästan": up to 10 % under, so the prose's "nästan dubbelt" and the judge's agree (1,8–2)
    assert expectation("nästan dubbelt").quantifier == "nästan"
    assert expected_range("nästan dubbelt").low / 2 == pytest.approx(expected_range("nästan 80 procent").low / 80)


def test_reference_zero_turns_comparisons_into_signs():
    assert expected_range("större", reference=0).contains(0.5)
    assert not expected_range("större", reference=0).contains(0)
    with pytest.raises(ValueError):
        expected_range("klart högre", reference=0)


@pytest.mark.parametrize("phrase", ["omkring", "bland annat 5", "flera"])
def test_unknown_phrases_fail(phrase):
    with pytest.raises((ValueError, KeyError)):
        expectation(phrase)


def test_every_word_has_a_swedish_description_generated_from_its_numbers():
    for word in {**q.QUANTIFIERS, **q.STANDALONE}:
        assert q.describe_word(word), word
    assert "omkring" in q.known_words() and "majoriteten" in q.known_words()
    assert q.describe_word("omkring") == "från 10\u00a0procent under till 10\u00a0procent över talet"
    assert q.describe_word("det stora flertalet") == "minst 75\u00a0procent av helheten"
    assert q.describe_word("näst sist") == "plats 2 nerifrån"
    # the description follows the numbers: change the tolerance and the text changes with it
    saved = q.QUANTIFIERS["nästan"]
    try:
        q.QUANTIFIERS["nästan"] = {**saved, "low": -0.2}
        assert q.describe_word("nästan") == "upp till 20\u00a0procent under talet, inte över"
    finally:
        q.QUANTIFIERS["nästan"] = saved


def test_range_describe_in_swedish():
    assert expected_range("omkring 85 procent").describe() == "76,5–93,5"
    assert expected_range("högre").describe() == "över 1"
    assert expected_range("mycket lägre").describe() == "högst 0,8"
    assert expected_range("näst sist").describe() == "exakt 2"


# --- properties of the tolerances ----------------------------------------------------------------------------------

positive = st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False)
approximators = st.sampled_from([w for w, s in q.QUANTIFIERS.items() if s["rule"] == "approx"])


def _phrase(word: str, v: float) -> str:
    return f"{word} {format_decimal(v, format='0.00', locale='sv_SE')} procent".strip()


@settings(max_examples=60, deadline=None)
@given(approximators, positive)
def test_approximations_allow_the_number_and_its_rounding(word, v):
    v = round(v, 2)
    rng = expected_range(_phrase(word, v))
    assert rng.contains(v)
    assert rng.contains(v - 0.0049) and rng.contains(v + 0.0049)  # at least the rounding of two decimals
    assert not rng.contains(v * 1.2 + 0.01)
    assert not rng.contains(v * 0.8 - 0.01)


@settings(max_examples=60, deadline=None)
@given(positive)
def test_below_and_above_are_one_sided(v):
    v = round(v, 2)
    below = expected_range(_phrase("nästan", v))
    above = expected_range(_phrase("drygt", v))
    assert below.high == pytest.approx(v) and below.contains(v) and not below.contains(v * 1.01 + 0.01)
    assert above.low == pytest.approx(v) and above.contains(v) and not above.contains(v * 0.99 - 0.01)
    assert below.contains(v * 0.91) and above.contains(v * 1.09)


@settings(max_examples=60, deadline=None)
@given(positive)
def test_open_bounds_exclude_the_number(v):
    v = round(v, 2)
    over = expected_range(_phrase("över", v))
    under = expected_range(_phrase("under", v))
    assert not over.contains(v) and over.contains(v * 1.5 + 1)
    assert not under.contains(v) and under.contains(v / 2 - 0.01)


@settings(max_examples=60, deadline=None)
@given(positive)
def test_bare_numbers_get_at_least_five_percent(v):
    v = round(v, 2)
    rng = expected_range(_phrase("", v))
    assert rng.contains(v * 1.049) and rng.contains(v * 0.951)
    assert rng.high - rng.low >= 0.01 - 1e-9  # never narrower than the rounding of two decimals


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
       st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
       st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_hull_holds_both(a, b, x):
    r1 = Range(min(a, b), max(a, b))
    r2 = Range(min(a, x), max(a, x), False, False) if a != x else Range(a, a)
    hull = r1.hull(r2)
    for y in (a, b, (a + b) / 2):
        assert hull.contains(y)
    for r in (r1, r2):
        for y in (r.low, r.high, (r.low + r.high) / 2):
            if r.contains(y):
                assert hull.contains(y)


def test_range_contains_rejects_missing():
    assert not Range(0, 1).contains(math.nan)
    assert not Range(0, 1).contains(None)
    with pytest.raises(ValueError):
        Range(2, 1)


# --- one vocabulary for writing and judging --------------------------------------------------------------------

def _value_the_words_speak_of(words: str, judge_text: str, a: float, b: float) -> float:
    """Read back, from the prose alone, which number its judge phrase describes."""
    r = a / b
    if words.endswith("som") or judge_text.startswith("något"):
        return r  # "nästan dubbelt så hög som", "ungefär lika hög som", "något högre än": the ratio itself
    excess = r - 1 if words.endswith("högre än") else 1 - r
    return 100 * excess if "procent" in judge_text else excess


@settings(max_examples=400, deadline=None)
@given(st.floats(min_value=0.01, max_value=1e4), st.floats(min_value=0.01, max_value=1e4))
def test_whatever_the_prose_writes_about_a_ratio_the_judge_accepts(a, b):
    phrase = q.ratio_phrase(a, b)
    assert phrase.judge_text.replace("\u00a0", " ") in phrase.words.replace("\u00a0", " ")
    value = _value_the_words_speak_of(phrase.words, phrase.judge_text, a, b)
    assert value == pytest.approx(phrase.value)
    assert expectation(phrase.judge_text, phrase.reference).range.contains(value), phrase


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_whatever_the_prose_writes_about_a_difference_the_judge_accepts(a, b):
    phrase = q.difference_phrase(a, b)
    shown = float(q.rounded(a, 1) - q.rounded(b, 1))  # the difference between the numbers as the book shows them
    if phrase.words == "lika hög som":
        assert shown == 0
        return
    assert phrase.words.endswith("högre än" if shown > 0 else "lägre än")
    assert expectation(phrase.judge_text, reference=0.0).range.contains(abs(shown)), phrase


@pytest.mark.parametrize("a, b, not_words", [(9, 4, "drygt dubbelt"), (7.0, 4.1, "nästan dubbelt")])
def test_the_reported_mismatches_are_gone(a, b, not_words):
    phrase = q.ratio_phrase(a, b)
    assert not_words not in phrase.words
    assert not expectation(not_words).range.contains(a / b)


def test_numbers_are_rounded_half_away_from_zero():
    assert q.number(92.5, 0) == "93"
    assert q.number(0.5, 0) == "1"
    assert q.number(2.675, 2) == "2,68"
