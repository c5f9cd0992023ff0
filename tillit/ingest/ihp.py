"""Commonwealth Fund / Vårdanalys IHP country tables (CSV or XLSX: one row per survey item, one column per country) → ihp."""
from __future__ import annotations

import csv
import io
import re

from tillit.core.errors import DataError
from tillit.ingest.parsed import Context, Parsed
from tillit.ingest.reading import decode, sniff_separator
from tillit.ingest.cells import clean, label, number

# country names as the default data spells them (English), from English, Swedish and Commonwealth Fund abbreviations
COUNTRIES = {
    "Australia": ("australia", "australien", "aus"),
    "Canada": ("canada", "kanada", "can"),
    "France": ("france", "frankrike", "fra", "fr"),
    "Germany": ("germany", "tyskland", "ger", "deu", "de"),
    "Netherlands": ("netherlands", "nederländerna", "holland", "neth", "nl", "nld"),
    "New Zealand": ("new zealand", "nya zeeland", "nz", "nzl"),
    "Norway": ("norway", "norge", "nor", "no"),
    "Sweden": ("sweden", "sverige", "swe", "se"),
    "Switzerland": ("switzerland", "schweiz", "swiz", "swi", "che", "ch"),
    "United Kingdom": ("united kingdom", "storbritannien", "uk", "gbr", "great britain"),
    "United States": ("united states", "usa", "us", "u.s.", "förenta staterna"),
    "England": ("england",),
}
_ALIAS = {alias: name for name, aliases in COUNTRIES.items() for alias in aliases}
_ITEM_COLUMNS = ("item", "fråga", "question", "indikator", "indicator", "enkätfråga", "survey item", "")
_POPULATION_COLUMNS = ("population", "befolkningsgrupp", "grupp", "målgrupp")
_PERIOD_COLUMNS = ("year", "år", "period", "undersökningsår", "survey year")
_POPULATIONS = (
    (re.compile(r"sicker adults|sjukare vuxna|personer med sämre hälsa", re.I), "sicker adults"),
    (re.compile(r"\b65\s*(år|\+)|older adults|äldre personer", re.I), "65+"),
    (re.compile(r"primary care physicians|allmänläkare|primärvårdsläkare", re.I), "primary care physicians"),
    (re.compile(r"\b18\s*(år|\+)|adults|befolkningen|vuxna", re.I), "adults 18+"),
    (re.compile(r"äldre", re.I), "65+"),
)
_MISSING = {"n/a", "na", "–", "-", "..", "", "x", "*"}


def country(text: str) -> str | None:
    return _ALIAS.get(clean(text).casefold().rstrip("*").strip())


def looks_like(rows: list[list]) -> bool:
    return any(sum(country(str(c)) is not None for c in row if c not in (None, "")) >= 3 for row in rows[:15])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:60]


def _csv_grid(raw: bytes, file: str) -> list[tuple[int, list[str]]]:
    text = decode(raw, file, ("utf-8", "cp1252"))
    if not text.strip():
        raise DataError(file, 1, None, "the file is empty (no header line, no rows)")
    lines = text.split("\n")
    header = next((line for line in lines if looks_like([re.split(r"[;,\t]", line)])), lines[0])
    sep = sniff_separator(header, ";\t,")
    grid = []
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        for fields in reader:
            grid.append((reader.line_num, fields))
    except csv.Error as err:
        raise DataError(file, reader.line_num + 1, None, f"not well-formed CSV (truncated file?): {err}") from None
    return grid


def _xlsx_grid(raw: bytes, file: str) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as err:
        raise DataError(file, None, None, f"not a readable XLSX workbook ({type(err).__name__}: {err})") from None
    rows = []
    for n, row in enumerate(book.worksheets[0].iter_rows(), start=1):
        cells = []
        for cell in row:
            value = getattr(cell, "value", None)
            # a cell formatted as percent holds a fraction (0.21 shown as 21 %)
            if isinstance(value, (int, float)) and "%" in (getattr(cell, "number_format", "") or ""):
                value = round(value * 100, 10)
            cells.append("" if value is None else value)
        rows.append((n, cells))
    book.close()
    return rows


def parse_csv(raw: bytes, ctx: Context) -> Parsed:
    return _parse(_csv_grid(raw, ctx.file), ctx, "ihp-csv")


def parse_xlsx(raw: bytes, ctx: Context) -> Parsed:
    return _parse(_xlsx_grid(raw, ctx.file), ctx, "ihp-xlsx")


