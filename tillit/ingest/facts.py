"""Compile the default data: ../shared/data/facts/*.csv → harmonized tidy tables in data/tables/, citation kept on every row."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from tillit.tables.catalog import load_catalog, publisher_of, vocab
from tillit.core.files import repo_root
from tillit.core.errors import DataError
from tillit.ingest.af import occupation_from_ingress
from tillit.core.links import UnsafeUrl, check_url

COMPILERS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {}
# compilers for a table's further facts files (catalog `facts: [first.csv, second.csv]`), by (table, file)
FILE_COMPILERS: dict[tuple[str, str], Callable[[pd.DataFrame], pd.DataFrame]] = {}
OVERLAP_TABLE = "kalloverlapp"


def compiler(table: str, facts_file: str | None = None):
    def register(func):
        if facts_file is None:
            COMPILERS[table] = func
        else:
            FILE_COMPILERS[(table, facts_file)] = func
        return func

    return register


class Skip:
    """What a row compiler returns for a facts row it deliberately leaves out, with the reason (reported, never silent)."""

    def __init__(self, reason: str):
        self.reason = reason


def default_facts_dir() -> Path:
    return repo_root().parent / "shared" / "data" / "facts"


def read_facts(path: Path) -> pd.DataFrame:
    """A facts CSV as text columns, with `_line` = the row's line number in the file (header is line 1)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["_line"] = range(2, len(frame) + 2)
    frame["_file"] = path.name
    return frame


def _fail(row: pd.Series, column: str, message: str) -> DataError:
    return DataError(f"facts/{row['_file']}", int(row["_line"]), column, message)


def _lookup(row: pd.Series, column: str, kind: str) -> str:
    try:
        return vocab(kind).code(row[column])
    except KeyError as err:
        raise _fail(row, column, str(err.args[0])) from None


def _number(row: pd.Series, column: str = "value") -> float | None:
    text = row[column].strip()
    if text == "":
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise _fail(row, column, f"not a number: {text!r}") from None


def _mapped(row: pd.Series, column: str, mapping: dict):
    try:
        return mapping[row[column]]
    except KeyError:
        raise _fail(row, column, f"no mapping for {row[column]!r}; add it in tillit/ingest/facts.py") from None


_URL_REMARK = re.compile(r"^(\S+)\s+\((.+)\)$")
_STORED_COPY = re.compile(r"stored copy at host (\S+), same path", re.I)


def url_and_remark(text: str) -> tuple[str, str]:
    """A facts file's source address and the collector's remark after it, in Swedish:
    'https://a/b (stored copy at host x.se, same path)' → ('https://a/b', 'sparad kopia på x.se, samma sökväg')."""
    match = _URL_REMARK.match(str(text).strip())
    if not match:
        return str(text).strip(), ""
    remark = _STORED_COPY.sub(lambda m: f"sparad kopia på {m.group(1)}, samma sökväg", match.group(2))
    return match.group(1), remark


def with_provenance(rows: list[dict], source: pd.DataFrame, index: list) -> pd.DataFrame:
    """Attach the citation columns of the facts rows `index` to the compiled rows (and `_value_text`, the value as
    written in the facts file, which the overlap rule reads for precision)."""
    out = pd.DataFrame(rows)
    src = source.loc[index].reset_index(drop=True)
    if out.empty:
        out = pd.DataFrame(index=src.index)
    out["_value_text"] = src["value"] if "value" in src else ""
    out["source_publisher"] = [publisher_of(t) for t in src["source_title"]]
    out["source_title"] = src["source_title"]
    urls, remarks = zip(*(url_and_remark(u) for u in src["source_url"])) if len(src) else ((), ())
    for i, url in enumerate(urls):
        try:
            check_url(url)
        except UnsafeUrl as err:
            raise _fail(src.iloc[i], "source_url", str(err)) from None
    out["source_url"] = list(urls)
    out["source_type"] = src["source_type"]
    out["quote"] = src.get("quote", pd.Series([""] * len(src)))
    notes = src["note"] if "note" in src else src.get("notes", pd.Series([""] * len(src)))
    out["note"] = ["; ".join(p for p in (str(n) if isinstance(n, str) else "", r) if p)
                   for n, r in zip(notes.reset_index(drop=True), remarks)]
    out["source_ref"] = [f"facts/{f}:{n}" for f, n in zip(src["_file"], src["_line"])]
    return out


LEFT_OUT: list[str] = []   # facts rows a compiler left out on purpose, with the reason (printed by compile-facts)


