"""Chapter 3.1: IHP ranks and Patientenkät wording follow a temporary store; missing data gives a Swedish note."""
from __future__ import annotations

import pandas as pd

from tillit.report import charts, citations
from tillit.report.chapters import medborgarfokus as ch

FUNDAMENTAL = ("There are some good things in our health care system, but fundamental changes are needed to make it "
               "work better")
INV = "delaktighet_involvering"
NOTE = ":::{admonition} Data saknas"


def sweden_2016(value):
    return lambda t: t.set("ihp", {"period": "2016", "country": "Sweden", "item": FUNDAMENTAL}, value=value)


# --- helpers ---------------------------------------------------------------------------------------------------------

def test_labels_translate_known_codes_and_keep_unknown_ones():
    assert ch.country("Norway") == "Norge"
    assert ch.country("Atlantis") == "Atlantis"
    assert ch.item_label("3+ chronic conditions") == "tre eller fler kroniska sjukdomar"
    assert ch.item_label("new item") == "new item"
    assert ch.population_label("55+ (Swedish sample)") == "55 år och äldre"
    assert ch.period_label("2016") == "2016"
    assert ch.period_label("(not stated in excerpt)") == "år okänt"


def test_rank_phrase_counts_from_the_nearer_end_and_marks_ties():
    values = pd.Series({"a": 5.0, "b": 4.0, "c": 3.0, "d": 2.0, "e": 1.0})
    assert ch.rank_phrase(values, "a") == "den högsta av de 5"
    assert ch.rank_phrase(values, "b") == "den näst högsta av de 5"
    assert ch.rank_phrase(values, "d") == "den näst lägsta av de 5"
    assert ch.rank_phrase(values, "e") == "den lägsta av de 5"
    assert ch.rank_phrase(pd.Series({"a": 2.0, "b": 2.0, "c": 1.0}), "a") == "den delat högsta av de 3"


def test_names_at_names_ties_together_and_source_cell_marks_secondary():
    frame = pd.DataFrame({"landsting": ["Örebro", "Gotland", "Halland"], "value": [62.8, 62.8, 76.5]})
    assert ch.names_at(frame, 62.8) == "Gotland och Örebro"
    rows = pd.DataFrame({"source_publisher": ["Metro", "OECD"], "source_url": ["https://m", None],
                         "source_type": ["secondary", "primary"]})
    assert citations.source_cell(rows) == "[Metro](https://m) (sekundärkälla); OECD"


# --- IHP -------------------------------------------------------------------------------------------------------------

def test_ihp_items_counts_countries_with_values(default_store):
    items = ch.ihp_items(default_store, 11)
    assert len(items) == 1 and items.iloc[0]["item"] == FUNDAMENTAL and bool(items.iloc[0].sweden)


def test_ihp_full_item_ranks_sweden_from_the_data(default_store):
    section = ch.ihp_full_item(default_store, "2016")
    assert "instämde 58\u00a0procent i Sverige" in section.markdown
    assert "den högsta andelen av de 11 länderna" in section.markdown
    assert "Lägst andel hade Norge (33\u00a0procent)" in section.markdown
    assert "den enda frågan i bokens data" in section.markdown
    # a difference between two shares is in procentenheter, and counts up to twelve are words
    assert "Oviktat medelvärde för de övriga tio länderna var 45\u00a0procent: Sveriges andel var 13\u00a0procentenheter högre än deras" in section.markdown
    fig = section.figures[0]
    assert fig.data.land.tolist()[0] == "Sverige" and len(fig.data) == 11
    assert "Sekundärkälla" not in fig.html and "Commonwealth Fund" in fig.html


def test_ihp_full_item_text_changes_with_the_data(chapter_store):
    db = chapter_store(sweden_2016(30))
    section = ch.ihp_full_item(db, "2016")
    assert "instämde 30\u00a0procent i Sverige" in section.markdown
    assert "den lägsta andelen av de 11 länderna" in section.markdown
    assert "Lägst andel hade Sverige" in section.markdown
    assert section.figures[0].data.land.tolist()[-1] == "Sverige"
    db = chapter_store(sweden_2016(47))
    assert "den fjärde högsta andelen" in ch.ihp_full_item(db, "2016").markdown


def test_ihp_full_item_without_sweden_or_without_the_year(chapter_store):
    db = chapter_store(lambda t: t.drop("ihp", {"period": "2016", "country": "Sweden", "item": FUNDAMENTAL}))
    assert "Sverige finns inte bland de 10 länderna" in ch.ihp_full_item(db, "2016").markdown
    db = chapter_store(lambda t: t.drop("ihp", {"period": "2016"}))
    section = ch.ihp_full_item(db, "2016")
    assert section.markdown.startswith(NOTE) and "ingen IHP-fråga från 2016" in section.markdown and not section.figures


