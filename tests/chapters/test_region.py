"""Regional profiles: wording and figures follow a small temporary store; missing data is stated; codes stay strings."""
from __future__ import annotations

from pathlib import Path

import duckdb
import nbformat
import pandas as pd
import pytest

from tillit.build import run
from tillit.report import text
from tillit.report.chapters import region as ch
from tillit.tables.store import Store

ROOT = Path(__file__).resolve().parents[2]
PROV = {"source_publisher": "Socialstyrelsen och SKL", "source_title": "Öppna jämförelser – datalista",
        "source_url": "https://example.org/oj", "source_type": "primary", "quote": None, "note": None,
        "source_ref": "test"}
DI = {**PROV, "source_publisher": "Dagens industri", "source_title": "Dagens industri: sjukpenningtal per län",
      "source_type": "secondary"}
FH = {**PROV, "source_publisher": "Familjen Helsingborg", "source_title": "Familjen Helsingborg – Personalnyckeltal"}


def sick_rows(values: dict[tuple[int, str, str], float]) -> list[dict]:
    return [{"period": y, "region_code": c, "sex": s, "value": v, **PROV} for (y, c, s), v in values.items()]


SICK = {
    (2015, "00", "T"): 5.0, (2015, "00", "K"): 6.0, (2015, "00", "M"): 3.0,
    (2017, "00", "T"): 6.0, (2017, "00", "K"): 7.0, (2017, "00", "M"): 3.5,
    (2015, "01", "T"): 7.0, (2015, "01", "K"): 8.0, (2015, "01", "M"): 4.0,
    (2016, "01", "T"): 7.2,
    (2017, "01", "T"): 7.5, (2017, "01", "K"): 8.4, (2017, "01", "M"): 4.2,
    (2015, "03", "T"): 5.0, (2016, "03", "T"): 5.1, (2017, "03", "T"): 5.5,
    (2017, "12", "T"): 5.5, (2017, "09", "T"): 6.5,
}
SURVEY = {
    (2015, "00", "T"): 70.0, (2017, "00", "T"): 72.0, (2017, "00", "K"): 71.0, (2017, "00", "M"): 73.5,
    (2015, "01", "T"): 75.0, (2017, "01", "T"): 74.0, (2017, "01", "K"): 73.0, (2017, "01", "M"): 75.5,
    (2017, "03", "T"): 68.0, (2017, "12", "T"): 71.0, (2015, "12", "T"): 69.0,
}
SICK_PAY = {"01": 9.3, "03": 10.1, "09": 9.7, "10": 9.7, "12": 9.4, "23": 13.8}
KOMMUN = {(2014, "1283"): 6.0, (2018, "1283"): 6.5, (2014, "1284"): 5.0, (2018, "1284"): 4.8}


