"""Sick cases by occupation (the question of the report's Figur 3.6) and the psychiatric share of sick cases."""
from __future__ import annotations

import altair as alt
import pandas as pd
import re
import textwrap

from tillit.report import charts, text
from tillit.report.chapters import Section, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.sectors import first_sentence
from tillit.report.chapters.kompetens.shared import NBSP, PROV, keyed_count, keyed_num, keyed_pct, keyed_phrase, keyed_ratio, keyed_reg


UNIT_CASES = f"nya sjukfall per 1{NBSP}000 förvärvsarbetande"  # the catalog's definition of sjukfall_yrke.value


# Occupations Försäkringskassan names next to the welfare occupations that are not welfare occupations themselves.
NOT_WELFARE = {"Professionella idrottsutövare"}


def wrapped_labels(labels, width: int = 32) -> str:
    """A Vega label expression that writes each label longer than `width` characters on two or more lines (an array
    of lines is drawn as a multi-line label), so long occupation names are neither cut off nor eat a narrow chart."""
    cases = []
    for label in dict.fromkeys(str(x) for x in labels):
        lines = textwrap.wrap(label, width)
        if len(lines) > 1:
            quoted = ", ".join("'" + line.replace("\\", "\\\\").replace("'", "\\'") + "'" for line in lines)
            key = label.replace("\\", "\\\\").replace("'", "\\'")
            cases.append(f"datum.label == '{key}' ? [{quoted}] : ")
    return "".join(cases) + "datum.label"


def short_occupation(name: str) -> str:
    return name.split(" (")[0]


def occupation_words(name: str) -> str:
    """An occupation in running text: lower case unless it starts with an abbreviation."""
    short = short_occupation(name)
    return short[:1].lower() + short[1:] if short[1:2].islower() else short


def broad_groups(names) -> dict[str, list[str]]:
    """Groups that hold other occupations in the list: 'Sjuksköterskor' holds 'Grundutbildade sjuksköterskor';
    'Vård- och omsorgspersonal (… undersköterskor …)' holds 'Undersköterskor, mottagning'. {group: [members]}."""
    names = [n for n in names if n != "Samtliga yrken"]
    out: dict[str, list[str]] = {}
    for a in names:
        short_a = short_occupation(a).lower()
        listed = a.split(" (", 1)[1].lower() if " (" in a else ""
        for b in names:
            if b == a:
                continue
            short_b = short_occupation(b).lower()
            first_b = re.split(r"[ ,]", short_b)[0]
            if re.search(rf"\b{re.escape(short_a)}\b", short_b) or (listed and re.search(rf"\b{re.escape(first_b)}\b", listed)):
                out.setdefault(a, []).append(b)
    return out


def members_words(members: list[str], key: tuple) -> str:
    """'grundutbildade sjuksköterskor', or 'de 3 grupperna av undersköterskor' when the members share their first
    word (their own names hold commas, which a listing cannot carry)."""
    firsts = {re.split(r"[ ,]", short_occupation(m))[0].lower() for m in members}
    if len(members) > 1 and len(firsts) == 1:
        return f"de {keyed_count(('sjukfall-yrke', 'delgrupper', *key), len(members))} grupperna av {firsts.pop()}"
    return text.listing([occupation_words(m) for m in members])


