"""Chapter 3.3: time-use wording, minutes and the Sjöbo example follow a temporary store; gaps are stated in Swedish."""
from __future__ import annotations

import pytest

from tillit.report.chapters import detaljstyrning as ch

NOTE = ":::{admonition} Data saknas"
AKADEMIKERN_ADMIN = {"source_publisher": "Akademikern", "activity": "administration"}
SJOBO_AFTER = {"activity": "tid med barn och unga (efter)"}


def test_helpers():
    assert ch._is_direct("direkt tid med barn och vuxna")
    assert not ch._is_direct("indirekt tid (dokumentation)")
    assert ch._minutes(13, 8) == "62 minuter"
    assert ch._minutes(2, 8) == "10 minuter"


def test_reports_split_the_study_from_the_before_after_example(default_store):
    parts = ch.reports(ch._frame(default_store, 2017))
    assert [p for p, _ in parts] == ["Akademikern", "Metro"]
    assert all(not g.activity.str.contains("före|efter").any() for _, g in parts)


def test_time_use_reports_side_by_side(default_store):
    section = ch.time_use_reports(default_store, 2017, 8)
    md = section.markdown
    assert "| Aktivitet | Akademikern (procent av arbetstiden) | Metro (procent av arbetstiden) |" in md
    assert "| **Summa redovisat** | **68** | **48** |" in md
    assert "ungefär 62 minuter" in md and "ungefär 10 minuter" in md
    assert "Båda återgivningarna anger att administration tar 11\u00a0procent" in md
    assert md.count("(sekundärkälla)") >= 2
    assert set(section.figures[0].data.rapport) == {"Akademikern", "Metro"}


def test_time_use_reports_follow_the_data_and_the_working_day(default_store, chapter_store):
    assert "ungefär 47 minuter" in ch.time_use_reports(default_store, 2017, 6).markdown
    db = chapter_store(lambda t: t.set("tidsanvandning_socialsekreterare", AKADEMIKERN_ADMIN, value=15))
    md = ch.time_use_reports(db, 2017, 8).markdown
    assert "Administrationens andel anges till 15\u00a0procent (Akademikern) och 11\u00a0procent (Metro)" in md
    assert "| **Summa redovisat** | **72** | **48** |" in md


def test_time_use_reports_missing(default_store):
    section = ch.time_use_reports(default_store, 2019)
    assert section.markdown.startswith(NOTE) and "2019" in section.markdown


def test_before_after(default_store, chapter_store):
    section = ch.before_after(default_store, 2017)
    assert "ökade andelen tid med barn och unga från 11,0 till 18,5\u00a0procent av arbetstiden, en ökning med 7,5\u00a0procentenheter" in section.markdown
    assert "Sjöbo kommun skriver: ”…har ökat från 11 procent till 18,5 procent." in section.markdown
    assert section.figures[0].data.procent.tolist() == [11.0, 18.5]
    assert "Tid med barn och unga före och efter, Sjöbo kommun (redovisat 2017)" in section.figures[0].html
    db = chapter_store(lambda t: t.set("tidsanvandning_socialsekreterare", SJOBO_AFTER, value=9))
    assert "minskade andelen tid med barn och unga från 11,0 till 9,0\u00a0procent" in ch.before_after(db, 2017).markdown


def test_before_after_missing(chapter_store):
    db = chapter_store(lambda t: t.drop("tidsanvandning_socialsekreterare", SJOBO_AFTER))
    section = ch.before_after(db, 2017)
    assert section.markdown.startswith(NOTE) and "värdet efter" in section.markdown
    db = chapter_store(lambda t: t.drop("tidsanvandning_socialsekreterare"))
    assert "Inget före–efter-exempel" in ch.before_after(db, 2017).markdown


def test_state_grants_are_quotes_until_an_analyst_adds_a_table(default_store, stub_store):
    section = ch.state_grants(default_store)
    assert section.markdown.startswith(NOTE) and "bara som citat" in section.markdown
    assert "tillit" not in section.markdown and "catalog" not in section.markdown and "`" not in section.markdown
    added = ch.state_grants(stub_store(["ihp", "statsbidrag_kommuner"]))
    assert "statsbidrag_kommuner" not in added.markdown and "Uppgifter om statsbidrag finns i bokens data" in added.markdown
    assert not added.markdown.startswith(NOTE)


def test_key_figure(default_store, chapter_store):
    line = ch.key_figure(default_store)
    assert "13\u00a0procent av arbetstiden på direkt tid med barn och vuxna (enligt Akademikern)" in line
    assert "i Sjöbo kommun ökade från 11,0 till 18,5\u00a0procent" in line
    db = chapter_store(lambda t: t.set("tidsanvandning_socialsekreterare", {"activity": "direkt tid med barn och vuxna"},
                                       value=20))
    assert "20\u00a0procent av arbetstiden på direkt tid" in ch.key_figure(db)
    assert ch.key_figure(chapter_store(lambda t: t.drop("tidsanvandning_socialsekreterare"))) is None


def test_time_use_numbers_are_keyed_by_publisher_activity_and_year(default_store):
    from tillit.report import numbers

    numbers.take()
    ch.time_use_reports(default_store, 2017, 8)
    recs = {r.key: r for r in numbers.take() if r.kind == "text"}
    assert recs["tidsanvandning/akademikern/direkt-tid-med-barn-och-vuxna/2017"].text == "13\u00a0procent"
    assert recs["tidsanvandning/akademikern/direkt-tid-med-barn-och-vuxna/minuter/2017"].value == pytest.approx(62.4)
    assert recs["tidsanvandning/metro/summa-redovisat/2017"].value == 48
