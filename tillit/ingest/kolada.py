"""Kolada API v2/v3 JSON (KPI values per municipality, year and gender T/K/M, and KPI metadata) → catalog tables."""
from __future__ import annotations

import re
from dataclasses import dataclass

from tillit.tables.catalog import vocab
from tillit.core.errors import DataError
from tillit.ingest.parsed import Context, NoTableFits, Parsed
from tillit.ingest.reading import array_lines, decode, load_json, with_lines
from tillit.ingest.cells import clean, label, lookup, number
from tillit.ingest.http import Client, FetchError, RawStore, Stored, chunks, json_body, year_list

KOLADA_YEARS_PER_REQUEST = 25
KOLADA_PER_PAGE = 5000

PUBLISHER = "RKA (Kolada)"


@dataclass(frozen=True)
class KpiMap:
    """Where one KPI's values go: per kommun, per region (län) and for the whole country (id 0000)."""

    title: str
    kommun: tuple[str, str] | None = None          # (table, measure) for kommun ids KKKK
    region: str | None = None                      # table for region ids 00LL (län code LL)
    riket: tuple | None = None                     # (table, sector, measure, unit) or (table,) for region 00
    fixed: tuple = ()                              # further (column, value) pairs every row of the KPI gets


# Titles as listed in Kolada's KPI metadata (verify against `tillit fetch kolada`, which stores the metadata too).
KPIS = {
    "N00090": KpiMap("Sjukfrånvaro kommunalt anställda totalt, (%)",
                     kommun=("personalnyckeltal_kommun", "sjukfranvaro_pct"),
                     riket=("sjukfranvaro_sektor", "kommuner", "sjukfranvaro_pct", "procent av arbetstiden")),
    "N00091": KpiMap("Sjukfrånvaro kommunalt anställda mer än 59 dagar som andel av total sjukfrånvaro, (%)",
                     kommun=("personalnyckeltal_kommun", "langtid_andel_pct"),
                     riket=("sjukfranvaro_sektor", "kommuner", "langtid_andel_pct", "procent av sjukfrånvaron")),
    "N60030": KpiMap("Sjukfrånvaro totalt, region, andel (%)", region="sjukfranvaro_landsting",
                     riket=("sjukfranvaro_landsting",)),
    "N60031": KpiMap("Sjukfrånvaro, mer än 59 dagar som andel av total sjukfrånvaro, region, andel (%)",
                     riket=("sjukfranvaro_sektor", "regioner", "langtid_andel_pct", "procent av sjukfrånvaron")),
    "N00216": KpiMap("Avgångna tillsvidareanställda under året, kommunalt anställda, andel (%)",
                     kommun=("personalnyckeltal_kommun", "avgangna_tillsvidare_pct")),
    "N60084": KpiMap("Avgångna tillsvidareanställda under året, region, andel (%)", region="personal_region",
                     riket=("personal_region",), fixed=(("measure", "avgangna_tillsvidare_pct"),)),
    "U71451": KpiMap("Positivt helhetsintryck hos patienter som har besökt primärvården", region="patientenkat_helhetsintryck",
                     riket=("patientenkat_helhetsintryck",)),
    "N00938": KpiMap("Sjukpenningtalet, dagar/registrerad försäkrad", region="sjukpenningtal_lan",
                     riket=("sjukpenningtal_lan",)),
    "N00957": KpiMap("Ohälsotal, dagar", region="ohalsotal_lan", riket=("ohalsotal_lan",)),
}

_SEX_TABLES = {"sjukfranvaro_sektor", "sjukfranvaro_landsting", "sjukpenningtal_lan", "personal_region"}
_TEXT_PERIOD = {"sjukpenningtal_lan"}   # tables whose period is text (a year or a month)


