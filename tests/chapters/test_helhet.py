"""Chapter 3.2: continuity, IHP coordination and health-workforce wording follow a temporary store; gaps are stated."""
from __future__ import annotations

import json

import pandas as pd

from tests.chapters.test_medborgarfokus import one_key_one_number, unkeyed
from tillit.report import charts, numbers, text
from tillit.report.chapters import helhet as ch

KON = "kontinuitet_koordinering"
NOTE = ":::{admonition} Data saknas"
NURSES = {"measure": "nurses per 1 000 population", "country": "Sweden", "source_type": "secondary"}


def test_labels():
    assert ch.measure_label("nurses per 1 000 population") == ("Sjuksköterskor per 1\u00a0000 invånare", 1)
    assert ch.measure_label("something else") == ("something else", 1)
    assert ch.period_words("2009") == "2009"
    assert ch.period_words("HaaG 2017 edition (data year not stated in excerpt)") == "Health at a Glance 2017 (dataåret anges inte)"
    # a year that is the edition's, with the data year unknown, is not shown as a data year
    assert ch.period_words("2017", ch.NO_DATA_YEAR) == "2017 års översikt (dataåret anges inte)"


def test_titles_name_unit_and_year_or_edition():
    assert ch.workforce_title("nurses per 1 000 population", "HaaG 2017 edition (data year not stated in excerpt)",
                              "") == "Sjuksköterskor per 1 000 invånare, Health at a Glance 2017 (dataåret anges inte)"
    assert ch.workforce_title("practising physicians per 100 000 (Eurostat)", "2009", "") == \
        "Praktiserande läkare per 100 000 invånare 2009 (Eurostat)"


def test_a_note_about_one_country_stays_on_its_row():
    assert ch.note_applies("Greece = licensed, over-estimate", "Greece")
    assert not ch.note_applies("Greece = licensed, over-estimate", "Austria")
    assert not ch.note_applies("Greece = licensed, over-estimate", "OECD average")
    assert ch.note_applies("OUTSIDE 2016–2020; context only", "Sweden")
    assert not ch.note_applies(ch.NO_DATA_YEAR, "Sweden") and not ch.note_applies(None, "Sweden")


def test_who_mirror_is_named_in_swedish_as_a_copy():
    frame = pd.DataFrame({"source_title": ["WHO Global Health Observatory / National Health Workforce Accounts, "
                                           "indicator HWF_0001 (CSV export mirrored in GitHub cghss/IHR-costing)",
                                           "Something else"], "indicator": ["HWF_0001", "HWF_0006"]})
    out = ch.who_provenance(frame)
    assert out.source_title.tolist() == ["WHO:s Global Health Observatory, indikator HWF_0001 (kopia av WHO:s export)",
                                         "Something else"]


def test_extremes_names_highest_and_lowest_once():
    frame = pd.DataFrame({"n": ["a", "b", "c"], "x": [1.0, 3.0, 2.0], "y": [3.0, 1.0, 2.0]})
    assert ch.extremes(frame, ["x", "y"], "n") == ["b", "a"]


def test_continuity_by_landsting_names_ties_and_follows_the_data(default_store, chapter_store):
    md = ch.continuity_by_landsting(default_store, 2017).markdown
    assert "från 62,8\u00a0procent på Gotland och i Örebro till 76,5\u00a0procent i Halland" in md
    assert "en skillnad på 13,7\u00a0procentenheter" in md
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "18", "sex": "T", "measure": KON},
                                       value=80))
    md = ch.continuity_by_landsting(db, 2017).markdown
    assert "från 62,8\u00a0procent på Gotland till 80,0\u00a0procent i Örebro" in md


def test_continuity_by_landsting_missing(default_store):
    section = ch.continuity_by_landsting(default_store, 2014)
    assert section.markdown.startswith(NOTE) and "kontinuitet och koordinering" in section.markdown


