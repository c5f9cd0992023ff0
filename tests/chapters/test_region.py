"""Regional profiles: wording and figures follow a small temporary store; missing data is stated; codes stay strings."""
from __future__ import annotations

from pathlib import Path

import re

import duckdb
import nbformat
import pandas as pd
import pytest

from tillit.build import run
from tillit.report import text, trends
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
    assert "den högsta sjukfrånvaron av de 4 län som redovisas för 2017" in s.markdown
    assert "ökade från 7,0\u00a0procent 2015 till 7,5\u00a0procent 2017" in s.markdown
    assert "I riket ökade den från 5,0\u00a0procent 2015 till 6,0\u00a0procent 2017" in s.markdown
    assert "kvinnornas var 4,2\u00a0procentenheter högre än männens" in s.markdown
    fig, lan_map = s.figures
    assert fig.name == "sjukfranvaro-01" and lan_map.name == "karta-sjukfranvaro-01"
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
    assert "den lägsta sjukfrånvaron av de 4 län" in s.markdown
    assert "minskade från 7,0\u00a0procent 2015 till 4,0\u00a0procent 2017" in s.markdown
    store.close()


def test_sick_leave_names_missing_years_and_missing_region(db):
    assert "Uppgifter saknas för riket 2016; där är linjerna i diagrammet avbrutna." in ch.sick_leave(db, "00").markdown
    missing = ch.sick_leave(db, "25")
    assert missing.markdown.startswith(":::{admonition} Data saknas")
    assert "Sjukfrånvaro bland de landstingsanställda i Norrbotten finns inte i bokens data." in missing.markdown
    [lan_map] = missing.figures                     # only the map, where Norrbotten is outlined and grey
    assert lan_map.name == "karta-sjukfranvaro-25"
    assert "Norrbotten (markerat): uppgift saknas." in lan_map.html and "Grå län saknar uppgift." in lan_map.html


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
    assert ("i primärvården 74,0\u00a0procent av de svarande i Stockholm, 2,0\u00a0procentenheter högre än i riket"
            in s.markdown)
    assert "den högsta andelen av de 3 län" in s.markdown
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
    assert ("Under tolvmånadersperioden till och med december 2015 var sjukpenningtalet på Gotland 9,7\u00a0dagar per "
            "försäkrad") in s.markdown
    assert "(samma värde som Blekinge)" in s.markdown
    assert "medianen" in s.markdown and "Dagens industri" in s.markdown and "sekundärkälla" in s.markdown
    fig, lan_map = s.figures
    assert "Sekundärkälla" in fig.html and "Sekundärkälla" in lan_map.html
    assert fig.data["län"].iloc[0] == "Jämtland"
    riket = ch.sick_pay_rank(db, "00")
    assert riket.markdown.startswith("Boken har inget sjukpenningtal för hela riket för tolvmånadersperioden till "
                                     "och med december 2015.")
    assert "från 9,3\u00a0dagar i Stockholm till 13,8\u00a0dagar i Jämtland" in riket.markdown


def test_sick_pay_rank_changes_with_the_data(tmp_path):
    store = make_store(tmp_path / "spm.duckdb", sick_pay={**SICK_PAY, "09": 14.0})
    s = ch.sick_pay_rank(store, "09")
    assert "det högsta av de 6 länen" in s.markdown
    assert "samma värde som" not in s.markdown
    store.close()


def test_municipalities_on_skane_and_elsewhere(db):
    skane = ch.municipalities(db, "12")
    assert "Boken har personalnyckeltal för 2 kommuner i Skåne, från Familjen Helsingborg" in skane.markdown
    assert "I 1 av 2 kommuner var sjukfrånvaron bland de kommunanställda högre 2018 än 2014." in skane.markdown
    assert "högst i Helsingborg (6,5\u00a0procent) och lägst i Höganäs (4,8\u00a0procent)" in skane.markdown
    assert skane.figures[0].name == "sjukfranvaro-kommuner-12"
    other = ch.municipalities(db, "01")
    assert other.markdown.startswith(":::{admonition} Data saknas")
    assert "Boken har ännu inga kommunala personalnyckeltal för länet." in other.markdown
    for developer in ("standarddata", "Kolada", "tillit", "`", "personalnyckeltal_kommun", "Skåne"):
        assert developer not in other.markdown     # no commands, table names or other län on a reader's page
    riket = ch.municipalities(db, "00")
    assert "[Skåne](region-12.ipynb)" in riket.markdown


