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


# --- interpretation rules, fed synthetic series ----------------------------------------------------------------

def years(values, start=2000):
    return {start + i: v for i, v in enumerate(values)}


def test_rising_and_falling_series_say_so_with_their_years():
    assert text.trend_words(years([3.0, 3.4, 3.9, 4.2])) == f"ökade från 3,0{NBSP}procent 2000 till 4,2{NBSP}procent 2003"
    assert text.trend_words(years([6.1, 5.0, 4.4, 4.0])) == f"minskade från 6,1{NBSP}procent 2000 till 4,0{NBSP}procent 2003"
    assert text.turning_points(years([3.0, 3.4, 3.9, 4.2])) == []


def test_v_shaped_series_names_the_year_it_stopped_falling():
    series = years([6.1, 5.0, 3.8, 3.1, 3.1, 3.5, 4.0])
    assert text.turning_points(series) == [("botten", [2003, 2004], 3.1)]
    assert text.trend_words(series) == (f"minskade från 6,1{NBSP}procent 2000 till 3,1{NBSP}procent 2003–2004 och "
                                        f"ökade sedan till 4,0{NBSP}procent 2006")


def test_peak_and_several_turns_in_order():
    series = years([1.0, 2.0, 3.0, 2.0, 1.0])
    assert text.trend_words(series, unit="dagar") == f"ökade från 1,0{NBSP}dagar 2000 till 3,0{NBSP}dagar 2002 och minskade sedan till 1,0{NBSP}dagar 2004"
    zigzag = years([6.0, 3.0, 6.0, 3.0, 4.5])
    kinds = [k for k, _, _ in text.turning_points(zigzag)]
    assert kinds == ["botten", "topp", "botten"]
    assert text.trend_words(zigzag).count("minskade") == 2


def test_small_wiggles_are_not_turning_points():
    series = years([5.0, 5.5, 5.4, 6.0, 6.5, 7.0])  # a dip of 0,1 in a rise of 2,0
    assert text.turning_points(series) == []
    assert text.trend_words(series).startswith("ökade från 5,0")


def test_flat_series_stays_flat():
    assert text.trend_words(years([5.0, 5.04, 4.96, 5.0])) == f"låg kvar på omkring 5,0{NBSP}procent mellan 2000 och 2003"
    assert text.trend_words(years([5.0, 5.6, 5.0])) != text.trend_words(years([5.0, 5.0, 5.0]))


def test_two_points_that_show_the_same_number_are_said_plainly():
    assert text.trend_words(years([62.83, 62.79])) == f"var 62,8{NBSP}procent både 2000 och 2001"
    assert text.trend_words(years([62.8, 63.4]), flat=2.0) == f"låg kvar på omkring 63,1{NBSP}procent mellan 2000 och 2001"


def test_trend_figures_are_the_numbers_the_words_show():
    for values, kwargs in (([6.0, 5.5, 4.7, 3.9, 4.2, 5.0, 5.7], {}), ([62.83, 62.79], {}), ([5.0, 5.04, 4.96, 5.0], {}),
                           ([80.0, 76.8, 80.0, 78.2, 82.8], {"flat": 2.0, "threshold": 1.5}),
                           ([3.1, 3.1, 5.0, 3.1, 3.1, 4.0], {})):
        series = years(values)
        words = text.trend_words(series, **kwargs)
        figures = text.trend_figures(series, 1, kwargs.get("threshold"), (), kwargs.get("flat"))
        assert figures
        for when, value in figures:
            assert f"{text.number(value)}{NBSP}procent" in words and when.split("–")[0] in words, (words, when, value)
    assert text.trend_figures(years([5.0, 5.04, 4.96, 5.0])) == [("2000–2003", 5.0)]
    broken = {2016: 4.0, 2017: 4.1, 2018: 4.3, 2019: 5.4, 2020: 5.6}
    assert [w for w, _ in text.trend_figures(broken, breaks=[2019])] == ["2016", "2018", "2019", "2020"]