def sick_cases_by_occupation(db: Store) -> Section:
    year = db.sql("SELECT max(period) y FROM sjukfall_yrke").y.iloc[0]
    frame = db.sql(f"SELECT occupation, value, {PROV} FROM sjukfall_yrke WHERE period = $y ORDER BY value DESC", y=int(year))
    allrow = frame[frame.occupation == "Samtliga yrken"]
    if frame.empty or allrow.empty:
        return missing("Sjukfall per yrke och för samtliga yrken saknas i data.")
    year = int(year)
    base = float(allrow.value.iloc[0])
    frame["yrke"] = frame.occupation.map(short_occupation)
    other = frame[frame.occupation.isin(NOT_WELFARE)]
    welfare = frame[(frame.occupation != "Samtliga yrken") & ~frame.occupation.isin(NOT_WELFARE)]
    parts = [f"{occupation_words(r.occupation)} {keyed_num(('sjukfall-yrke', r.yrke, year), r.value, 0)} "
             f"({keyed_ratio(('sjukfall-yrke', r.yrke, 'mot-samtliga', year), r.value, base)} samtliga yrken)"
             for r in welfare.itertuples()]
    above = bool((welfare.value > base).all())
    lines = [f"År {year} hade samtliga yrken {keyed_num(('sjukfall-yrke', 'samtliga yrken', year), base, 0)} {UNIT_CASES}. "
             + (f"Alla välfärdsyrken i data låg över det: {text.listing(parts)}." if above else
                f"Välfärdsyrkena i data: {text.listing(parts)}.")]
    broad = broad_groups(welfare.occupation)
    if broad:
        holds = [f"{occupation_words(g)} rymmer {members_words(members, (g, year))}" for g, members in broad.items()]
        one = len(broad) == 1
        lines.append(f"{'En av grupperna är bred' if one else 'Några av grupperna är breda'} och rymmer andra yrken i "
                     f"diagrammet: {text.listing(holds)}. {'Den breda gruppen har' if one else 'De breda grupperna har'} "
                     f"en egen färg i diagrammet.")
    for r in other.itertuples():
        lines.append(f"Försäkringskassan nämner också ett yrke utanför välfärden, {occupation_words(r.occupation)} "
                     f"({keyed_num(('sjukfall-yrke', r.yrke, year), r.value, 0)}); det ingår inte i diagrammet.")
    shown = pd.concat([welfare, allrow.assign(yrke="Samtliga yrken")])
    plotted = shown[["yrke", "value"]].rename(columns={"value": "sjukfall_per_1000"}).reset_index(drop=True)
    broad_short = [short_occupation(g) for g in broad]
    kind = ("datum.yrke == 'Samtliga yrken' ? 'Samtliga yrken' : indexof(" + repr(broad_short).replace('"', "'")
            + ", datum.yrke) >= 0 ? 'Bred yrkesgrupp' : 'Yrke'")
    bars = alt.Chart(plotted).transform_calculate(grupp=kind).mark_bar().encode(
        x=alt.X("sjukfall_per_1000:Q", title="Nya sjukfall per 1 000 förvärvsarbetande", axis=alt.Axis(format=",d")),
        y=alt.Y("yrke:N", sort="-x", title=None,
                axis=alt.Axis(labelExpr=wrapped_labels(plotted.yrke), labelLimit=240, labelLineHeight=13)),
        color=alt.Color("grupp:N", title=None,
                        scale=alt.Scale(domain=["Yrke", "Bred yrkesgrupp", "Samtliga yrken"],
                                        range=[charts.PALETTE[0], charts.PALETTE[4], charts.NEUTRAL])),
        tooltip=[alt.Tooltip("yrke:N", title="Yrke"),
                 alt.Tooltip("sjukfall_per_1000:Q", title="Nya sjukfall per 1 000", format=",d")],
    ).properties(height=alt.Step(36))
    title = f"Nya sjukfall per 1 000 förvärvsarbetande per yrke {year}"
    finding = first_sentence(lines[0])
    fig = charts.figure(bars, name="sjukfall-yrke", title=title, finding=finding, data=plotted,
                        provenance=shown,
                        headers={"yrke": "Yrke", "sjukfall_per_1000": "Nya sjukfall per 1 000 förvärvsarbetande"},
                        decimals=0,
                        alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "sjukfall_per_1000", "yrke", "", 0))
    return Section(" ".join(lines), [fig])


def sick_cases_report_year(db: Store, year: int = 2014) -> Section:
    """The report's Figur 3.6 year (2014) in the nearest measure in data: new sick cases per 1 000 employed per
    occupation against all occupations, then the same groups in the latest year."""
    frame = db.sql(f"SELECT period, occupation, value, {PROV} FROM sjukfall_yrke ORDER BY period, occupation")
    at = frame[frame.period == year].set_index("occupation")["value"]
    if at.empty or "Samtliga yrken" not in at:
        return missing(f"Sjukfall per yrke för {year} finns inte i data.")
    base = at["Samtliga yrken"]
    care = [o for o in at.index if o.startswith("Vård- och omsorgspersonal")]
    others = [o for o in at.index if o != "Samtliga yrken" and o not in care]
    lines = []
    if care:
        v = at[care[0]]
        lines.append(f"År {year} hade vård- och omsorgspersonal "
                     f"{keyed_num(('sjukfall-yrke', short_occupation(care[0]), year), v, 0)} {UNIT_CASES} mot "
                     f"{keyed_num(('sjukfall-yrke', 'samtliga yrken', year), base, 0)} för samtliga yrken, "
                     f"{keyed_ratio(('sjukfall-yrke', short_occupation(care[0]), 'mot-samtliga', year), v, base)} genomsnittet.")
    if others:
        parts = [f"{occupation_words(o)} på {keyed_num(('sjukfall-yrke', short_occupation(o), year), at[o], 0)} "
                 f"({keyed_ratio(('sjukfall-yrke', short_occupation(o), 'mot-samtliga', year), at[o], base)} genomsnittet)"
                 for o in sorted(others, key=lambda o: -at[o])]
        lines.append(f"Bland övriga yrkesgrupper i data låg {text.listing(parts)}.")
    latest = int(frame.period.max())
    now = frame[frame.period == latest].set_index("occupation")["value"]
    care_now = [o for o in now.index if o.startswith("Vård- och omsorgspersonal")]
    if care and care_now and "Samtliga yrken" in now and latest > year:
        r0, r1 = at[care[0]] / base, now[care_now[0]] / now["Samtliga yrken"]
        lines.append(f"År {latest} var kvoten mellan vård- och omsorgspersonalen och samtliga yrken "
                     f"{keyed_num(('sjukfall-yrke', 'kvot-vard-och-omsorg', latest), r1, 2)} mot "
                     f"{keyed_num(('sjukfall-yrke', 'kvot-vard-och-omsorg', year), r0, 2)} år {year}: "
                     + ("avståndet till genomsnittet är i stort sett detsamma." if abs(r1 - r0) < 0.1 else
                        "avståndet till genomsnittet har ökat." if r1 > r0 else "avståndet till genomsnittet har minskat."))
    lines.append("Måttet är antal nya sjukfall, inte sjukskrivningsdagar per anställd som i betänkandets figur 3.6, "
                 "så siffrorna prövar inte betänkandets uppgift rakt av.")
    return Section(" ".join(lines))