def test_no_municipal_data_at_all(tmp_path):
    store = make_store(tmp_path / "nokommun.duckdb", kommun={})
    s = ch.municipalities(store, "12")
    assert "Data saknas" in s.markdown and "Boken har ännu inga kommunala personalnyckeltal för länet." in s.markdown
    store.close()


def test_summary_table_and_unique_chart_names(db):
    table = ch.summary(db, "01").markdown
    low = "(lågt\u00a0=\u00a0bättre)"
    assert "| Mått | År | Länet | Riket | Placering |" in table
    assert f"| Sjukfrånvaro bland anställda i landstinget, procent av arbetstiden {low} | 2017 | 7,5 | 6,0 | Högsta av 4 |" in table
    assert (f"| Sjukpenningtal, båda könen, dagar per försäkrad {low} | tolv månader t.o.m. december 2015 "
            "| 9,3 | saknas | Lägsta av 6 |") in table
    sections = [ch.sick_leave(db, "12"), ch.patient_survey(db, "12", "delaktighet_involvering"),
                ch.patient_survey(db, "12", "kontinuitet_koordinering"), ch.sick_pay_rank(db, "12"),
                ch.municipalities(db, "12")]
    names = [f.name for s in sections for f in s.figures]
    assert len(names) == 7 and len(set(names)) == len(names)   # five charts and the two maps
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
    assert not re.search(r"tillit (import|build|refresh)|`|tabellen", shown)   # no developer text on a reader's page


def test_key_points_say_only_what_is_notable(db):
    top = ch.key_points(db, "01").markdown  # Stockholm: highest sick leave of the four landsting in the test store
    assert top.startswith(":::{admonition} Det viktigaste")
    assert "den högsta av de 4 länen" in top
    body = top.split("\n", 2)[2]
    assert 2 <= body.count(". ") + 1 <= 5


# --- the newer evidence (helhetsintryck to 2024, sjukpenningtal by sex) on the default data -----------------------

def test_overall_impression_latest_national_measurement(default_store):
    frame = default_store.sql("""SELECT period, value FROM patientenkat_helhetsintryck WHERE region_code = '09'
                                 AND measurement = 'nationell' ORDER BY period""")
    last = frame.iloc[-1]
    section = ch.overall_impression(default_store, "09")
    assert (f"I den nationella mätningen {int(last.period)} hade {text.percent(last.value)} av de svarande i "
            f"primärvården på Gotland") in section.markdown
    assert "frivilliga regionala mätningen" in section.markdown  # a later voluntary measurement is named apart
    assert section.figures[0].name == "helhetsintryck-09"


def test_overall_impression_missing_table_is_said(db):
    assert "Data saknas" in ch.overall_impression(db, "01").markdown  # the small store has no such table


def test_key_points_carry_the_newest_survey(default_store):
    key = ch.key_points(default_store, "09").markdown
    assert "I den senaste nationella patientmätningen" in key
    assert key.count(". ") <= 4
    assert "av de svarande på Gotland" in key and "av patienterna" not in key


def test_sick_pay_by_sex_two_years(default_store, chapter_store):
    md = ch.sick_pay_change(default_store, "09").markdown
    assert md.startswith("För kvinnor minskade sjukpenningtalet på Gotland från")
    assert "| Kvinnor, Gotland |" in md and "| Män, riket |" in md and "sekundärkälla" in md
    raised = chapter_store(lambda t: t.set("sjukpenningtal_lan", {"period": "2022", "region_code": "09", "sex": "K"},
                                           value=30))
    md = ch.sick_pay_change(raised, "09").markdown
    assert "För kvinnor ökade sjukpenningtalet på Gotland" in md
    assert "2022 hade Gotland det högsta sjukpenningtalet för kvinnor bland de 21 länen" in md


# --- the cold reader's review of the Gotland page (Region Gotland, developer text, 'I korthet', wording, keys) --------

ALL_CODES = ["00", "01", "05", "09", "12", "19", "25"]


def sections(store, code):
    return [ch.key_points(store, code), ch.summary(store, code), ch.sick_leave(store, code),
            ch.overall_impression(store, code), ch.patient_survey(store, code, "delaktighet_involvering"),
            ch.patient_survey(store, code, "kontinuitet_koordinering"), ch.sick_pay_change(store, code),
            ch.sick_pay_rank(store, code), ch.municipalities(store, code), ch.impression_map(store, code)]


