"""tillit.report.trends: the interpretation rules, fed synthetic series."""

from tillit.report import text, trends

NBSP = "\u00a0"


# --- interpretation rules, fed synthetic series ----------------------------------------------------------------


def years(values, start=2000):
    return {start + i: v for i, v in enumerate(values)}


def test_rising_and_falling_series_say_so_with_their_years():
    assert trends.trend_words(years([3.0, 3.4, 3.9, 4.2])) == f"ökade från 3,0{NBSP}procent 2000 till 4,2{NBSP}procent 2003"
    assert trends.trend_words(years([6.1, 5.0, 4.4, 4.0])) == f"minskade från 6,1{NBSP}procent 2000 till 4,0{NBSP}procent 2003"
    assert trends.turning_points(years([3.0, 3.4, 3.9, 4.2])) == []


def test_v_shaped_series_names_the_year_it_stopped_falling():
    series = years([6.1, 5.0, 3.8, 3.1, 3.1, 3.5, 4.0])
    assert trends.turning_points(series) == [("botten", [2003, 2004], 3.1)]
    assert trends.trend_words(series) == (f"minskade från 6,1{NBSP}procent 2000 till 3,1{NBSP}procent 2003–2004 och "
                                        f"ökade sedan till 4,0{NBSP}procent 2006")


def test_peak_and_several_turns_in_order():
    series = years([1.0, 2.0, 3.0, 2.0, 1.0])
    assert trends.trend_words(series, unit="dagar") == f"ökade från 1,0{NBSP}dagar 2000 till 3,0{NBSP}dagar 2002 och minskade sedan till 1,0{NBSP}dagar 2004"
    zigzag = years([6.0, 3.0, 6.0, 3.0, 4.5])
    kinds = [k for k, _, _ in trends.turning_points(zigzag)]
    assert kinds == ["botten", "topp", "botten"]
    assert trends.trend_words(zigzag).count("minskade") == 2


def test_small_wiggles_are_not_turning_points():
    series = years([5.0, 5.5, 5.4, 6.0, 6.5, 7.0])  # a dip of 0,1 in a rise of 2,0
    assert trends.turning_points(series) == []
    assert trends.trend_words(series).startswith("ökade från 5,0")


def test_flat_series_stays_flat():
    assert trends.trend_words(years([5.0, 5.04, 4.96, 5.0])) == f"låg kvar på omkring 5,0{NBSP}procent mellan 2000 och 2003"
    assert trends.trend_words(years([5.0, 5.6, 5.0])) != trends.trend_words(years([5.0, 5.0, 5.0]))


def test_two_points_that_show_the_same_number_are_said_plainly():
    assert trends.trend_words(years([62.83, 62.79])) == f"var 62,8{NBSP}procent både 2000 och 2001"
    assert trends.trend_words(years([62.8, 63.4]), flat=2.0) == f"låg kvar på omkring 63,1{NBSP}procent mellan 2000 och 2001"


def test_trend_figures_are_the_numbers_the_words_show():
    for values, kwargs in (([6.0, 5.5, 4.7, 3.9, 4.2, 5.0, 5.7], {}), ([62.83, 62.79], {}), ([5.0, 5.04, 4.96, 5.0], {}),
                           ([80.0, 76.8, 80.0, 78.2, 82.8], {"flat": 2.0, "threshold": 1.5}),
                           ([3.1, 3.1, 5.0, 3.1, 3.1, 4.0], {})):
        series = years(values)
        words = trends.trend_words(series, **kwargs)
        figures = trends.trend_figures(series, 1, kwargs.get("threshold"), (), kwargs.get("flat"))
        assert figures
        for when, value in figures:
            assert f"{text.number(value)}{NBSP}procent" in words and when.split("–")[0] in words, (words, when, value)
    assert trends.trend_figures(years([5.0, 5.04, 4.96, 5.0])) == [("2000–2003", 5.0)]
    broken = {2016: 4.0, 2017: 4.1, 2018: 4.3, 2019: 5.4, 2020: 5.6}
    assert [w for w, _ in trends.trend_figures(broken, breaks=[2019])] == ["2016", "2018", "2019", "2020"]


def test_broken_series_is_described_in_parts_never_across_the_break():
    series = {2016: 4.0, 2017: 4.1, 2018: 4.3, 2019: 5.4, 2020: 5.6}
    words = trends.trend_words(series, breaks=[2019], unit="")
    assert words == "ökade från 4,0 2016 till 4,3 2018; efter tidsseriebrottet 2019 ökade den från 5,4 2019 till 5,6 2020"
    assert "från 4,0 2016 till 5,6" not in words


def test_gap_that_widens_then_holds_names_the_years():
    gaps = {2012: 67, 2013: 69, 2016: 89, 2017: 89, 2019: 91, 2020: 93, 2021: 92}
    assert trends.gap_words(gaps) == f"skillnaden växte från 67{NBSP}procent 2012 till omkring 91{NBSP}procent 2016–2021"


def test_gap_that_narrows_and_gap_that_turns():
    assert trends.gap_words(years([4.0, 3.0, 2.0, 1.0]), unit="procentenheter", decimals=1) == (
        f"skillnaden krympte från 4,0{NBSP}procentenheter 2000 till 1,0{NBSP}procentenheter 2003")
    assert trends.gap_words(years([2.0, 1.0, -1.0])) == "skillnaden bytte riktning mellan 2000 och 2002"
    assert trends.gap_words(years([50, 50.2, 49.8]), decimals=0).startswith("skillnaden var ungefär densamma")


def test_position_is_said_only_when_notable():
    values = {f"L{i}": float(i) for i in range(1, 22)}
    assert trends.rank_position(values, "L21") == "den högsta"
    assert trends.rank_position(values, "L20") == "den näst högsta"
    assert trends.rank_position(values, "L3") == "den tredje lägsta"
    assert trends.rank_position(values, "L11") is None  # tenth of 21: a middle place says nothing
    assert trends.versus_reference(7.1, 6.0, 0.5) == "klart högre än"
    assert trends.versus_reference(5.9, 6.0, 0.5) is None


def test_since_the_report():
    assert trends.since_words(2017, 89.2, 2021, 92.4, decimals=0, margin=5) == (
        f"är i stort sett oförändrad (89{NBSP}procent 2017, 92{NBSP}procent 2021)")
    assert trends.since_words(2017, 6.0, 2021, 6.4) == f"har ökat från 6,0{NBSP}procent 2017 till 6,4{NBSP}procent 2021"
    assert trends.since_words(2017, 6.0, 2021, 5.2).startswith("har minskat")


def test_change_counts_compare_at_the_shown_precision():
    # 62.8 → 62.8 (stored 62.80 / 62.84): unchanged as shown; 0.05 rounds up (half away from zero)
    first = [62.80, 70.0, 70.0, 50.0, 1.0]
    last = [62.84, 70.05, 69.9, None, 2.0]
    assert trends.change_counts(first, last) == (2, 1, 1)
    assert trends.change_counts(first, last, decimals=0) == (1, 0, 3)
