"""Freshness: periods to dates, the start page's table, the notice atop a chapter whose newest data are old, and the
coverage page (what the book shows for each figure of the report, with the years computed from the data)."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import ROOT, edit_csv_value
from tillit.report import coverage, freshness
from tillit.tables import store as store_mod


@pytest.mark.parametrize("period, end", [
    ("2017", dt.date(2017, 12, 31)), ("2021K2", dt.date(2021, 6, 30)), ("2022Q4", dt.date(2022, 12, 31)),
    ("2024H1", dt.date(2024, 6, 30)), ("2015-12", dt.date(2015, 12, 31)), ("2020-02", dt.date(2020, 2, 29)),
    ("(not stated; survey 2016 and 2014)", dt.date(2016, 12, 31)), ("utan år", None),
])
def test_period_end(period, end):
    assert freshness.period_end(period) == end


def test_latest_period_compares_dates_not_text():
    assert freshness.latest_period(["2015-12", "2017", "2021K1", "2020"]) == ("2021K1", dt.date(2021, 3, 31))
    assert freshness.latest_period([]) == (None, None)


def test_three_years_counts_from_the_build_date():
    today = dt.date(2026, 12, 1)
    assert freshness.is_stale(dt.date(2023, 11, 30), today) and not freshness.is_stale(dt.date(2023, 12, 1), today)


@pytest.fixture
def db(data_copy, tmp_path):
    return lambda: store_mod.connect(store_mod.build(tmp_path / "s.duckdb", data_copy, force=True).path)


def test_chapter_notice_follows_the_data_and_the_date(db, data_copy):
    tables = ["tidsanvandning_socialsekreterare"]                 # 2017 only
    notice = freshness.chapter_notice(db(), tables, today=dt.date(2026, 12, 1))
    assert "Uppgifterna i det här kapitlet gäller i huvudsak 2017, mer än tre år före den 1 december 2026" in notice
    assert "byggdagen" not in notice and "tillit" not in notice and "2026-12-01" not in notice
    assert freshness.chapter_notice(db(), tables, today=dt.date(2020, 1, 1)) == ""
    # one newer row does not make the chapter fresh: it is named as a single newer figure
    edit_csv_value(data_copy / "tables" / "tidsanvandning_socialsekreterare.csv", {"activity": "direkt tid med barn och vuxna"},
                   "period", "2025")
    notice = freshness.chapter_notice(db(), tables, today=dt.date(2026, 12, 1))
    assert "i huvudsak 2017" in notice and "Bara enstaka uppgifter är nyare; den senaste gäller 2025." in notice
    path = data_copy / "tables" / "tidsanvandning_socialsekreterare.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n2017,", "\n2025,"), encoding="utf-8")
    assert freshness.chapter_notice(db(), tables, today=dt.date(2026, 12, 1)) == ""


def test_chapter_notice_names_the_years_most_charts_end_in(db):
    """3.2: Patientenkät, IHP and OECD end 2017, WHO mostly 2019; one IHP row of 2021 is only the newest single figure."""
    tables = ["patientenkat", "ihp", "halsopersonal_oecd", "halsopersonal_who"]
    notice = freshness.chapter_notice(db(), tables, today=dt.date(2026, 12, 1))
    assert "Kapitlets diagram och tabeller slutar i de flesta fall 2017–2019, mer än tre år före den 1 december 2026" in notice
    assert "den senaste gäller 2021" in notice


def test_main_period_ignores_a_few_later_rows():
    periods = ["2016"] * 10 + ["2017"] * 9 + ["2018"] * 2
    assert freshness.main_period(periods) == ("2017", dt.date(2017, 12, 31))
    assert freshness.main_period([]) == (None, None)


def test_start_page_table_names_latest_period_source_and_staleness(db):
    md = freshness.freshness_markdown(ROOT, db(), today=dt.date(2026, 12, 1))
    row = next(line for line in md.splitlines() if "(tabell-halsopersonal_who)" in line)
    assert "| 2020 (*äldre än 3 år*) | WHO (sekundärkälla) | sammanställd ur källuppgifter |" in row
    row = next(line for line in md.splitlines() if "(tabell-patientenkat_helhetsintryck)" in line)
    assert "| 2024 |" in row and "äldre" not in row
    assert "| inga data |" in next(line for line in md.splitlines() if "(tabell-personal_region)" in line)


def test_year_span():
    assert coverage.year_span([2007, 2008, 2009, 2012, 2014, 2015]) == "2007–2009, 2012, 2014–2015"
    assert coverage.year_span([]) == ""


def test_coverage_page_lists_every_item_with_years_from_the_data(db, data_copy):
    md = coverage.coverage_markdown(ROOT, db())
    items = coverage.load_items(ROOT)
    assert md.count("\n## ") + md.startswith("## ") == len(items)
    figure_34 = md.split("## Figur 3.4")[1].split("\n## ")[0]
    assert "Ett ersättningsmått" in figure_34 and "2000–2020" in figure_34
    edit_csv_value(data_copy / "tables" / "halsopersonal_who.csv", {"period": "2020", "country_code": "NOR",
                                                                    "measure": "lakare"}, "period", "2031")
    assert "2000–2020, 2031" in coverage.coverage_markdown(ROOT, db()).split("## Figur 3.4")[1].split("\n## ")[0]


def test_coverage_file_must_name_known_tables(tmp_path):
    (tmp_path / "data").mkdir()
    for name in ("catalog.yaml", "vocab.yaml"):
        (tmp_path / "data" / name).write_text((ROOT / "data" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "data" / "coverage.yaml").write_text(
        "items:\n  - {id: 'Figur 9', topic: x, report: x, kind: inget, data: [{table: nope}], gap: x}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Figur 9: no table 'nope'"):
        coverage.load_items(tmp_path)
