"""Chapter 3.2: continuity, IHP coordination and health-workforce wording follow a temporary store; gaps are stated."""
from __future__ import annotations

from tillit.report.chapters import helhet as ch

KON = "kontinuitet_koordinering"
NOTE = ":::{admonition} Data saknas"
NURSES = {"measure": "nurses per 1 000 population", "country": "Sweden", "source_type": "secondary"}


def test_labels():
    assert ch._measure("nurses per 1 000 population") == ("Sjuksköterskor per 1 000 invånare", 1)
    assert ch._measure("something else") == ("something else", 1)
    assert ch._period("2009") == "2009"
    assert ch._period("HaaG 2017 edition (data year not stated in excerpt)") == "Health at a Glance 2017 (dataår anges inte)"


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
    assert "ökade från 69,8 till 70,8\u00a0procent" in ch.continuity_trend(default_store).markdown
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
    assert "I riket var det 70,8\u00a0procent mot 78,4\u00a0procent." in section.markdown
    assert "starkt positivt" in section.markdown and len(section.figures[0].data) == 21
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
    assert ch.ihp_coordination(chapter_store(lambda t: t.drop("ihp"))).markdown.startswith(NOTE)


def test_workforce_charts_rank_sweden_and_flag_secondary(default_store):
    section = ch.workforce_charts(default_store)
    assert "Sverige hade 11,0 sjuksköterskor per 1 000 invånare enligt Health at a Glance 2017 (dataår anges inte), den lägsta av de 6 länderna i jämförelsen" in section.markdown
    assert "22\u00a0procent högre än OECD-genomsnittet (9,0)" in section.markdown  # 1,22: not "ungefär en fjärdedel"
    assert "Sverige hade 380,2 praktiserande läkare per 100 000 invånare år 2009 (källa Eurostat), den fjärde högsta av de 7 länderna" in section.markdown
    assert section.markdown.count("Uppgiften kommer från en sekundärkälla.") == 2
    assert len(section.figures) == 2
    assert all("Sekundärkälla" in f.html for f in section.figures)


def test_workforce_charts_follow_the_data(chapter_store):
    db = chapter_store(lambda t: t.set("halsopersonal_oecd", NURSES, value=20))
    md = ch.workforce_charts(db).markdown
    assert "Sverige hade 20,0 sjuksköterskor per 1 000 invånare enligt Health at a Glance 2017 (dataår anges inte), den högsta av de 6 länderna" in md and "mer än dubbelt så hög som OECD-genomsnittet" in md
    db = chapter_store(lambda t: t.drop("halsopersonal_oecd", {"country": "Sweden"}))
    assert ch.workforce_charts(db).markdown.startswith(NOTE)


def test_workforce_table(default_store, chapter_store):
    md = ch.workforce_table(default_store).markdown
    assert "Alla 19 värden" in md and "15 av dem kommer från sekundärkällor" in md
    assert "| Läkarbesök per läkare och år | 2017 | Sverige | 692 | dataåret anges inte |" in md
    db = chapter_store(lambda t: t.set("halsopersonal_oecd", NURSES, source_type="primary"))
    assert "14 av dem kommer från sekundärkällor" in ch.workforce_table(db).markdown
    assert ch.workforce_table(chapter_store(lambda t: t.drop("halsopersonal_oecd"))).markdown.startswith(NOTE)


def test_workforce_report_figure(default_store, chapter_store):
    section = ch.workforce_report_figure(default_store)
    assert section.markdown.startswith(NOTE) and "figur 3.4" in section.markdown
    assert "bara för 2 länder och inte för Sverige" in section.markdown
    assert "`tillit import <fil> --table halsopersonal_oecd`" in section.markdown
    countries = ["Sweden", "Norway", "Canada", "France", "Germany", "Netherlands", "New Zealand", "Switzerland",
                 "United Kingdom", "United States"]
    db = chapter_store(lambda t: t.add("halsopersonal_oecd", [
        {"country": c, "value": 3 + i / 10} for i, c in enumerate(countries)], like={"period": "2015", "country": "Austria"}))
    assert "finns för 12 länder (2015), Sverige inräknat" in ch.workforce_report_figure(db).markdown


def test_key_figure(default_store, chapter_store):
    line = ch.key_figure(default_store)
    assert "70,8\u00a0procent" in line and "skilde det 13,7 procentenheter" in line
    db = chapter_store(lambda t: t.set("patientenkat", {"period": 2017, "region_code": "00", "sex": "T", "measure": KON},
                                       value=71.9))
    assert "71,9\u00a0procent" in ch.key_figure(db)
    assert ch.key_figure(chapter_store(lambda t: t.drop("patientenkat"))) is None


def test_figure_34_ranks_sweden_and_marks_the_break(default_store, chapter_store):
    section = ch.figure_34(default_store)
    frame = ch.who_workforce(default_store)
    year = ch.comparison_year(frame)
    assert f"Enligt WHO hade Sverige" in section.markdown and f"invånare {year}" in section.markdown
    assert "tidsseriebrott" in section.markdown and len(section.figures) == 2
    assert "Streckad linje: tidsseriebrott" in section.figures[1].html
    unbroken = chapter_store(lambda t: t.drop("halsopersonal_who", {"country_code": "SWE", "period": 2019,
                                                                    "measure": "lakare"}))
    assert "tidsseriebrott" not in ch.figure_34(unbroken).markdown
