"""Pågående långa sjukfall per län: a map per length (cases per 1 000 inhabitants), with riket's counts in the text."""
from __future__ import annotations

import re

import pandas as pd

from tillit.claims import quantifiers
from tillit.report import maps, text
from tillit.report.chapters import Section, missing
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.shared import (
    NBSP, PROV, REPORT_YEAR, keyed_count, keyed_num, lan_codes, lan_extremes, lan_gaps, relayed_by,
)

LONG_TABLE = "langa_sjukfall_lan"
LONG_ABSENT = "Pågående långa sjukfall per län finns inte i bokens data."
RATE, COUNT = "per_1000_", "antal_"   # the measures' prefixes (data/catalog.yaml): a rate and the count behind it


def days(measure: str) -> str:
    """How long the cases had lasted, as the measure names it: 'per_1000_over_60_dagar' → '60'."""
    return re.search(r"over_(\d+)_dagar", measure).group(1)


def spaced(unit: str) -> str:
    """The data's unit with the thousands written with a no-break space, as in the prose: 'per 1 000 invånare …'."""
    return re.sub(r"(\d) (\d{3})\b", rf"\1{NBSP}\2", unit)


def per_thousand(unit: str) -> str:
    """The data's unit without its age band: 'per 1 000 invånare'."""
    return spaced(re.sub(r"\s+\d+–\d+ år$", "", unit))


def long_sick_cases(db: Store) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The rows of the latest month with rates per län, the months that have them (in order), and the latest month's
    rate measures (shortest cases first)."""
    if not db.has_table(LONG_TABLE):
        return pd.DataFrame(), [], []
    frame = db.sql(f"SELECT period, region_code, measure, value, unit, {PROV} FROM {LONG_TABLE} ORDER BY period, measure, region_code")
    rates = frame[frame.measure.str.startswith(RATE) & (frame.region_code != "00")]
    if rates.empty:
        return frame.iloc[0:0], [], []
    months = sorted(rates.period.unique())
    measures = sorted(rates[rates.period == months[-1]].measure.unique(), key=lambda m: int(days(m)))
    return frame[frame.period == months[-1]], months, measures


def riket_cases_sentence(frame: pd.DataFrame, period: str, measures: list[str], unit: str) -> str:
    """'I december 2017 pågick i riket 142 450 sjukfall längre än 60 dagar och 69 695 längre än 365 dagar, eller
    22,9 respektive 11,2 per 1 000 invånare 16–64 år.' (what riket has of it)."""
    riket = frame[frame.region_code == "00"].set_index("measure").value
    rates = [m for m in measures if m in riket.index]
    if not rates:
        return ""
    when = text.period_label(period)
    shown = [keyed_num(("langa-sjukfall", m, "riket", period), riket[m]) for m in rates]
    per = f"{text.listing(shown).replace(' och ', ' respektive ')} {unit}"
    counts = [COUNT + m[len(RATE):] for m in rates]
    if not all(c in riket.index for c in counts):
        lasting = text.listing([f"längre än {days(m)} dagar" for m in rates])
        return f"I {when} var antalet pågående sjukfall {lasting} i riket {per}."
    said = [f"{keyed_num(('langa-sjukfall', c, 'riket', period), riket[c], 0)}{' sjukfall' if i == 0 else ''} längre "
            f"än {days(c)} dagar" for i, c in enumerate(counts)]
    return f"I {when} pågick i riket {text.listing(said)}, eller {per}."


def measure_sentence(frame: pd.DataFrame, period: str, measure: str, unit: str) -> tuple[str, str]:
    """Where the rate was highest and lowest, and in how many län it was above riket's; and the extremes alone."""
    part = frame[frame.measure == measure]
    per = part[part.region_code != "00"].set_index("region_code").value
    extremes = lan_extremes(per, lambda label: ("langa-sjukfall", measure, label, period))
    said = f"Antalet sjukfall längre än {days(measure)} dagar {unit} var {extremes}"
    riket = part[part.region_code == "00"].value
    if len(riket):
        level = quantifiers.rounded(riket.iloc[0], 1)
        above = sum(quantifiers.rounded(v, 1) > level for v in per)
        k = ("langa-sjukfall", measure)
        said += (f"; talet var högre än rikets i {keyed_count((*k, 'lan-over-riket', period), above)} av de "
                 f"{keyed_count((*k, 'lan-antal', period), len(per))} länen"
                 + (" med uppgift" if len(per) < len(lan_codes()) else "") if above
                 else "; inget län hade ett högre tal än riket")
    return said + ".", extremes


def long_sick_cases_by_lan(db: Store) -> Section:
    """Pågående långa sjukfall per län in the latest month in data: what they are (and are not), riket's counts,
    where the rates per 1 000 inhabitants were highest and lowest, a map per length of case."""
    frame, months, measures = long_sick_cases(db)
    if not measures:
        return missing(LONG_ABSENT)
    period = months[-1]
    when = text.period_label(period)
    unit = frame[frame.measure == measures[0]].unit.iloc[0]
    short = per_thousand(unit)
    lasting = [f"längre än {days(m)} dagar" for m in measures]
    lines = [f"Pågående långa sjukfall är sjukfall med sjuk- eller rehabiliteringspenning som vid mätningen hade "
             f"pågått {lasting[0]}" + (f"; de som hade pågått {text.listing(lasting[1:])} räknas också bland dem."
                                       if len(lasting) > 1 else ".")
             + f" Sjukfallen gäller alla försäkrade, inte bara anställda i välfärden, och talen {spaced(unit)} räknas "
             f"på hela befolkningen i de åldrarna; därför kan de inte pröva betänkandets uppgifter om välfärdens "
             f"medarbetare."]
    noun = "kartorna" if len(measures) > 1 else "kartan"
    if len(months) > 1:
        lines.append(f"{noun.capitalize()} visar {when}, den senaste månaden i bokens data.")
    else:
        lines.append(f"Bokens data har uppgifterna per län bara för {when}"
                     + (f", så {noun} visar läget när betänkandet skrevs, inte hur det har utvecklats sedan dess."
                        if int(period[:4]) <= REPORT_YEAR else "."))
    about = " ".join(lines)   # what the measure is, and the month: one paragraph; what it shows: the next
    lines = [riket_cases_sentence(frame, period, measures, spaced(unit))]
    figs = []
    for m in measures:
        said, extremes = measure_sentence(frame, period, m, short)
        lines.append(said)
        values = frame[frame.measure == m][["region_code", "value", *PROV.split(", ")]]
        plain = short.replace(NBSP, " ")
        # the legend is narrow: the unit without the age band there, the whole unit in the caption's finding
        figs.append(maps.lan_choropleth(values, "value", name=f"langa-sjukfall-{m}-{period}",
                                        title=f"Sjukfall längre än {days(m)} dagar {plain}, {when}",
                                        finding=f"{unit[0].upper()}{unit[1:]}: {extremes}.",
                                        legend_title=f"{plain[0].upper()}{plain[1:]}", decimals=1, height=440))
    shown = frame[frame.measure.isin(measures) & (frame.region_code != "00")].groupby("region_code").measure.nunique()
    present = shown[shown == len(measures)].index   # a län missing from one of the maps is grey there
    lines.append(lan_gaps(present, ("langa-sjukfall", period), f"uppgifterna för {when}", noun))
    lines.append(relayed_by(frame, "Försäkringskassan"))
    return Section(about + "\n\n" + " ".join(line for line in lines if line), figs)
