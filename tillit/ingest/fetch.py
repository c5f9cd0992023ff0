"""Fetch publisher data over HTTP (SCB PxWeb API, Kolada, Försäkringskassan, JobTech), keep the raw responses, import them."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from tillit.tables.catalog import vocab
from tillit.core.files import data_dir
from tillit.ingest.importer import ImportReport, import_files, max_bytes
from tillit.core.links import UnsafeUrl, check_url

FETCH_LOG = "fetches.csv"
LOG_COLUMNS = ["retrieved_at", "source", "method", "url", "status", "sha256", "bytes", "path"]

SOURCES = ("scb", "kolada", "fk", "jobtech", "who")
DEFAULT_BASE = {
    "scb": "https://statistikdatabasen.scb.se/api/v2",
    "kolada": "https://api.kolada.se/v3",
    "fk": "https://www.forsakringskassan.se/api/sprstatistikrapportera/public/v1",
    "jobtech": None,  # each JobTech dataset has its own host, see JOBTECH
    "who": "https://ghoapi.azureedge.net/api",   # WHO Global Health Observatory OData API
}
BASE_ENV = {"scb": "TILLIT_SCB_URL", "kolada": "TILLIT_KOLADA_URL", "fk": "TILLIT_FK_URL", "jobtech": "TILLIT_JOBTECH_URL",
            "who": "TILLIT_WHO_URL"}
# seconds between two requests to the same publisher: SCB allows 30 requests per 10 s per address; the others publish
# no limit, so we stay polite. $TILLIT_FETCH_MIN_INTERVAL overrides all of them (tests set it to 0).
MIN_INTERVAL = {"scb": 10 / 30 + 0.02, "kolada": 0.25, "fk": 1.0, "jobtech": 0.5, "who": 0.5}
JOBTECH = {
    "yrkesprognoser": ("https://data.jobtechdev.se", "yrkesprognoser/current/Yrkesprognos.json"),
    "yrkesbarometer": ("https://data.arbetsformedlingen.se", "prognoser/yrkesbarometer.json"),
}
SCB_MAX_CELLS = 150_000
KOLADA_YEARS_PER_REQUEST = 25
KOLADA_PER_PAGE = 5000
RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
USER_AGENT = "tillit/0.1 (Det goda mötet, SOU 2018:47 som levande rapport)"


class FetchError(Exception):
    """A request that failed for good (after retries, or with a status that retrying cannot fix)."""


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def base_url(source: str, override: str | None = None) -> str | None:
    return (override or os.environ.get(BASE_ENV[source]) or DEFAULT_BASE[source] or "").rstrip("/") or None


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError):
            return None


@dataclass
class Response:
    url: str
    method: str
    status: int
    body: bytes
    retrieved_at: datetime


@dataclass
class Client:
    """HTTP for one publisher: timeouts, retries with exponential backoff (honouring Retry-After), a minimum interval
    between requests (the publisher's rate limit) and a size limit on responses."""

    source: str
    base: str
    timeout: tuple[float, float] = (10.0, 60.0)   # connect, read (seconds)
    attempts: int = 5
    backoff: float = 1.0                           # first wait; doubles each retry (capped at 60 s)
    min_interval: float | None = None
    session: requests.Session = field(default_factory=requests.Session)
    _last: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        if self.min_interval is None:
            env = os.environ.get("TILLIT_FETCH_MIN_INTERVAL")
            self.min_interval = float(env) if env else MIN_INTERVAL[self.source]
        self.session.headers.setdefault("User-Agent", USER_AGENT)

    def url(self, path: str) -> str:
        return path if urlparse(path).scheme else urljoin(self.base + "/", path.lstrip("/"))

    def _pace(self) -> None:
        with self._lock:
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        exponential = wait_exponential(multiplier=self.backoff, max=60)(state)
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(max(exc.retry_after, exponential if self.backoff else 0), 120.0)
        return exponential

    def request(self, method: str, path: str, params: dict | None = None, json_body=None) -> Response:
        url = self.url(path)
        limit = max_bytes()

        def once() -> Response:
            self._pace()
            try:
                with self.session.request(method, url, params=params, json=json_body, timeout=self.timeout,
                                          stream=True, headers={"Accept": "application/json, text/csv, */*"}) as resp:
                    if resp.status_code in RETRY_STATUS:
                        raise _Retryable(f"HTTP {resp.status_code} from {resp.url}", _retry_after(resp))
                    if resp.status_code >= 400:
                        snippet = resp.raw.read(300, decode_content=True).decode("utf-8", "replace")
                        raise FetchError(f"{method} {resp.url}: HTTP {resp.status_code} "
                                         f"({' '.join(snippet.split())[:200] or resp.reason})")
                    chunks, size = [], 0
                    for chunk in resp.iter_content(65536):
                        size += len(chunk)
                        if size > limit:
                            raise FetchError(f"{method} {resp.url}: the response is larger than the import limit "
                                             f"of {limit / 1e6:,.0f} MB (TILLIT_MAX_IMPORT_BYTES)")
                        chunks.append(chunk)
                    return Response(resp.url, method, resp.status_code, b"".join(chunks), datetime.now(timezone.utc))
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as err:
                raise _Retryable(f"{type(err).__name__} for {url}: {err}") from err

        try:
            for attempt in Retrying(stop=stop_after_attempt(self.attempts), wait=self._wait, reraise=True,
                                    retry=retry_if_exception_type(_Retryable)):
                with attempt:
                    return once()
        except _Retryable as err:
            raise FetchError(f"{method} {url}: gave up after {self.attempts} attempts ({err})") from None
        raise AssertionError("unreachable")

    def get(self, path: str, params: dict | None = None) -> Response:
        return self.request("GET", path, params=params)

    def post(self, path: str, body, params: dict | None = None) -> Response:
        return self.request("POST", path, params=params, json_body=body)


# --- raw storage -----------------------------------------------------------------------------------------------------

@dataclass
class Stored:
    path: Path
    url: str
    sha256: str
    retrieved_at: datetime


@dataclass
class FetchResult:
    stored: list[Stored]
    report: ImportReport | None


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[:80] or "response"


class RawStore:
    """data/raw/<source>/<UTC time>-<name>: each response as received, plus one line per response in data/raw/fetches.csv."""

    def __init__(self, data: Path, source: str, now: datetime | None = None):
        self.data, self.source = data, source
        self.stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
        self.folder = data / "raw" / source
        self.stored: list[Stored] = []

    def save(self, response: Response, name: str) -> Stored:
        self.folder.mkdir(parents=True, exist_ok=True)
        number = len(self.stored) + 1
        path = self.folder / f"{self.stamp}-{number:03d}-{_safe(name)}"
        while path.exists():   # two fetches within the same second never overwrite each other
            number += 1
            path = self.folder / f"{self.stamp}-{number:03d}-{_safe(name)}"
        digest = hashlib.sha256(response.body).hexdigest()
        _atomic_write(path, response.body)
        item = Stored(path, response.url, digest, response.retrieved_at)
        self.stored.append(item)
        self._log(response, item)
        return item

    def _log(self, response: Response, item: Stored) -> None:
        log = self.data / "raw" / FETCH_LOG
        old = log.read_bytes() if log.exists() else b""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        if not old:
            writer.writerow(LOG_COLUMNS)
        writer.writerow([item.retrieved_at.isoformat(timespec="seconds"), self.source, response.method, response.url,
                         response.status, item.sha256, len(response.body), str(item.path.relative_to(self.data))])
        _atomic_write(log, old + out.getvalue().encode("utf-8"))


def _atomic_write(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _json(response: Response) -> dict | list:
    try:
        return json.loads(response.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FetchError(f"{response.method} {response.url}: the response is not JSON ({err})") from None


# --- publishers ------------------------------------------------------------------------------------------------------

def _years(spec: str | None) -> list[int]:
    if not spec:
        return list(range(2010, date.today().year + 1))
    years: list[int] = []
    for part in spec.split(","):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not m:
            raise FetchError(f"--years {spec!r}: use e.g. 2015-2021 or 2015,2017")
        years.extend(range(int(m[1]), int(m[2] or m[1]) + 1))
    return sorted(set(years))


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def fetch_kolada(client: Client, raw: RawStore, kpis: list[str], municipalities: list[str] | None = None,
                 years: str | None = None) -> list[Stored]:
    """KPI metadata, then values per KPI for the chosen municipalities and years, following next_page/next_url."""
    if not kpis:
        raise FetchError("kolada: name at least one KPI with --kpi (e.g. N00090)")
    if municipalities is None:
        municipalities = ["0000", *sorted(vocab("kommun").labels), *[f"00{c}" for c in sorted(vocab("region").labels) if c != "00"]]
    kpi_list = ",".join(kpis)
    stored = [raw.save(client.get(f"kpi/{kpi_list}"), f"kolada-kpi-{kpi_list}.json")]
    for block in _chunks(_years(years), KOLADA_YEARS_PER_REQUEST):
        url: str | None = client.url(f"data/kpi/{kpi_list}/municipality/{','.join(municipalities)}/year/"
                                     f"{','.join(map(str, block))}")
        params: dict | None = {"per_page": KOLADA_PER_PAGE}
        page, seen = 1, set()
        while url:
            if url in seen:
                raise FetchError(f"kolada: the next page points back to {url}")
            seen.add(url)
            response = client.get(url, params=params)
            stored.append(raw.save(response, f"kolada-{kpi_list}-{block[0]}-p{page:03d}.json"))
            body = _json(response)
            url = (body.get("next_page") or body.get("next_url")) if isinstance(body, dict) else None
            params, page = None, page + 1  # the next-page URL carries its own parameters
    return stored


def _scb_dimensions(meta: dict) -> list[tuple[str, list[str], bool]]:
    """(variable code, value codes, is time) from PxWebApi 2 metadata (JSON-stat2) or PxWeb v1 table metadata."""
    if "variables" in meta:   # v1 layout
        return [(v["code"], list(v["values"]), bool(v.get("time"))) for v in meta["variables"]]
    roles = meta.get("role") or {}
    out = []
    for code in meta.get("id") or list(meta.get("dimension", {})):
        cat = meta["dimension"][code]["category"]
        index = cat.get("index")
        codes = (index if isinstance(index, list) else sorted(index, key=index.get)) if index else list(cat.get("label", {}))
        out.append((code, codes, code in roles.get("time", []) or code.casefold() in ("tid", "time")))
    if not out:
        raise FetchError("scb: the table metadata lists no variables")
    return out


def fetch_scb(client: Client, raw: RawStore, table: str, select: dict[str, list[str]] | None = None,
              lang: str = "sv", max_cells: int = SCB_MAX_CELLS) -> list[Stored]:
    """A PxWebApi 2 table as JSON-stat2: metadata first, then the data in requests of at most max_cells cells
    (the time variable is split across requests when the selection is larger)."""
    select = select or {}
    meta_resp = client.get(f"tables/{table}/metadata", params={"lang": lang, "outputFormat": "json-stat2"})
    stored = [raw.save(meta_resp, f"scb-{table}-metadata.json")]
    dims = _scb_dimensions(_json(meta_resp))
    known = {code for code, _, _ in dims}
    for code in select:
        if code not in known:
            raise FetchError(f"scb: table {table} has no variable {code!r} (variables: {', '.join(sorted(known))})")
    chosen = [(code, select.get(code, values), is_time) for code, values, is_time in dims]
    per_time = 1
    time_code = next((code for code, _, is_time in chosen if is_time), None)
    for code, values, is_time in chosen:
        if not is_time:
            per_time *= max(1, len(values))
    if per_time > max_cells:
        raise FetchError(f"scb: one period alone is {per_time} cells, above the limit of {max_cells}; narrow the "
                         "selection with --select VARIABLE=code1,code2")
    times = next((values for code, values, is_time in chosen if is_time), [None])
    step = max(1, max_cells // per_time)
    for block in _chunks(times, step):
        body = {"selection": [{"variableCode": code, "valueCodes": block if code == time_code else values}
                              for code, values, _ in chosen]}
        response = client.post(f"tables/{table}/data", body, params={"lang": lang, "outputFormat": "json-stat2"})
        stored.append(raw.save(response, f"scb-{table}-{block[0] or 'data'}.json"))
    return stored


def fetch_fk(client: Client, raw: RawStore, dataset: str, table: str, params: dict[str, str] | None = None) -> list[Stored]:
    """A Försäkringskassan statistics-API table (JSON) with the dataset's meta.json (labels for codes)."""
    if not dataset or not table:
        raise FetchError("fk: name the dataset and its table, e.g. --dataset sjp-pagaende-sjukfall-diagnos "
                         "--fk-table SJPPagSjukfallDiagnosKvartal")
    stored = [raw.save(client.get(f"{dataset}/meta.json"), f"fk-{dataset}-meta.json")]
    stored.append(raw.save(client.get(f"{dataset}/{table}.json", params=params or None), f"fk-{dataset}-{table}.json"))
    return stored


def fetch_jobtech(client: Client, raw: RawStore, dataset: str, path: str | None = None) -> list[Stored]:
    """Arbetsförmedlingen's open data files: Yrkesprognoser or Yrkesbarometer (JSON)."""
    if dataset not in JOBTECH and not path:
        raise FetchError(f"jobtech: --dataset must be one of {', '.join(JOBTECH)} (or give --path)")
    default_host, default_path = JOBTECH.get(dataset, (None, None))
    url = client.url(path or default_path) if client.base else urljoin(default_host + "/", default_path)
    return [raw.save(client.get(url), f"jobtech-{dataset or 'file'}.json")]


def fetch_who(client: Client, raw: RawStore, indicators: list[str]) -> list[Stored]:
    """WHO GHO indicators (e.g. HWF_0001, HWF_0006) from the OData API, one response per indicator."""
    if not indicators:
        raise FetchError("who: name at least one indicator with --indicator (e.g. HWF_0001)")
    return [raw.save(client.get(code), f"who-{code}.json") for code in indicators]


def fetch(source: str, data: Path | None = None, base: str | None = None, do_import: bool = True,
          dry_run: bool = False, now: datetime | None = None, client: Client | None = None,
          timeout: tuple[float, float] | None = None, attempts: int | None = None, backoff: float | None = None,
          import_options: dict | None = None, **options) -> FetchResult:
    """Fetch from one publisher, store the raw responses under data/raw/<source>/ (with checksum and retrieval time in
    data/raw/fetches.csv), then import them all in one go (nothing is written to data/tables if any of them is bad)."""
    if source not in SOURCES:
        raise FetchError(f"unknown source {source!r} (known: {', '.join(SOURCES)})")
    data = Path(data) if data else data_dir()
    if client is None:
        try:
            check_url(base_url(source, base))
        except UnsafeUrl as err:
            raise FetchError(f"{source}: base URL refused: {err}") from None
        settings = {k: v for k, v in (("timeout", timeout), ("attempts", attempts), ("backoff", backoff)) if v is not None}
        client = Client(source, base_url(source, base) or "", **settings)
    raw = RawStore(data, source, now)
    if source == "kolada":
        stored = fetch_kolada(client, raw, options.get("kpis") or [], options.get("municipalities"), options.get("years"))
    elif source == "scb":
        if not options.get("table"):
            raise FetchError("scb: name the table with --table-id (e.g. TAB1234)")
        stored = fetch_scb(client, raw, options["table"], options.get("select"), options.get("lang") or "sv",
                           options.get("max_cells") or SCB_MAX_CELLS)
    elif source == "fk":
        stored = fetch_fk(client, raw, options.get("dataset") or "", options.get("fk_table") or "", options.get("params"))
    elif source == "who":
        stored = fetch_who(client, raw, options.get("indicators") or [])
    else:
        stored = fetch_jobtech(client, raw, options.get("dataset") or "", options.get("path"))
    report = None
    if do_import:
        importable = [s for s in stored if not s.path.name.endswith("-metadata.json")]
        report = import_files([s.path for s in importable], data=data, source_urls={s.path: s.url for s in importable},
                              dry_run=dry_run, now=now, **(import_options or {}))
    return FetchResult(stored, report)
