"""`tillit refresh` end to end against the local recorded-response server of test_fetch: every kind of live source at
once (Kolada, SCB, Försäkringskassan, JobTech, WHO), raw responses stored, one all-or-nothing import, conflicts
reported, sources without ids listed as skipped, and the build started afterwards."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from importkit import FIXTURES, checksums  # noqa: E402

from tests.test_fetch import KOLADA_DATA, Recorded, data, server  # noqa: E402,F401  (fixtures)
from tillit import cli  # noqa: E402
from tillit.core.errors import DataError  # noqa: E402
from tillit.build.refresh import load_sources  # noqa: E402

KOLADA_REGION = "/kolada/v2/data/kpi/N60030/municipality/0000,0025,0003/year/2019"

SOURCES = {"sources": [
    {"name": "kolada-kommuner", "source": "kolada", "kpis": ["N00090"], "municipalities": ["0000", "1283", "1284"],
     "years": "2019-2020", "tables": ["personalnyckeltal_kommun", "sjukfranvaro_sektor"]},
    {"name": "kolada-regioner", "source": "kolada", "kpis": ["N60030"], "municipalities": ["0000", "0025", "0003"],
     "years": "2019", "tables": ["sjukfranvaro_landsting"]},
    {"name": "scb-ksju", "source": "scb", "table_id": "TAB9999", "select": {"Tid": ["2021K1"]},
     "tables": ["sjukfall_sektor_scb"]},
    {"name": "fk-diagnos", "source": "fk", "dataset": "sjp-pagaende-sjukfall-diagnos",
     "fk_table": "SJPPagSjukfallDiagnosKvartal", "tables": ["sjukfall_diagnos"]},
    {"name": "jobtech-yrkesprognoser", "source": "jobtech", "dataset": "yrkesprognoser", "tables": ["bristindex"]},
    {"name": "who-halsopersonal", "source": "who", "indicators": ["HWF_0001", "HWF_0006"], "tables": ["halsopersonal_who"]},
    {"name": "fk-sjukpenningtal", "source": "fk", "dataset": None, "fk_table": None, "tables": ["sjukpenningtal_lan"],
     "note": "not configured"},
]}


@pytest.fixture
def live(server, monkeypatch, tmp_path):
    Recorded.routes.update({
        "/kolada/v2/kpi/N60030": "kolada_kpi_N00090.json",   # metadata only offers titles; any KPI list will do
        KOLADA_REGION: "kolada_v3_N60030.json",
        "/who/HWF_0001": "who_odata_HWF_0001.json",
        "/who/HWF_0006": "who_odata_HWF_0006.json",
    })
    for source, path in (("KOLADA", "kolada/v2"), ("SCB", "scb/api/v2"), ("FK", "fk"), ("JOBTECH", "jobtech"),
                         ("WHO", "who")):
        monkeypatch.setenv(f"TILLIT_{source}_URL", f"{server}/{path}")
    file = tmp_path / "sources.yaml"
    file.write_text(yaml.safe_dump(SOURCES, allow_unicode=True), encoding="utf-8")
    return file


def run(*args):
    return CliRunner().invoke(cli.main, ["refresh", *map(str, args)])


def test_every_source_fetched_and_imported_as_one(live, data, monkeypatch):
    built = []
    monkeypatch.setattr(cli.build, "callback", lambda **kw: built.append(kw))
    result = run("--sources", live, "--data", data)
    assert result.exit_code == 0, result.output
    for name in ("kolada-kommuner", "kolada-regioner", "scb-ksju", "fk-diagnos", "jobtech-yrkesprognoser",
                 "who-halsopersonal"):
        assert f"fetch {name}:" in result.output
    assert "skip  fk-sjukpenningtal: not configured (dataset, fk_table empty in sources.yaml)" in result.output
    assert built and built[0]["jobs_n"] == 2                                  # then the book is built
    paths = {p for _, _, p, _ in Recorded.log}
    assert {"/who/HWF_0001", "/who/HWF_0006", KOLADA_DATA, KOLADA_REGION, "/scb/api/v2/tables/TAB9999/data",
            "/jobtech/yrkesprognoser/current/Yrkesprognos.json"} <= paths
    # every raw response is logged once with its checksum, and one import line per file names the same sha256
    fetches = list(csv.DictReader((data / "raw" / "fetches.csv").open(encoding="utf-8")))
    imports = list(csv.DictReader((data / "raw" / "imports.csv").open(encoding="utf-8")))
    assert {f["source"] for f in fetches} == {"kolada", "scb", "fk", "jobtech", "who"}
    assert len({i["imported_at"] for i in imports}) == 1                     # one import
    assert {i["sha256"] for i in imports} <= {f["sha256"] for f in fetches}
    who = pd.read_csv(data / "tables" / "halsopersonal_who.csv", dtype=str)
    sweden = who[(who.period == "2031") & (who.country_code == "SWE")].set_index("measure").value
    assert dict(sweden) == {"lakare": "51.5", "sjukskoterskor_barnmorskor": "108.2"}
    assert set(who[who.period == "2031"].country_code) == {"SWE", "NOR"}     # the region and Estonia left out
    region = pd.read_csv(data / "tables" / "sjukfranvaro_landsting.csv", dtype=str)
    assert region[(region.period == "2019") & (region.region_code == "25")].shape[0] == 3   # T, K, M


def test_one_conflicting_value_stops_the_whole_refresh(live, data, tmp_path):
    bad = json.loads((FIXTURES / "who_odata_HWF_0001.json").read_text(encoding="utf-8"))
    bad["value"][0].update(TimeDim=2018, TimeDimensionValue="2018", NumericValue=40.0, Value="40.0")  # SWE 2018 is 44.06
    (tmp_path / "who_bad.json").write_text(json.dumps(bad), encoding="utf-8")
    Recorded.routes["/who/HWF_0001"] = str(tmp_path / "who_bad.json")
    before = checksums(data / "tables")
    result = run("--sources", live, "--data", data, "--no-build")
    assert result.exit_code == 1
    assert "who-HWF_0001.json, row" in result.output and "column 'NumericValue'" in result.output
    assert "existing value 44.06, new 40" in result.output and "nothing was written" in result.output
    assert checksums(data / "tables") == before                           # not even the Kolada or SCB rows


def test_a_failing_source_imports_nothing(live, data):
    Recorded.plan["/who/HWF_0006"] = [404]
    before = checksums(data / "tables")
    result = run("--sources", live, "--data", data, "--no-build")
    assert result.exit_code == 1 and "who-halsopersonal:" in result.output and "HTTP 404" in result.output
    assert checksums(data / "tables") == before


def test_the_project_sources_file_is_valid_and_names_the_issue_kpis():
    sources = {s.name: s for s in load_sources()}
    kpis = {k for s in sources.values() for k in s.options.get("kpis", [])}
    assert {"N00090", "N60030", "N00216", "N60084"} <= kpis
    assert sources["who-halsopersonal"].options["indicators"] == ["HWF_0001", "HWF_0006"]
    listed = pd.read_csv(Path(__file__).resolve().parents[2] / "shared" / "data" / "facts" / "kolada_kpi_ids_workforce.csv",
                         dtype=str) if (Path(__file__).resolve().parents[2] / "shared").is_dir() else None
    if listed is not None:
        from tillit.ingest.kolada import KPIS
        titles = dict(zip(listed.kpi_id, listed.title))
        for kpi in kpis & set(titles):
            assert KPIS[kpi].title == titles[kpi], kpi                     # our titles are Kolada's


def test_a_table_the_catalog_does_not_know_is_refused(tmp_path):
    file = tmp_path / "sources.yaml"
    file.write_text(yaml.safe_dump({"sources": [{"name": "x", "source": "who", "indicators": ["HWF_0001"],
                                                 "tables": ["no_such_table"]}]}), encoding="utf-8")
    with pytest.raises(DataError, match=r"sources\[1\]\.tables.*no table named 'no_such_table'"):
        load_sources(file)


def test_sources_file_errors_name_the_line_and_the_field(tmp_path):
    file = tmp_path / "sources.yaml"
    file.write_text("sources:\n"
                    "  - name: who\n    source: who\n    indicators: [HWF_0001]\n    tables: [halsopersonal_who]\n"
                    "  - name: kolada\n    source: kolada\n    kpis: [N00090]\n    municipalities: [0114]\n"
                    "    tables: [personalnyckeltal_kommun]\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_sources(file)
    assert err.value.row == 6 and err.value.column == "sources[2]"
    assert "municipalities.0" in str(err.value) and "string" in str(err.value)   # an unquoted code is a number


def test_sources_file_refuses_an_unknown_option_and_an_unknown_fetcher(tmp_path):
    file = tmp_path / "sources.yaml"
    file.write_text("sources:\n  - name: x\n    source: who\n    indicator: [HWF_0001]\n    tables: [halsopersonal_who]\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"field 'indicator': unknown field \(known: .*indicators"):
        load_sources(file)
    file.write_text("sources:\n  - name: x\n    source: oecd\n    tables: [halsopersonal_who]\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"unknown source 'oecd' \(known: .*kolada"):
        load_sources(file)
