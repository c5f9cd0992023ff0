"""Nationell Patientenkät per landsting on a map of Sweden, with where the landsting above riket lie (landsdelar)."""
from __future__ import annotations

from typing import Callable

import pandas as pd

from tillit.report import maps, numbers, text
from tillit.report.chapters import Section, missing
from tillit.report.chapters.region.impression import impression_frame
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.medborgarfokus.patient_survey import patient_frame, shown_value, survey_key, years_text
from tillit.report.chapters.medborgarfokus.shared import MEASURES, RIKET


# The three landsdelar, each län counted in the one where (nearly) all of it lies.
LANDSDELAR = {
    "Götaland": ("05", "06", "07", "08", "09", "10", "12", "13", "14"),
    "Svealand": ("01", "03", "04", "17", "18", "19", "20"),
    "Norrland": ("21", "22", "23", "24", "25"),
}


def landsdel_sentence(per: pd.Series, riket: float, key: Callable[..., str], plain: str) -> str:
    """'Kartan visar att landsting med en andel över rikets fanns i alla tre landsdelarna: i Götaland låg 4 av 9
    landsting över riket, …': for each landsdel how many of its län with a value lie above riket (compared at the
    shown precision, as the riket sentence beside the chart does). `per` is the value per region code, `key(*parts)`
    makes a number's key and `plain` names the län in the plural ('landsting', 'regioner')."""
    counts, lacking = [], []
    for landsdel, codes in LANDSDELAR.items():
        values = per[per.index.isin(codes)].dropna()
        if values.empty:
            lacking.append(landsdel)
            continue
        above = int((values.map(shown_value) > shown_value(riket)).sum())
        counts.append((landsdel, above, len(values)))
    where = [d for d, above, _ in counts if above]
    head = f"Kartan visar att {plain} med en andel över rikets fanns"
    if not where:
        head = f"Kartan visar att inga {plain} hade en andel över rikets"
    elif len(where) == len(LANDSDELAR):
        head += f" i alla {text.count_word(len(where))} landsdelarna"
    else:
        none = [d for d, above, _ in counts if not above]
        head += f" bara i {text.listing(where)}" + (f", inte i {text.listing(none)}" if none else "")
    parts = []
    for i, (landsdel, above, n) in enumerate(counts):
        shown_above = numbers.register(key("over-riket", landsdel), above, str(above))
        shown_n = numbers.register(key(f"antal-{plain}", landsdel), n, str(n))
        parts.append(f"i {landsdel} låg {shown_above} av {shown_n} {plain} över riket" if i == 0
                     else f"i {landsdel} {shown_above} av {shown_n}")
    sentence = f"{head}: {text.listing(parts)}." if parts else f"{head}."
    if lacking:
        sentence += f" För {plain} i {text.listing(lacking)} saknas värden."
    return sentence


def survey_map(frame: pd.DataFrame, *, name: str, title: str, year: int, key: Callable[..., str],
               plain: str) -> Section:
    """A map of one year's share of positive answers per län (`frame`: region_code, value and provenance, riket
    included when the data has it), with the landsdel sentence as its finding and the län without a value named."""
    regions = vocab("region")
    per = frame[frame.region_code != RIKET].set_index("region_code").value
    riket = frame[frame.region_code == RIKET].value
    if len(riket):
        finding = landsdel_sentence(per, float(riket.iloc[0]), key, plain)
    else:
        finding = f"Riket saknar värde {year}, så kartan visar inte vilka {plain} som låg över riket."
    lines = [finding]
    lacking = sorted(set(regions.labels) - {RIKET} - set(per.dropna().index))
    if lacking:
        lines.append(f"{text.listing([regions.label(c) for c in lacking])} saknar uppgift {year} och är "
                     f"{'grått' if len(lacking) == 1 else 'grå'} på kartan.")
    fig = maps.lan_choropleth(frame, "value", name=name, title=title, finding=finding, unit="procent",
                              legend_title="Andel positiva, procent", decimals=1, depth=1)
    return Section(" ".join(lines), [fig])


def patient_survey_map(db: Store, measure: str, year: int) -> Section:
    """One Patientenkät measure per landsting for one year as a map (beside `patient_survey_by_landsting`, which
    states the highest, the lowest and riket): where in the country the landsting above riket lie."""
    label = MEASURES.get(measure, measure)
    frame = patient_frame(db, measure, year, "T")
    if frame[frame.region_code != RIKET].empty:
        return missing(f"Ingen karta: Nationell Patientenkät ({label}) per landsting finns för "
                       f"{years_text(db, measure)}, inte för {year}.")
    return survey_map(frame, name=f"karta-patientenkat-{measure}-{year}",
                      title=f"Andel positiva svar om {label}\nper landsting {year}", year=year,
                      key=lambda *parts: survey_key(measure, *parts, year), plain="landsting")


def involvement_map(db: Store, year: int) -> Section:
    return patient_survey_map(db, "delaktighet_involvering", year)


def overall_impression_map(db: Store) -> Section:
    """The latest national measurement of helhetsintryck per region as a map, for the chapter page below
    `region.overall_impression(db, "00")` (which states riket, the highest and the lowest): where the regions above
    riket lie. The region pages' map (`maps.helhetsintryck_map`) states those numbers again and outlines one län."""
    frame = impression_frame(db)
    national = frame[frame.measurement == "nationell"]
    if national[national.region_code != RIKET].empty:
        return missing("Ingen karta: helhetsintrycket i Nationell Patientenkät per region finns inte i bokens data.")
    year = int(national.period.max())
    latest = national[national.period == year].drop(columns=["område", "measurement"])
    return survey_map(latest, name=f"karta-helhetsintryck-{year}",
                      title=f"Positivt helhetsintryck av\nprimärvården per region {year}", year=year,
                      key=lambda *parts: numbers.key("helhetsintryck", *parts, year), plain="regioner")
