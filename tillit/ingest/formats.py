"""Publisher formats: detect which one a file is in, and parse it into rows for catalog tables."""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from tillit.core.errors import DataError
from tillit.ingest import af, fk, ihp, kolada, oppna_jamforelser, pxweb, who
from tillit.ingest.parsed import Context, NoTableFits, Parsed
from tillit.ingest.reading import text_head as sniff_text

__all__ = ["FORMATS", "Context", "NoTableFits", "Parsed", "detect", "parse"]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    parse: Callable[[bytes, Context], Parsed]
    tables: tuple[str, ...]


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pxweb-csv", "SCB PxWeb CSV export (one column per period)", pxweb.parse_csv,
           ("sjukfall_sektor_scb", "sjuklon_sektor", "sjukfranvaro_sektor", "sjukfranvaro_landsting", "sjukpenningtal_lan")),
    Format("pxweb-json", "SCB PxWeb API response in JSON-stat2", pxweb.parse_jsonstat,
           ("sjukfall_sektor_scb", "sjuklon_sektor", "sjukfranvaro_sektor", "sjukfranvaro_landsting", "sjukpenningtal_lan")),
    Format("pxweb-meta", "SCB PxWebApi 2 (or v1) metadata response: variables and values, no figures",
           pxweb.parse_metadata, ()),
    Format("kolada", "Kolada API v2/v3 data (values per gender T/K/M)", kolada.parse,
           ("personalnyckeltal_kommun", "sjukfranvaro_sektor", "sjukfranvaro_landsting")),
    Format("kolada-meta", "Kolada API KPI metadata (titles for data imported alongside)", kolada.parse_meta, ()),
    Format("fk-csv", "Försäkringskassan open-data CSV (long format, '..' and '-')", fk.parse_csv, ("sjukfall_diagnos",)),
    Format("fk-json", "Försäkringskassan statistics API JSON (dimensions + observations, rojd)", fk.parse_api,
           ("sjukfall_diagnos", "sjukpenningtal_lan")),
    Format("fk-meta", "Försäkringskassan dataset meta.json (labels for data imported alongside)", fk.parse_meta, ()),
    Format("fk-xlsx", "Försäkringskassan XLSX with two header rows", fk.parse_xlsx, ("sjukfall_diagnos",)),
    Format("af-yrkesprognos", "Arbetsförmedlingen Yrkesprognoser JSON (bristvärde 1–5)", af.parse_prognos, ("bristindex",)),
    Format("af-yrkesbarometer", "Arbetsförmedlingen Yrkesbarometer JSON (överskott/balans/brist)", af.parse_barometer,
           ("bristindex",)),
    Format("oj-datalista", "Öppna jämförelser data list (';', cp1252)", oppna_jamforelser.parse,
           ("sjukfranvaro_landsting", "patientenkat")),
    Format("ihp-csv", "Commonwealth Fund / Vårdanalys IHP country table, CSV", ihp.parse_csv, ("ihp",)),
    Format("ihp-xlsx", "Commonwealth Fund / Vårdanalys IHP country table, XLSX", ihp.parse_xlsx, ("ihp",)),
    Format("who-gho-csv", "WHO Global Health Observatory CSV export (HWF_0001, HWF_0006 per 10 000)", who.parse_csv,
           ("halsopersonal_who",)),
    Format("who-gho-json", "WHO Global Health Observatory OData API JSON (HWF_0001, HWF_0006)", who.parse_odata,
           ("halsopersonal_who",)),
)}


# what a parser meets in a file of an unexpected shape (found by tests/test_fuzz_importers.py)
STRUCTURE_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ValueError, ArithmeticError, RecursionError)


def _ask(file: str, why: str) -> DataError:
    return DataError(file, None, None, f"{why}; name the format with --format ({', '.join(FORMATS)})")