def test_gotland_is_explained_only_on_its_own_page(db):
    gotland = ch.sick_leave(db, "09").markdown
    assert "Gotland har inget landsting: Region Gotland är en kommun som också har landstingets uppgifter" in gotland
    assert "källan anger inte om måttet omfattar alla anställda i Region Gotland" in gotland
    assert "Öppna jämförelser redovisar den bland landstingen" in gotland      # the rows' own source names it
    assert "sjukfrånvaron bland de anställda i Region Gotland" in gotland
    assert "landstingsanställda på Gotland" not in gotland
    for code in ("01", "03", "12", "00"):
        assert "Region Gotland" not in ch.sick_leave(db, code).markdown
    assert ch.council_note("01") is None and ch.council_note("09")
    assert "Region Gotland" in ch.summary(db, "09").markdown and "Region Gotland" not in ch.summary(db, "01").markdown


def test_no_developer_text_on_the_pages(default_store):
    developer = re.compile(r"tillit (import|build|refresh|fetch)|`|standarddata|tabellen|analytiker|"
                           r"\b[a-z]+_[a-z_]+\b|\bN\d{5}\b|as fetched|pipeline|hosrapport|\(source|reporting ")
    for code in ALL_CODES:
        for section in sections(default_store, code):
            shown = section.markdown + " ".join(re.sub(r"<script.*?</script>|href=\"[^\"]*\"", "", f.html, flags=re.S)
                                                for f in section.figures)
            shown = shown.replace("tillit-summary", "")  # the CSS class of the directive, not reader text
            found = developer.search(shown)
            assert not found, f"{code}: {found.group(0)!r} in {shown[max(0, found.start() - 80):found.end() + 40]!r}"
    gotland = ch.municipalities(default_store, "09").markdown
    assert "kommunerna på Gotland" not in gotland and "12 kommuner" not in gotland
    assert "Boken har ännu inga kommunala personalnyckeltal för länet" in gotland


def test_placement_says_only_what_is_notable():
    values = pd.Series({c: float(i) for i, c in enumerate("ABCDEFGHIJ")})   # A lowest … J highest
    assert ch.placement(values, "A", 0.0, 4.5, 2.0) == "Lägsta av 10"
    assert ch.placement(values, "H", 7.0, 4.5, 2.0) == "Tredje högsta av 10"
    assert ch.placement(values, "E", 4.0, 4.5, 2.0) == "–"                      # a middle rank is not said
    assert trends.rank_position(values, "E") is None
    assert ch.placement(values, "G", 6.0, 3.9, 2.0) == "Klart högre än riket"  # middle, but clearly above riket
    assert ch.placement(values, "D", 3.0, 5.0, 2.0) == "Klart lägre än riket"  # the margin is between shown numbers
    assert ch.placement(values, "D", 3.0, 4.9, 2.0) == "–"
    tied = pd.Series({"A": 1.0, "B": 1.0, "C": 5.0, "D": 6.0, "E": 7.0})
    assert ch.placement(tied, "A", 1.0, None, 2.0) == "Lägsta av 5 (delad)"


def test_i_korthet_takes_the_latest_period_of_each_measure(default_store):
    md = ch.summary(default_store, "09").markdown
    assert md.startswith(":::{table}\n:class: tillit-summary")
    rows = {line.split(" | ")[0].lstrip("| ").replace("\u00a0", " "): line.split(" | ")
            for line in md.splitlines() if line.startswith("| ")}
    impression = rows["Positivt helhetsintryck av primärvården, procent av de svarande (högt = bättre)"]
    latest = default_store.sql("SELECT max(period) AS p FROM patientenkat_helhetsintryck WHERE measurement = 'nationell'")
    assert impression[1] == str(int(latest.p.iloc[0]))
    pay = default_store.sql("SELECT period, sex, region_code, value FROM sjukpenningtal_lan WHERE sex IN ('K', 'M') "
                            "AND region_code IN ('09', '00') AND period = '2022'").set_index(["region_code", "sex"])
    women = rows["Sjukpenningtal, kvinnor, dagar per försäkrad (lågt = bättre)"]
    men = rows["Sjukpenningtal, män, dagar per försäkrad (lågt = bättre)"]
    assert women[1:4] == ["2022", text.number(pay.loc[("09", "K"), "value"]), text.number(pay.loc[("00", "K"), "value"])]
    assert men[1:4] == ["2022", text.number(pay.loc[("09", "M"), "value"]), text.number(pay.loc[("00", "M"), "value"])]
    assert not any("båda könen" in r for r in rows)          # the older total (december 2015) gives way to 2022
    assert "saknas" not in md                                   # riket exists for every measure shown
    kontinuitet = rows["Kontinuitet och koordinering i primärvården, procent positiva svar (högt = bättre)"]
    assert kontinuitet[4].startswith("Lägsta av 21")
    sick = rows["Sjukfrånvaro bland de anställda i Region Gotland, procent av arbetstiden (lågt = bättre)"]
    assert sick[4] == "– |"                                      # ninth highest: a middle rank, and near riket
    assert "En placering visas bara när den sticker ut" in md


