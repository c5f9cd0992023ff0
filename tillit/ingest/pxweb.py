"""SCB PxWeb: CSV exports (one column per period) and API JSON-stat2, read into a cube and mapped onto catalog tables."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

from tillit.core.errors import DataError
from tillit.ingest.parsed import Context, NoTableFits, Parsed
from tillit.ingest.reading import array_lines, decode, load_json, read_delimited
from tillit.ingest.cells import clean, label, lookup, number, parse_period, region_code, split_code_label
from tillit.ingest.http import Client, FetchError, RawStore, Stored, chunks, json_body

SCB_MAX_CELLS = 150_000

PUBLISHER = "SCB"

# header words (casefolded, parenthesised parts removed) → the role a dimension plays
_ROLES = {
    "region": ("region", "län", "lan", "county", "riksområde", "landsting"),
    "sector": ("sektor", "sector", "arbetsgivarsektor", "employer sector", "sektorer"),
    "sex": ("kön", "kon", "sex", "gender"),
    "occupation": ("yrke", "yrkesgrupper", "yrkesgrupp", "occupation", "occupational group", "ssyk"),
    "content": ("tabellinnehåll", "contents", "contentscode", "observations", "innehåll"),
    "time": ("år", "ar", "tid", "kvartal", "månad", "year", "quarter", "month", "period", "time"),
}

# SCB sector labels not (yet) listed as aliases in data/vocab.yaml
SECTOR_ALIASES = {
    "kommunal sektor": "kommuner", "primärkommunal sektor": "kommuner", "kommunala sektorn": "kommuner",
    "landstingskommunal sektor": "regioner", "regional sektor": "regioner", "regionala sektorn": "regioner",
    "landstingen": "regioner", "regionerna": "regioner", "kommunerna": "kommuner",
    "all sectors": "arbetsmarknaden", "samtliga": "arbetsmarknaden", "private sector": "privat",
    "central government": "staten", "state": "staten", "municipalities": "kommuner", "regions": "regioner",
    "statliga sektorn": "staten", "privata sektorn": "privat",
}

_PERIOD_HEADER = re.compile(r"^(?:(?P<content>.*\S)\s+)?(?P<period>\d{4}(?:\s*[KkQq][1-4]|\s*M(?:0[1-9]|1[0-2]))?)$")


@dataclass
class Cell:
    dims: dict[str, tuple[str | None, str]]   # dimension name → (code, label)
    content: str | None
    period: str
    value: float | None
    marker: str | None
    line: int
    column: str


@dataclass
class Cube:
    title: str | None
    dims: dict[str, str]            # dimension name → role (region, sector, sex, occupation, content, time, other)
    cells: list[Cell] = field(default_factory=list)
    table_id: str | None = None
    notes: list[str] = field(default_factory=list)


def role_of(name: str) -> str:
    key = re.sub(r"\(.*?\)", "", name).strip().casefold()
    for role, words in _ROLES.items():
        if key in words or any(key.startswith(w + " ") for w in words):
            return role
    if "ssyk" in key or "yrke" in key:
        return "occupation"
    return "other"


# --- CSV -----------------------------------------------------------------------------------------------------

def looks_like_csv(text: str) -> bool:
    lines = [line for line in text.split("\n")[:4] if line.strip()]
    if not lines:
        return False
    for line in lines[:2]:
        cells = [c.strip().strip('"') for c in re.split(r"[,;\t]", line)]
        if len(cells) > 1 and any(_PERIOD_HEADER.match(c) for c in cells[1:]) and not any(
                c in ("ind_id", "ar", "kvartal") for c in cells):
            return True
    return False


def read_csv(raw: bytes, ctx: Context) -> Cube:
    file = ctx.file
    text = decode(raw, file, ("utf-8", "cp1252", "latin-1"))
    lines = text.split("\n")
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    if not nonempty:
        raise DataError(file, 1, None, "the file is empty (no header line, no rows)")
    title, header_index = None, nonempty[0]
    first = lines[header_index]
    if len(nonempty) > 1 and not re.search(r'[,;\t](?=(?:[^"]*"[^"]*")*[^"]*$)', first):
        title = clean(first.strip().strip('"'))
        header_index = nonempty[1]
    # PxWeb puts footnotes after a blank line below the data
    end = next((i for i in range(header_index + 1, len(lines)) if not lines[i].strip()), len(lines))
    footnotes = [clean(line.strip().strip('"')) for line in lines[end:] if line.strip()]
    body = "\n".join([""] * header_index + lines[header_index:end])
    table = read_delimited(body, file, header_line=header_index + 1)
    header = table.header
    period_cols = {i: _PERIOD_HEADER.match(h) for i, h in enumerate(header)}
    period_cols = {i: m for i, m in period_cols.items() if m}
    dim_cols = [i for i in range(len(header)) if i not in period_cols]
    if not period_cols:
        raise DataError(file, header_index + 1, None, "no period columns (like 2017, 2017K1 or 2017M01) in the header; "
                        "export the table from PxWeb with the time variable as columns")
    if dim_cols and max(dim_cols) > min(period_cols):
        col = header[max(dim_cols)]
        raise DataError(file, header_index + 1, col, f"column {col!r} comes after the period columns; "
                        "this is not a PxWeb export layout")
    cube = Cube(title=title, dims={header[i]: role_of(header[i]) for i in dim_cols})
    for i, h in enumerate(header):
        if i in period_cols and period_cols[i]["content"]:
            cube.dims.setdefault("tabellinnehåll", "content")
    if footnotes:
        cube.notes.append("footnotes in the file: " + " ".join(footnotes)[:500])
    for line, fields in table.rows:
        dims = {}
        for i in dim_cols:
            dims[header[i]] = split_code_label(label(fields[i], file, line, header[i]))
        for i, m in period_cols.items():
            value, marker = number(fields[i], file, line, header[i])
            content = m["content"]
            cell_dims = dict(dims)
            if content:
                cell_dims["tabellinnehåll"] = (None, content)
            cube.cells.append(Cell(cell_dims, content, m["period"].replace(" ", ""), value, marker, line, header[i]))
    return cube


# --- JSON-stat2 --------------------------------------------------------------------------------------------------

def looks_like_jsonstat(data) -> bool:
    return isinstance(data, dict) and data.get("class") == "dataset" and "dimension" in data and "value" in data


def read_jsonstat(raw: bytes, ctx: Context) -> Cube:
    file = ctx.file
    text = decode(raw, file, ("utf-8",))
    data = load_json(text, file)
    if looks_like_metadata(data):
        raise DataError(file, None, None, metadata_message(data))
    if not looks_like_jsonstat(data):
        raise DataError(file, 1, None, "not a JSON-stat2 dataset (expected class 'dataset' with 'dimension' and 'value')")
    ids, sizes = data.get("id"), data.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise DataError(file, 1, "id", "JSON-stat2 'id' and 'size' must be lists of the same length")
    roles = data.get("role") or {}
    dims, cats = {}, []
    for name in ids:
        spec = data["dimension"].get(name)
        if not isinstance(spec, dict) or "category" not in spec:
            raise DataError(file, 1, f"dimension.{name}", "dimension has no category")
        title = spec.get("label") or name
        role = ("time" if name in roles.get("time", []) else "content" if name in roles.get("metric", [])
                else "region" if name in roles.get("geo", []) else role_of(title) if role_of(title) != "other" else role_of(name))
        dims[title] = role
        index = spec["category"].get("index")
        labels = spec["category"].get("label") or {}
        if index is None:
            codes = list(labels)
        elif isinstance(index, list):
            codes = index
        else:
            codes = sorted(index, key=index.get)
        cats.append((title, [(c, label(labels.get(c, c), file, 1, f"dimension.{name}")) for c in codes]))
    for (title, codes), size in zip(cats, sizes):
        if len(codes) != size:
            raise DataError(file, 1, f"dimension.{title}", f"has {len(codes)} categories but size says {size}")
    values = data["value"]
    total = 1
    for size in sizes:
        total *= size
    if isinstance(values, list) and len(values) != total:
        raise DataError(file, 1, "value", f"has {len(values)} values but the dimensions make {total} cells "
                        "(truncated response?)")
    lines = array_lines(text, ("value",)) if isinstance(values, list) else []
    status = data.get("status") or {}
    cube = Cube(title=clean(data.get("label") or "") or None, dims=dims,
                table_id=((data.get("extension") or {}).get("px") or {}).get("tableid"))
    for n, combo in enumerate(product(*[codes for _, codes in cats])):
        raw_value = values[n] if isinstance(values, list) else values.get(str(n))
        mark = status[n] if isinstance(status, list) and n < len(status) else (
            status.get(str(n)) if isinstance(status, dict) else status if isinstance(status, str) else None)
        line = lines[n] if n < len(lines) else 1
        column = f"value[{n}]"
        if raw_value is None:
            value, marker = None, mark or ".."
        else:
            value, marker = number(raw_value, file, line, column)
        cell_dims = {title: combo[k] for k, (title, _) in enumerate(cats)}
        content = next((lab for t, (c, lab) in cell_dims.items() if dims[t] == "content"), None)
        time = next((c for t, (c, lab) in cell_dims.items() if dims[t] == "time"), None)
        if time is None:
            raise DataError(file, 1, "role.time", "the dataset has no time dimension")
        try:
            parse_period(time)
        except ValueError as err:
            raise DataError(file, line, column, str(err)) from None
        cube.cells.append(Cell(cell_dims, content, time, value, marker, line, column))
    return cube


# --- cube → catalog tables -----------------------------------------------------------------------------------------

FITTING = ("sjukfall_sektor_scb (sjukfall per sektor och kön, kvartal), sjuklon_sektor (sjukdagar eller sjukfall per "
           "anställd och sektor, kvartal), sjukfranvaro_sektor (sjukfrånvaro per sektor och kön, år), "
           "sjukfranvaro_landsting (sjukfrånvaro per län och kön, år), sjukpenningtal_lan (per län, månad)")


def _choose(cube: Cube, ctx: Context) -> str:
    if ctx.table:
        return ctx.table
    roles = set(cube.dims.values())
    kinds = {parse_period(c.period).kind for c in cube.cells[:50]}
    words = " ".join([cube.title or ""] + sorted({c.content or "" for c in cube.cells})).casefold()
    sick_cases = "sjukfall" in words or "sick cases" in words or "sickness cases" in words
    sick_days = "sjukdag" in words or "sick days" in words or "days of sick" in words
    per_employee = "per anställd" in words or "per employee" in words
    absence = "sjukfrånvaro" in words or "sickness absence" in words or "sick leave" in words
    if "sector" in roles and kinds == {"quarter"} and per_employee and (sick_days or sick_cases):
        return "sjuklon_sektor"
    if "sector" in roles and kinds == {"quarter"} and sick_cases:
        return "sjukfall_sektor_scb"
    if "sector" in roles and kinds == {"year"} and absence:
        return "sjukfranvaro_sektor"
    if "region" in roles and "sector" not in roles and kinds == {"year"} and absence:
        return "sjukfranvaro_landsting"
    if "region" in roles and kinds == {"month"} and ("sjukpenningtal" in words or "sickness rate" in words):
        return "sjukpenningtal_lan"
    described = ", ".join(f"{d} ({r})" for d, r in cube.dims.items())
    contents = sorted({c.content for c in cube.cells if c.content})
    raise NoTableFits(ctx.file, None, None,
                      f"no catalog table fits this SCB table ({cube.title or 'no title line'}; dimensions: {described}; "
                      f"contents: {', '.join(contents) or 'not stated'}). Tables that take PxWeb data: {FITTING}. "
                      "If the file does hold one of these, name it with --table.")


_NEEDS = {
    "sjukfall_sektor_scb": ("sector",), "sjuklon_sektor": ("sector",), "sjukfranvaro_sektor": ("sector",),
    "sjukfranvaro_landsting": ("region",), "sjukpenningtal_lan": ("region",),
}
_HAS_SEX = {"sjukfall_sektor_scb", "sjukfranvaro_sektor", "sjukfranvaro_landsting", "sjuklon_sektor", "sjukpenningtal_lan"}
_KINDS = {"sjukfall_sektor_scb": "quarter", "sjuklon_sektor": "quarter", "sjukfranvaro_sektor": "year",
          "sjukfranvaro_landsting": "year", "sjukpenningtal_lan": "month"}
_TOTAL = {"totalt", "total", "samtliga", "samtliga sektorer", "båda könen", "both sexes", "alla", "1+2", "riket"}


def to_tables(cube: Cube, ctx: Context, fmt: str) -> Parsed:
    file = ctx.file
    parsed = Parsed(format=fmt, publisher=PUBLISHER, notes=list(cube.notes))
    target = _choose(cube, ctx)
    if target not in _NEEDS:
        raise NoTableFits(file, None, None, f"SCB PxWeb files cannot be mapped onto {target!r}; tables that take "
                          f"PxWeb data: {FITTING}")
    roles = {role: name for name, role in cube.dims.items()}
    for role in _NEEDS[target]:
        if role not in roles:
            raise DataError(file, None, role, f"table {target} needs a {role} dimension; the file has "
                            f"{', '.join(cube.dims) or 'none'}")
    # dimensions the table has no column for must hold a single value (a filter), else the export is too wide
    keep = {"content", "time", *_NEEDS[target], *(("sex",) if target in _HAS_SEX else ())}
    for name, role in cube.dims.items():
        if role in keep:
            continue
        values = sorted({c.dims[name][1] for c in cube.cells if name in c.dims})
        if len(values) > 1 and not (role == "sex" and any(v.casefold() in _TOTAL for v in values)):
            raise DataError(file, None, name, f"table {target} has no column for {name!r}, which has several values "
                            f"({', '.join(values[:6])}{', …' if len(values) > 6 else ''}); export one value only")
        if values:
            parsed.notes.append(f"{name}: {values[0] if len(values) == 1 else 'totalt'} only ({target} has no column for it)")
    title = ctx.source_title or ("SCB: " + (cube.title or f"PxWeb-uttag {ctx.file}") +
                                 (f" (tabell {cube.table_id})" if cube.table_id else ""))
    base = {"source_publisher": PUBLISHER, "source_title": title, "source_url": ctx.source_url,
            "source_type": "primary", "quote": None}
    rows: dict[tuple, dict] = {}
    for cell in cube.cells:
        p = parse_period(cell.period)
        if p.kind != _KINDS[target]:
            raise DataError(file, cell.line, cell.column, f"period {p.text!r} is a {p.kind}; {target} holds "
                            f"{_KINDS[target]}s")
        dims = {cube.dims[name]: (code, lab, name) for name, (code, lab) in cell.dims.items()}
        if "sex" in dims and target not in _HAS_SEX and dims["sex"][1].casefold() not in _TOTAL:
            parsed.skip("sex other than total (the table holds totals only)")
            continue
        content = (cell.content or "").casefold()
        is_margin = "felmarginal" in content or "margin" in content or "konfidens" in content
        value = cell.value
        if value is None and cell.marker == "-":
            value = 0.0
        row = {"period": int(p.text) if p.kind == "year" else p.text}
        if "sector" in _NEEDS[target]:
            code, lab, name = dims["sector"]
            row["sector"] = lookup("sector", lab, file, cell.line, name, SECTOR_ALIASES)
        if "region" in _NEEDS[target]:
            code, lab, name = dims["region"]
            row["region_code"] = region_code(code or lab, file, cell.line, name)
        if target in _HAS_SEX:
            row["sex"] = lookup("sex", dims["sex"][1], file, cell.line, dims["sex"][2]) if "sex" in dims else "T"
        if target == "sjuklon_sektor":
            if "sjukdag" in content or "dagar" in content or "days" in content:
                row["measure"] = "sjukdagar_per_anstalld_kvartal"
            elif "sjukfall" in content or "cases" in content:
                row["measure"] = "sjukfall_per_anstalld_kvartal"
            else:
                raise DataError(file, cell.line, cell.column, f"content {cell.content!r}: expected sick days or sick "
                                "cases per employee")
        if target == "sjukfranvaro_sektor":
            row.update(series=f"scb_{cube.table_id}" if cube.table_id else "scb", measure="sjukfranvaro_pct",
                       unit="procent av arbetstiden")
        key = tuple(row.items())
        if value is None:
            parsed.skip({"..": "'..' (not available)", ".": "'.' (not applicable)", "": "empty cell"}.get(
                cell.marker, repr(cell.marker)))
            continue
        entry = rows.setdefault(key, {**row, **base, "note": None, "_line": cell.line})
        if target == "sjukfall_sektor_scb" and is_margin:
            entry["margin"] = value
            entry["_src_margin"] = cell.column
        else:
            if "value" in entry:
                raise DataError(file, cell.line, cell.column, "a second value for the same cell (several contents "
                                f"map onto {target}.value: export one content at a time)")
            entry["value"] = value
            entry["_src_value"] = cell.column
            entry["_line"] = cell.line
    out = []
    for entry in rows.values():
        if "value" not in entry:
            parsed.skip("margin of error without a value")
            continue
        if target == "sjukfall_sektor_scb":
            entry.setdefault("margin", None)
        out.append(entry)
    parsed.add(target, out)
    return parsed


def parse_csv(raw: bytes, ctx: Context) -> Parsed:
    return to_tables(read_csv(raw, ctx), ctx, "pxweb-csv")


def parse_jsonstat(raw: bytes, ctx: Context) -> Parsed:
    return to_tables(read_jsonstat(raw, ctx), ctx, "pxweb-json")


def looks_like_metadata(data) -> bool:
    """A PxWeb metadata response: the table's variables and their values, no figures. PxWebApi 2
    (GET /tables/{id}/metadata, JSON-stat2: dimensions but no 'value', or an empty one) or PxWeb API v1 (GET on a
    table: 'title' and 'variables')."""
    if not isinstance(data, dict):
        return False
    if data.get("class") == "dataset" and isinstance(data.get("dimension"), dict):
        return data.get("value") in (None, [], {})
    return isinstance(data.get("variables"), list) and "title" in data and "value" not in data


def metadata_table_id(data: dict) -> str | None:
    px = ((data.get("extension") or {}).get("px") or {}) if isinstance(data.get("extension"), dict) else {}
    return px.get("tableid") if isinstance(px, dict) and isinstance(px.get("tableid"), str) else None


def metadata_message(data: dict) -> str:
    table = metadata_table_id(data)
    label = clean(data.get("label") or data.get("title") or "") if isinstance(data.get("label") or data.get("title"), str) else ""
    what = f"table {table}" + (f" ({label})" if label else "") if table else (label or "an SCB table")
    fetch_hint = f"`tillit fetch scb --table-id {table}`" if table else "`tillit fetch scb --table-id ID`"
    return (f"this is a PxWeb metadata response for {what}: the table's variables and values, with no figures. "
            f"Import the data response instead (POST …/tables/{table or 'ID'}/data with outputFormat=json-stat2), "
            f"or fetch it with {fetch_hint}")


def parse_metadata(raw: bytes, ctx: Context) -> Parsed:
    """A metadata response carries nothing to import: named as such (a note alongside data files)."""
    data = load_json(decode(raw, ctx.file, ("utf-8",)), ctx.file)
    parsed = Parsed("pxweb-meta", PUBLISHER)
    table = metadata_table_id(data) if isinstance(data, dict) else None
    parsed.notes.append(f"PxWeb metadata response{' for table ' + table if table else ''} (variables and values, no "
                        "figures): nothing imported from it")
    parsed.meta["pxweb_metadata"] = metadata_message(data) if isinstance(data, dict) else parsed.notes[0]
    return parsed


# --- live fetch ----------------------------------------------------------------------------------------------

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


def fetch(client: Client, raw: RawStore, table: str, select: dict[str, list[str]] | None = None,
              lang: str = "sv", max_cells: int = SCB_MAX_CELLS) -> list[Stored]:
    """A PxWebApi 2 table as JSON-stat2: metadata first, then the data in requests of at most max_cells cells
    (the time variable is split across requests when the selection is larger)."""
    select = select or {}
    meta_resp = client.get(f"tables/{table}/metadata", params={"lang": lang, "outputFormat": "json-stat2"})
    stored = [raw.save(meta_resp, f"scb-{table}-metadata.json")]
    dims = _scb_dimensions(json_body(meta_resp))
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
    for block in chunks(times, step):
        body = {"selection": [{"variableCode": code, "valueCodes": block if code == time_code else values}
                              for code, values, _ in chosen]}
        response = client.post(f"tables/{table}/data", body, params={"lang": lang, "outputFormat": "json-stat2"})
        stored.append(raw.save(response, f"scb-{table}-{block[0] or 'data'}.json"))
    return stored