def _compile_rows(facts: pd.DataFrame, make_row: Callable[[pd.Series], dict | Skip | None]) -> pd.DataFrame:
    """One compiled row per facts row; None = the row belongs to another table of the same file; Skip = left out."""
    rows, index = [], []
    for i, row in facts.iterrows():
        made = make_row(row)
        if isinstance(made, Skip):
            LEFT_OUT.append(f"facts/{row['_file']}:{row['_line']}: left out: {made.reason}")
        elif made is not None:
            rows.append(made)
            index.append(i)
    return with_provenance(rows, facts, index)


# --- one compiler per table ------------------------------------------------------------------------------------

_SECTOR_MEASURES = {
    # measure text in the facts file → (measure, series, unit, sex)
    "sjukfranvaro_totalt": ("sjukfranvaro_pct", "arbetsgivarverket", "procent av arbetstiden", "T"),
    "dag_1_14_sjuklon": ("sjukfranvaro_dag_1_14_pct", "arbetsgivarverket", "procent av arbetstiden", "T"),
    "dag_15_plus": ("sjukfranvaro_dag_15_plus_pct", "arbetsgivarverket", "procent av arbetstiden", "T"),
    "varav_dag_60_plus": ("sjukfranvaro_dag_60_plus_pct", "arbetsgivarverket", "procent av arbetstiden", "T"),
    "sjukdagar_totalt": ("sjukdagar_per_anstalld", "arbetsgivarverket", "dagar per anställd och år", "T"),
    "sjuklonedagar": ("sjuklonedagar_per_anstalld", "arbetsgivarverket", "dagar per anställd och år", "T"),
    "sjukpenningdagar": ("sjukpenningdagar_per_anstalld", "arbetsgivarverket", "dagar per anställd och år", "T"),
    "andel": ("sjukfranvaro_pct", "arbetsgivarverket", "procent av arbetstiden", "T"),
    "total sjukfrånvaro, % av ordinarie arbetstid (obligatorisk sjukfrånvaroredovisning)": (
        "sjukfranvaro_pct", "skr_sjukfranvaroredovisning", "procent av arbetstiden", "T"),
    "total sjukfrånvaro, % av ordinarie arbetstid": (
        "sjukfranvaro_pct", "skr_sjukfranvaroredovisning", "procent av arbetstiden", "T"),
    "långtidssjukfrånvaro (>=60 dagar) som % av total sjukfrånvarotid": (
        "langtid_andel_pct", "skr_sjukfranvaroredovisning", "procent av sjukfrånvaron", "T"),
    "sjukfrånvaro kvinnor, %": ("sjukfranvaro_pct", "skr_sjukfranvaroredovisning", "procent av arbetstiden", "K"),
    "sjukfrånvaro män, %": ("sjukfranvaro_pct", "skr_sjukfranvaroredovisning", "procent av arbetstiden", "M"),
    "total sjukfrånvaro, % av tillgänglig arbetstid (Statskontoret)": (
        "sjukfranvaro_pct", "statskontoret", "procent av arbetstiden", "T"),
    "långtidssjukfrånvaro >60 dagar, % av total": ("langtid_andel_pct", "statskontoret", "procent av sjukfrånvaron", "T"),
    "sjukfrånvaro, % av ordinarie arbetstid": ("sjukfranvaro_pct", "oppna_jamforelser_563", "procent av arbetstiden", "T"),
}


@compiler("sjukfranvaro_sektor")
def compile_sjukfranvaro_sektor(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        measure, series, unit, sex = _mapped(r, "measure", _SECTOR_MEASURES)
        return {"period": int(r["period"]), "sector": _lookup(r, "sector", "sector"), "sex": sex, "series": series,
                "measure": measure, "value": _number(r), "unit": unit}

    return _compile_rows(facts, row)


@compiler("sjukfranvaro_landsting")
def compile_sjukfranvaro_landsting(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": int(r["period"]), "region_code": _lookup(r, "region_code", "region"),
        "sex": _lookup(r, "sex", "sex"), "value": _number(r)})


_KOMMUN_MEASURES = {
    "sjukfrånvaro total, % (nyckeltal 1)": "sjukfranvaro_pct",
    "långtidssjukfrånvaro >=60 d, % av total (nyckeltal 2)": "langtid_andel_pct",
    "personalomsättning inkl pension, % (avgångar på egen begäran / tillsvidareanställda)": "omsattning_inkl_pension_pct",
    "personalomsättning exkl pension, %": "omsattning_exkl_pension_pct",
}


