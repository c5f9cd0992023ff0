"""WHO Global Health Observatory: the CSV export of an indicator (HWF_0001 doctors, HWF_0006 nurses per 10 000) → halsopersonal_who."""
from __future__ import annotations

from tillit.tables.catalog import vocab
from tillit.core.errors import DataError
from tillit.ingest.parsed import Context, Parsed
from tillit.ingest.reading import _MOJIBAKE, decode, read_delimited
from tillit.ingest.cells import clean, number
from tillit.ingest.http import Client, FetchError, RawStore, Stored

PUBLISHER = "WHO"
TABLE = "halsopersonal_who"
# indicator code → (measure in the catalog, what WHO calls it)
INDICATORS = {
    "HWF_0001": ("lakare", "Medical doctors (per 10,000)"),
    "HWF_0006": ("sjukskoterskor_barnmorskor", "Nursing and midwifery personnel (per 10,000)"),
}
REQUIRED = ("IndicatorCode", "SpatialDimValueCode", "Period", "FactValueNumeric")


def looks_like_csv(first_line: str) -> bool:
    names = {c.strip().strip('"') for c in first_line.split(",")}
    return {"IndicatorCode", "SpatialDimValueCode", "FactValueNumeric"} <= names


def _repaired(text: str) -> str:
    """A comment WHO stored as UTF-8 read as Latin-1 ('MÃ©dicos') back to its letters; other text unchanged."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _title(code: str, name: str) -> str:
    return f"WHO Global Health Observatory: {name} ({code})"


def parse_csv(raw: bytes, ctx: Context) -> Parsed:
    """Rows of a GHO export (all countries, possibly several indicators and repeated rows per DateModified).

    Kept: the two per-10 000 indicators for the countries in the `country` vocabulary (the IHP countries). Where the
    export repeats a country-year, the most recently modified row is used; a repeat with another value is reported
    as a revision. Rows left out are counted by reason."""
    file = ctx.file
    try:   # WHO's own exports carry mis-encoded comments for some countries: read as UTF-8, repair only kept cells
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        text = decode(raw, file, ("utf-8",))   # names the line and byte
        raise DataError(file, None, None, f"not UTF-8 ({err.reason})") from None
    table = read_delimited(text.replace("\r\n", "\n"), file, required=REQUIRED)
    parsed = Parsed(format="who-gho-csv", publisher=PUBLISHER)
    countries = vocab("country")
    column = {name: i for i, name in enumerate(table.header)}

    def cell(values: list[str], name: str) -> str:
        return clean(values[column[name]]) if name in column else ""

    chosen: dict[tuple[str, str, int], dict] = {}
    for line, values in table.rows:
        code = cell(values, "IndicatorCode")
        if code not in INDICATORS:
            parsed.skip(f"indicator {code or '(empty)'} (only {', '.join(INDICATORS)} are per 10 000 inhabitants)")
            continue
        country = cell(values, "SpatialDimValueCode")
        if country not in countries:
            parsed.skip("a country outside the IHP surveys (the `country` vocabulary)")
            continue
        period_text = cell(values, "Period")
        if not period_text.isdigit() or len(period_text) != 4:
            raise DataError(file, line, "Period", f"{period_text!r} is not a year")
        value, marker = number(cell(values, "FactValueNumeric"), file, line, "FactValueNumeric")
        if value is None:
            parsed.skip("no value (FactValueNumeric empty)")
            continue
        if value < 0:
            raise DataError(file, line, "FactValueNumeric", f"{value:g} is negative (a count per 10 000 cannot be)")
        measure, name = INDICATORS[code]
        modified = cell(values, "DateModified")
        comments = _repaired(cell(values, "FactComments"))
        note = "; ".join(p for p in (f"WHO DateModified {modified}" if modified else "", comments) if p) or None
        row = {"period": int(period_text), "country_code": country, "measure": measure, "indicator": code,
               "value": value, "flag": None, "source_publisher": PUBLISHER,
               "source_title": ctx.source_title or _title(code, cell(values, "Indicator") or name),
               "source_url": ctx.source_url, "source_type": "primary", "quote": None, "note": note,
               "_line": line, "_modified": modified}
        key = (code, country, int(period_text))
        earlier = chosen.get(key)
        if earlier is None:
            chosen[key] = row
            continue
        newer, older = (row, earlier) if modified > earlier["_modified"] else (earlier, row)
        if abs(newer["value"] - older["value"]) > 1e-9:
            parsed.notes.append(f"{code} {country} {period_text}: WHO revised {older['value']:g} (line {older['_line']}, "
                                f"{older['_modified'] or 'no date'}) to {newer['value']:g} (line {newer['_line']}, "
                                f"{newer['_modified'] or 'no date'}); the later one is imported")
        elif newer["_modified"] == older["_modified"]:
            newer = earlier   # an exact repeat: keep the first line
        chosen[key] = newer
        parsed.skip("an older or repeated row for the same indicator, country and year")
    if not chosen:
        raise DataError(file, None, None, "no values to import: " + ("; ".join(parsed.skipped) or "no rows")
                        + f" (the file must hold {' or '.join(INDICATORS)} for at least one IHP country)")
    rows = [{k: v for k, v in r.items() if k != "_modified"} for r in chosen.values()]
    parsed.add(TABLE, rows, {"period": "Period", "country_code": "SpatialDimValueCode", "indicator": "IndicatorCode",
                             "measure": "IndicatorCode", "value": "FactValueNumeric"})
    return parsed


def looks_like_odata(data) -> bool:
    """The GHO OData API's answer for an indicator: {"value": [{"IndicatorCode", "SpatialDim", "TimeDim", "NumericValue"}]}."""
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        return False
    first = next((v for v in data["value"] if isinstance(v, dict)), None)
    return first is not None and {"IndicatorCode", "SpatialDim", "TimeDim"} <= set(first)


