"""Compile the default data: ../shared/data/facts/*.csv → harmonized tidy tables in data/tables/, citation kept on every row."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from tillit.catalog import load_catalog, publisher_of, repo_root, vocab
from tillit.errors import DataError
from tillit.links import UnsafeUrl, check_url

COMPILERS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {}


def compiler(table: str):
    def register(func):
        COMPILERS[table] = func
        return func

    return register


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
        raise _fail(row, column, f"no mapping for {row[column]!r}; add it in tillit/facts.py") from None


def with_provenance(rows: list[dict], source: pd.DataFrame, index: list) -> pd.DataFrame:
    """Attach the citation columns of the facts rows `index` to the compiled rows."""
    out = pd.DataFrame(rows)
    src = source.loc[index].reset_index(drop=True)
    out["source_publisher"] = [publisher_of(t) for t in src["source_title"]]
    out["source_title"] = src["source_title"]
    for i, url in enumerate(src["source_url"]):
        try:
            check_url(url)
        except UnsafeUrl as err:
            raise _fail(src.iloc[i], "source_url", str(err)) from None
    out["source_url"] = src["source_url"]
    out["source_type"] = src["source_type"]
    out["quote"] = src.get("quote", pd.Series([""] * len(src)))
    out["note"] = src["note"] if "note" in src else src.get("notes", "")
    out["source_ref"] = [f"facts/{f}:{n}" for f, n in zip(src["_file"], src["_line"])]
    return out


def _compile_rows(facts: pd.DataFrame, make_row: Callable[[pd.Series], dict | None]) -> pd.DataFrame:
    rows, index = [], []
    for i, row in facts.iterrows():
        made = make_row(row)
        if made is not None:
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
    def row(r):
        if r["unit"] not in _SJUKLON_MEASURES:
            return None
        return {"period": _quarter(r["period"]), "sector": _lookup(r, "group", "sector"),
                "measure": _SJUKLON_MEASURES[r["unit"]], "value": _number(r)}

    return _compile_rows(facts, row)


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
    return _compile_rows(facts, lambda r: {
        "period": r["period"], "region_code": _lookup(r, "lan", "region"), "value": _number(r)})


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


_AF_NAME = [re.compile(r"yrkesverksamma (.+?) i Sverige"), re.compile(r"^Bedömningen för (.+?) är en samlad bedömning")]


def occupation_from_ingress(text: str) -> str | None:
    """The occupation named in an Arbetsförmedlingen Yrkesprognos ingress ("Det finns cirka N yrkesverksamma X i Sverige")."""
    for pattern in _AF_NAME:
        m = pattern.search(text)
        if m:
            name = m[1].strip()
            return name[:1].upper() + name[1:]
    return None


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


def compile_table(name: str, facts_dir: Path | None = None) -> pd.DataFrame:
    table = load_catalog()[name]
    facts = read_facts((facts_dir or default_facts_dir()) / table.facts)
    frame = COMPILERS[name](facts)[list(table.columns)]
    return frame.astype(object).where(frame.ne("") & frame.notna(), None)  # an empty cell is a missing value
