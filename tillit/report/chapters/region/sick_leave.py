"""Sick leave among the region's own employees against riket, by sex over the years."""
from __future__ import annotations

import pandas as pd

from tillit.report import charts, text
from tillit.report.chapters import Section, missing
from tillit.tables.store import Store
from tillit.report.chapters.region.frames import missing_years, partial_years, sick_leave_frame
from tillit.report.chapters.region.lan_map import region_map
from tillit.report.chapters.region.shared import GOTLAND, RIKET, alt_title, chart_title, check_code, council_note, extremes, in_place, keyed_count, keyed_diff, keyed_pct, keyed_trend, name, page_key, place_key, position_sentence, region_figure, short_finding, staff, verb_first, where_words
from tillit.report.chapters.region.trend import trend_chart


def sick_leave(db: Store, code: str) -> Section:
    """Sick leave among landsting employees over the years, by sex, against riket (or the spread, for riket)."""
    check_code(code)
    frame = sick_leave_frame(db)
    place = name(code)
    pk = place_key(code)
    own = frame[frame.region_code == code]
    tot = own[own.sex == "T"].set_index("period")["value"]
    if tot.empty:
        absent = missing(f"Sjukfrånvaro bland {staff(code)} finns inte i bokens data.")
        return Section(absent.markdown, sick_leave_map(frame, code))
    riket = frame[(frame.region_code == RIKET) & (frame.sex == "T")].set_index("period")["value"]
    first, last = int(tot.index.min()), int(tot.index.max())
    v = tot[last]
    per = frame[(frame.period == last) & (frame.sex == "T") & (frame.region_code != RIKET)].set_index("område")["value"]
    lines = []
    if code == RIKET:
        lines.append(f"År {last} var sjukfrånvaron bland de landstingsanställda i riket "
                     f"{keyed_pct(page_key('sjukfranvaro', pk, 'totalt', last), v)} av den ordinarie arbetstiden.")
        if len(per):
            above = keyed_count(page_key("sjukfranvaro", "over-riket", last), int((per > v).sum()))
            lines.append(f"Mellan landstingen varierade den {extremes(per, key=page_key('sjukfranvaro', 'lan', last))}; "
                         f"{above} av {keyed_count(page_key('sjukfranvaro', 'antal-lan', last), len(per))} landsting låg "
                         f"över riket.")
    else:
        partial = partial_years(frame[frame.sex == "T"])
        lines.append(f"År {last} var sjukfrånvaron bland {staff(code)} "
                     f"{keyed_pct(page_key('sjukfranvaro', pk, 'totalt', last), v)} av den ordinarie arbetstiden"
                     f"{_versus_riket(pk, last, v, riket)}.")
        note = council_note(code, own)
        if note:
            lines.append(note)
        full = [int(y) for y in tot.index if int(y) not in partial]
        if last in partial:
            n = keyed_count(page_key("sjukfranvaro", "antal-lan", last), partial[last])
            lines.append(f"För {last} har boken bara {n} län, ur press, så någon placering bland länen anges inte.")
            if full:
                y = max(full)
                at = frame[(frame.period == y) & (frame.sex == "T") & (frame.region_code != RIKET)]
                lines.append(f"År {y}, det senaste året med alla län, var sjukfrånvaron "
                             f"{keyed_pct(page_key('sjukfranvaro', pk, 'totalt', y), tot[y])}{_versus_riket(pk, y, tot[y], riket)}.")
                lines += position_sentence(at.set_index("område")["value"], code, "sjukfrånvaron", y,
                                            page_key("sjukfranvaro", pk, "placering", y))
        else:
            lines += position_sentence(per, code, "sjukfrånvaron", last, page_key("sjukfranvaro", pk, "placering", last))
    if first < last:
        lines.append(f"Sjukfrånvaron {text.escape(in_place(code))} {keyed_trend(('sjukfranvaro', pk, 'totalt'), tot)}.")
        span = riket[(riket.index >= first) & (riket.index <= last)]
        if code != RIKET and first in riket.index and len(span) > 1:
            lines.append(f"I riket {verb_first(keyed_trend(('sjukfranvaro', 'riket', 'totalt'), span))}.")
    sexes = own[own.period == last].set_index("sex")["value"]
    if {"K", "M"} <= set(sexes.index):
        women = keyed_pct(page_key("sjukfranvaro", pk, "kvinnor", last), sexes["K"])
        men = keyed_pct(page_key("sjukfranvaro", pk, "man", last), sexes["M"])
        gap = keyed_diff(page_key("sjukfranvaro", pk, "kvinnor-mot-man", last), sexes["K"], sexes["M"])
        lines.append(f"Bland kvinnorna var sjukfrånvaron {women} och bland männen {men}: kvinnornas var {gap} "
                     f"männens.")
    shown = frame[frame.region_code.isin([code, RIKET])]
    if code != RIKET:
        shown = shown[shown.period.between(first, last)]
    gaps = [y for y in missing_years(frame, code) if first < y < last]
    inside_riket = range(max(first, int(riket.index.min())), min(last, int(riket.index.max())) + 1) if len(riket) else []
    riket_gaps = [y for y in inside_riket if y not in set(riket.index)] if code != RIKET else []
    missing_parts = []
    if gaps:
        missing_parts.append(f"för {text.escape(place)} {text.listing([str(y) for y in gaps])}")
    if riket_gaps:
        missing_parts.append(f"för riket {text.listing([str(y) for y in riket_gaps])}")
    if missing_parts:
        lines.append(f"Uppgifter saknas {text.listing(missing_parts)}; där är linjerna i diagrammet avbrutna.")
    if code != RIKET and len(riket) and int(riket.index.max()) < last:
        lines.append(f"Riket finns i bokens data bara till {int(riket.index.max())}.")
    plotted = (shown[["område", "kön", "period", "value"]].rename(columns={"period": "år", "value": "procent"})
               .reset_index(drop=True))
    if code == GOTLAND:
        title = chart_title("Sjukfrånvaro bland anställda,", f"Region Gotland och riket {first}–{last}")
    else:
        title = chart_title("Landstingsanställdas sjukfrånvaro,", f"{where_words(code)} {first}–{last}")
    finding = short_finding(code, last, v, riket.get(last) if code != RIKET else None)
    chart = trend_chart(plotted, code, "Sjukfrånvaro, % av ordinarie arbetstid")
    fig = region_figure(chart, name=f"sjukfranvaro-{code}", title=title, finding=finding, data=plotted,
                  provenance=shown, headers={"område": "Område", "kön": "Kön", "år": "År", "procent": "Procent"},
                  alt=charts.alt_text("Linjediagram", alt_title(title), finding, plotted, "procent",
                                      ["område", "kön", "år"], "procent"))
    return Section(" ".join(lines), [fig, *sick_leave_map(frame, code)])