def psychiatric_share(db: Store, year_from: int, year_to: int) -> Section:
    frame = db.sql(f"""
        SELECT f.period, f.year, f.quarter, f.sex, f.value AS psykiatriska, s.value AS samtliga, f.{PROV.replace(', ', ', f.')}
        FROM sjukfall_diagnos f JOIN sjukfall_diagnos s USING (period, sex)
        WHERE f.diagnosis_code = 'F00-F99' AND s.diagnosis_code = 'Samtliga'
          AND f.year BETWEEN $y0 AND $y1 AND f.value IS NOT NULL AND s.value > 0
        ORDER BY f.sex, f.period""", y0=year_from, y1=year_to)
    if frame.empty:
        return missing(f"Pågående sjukfall per diagnos saknas för {year_from}–{year_to}.")
    frame["andel"] = frame.psykiatriska / frame.samtliga * 100
    sexes = vocab("sex")
    frame["kön"] = [sexes.label(s) for s in frame.sex]
    tot = frame[frame.sex == "T"].set_index("period")
    first, last = tot.index[0], tot.index[-1]
    when0, when1 = text.period_label(first), text.period_label(last)
    a0, a1 = float(tot.andel.iloc[0]), float(tot.andel.iloc[-1])
    key = ("psykiatriska-diagnoser", "andel")
    moved = keyed_phrase((*key, "totalt", f"{first}-{last}"), a1, text.change_words(a0, a1))
    step = round(a1, 1) - round(a0, 1)
    change = (f"en {'ökning' if step > 0 else 'minskning'} med "
              f"{keyed_reg((*key, 'totalt', 'forandring', f'{first}-{last}'), step, text.points(step))}" if step else
              "ingen förändring")
    lines = [f"Uppgifterna gäller alla pågående sjukfall med sjukpenning i riket, inte bara anställda i välfärden, "
             f"och serien i bokens data slutar med {when1}.",
             f"Andelen av sjukfallen som hade en psykiatrisk diagnos (ICD-10 F00–F99) {moved} mellan {when0} och "
             f"{when1}, {change}."]
    lastq = frame[frame.period == last].set_index("sex").andel
    if {"K", "M"} <= set(lastq.index):
        lines.append(f"Under {when1} var andelen {keyed_pct((*key, 'kvinnor', last), lastq['K'])} bland kvinnor och "
                     f"{keyed_pct((*key, 'man', last), lastq['M'])} bland män.")
    frame["kvartal"] = [text.period_label(p) for p in frame.period]
    frame["tid"] = frame.year + (frame.quarter - 1) / 4
    plotted = frame[["kvartal", "kön", "andel"]].rename(columns={"andel": "procent"}).reset_index(drop=True)
    drawn = frame[["tid", "kvartal", "kön", "andel"]].rename(columns={"andel": "procent"})
    y0, y1 = int(frame.year.min()), int(frame.year.max())
    chart = alt.Chart(drawn).mark_line().encode(
        x=alt.X("tid:Q", title="År (första kvartalet vid varje årtal)", scale=alt.Scale(domain=[y0, y1 + 0.75], nice=False),
                axis=alt.Axis(values=list(range(y0, y1 + 1)), format="d", labelOverlap="parity", labelAngle=0)),
        y=alt.Y("procent:Q", title="Andel psykiatriska diagnoser, %", axis=alt.Axis(format=",.0f")),
        color=alt.Color("kön:N", title=None, sort=text.sex_order()),
        tooltip=[alt.Tooltip("kön:N", title="Kön"), alt.Tooltip("kvartal:N", title="Kvartal"),
                 alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=320)
    title = f"Psykiatriska diagnoser bland pågående sjukfall {y0}–{y1}"
    fig = charts.figure(chart, name="psykiatriska-diagnoser", title=title, finding=lines[1],
                        data=plotted, provenance=frame.drop_duplicates("source_title"),
                        headers={"kvartal": "Kvartal", "kön": "Kön", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, lines[1], plotted, "procent", ["kön", "kvartal"], "procent"))
    return Section(" ".join(lines), [fig])
