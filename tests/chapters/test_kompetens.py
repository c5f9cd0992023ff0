"""Chapter 3.5 / 2.1 logic: figures and wording computed from the store, and plain statements where data is missing."""
import pytest

from tests.conftest import edit_csv_value
from tillit.claims import quantifiers
from tillit.tables import store
from tillit.report import text
from tillit.report.chapters import kompetens as ch

NBSP = "\u00a0"


@pytest.fixture
def db(tmp_path, data_copy):
    store.build(tmp_path / "s.duckdb", data_copy)
    return store.connect(tmp_path / "s.duckdb")


def rebuilt(tmp_path, data_copy, table, match, value):
    edit_csv_value(data_copy / "tables" / f"{table}.csv", match, "value", value)
    store.build(tmp_path / "s.duckdb", data_copy)
    return store.connect(tmp_path / "s.duckdb")


def test_sector_text_is_computed_and_follows_the_data(tmp_path, data_copy, db):
    before = ch.sick_leave_by_sector(db, 1990, 2030)
    ratios = ch.sector_ratios(ch.sector_sick_leave(db, 1990, 2030))
    last = ratios.index.max()
    pct = int(quantifiers.rounded((ratios.loc[last, "kommuner_ratio"] - 1) * 100, 0))  # 92,5 → 93
    assert f"Kommunernas sjukfrånvaro var {pct}{NBSP}procent högre" in before.markdown
    assert "avstånd till arbetsmarknaden växte från" in before.markdown  # the widening gap, with its years
    assert "2010–2011 och ökade sedan" in before.markdown  # the labour market's turning point
    assert before.figures and "Sjukfrånvaro per sektor" in before.figures[0].html
    db.close()
    match = {"period": str(last), "sector": "kommuner", "measure": "sjukfranvaro_pct", "sex": "T"}
    arbetsmarknad = float(ratios.loc[last, "arbetsmarknaden"])
    after = ch.sick_leave_by_sector(rebuilt(tmp_path, data_copy, "sjukfranvaro_sektor", match, str(arbetsmarknad)),
                                    1990, 2030)
    assert "ungefär lika hög som den" in after.markdown
    assert after.markdown != before.markdown


def test_sector_gap_table_lists_every_comparable_year(db):
    ratios = ch.sector_ratios(ch.sector_sick_leave(db, 1990, 2030))
    table = ch.sector_gap_table(db, 1990, 2030).markdown
    assert table.count("\n| 20") == len(ratios)


def test_landsting_year_parameter_and_missing_year(db):
    section = ch.landsting_sick_leave(db, 2010)
    assert section.markdown.startswith("År 2010 varierade sjukfrånvaron")
    assert "sjukfranvaro-landsting-2010" in section.figures[0].html
    missing = ch.landsting_sick_leave(db, 1999)
    assert "Data saknas" in missing.markdown and "inte för 1999" in missing.markdown


def test_occupations_are_compared_with_all_occupations(db):
    md = ch.sick_cases_by_occupation(db).markdown
    assert "samtliga yrken" in md and "Välfärdsyrkena i data låg alla över" in md


def test_psychiatric_share_uses_the_diagnosis_table(tmp_path, data_copy, db):
    before = ch.psychiatric_share(db, 2005, 2018).markdown
    assert "F00–F99" in before and "ökade från" in before and "första kvartalet 2005" in before
    assert "procentenheter" in before and "K1" not in before
    db.close()
    after = ch.psychiatric_share(rebuilt(tmp_path, data_copy, "sjukfall_diagnos",
                                         {"period": "2018K4", "diagnosis_code": "F00-F99", "sex": "T"}, "1.0"),
                                 2005, 2018).markdown
    assert "minskade från" in after


def test_shortage_index_explains_the_scale(db):
    section = ch.shortage_index(db)
    assert "1 (stort överskott på arbetssökande)" in section.markdown and "5 (stor brist på sökande)" in section.markdown
    assert "bristindex-2024" in section.figures[0].html


def test_hired_staff_to_the_latest_year(db):
    section = ch.hired_staff(db)
    md = section.markdown
    costs = db.sql("""SELECT period, value FROM inhyrd_personal_regioner WHERE region_code = '00'
                      AND staff_group = 'alla' AND measure = 'kostnad' ORDER BY period""")
    last = costs.iloc[-1]
    assert f"till {text.number(last.value, 1)}\u00a0miljarder kronor {last.period}" in md
    assert "sekundärkällor" in md and "finns inte i data" in md  # what is missing is said plainly
    assert section.figures and section.figures[0].name == "inhyrd-personal"


def test_sick_cases_in_the_reports_year_next_to_the_latest(db):
    md = ch.sick_cases_report_year(db, 2014).markdown
    assert md.startswith("År 2014 hade vård- och omsorgspersonal")
    assert "inte sjukskrivningsdagar" in md  # the measure differs from Figur 3.6, and the text says so
    assert "Data saknas" in ch.sick_cases_report_year(db, 1999).markdown


def test_empty_years_give_a_plain_statement(db):
    assert "Data saknas" in ch.sick_leave_by_sector(db, 1900, 1901).markdown
    assert "Data saknas" in ch.psychiatric_share(db, 1900, 1901).markdown


def test_labels_from_data_are_escaped(tmp_path, data_copy):
    edit_csv_value(data_copy / "tables" / "personalomsattning.csv", {"period": "2021", "scope": "kommuner",
                   "measure": "andel nyrekryteringar"}, "scope", "kommuner &lt;b&gt;")
    store.build(tmp_path / "s.duckdb", data_copy)
    md = ch.national_turnover_points(store.connect(tmp_path / "s.duckdb")).markdown
    assert "kommuner &amp;lt;b&amp;gt;" in md


def test_turnover_table_has_no_english_or_code_notation(db):
    md = ch.national_turnover_points(db).markdown
    assert "staff group" not in md and ">=" not in md and "&gt;" not in md and "→" not in md
    assert ch.turnover_words("andel med personalomsättning >=30 %") == "andel med personalomsättning minst 30 %"


def test_nurse_turnover_is_one_sentence_per_direction(db):
    md = ch.nurse_turnover(db).markdown
    assert ": ökade" not in md and "i Dalarna från" in md
