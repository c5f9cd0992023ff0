"""`tillit fetch` against a local HTTP server (127.0.0.1, in a thread) serving recorded responses from tests/fixtures:
paging, retries with backoff, Retry-After, timeouts, rate limits, raw storage with checksums, then the import."""
from __future__ import annotations

import csv
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from importkit import FIXTURES, checksums, project_copy  # noqa: E402

from tillit.cli_data import fetch_command  # noqa: E402
from tillit.core.errors import DataError, DataErrors  # noqa: E402
from tillit.ingest.fetch import Client, FetchError, fetch  # noqa: E402


class Recorded(BaseHTTPRequestHandler):
    """Routes → recorded responses; `plan` can make a route fail first (status codes, slowness)."""

    routes: dict[str, str] = {}
    plan: dict[str, list] = {}
    log: list[tuple[float, str, str, str]] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _serve(self, body: bytes = b""):
        url = urlparse(self.path)
        self.log.append((time.monotonic(), self.command, url.path, body.decode("utf-8", "replace")))
        steps = self.plan.get(url.path)
        if steps:
            step = steps.pop(0)
            if step == "slow":
                time.sleep(1.5)
            elif isinstance(step, tuple):
                return self._send(step[0], b'{"error": "busy"}', step[1])
            else:
                return self._send(step, b'{"error": "busy"}')
        if url.path.endswith("/data") and self.command == "POST":   # SCB: one recorded response per period asked for
            selection = {s["variableCode"]: s["valueCodes"] for s in json.loads(body)["selection"]}
            name = f"scb_data_TAB9999_{','.join(selection['Tid'])}.json"
            path = FIXTURES / name
        else:
            name = self.routes.get(url.path + ("?page=2" if parse_qs(url.query).get("page") == ["2"] else ""))
            path = FIXTURES / name if name else None
        if path is None or not path.exists():
            return self._send(404, b'{"error": "not found"}')
        host = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        self._send(200, path.read_bytes().replace(b"http://127.0.0.1:0/v2", f"{host}/kolada/v2".encode()))

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve(self.rfile.read(int(self.headers.get("Content-Length", 0))))


KOLADA_DATA = "/kolada/v2/data/kpi/N00090/municipality/0000,1283,1284/year/2019,2020"


@pytest.fixture
def server():
    Recorded.routes = {
        "/kolada/v2/kpi/N00090": "kolada_kpi_N00090.json",
        KOLADA_DATA: "kolada_v2_N00090_page1.json",
        KOLADA_DATA + "?page=2": "kolada_v2_N00090_page2.json",
        "/scb/api/v2/tables/TAB9999/metadata": "scb_metadata_TAB9999.json",
        "/fk/sjp-pagaende-sjukfall-diagnos/meta.json": "fk_api_meta.json",
        "/fk/sjp-pagaende-sjukfall-diagnos/SJPPagSjukfallDiagnosKvartal.json": "fk_api_diagnos.json",
        "/jobtech/yrkesprognoser/current/Yrkesprognos.json": "af_yrkesprognos.json",
        "/jobtech/prognoser/yrkesbarometer.json": "af_yrkesbarometer.json",
    }
    Recorded.plan = {}
    Recorded.log = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def data(tmp_path, tmp_path_factory, monkeypatch) -> Path:
    monkeypatch.setenv("TILLIT_FETCH_MIN_INTERVAL", "0")
    return project_copy(tmp_path_factory, tmp_path / "project")


def fetch_log(data: Path) -> list[dict]:
    return list(csv.DictReader((data / "raw" / "fetches.csv").open(encoding="utf-8")))


def test_kolada_paging_raw_storage_and_import_through_the_cli(server, data, monkeypatch):
    monkeypatch.setenv("TILLIT_KOLADA_URL", f"{server}/kolada/v2")
    result = CliRunner().invoke(fetch_command, ["kolada", "--kpi", "N00090", "--municipality", "0000",
                                                "--municipality", "1283", "--municipality", "1284",
                                                "--years", "2019-2020", "--data", str(data)])
    assert result.exit_code == 0, result.output
    paths = [p for _, _, p, _ in Recorded.log]
    assert paths == ["/kolada/v2/kpi/N00090", KOLADA_DATA, KOLADA_DATA]        # metadata, page 1, page 2
    log = fetch_log(data)
    assert len(log) == 3
    for entry in log:   # each raw response is stored as received, with its checksum and retrieval time
        stored = data / entry["path"]
        assert stored.exists() and hashlib.sha256(stored.read_bytes()).hexdigest() == entry["sha256"]
        assert entry["retrieved_at"] and entry["status"] == "200"
    assert "page=2" in log[2]["url"]
    sector = pd.read_csv(data / "tables" / "sjukfranvaro_sektor.csv", dtype=str, keep_default_na=False)
    rows = sector[sector["series"] == "kolada_N00090"]
    assert len(rows) == 6
    assert rows["source_ref"].str.startswith("raw/kolada/").all()
    assert rows["source_url"].str.startswith(server).all()
    assert "personalnyckeltal_kommun: 3 new rows" in result.output


