"""HTTP for live sources: a polite retrying client, the raw-response store with its log, and the shared
settings (base addresses, rate limits) of every publisher's fetcher."""

import csv
import io
import json
import os
import re
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

from tillit.core.files import atomic_write, sha256
from tillit.ingest.reading import max_bytes

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
        digest = sha256(response.body)
        atomic_write(path, response.body)
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
        atomic_write(log, old + out.getvalue().encode("utf-8"))


def json_body(response: Response) -> dict | list:
    try:
        return json.loads(response.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FetchError(f"{response.method} {response.url}: the response is not JSON ({err})") from None


# --- publishers ------------------------------------------------------------------------------------------------------

def year_list(spec: str | None) -> list[int]:
    if not spec:
        return list(range(2010, date.today().year + 1))
    years: list[int] = []
    for part in spec.split(","):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not m:
            raise FetchError(f"--years {spec!r}: use e.g. 2015-2021 or 2015,2017")
        years.extend(range(int(m[1]), int(m[2] or m[1]) + 1))
    return sorted(set(years))


def chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