def test_signed_uses_a_real_minus_sign():
    assert text.signed(-0.6) == "\u22120,6" and text.signed(0.3) == "+0,3" and text.signed(0.04) == "0,0"
    assert text.signed(-1234.5) == "\u22121\u00a0234,5"


def test_broken_series_is_described_in_parts_never_across_the_break():
    series = {2016: 4.0, 2017: 4.1, 2018: 4.3, 2019: 5.4, 2020: 5.6}
    words = text.trend_words(series, breaks=[2019], unit="")
    assert words == "ökade från 4,0 2016 till 4,3 2018; efter tidsseriebrottet 2019 ökade den från 5,4 2019 till 5,6 2020"
    assert "från 4,0 2016 till 5,6" not in words


def test_gap_that_widens_then_holds_names_the_years():
    gaps = {2012: 67, 2013: 69, 2016: 89, 2017: 89, 2019: 91, 2020: 93, 2021: 92}
    assert text.gap_words(gaps) == f"skillnaden växte från 67{NBSP}procent 2012 till omkring 91{NBSP}procent 2016–2021"


def test_gap_that_narrows_and_gap_that_turns():
    assert text.gap_words(years([4.0, 3.0, 2.0, 1.0]), unit="procentenheter", decimals=1) == (
        f"skillnaden krympte från 4,0{NBSP}procentenheter 2000 till 1,0{NBSP}procentenheter 2003")
    assert text.gap_words(years([2.0, 1.0, -1.0])) == "skillnaden bytte riktning mellan 2000 och 2002"
    assert text.gap_words(years([50, 50.2, 49.8]), decimals=0).startswith("skillnaden var ungefär densamma")


def test_position_is_said_only_when_notable():
    values = {f"L{i}": float(i) for i in range(1, 22)}
    assert text.rank_position(values, "L21") == "den högsta"
    assert text.rank_position(values, "L20") == "den näst högsta"
    assert text.rank_position(values, "L3") == "den tredje lägsta"
    assert text.rank_position(values, "L11") is None  # tenth of 21: a middle place says nothing
    assert text.versus_reference(7.1, 6.0, 0.5) == "klart högre än"
    assert text.versus_reference(5.9, 6.0, 0.5) is None


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


def test_since_the_report():
    assert text.since_words(2017, 89.2, 2021, 92.4, decimals=0, margin=5) == (
        f"är i stort sett oförändrad (89{NBSP}procent 2017, 92{NBSP}procent 2021)")
    assert text.since_words(2017, 6.0, 2021, 6.4) == f"har ökat från 6,0{NBSP}procent 2017 till 6,4{NBSP}procent 2021"
    assert text.since_words(2017, 6.0, 2021, 5.2).startswith("har minskat")


def test_count_word_writes_small_counts_as_words():
    assert text.count_word(10) == "tio" and text.count_word(11) == "elva" and text.count_word(12) == "tolv"
    assert text.count_word(1) == "en" and text.count_word(1, neuter=True) == "ett"
    assert text.count_word(13) == "13" and text.count_word(1500) == f"1{NBSP}500"


def test_date_words_is_a_swedish_date():
    import datetime as dt

    assert text.date_words(dt.date(2026, 12, 1)) == "1 december 2026"
    assert text.date_words(dt.date(2027, 5, 17)) == "17 maj 2027"


def test_change_counts_compare_at_the_shown_precision():
    # 62.8 → 62.8 (stored 62.80 / 62.84): unchanged as shown; 0.05 rounds up (half away from zero)
    first = [62.80, 70.0, 70.0, 50.0, 1.0]
    last = [62.84, 70.05, 69.9, None, 2.0]
    assert text.change_counts(first, last) == (2, 1, 1)
    assert text.change_counts(first, last, decimals=0) == (1, 0, 3)