def make_store(path: Path, sick=SICK, survey=SURVEY, sick_pay=SICK_PAY, kommun=KOMMUN) -> Store:
    """A DuckDB store with the four tables the regional pages read (catalog columns + provenance)."""
    frames = {
        "sjukfranvaro_landsting": pd.DataFrame(sick_rows(sick), columns=["period", "region_code", "sex", "value", *PROV]),
        "patientenkat": pd.DataFrame(
            [{"period": y, "region_code": c, "sex": s, "measure": m, "value": v + (0 if m == "delaktighet_involvering" else -5), **PROV}
             for (y, c, s), v in survey.items() for m in ch.MEASURES],
            columns=["period", "region_code", "sex", "measure", "value", *PROV]),
        "sjukpenningtal_lan": pd.DataFrame([{"period": "2015-12", "region_code": c, "sex": "T", "value": v, **DI}
                                            for c, v in sick_pay.items()],
                                           columns=["period", "region_code", "sex", "value", *PROV]),
        "personalnyckeltal_kommun": pd.DataFrame(
            [{"period": y, "kommun_code": k, "measure": "sjukfranvaro_pct", "value": v, **FH} for (y, k), v in kommun.items()]
            + [{"period": 2018, "kommun_code": k, "measure": "omsattning_exkl_pension_pct", "value": v, **FH}
               for k, v in (("1283", 7.0), ("1284", 9.5)) if kommun],
            columns=["period", "kommun_code", "measure", "value", *PROV]),
    }
    with duckdb.connect(str(path)) as con:
        for name, frame in frames.items():
            con.register("_f", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _f')
            con.unregister("_f")
        con.execute("CREATE TABLE _manifest (name VARCHAR, sha256 VARCHAR, rows BIGINT)")
    return Store(path)


@pytest.fixture
def db(tmp_path):
    store = make_store(tmp_path / "small.duckdb")
    yield store
    store.close()


# --- codes --------------------------------------------------------------------------------------------------------

def test_region_code_must_be_a_string():
    assert ch.check_code("01") == "01"
    with pytest.raises(TypeError, match="string"):
        ch.check_code(1)
    with pytest.raises(ValueError, match="unknown region_code '1'"):
        ch.check_code("1")


def test_runner_passes_region_codes_as_strings():
    jobs = [j for j in run.jobs(ROOT) if j.name.startswith("region-")]
    codes = {j.parameters["region_code"] for j in jobs}
    assert {"00", "01", "09", "12", "25"} <= codes
    assert all(isinstance(c, str) and len(c) == 2 for c in codes)
    stockholm = next(j for j in jobs if j.parameters["region_code"] == "01")
    assert stockholm.title == "Stockholm"
    assert stockholm.path.name == "region-01.ipynb"


def test_template_declares_a_string_parameter_and_pages_carry_the_region_name():
    nb = nbformat.read(ROOT / "notebooks" / "templates" / "region.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert 'region_code = "00"' in params.source
    page = nbformat.read(ROOT / "notebooks" / "regioner" / "region-12.ipynb", as_version=4)
    assert page.cells[0].source == "# Skåne"  # the runner writes the region's name as the page heading


# --- words --------------------------------------------------------------------------------------------------------

def test_rank_words_counts_from_the_nearer_end_and_names_ties():
    values = pd.Series({"A": 9.3, "B": 10.1, "C": 9.7, "D": 9.7, "E": 13.8})
    assert ch.rank_words(values, "E") == ("högsta", [])
    assert ch.rank_words(values, "A") == ("lägsta", [])
    assert ch.rank_words(values, "B") == ("näst högsta", [])
    assert ch.rank_words(values, "C") == ("näst lägsta", ["D"])


def test_points_words():
    assert ch.points_words(74.0, 72.0) == "2,0\u00a0procentenheter högre än"
    assert ch.points_words(70.04, 70.0) == "lika hög som"
    assert ch.points_words(9.3, 10.1, "dagar", "lika högt som") == "0,8\u00a0dagar lägre än"


def test_gotland_takes_pa():
    assert ch.in_place("09") == "på Gotland"
    assert ch.in_place("01") == "i Stockholm"
    assert ch.in_place("00") == "i riket"


# --- sections -----------------------------------------------------------------------------------------------------

def test_sick_leave_compares_with_riket_and_ranks(db):
    s = ch.sick_leave(db, "01")
    assert "År 2017 var sjukfrånvaron bland de landstingsanställda i Stockholm 7,5\u00a0procent" in s.markdown
    assert "högre än i riket (6,0\u00a0procent)" in s.markdown
    assert "den högsta sjukfrånvaron av de 4 landsting som redovisas för 2017" in s.markdown
    assert "ökade från 7,0\u00a0procent 2015 till 7,5\u00a0procent 2017" in s.markdown
    assert "I riket ökade den från 5,0\u00a0procent 2015 till 6,0\u00a0procent 2017" in s.markdown
    assert "kvinnornas var" in s.markdown and "männens" in s.markdown
    [fig] = s.figures
    assert fig.name == "sjukfranvaro-01"
    assert set(fig.data["område"]) == {"Stockholm", "Riket"}
    assert "Källa:" in fig.html and 'download="sjukfranvaro-01.csv"' in fig.html
    assert fig.alt.startswith("Linjediagram: Landstingsanställdas sjukfrånvaro, Stockholm och riket 2015–2017.")


def test_sick_leave_wording_follows_the_data(tmp_path):
    lower = dict(SICK)
    lower[(2017, "01", "T")] = 4.0
    store = make_store(tmp_path / "lower.duckdb", sick=lower)
    s = ch.sick_leave(store, "01")
    assert "4,0\u00a0procent" in s.markdown
    assert "lägre än i riket" in s.markdown
    assert "den lägsta sjukfrånvaron av de 4 landsting" in s.markdown
    assert "minskade från 7,0\u00a0procent 2015 till 4,0\u00a0procent 2017" in s.markdown
    store.close()


def test_sick_leave_names_missing_years_and_missing_region(db):
    assert "För riket saknas uppgifter för 2016." in ch.sick_leave(db, "00").markdown
    missing = ch.sick_leave(db, "25")
    assert missing.markdown.startswith(":::{admonition} Data saknas")
    assert "Sjukfrånvaro bland landstingsanställda i Norrbotten finns inte i data" in missing.markdown
    assert missing.figures == []


def test_riket_shows_spread_instead_of_comparison(db):
    s = ch.sick_leave(db, "00")
    assert "i riket 6,0\u00a0procent" in s.markdown
    assert "från 5,5\u00a0procent i Uppsala och i Skåne till 7,5\u00a0procent i Stockholm" in s.markdown
    assert "än i riket" not in s.markdown
    key = ch.key_points(db, "00").markdown
    assert key.startswith(":::{admonition} Det viktigaste") and "i riket" in key
    assert "Sidan visar" not in key and "räknas fram" not in key  # no sentences about how the page is built


def test_patient_survey_points_rank_and_missing(db):
    s = ch.patient_survey(db, "01", "delaktighet_involvering")
    assert "i primärvården i Stockholm 74,0\u00a0procent, 2,0\u00a0procentenheter högre än i riket" in s.markdown
    assert "den högsta andelen av de 3 landsting" in s.markdown
    assert "minskade från 75,0\u00a0procent 2015 till 74,0\u00a0procent 2017" in s.markdown
    assert "2,5\u00a0procentenheter lägre än männens" in s.markdown
    assert s.figures[0].name == "patientenkat-delaktighet-involvering-01"
    only = ch.patient_survey(db, "03", "kontinuitet_koordinering")
    assert "För Uppsala finns bara 2017." in only.markdown
    assert "den lägsta andelen" in only.markdown
    gone = ch.patient_survey(db, "25", "delaktighet_involvering")
    assert "Data saknas" in gone.markdown and "Norrbotten" in gone.markdown
    with pytest.raises(ValueError):
        ch.patient_survey(db, "01", "okänt")


def test_sick_pay_rank_with_ties_and_secondary_source(db):
    s = ch.sick_pay_rank(db, "09")
    assert "I december 2015 var sjukpenningtalet på Gotland 9,7\u00a0dagar per försäkrad" in s.markdown
    assert "(samma värde som Blekinge)" in s.markdown
    assert "medianen" in s.markdown and "Dagens industri" in s.markdown and "sekundärkälla" in s.markdown
    [fig] = s.figures
    assert "Sekundärkälla" in fig.html
    assert fig.data["län"].iloc[0] == "Jämtland"
    riket = ch.sick_pay_rank(db, "00")
    assert riket.markdown.startswith("Sjukpenningtalet för riket finns inte i data.")
    assert "från 9,3\u00a0dagar i Stockholm till 13,8\u00a0dagar i Jämtland" in riket.markdown


def test_sick_pay_rank_changes_with_the_data(tmp_path):
    store = make_store(tmp_path / "spm.duckdb", sick_pay={**SICK_PAY, "09": 14.0})
    s = ch.sick_pay_rank(store, "09")
    assert "den högsta av de 6 länen" in s.markdown
    assert "samma värde som" not in s.markdown
    store.close()


def test_municipalities_on_skane_and_elsewhere(db):
    skane = ch.municipalities(db, "12")
    assert "personalnyckeltal för 2 kommuner i Skåne, från Familjen Helsingborg" in skane.markdown
    assert "I 1 av 2 kommuner var sjukfrånvaron bland de kommunanställda högre 2018 än 2014." in skane.markdown
    assert "högst i Helsingborg (6,5\u00a0procent) och lägst i Höganäs (4,8\u00a0procent)" in skane.markdown
    assert skane.figures[0].name == "sjukfranvaro-kommuner-12"
    other = ch.municipalities(db, "01")
    assert other.markdown.startswith(":::{admonition} Data saknas")
    assert "i Stockholm finns inte i standarddata" in other.markdown
    assert "bara 2 kommuner i Skåne" in other.markdown
    assert "Kolada" in other.markdown and "`tillit import" in other.markdown
    riket = ch.municipalities(db, "00")
    assert "[Skåne](region-12.ipynb)" in riket.markdown


def test_no_municipal_data_at_all(tmp_path):
    store = make_store(tmp_path / "nokommun.duckdb", kommun={})
    s = ch.municipalities(store, "12")
    assert "Data saknas" in s.markdown and "tabellen `personalnyckeltal_kommun` är tom" in s.markdown
    store.close()


def test_summary_table_and_unique_chart_names(db):
    table = ch.summary(db, "01").markdown
    assert "| Sjukfrånvaro bland landstingsanställda, % | 2017 | 7,5 | 6,0 | Högsta av 4 |" in table
    assert "| Sjukpenningtal, dagar per försäkrad | december 2015 | 9,3 | saknas i data | Lägsta av 6 |" in table
    sections = [ch.sick_leave(db, "12"), ch.patient_survey(db, "12", "delaktighet_involvering"),
                ch.patient_survey(db, "12", "kontinuitet_koordinering"), ch.sick_pay_rank(db, "12"),
                ch.municipalities(db, "12")]
    names = [f.name for s in sections for f in s.figures]
    assert len(names) == 5 and len(set(names)) == len(names)
    for fig in (f for s in sections for f in s.figures):
        assert fig.alt and "Siffrorna i diagrammet" in fig.html and "text/csv" in fig.html


def test_template_runs_with_a_string_code(tmp_path):
    """The template executes against the small store; the code stays '01' and the Stockholm text appears."""
    import papermill as pm

    make_store(tmp_path / "nb.duckdb").close()
    out = tmp_path / "region-01.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "templates" / "region.ipynb"), str(out), kernel_name="python3",
                        parameters={"store": str(tmp_path / "nb.duckdb"), "region_code": "01"},
                        progress_bar=False, cwd=str(tmp_path))
    nb = nbformat.read(out, as_version=4)
    assert nb.metadata["papermill"]["parameters"]["region_code"] == "01"
    shown = "\n".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", []))
    assert "i Stockholm 7,5\u00a0procent" in shown


def test_key_points_say_only_what_is_notable(db):
    top = ch.key_points(db, "01").markdown  # Stockholm: highest sick leave of the four landsting in the test store
    assert top.startswith(":::{admonition} Det viktigaste")
    assert "den högsta av de 4 landstingen" in top
    body = top.split("\n", 2)[2]
    assert 2 <= body.count(". ") + 1 <= 5


# --- the newer evidence (helhetsintryck to 2024, sjukpenningtal by sex) on the default data -----------------------

def test_overall_impression_latest_national_measurement(default_store):
    frame = default_store.sql("""SELECT period, value FROM patientenkat_helhetsintryck WHERE region_code = '09'
                                 AND measurement = 'nationell' ORDER BY period""")
    last = frame.iloc[-1]
    section = ch.overall_impression(default_store, "09")
    assert (f"I den nationella mätningen {int(last.period)} hade {text.percent(last.value)} av patienterna i primärvården "
            f"på Gotland") in section.markdown
    assert "frivilliga regionala mätningen" in section.markdown  # a later voluntary measurement is named apart
    assert section.figures[0].name == "helhetsintryck-09"


def test_overall_impression_missing_table_is_said(db):
    assert "Data saknas" in ch.overall_impression(db, "01").markdown  # the small store has no such table


def test_key_points_carry_the_newest_survey(default_store):
    key = ch.key_points(default_store, "09").markdown
    assert "I den senaste nationella patientmätningen" in key
    assert key.count(". ") <= 4


def test_sick_pay_by_sex_two_years(default_store, chapter_store):
    md = ch.sick_pay_change(default_store, "09").markdown
    assert md.startswith("För kvinnor minskade sjukpenningtalet på Gotland från")
    assert "| Kvinnor |" in md and "| Män |" in md and "sekundärkälla" in md
    raised = chapter_store(lambda t: t.set("sjukpenningtal_lan", {"period": "2022", "region_code": "09", "sex": "K"},
                                           value=30))
    md = ch.sick_pay_change(raised, "09").markdown
    assert "För kvinnor ökade sjukpenningtalet på Gotland" in md and "den högsta av de 21 länen" in md