def test_ihp_partial_shows_sweden_values_wordings_and_source_ranks(default_store):
    md = ch.ihp_partial(default_store).markdown
    assert "har fast läkarkontakt (2017, 65 år och äldre) | 60; lägst av 11 enligt källan |" in md
    assert "”bara hälften” (ordformulering)" in md
    assert "Kanada 80, Nya Zeeland 80, USA 80" in md
    assert "(sekundärkälla)" in md
    assert ("Data finns för 31 andra IHP-frågor, men ingen av dem har värden för alla elva länder (som mest för sex); "
            "19 av frågorna har ett värde eller en ordformulering för Sverige") in md
    assert "Tabellen" not in md and "`ihp`" not in md
    assert "Ytterligare 12 frågor i data gäller bara andra länder" in md
    assert FUNDAMENTAL not in md  # complete items are charted, not listed


def test_ihp_partial_follows_the_data(chapter_store):
    def edit(t):
        t.set("ihp", {"period": "2017", "country": "Sweden", "item": "has a regular doctor (fast läkarkontakt)"}, value=61)
        t.set("ihp", {"period": "2017", "country": "Sweden", "item": "doctor encourages patient to ask questions"},
              source_type="primary")
    md = ch.ihp_partial(chapter_store(edit)).markdown
    assert "| 61; lägst av 11 enligt källan |" in md
    assert "10 av de 19 frågorna i tabellen bygger bara på sekundärkällor" in md


def test_ihp_partial_missing(chapter_store):
    section = ch.ihp_partial(chapter_store(lambda t: t.drop("ihp")))
    assert section.markdown.startswith(NOTE) and "IHP-värden" in section.markdown and "`ihp`" not in section.markdown


def test_ihp_report_figures_say_what_is_missing_without_commands(default_store):
    section = ch.ihp_report_figures(default_store)
    assert section.markdown.startswith(NOTE)
    assert "figur 3.1–3.3" in section.markdown and "landtabell" in section.markdown
    assert "tillit" not in section.markdown and "`" not in section.markdown
    assert "samordning mellan olika vårdgivare (6 länder" in section.markdown


def test_ihp_report_figures_with_an_empty_table(chapter_store):
    section = ch.ihp_report_figures(chapter_store(lambda t: t.drop("ihp")))
    assert section.markdown.startswith(NOTE) and "ofullständiga" not in section.markdown


def test_ihp_report_figures_appear_when_an_analyst_adds_a_country_table(chapter_store):
    values = {"Australia": 80, "Canada": 70, "France": 60, "Germany": 75, "Netherlands": 72, "New Zealand": 71,
              "Norway": 55, "Sweden": 50, "Switzerland": 78, "United Kingdom": 65, "United States": 68}

    def add(t):
        t.add("ihp", [{"period": "2016", "population": "adults 18+", "item": "involved as much as you wanted in decisions",
                       "country": c, "value": v, "source_key": "cwf_table", "source_type": "primary", "note": "",
                       "quote": ""} for c, v in values.items()], like={"period": "2016", "country": "Sweden"})
    section = ch.ihp_report_figures(chapter_store(add))
    assert "Figur 3.1" in section.markdown and "50\u00a0procent" in section.markdown
    assert "den lägsta andelen av de 11 länderna" in section.markdown
    assert len(section.figures) == 1 and section.figures[0].data.land.tolist()[-1] == "Sverige"


# --- Patientenkät ----------------------------------------------------------------------------------------------------

def test_by_landsting_default(default_store):
    section = ch.involvement_by_landsting(default_store, 2017)
    assert "från 73,8\u00a0procent i Västmanland till 82,8\u00a0procent i Halland" in section.markdown
    assert "Riket låg på 78,4\u00a0procent; 9 av 21 landsting låg över riket." in section.markdown
    assert len(section.figures[0].data) == 21


def test_by_landsting_follows_the_data_and_names_missing_landsting(chapter_store):
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "13", "sex": "T", "measure": INV},
                                       value=70))
    md = ch.involvement_by_landsting(db, 2017).markdown
    assert "från 70,0\u00a0procent i Halland" in md and "8 av 21 landsting" in md
    md = ch.involvement_by_landsting(db, 2016).markdown
    assert "För 2016 finns värden för 10 av 21 landsting" in md and "Gotland" in md