@compiler("personalnyckeltal_kommun")
def compile_personalnyckeltal_kommun(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": int(r["period"]), "kommun_code": _lookup(r, "kommun", "kommun"),
        "measure": _mapped(r, "measure", _KOMMUN_MEASURES), "value": _number(r)})


# SSYK codes only where the bristindex source names the same occupation under one code.
_OCCUPATION_SSYK = {"Förskollärare": "2343"}


@compiler("sjukfall_yrke")
def compile_sjukfall_yrke(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["unit"] != "per 1000":
            return None
        return {"period": int(r["period"]), "occupation": r["group"], "ssyk": _OCCUPATION_SSYK.get(r["group"]),
                "value": _number(r)}

    return _compile_rows(facts, row)


_SJUKLON_MEASURES = {
    "days/employee/quarter": "sjukdagar_per_anstalld_kvartal",
    "cases/employee/quarter": "sjukfall_per_anstalld_kvartal",
}


def _quarter(text: str) -> str:
    m = re.fullmatch(r"(\d{4})\s*[QK](\d)", text.strip())
    if not m:
        raise ValueError(text)
    return f"{m[1]}K{m[2]}"


@compiler("sjuklon_sektor")
def compile_sjuklon_sektor(facts: pd.DataFrame) -> pd.DataFrame:
    """SCB KSju 2021–2022 (the facts file listed first); the 2009–2010 press figures: compile_sjuklon_sektor_press."""
    return _compile_rows(facts, lambda r: {
        "period": _quarter(r["period"]), "sector": _lookup(r, "sector", "sector"), "sex": _lookup(r, "sex", "sex"),
        "measure": _mapped(r, "measure", _KSJU_MEASURES), "value": _number(r)})


@compiler("sjukfall_sektor_scb")
def compile_sjukfall_sektor_scb(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        margin = re.search(r"felmarginal ±\s*([\d\s]+)", r["note"])
        return {"period": _quarter(r["period"]), "sector": _lookup(r, "sektor", "sector"), "sex": _lookup(r, "sex", "sex"),
                "value": _number(r), "margin": float(margin[1].replace(" ", "")) if margin else None}

    return _compile_rows(facts, row)


_DIAGNOSIS_STATUS = {"": "värde", "noll/ej tillämpligt (-)": "noll", "undertryckt (..)": "undertryckt"}


@compiler("sjukfall_diagnos")
def compile_sjukfall_diagnos(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        status = _mapped(r, "note", _DIAGNOSIS_STATUS)
        value = _number(r)
        if status == "noll" and value is None:
            value = 0.0
        period = _quarter(r["period"])
        return {"period": period, "year": int(period[:4]), "quarter": int(period[-1]),
                "diagnosis_code": r["diagnosis_code"], "diagnosis": r["diagnosis_text_as_published"],
                "sex": _lookup(r, "sex", "sex"), "value": value, "status": status}

    return resolve_repeated_keys(_compile_rows(facts, row), ["period", "diagnosis_code", "sex"])


def resolve_repeated_keys(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Rows the publisher repeats: identical repeats keep the first; repeats with different values keep one row
    with no value, status 'motstridig' and a note listing the published values and their lines."""
    keep = []
    for _, group in frame.groupby(key, sort=False, dropna=False):
        first = group.iloc[0].copy()
        values = group["value"].dropna().unique()
        if len(group) > 1 and len(values) > 1:
            listed = "; ".join(f"{v:g} ({ref})" for v, ref in zip(group["value"], group["source_ref"]))
            first["value"] = None
            first["status"] = "motstridig"
            first["note"] = f"källan anger olika värden för samma kvartal, diagnos och kön: {listed}"
        keep.append(first)
    return pd.DataFrame(keep).reset_index(drop=True)


@compiler("sjukpenningtal_lan")
def compile_sjukpenningtal_lan(facts: pd.DataFrame) -> pd.DataFrame:
    """Regionfakta/Försäkringskassan 2008–2022 by sex (listed first); December 2015: compile_sjukpenningtal_lan_2015."""
    def row(r):
        if not r["measure"].startswith("sjukpenningtal"):
            raise _fail(r, "measure", f"expected sjukpenningtal, found {r['measure']!r}")
        return {"period": r["period"], "region_code": _lookup(r, "region_code", "region"),
                "sex": _lookup(r, "sex", "sex"), "value": _number(r)}

    return _compile_rows(facts, row)


@compiler("personalomsattning")
def compile_personalomsattning(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": r["period"], "scope": r["scope"], "measure": r["measure"], "value": _number(r)})


_NURSE_MEASURES = {
    "andel sjuksköterskor som slutade (inkl. pensionsavgångar)": ("slutat_inkl_pension_pct", "procent"),
    "sjuksköterskor som slutade per 100 anställda (exkl. pensionsavgångar)": ("slutat_exkl_pension_per_100", "per 100 anställda"),
}


@compiler("omsattning_sjukskoterskor")
def compile_omsattning_sjukskoterskor(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        measure, unit = _mapped(r, "measure", _NURSE_MEASURES)
        return {"period": int(r["period"]), "region_code": _lookup(r, "landsting", "region"), "measure": measure,
                "value": _number(r), "unit": unit}

    return _compile_rows(facts, row)




@compiler("bristindex")
def compile_bristindex(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        name = r["occupation"] or occupation_from_ingress(r["quote"])
        if not name:
            raise _fail(r, "quote", "no occupation name found in the ingress text")
        return {"period": int(r["period"]), "ssyk": r["ssyk"] or None, "occupation": name, "value": _number(r)}

    return _compile_rows(facts, row)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:60]


@compiler("ihp")
def compile_ihp(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": r["period"], "population": r["population"], "item": r["item"].strip('"'), "country": r["country"],
        "value": _number(r), "source_key": _slug(r["source_title"])})


_PATIENT_MEASURES = {
    "delaktighet och involvering (primärvård)": "delaktighet_involvering",
    "kontinuitet och koordinering (primärvård)": "kontinuitet_koordinering",
}


@compiler("patientenkat")
def compile_patientenkat(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": int(r["period"]), "region_code": _lookup(r, "region_code", "region"), "sex": _lookup(r, "sex", "sex"),
        "measure": _mapped(r, "measure", _PATIENT_MEASURES), "value": _number(r)})


@compiler("halsopersonal_oecd")
def compile_halsopersonal_oecd(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": r["period"], "country": r["country"], "measure": r["measure"], "value": _number(r), "unit": r["unit"]})


@compiler("tidsanvandning_socialsekreterare")
def compile_tidsanvandning(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": int(r["period"]), "study": r["population"], "activity": r["activity"], "value": _number(r)})


@compiler("inhyrd_personal")
def compile_inhyrd_personal(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": r["period"], "measure": r["measure"], "value": _number(r), "unit": r["unit"]})


# --- the facts added 2026-11-30 --------------------------------------------------------------------------------

_SECTOR_2016_2022 = {
    # measure text → (measure, series, unit)
    "sjukfrånvaro, total sjukfrånvarotid i % av sammanlagd ordinarie arbetstid (obligatorisk sjukfrånvaroredovisning, "
    "SKR sammanställning)": ("sjukfranvaro_pct", "skr_sjukfranvaroredovisning", "procent av arbetstiden"),
    "andel av sjukfrånvaron som avser sjukfrånvaro längre än 60 dagar": (
        "langtid_andel_pct", "skr_sjukfranvaroredovisning", "procent av sjukfrånvaron"),
    "sjukfrånvaro i statliga myndigheter, % av tillgänglig/ordinarie arbetstid (Statskontoret, myndigheternas "
    "årsredovisningar)": ("sjukfranvaro_pct", "statskontoret", "procent av arbetstiden"),
    "sjukfrånvaro i statliga myndigheter, % av tillgänglig/ordinarie arbetstid (Arbetsgivarverket rapport, Hermes + "
    "årsredovisningar; continues the Statskontoret series)": ("sjukfranvaro_pct", "statskontoret", "procent av arbetstiden"),
    "långtidsfrånvaro (mer än 60 dagar) som andel av total sjukfrånvaro, statliga myndigheter": (
        "langtid_andel_pct", "statskontoret", "procent av sjukfrånvaron"),
    "total sjukfrånvaro i staten, Arbetsgivarverkets tidsanvändningsstatistik (ca 80 % av statligt anställda)": (
        "sjukfranvaro_pct", "arbetsgivarverket", "procent av arbetstiden"),
    "sjukfrånvaro enligt SCB AKU, % av den tid de anställda skulle ha arbetat under mätveckan": (
        "sjukfranvaro_pct", "aku", "procent av arbetstiden"),
}
# sector text → (sector code, measure that replaces the mapped one, series that replaces it); None = left out
_SECTOR_2016_2022_GROUPS = {
    "kommuner": ("kommuner", None, None),
    "regioner": ("regioner", None, None),
    "regioner (landsting)": ("regioner", None, None),
    "staten": ("staten", None, None),
    "staten (myndigheter)": ("staten", None, None),
    "staten, sjukfall 2-5 arbetsdagar": ("staten", "sjukfranvaro_sjukfall_2_5_dagar_pct", None),
    "staten, sjukfall >20 dagar": ("staten", "sjukfranvaro_sjukfall_over_20_dagar_pct", None),
    "staten (AKU)": ("staten", None, "aku"),
    # Arbetsgivarverket's own table of the whole labour market is this AKU figure (the facts note: "matches the
    # Arbetsgivarverket table value 2019 = 3,5"), so it joins that series and shows up as an overlap
    "hela arbetsmarknaden (AKU)": ("arbetsmarknaden", None, "arbetsgivarverket"),
}


@compiler("sjukfranvaro_sektor", "sjukfranvaro_sektor_2016_2022.csv")
def compile_sjukfranvaro_sektor_2016_2022(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if "ålder" in r["sector"]:
            return Skip("an age group (sjukfranvaro_sektor has no age dimension)")
        measure, series, unit = _mapped(r, "measure", _SECTOR_2016_2022)
        sector, measure_override, series_override = _mapped(r, "sector", _SECTOR_2016_2022_GROUPS)
        return {"period": int(r["period"]), "sector": sector, "sex": _lookup(r, "sex", "sex"),
                "series": series_override or series, "measure": measure_override or measure, "value": _number(r),
                "unit": unit}

    return _compile_rows(facts, row)


@compiler("sjukfranvaro_landsting", "sjukfranvaro_region_2018_2021_press.csv")
def compile_sjukfranvaro_region_press(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": int(r["period"]), "region_code": _lookup(r, "region_code", "region"),
        "sex": _lookup(r, "sex", "sex"), "value": _number(r)})


@compiler("personalnyckeltal_kommun", "sjukfranvaro_kommun_linkoping.csv")
def compile_linkoping(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["measure"] != "sjukfrånvaro bland kommunens anställda" or _lookup(r, "sex", "sex") != "T":
            raise _fail(r, "measure", f"no mapping for {r['measure']!r} ({r['sex']}); add it in tillit/ingest/facts.py")
        return {"period": int(r["period"]), "kommun_code": _lookup(r, "kommun_code", "kommun"),
                "measure": "sjukfranvaro_pct", "value": _number(r)}

    return _compile_rows(facts, row)


_UNDATED = re.compile(r"^\d{4}\?$")
# the same occupation group named differently by two sources (word order only); the first name is the one kept
_OCCUPATION_SAME = {
    "Undersköterskor, hemtjänst, hemsjukvård och äldreboende": "Undersköterskor inom hemtjänst, hemsjukvård och äldreboende",
}


@compiler("sjukfall_yrke", "sjukfall_yrke_2014_2022.csv")
def compile_sjukfall_yrke_2014_2022(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if _UNDATED.match(r["period"]):
            return Skip(f"the source gives no year (period {r['period']!r})")
        if _lookup(r, "sex", "sex") != "T":
            return Skip("by sex (sjukfall_yrke holds totals only)")
        name = _OCCUPATION_SAME.get(r["occupation"], r["occupation"])
        return {"period": int(r["period"]), "occupation": name, "ssyk": r["ssyk"] or _OCCUPATION_SSYK.get(name),
                "value": _number(r)}

    return _compile_rows(facts, row)


@compiler("sjuklon_sektor", "sjukfall_yrke_sektor.csv")
def compile_sjuklon_sektor_press(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["unit"] not in _SJUKLON_MEASURES:
            return None
        return {"period": _quarter(r["period"]), "sector": _lookup(r, "group", "sector"), "sex": "T",
                "measure": _SJUKLON_MEASURES[r["unit"]], "value": _number(r)}

    return _compile_rows(facts, row)


_KSJU_MEASURES = {"antal sjukdagar per anställd under sjuklöneperioden (dag 1-14), kvartal": "sjukdagar_per_anstalld_kvartal"}


@compiler("sjukpenningtal_lan", "sjukpenningtal_lan.csv")
def compile_sjukpenningtal_lan_2015(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": r["period"], "region_code": _lookup(r, "lan", "region"), "sex": "T", "value": _number(r)})


@compiler("ihp", "ihp_sverige_2019_vardanalys.csv")
def compile_ihp_vardanalys_2019(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if not r["unit"].startswith("percent"):
            return Skip(f"not a share of respondents (unit {r['unit']!r}); the ihp table holds percentages")
        return {"period": r["period"], "population": r["population"], "item": r["item"], "country": r["country_name"],
                "value": _number(r), "source_key": _slug(r["source_title"])}

    return _compile_rows(facts, row)


_PRESS_PATIENT_ITEMS = {
    "Kontinuitet och koordinering": "kontinuitet_koordinering",
    "Respekt och bemötande": "respekt_bemotande",
    "Question: »får du träffa samma läkare vid dina besök på hälso-/vårdcentralen?« (Kontinuitet och koordinering)":
        "samma_lakare",
}


@compiler("patientenkat", "patientenkat_region_2015_press.csv")
def compile_patientenkat_press(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["item"] == "Helhetsintryck":
            return None   # → patientenkat_helhetsintryck
        return {"period": int(r["period"]), "region_code": _lookup(r, "region_code", "region"), "sex": "T",
                "measure": _mapped(r, "item", _PRESS_PATIENT_ITEMS), "value": _number(r)}

    return _compile_rows(facts, row)


_WHO_MEASURES = {"medical_doctors_per_10000": ("lakare", "HWF_0001"),
                 "nursing_midwifery_personnel_per_10000": ("sjukskoterskor_barnmorskor", "HWF_0006")}


def series_break_flag(note: str) -> str | None:
    """'seriebrott' where the collector's note flags a break in the series."""
    return "seriebrott" if re.search(r"series break", note or "", re.I) else None


@compiler("halsopersonal_who")
def compile_halsopersonal_who(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["unit"] != "per 10 000 population":
            raise _fail(r, "unit", f"expected 'per 10 000 population', found {r['unit']!r}")
        measure, indicator = _mapped(r, "measure", _WHO_MEASURES)
        return {"period": int(r["period"]), "country_code": _lookup(r, "country_iso3", "country"), "measure": measure,
                "indicator": indicator, "value": _number(r), "flag": series_break_flag(r["note"])}

    return _compile_rows(facts, row)


def _survey_round(year: int) -> str:
    # Kolada's description (facts note): national surveys every second (odd) year, even years regional measurements
    return "nationell" if year % 2 else "regional"


@compiler("patientenkat_helhetsintryck")
def compile_helhetsintryck(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if not r["measure"].startswith("Kolada KPI U71451"):
            raise _fail(r, "measure", f"expected Kolada KPI U71451, found {r['measure']!r}")
        year = int(r["period"])
        return {"period": year, "region_code": _lookup(r, "region_code", "region"), "measurement": _survey_round(year),
                "value": _number(r)}

    return _compile_rows(facts, row)


@compiler("patientenkat_helhetsintryck", "patientenkat_region_2015_press.csv")
def compile_helhetsintryck_press(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["item"] != "Helhetsintryck":
            return None   # → patientenkat
        year = int(r["period"])
        return {"period": year, "region_code": _lookup(r, "region_code", "region"), "measurement": _survey_round(year),
                "value": _number(r)}

    return _compile_rows(facts, row)


_LONG_CASES = {
    "pågående sjukfall med sjuk- eller rehabiliteringspenning längre än 60 dagar, antal": ("antal_over_60_dagar", "antal"),
    "därav längre än 365 dagar, antal": ("antal_over_365_dagar", "antal"),
    "pågående sjukfall längre än 60 dagar per 1000 av befolkningen 16-64 år": (
        "per_1000_over_60_dagar", "per 1 000 invånare 16–64 år"),
    "pågående sjukfall längre än 365 dagar per 1000 av befolkningen 16-64 år": (
        "per_1000_over_365_dagar", "per 1 000 invånare 16–64 år"),
}


@compiler("langa_sjukfall_lan")
def compile_langa_sjukfall(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        measure, unit = _mapped(r, "measure", _LONG_CASES)
        return {"period": r["period"], "region_code": _lookup(r, "region_code", "region"), "measure": measure,
                "value": _number(r), "unit": unit}

    return _compile_rows(facts, row)


@compiler("ohalsotal_lan")
def compile_ohalsotal(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if not r["measure"].startswith("ohälsotal"):
            raise _fail(r, "measure", f"expected ohälsotal, found {r['measure']!r}")
        return {"period": int(r["period"]), "region_code": _lookup(r, "region_code", "region"), "value": _number(r)}

    return _compile_rows(facts, row)


_HIRED_MEASURES = {
    "kostnad för inhyrd personal i hälso- och sjukvården (SKR uppföljning), alla regioner": "kostnad",
    "kostnad för inhyrd personal i hälso- och sjukvården": "kostnad",
    "kostnad för inhyrd personal": "kostnad",
    "andel av kostnaden för inhyrd sjukvårdspersonal": "andel_av_hyrkostnaden",
    "andel av de totala hyrkostnaderna": "andel_av_hyrkostnaden",
    "inhyrda läkares andel av hyrkostnaderna": "andel_av_hyrkostnaden",
    "kostnad för inhyrd personal i % av regionernas egna personalkostnader": "andel_av_egna_personalkostnader",
    "kostnad för inhyrd personal i % av regionernas totala personalkostnader": "andel_av_totala_personalkostnader",
    "förändring i kostnad jämfört med föregående år": "forandring_mot_foregaende_ar",
    "förändring i kostnad för inhyrd personal jämfört med föregående år": "forandring_mot_foregaende_ar",
    "ökning av kostnad för inhyrd personal jämfört med 2015": "forandring_mot_foregaende_ar",
    "förändring i kostnad för inhyrd personal jämfört med samma period föregående år":
        "forandring_mot_samma_period_aret_fore",
    "ökning av kostnad för inhyrd personal jämfört med samma kvartal året före": "forandring_mot_samma_period_aret_fore",
}
_HIRED_UNITS = {"billion SEK": "miljarder kronor", "million SEK": "miljoner kronor", "percent": "procent",
                "miljarder kronor": "miljarder kronor", "miljoner kronor": "miljoner kronor", "procent": "procent"}
_HIRED_GROUPS = {"all": "alla", "läkare": "läkare", "sjuksköterskor": "sjuksköterskor"}


@compiler("inhyrd_personal_regioner")
def compile_inhyrd_personal_regioner(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": r["period"], "region_code": _lookup(r, "region_code", "region"),
        "staff_group": _mapped(r, "staff_group", _HIRED_GROUPS), "measure": _mapped(r, "measure", _HIRED_MEASURES),
        "value": _number(r), "unit": _mapped(r, "unit", _HIRED_UNITS)})


@compiler("inhyrd_personal_regioner", "inhyrd_personal.csv")
def compile_inhyrd_personal_2016_2017(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["scope"] != "landsting och regioner":
            raise _fail(r, "scope", f"no mapping for {r['scope']!r}; add it in tillit/ingest/facts.py")
        return {"period": r["period"], "region_code": "00",
                "staff_group": "läkare" if r["measure"].startswith("inhyrda läkares") else "alla",
                "measure": _mapped(r, "measure", _HIRED_MEASURES), "value": _number(r),
                "unit": _mapped(r, "unit", _HIRED_UNITS)}

    return _compile_rows(facts, row)


@compiler("arbetskraftsbarometern")
def compile_arbetskraftsbarometern(facts: pd.DataFrame) -> pd.DataFrame:
    return _compile_rows(facts, lambda r: {
        "period": int(r["period"]), "education_group": r["education_group"], "value": _number(r),
        "bound": "mer än" if "LOWER BOUND" in r["unit"] else None})


# --- several facts rows for one cell ---------------------------------------------------------------------------

def _decimals(text) -> int:
    text = str(text or "").strip().replace(",", ".")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _same_value(a, b, decimals_a: int, decimals_b: int) -> str:
    """'samma värde', 'samma värde avrundat' (the more precise rounds to the other) or 'olika värden'."""
    if pd.isna(a) and pd.isna(b):
        return "samma värde"
    if pd.isna(a) or pd.isna(b):
        return "olika värden"
    if abs(float(a) - float(b)) < 1e-9:
        return "samma värde"
    coarse = min(decimals_a, decimals_b)
    if abs(round(float(a), coarse) - round(float(b), coarse)) < 1e-9:
        return "samma värde avrundat"
    return "olika värden"


def _number_text(value) -> str:
    from tillit.core.swedish import fixed as number

    if pd.isna(value):
        return "inget värde"
    return number(float(value), max(0, _decimals(f"{float(value):g}")))


def _reason(used: pd.Series, alt: pd.Series, files: list[str]) -> str:
    if used["source_type"] == "primary" and alt["source_type"] != "primary":
        return (f"Boken använder utgivarens egen siffra ({used['source_publisher']}, primärkälla) framför "
                f"återgivningen ({alt['source_publisher']}, sekundärkälla).")
    if _decimals(used["_value_text"]) > _decimals(alt["_value_text"]):
        return "Boken använder den mer precisa siffran (fler decimaler)."
    used_file, alt_file = used["source_ref"].split(":")[0], alt["source_ref"].split(":")[0]
    if used_file != alt_file:
        return (f"Lika precisa källor av samma slag: boken använder {used_file}, som står först bland tabellens "
                f"källfiler i katalogen.")
    return "Samma källfil anger cellen två gånger: boken använder raden som står först."


def _cell_text(row: pd.Series, key: list[str]) -> str:
    return ", ".join(f"{k}={'' if pd.isna(row[k]) else row[k]}" for k in key)


def resolve_overlaps(frame: pd.DataFrame, table_name: str, key: list[str], files: list[str]) -> tuple[pd.DataFrame, list[dict]]:
    """One row per key. Where several facts rows give the same cell, rank them (primary before secondary, more
    decimals before fewer, facts file listed first, line first), keep the first and return the others as overlap
    records with the outcome and the reason. A used value that another source contradicts gets a note saying so."""
    if frame.empty or not key:
        return frame, []
    frame = frame.reset_index(drop=True)
    frame["_file_rank"] = [files.index(ref.split(":")[0].removeprefix("facts/")) if ref.split(":")[0].removeprefix("facts/") in files
                           else len(files) for ref in frame["source_ref"]]
    frame["_line"] = [int(ref.rsplit(":", 1)[1]) if ref.rsplit(":", 1)[-1].isdigit() else 0 for ref in frame["source_ref"]]
    frame["_rank_type"] = (frame["source_type"] != "primary").astype(int)
    frame["_rank_decimals"] = [-_decimals(t) for t in frame["_value_text"]]
    keys = frame[key].astype(object).where(frame[key].notna(), "\x00").astype(str).agg("\x1f".join, axis=1)
    repeated = keys.duplicated(keep=False)
    if not repeated.any():
        return frame, []
    keep = pd.Series(True, index=frame.index)
    overlaps = []
    for _, group in frame[repeated].groupby(keys[repeated], sort=False):
        ranked = group.sort_values(["_rank_type", "_rank_decimals", "_file_rank", "_line"], kind="stable")
        used = ranked.iloc[0]
        contradicted = []
        for i, alt in ranked.iloc[1:].iterrows():
            keep[i] = False
            outcome = _same_value(used["value"], alt["value"], _decimals(used["_value_text"]), _decimals(alt["_value_text"]))
            if outcome == "olika värden":
                contradicted.append(f"{_number_text(alt['value'])} ({alt['source_publisher']}, {alt['source_ref']})")
            overlaps.append({
                "table_name": table_name, "cell": _cell_text(used, key), "alternative_ref": alt["source_ref"],
                "value": alt["value"], "used_value": used["value"], "used_ref": used["source_ref"],
                "outcome": outcome, "reason": _reason(used, alt, files),
                **{c: alt[c] for c in ("source_publisher", "source_title", "source_url", "source_type", "quote", "note",
                                       "source_ref")}})
        if contradicted:
            note = used["note"] if isinstance(used["note"], str) and used["note"] else ""
            remark = "Annan källa anger " + "; ".join(contradicted) + " (se tabellen kalloverlapp)."
            frame.at[used.name, "note"] = f"{note} | {remark}" if note else remark
    return frame[keep].reset_index(drop=True), overlaps


def _compile_one(name: str, facts_dir: Path) -> tuple[pd.DataFrame, list[dict]]:
    table = load_catalog()[name]
    parts = []
    for file in table.facts:
        make = FILE_COMPILERS.get((name, file), COMPILERS[name])
        parts.append(make(read_facts(facts_dir / file)))
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    frame, overlaps = resolve_overlaps(frame, name, table.key, list(table.facts))
    frame = frame[list(table.columns)]
    return frame.astype(object).where(frame.ne("") & frame.notna(), None), overlaps  # empty cell = missing value


def compile_overlaps(facts_dir: Path | None = None) -> pd.DataFrame:
    """The table kalloverlapp: every value a table does not use because another source gives the same cell."""
    catalog = load_catalog()
    rows = []
    for name, table in catalog.tables.items():
        if table.facts:
            rows.extend(_compile_one(name, facts_dir or default_facts_dir())[1])
    columns = list(catalog[OVERLAP_TABLE].columns)
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(object).where(frame.ne("") & frame.notna(), None)


COMPILERS[OVERLAP_TABLE] = lambda facts: compile_overlaps()   # computed from the other tables, not from one file


def _no_facts(name: str) -> pd.DataFrame:
    return pd.DataFrame(columns=list(load_catalog()[name].columns), dtype=object)


COMPILERS["personal_region"] = lambda facts: _no_facts("personal_region")   # filled by `tillit refresh` only


def compile_table(name: str, facts_dir: Path | None = None) -> pd.DataFrame:
    if name == OVERLAP_TABLE:
        return compile_overlaps(facts_dir)
    if not load_catalog()[name].facts:
        return COMPILERS[name](None)
    return _compile_one(name, facts_dir or default_facts_dir())[0]