def sick_leave_map(frame: pd.DataFrame, code: str) -> list:
    """Sick leave per landsting in the latest year with all län (not a year with only a few län, from press) as a
    map, this län outlined and named; its subtitle is the län's value that year as the section writes it. No map (an
    empty list) when no year has all län."""
    totals = frame[frame.sex == "T"]
    partial = partial_years(totals)
    years = [int(y) for y in set(totals[totals.region_code != RIKET].period) if int(y) not in partial]
    if not years:
        return []
    year = max(years)
    at = totals[totals.period == year]
    own = at[at.region_code == code]["value"].dropna()
    shown = (keyed_pct(page_key("sjukfranvaro", place_key(code), "totalt", year), own.iloc[0])
             if code != RIKET and len(own) else None)
    return [region_map(at, code, shown, name="karta-sjukfranvaro", unit="procent", legend_title="Sjukfrånvaro, procent",
                       title=chart_title("Landstingsanställdas sjukfrånvaro", f"per län {year}"))]


def _versus_riket(pk: str, year: int, value: float, riket: pd.Series) -> str:
    """', 0,3 procentenheter lägre än i riket (6,0 procent)' or '; för riket finns inget värde 2020' (sick leave)."""
    if year not in riket.index:
        return f"; för riket finns inget värde {year}"
    r = riket[year]
    return (f", {keyed_diff(page_key('sjukfranvaro', pk, 'mot-riket', year), value, r)} i riket "
            f"({keyed_pct(page_key('sjukfranvaro', 'riket', 'totalt', year), r)})")
