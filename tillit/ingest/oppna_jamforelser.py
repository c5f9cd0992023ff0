"""Öppna jämförelser data lists (Socialstyrelsen/SKL, ';'-separated, cp1252) → sjukfranvaro_landsting and patientenkat."""
from __future__ import annotations

from tillit.core.errors import DataError
from tillit.ingest.parsed import Context, NoTableFits, Parsed
from tillit.ingest.reading import decode, read_delimited
from tillit.ingest.cells import clean, label, lookup, number, parse_period

PUBLISHER = "Socialstyrelsen och SKL"
COLUMNS = ("ind_id", "nr_rapp", "question", "name_short", "name_long", "type", "sourse", "geo_cat", "cat_type",
           "cat_code", "aim_direction", "period_order", "period", "sex_all", "comment", "value", "n", "ci_low", "ci_high")
REQUIRED = ("ind_id", "cat_type", "cat_code", "period", "sex_all", "value")
RIKET_CODES = {"46", "0", "00"}   # the data list codes the whole country 46 (geo_cat RIKET)

# indicator → (table, measure or None, title as in the default data)
INDICATORS = {
    "563": ("sjukfranvaro_landsting", None,
            "Socialstyrelsen/SKL: Öppna jämförelser – En god vård? datalista (indikator 563, källa angiven: "
            "Sveriges Kommuner och Landsting)"),
    "567": ("patientenkat", "kontinuitet_koordinering",
            "Socialstyrelsen/SKL: Öppna jämförelser – En god vård? datalista (indikator 567, källa angiven: "
            "Nationell Patientenkät, Sveriges Kommuner och Landsting)"),
    "568": ("patientenkat", "delaktighet_involvering",
            "Socialstyrelsen/SKL: Öppna jämförelser – En god vård? datalista (indikator 568, källa angiven: "
            "Nationell Patientenkät, Sveriges Kommuner och Landsting)"),
}
_NOTES = {
    "sjukfranvaro_landsting": "regionkod = länskod i datalistan (cat_code); Riket = 00",
    "patientenkat": "andel patienter, sammanvägning av flera enkätfrågor; regionkod = länskod i datalistan (cat_code); "
                    "Riket = 00",
}


def looks_like(header_line: str) -> bool:
    names = {h.strip().strip('"').casefold() for h in header_line.replace(",", ";").split(";")}
    return {"ind_id", "cat_code", "sex_all"} <= names


def parse(raw: bytes, ctx: Context) -> Parsed:
    file = ctx.file
    text = decode(raw, file, ("utf-8", "cp1252"), sep=";")
    table = read_delimited(text, file, sep=";", required=REQUIRED, known=COLUMNS)
    col = {h: i for i, h in enumerate(table.header)}
    parsed = Parsed(format="oj-datalista", publisher=PUBLISHER)
    rows: dict[str, list[dict]] = {}
    other: dict[str, int] = {}

    def cell(fields, name):
        return fields[col[name]] if name in col else ""

    for line, fields in table.rows:
        indicator = clean(cell(fields, "ind_id"))
        if indicator not in INDICATORS:
            other[indicator] = other.get(indicator, 0) + 1
            continue
        target, measure, title = INDICATORS[indicator]
        if ctx.table and ctx.table != target:
            continue
        cat_type = clean(cell(fields, "cat_type")).upper()
        if cat_type not in ("LAN", "RR"):
            parsed.skip(f"cat_type {cat_type} (not län)")
            continue
        code = clean(cell(fields, "cat_code"))
        region = "00" if code in RIKET_CODES or cat_type == "RR" else code.zfill(2) if code.isdigit() else code
        region = lookup("region", region, file, line, "cat_code")
        p_text = cell(fields, "period")
        try:
            p = parse_period(p_text)
        except ValueError as err:
            raise DataError(file, line, "period", str(err)) from None
        if p.kind != "year":
            raise DataError(file, line, "period", f"period {p.text!r} is a {p.kind}; {target} holds single years "
                            "(period ranges like 2015-2017 have no place in it)")
        sex = lookup("sex", cell(fields, "sex_all"), file, line, "sex_all")
        value, marker = number(cell(fields, "value"), file, line, "value")
        comment = label(cell(fields, "comment"), file, line, "comment") if "comment" in col else ""
        for name in ("n", "ci_low", "ci_high"):
            if name in col:
                number(cell(fields, name), file, line, name)
        for name in ("question", "name_short", "name_long", "geo_cat", "sourse", "type"):
            if name in col:
                label(cell(fields, name), file, line, name)
        if value is None:
            parsed.skip(f"no value{' (' + comment + ')' if comment else ''}")
            continue
        row = {"period": int(p.text), "region_code": region, "sex": sex, "value": value}
        if measure:
            row["measure"] = measure
        note = _NOTES[target] + (f"; kommentar i datalistan: {comment}" if comment else "")
        row.update(source_publisher=PUBLISHER, source_title=ctx.source_title or title, source_url=ctx.source_url,
                   source_type="primary", quote=None, note=note, _line=line)
        rows.setdefault(target, []).append(row)
    for target, table_rows in rows.items():
        parsed.add(target, table_rows, {"period": "period", "region_code": "cat_code", "sex": "sex_all",
                                        "value": "value", "measure": "ind_id"})
    if other:
        parsed.notes.append(f"{sum(other.values())} rows of indicators without a table left out "
                            f"(indicators {', '.join(sorted(other, key=lambda x: (len(x), x)))})")
    if not parsed.tables:
        raise NoTableFits(file, None, "ind_id", "no catalog table fits the indicators in this data list "
                          f"({', '.join(sorted(other, key=lambda x: (len(x), x))) or 'none'}); indicators with a table: "
                          "563 → sjukfranvaro_landsting, 567 and 568 → patientenkat")
    return parsed