def test_share_gaps_are_in_procentenheter(default_store):
    ratio = re.compile(r"\d\u00a0procent (högre|lägre) än")
    for code in ALL_CODES:
        for section in sections(default_store, code):
            assert not ratio.search(section.markdown), (code, ratio.search(section.markdown))
    sick = ch.sick_leave(default_store, "09").markdown
    assert "5,7\u00a0procent av den ordinarie arbetstiden, 0,3\u00a0procentenheter lägre än i riket (6,0\u00a0procent)" in sick
    assert "kvinnornas var 2,5\u00a0procentenheter högre än männens" in sick


def test_survey_results_are_of_the_respondents(default_store):
    for section in (ch.overall_impression(default_store, "09"), ch.key_points(default_store, "09"),
                    ch.patient_survey(default_store, "09", "delaktighet_involvering"), ch.impression_map(default_store, "09")):
        assert "av patienterna" not in section.markdown
        assert "av de svarande" in section.markdown
    template = nbformat.read(ROOT / "notebooks" / "templates" / "region.ipynb", as_version=4)
    intro = next(c.source for c in template.cells if c.source.startswith("## Patienternas helhetsintryck"))
    assert "frågar också" not in intro
    assert "bero på slumpen" in intro and "källorna anger inga felmarginaler" in intro


def test_sick_pay_definition_and_twelve_month_period(default_store):
    template = nbformat.read(ROOT / "notebooks" / "templates" / "region.ipynb", as_version=4)
    intro = next(c.source for c in template.cells if c.source.startswith("## Sjukpenningtal per län"))
    for part in ("Försäkringskassans", "rehabiliteringspenning", "16–64 år", "hela dagar", "sjuklön"):
        assert part in intro
    assert ch.sick_pay_period("2015-12") == "tolvmånadersperioden till och med december 2015"
    assert ch.sick_pay_period("2022") == "2022"
    assert "Under tolvmånadersperioden till och med december 2015 var" in ch.sick_pay_rank(default_store, "09").markdown


def test_women_and_men_table_has_riket_source_and_minus_signs(default_store):
    md = ch.sick_pay_change(default_store, "09").markdown
    assert "**Sjukpenningtal för kvinnor och män 2017 och 2022, dagar per försäkrad**\n\n:::{table}\n" in md
    assert "| Kön och område | 2017 | 2022 | Förändring, dagar |" in md
    assert "| Kvinnor, Gotland | 11,8 | 11,2 | \u22120,6 |" in md
    assert "| Kvinnor, riket |" in md and "| Män, riket |" in md
    assert " -0," not in md
    assert ('Källa via Regionfakta: <a href="http://regionfakta.com/'
            'Vastra-Gotalands-lan/Halsa-och-ohalsa/Ohalsotal/">Regionfakta: Sjukpenningtal 2017') in md
    assert "(källa: Försäkringskassan)" in md and "source" not in md