def test_retries_with_backoff_and_retry_after(server, data):
    Recorded.plan = {KOLADA_DATA: [503, (429, {"Retry-After": "0"}), 502]}
    result = fetch("kolada", data=data, base=f"{server}/kolada/v2", kpis=["N00090"],
                   municipalities=["0000", "1283", "1284"], years="2019-2020", backoff=0.01, attempts=5)
    assert [p for _, _, p, _ in Recorded.log].count(KOLADA_DATA) == 5       # 3 failures, then pages 1 and 2
    assert result.report.changes["personalnyckeltal_kommun"].added == 3


def test_gives_up_after_the_last_attempt_and_imports_nothing(server, data):
    Recorded.plan = {KOLADA_DATA: [503] * 10}
    before = checksums(data / "tables")
    with pytest.raises(FetchError, match="gave up after 3 attempts"):
        fetch("kolada", data=data, base=f"{server}/kolada/v2", kpis=["N00090"],
              municipalities=["0000", "1283", "1284"], years="2019-2020", backoff=0, attempts=3)
    assert checksums(data / "tables") == before


def test_a_client_error_is_not_retried(server, data):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch("kolada", data=data, base=f"{server}/kolada/v2", kpis=["N99999"], backoff=0)
    assert len(Recorded.log) == 1


def test_timeouts_are_retried(server):
    Recorded.plan = {"/kolada/v2/kpi/N00090": ["slow"]}
    client = Client("kolada", f"{server}/kolada/v2", timeout=(1.0, 0.5), attempts=2, backoff=0, min_interval=0)
    assert client.get("kpi/N00090").status == 200
    assert len(Recorded.log) == 2


def test_rate_limit_spaces_requests(server):
    client = Client("kolada", f"{server}/kolada/v2", min_interval=0.2, backoff=0)
    started = time.monotonic()
    for _ in range(3):
        client.get("kpi/N00090")
    assert time.monotonic() - started >= 0.39     # two waits of 0.2 s between three requests
    assert len(Recorded.log) == 3


def test_response_size_limit(server, monkeypatch):
    monkeypatch.setenv("TILLIT_MAX_IMPORT_BYTES", "100")
    client = Client("kolada", f"{server}/kolada/v2", backoff=0, min_interval=0)
    with pytest.raises(FetchError, match="larger than the import limit"):
        client.get("kpi/N00090")


def test_scb_metadata_then_data_split_by_period(server, data):
    result = fetch("scb", data=data, base=f"{server}/scb/api/v2", table="TAB9999", max_cells=9)
    posts = [json.loads(body) for _, method, _, body in Recorded.log if method == "POST"]
    assert [next(s["valueCodes"] for s in p["selection"] if s["variableCode"] == "Tid") for p in posts] == [
        ["2021K1"], ["2021K2"]]
    assert result.report.changes["sjukfall_sektor_scb"].added == 17       # 8 + 9 cells with a value
    assert len(fetch_log(data)) == 3


def test_scb_selection_must_name_known_variables(server, data):
    with pytest.raises(FetchError, match="no variable 'Alder'"):
        fetch("scb", data=data, base=f"{server}/scb/api/v2", table="TAB9999", select={"Alder": ["tot"]})


def test_fk_dataset_with_meta_labels(server, data):
    result = fetch("fk", data=data, base=f"{server}/fk", dataset="sjp-pagaende-sjukfall-diagnos",
                   fk_table="SJPPagSjukfallDiagnosKvartal")
    assert result.report.changes["sjukfall_diagnos"].added == 9
    frame = pd.read_csv(data / "tables" / "sjukfall_diagnos.csv", dtype=str, keep_default_na=False)
    assert set(frame[frame["period"] == "2019K3"]["diagnosis"]) >= {"Samtliga", "Vissa perinatala tillstånd"}


@pytest.mark.parametrize("dataset, added", [("yrkesprognoser", 3), ("yrkesbarometer", 4)])
def test_jobtech_files(server, data, monkeypatch, dataset, added):
    monkeypatch.setenv("TILLIT_JOBTECH_URL", f"{server}/jobtech")
    result = fetch("jobtech", data=data, dataset=dataset)
    assert result.report.changes["bristindex"].added == added


def test_a_bad_response_keeps_the_raw_file_but_changes_no_table(server, data):
    Recorded.routes["/jobtech/yrkesprognoser/current/Yrkesprognos.json"] = "../bad/unknown_occupation_af.json"
    before = checksums(data / "tables")
    with pytest.raises((DataError, DataErrors), match="unknown occupation code"):
        fetch("jobtech", data=data, base=f"{server}/jobtech", dataset="yrkesprognoser")
    assert checksums(data / "tables") == before
    assert len(fetch_log(data)) == 1 and (data / fetch_log(data)[0]["path"]).exists()


def test_no_import_only_stores(server, data):
    before = checksums(data / "tables")
    result = fetch("jobtech", data=data, base=f"{server}/jobtech", dataset="yrkesbarometer", do_import=False)
    assert result.report is None and len(result.stored) == 1
    assert checksums(data / "tables") == before