def test_by_landsting_missing_year(default_store):
    section = ch.involvement_by_landsting(default_store, 2019)
    assert section.markdown.startswith(NOTE)
    assert "finns för 2015, 2016 och 2017, inte för 2019" in section.markdown


def test_by_sex_default_and_changed(default_store, chapter_store):
    md = ch.involvement_by_sex(default_store, 2017).markdown
    assert "77,5\u00a0procent bland kvinnor och 79,7\u00a0procent bland män" in md
    assert "i samtliga 21 landsting" in md
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "01", "sex": "K", "measure": INV},
                                       value=95))
    md = ch.involvement_by_sex(db, 2017).markdown
    assert "i 20 av 21 landsting" in md and "Stockholm" in md


def test_by_sex_missing(chapter_store):
    db = chapter_store(lambda t: t.drop("patientenkat", {"sex": "K"}))
    section = ch.involvement_by_sex(db, 2017)
    assert section.markdown.startswith(NOTE) and "per kön" in section.markdown


def test_trend_default_and_changed(default_store, chapter_store):
    md = ch.involvement_trend(default_store).markdown
    assert "i riket ökade från 74,0 till 78,4\u00a0procent mellan 2015 och 2017" in md
    assert "ökade andelen i 20 och minskade i 1." in md and "oförändrad" not in md
    assert ("År 2016 mätte bara 10 av 21 landsting (Stockholm, Uppsala, Östergötland, Kalmar, Blekinge, Skåne, Halland, "
            "Västra Götaland, Gävleborg och Västernorrland)") in md
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "00", "sex": "T", "measure": INV},
                                       value=70))
    assert "minskade från 74,0 till 70,0\u00a0procent" in ch.involvement_trend(db).markdown


def test_trend_missing(chapter_store):
    db = chapter_store(lambda t: t.drop("patientenkat", {"period": 2015}) or t.drop("patientenkat", {"period": 2016}))
    section = ch.involvement_trend(db)
    assert section.markdown.startswith(NOTE) and "två år" in section.markdown


def test_key_figure(default_store, chapter_store):
    line = ch.key_figure(default_store)
    assert "den högsta andelen av de 11 länderna" in line and "78,4\u00a0procent" in line
    assert "(30\u00a0procent)" in ch.key_figure(chapter_store(sweden_2016(30)))
    assert ch.key_figure(chapter_store(lambda t: t.drop("ihp") or t.drop("patientenkat"))) is None


def test_trend_draws_the_in_between_year_apart_from_the_line(default_store):
    fig = ch.involvement_trend(default_store).figures[0]
    assert set(fig.data[fig.data["år"] == 2016]["mätning"]) == {"10 av 21 landsting"}
    assert set(fig.data[fig.data["år"] != 2016]["mätning"]) == {"alla landsting"}
    line, hollow = fig.spec["layer"]
    line_rows = fig.spec["datasets"][line["data"]["name"]]
    assert {r["år"] for r in line_rows} == {2015, 2017} and line["mark"]["invalid"] == charts.BREAK_AT_GAPS
    assert hollow["mark"]["filled"] is False
    assert {r["år"] for r in fig.spec["datasets"][hollow["data"]["name"]]} == {2016}
    assert "Ofyllda punkter: 2016" in fig.html


def test_trend_counts_a_region_unchanged_at_the_shown_precision(chapter_store):
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "09", "sex": "T", "measure": INV},
                                       value=73.04) or t.set("patientenkat", {"period": 2015, "region_code": "09",
                                                                              "sex": "T", "measure": INV}, value=72.96))
    md = ch.involvement_trend(db).markdown
    assert "var oförändrad i 1 (samma värde med en decimal båda åren)" in md


def test_trend_line_breaks_at_a_year_no_one_measured(chapter_store):
    """A year without any measurement breaks the line; the table keeps only real rows."""
    db = chapter_store(lambda t: t.add("patientenkat", [{"period": 2019, "region_code": c, "sex": s, "measure": INV,
                                                         "value": 80} for c in ["00"] + [f"{i:02d}" for i in
                                                                                       (1, 3, 4, 5, 6, 7, 8, 9, 10, 12,
                                                                                        13, 14, 17, 18, 19, 20, 21, 22,
                                                                                        23, 24, 25)]
                                                        for s in ("K", "M", "T")], like={"period": "2017", "measure": INV}))
    fig = ch.involvement_trend(db).figures[0]
    assert 2018 not in fig.data["år"].tolist()
    rows = fig.spec["datasets"][fig.spec["layer"][0]["data"]["name"]]
    assert any(r["år"] == 2018 and r["procent"] is None for r in rows)