def test_lines_break_at_missing_years_and_partial_riket_is_left_out(default_store):
    import json

    sick = ch.sick_leave(default_store, "09")
    fig, _ = sick.figures
    assert '"invalid": "break-paths-filter-domains"' in json.dumps(fig.spec)
    assert not fig.data["procent"].isna().any()                        # the table and CSV keep the real rows only
    assert 2012 not in set(fig.data[fig.data["område"] == "Gotland"]["år"])
    assert "Uppgifter saknas för Gotland 2012 och för riket 2008; där är linjerna i diagrammet avbrutna." in sick.markdown
    stockholm = ch.sick_leave(default_store, "01").markdown   # riket ends 2017, Stockholm's press values go on
    assert "och för riket 2008;" in stockholm and "Riket finns i bokens data bara till 2017." in stockholm
    assert "För 2020 har boken bara 3 län, ur press, så någon placering bland länen anges inte." in stockholm
    for code in ("09", "01", "00"):
        survey = ch.patient_survey(default_store, code, "kontinuitet_koordinering")
        riket = survey.figures[0].data[survey.figures[0].data["område"] == "Riket"]
        assert 2016 not in set(riket["år"])                               # only 10 län measured in 2016
        assert "År 2016 redovisas bara 10 av 21 län" in survey.markdown
    stockholm = ch.patient_survey(default_store, "01", "kontinuitet_koordinering").figures[0].data
    assert 2016 in set(stockholm[stockholm["område"] == "Stockholm"]["år"])   # a real measurement of its own


def test_two_equal_points_are_said_plainly(default_store):
    md = ch.patient_survey(default_store, "09", "kontinuitet_koordinering").markdown
    assert "Andelen var 62,8\u00a0procent både 2015 och 2017" in md
    assert "omkring 62,8" not in md


def test_key_points_name_the_most_notable_result(default_store):
    key = ch.key_points(default_store, "09").markdown
    assert "Gotland hade år 2017 den lägsta andelen positiva svar om kontinuitet och koordinering av de 21 länen" in key
    assert "var den största bland länen" in key           # the gap between participation and continuity
    impression = default_store.sql("SELECT value FROM patientenkat_helhetsintryck WHERE region_code = '09' "
                                   "AND measurement = 'nationell' ORDER BY period DESC LIMIT 1").value.iloc[0]
    assert text.percent(impression) in key                 # the headline measure, latest year
    for code in ALL_CODES + ["03", "13", "23"]:
        body = ch.key_points(default_store, code).markdown.split("\n", 2)[2].rsplit("\n:::", 1)[0]
        assert 2 <= len(re.findall(r"[.!?](?:\s|$)", body)) <= 4, (code, body)


def test_key_points_leave_out_a_middle_place(tmp_path):
    codes = ["01", "03", "04", "05", "06", "07", "08", "10", "12"]
    survey = {(2017, c, "T"): 70.0 + i for i, c in enumerate(codes)} | {(2017, "00", "T"): 74.0}
    store = make_store(tmp_path / "mid.duckdb", survey=survey)
    key = ch.key_points(store, "06").markdown     # Jönköping: fifth of nine in both survey measures, equal gaps
    assert "hade år" not in key and "störst" not in key
    top = ch.key_points(store, "12").markdown     # Skåne: highest in both
    assert "Skåne hade år 2017 den högsta andelen positiva svar om delaktighet och involvering av de 9 länen" in top
    store.close()


def test_sources_are_shown_in_swedish():
    from tillit.report import citations

    assert (citations.swedish_title("Kolada KPI U71451 (source: SKR Nationell patientenkät), as fetched via Kolada API v3 by "
                              "Region Halland hosrapport pipeline") == "SKR, Nationell Patientenkät (U71451)")
    assert (citations.swedish_title("Läkartidningen 2016-01: Många uppskattar primärvården (reporting Nationell Patientenkät "
                              "primärvård)") == "Läkartidningen 2016-01: Många uppskattar primärvården (återger "
                                                "Nationell Patientenkät primärvård)")
    assert citations.swedish_title("Läkartidningen 2019-03 (quoting SKL)") == "Läkartidningen 2019-03 (enligt SKL)"
    assert (citations.swedish_title("Regionfakta: Sjukpenningtal 2022 dagar per försäkrad 16-64 år (source Försäkringskassan), "
                              "page updated 2023-01-19") == "Regionfakta: Sjukpenningtal 2022 dagar per försäkrad 16–64 år "
                                                            "(källa: Försäkringskassan), sidan uppdaterad 2023-01-19")
    same = "Socialstyrelsen/SKL: Öppna jämförelser – En god vård? datalista (indikator 563)"
    assert citations.swedish_title(same) == same