def detect(raw: bytes, file: str) -> str:
    """The format of a publisher file, from its content; a DataError asking for --format when it is not clear."""
    head = raw.lstrip()
    if not head:
        raise DataError(file, 1, None, "the file is empty (no header line, no rows)")
    if raw.startswith(b"PK\x03\x04"):
        return _detect_xlsx(raw, file)
    text_head = sniff_text(raw).lstrip("\ufeff \t\r\n")
    if re.match(r"<(!doctype\s+html|html|head|body|\?xml)", text_head, re.I):
        raise DataError(file, 1, None, "this is an HTML/XML page, not a data file (did the download return an error page?)")
    if text_head[:1] in "{[":
        from tillit.ingest.reading import decode, load_json

        data = load_json(decode(raw, file, ("utf-8",)), file)  # names line and character of broken JSON
        return _detect_json(data, file)
    first = next((line for line in text_head.split("\n") if line.strip()), "")
    if who.looks_like_csv(first):
        return "who-gho-csv"
    if oppna_jamforelser.looks_like(first):
        return "oj-datalista"
    if fk.looks_like_csv(re.split(r"[,;\t]", first)):
        return "fk-csv"
    if pxweb.looks_like_csv(text_head):
        return "pxweb-csv"
    if ihp.looks_like([re.split(r"[;,\t]", line) for line in text_head.split("\n")[:15]]):
        return "ihp-csv"
    raise _ask(file, "could not tell which publisher format this file is in")


def _detect_json(data, file: str) -> str:
    if pxweb.looks_like_metadata(data):
        return "pxweb-meta"
    if pxweb.looks_like_jsonstat(data):
        return "pxweb-json"
    kind = kolada.kind_of(data)
    if kind:
        return "kolada" if kind == "data" else "kolada-meta"
    if who.looks_like_odata(data):
        return "who-gho-json"
    if fk.looks_like_api(data):
        return "fk-json"
    if fk.looks_like_meta(data):
        return "fk-meta"
    kind = af.kind_of(data)
    if kind:
        return f"af-{kind}"
    if data in ([], {}):
        raise DataError(file, 1, None, "the JSON holds no records")
    raise _ask(file, "JSON of a kind no importer knows")


def _detect_xlsx(raw: bytes, file: str) -> str:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        rows = [["" if c is None else str(c) for c in row] for row in book.worksheets[0].iter_rows(max_row=15, values_only=True)]
        book.close()
    except Exception as err:
        raise DataError(file, None, None, f"not a readable XLSX workbook ({type(err).__name__}: {err})") from None
    if ihp.looks_like(rows):
        return "ihp-xlsx"
    if any("diagnoskapitel" in c.casefold() for row in rows for c in row):
        return "fk-xlsx"
    raise _ask(file, "a workbook of a kind no importer knows")


def parse(raw: bytes, ctx: Context, fmt: str | None = None) -> Parsed:
    """Parse a publisher file (format detected unless given) into rows for catalog tables."""
    if fmt is None:
        fmt = detect(raw, ctx.file)
    if fmt not in FORMATS:
        raise DataError(ctx.file, None, None, f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    spec = FORMATS[fmt]
    if ctx.table and spec.tables and ctx.table not in spec.tables:
        raise NoTableFits(ctx.file, None, None, f"format {fmt} fills {', '.join(spec.tables)}, not {ctx.table}")
    try:
        parsed = spec.parse(raw, ctx)
    except DataError:
        raise
    except STRUCTURE_ERRORS as err:
        # a file that is not laid out as the format says (a key missing, a list where an object belongs, …): the
        # parser's own checks did not foresee it, so name the file and what was found rather than stop with a trace
        raise DataError(ctx.file, None, None, f"not laid out as {spec.description} ({type(err).__name__}: "
                        f"{' '.join(str(err).split())[:160]}); is it another kind of file? (--format)") from None
    if ctx.table:
        parsed.tables = {t: f for t, f in parsed.tables.items() if t == ctx.table}
    return parsed
