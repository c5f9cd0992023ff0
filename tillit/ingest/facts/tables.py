"""One compiler per table of the default data: how a row of a facts file becomes a row of the table."""
from __future__ import annotations

import re

import pandas as pd

from tillit.ingest.af import occupation_from_ingress
from tillit.ingest.facts.compile import Skip, compile_rows, compiler, fail, lookup, mapped, number_cell

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
        measure, series, unit, sex = mapped(r, "measure", _SECTOR_MEASURES)
        return {"period": int(r["period"]), "sector": lookup(r, "sector", "sector"), "sex": sex, "series": series,
                "measure": measure, "value": number_cell(r), "unit": unit}

    return compile_rows(facts, row)


@compiler("sjukfranvaro_landsting")
def compile_sjukfranvaro_landsting(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": int(r["period"]), "region_code": lookup(r, "region_code", "region"),
        "sex": lookup(r, "sex", "sex"), "value": number_cell(r)})


_KOMMUN_MEASURES = {
    "sjukfrånvaro total, % (nyckeltal 1)": "sjukfranvaro_pct",
    "långtidssjukfrånvaro >=60 d, % av total (nyckeltal 2)": "langtid_andel_pct",
    "personalomsättning inkl pension, % (avgångar på egen begäran / tillsvidareanställda)": "omsattning_inkl_pension_pct",
    "personalomsättning exkl pension, %": "omsattning_exkl_pension_pct",
}


@compiler("personalnyckeltal_kommun")
def compile_personalnyckeltal_kommun(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": int(r["period"]), "kommun_code": lookup(r, "kommun", "kommun"),
        "measure": mapped(r, "measure", _KOMMUN_MEASURES), "value": number_cell(r)})


# SSYK codes only where the bristindex source names the same occupation under one code.
_OCCUPATION_SSYK = {"Förskollärare": "2343"}