def test_every_number_in_the_prose_is_keyed(default_store):
    from tillit.report import numbers

    numbers.take()
    for code in ("09", "01", "00"):
        page = sections(default_store, code)
        shown = {r.text for r in numbers.take()}
        for section in page:
            prose = re.sub(r"\]\([^)]*\)", "]", section.markdown)            # link targets are addresses
            for figure in section.figures:
                prose += " " + re.sub(r"<[^>]+>", " ", re.search(r"<figcaption>(.*?)</figcaption>", figure.html, re.S)[1])
            decimals = re.findall(r"[\u2212+]?\d+,\d+", prose)
            keyed = " ".join(shown)
            for d in decimals:
                assert d in keyed, f"{code}: {d} in the text has no key ({prose[:200]}…)"
    numbers.take()


def test_summary_and_section_keys_agree_within_a_page(default_store):
    """The same key never carries two different numbers or texts on one page (the edition would refuse it)."""
    from tillit.report import numbers

    for code in ALL_CODES:
        numbers.take()
        sections(default_store, code)
        seen = {}
        for r in numbers.take():
            assert seen.setdefault(r.key, (r.value, r.text, r.kind, r.anchor)) == (r.value, r.text, r.kind, r.anchor), r.key


def test_chart_titles_and_subtitles_fit_a_phone(default_store):
    """Each title line and the subtitle (the finding) stay short enough for a 390 px screen; the legends stand in one
    column each."""
    import json

    for code in ("09", "01", "14", "00"):
        for section in sections(default_store, code):
            for fig in section.figures:
                title = fig.spec["title"]
                lines = title["text"] if isinstance(title["text"], list) else title["text"].split("\n")
                assert all(len(line) <= 40 for line in lines), (fig.name, lines)
                assert all(len(line) <= 52 for line in title["subtitle"]), (fig.name, title["subtitle"])
                assert fig.spec.get("config", {}).get("lineBreak") == "\n"
                legends = [v for v in json.dumps(fig.spec).split('"legend": ')[1:]]
                assert all(not leg.startswith('{"columns": 3') for leg in legends)


def test_the_map_names_and_outlines_the_region(default_store):
    import json

    section = ch.impression_map(default_store, "09")
    [fig] = section.figures
    assert "Gotland är markerat med orange kant och namn på kartan" in section.markdown
    spec = json.dumps(fig.spec, ensure_ascii=False)
    assert '"text": {"field": "namn"' in spec and "Gotland" in spec
    assert '<th scope="col">Län</th>' in fig.html and '<th scope="col">Andel positiva, procent</th>' in fig.html
    assert "Andel, % procent" not in fig.html and "as fetched" not in fig.html
    assert "Källa via Kolada: " in fig.html and "SKR, Nationell Patientenkät (U71451)" in fig.html


# --- the per-län maps of sjukpenningtal and sick leave --------------------------------------------------------------

def map_of(section, prefix):
    [found] = [f for f in section.figures if f.name.startswith(prefix)]
    return found


def caption(fig) -> str:
    return re.sub(r"<[^>]+>", " ", re.search(r"<figcaption>(.*?)</figcaption>", fig.html, re.S)[1])


def finding(fig) -> str:
    """The figure's subtitle as its caption shows it (the chart's own subtitle is wrapped at spaces)."""
    import html

    return html.unescape(re.search(r"</span> (.*?)<br>", fig.html)[1])


def outlined(fig) -> list[str]:
    """The län codes the map outlines, and the names it writes on the map."""
    import json

    spec = json.dumps(fig.spec, ensure_ascii=False)
    names = json.dumps(fig.spec.get("datasets", {}), ensure_ascii=False)
    return re.findall(r"datum\.properties\.region_code == '(\d\d)'", spec) + re.findall(r'"namn": "([^"]+)"', names)