def parse_odata(raw: bytes, ctx: Context) -> Parsed:
    """The GHO OData API (ghoapi.azureedge.net/api/HWF_0001): the same rows as the CSV export, as JSON records."""
    import csv
    import io

    from tillit.ingest.reading import array_lines, load_json, with_lines

    file = ctx.file
    text = decode(raw, file, ("utf-8",))
    data = load_json(text, file)
    if not looks_like_odata(data):
        raise DataError(file, 1, "value", "not a WHO GHO OData response (expected {\"value\": [{\"IndicatorCode\", "
                        "\"SpatialDim\", \"TimeDim\", \"NumericValue\"}]})")
    # written out as the CSV export (one line per record, in order) so both go through one set of rules; the
    # line numbers in errors are those of the records in the JSON file
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["IndicatorCode", "SpatialDimValueCode", "Period", "FactValueNumeric", "FactComments", "DateModified"])
    lines = []
    for line, rec in with_lines(data["value"], array_lines(text, ("value",))):
        if not isinstance(rec, dict):
            raise DataError(file, line, "value", "each record must be an object")
        if rec.get("SpatialDimType") not in (None, "COUNTRY"):
            writer.writerow(["", "", "", "", "", ""])   # regions and income groups: left out below as 'indicator'
        else:
            value = rec.get("NumericValue")
            writer.writerow([rec.get("IndicatorCode") or "", rec.get("SpatialDim") or "", rec.get("TimeDim") or "",
                             "" if value is None else repr(float(value)) if isinstance(value, (int, float)) else value,
                             rec.get("Comments") or "", rec.get("Date") or ""])
        lines.append(line)
    names = {"IndicatorCode": "IndicatorCode", "SpatialDimValueCode": "SpatialDim", "Period": "TimeDim",
             "FactValueNumeric": "NumericValue"}
    try:
        parsed = parse_csv(out.getvalue().encode("utf-8"), Context(file=file, path=ctx.path, source_url=ctx.source_url,
                                                                   source_title=ctx.source_title, table=ctx.table))
    except DataError as err:
        row = lines[err.row - 2] if err.row and 2 <= err.row < len(lines) + 2 else err.row
        raise DataError(file, row, names.get(err.column, err.column), err.message) from None
    parsed.format = "who-gho-json"
    parsed.columns[TABLE] = {k: names.get(v, v) for k, v in parsed.columns.get(TABLE, {}).items()}
    frame = parsed.tables[TABLE]
    frame["_line"] = [lines[int(n) - 2] for n in frame["_line"]]   # CSV line n holds record n-2
    return parsed


# --- live fetch ----------------------------------------------------------------------------------------------

def fetch(client: Client, raw: RawStore, indicators: list[str]) -> list[Stored]:
    """WHO GHO indicators (e.g. HWF_0001, HWF_0006) from the OData API, one response per indicator."""
    if not indicators:
        raise FetchError("who: name at least one indicator with --indicator (e.g. HWF_0001)")
    return [raw.save(client.get(code), f"who-{code}.json") for code in indicators]
