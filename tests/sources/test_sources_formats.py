"""Each publisher format parsed from the fixtures in tests/fixtures: the rows, the codes, the markers, the crosswalks."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from importkit import FIXTURES, make_fk_xlsx, make_ihp_xlsx  # noqa: E402

from tillit.core.errors import DataError  # noqa: E402
from tillit.ingest.formats import Context, NoTableFits, detect, parse  # noqa: E402
from tillit.ingest import af  # noqa: E402


def read(name: str, table: str | None = None, meta: dict | None = None, fmt: str | None = None, **options):
    path = FIXTURES / name if not Path(name).is_absolute() else Path(name)
    ctx = Context(file=path.name, path=path, table=table, meta=meta or {}, options=options)
    return parse(path.read_bytes(), ctx, fmt)


def rows(parsed, table):
    frame = parsed.tables[table]
    frame = frame.drop(columns=[c for c in frame if c.startswith("_")]).astype(object)
    return {tuple(r) for r in frame.where(frame.notna(), None).itertuples(index=False)}


@pytest.mark.parametrize("name, fmt", [
    ("pxweb_sjukfall_sektor.csv", "pxweb-csv"), ("pxweb_sjukfall_sektor_en.csv", "pxweb-csv"),
    ("pxweb_sjukfall_sektor.json", "pxweb-json"), ("kolada_v2_N00090_page1.json", "kolada"),
    ("kolada_v3_N60030.json", "kolada"), ("kolada_kpi_N00090.json", "kolada-meta"),
    ("fk_sjukfall_diagnos.csv", "fk-csv"), ("fk_api_diagnos.json", "fk-json"), ("fk_api_meta.json", "fk-meta"),
    ("fk_api_sjukpenningtal.json", "fk-json"), ("af_yrkesprognos.json", "af-yrkesprognos"),
    ("af_yrkesbarometer.json", "af-yrkesbarometer"), ("oj_datalista.csv", "oj-datalista"),
    ("ihp_vardanalys_2019.csv", "ihp-csv"),
])
def test_detects_every_fixture(name, fmt):
    assert detect((FIXTURES / name).read_bytes(), name) == fmt


def test_detects_workbooks(tmp_path):
    assert detect(make_fk_xlsx(tmp_path / "fk.xlsx").read_bytes(), "fk.xlsx") == "fk-xlsx"
    assert detect(make_ihp_xlsx(tmp_path / "ihp.xlsx").read_bytes(), "ihp.xlsx") == "ihp-xlsx"


def test_ambiguous_file_asks_for_format():
    with pytest.raises(DataError, match="--format"):
        detect(b"a,b,c\n1,2,3\n", "mystery.csv")
    with pytest.raises(DataError, match="--format"):
        detect(json.dumps({"hello": [1, 2]}).encode(), "mystery.json")
    with pytest.raises(DataError, match="HTML"):
        detect(b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "error.json")


# --- SCB PxWeb -----------------------------------------------------------------------------------------------------------

def test_pxweb_csv_latin1_title_codes_markers_and_margins():
    parsed = read("pxweb_sjukfall_sektor.csv")
    frame = parsed.tables["sjukfall_sektor_scb"].set_index(["period", "sector", "sex"])
    assert frame.loc[("2020K2", "arbetsmarknaden", "K"), "value"] == 801234
    assert frame.loc[("2020K2", "arbetsmarknaden", "K"), "margin"] == 21000
    assert pd_isna(frame.loc[("2020K2", "kommuner", "T"), "margin"])   # '..' margin, value kept
    assert ("2020K2", "regioner", "T") not in frame.index                  # '..' value: left out, reported
    assert frame.loc[("2020K3", "regioner", "T"), "margin"] == 0
    assert parsed.skipped == {"'..' (not available)": 3}
    assert "sjuklöneperioden" in frame["source_title"].iloc[0]
    assert any("Fotnot" in n for n in parsed.notes)


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")])
def test_pxweb_csv_in_every_encoding_gives_the_same_rows(encoding, bom):
    text = (FIXTURES / "pxweb_sjukfall_sektor.csv").read_bytes().decode("latin-1")
    again = parse(bom + text.encode(encoding), Context(file="x.csv"), "pxweb-csv")
    assert rows(again, "sjukfall_sektor_scb") == rows(read("pxweb_sjukfall_sektor.csv"), "sjukfall_sektor_scb")


def test_pxweb_csv_english_headers_bom_decimal_comma_semicolon():
    frame = read("pxweb_sjukfall_sektor_en.csv").tables["sjukfall_sektor_scb"].set_index(["period", "sector", "sex"])
    assert frame.loc[("2020K4", "arbetsmarknaden", "T"), "value"] == 1555555.0
    assert ("2020K4", "privat", "T") not in frame.index


def test_pxweb_jsonstat2():
    parsed = read("pxweb_sjukfall_sektor.json")
    frame = parsed.tables["sjukfall_sektor_scb"].set_index(["period", "sector", "sex"])
    assert frame.loc[("2021K1", "privat", "M"), "value"] == 300000
    assert "TAB9999" in frame["source_title"].iloc[0]
    assert parsed.skipped == {"'..' (not available)": 1}


def test_pxweb_without_a_fitting_table_says_so():
    text = '"region","sektor","yrke (SSYK 2012)","kön","2017"\n"SE11 Stockholm","0 samtliga sektorer","214 Ingenjörer","totalt",46800\n'
    path = FIXTURES.parent / "bad" / "_tmp_never_written.csv"
    ctx = Context(file="lon.csv", path=path)
    with pytest.raises(NoTableFits, match="no catalog table fits"):
        parse(text.encode("latin-1"), ctx, "pxweb-csv")
    with pytest.raises(DataError, match="needs a sector dimension|unknown|several values"):
        parse(text.encode("latin-1"), Context(file="lon.csv", table="sjukfranvaro_landsting"), "pxweb-csv")


# --- Kolada ---------------------------------------------------------------------------------------------------------------

def test_kolada_v2_genders_nulls_and_targets():
    parsed = read("kolada_v2_N00090_page2.json")
    kommun = parsed.tables["personalnyckeltal_kommun"]
    assert rows(parsed, "personalnyckeltal_kommun") >= set()
    assert list(kommun[["period", "kommun_code", "measure", "value"]].itertuples(index=False, name=None)) == [
        (2020, "1283", "sjukfranvaro_pct", 7.9)]
    sector = parsed.tables["sjukfranvaro_sektor"].set_index("sex")
    assert sector.loc["K", "value"] == 9.3 and set(sector["series"]) == {"kolada_N00090"}
    assert set(sector["sector"]) == {"kommuner"}
    assert parsed.skipped["value null (status Missing)"] == 3


def test_kolada_v3_regions_and_metadata_title():
    parsed = read("kolada_v3_N60030.json")
    frame = parsed.tables["sjukfranvaro_landsting"].set_index(["region_code", "sex"])
    assert frame.loc[("00", "T"), "value"] == 6.1 and frame.loc[("03", "K"), "value"] == 7.1
    assert ("03", "M") not in frame.index
    meta = read("kolada_kpi_N00090.json").meta
    titled = read("kolada_v2_N00090_page1.json", meta=meta)
    assert "Sjukfrånvaro kommunalt anställda totalt" in titled.tables["sjukfranvaro_sektor"]["source_title"].iloc[0]


def test_kolada_unknown_kpi_has_no_table():
    data = json.loads((FIXTURES / "kolada_v3_N60030.json").read_text())
    for rec in data["values"]:
        rec["kpi"] = "N01951"
    with pytest.raises(NoTableFits, match="N01951"):
        parse(json.dumps(data).encode(), Context(file="k.json"), "kolada")


def test_kolada_unknown_kommun_is_an_error():
    data = json.loads((FIXTURES / "kolada_v2_N00090_page2.json").read_text())
    data["values"][1]["municipality"] = "9912"    # no län 99, so no such kommun
    with pytest.raises(DataError) as err:
        parse(json.dumps(data, indent=2).encode(), Context(file="k.json"), "kolada")
    assert err.value.column == "municipality" and "9912" in err.value.message and err.value.row > 1


# --- Försäkringskassan ------------------------------------------------------------------------------------------------------

def test_fk_csv_markers_and_repeats():
    parsed = read("fk_sjukfall_diagnos.csv")
    frame = parsed.tables["sjukfall_diagnos"].set_index(["period", "diagnosis_code", "sex"])
    assert frame.loc[("2019K1", "O00-O99", "M"), ["value", "status"]].tolist() == [0.0, "noll"]
    assert frame.loc[("2019K1", "P00-P96", "T"), "status"] == "undertryckt"
    assert pd_isna(frame.loc[("2019K1", "P00-P96", "T"), "value"])
    assert frame.loc[("2019K2", "F00-F99", "K"), "status"] == "värde"          # identical repeat: kept once
    assert frame.loc[("2019K2", "M00-M99", "K"), "status"] == "motstridig"     # differing repeat: flagged
    assert "20000" in frame.loc[("2019K2", "M00-M99", "K"), "note"]
    assert frame.index.is_unique


def pd_isna(value) -> bool:
    return value is None or value != value


def test_fk_api_rojd_meta_labels_and_county_rows():
    meta = read("fk_api_meta.json").meta
    parsed = read("fk_api_diagnos.json", meta=meta)
    frame = parsed.tables["sjukfall_diagnos"].set_index(["period", "diagnosis_code", "sex"])
    assert frame.loc[("2019K3", "Samtliga", "T"), "value"] == 176000
    assert frame.loc[("2019K3", "P00-P96", "K"), "status"] == "undertryckt"
    assert frame.loc[("2019K3", "F00-F99", "M"), "diagnosis"].startswith("Psykiska")
    assert parsed.skipped == {"breakdown by lan (the table holds national totals)": 1}
    assert not parsed.warnings


def test_fk_api_sjukpenningtal():
    parsed = read("fk_api_sjukpenningtal.json")
    frame = parsed.tables["sjukpenningtal_lan"].set_index("region_code")
    assert frame.loc["00", "value"] == 8.1 and frame.loc["03", "period"] == "2021-01"
    assert "25" not in frame.index


def test_fk_xlsx_two_header_rows(tmp_path):
    parsed = read(str(make_fk_xlsx(tmp_path / "fk.xlsx")))
    frame = parsed.tables["sjukfall_diagnos"].set_index(["period", "diagnosis_code", "sex"])
    assert frame.loc[("2019K3", "Samtliga", "K"), "value"] == 118000
    assert frame.loc[("2019K3", "O00-O99", "M"), "status"] == "noll"
    assert frame.loc[("2019K3", "P00-P96", "T"), "status"] == "undertryckt"
    assert set(parsed.tables["sjukfall_diagnos"]["_line"]) == {5, 6, 7, 8}


def test_fk_xlsx_errors_name_the_excel_cell(tmp_path):
    path = make_fk_xlsx(tmp_path / "fk.xlsx", rows=[[2019, 3, "Samtliga", "Samtliga", 176500, 100, "många", 100, 1, 100]])
    with pytest.raises(DataError) as err:
        read(str(path))
    assert err.value.row == 5 and err.value.column.startswith("G (")


# --- Arbetsförmedlingen ---------------------------------------------------------------------------------------------------

def test_af_yrkesprognos():
    parsed = read("af_yrkesprognos.json")
    frame = parsed.tables["bristindex"].set_index("ssyk")
    assert frame.loc["2221", ["period", "occupation", "value"]].tolist() == [2028, "Grundutbildade sjuksköterskor", 5.0]
    assert "yrkesverksamma" in frame.loc["5321", "quote"]
    assert len(frame) == 3   # the county row is left out


@pytest.mark.parametrize("category, value", [
    ("stort överskott", 1.0), ("överskott", 2.0), ("Balans", 3.0), ("brist", 4.0), ("stor brist", 5.0),
    ("paradox", None), (None, None), ("", None),
])
def test_yrkesbarometer_crosswalk(category, value):
    assert af.crosswalk(category) == value


def test_yrkesbarometer_crosswalk_is_monotone_and_on_the_scale():
    steps = [af.CROSSWALK[k] for k in ("stort överskott", "överskott", "balans", "brist", "stor brist")]
    assert steps == sorted(steps) and min(steps) == 1 and max(steps) == 5


def test_af_yrkesbarometer_lists_counties_and_categories():
    parsed = read("af_yrkesbarometer.json")
    frame = parsed.tables["bristindex"]
    got = {(r.ssyk, r.occupation, r.value) for r in frame.itertuples()}
    assert got == {("2221", "Sjuksköterskor, grundutbildade", 4.0), ("5321", "Undersköterskor", 3.0),
                   ("5322", "Undersköterskor", 3.0), ("4119", "Administrativa assistenter", 2.0)}
    assert set(frame["period"]) == {2027}
    assert "omvandlingsnyckeln" in frame["note"].iloc[0]
    assert parsed.skipped["county rows (the table is national)"] == 1
    with pytest.raises(DataError, match="not a known category"):
        bad = json.loads((FIXTURES / "af_yrkesbarometer.json").read_text())
        bad[0]["rekryteringssituation"] = "jättebrist"
        parse(json.dumps(bad).encode(), Context(file="yb.json"), "af-yrkesbarometer")


# --- Öppna jämförelser ----------------------------------------------------------------------------------------------------

def test_oppna_jamforelser_cp1252_nbsp_riket_and_indicators():
    parsed = read("oj_datalista.csv")
    sick = parsed.tables["sjukfranvaro_landsting"].set_index(["region_code", "sex"])
    assert sick.loc[("01", "K"), "value"] == 7.1              # period written with a no-break space
    assert sick.loc[("00", "T"), "value"] == 6.6              # cat_code 46 (RIKET) → 00
    assert set(sick["period"]) == {2018}
    patient = parsed.tables["patientenkat"].set_index("measure")
    assert patient.loc["kontinuitet_koordinering", "value"] == 74.25
    assert patient.loc["delaktighet_involvering", "value"] == 81.5
    assert parsed.skipped == {"no value (Uppgift saknas)": 1}


def test_oppna_jamforelser_period_range_for_a_mapped_indicator_is_an_error():
    text = (FIXTURES / "oj_datalista.csv").read_bytes().decode("cp1252").replace(";2018;Totalt;;6.4", ";2015-2017;Totalt;;6.4")
    with pytest.raises(DataError) as err:
        parse(text.encode("cp1252"), Context(file="oj.csv"), "oj-datalista")
    assert (err.value.row, err.value.column) == (2, "period") and "range" in err.value.message


# --- IHP ------------------------------------------------------------------------------------------------------------------------

def test_ihp_csv_swedish_country_names_percent_and_title():
    parsed = read("ihp_vardanalys_2019.csv")
    frame = parsed.tables["ihp"]
    assert set(frame["country"]) >= {"Sweden", "United States", "Netherlands", "New Zealand", "United Kingdom"}
    assert set(frame["period"]) == {"2019"} and set(frame["population"]) == {"adults 18+"}
    sweden = frame[frame["country"] == "Sweden"].set_index("item")["value"]
    assert sorted(sweden.tolist()) == [52.0, 55.4]
    assert parsed.publisher == "Vårdanalys" and len(frame) == 21


def test_ihp_xlsx_abbreviations_and_percent_cells(tmp_path):
    parsed = read(str(make_ihp_xlsx(tmp_path / "ihp.xlsx")))
    frame = parsed.tables["ihp"]
    assert set(frame["population"]) == {"65+"} and set(frame["period"]) == {"2021"}
    waited = frame[frame["item"].str.startswith("Waited")].set_index("country")["value"]
    assert waited["Norway"] == pytest.approx(50.0) and "Canada" not in waited.index


def test_ihp_needs_year_and_population(tmp_path):
    path = tmp_path / "ihp.csv"
    path.write_text("Fråga;Sverige;Norge;Schweiz\nHar fast läkare;40;60;70\n", encoding="utf-8")
    with pytest.raises(DataError, match="--period"):
        read(str(path))
    parsed = read(str(path), period="2016", population="65+")
    assert set(parsed.tables["ihp"]["period"]) == {"2016"}
