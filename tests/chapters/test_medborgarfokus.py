"""Chapter 3.1: IHP ranks and Patientenkät wording follow a temporary store; missing data gives a Swedish note."""
from __future__ import annotations

import html
import json
import re

import pandas as pd

from tests.conftest import ROOT
from tillit.report import charts, citations, maps, numbers
from tillit.report.chapters import medborgarfokus as ch, region
from tillit.tables.catalog import vocab

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


# --- maps ------------------------------------------------------------------------------------------------------------

def prose(section) -> str:
    """What a reader reads as running text: the section's Markdown and each figure's caption title and finding (the
    source line left out)."""
    text_ = "\n".join(line for line in section.markdown.splitlines() if not line.startswith(("|", ":::", ":class")))
    for fig in section.figures:
        caption = re.search(r"<figcaption>(.*?)<br>", fig.html, re.S)[1]
        text_ += "\n" + html.unescape(re.sub(r"<[^>]+>", " ", caption))
    return text_


def unkeyed(sections, records) -> list[str]:
    """Digits left in the sections' prose once every keyed text and every year is taken away."""
    left = "\n".join(prose(s) for s in sections)
    for shown in sorted({r.text for r in records if r.kind == "text"}, key=len, reverse=True):
        left = re.sub(rf"(?<!\d)(?<!\d,){re.escape(shown)}(?!\d|,\d)", " ", left)
    left = re.sub(r"\b(19|20)\d\d\b", " ", left)
    return re.findall(r"\d+(?:[,.]\d+)?", left)


def one_key_one_number(records) -> None:
    """The same key never carries two different numbers or texts on one page (the edition refuses it)."""
    seen = {}
    for r in records:
        assert seen.setdefault(r.key, (r.value, r.text)) == (r.value, r.text), r.key


def test_landsdelar_hold_every_lan_once():
    codes = [c for codes in ch.LANDSDELAR.values() for c in codes]
    assert sorted(codes) == sorted(c for c in vocab("region").labels if c != "00")


def test_involvement_map_says_where_the_landsting_above_riket_lie(default_store):
    section = ch.involvement_map(default_store, 2017)
    assert section.markdown == ("Kartan visar att landsting med en andel över rikets fanns i alla tre landsdelarna: "
                                "i Götaland låg 5 av 9 landsting över riket, i Svealand 2 av 7 och i Norrland 2 av 5.")
    fig = section.figures[0]
    assert "Andel positiva svar om delaktighet och involvering per landsting 2017." in fig.html   # the year in the title
    assert len(fig.data) == 21 and "Grå län saknar uppgift" not in fig.html
    assert '<th scope="col">Andel positiva, procent</th>' in fig.html                           # legend and table
    assert "Högst: Halland 82,8\u00a0procent. Lägst: Västmanland 73,8\u00a0procent." in fig.alt


def test_involvement_map_counts_above_riket_as_the_chart_beside_it_does(chapter_store):
    """A landsting shown equal to riket (78,44 → 78,4) is above riket neither in the chart's sentence nor on the map."""
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "25", "sex": "T", "measure": INV},
                                       value=78.44))
    numbers.take()
    ch.involvement_by_landsting(db, 2017)
    ch.involvement_map(db, 2017)
    keyed = {r.key: r.value for r in numbers.take()}
    parts = [ch.survey_key(INV, "over-riket", d, 2017) for d in ch.LANDSDELAR]
    assert sum(keyed[k] for k in parts) == keyed[ch.survey_key(INV, "over-riket", 2017)] == 9
    assert keyed[ch.survey_key(INV, "over-riket", "norrland", 2017)] == 2


def test_involvement_map_extremes_follow_the_data(chapter_store):
    def edit(t):
        t.set("patientenkat", {"period": 2017, "region_code": "25", "sex": "T", "measure": INV}, value=90)
        t.set("patientenkat", {"period": 2017, "region_code": "13", "sex": "T", "measure": INV}, value=70)

    section = ch.involvement_map(chapter_store(edit), 2017)
    fig = section.figures[0]
    assert "Högst: Norrbotten 90,0\u00a0procent. Lägst: Halland 70,0\u00a0procent." in fig.alt
    assert list(fig.data["län"])[0] == "Norrbotten" and list(fig.data["län"])[-1] == "Halland"
    assert '"domain": [70.0, 90.0]' in json.dumps(fig.spec)
    assert "i Götaland låg 4 av 9 landsting över riket, i Svealand 2 av 7 och i Norrland 3 av 5." in section.markdown