def test_continuity_by_sex_and_trend(default_store, chapter_store):
    assert "69,3\u00a0procent bland kvinnor och 72,8\u00a0procent bland män" in ch.continuity_by_sex(default_store, 2017).markdown
    trend = ch.continuity_trend(default_store)
    assert "ökade från 69,8 till 70,8\u00a0procent" in trend.markdown
    # Gotland shows 62,8 both years: unchanged, not risen
    assert "ökade andelen i 14, minskade i 6 och var oförändrad i 1" in trend.markdown
    assert "År 2016 mätte bara 10 av 21 landsting" in trend.markdown and "Gotland" not in trend.markdown.split("2016")[1]
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "00", "sex": "M", "measure": KON},
                                       value=60))
    md = ch.continuity_by_sex(db, 2017).markdown
    assert "andelen var 9,3\u00a0procentenheter högre bland kvinnorna" in md
    assert ch.continuity_by_sex(db, 2030).markdown.startswith(NOTE)
    db = chapter_store(lambda t: t.drop("patientenkat", {"region_code": "00"}))
    assert ch.continuity_trend(db).markdown.startswith(NOTE)


def test_continuity_vs_involvement(default_store, chapter_store):
    section = ch.continuity_vs_involvement(default_store, 2017)
    assert "lägre än om delaktighet och involvering i samtliga 21 landsting" in section.markdown
    assert "För riket som helhet var andelarna 70,8\u00a0procent respektive 78,4\u00a0procent." in section.markdown
    assert "8,4\u00a0procentenheter lägre (ett oviktat medelvärde av landstingens skillnader)" in section.markdown
    assert "starkt positivt" in section.markdown and len(section.figures[0].data) == 21
    assert "samma enkät och samma svarande" in section.markdown
    fig = section.figures[0]
    # only the plotted rows' sources: the two indicators, not a press row for another measure
    assert "Life-time" not in fig.html and "indikator 567" in fig.html and "indikator 568" in fig.html
    labels = [layer for layer in fig.spec["layer"] if layer.get("mark", {}).get("type") == "text"]
    named = {row["landsting"] for row in fig.spec["datasets"][labels[0]["data"]["name"]]}
    assert {"Halland", "Gotland", "Västmanland"} <= named and len(named) <= 4
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "13", "sex": "T", "measure": KON},
                                       value=90))
    assert "i 20 av 21 landsting" in ch.continuity_vs_involvement(db, 2017).markdown
    db = chapter_store(lambda t: t.drop("patientenkat", {"measure": KON}))
    assert ch.continuity_vs_involvement(db, 2017).markdown.startswith(NOTE)


def test_ihp_coordination_lists_only_coordination_items(default_store, chapter_store):
    md = ch.ihp_coordination(default_store).markdown
    assert "får hjälp av personalen att samordna vården mellan vårdgivare" in md
    assert "den fasta läkaren känner till viktig medicinsk historik (2017, 65 år och äldre) | 68; lägst av 11" in md
    assert "tandvård" not in md
    assert "Data finns för 13 IHP-frågor, men ingen av dem har värden för alla elva länder" in md
    assert "ihp" not in md.replace("IHP", "") and "Andra länder i data" not in md  # an empty column is left out
    assert ch.ihp_coordination(chapter_store(lambda t: t.drop("ihp"))).markdown.startswith(NOTE)


def test_workforce_charts_rank_sweden_and_flag_secondary(default_store):
    section = ch.workforce_charts(default_store)
    md = section.markdown
    assert ("Sverige hade 11,0 sjuksköterskor per 1\u00a0000 invånare enligt Health at a Glance 2017 (dataåret anges "
            "inte), den lägsta av de 6 länder som källan tar upp") in md
    assert "22\u00a0procent högre än OECD-genomsnittet (9,0)" in md  # 1,22: not "ungefär en fjärdedel"
    assert ("Sverige hade 380,2 praktiserande läkare per 100\u00a0000 invånare år 2009 (källa Eurostat), den fjärde "
            "högsta av de 7 länder") in md
    assert md.count("Uppgiften kommer från en sekundärkälla.") == 2
    # the three units are named, and Sweden's values are converted (computed) to per 1 000
    assert "WHO räknar per 10\u00a0000 invånare, OECD per 1\u00a0000 och Eurostat per 100\u00a0000" in md
    assert "motsvarar 4,4 per 1\u00a0000" in md and "motsvarar 3,8 per 1\u00a0000" in md
    assert len(section.figures) == 2
    assert all("Sekundärkälla" in f.html for f in section.figures)
    nurses = section.figures[0]
    assert "Sjuksköterskor per 1 000 invånare, Health at a Glance 2017" in nurses.html
    assert "OECD-genomsnitt" not in nurses.alt.split("Högst:")[1]  # an average is not a country in the alt text