@compiler("sjukfall_yrke")
def compile_sjukfall_yrke(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["unit"] != "per 1000":
            return None
        return {"period": int(r["period"]), "occupation": r["group"], "ssyk": _OCCUPATION_SSYK.get(r["group"]),
                "value": number_cell(r)}

    return compile_rows(facts, row)


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
    return compile_rows(facts, lambda r: {
        "period": _quarter(r["period"]), "sector": lookup(r, "sector", "sector"), "sex": lookup(r, "sex", "sex"),
        "measure": mapped(r, "measure", _KSJU_MEASURES), "value": number_cell(r)})


@compiler("sjukfall_sektor_scb")
def compile_sjukfall_sektor_scb(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        margin = re.search(r"felmarginal ±\s*([\d\s]+)", r["note"])
        return {"period": _quarter(r["period"]), "sector": lookup(r, "sektor", "sector"), "sex": lookup(r, "sex", "sex"),
                "value": number_cell(r), "margin": float(margin[1].replace(" ", "")) if margin else None}

    return compile_rows(facts, row)


_DIAGNOSIS_STATUS = {"": "värde", "noll/ej tillämpligt (-)": "noll", "undertryckt (..)": "undertryckt"}


@compiler("sjukfall_diagnos")
def compile_sjukfall_diagnos(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        status = mapped(r, "note", _DIAGNOSIS_STATUS)
        value = number_cell(r)
        if status == "noll" and value is None:
            value = 0.0
        period = _quarter(r["period"])
        return {"period": period, "year": int(period[:4]), "quarter": int(period[-1]),
                "diagnosis_code": r["diagnosis_code"], "diagnosis": r["diagnosis_text_as_published"],
                "sex": lookup(r, "sex", "sex"), "value": value, "status": status}

    return resolve_repeated_keys(compile_rows(facts, row), ["period", "diagnosis_code", "sex"])


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
            raise fail(r, "measure", f"expected sjukpenningtal, found {r['measure']!r}")
        return {"period": r["period"], "region_code": lookup(r, "region_code", "region"),
                "sex": lookup(r, "sex", "sex"), "value": number_cell(r)}

    return compile_rows(facts, row)


@compiler("personalomsattning")
def compile_personalomsattning(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": r["period"], "scope": r["scope"], "measure": r["measure"], "value": number_cell(r)})


_NURSE_MEASURES = {
    "andel sjuksköterskor som slutade (inkl. pensionsavgångar)": ("slutat_inkl_pension_pct", "procent"),
    "sjuksköterskor som slutade per 100 anställda (exkl. pensionsavgångar)": ("slutat_exkl_pension_per_100", "per 100 anställda"),
}


@compiler("omsattning_sjukskoterskor")
def compile_omsattning_sjukskoterskor(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        measure, unit = mapped(r, "measure", _NURSE_MEASURES)
        return {"period": int(r["period"]), "region_code": lookup(r, "landsting", "region"), "measure": measure,
                "value": number_cell(r), "unit": unit}

    return compile_rows(facts, row)




@compiler("bristindex")
def compile_bristindex(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        name = r["occupation"] or occupation_from_ingress(r["quote"])
        if not name:
            raise fail(r, "quote", "no occupation name found in the ingress text")
        return {"period": int(r["period"]), "ssyk": r["ssyk"] or None, "occupation": name, "value": number_cell(r)}

    return compile_rows(facts, row)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:60]


@compiler("ihp")
def compile_ihp(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": r["period"], "population": r["population"], "item": r["item"].strip('"'), "country": r["country"],
        "value": number_cell(r), "source_key": _slug(r["source_title"])})


_PATIENT_MEASURES = {
    "delaktighet och involvering (primärvård)": "delaktighet_involvering",
    "kontinuitet och koordinering (primärvård)": "kontinuitet_koordinering",
}


@compiler("patientenkat")
def compile_patientenkat(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": int(r["period"]), "region_code": lookup(r, "region_code", "region"), "sex": lookup(r, "sex", "sex"),
        "measure": mapped(r, "measure", _PATIENT_MEASURES), "value": number_cell(r)})


@compiler("halsopersonal_oecd")
def compile_halsopersonal_oecd(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": r["period"], "country": r["country"], "measure": r["measure"], "value": number_cell(r), "unit": r["unit"]})


@compiler("tidsanvandning_socialsekreterare")
def compile_tidsanvandning(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": int(r["period"]), "study": r["population"], "activity": r["activity"], "value": number_cell(r)})


@compiler("inhyrd_personal")
def compile_inhyrd_personal(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": r["period"], "measure": r["measure"], "value": number_cell(r), "unit": r["unit"]})


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
        measure, series, unit = mapped(r, "measure", _SECTOR_2016_2022)
        sector, measure_override, series_override = mapped(r, "sector", _SECTOR_2016_2022_GROUPS)
        return {"period": int(r["period"]), "sector": sector, "sex": lookup(r, "sex", "sex"),
                "series": series_override or series, "measure": measure_override or measure, "value": number_cell(r),
                "unit": unit}

    return compile_rows(facts, row)


@compiler("sjukfranvaro_landsting", "sjukfranvaro_region_2018_2021_press.csv")
def compile_sjukfranvaro_region_press(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": int(r["period"]), "region_code": lookup(r, "region_code", "region"),
        "sex": lookup(r, "sex", "sex"), "value": number_cell(r)})


@compiler("personalnyckeltal_kommun", "sjukfranvaro_kommun_linkoping.csv")
def compile_linkoping(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["measure"] != "sjukfrånvaro bland kommunens anställda" or lookup(r, "sex", "sex") != "T":
            raise fail(r, "measure", f"no mapping for {r['measure']!r} ({r['sex']}); add it in tillit/ingest/facts.py")
        return {"period": int(r["period"]), "kommun_code": lookup(r, "kommun_code", "kommun"),
                "measure": "sjukfranvaro_pct", "value": number_cell(r)}

    return compile_rows(facts, row)


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
        if lookup(r, "sex", "sex") != "T":
            return Skip("by sex (sjukfall_yrke holds totals only)")
        name = _OCCUPATION_SAME.get(r["occupation"], r["occupation"])
        return {"period": int(r["period"]), "occupation": name, "ssyk": r["ssyk"] or _OCCUPATION_SSYK.get(name),
                "value": number_cell(r)}

    return compile_rows(facts, row)


@compiler("sjuklon_sektor", "sjukfall_yrke_sektor.csv")
def compile_sjuklon_sektor_press(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["unit"] not in _SJUKLON_MEASURES:
            return None
        return {"period": _quarter(r["period"]), "sector": lookup(r, "group", "sector"), "sex": "T",
                "measure": _SJUKLON_MEASURES[r["unit"]], "value": number_cell(r)}

    return compile_rows(facts, row)


_KSJU_MEASURES = {"antal sjukdagar per anställd under sjuklöneperioden (dag 1-14), kvartal": "sjukdagar_per_anstalld_kvartal"}


@compiler("sjukpenningtal_lan", "sjukpenningtal_lan.csv")
def compile_sjukpenningtal_lan_2015(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": r["period"], "region_code": lookup(r, "lan", "region"), "sex": "T", "value": number_cell(r)})


@compiler("ihp", "ihp_sverige_2019_vardanalys.csv")
def compile_ihp_vardanalys_2019(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if not r["unit"].startswith("percent"):
            return Skip(f"not a share of respondents (unit {r['unit']!r}); the ihp table holds percentages")
        return {"period": r["period"], "population": r["population"], "item": r["item"], "country": r["country_name"],
                "value": number_cell(r), "source_key": _slug(r["source_title"])}

    return compile_rows(facts, row)


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
        return {"period": int(r["period"]), "region_code": lookup(r, "region_code", "region"), "sex": "T",
                "measure": mapped(r, "item", _PRESS_PATIENT_ITEMS), "value": number_cell(r)}

    return compile_rows(facts, row)


_WHO_MEASURES = {"medical_doctors_per_10000": ("lakare", "HWF_0001"),
                 "nursing_midwifery_personnel_per_10000": ("sjukskoterskor_barnmorskor", "HWF_0006")}


def series_break_flag(note: str) -> str | None:
    """'seriebrott' where the collector's note flags a break in the series."""
    return "seriebrott" if re.search(r"series break", note or "", re.I) else None


@compiler("halsopersonal_who")
def compile_halsopersonal_who(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["unit"] != "per 10 000 population":
            raise fail(r, "unit", f"expected 'per 10 000 population', found {r['unit']!r}")
        measure, indicator = mapped(r, "measure", _WHO_MEASURES)
        return {"period": int(r["period"]), "country_code": lookup(r, "country_iso3", "country"), "measure": measure,
                "indicator": indicator, "value": number_cell(r), "flag": series_break_flag(r["note"])}

    return compile_rows(facts, row)


def _survey_round(year: int) -> str:
    # Kolada's description (facts note): national surveys every second (odd) year, even years regional measurements
    return "nationell" if year % 2 else "regional"


@compiler("patientenkat_helhetsintryck")
def compile_helhetsintryck(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if not r["measure"].startswith("Kolada KPI U71451"):
            raise fail(r, "measure", f"expected Kolada KPI U71451, found {r['measure']!r}")
        year = int(r["period"])
        return {"period": year, "region_code": lookup(r, "region_code", "region"), "measurement": _survey_round(year),
                "value": number_cell(r)}

    return compile_rows(facts, row)


@compiler("patientenkat_helhetsintryck", "patientenkat_region_2015_press.csv")
def compile_helhetsintryck_press(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["item"] != "Helhetsintryck":
            return None   # → patientenkat
        year = int(r["period"])
        return {"period": year, "region_code": lookup(r, "region_code", "region"), "measurement": _survey_round(year),
                "value": number_cell(r)}

    return compile_rows(facts, row)


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
        measure, unit = mapped(r, "measure", _LONG_CASES)
        return {"period": r["period"], "region_code": lookup(r, "region_code", "region"), "measure": measure,
                "value": number_cell(r), "unit": unit}

    return compile_rows(facts, row)


@compiler("ohalsotal_lan")
def compile_ohalsotal(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if not r["measure"].startswith("ohälsotal"):
            raise fail(r, "measure", f"expected ohälsotal, found {r['measure']!r}")
        return {"period": int(r["period"]), "region_code": lookup(r, "region_code", "region"), "value": number_cell(r)}

    return compile_rows(facts, row)


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
    return compile_rows(facts, lambda r: {
        "period": r["period"], "region_code": lookup(r, "region_code", "region"),
        "staff_group": mapped(r, "staff_group", _HIRED_GROUPS), "measure": mapped(r, "measure", _HIRED_MEASURES),
        "value": number_cell(r), "unit": mapped(r, "unit", _HIRED_UNITS)})


@compiler("inhyrd_personal_regioner", "inhyrd_personal.csv")
def compile_inhyrd_personal_2016_2017(facts: pd.DataFrame) -> pd.DataFrame:
    def row(r):
        if r["scope"] != "landsting och regioner":
            raise fail(r, "scope", f"no mapping for {r['scope']!r}; add it in tillit/ingest/facts.py")
        return {"period": r["period"], "region_code": "00",
                "staff_group": "läkare" if r["measure"].startswith("inhyrda läkares") else "alla",
                "measure": mapped(r, "measure", _HIRED_MEASURES), "value": number_cell(r),
                "unit": mapped(r, "unit", _HIRED_UNITS)}

    return compile_rows(facts, row)


@compiler("arbetskraftsbarometern")
def compile_arbetskraftsbarometern(facts: pd.DataFrame) -> pd.DataFrame:
    return compile_rows(facts, lambda r: {
        "period": int(r["period"]), "education_group": r["education_group"], "value": number_cell(r),
        "bound": "mer än" if "LOWER BOUND" in r["unit"] else None})