def test_involvement_map_names_a_landsting_without_a_value_and_draws_it_grey(chapter_store):
    db = chapter_store(lambda t: t.drop("patientenkat", {"period": 2017, "region_code": "09", "sex": "T",
                                                         "measure": INV}))
    section = ch.involvement_map(db, 2017)
    assert "Gotland saknar uppgift 2017 och är grått på kartan." in section.markdown
    assert "i Götaland låg 5 av 8 landsting över riket" in section.markdown
    fig = section.figures[0]
    assert "Grå län saknar uppgift." in fig.html and "Uppgift saknas för Gotland." in fig.alt
    fill = fig.spec["layer"][0]["encoding"]["color"]
    assert fill["condition"]["test"] == "isValid(datum.värde)" and fill["value"] == maps.MISSING_FILL
    assert "'uppgift saknas'" in json.dumps(fig.spec, ensure_ascii=False)             # its tooltip, not 'null'
    vega = charts.compile_to_vega(fig.spec)                  # as the browser draws it: the grey län is not left out
    assert not [t for d in vega["data"] for t in d.get("transform", [])
                if t["type"] == "filter" and "värde" in t["expr"]]
    several = ch.involvement_map(db, 2016).markdown
    assert "Södermanland, Jönköping, Kronoberg, Gotland" in several and "och är grå på kartan." in several
    assert "fanns bara i Götaland och Svealand, inte i Norrland: i Götaland låg 2 av 6 landsting" in several


def test_involvement_map_without_riket_or_without_the_year(chapter_store, default_store):
    db = chapter_store(lambda t: t.drop("patientenkat", {"period": 2017, "region_code": "00", "measure": INV}))
    section = ch.involvement_map(db, 2017)
    assert section.markdown == ("Riket saknar värde 2017, så kartan visar inte vilka landsting som låg över "
                                "riket.")
    assert len(section.figures) == 1
    missing = ch.involvement_map(default_store, 2019)
    assert missing.markdown.startswith(NOTE) and "inte för 2019" in missing.markdown and not missing.figures


def test_maps_read_the_shared_boundary_file(default_store):
    for fig in (ch.involvement_map(default_store, 2017).figures[0], ch.overall_impression_map(default_store).figures[0]):
        spec = json.dumps(fig.spec)
        assert '"url": "../_static/tillit-lan.json"' in spec and '"coordinates"' not in spec     # not inlined
        assert '"name": "blues"' in spec and '",.1f"' in spec
        assert "okfse/sweden-geojson" in fig.html and "Ladda ner siffrorna (CSV)" in fig.html
    assert (ROOT / maps.GEO_FILE).is_file()


def test_overall_impression_map_states_no_number_the_section_above_states(default_store):
    numbers.take()
    above = region.overall_impression(default_store, "00")
    said_above = {r.text for r in numbers.take() if r.kind == "text"}
    section = ch.overall_impression_map(default_store)
    mine = [r for r in numbers.take() if r.kind == "text"]
    assert section.markdown == ("Kartan visar att regioner med en andel över rikets fanns i alla tre landsdelarna: "
                                "i Götaland låg 5 av 9 regioner över riket, i Svealand 2 av 7 och i Norrland 3 av 5.")
    assert "Mellan regionerna varierade andelen från 76,0\u00a0procent i Örebro till 85,6\u00a0procent i Jämtland" in above.markdown
    assert all(r.text.isdigit() for r in mine)                     # counts only: no share said again in other words
    assert not [t for t in said_above if "procent" in t and t in prose(section)]
    fig = section.figures[0]
    assert "Positivt helhetsintryck av\nprimärvården per region 2023." in fig.html
    assert "Högst: Jämtland 85,6\u00a0procent. Lägst: Örebro 76,0\u00a0procent." in fig.alt


def test_overall_impression_map_follows_the_data(chapter_store):
    db = chapter_store(lambda t: t.set("patientenkat_helhetsintryck", {"period": 2023, "region_code": "18",
                                                                       "measurement": "nationell"}, value=90))
    section = ch.overall_impression_map(db)
    assert "Högst: Örebro 90,0\u00a0procent." in section.figures[0].alt
    assert "i Svealand 3 av 7" in section.markdown
    gone = ch.overall_impression_map(chapter_store(lambda t: t.drop("patientenkat_helhetsintryck")))
    assert gone.markdown.startswith(NOTE) and not gone.figures


def test_every_number_in_the_prose_is_keyed(default_store):
    numbers.take()
    sections = [ch.involvement_by_landsting(default_store, 2017), ch.involvement_map(default_store, 2017),
                ch.involvement_trend(default_store), ch.involvement_by_sex(default_store, 2017),
                region.overall_impression(default_store, "00"), ch.overall_impression_map(default_store)]
    records = numbers.take()
    assert unkeyed(sections, records) == []
    assert all(r.key == numbers.key(*r.key.split("/")) for r in records)
    one_key_one_number(records)
    assert unkeyed([ch.involvement_map(default_store, 2017)], []) != []          # the check can fail
