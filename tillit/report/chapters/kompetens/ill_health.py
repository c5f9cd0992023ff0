"""Ohälsotal per län: a map of the latest year with län data, riket's change, and the län the data lack said plainly."""
from __future__ import annotations

from tillit.report import maps, text
from tillit.report.chapters import Section, missing
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.shared import (
    PROV, REPORT_YEAR, keyed_num, keyed_phrase, lan_codes, lan_extremes, lan_gaps, relayed_by,
)

ILL_TABLE = "ohalsotal_lan"
ILL_ABSENT = "Ohälsotal per län finns inte i bokens data."


def riket_words(riket, year: int) -> str:
    """Riket's ohälsotal in `year`, against the report's year (or the nearest before it; else the first year)."""
    if year not in riket.index:
        return ""
    before = [y for y in riket.index if y <= REPORT_YEAR]
    y0 = before[-1] if before else riket.index[0]
    if y0 == year:
        return f"I riket var ohälsotalet {keyed_num(('ohalsotal', 'riket', year), riket[year])} dagar per försäkrad {year}."
    moved = text.change_words(riket[y0], riket[year], unit="dagar")
    verb, _, rest = moved.partition(" ")
    return (f"I riket {verb} ohälsotalet {keyed_phrase(('ohalsotal', 'riket', f'{y0}-{year}'), riket[year], rest)} "
            f"per försäkrad mellan {y0} och {year}.")


def ill_health_by_lan(db: Store) -> Section:
    """Ohälsotal per län in the latest year the data have it for any län: what it is (broader than sjukpenningtal,
    not about welfare staff), riket, the highest and lowest län among those with data, the others grey on the map."""
    if not db.has_table(ILL_TABLE):
        return missing(ILL_ABSENT)
    frame = db.sql(f"SELECT period, region_code, value, {PROV} FROM {ILL_TABLE} ORDER BY period, region_code")
    lan = frame[frame.region_code != "00"]
    if lan.empty:
        return missing(ILL_ABSENT)
    year = int(lan.period.max())
    rows = frame[frame.period == year]
    per = rows[rows.region_code != "00"].set_index("region_code").value
    riket = frame[frame.region_code == "00"].set_index("period").value.sort_index()
    about = ("Ohälsotalet räknar utbetalda dagar med sjukpenning, arbetsskadesjukpenning och rehabiliteringspenning, "
             "som sjukpenningtalet, men också dagar med sjukersättning och aktivitetsersättning, som betalas ut när "
             "arbetsförmågan är nedsatt under lång tid. Det räknas per försäkrad i samma åldrar och är alltså ett "
             "bredare mått än sjukpenningtalet. Båda gäller alla försäkrade, inte bara anställda i välfärden, och kan "
             "därför inte pröva betänkandets uppgifter om välfärdens medarbetare.")
    lines = [riket_words(riket, year)]
    gaps = lan_gaps(per.index, ("ohalsotal", year), f"ohälsotalet för {year}")
    extremes = lan_extremes(per, lambda label: ("ohalsotal", label, year), unit="dagar")
    lines += [gaps, f"{'Bland de län som har uppgift' if gaps else f'Per län {year}'} var ohälsotalet {extremes}.",
              relayed_by(rows, "Försäkringskassan")]
    finding = (f"Uppgift finns för {text.count_word(len(per))} av {len(lan_codes())} län; bland dem {extremes}."
               if gaps else f"{extremes[0].upper()}{extremes[1:]}.")
    fig = maps.lan_choropleth(rows, "value", name=f"ohalsotal-lan-{year}", title=f"Ohälsotal per län {year}, dagar per försäkrad",
                              finding=finding, unit="dagar", legend_title="Ohälsotal, dagar", decimals=1, height=440)
    return Section(about + "\n\n" + " ".join(line for line in lines if line), [fig])
