"""Swedish numbers and wording that follows the numbers."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillit.report import text

NBSP = "\u00a0"


@pytest.mark.parametrize("x,decimals,expected", [
    (3.456, 1, "3,5"), (1234.5, 1, f"1{NBSP}234,5"), (1234567, 0, f"1{NBSP}234{NBSP}567"), (0.05, 2, "0,05"),
    (float("nan"), 1, "–"), (None, 1, "–"),
])
def test_number(x, decimals, expected):
    assert text.number(x, decimals) == expected


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_number_round_trips(x, decimals):
    shown = text.number(x, decimals)
    assert "." not in shown
    back = float(shown.replace(NBSP, "").replace(",", ".").replace("\u2212", "-"))
    assert back == pytest.approx(round(x, decimals), abs=10 ** -decimals)


@pytest.mark.parametrize("a,b,words", [
    (7.6, 4.0, "nästan dubbelt så hög som"),
    (8.0, 4.0, "dubbelt så hög som"),
    (8.8, 4.0, "drygt dubbelt så hög som"),
    (9.0, 4.0, "mer än dubbelt så hög som"),          # 2,25: not "drygt dubbelt" (that allows 2–2,2)
    (7.0, 4.1, f"drygt 70{NBSP}procent högre än"),   # 1,71: not "nästan dubbelt" (that allows 1,8–2)
    (4.0, 3.0, "ungefär en tredjedel högre än"),
    (5.0, 4.0, "ungefär en fjärdedel högre än"),
    (6.0, 4.0, "ungefär hälften högre än"),
    (4.0, 4.0, "ungefär lika hög som"),
    (3.0, 4.0, f"25{NBSP}procent lägre än"),
    (3.8, 4.0, f"5{NBSP}procent lägre än"),
    (2.0, 4.0, "ungefär hälften så hög som"),
    (12.0, 4.0, "tre gånger så hög som"),
    (6.4, 4.0, f"60{NBSP}procent högre än"),
])
def test_ratio_words_follow_the_numbers(a, b, words):
    assert text.ratio_words(a, b) == words


def test_numbers_round_half_away_from_zero():
    assert text.number(92.5, 0) == "93"
    assert text.number(-92.5, 0) == "−93" or text.number(-92.5, 0) == "-93"
    assert text.number(2.675, 2) == "2,68"
    assert text.number(0.125, 2) == "0,13"


def test_differences_between_shares_are_percentage_points():
    assert text.difference_words(45.2, 41.5) == f"3,7{NBSP}procentenheter högre än"
    assert text.difference_words(41.5, 45.2) == f"3,7{NBSP}procentenheter lägre än"
    assert text.difference_words(41.5, 41.52) == "lika hög som"


def test_wording_changes_when_the_data_does():
    assert text.ratio_words(7.4, 4.0) != text.ratio_words(5.2, 4.0)


def test_percent_difference_and_change():
    assert text.percent_difference(7.4, 4.0) == f"85{NBSP}procent högre"
    assert text.percent_difference(3.0, 4.0) == f"25{NBSP}procent lägre"
    assert text.change_words(3.1, 4.0) == f"ökade från 3,1 till 4,0{NBSP}procent"
    assert text.change_words(4.0, 3.1) == f"minskade från 4,0 till 3,1{NBSP}procent"
    assert text.change_words(4.0, 4.04) == f"var oförändrad på 4,0{NBSP}procent"


def test_listing_and_escape():
    assert text.listing(["a", "b", "c"]) == "a, b och c"
    assert text.listing(["a"]) == "a"
    assert text.escape("<script>x_y*</script>") == "&lt;script&gt;x&#95;y&#42;&lt;/script&gt;"


def test_signed_uses_a_real_minus_sign():
    assert text.signed(-0.6) == "\u22120,6" and text.signed(0.3) == "+0,3" and text.signed(0.04) == "0,0"
    assert text.signed(-1234.5) == "\u22121\u00a0234,5"


def test_points_for_shares_percent_for_ratios():
    assert text.difference_words(48.3, 29.0, same="lika stor som") == f"19,3{NBSP}procentenheter högre än"
    assert text.difference_words(29.0, 48.3, same="lika stor som") == f"19,3{NBSP}procentenheter lägre än"
    assert text.difference_words(50.0, 50.04, same="lika stor som") == "lika stor som"
    assert text.percent_difference(48.3, 29.0) == f"67{NBSP}procent högre"


@pytest.mark.parametrize("period,words", [
    ("2005K1", "första kvartalet 2005"), ("2018K4", "fjärde kvartalet 2018"), ("2015-12", "december 2015"),
    ("2022-06", "juni 2022"), (2017, "2017"), ("2015→2016", "2015→2016"),
])
def test_quarters_and_months_written_out(period, words):
    assert text.period_label(period) == words


def test_place_prepositions():
    assert text.place("Gotland") == "på Gotland"
    assert text.place("Dalarna") == "i Dalarna"
    assert text.place("riket") == "i riket"


def test_several_places_and_the_councils_by_period():
    assert text.places(["Gotland", "Örebro"]) == "på Gotland och i Örebro"
    assert text.places(["Stockholm", "Uppsala", "Skåne"]) == "i Stockholm, Uppsala och Skåne"
    assert text.council_word(2017) == "landstingen"
    assert text.council_word(2021) == "regionerna"


def test_count_word_writes_small_counts_as_words():
    assert text.count_word(10) == "tio" and text.count_word(11) == "elva" and text.count_word(12) == "tolv"
    assert text.count_word(1) == "en" and text.count_word(1, neuter=True) == "ett"
    assert text.count_word(13) == "13" and text.count_word(1500) == f"1{NBSP}500"


def test_date_words_is_a_swedish_date():
    import datetime as dt

    assert text.date_words(dt.date(2026, 12, 1)) == "1 december 2026"
    assert text.date_words(dt.date(2027, 5, 17)) == "17 maj 2027"


