"""Fetch publisher data over HTTP (SCB PxWebApi 2, Kolada, Försäkringskassan, JobTech, WHO GHO): each publisher's
fetcher lives beside its parser in its own module; this runs one, keeps the raw responses and imports them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tillit.core.files import data_dir
from tillit.core.links import UnsafeUrl, check_url
from tillit.ingest import af, fk, kolada, pxweb, who
from tillit.ingest.http import SOURCES, Client, FetchError, RawStore, Stored, base_url  # noqa: F401 (Client, Stored: used by callers)
from tillit.ingest.importer import ImportReport, import_files
@dataclass
class FetchResult:
    stored: list[Stored]
    report: ImportReport | None


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
        stored = kolada.fetch(client, raw, options.get("kpis") or [], options.get("municipalities"), options.get("years"))
    elif source == "scb":
        if not options.get("table"):
            raise FetchError("scb: name the table with --table-id (e.g. TAB1234)")
        stored = pxweb.fetch(client, raw, options["table"], options.get("select"), options.get("lang") or "sv",
                           options.get("max_cells") or pxweb.SCB_MAX_CELLS)
    elif source == "fk":
        stored = fk.fetch(client, raw, options.get("dataset") or "", options.get("fk_table") or "", options.get("params"))
    elif source == "who":
        stored = who.fetch(client, raw, options.get("indicators") or [])
    else:
        stored = af.fetch(client, raw, options.get("dataset") or "", options.get("path"))
    report = None
    if do_import:
        importable = [s for s in stored if not s.path.name.endswith("-metadata.json")]
        report = import_files([s.path for s in importable], data=data, source_urls={s.path: s.url for s in importable},
                              dry_run=dry_run, now=now, **(import_options or {}))
    return FetchResult(stored, report)