def test_the_maps_outline_and_name_the_pages_lan_but_not_on_riket(default_store):
    for code, label in (("09", "Gotland"), ("01", "Stockholm")):
        pay = map_of(ch.sick_pay_rank(default_store, code), "karta-sjukpenningtal")
        leave = map_of(ch.sick_leave(default_store, code), "karta-sjukfranvaro")
        for fig in (pay, leave):
            assert outlined(fig) == [code, label], fig.name
            assert f"{label} är markerat" in fig.alt and "Kartunderlag:" in fig.html
        assert '"tillit-title">Sjukpenningtal per län på kartan,\ntolv månader t.o.m. december 2015.<' in pay.html
        assert '"tillit-title">Landstingsanställdas sjukfrånvaro\nper län 2017.<' in leave.html
        assert finding(pay).startswith(f"{label} (markerat): ") and finding(leave).startswith(f"{label} (markerat): ")
    for fig in (map_of(ch.sick_pay_rank(default_store, "00"), "karta-sjukpenningtal"),
                map_of(ch.sick_leave(default_store, "00"), "karta-sjukfranvaro")):
        assert outlined(fig) == [] and "markerat" not in fig.html
        assert re.fullmatch(r"Högst i [A-ZÅÄÖ][a-zåäö ]+, lägst i [A-ZÅÄÖ][a-zåäö ]+\.", finding(fig))
        assert f" {finding(fig)} " in caption(fig)


def test_the_maps_follow_the_data(chapter_store):
    store = chapter_store(lambda t: (
        t.set("sjukpenningtal_lan", {"period": "2015-12", "region_code": "09", "sex": "T"}, value=30),
        t.set("sjukfranvaro_landsting", {"period": "2017", "region_code": "09", "sex": "T"}, value=1.5)))
    pay = map_of(ch.sick_pay_rank(store, "09"), "karta-sjukpenningtal")
    assert "Gotland (markerat): 30,0\u00a0dagar." in caption(pay) and "Högst: Gotland 30,0\u00a0dagar." in pay.alt
    assert pay.data.iloc[0].tolist() == ["Gotland", 30.0]
    leave = map_of(ch.sick_leave(store, "09"), "karta-sjukfranvaro")
    assert "Gotland (markerat): 1,5\u00a0procent." in caption(leave) and "Lägst: Gotland 1,5\u00a0procent." in leave.alt
    assert finding(map_of(ch.sick_pay_rank(store, "00"), "karta-sjukpenningtal")).startswith("Högst i Gotland,")
    assert finding(map_of(ch.sick_leave(store, "00"), "karta-sjukfranvaro")).endswith(", lägst i Gotland.")


def test_the_maps_name_a_missing_lan(chapter_store):
    store = chapter_store(lambda t: (
        t.drop("sjukpenningtal_lan", {"period": "2015-12", "region_code": "23", "sex": "T"}),
        t.drop("sjukfranvaro_landsting", {"period": "2017", "region_code": "23"})))
    for fig in (map_of(ch.sick_pay_rank(store, "01"), "karta-sjukpenningtal"),
                map_of(ch.sick_leave(store, "01"), "karta-sjukfranvaro")):
        assert "Grå län saknar uppgift." in fig.html and "Uppgift saknas för Jämtland." in fig.alt
        assert "Jämtland" not in set(fig.data["län"])
    own = ch.sick_pay_rank(store, "23")              # the page's own län without a value: said, and grey on the map
    assert "Sjukpenningtal för Jämtland finns inte i bokens data" in own.markdown
    [fig] = own.figures
    assert outlined(fig) == ["23", "Jämtland"] and "Jämtland (markerat): uppgift saknas." in caption(fig)
    assert "Jämtland (markerat): uppgift saknas." in caption(map_of(ch.sick_leave(store, "23"), "karta-sjukfranvaro"))


def test_the_maps_repeat_the_sections_numbers_under_the_same_keys(default_store):
    """A map's subtitle shows only a number the section's text states, registered under the text's key."""
    from tillit.report import numbers
    from tillit.report.chapters.region.frames import sick_leave_frame
    from tillit.report.chapters.region.sick_leave import sick_leave_map

    for code in ("01", "09", "00", "23"):
        for function, prefix in ((ch.sick_pay_rank, "karta-sjukpenningtal"), (ch.sick_leave, "karta-sjukfranvaro")):
            numbers.take()
            section = function(default_store, code)
            records = numbers.take()
            shown = re.findall(r"\d+,\d\u00a0\w+", finding(map_of(section, prefix)))
            assert len(shown) == (code != "00"), (code, prefix, shown)
            for number in shown:
                assert number in section.markdown, (code, number)
                keys = {r.key for r in records if r.text == number}
                assert len(keys) == 1, (code, number, keys)
        numbers.take()
        section_keys = {r.key for r in (ch.sick_leave(default_store, code), numbers.take())[1]}
        sick_leave_map(sick_leave_frame(default_store), code)
        assert {r.key for r in numbers.take()} <= section_keys, code
