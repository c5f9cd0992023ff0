"""Sjukpenningtal in the region's län: its place among the län, and the change between two years by sex."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.core import markdown
from tillit.core.swedish import rounded
from tillit.report import charts, numbers, text
from tillit.report.chapters import Section, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.region.frames import sick_pay_frame, sick_pay_period
from tillit.report.chapters.region.lan_map import region_map
from tillit.report.chapters.region.shared import NBSP, PROV, RIKET, alt_title, capitalised, chart_title, check_code, extremes, in_place, keyed_count, keyed_days, keyed_diff, keyed_num, keyed_rank, name, page_key, place_key, region_count, region_figure, source_markdown, tie_words, tied_names, with_names
from tillit.report.chapters.region.summary import classed_table


def sick_pay_rank(db: Store, code: str) -> Section:
    """Sjukpenningtal per län for the latest twelve-month period with every län (secondary source), with this län's
    place among them."""
    check_code(code)
    frame = sick_pay_frame(db)
    if frame.empty:
        return missing("Sjukpenningtal per län för båda könen tillsammans finns inte i bokens data.")
    last = frame.period.max()
    at = frame[frame.period == last].reset_index(drop=True)
    per = at[at.region_code != RIKET].set_index("område")["value"]
    when = sick_pay_period(last)
    place = name(code)
    pk = place_key(code)
    riket = at[at.region_code == RIKET]["value"]
    source = text.listing(sorted({text.escape(p) for p in at.source_publisher}))
    secondary = (at.source_type == "secondary").any()
    lines = []
    if code == RIKET:
        spread = extremes(per, lambda x: f"{text.number(x, 1)}{NBSP}dagar", key=page_key("sjukpenningtal", "lan", last))
        if riket.empty:
            median = keyed_days(page_key("sjukpenningtal", "median-lan", last), per.median())
            lines.append(f"Boken har inget sjukpenningtal för hela riket för {when}. Mellan länen varierade det "
                         f"{spread}; medianen för de {keyed_count(page_key('sjukpenningtal', 'antal-lan', last), len(per))} "
                         f"länen var {median}.")
        else:
            lines.append(f"Under {when} var sjukpenningtalet i riket "
                         f"{keyed_days(page_key('sjukpenningtal', 'riket', 'totalt', last), float(riket.iloc[0]))} per "
                         f"försäkrad; länen varierade {spread}.")
    else:
        label = vocab("region").label(code)
        if label not in per.index:
            absent = missing(f"Sjukpenningtal för {text.escape(place)} finns inte i bokens data för {when}.")
            return Section(absent.markdown, [sick_pay_map(at, code, last, None)])
        v = per[label]
        notable = keyed_rank(page_key("sjukpenningtal", pk, "placering", last), per, label)
        rank = ""
        if notable:
            n = keyed_count(page_key("sjukpenningtal", "antal-lan", last), len(per))
            rank = f", {notable.replace('den ', 'det ', 1)} av de {n} länen{tie_words(tied_names(per, label))}"
        lines.append(f"Under {when} var sjukpenningtalet {text.escape(in_place(code))} "
                     f"{keyed_days(page_key('sjukpenningtal', pk, 'totalt', last), v)} per försäkrad{rank}.")
        if riket.empty:
            median = per.median()
            lines.append(f"Boken har inget sjukpenningtal för hela riket för den perioden, så jämförelsen görs med "
                         f"medianen för länen: sjukpenningtalet {text.escape(in_place(code))} var "
                         f"{keyed_diff(page_key('sjukpenningtal', pk, 'mot-median', last), v, median, 'dagar', 'lika högt som')}"
                         f" medianen ({keyed_days(page_key('sjukpenningtal', 'median-lan', last), median)}).")
        else:
            r = float(riket.iloc[0])
            lines.append(f"Det var {keyed_diff(page_key('sjukpenningtal', pk, 'mot-riket', last), v, r, 'dagar', 'lika högt som')}"
                         f" i riket ({keyed_days(page_key('sjukpenningtal', 'riket', 'totalt', last), r)}).")
    lines.append("Sjukpenningtalet gäller alla försäkrade i länet, inte bara de anställda i landstinget"
                 + (f", och uppgifterna kommer från {source} som återger Försäkringskassan (sekundärkälla)."
                    if secondary else "."))
    plotted = at[at.region_code != RIKET][["område", "value"]].rename(columns={"område": "län", "value": "dagar"})
    plotted = plotted.sort_values("dagar", ascending=False).reset_index(drop=True)
    highlight = vocab("region").label(code)
    color = (alt.condition(alt.datum["län"] == highlight, alt.value(charts.HIGHLIGHT), alt.value(charts.PALETTE[0]))
             if code != RIKET else alt.value(charts.PALETTE[0]))
    bars = alt.Chart(plotted).mark_bar().encode(
        x=alt.X("dagar:Q", title="Dagar per försäkrad", axis=alt.Axis(format=",.1f")),
        y=alt.Y("län:N", sort="-x", title=None),
        color=color,
        tooltip=[alt.Tooltip("län:N", title="Län"), alt.Tooltip("dagar:Q", title="Dagar", format=",.1f")],
    ).properties(height=alt.Step(18))
    title = chart_title("Sjukpenningtal per län,", sick_pay_period(last, short=True))
    shown = keyed_days(page_key('sjukpenningtal', pk, 'totalt', last), per[highlight]) if code != RIKET else None
    if code != RIKET:
        finding = f"{highlight} (markerat): {shown}."
    else:
        finding = f"Median för länen: {keyed_days(page_key('sjukpenningtal', 'median-lan', last), per.median())}."
    fig = region_figure(bars, name=f"sjukpenningtal-{code}", title=title, finding=finding, data=plotted,
                  provenance=at, headers={"län": "Län", "dagar": "Dagar per försäkrad"},
                  alt=charts.alt_text("Stapeldiagram", alt_title(title), lines[0], plotted, "dagar", "län", "dagar"))
    return Section(" ".join(lines), [fig, sick_pay_map(at, code, last, shown)])


def sick_pay_map(at: pd.DataFrame, code: str, period: str, shown: str | None):
    """Sjukpenningtal per län for `period` (the rows `at` of sick_pay_rank) as a map, this län outlined and named; its
    subtitle is the län's value as the section writes it (`shown`)."""
    return region_map(at, code, shown, name="karta-sjukpenningtal",
                      title=chart_title("Sjukpenningtal per län på kartan,", sick_pay_period(period, short=True)),
                      unit="dagar", legend_title="Sjukpenningtal, dagar")