def kind_of(data) -> str | None:
    """'data', 'meta' or None for a parsed JSON document."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        return None
    first = next((v for v in data["values"] if isinstance(v, dict)), None)
    if first is None:
        return "data" if ("next_page" in data or "next_url" in data or "count" in data) else None
    if "kpi" in first and ("municipality" in first or "ou" in first):
        return "data"
    if "id" in first and "title" in first and ({"municipality_type", "is_divided_by_gender", "operating_area",
                                                  "auspice"} & set(first)):
        return "meta"
    return None


def parse_meta(raw: bytes, ctx: Context) -> Parsed:
    """KPI metadata: offers the KPI titles to data files imported alongside; holds no values itself."""
    text = decode(raw, ctx.file, ("utf-8",))
    data = load_json(text, ctx.file)
    parsed = Parsed(format="kolada-meta", publisher=PUBLISHER)
    titles = {}
    for line, item in with_lines(data["values"], array_lines(text, ("values",))):
        if isinstance(item, dict) and item.get("id"):
            titles[str(item["id"])] = label(item.get("title") or item["id"], ctx.file, line, "title")
    parsed.meta["kolada_titles"] = titles
    parsed.notes.append(f"KPI metadata for {', '.join(sorted(titles))} (no values in the file)")
    return parsed


def parse(raw: bytes, ctx: Context) -> Parsed:
    file = ctx.file
    text = decode(raw, file, ("utf-8",))
    data = load_json(text, file)
    if kind_of(data) != "data":
        raise DataError(file, 1, "values", "not a Kolada data response (expected {\"values\": [{\"kpi\", "
                        "\"municipality\", \"period\", \"values\": [...]}]})")
    parsed = Parsed(format="kolada", publisher=PUBLISHER)
    following = data.get("next_page") or data.get("next_url")
    if following:
        parsed.meta["kolada_next_page"] = {file: following}
    titles = {**{k: m.title for k, m in KPIS.items()}, **ctx.meta.get("kolada_titles", {})}
    records = data["values"]
    if not records:
        raise DataError(file, 1, "values", "the response holds no values (check the KPI, municipality and years asked for)")
    rows: dict[str, list[dict]] = {}
    unknown_kpis = set()
    for line, rec in with_lines(records, array_lines(text, ("values",))):
        if not isinstance(rec, dict):
            raise DataError(file, line, "values", "each value record must be an object")
        if "ou" in rec and "municipality" not in rec:
            raise NoTableFits(file, line, "ou", "Kolada values per organisational unit (oudata) have no catalog table")
        for key in ("kpi", "municipality", "period", "values"):
            if key not in rec:
                raise DataError(file, line, key, f"the record has no {key!r}")
        kpi = clean(rec["kpi"])
        if kpi not in KPIS:
            unknown_kpis.add(kpi)
            continue
        spec = KPIS[kpi]
        muni = clean(rec["municipality"])
        year = str(rec["period"]).strip()
        if not re.fullmatch(r"\d{4}", year):
            raise DataError(file, line, "period", f"{rec['period']!r} is not a year")
        target, extra = _target(spec, muni, file, line, parsed.skip, kpi)
        if target is None:
            continue
        if not isinstance(rec["values"], list):
            raise DataError(file, line, "values", "the per-gender 'values' must be a list")
        title = ctx.source_title or f"Kolada: {kpi} {titles.get(kpi, '')}".rstrip()
        for k, val in enumerate(rec["values"]):
            column = f"values[{k}].value"
            if not isinstance(val, dict) or "gender" not in val:
                raise DataError(file, line, f"values[{k}]", "each gender value must be an object with 'gender'")
            sex = lookup("sex", val["gender"], file, line, f"values[{k}].gender")
            value, marker = number(val.get("value"), file, line, column)
            if value is None:
                status = clean(val.get("status") or "") or "null"
                parsed.skip(f"value null (status {status})")
                continue
            if target not in _SEX_TABLES and sex != "T":
                parsed.skip("gender K/M (the table holds totals only)")
                continue
            row = {**extra, **dict(spec.fixed), "period": year if target in _TEXT_PERIOD else int(year), "value": value}
            if target == "patientenkat_helhetsintryck":   # Kolada: national surveys odd years, regional even years
                row["measurement"] = "nationell" if int(year) % 2 else "regional"
            if target in _SEX_TABLES:
                row["sex"] = sex
            status = clean(val.get("status") or "")
            row.update(source_publisher=PUBLISHER, source_title=title, source_url=ctx.source_url,
                       source_type="primary", quote=None,
                       note=f"Kolada {kpi}, kommun/region-id {muni}" + (f"; status {status}" if status else ""),
                       _line=line, _src_value=column)
            rows.setdefault(target, []).append(row)
    if unknown_kpis and not rows:
        mapped = ", ".join(f"{k} ({m.title})" for k, m in KPIS.items())
        raise NoTableFits(file, None, "kpi", f"no catalog table fits Kolada KPI {', '.join(sorted(unknown_kpis))}; "
                          f"KPIs with a table: {mapped}")
    if unknown_kpis:
        parsed.notes.append(f"KPIs without a table, left out: {', '.join(sorted(unknown_kpis))}")
    for table, table_rows in rows.items():
        parsed.add(table, table_rows, {"period": "period", "kommun_code": "municipality", "region_code": "municipality",
                                        "sex": "gender"})
    if not parsed.tables:
        raise DataError(file, None, "values", "no values to import: " + "; ".join([*parsed.skipped, *parsed.notes] or ["all values are null"]))
    return parsed


def _target(spec: KpiMap, muni: str, file: str, line: int, skipped, kpi: str) -> tuple[str | None, dict]:
    """Target table and fixed columns for one municipality id (0000 riket, 00LL region, KKKK kommun)."""
    if muni == "0000":
        if spec.riket is None:
            skipped(f"{kpi} for the whole country (no table)")
            return None, {}
        if spec.riket[0] == "sjukfranvaro_sektor":
            table, sector, measure, unit = spec.riket
            return table, {"sector": sector, "series": f"kolada_{kpi}", "measure": measure, "unit": unit}
        return spec.riket[0], {"region_code": "00"}
    if re.fullmatch(r"00\d\d", muni):
        if spec.region is None:
            skipped(f"{kpi} per region (no table)")
            return None, {}
        code = muni[2:]
        if code not in vocab("region"):
            raise DataError(file, line, "municipality", f"unknown region {muni!r} (Kolada region ids are 00 + länskod)")
        return spec.region, {"region_code": code}
    if re.fullmatch(r"\d{4}", muni):
        if spec.kommun is None:
            skipped(f"{kpi} per kommun (no table)")
            return None, {}
        code = lookup("kommun", muni, file, line, "municipality")
        table, measure = spec.kommun
        return table, {"kommun_code": code, "measure": measure}
    skipped("municipality groups (G…)")
    return None, {}


# --- live fetch ----------------------------------------------------------------------------------------------

def fetch(client: Client, raw: RawStore, kpis: list[str], municipalities: list[str] | None = None,
                 years: str | None = None) -> list[Stored]:
    """KPI metadata, then values per KPI for the chosen municipalities and years, following next_page/next_url."""
    if not kpis:
        raise FetchError("kolada: name at least one KPI with --kpi (e.g. N00090)")
    if municipalities is None:
        municipalities = ["0000", *sorted(vocab("kommun").labels), *[f"00{c}" for c in sorted(vocab("region").labels) if c != "00"]]
    kpi_list = ",".join(kpis)
    stored = [raw.save(client.get(f"kpi/{kpi_list}"), f"kolada-kpi-{kpi_list}.json")]
    for block in chunks(year_list(years), KOLADA_YEARS_PER_REQUEST):
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
            body = json_body(response)
            url = (body.get("next_page") or body.get("next_url")) if isinstance(body, dict) else None
            params, page = None, page + 1  # the next-page URL carries its own parameters
    return stored