def _parse(grid: list[tuple[int, list]], ctx: Context, fmt: str) -> Parsed:
    file = ctx.file
    grid = [(n, row) for n, row in grid if any(str(c).strip() for c in row)]
    if not grid:
        raise DataError(file, 1, None, "the file is empty (no header line, no rows)")
    head = next((k for k, (_, row) in enumerate(grid) if sum(country(str(c)) is not None for c in row) >= 3), None)
    if head is None:
        raise DataError(file, grid[0][0], None, "no header row naming at least three IHP countries (Sweden/Sverige, "
                        "Norway/Norge, … or CF abbreviations SWE, NOR, …)")
    title_lines = [clean(" ".join(str(c) for c in row if str(c).strip())) for _, row in grid[:head]]
    title = " ".join(t for t in title_lines if t)
    header_line, header = grid[head]
    header = [clean(str(h)) for h in header]
    item_col = pop_col = period_col = None
    countries: dict[int, str] = {}
    for i, name in enumerate(header):
        key = name.casefold()
        if country(name):
            if country(name) in countries.values():
                raise DataError(file, header_line, name, f"the country {country(name)} has two columns")
            countries[i] = country(name)
        elif key in _POPULATION_COLUMNS:
            pop_col = i
        elif key in _PERIOD_COLUMNS:
            period_col = i
        elif item_col is None and (key in _ITEM_COLUMNS or i == 0):
            item_col = i
        elif name:
            raise DataError(file, header_line, name, f"unexpected column {name!r}: not a country, item, population "
                            f"or year (known countries: {', '.join(COUNTRIES)})")
    if item_col is None:
        raise DataError(file, header_line, None, "no column naming the survey item (item / fråga)")
    year_in_title = re.search(r"\b(19|20)\d{2}\b", title)
    period_default = str(ctx.options.get("period") or (year_in_title[0] if year_in_title else "")) or None
    population_default = ctx.options.get("population") or next(
        (pop for pattern, pop in _POPULATIONS if pattern.search(title)), None)
    if period_col is None and not period_default:
        raise DataError(file, header_line, "year", "the survey year is not in a title line nor in a 'year' column; "
                        "give it with --period")
    if pop_col is None and not population_default:
        raise DataError(file, header_line, "population", "the population (adults 18+, 65+, sicker adults …) is not "
                        "in a title line nor in a 'population' column; give it with --population")
    publisher = "Vårdanalys" if re.search(r"vårdanalys", title + (ctx.source_title or ""), re.I) else "Commonwealth Fund"
    source_title = ctx.source_title or (title if title.casefold().startswith(publisher.casefold())
                                        else f"{publisher}: {title or 'International Health Policy Survey, landtabell'}")
    parsed = Parsed(format=fmt, publisher=publisher)
    rows, skipped = [], 0
    for line, row in grid[head + 1:]:
        row = list(row) + [""] * (len(header) - len(row))
        if len(row) > len(header) and any(str(c).strip() for c in row[len(header):]):
            raise DataError(file, line, f"field {len(header) + 1}", "the row has more cells than the header")
        item = label(row[item_col], file, line, header[item_col] or "item")
        if not item:
            raise DataError(file, line, header[item_col] or "item", "the survey item is empty")
        period = clean(row[period_col]) if period_col is not None else period_default
        if isinstance(row[period_col] if period_col is not None else None, float):
            period = str(int(row[period_col]))
        population = label(row[pop_col], file, line, header[pop_col]) if pop_col is not None else population_default
        for i, name in countries.items():
            cell = row[i]
            if isinstance(cell, str) and clean(cell).casefold() in _MISSING:
                skipped += 1
                continue
            value, marker = number(cell, file, line, header[i], percent=True)
            if value is None:
                skipped += 1
                continue
            rows.append({"period": period, "population": population, "item": item, "country": name, "value": value,
                         "source_key": _slug(source_title), "source_publisher": publisher,
                         "source_title": source_title, "source_url": ctx.source_url, "source_type": "primary",
                         "quote": None, "note": None, "_line": line, "_src_value": header[i]})
    if not rows:
        raise DataError(file, header_line + 1, None, "the country table has no values")
    if skipped:
        parsed.notes.append(f"{skipped} empty cells (n/a, –) left out")
    parsed.add("ihp", rows, {"item": header[item_col] or "item", "period": "year" if period_col is None else header[period_col]})
    return parsed