def sick_pay_by_sex_frame(db: Store) -> pd.DataFrame:
    """Sjukpenningtal per län for women and men, in the yearly periods where every län has both sexes."""
    frame = db.sql(f"""SELECT period, region_code, sex, value, {PROV} FROM sjukpenningtal_lan
                       WHERE sex IN ('K', 'M') AND length(period) = 4 ORDER BY period, region_code, sex""")
    n = region_count()
    full = frame[frame.region_code != RIKET].groupby("period").region_code.nunique()
    frame = frame[frame.period.isin(full[full == n].index)]
    return with_names(frame)


def sick_pay_change(db: Store, code: str) -> Section:
    """Sjukpenningtal for women and men in this län and riket: the first and the latest full year, its place, and a
    table with both years, riket and the change."""
    check_code(code)
    frame = sick_pay_by_sex_frame(db)
    years = sorted(frame.period.unique())
    if len(years) < 2:
        return missing("Sjukpenningtal per län och kön finns inte för två hela år i bokens data.")
    y0, y1 = years[0], years[-1]
    where = text.escape(in_place(code))
    pk = place_key(code)
    lines, rows = [], []
    places = [code] + ([RIKET] if code != RIKET else [])
    for sex, word in (("K", "kvinnor"), ("M", "män")):
        sk = numbers.slug(word)
        own = frame[(frame.region_code == code) & (frame.sex == sex)].set_index("period")["value"]
        if not {y0, y1} <= set(own.index):
            continue
        riket = frame[(frame.region_code == RIKET) & (frame.sex == sex)].set_index("period")["value"]
        a, b = (keyed_num(page_key("sjukpenningtal", pk, sk, y), own[y]) for y in (y0, y1))
        verb = ("var oförändrat på" if a == b else "ökade från" if own[y1] > own[y0] else "minskade från")
        values = f"{b}{NBSP}dagar" if a == b else f"{a} till {b}{NBSP}dagar"
        sentence = f"För {word} {verb.split()[0]} sjukpenningtalet {where} {' '.join(verb.split()[1:])} {values} per försäkrad mellan {y0} och {y1}"
        if code != RIKET and {y0, y1} <= set(riket.index):
            r0, r1 = (keyed_num(page_key("sjukpenningtal", "riket", sk, y), riket[y]) for y in (y0, y1))
            sentence += f" (i riket från {r0} till {r1}{NBSP}dagar)"
            per = frame[(frame.period == y1) & (frame.sex == sex) & (frame.region_code != RIKET)].set_index("område")["value"]
            label = vocab("region").label(code)
            notable = keyed_rank(page_key("sjukpenningtal", pk, sk, "placering", y1), per, label)
            if notable:
                n = keyed_count(page_key("sjukpenningtal", "antal-lan", y1), len(per))
                sentence += (f"; {y1} hade {text.escape(name(code))} {notable.replace('den ', 'det ', 1)} "
                             f"sjukpenningtalet för {word} bland de {n} länen{tie_words(tied_names(per, label))}")
        lines.append(sentence + ".")
        for c in places:
            series = frame[(frame.region_code == c) & (frame.sex == sex)].set_index("period")["value"]
            if not {y0, y1} <= set(series.index):
                continue
            ck = place_key(c)
            change = float(rounded(series[y1], 1) - rounded(series[y0], 1))
            rows.append([f"{capitalised(word)}, {text.escape(name(c))}",
                         keyed_num(page_key("kon-tabell", ck, sk, y0), series[y0]), keyed_num(page_key("kon-tabell", ck, sk, y1), series[y1]),
                         numbers.register(page_key("kon-tabell", ck, sk, "forandring", y0, y1), change, text.signed(change))])
    if not lines:
        return missing(f"Sjukpenningtal per kön för {text.escape(name(code))} finns inte för {y0} och {y1} i bokens "
                       f"data.")
    pubs = frame[frame.period.isin([y0, y1]) & frame.region_code.isin(places)]
    source = text.listing(sorted({text.escape(p) for p in pubs.source_publisher}))
    lines.append(f"Uppgifterna kommer från {source}, som återger Försäkringskassan"
                 + (" (sekundärkälla)." if (pubs.source_type == "secondary").any() else "."))
    caption = f"Sjukpenningtal för kvinnor och män {y0} och {y1}, dagar per försäkrad"
    table = markdown.table(["Kön och område", str(y0), str(y1), "Förändring, dagar"], rows)
    return Section(" ".join(lines) + "\n\n" + classed_table(table, "tillit-summary", caption) + "\n\n"
                   + source_markdown(pubs))