def test_workforce_charts_follow_the_data(chapter_store):
    db = chapter_store(lambda t: t.set("halsopersonal_oecd", NURSES, value=20))
    md = ch.workforce_charts(db).markdown
    assert "Sverige hade 20,0 sjuksköterskor per 1\u00a0000 invånare enligt Health at a Glance 2017 (dataåret anges inte), den högsta av de 6 länder" in md and "mer än dubbelt så hög som OECD-genomsnittet" in md
    db = chapter_store(lambda t: t.drop("halsopersonal_oecd", {"country": "Sweden"}))
    assert ch.workforce_charts(db).markdown.startswith(NOTE)


def test_workforce_table(default_store, chapter_store):
    md = ch.workforce_table(default_store).markdown
    assert "Alla 19 äldre uppgifter" in md and "15 av dem kommer från sekundärkällor" in md
    assert "halsopersonal" not in md
    # the year 2017 is the overview's, the data year unknown: said once, in the period column
    assert "| Läkarbesök per läkare och år | 2017 års översikt (dataåret anges inte) | Sverige | 692 |  |" in md
    # the note on Greece's count is on Greece's row only
    assert "| Grekland | 6,3 | Grekland räknar legitimerade läkare" in md
    assert "| Österrike | 5,1 |  |" in md and "| OECD-genomsnitt | 3,4 |  |" in md
    # the two OECD nurse averages are explained from their rows
    assert ("OECD-genomsnittet för sjuksköterskor per 1\u00a0000 invånare står två gånger: 8,8 för 2017 ur Health at a "
            "Glance 2019 och 9,0 ur Health at a Glance 2017 utan angivet dataår, som Kvalitetsvård återger det.") in md
    db = chapter_store(lambda t: t.set("halsopersonal_oecd", NURSES, source_type="primary"))
    assert "14 av dem kommer från sekundärkällor" in ch.workforce_table(db).markdown
    assert ch.workforce_table(chapter_store(lambda t: t.drop("halsopersonal_oecd"))).markdown.startswith(NOTE)


def test_key_figure(default_store, chapter_store):
    line = ch.key_figure(default_store)
    assert "70,8\u00a0procent" in line and "skilde det 13,7\u00a0procentenheter" in line
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "00", "sex": "T", "measure": KON},
                                       value=71.9))
    assert "71,9\u00a0procent" in ch.key_figure(db)
    assert ch.key_figure(chapter_store(lambda t: t.drop("patientenkat"))) is None


def test_figure_34_compares_sweden_with_the_other_countries_mean_and_marks_the_break(default_store, chapter_store):
    section = ch.figure_34(default_store)
    md = section.markdown
    frame = ch.who_workforce(default_store)
    year = ch.comparison_year(frame)
    at = frame[frame.period == year].set_index("land").value
    mean = at.drop("Sverige").mean()
    assert f"genomsnittet för de övriga tio länderna ({text.number(mean)})" in md
    assert "median" not in md
    assert "stöder data betänkandets bild för läkarna men inte för sjuksköterskorna" in md
    assert "svåra att jämföra mellan länder" in md and "räknar dessutom in barnmorskor" in md
    assert "70,9 läkare per 10\u00a0000 invånare, är 61\u00a0procent högre än året före" in md
    assert len(section.figures) == 3
    doctors, nurses, line = section.figures
    assert f"Läkare per 10 000 invånare i IHP-länderna {year} (motsvarar betänkandets figur 3.4, men med WHO:s uppgifter)" in doctors.html
    assert "WHO:s Global Health Observatory, indikator HWF_0001 (kopia av WHO:s export)" in doctors.html
    assert "mirrored" not in doctors.html
    assert "Sjuksköterskor och barnmorskor per 10 000 invånare i IHP-länderna" in nurses.html
    # the break value is not drawn as part of Sweden's line, and the line breaks at missing years
    assert line.data["år"].max() == 2018 and 70.92 not in line.data.per_10000.tolist()
    assert line.spec["mark"]["invalid"] == charts.BREAK_AT_GAPS
    assert "Läkare per 10 000 invånare i Sverige 2000–2018 (WHO)" in line.html
    unbroken = chapter_store(lambda t: t.drop("halsopersonal_who", {"country_code": "SWE", "period": 2019,
                                                                    "measure": "lakare"}))
    assert "tidsseriebrott" not in ch.figure_34(unbroken).markdown


