"""Chapter 3.4: what is missing on managers is stated; support and gendered-condition wording follow the data."""
from __future__ import annotations

from tillit.report.chapters import ledarskap as ch

NOTE = ":::{admonition} Data saknas"


def test_manager_data_missing_by_default(default_store):
    assert ch.manager_tables(default_store) == []
    section = ch.manager_data(default_store)
    assert section.markdown.startswith(NOTE)
    assert "antalet medarbetare per chef" in section.markdown and "läggs till i bokens data" in section.markdown
    assert "tillit" not in section.markdown and "catalog" not in section.markdown and "`" not in section.markdown


def test_manager_data_found_when_added(stub_store):
    db = stub_store(["ihp", "chefer_kontrollspann"])
    assert ch.manager_tables(db) == ["chefer_kontrollspann"]
    # the reader sees no internal table name
    assert "chefer_kontrollspann" not in ch.manager_data(db).markdown
    assert "finns i bokens data (en tabell som lagts till)" in ch.manager_data(db).markdown
    assert "chefer_kontrollspann" not in ch.key_figure(db) and "uppgifter om chefers förutsättningar" in ch.key_figure(db)


def test_administration_on_professionals(default_store, chapter_store):
    md = ch.administration_on_professionals(default_store, 2017).markdown
    assert "gick enligt Metro och Akademikern 11\u00a0procent av arbetstiden till administration" in md
    assert "”ren administration som mindre kvalificerad personal kunde utföra”" in md
    assert md.count("(sekundärkälla)") == 2
    db = chapter_store(lambda t: t.set("tidsanvandning_socialsekreterare",
                                       {"source_publisher": "Akademikern", "activity": "administration"}, value=14))
    assert "gick 14\u00a0procent enligt Akademikern och 11\u00a0procent enligt Metro" in \
        ch.administration_on_professionals(db, 2017).markdown
    section = ch.administration_on_professionals(default_store, 2019)
    assert section.markdown.startswith(NOTE) and "2019" in section.markdown


def test_sick_leave_by_sex(default_store, chapter_store):
    md = ch.sick_leave_by_sex(default_store, 2017).markdown
    assert "kvinnor anställda i landstingen 6,7\u00a0procent och bland män 3,6\u00a0procent" in md
    assert "nästan dubbelt så hög som männens" in md and "samtliga 21 landsting" in md
    assert "inte chefer" in md and "(3-5-kompetensforsorjning.ipynb)" in md
    db = chapter_store(lambda t: t.set("sjukfranvaro_landsting", {"period": 2017, "region_code": "00", "sex": "K"},
                                       value=3.6))
    assert "ungefär lika hög som männens" in ch.sick_leave_by_sex(db, 2017).markdown
    section = ch.sick_leave_by_sex(default_store, 2030)
    assert section.markdown.startswith(NOTE) and "2030" in section.markdown


def test_key_and_nearest_figure(default_store, chapter_store):
    assert ch.key_figure(default_store) is None
    assert ch.nearest_figure(default_store).startswith("11\u00a0procent av utredande socialsekreterares arbetstid 2017")
    db = chapter_store(lambda t: t.set("tidsanvandning_socialsekreterare",
                                       {"activity": "ren administration som mindre kvalificerad personal kunde utföra"},
                                       value=12))
    assert ch.nearest_figure(db).startswith("12\u00a0procent")
    assert ch.nearest_figure(chapter_store(lambda t: t.drop("tidsanvandning_socialsekreterare"))) is None