def test_sweden_vs_others_is_the_verdicts_statistic(default_store, chapter_store):
    c = ch.sweden_vs_others(default_store, "sjukskoterskor_barnmorskor")
    assert c["n_others"] == 10 and c["sweden"] < c["mean"]
    db = chapter_store(lambda t: t.set("halsopersonal_who", {"country_code": "SWE", "period": 2018,
                                                             "measure": "sjukskoterskor_barnmorskor"}, value=200))
    assert ch.support_words(ch.sweden_vs_others(db, "lakare"), ch.sweden_vs_others(db, "sjukskoterskor_barnmorskor")) \
        == ("betänkandets bild för både läkare och sjuksköterskor", True)


def test_key_points_say_what_the_data_show_for_doctors_and_nurses(default_store, chapter_store):
    md = ch.key_points(default_store).markdown
    assert "Enligt WHO hade Sverige 2018 44,1 läkare per 10\u00a0000 invånare, ungefär en fjärdedel fler än genomsnittet för de övriga tio länderna (35,4), men 118,5 sjuksköterskor och barnmorskor" in md
    assert "10\u00a0procent färre än genomsnittet för de övriga tio (131,2)" in md
    assert "Data stöder alltså betänkandets bild för läkarna men inte för sjuksköterskorna." in md
    assert "median" not in md
    db = chapter_store(lambda t: t.set("halsopersonal_who", {"country_code": "SWE", "period": 2018,
                                                             "measure": "lakare"}, value=20))
    md = ch.key_points(db).markdown
    assert "varken för läkare eller för sjuksköterskor" in md and "färre än genomsnittet för de övriga tio länderna" in md


# --- the map beside the chart per landsting ---------------------------------------------------------------------------

def test_continuity_map_says_where_the_landsting_above_riket_lie_and_follows_the_data(default_store, chapter_store):
    section = ch.continuity_map(default_store, 2017)
    assert section.markdown == ("Kartan visar att landsting med en andel över rikets fanns i alla tre landsdelarna: "
                                "i Götaland låg 5 av 9 landsting över riket, i Svealand 2 av 7 och i Norrland 1 av 5.")
    fig = section.figures[0]
    assert "Andel positiva svar om kontinuitet och koordinering\nper landsting 2017." in fig.html
    assert "Högst: Halland 76,5\u00a0procent. Lägst: Gotland 62,8\u00a0procent." in fig.alt
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "18", "sex": "T", "measure": KON},
                                       value=80))
    moved = ch.continuity_map(db, 2017)
    assert "Högst: Örebro 80,0\u00a0procent. Lägst: Gotland 62,8\u00a0procent." in moved.figures[0].alt
    assert list(moved.figures[0].data["län"])[0] == "Örebro" and "i Svealand 3 av 7" in moved.markdown


def test_continuity_map_names_a_landsting_without_a_value_and_reads_the_shared_boundaries(chapter_store):
    db = chapter_store(lambda t: t.drop("patientenkat", {"period": 2017, "region_code": "09", "sex": "T",
                                                         "measure": KON}))
    section = ch.continuity_map(db, 2017)
    assert "Gotland saknar uppgift 2017 och är grått på kartan." in section.markdown
    fig = section.figures[0]
    assert "Grå län saknar uppgift." in fig.html and "Lägst: Örebro 62,8\u00a0procent." in fig.alt
    spec = json.dumps(fig.spec)
    assert '"url": "../_static/tillit-lan.json"' in spec and '"coordinates"' not in spec
    assert ch.continuity_map(db, 2014).markdown.startswith(NOTE)


def test_every_number_in_the_prose_is_keyed(default_store):
    numbers.take()
    sections = [ch.continuity_by_landsting(default_store, 2017), ch.continuity_map(default_store, 2017),
                ch.continuity_by_sex(default_store, 2017), ch.continuity_trend(default_store),
                ch.continuity_vs_involvement(default_store, 2017)]
    records = numbers.take()
    assert unkeyed(sections, records) == []
    one_key_one_number(records)
