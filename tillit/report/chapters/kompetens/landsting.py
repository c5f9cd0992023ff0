"""Sick leave among landsting/region employees: per landsting in one year, and by sex over time."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, numbers, text, trends
from tillit.report.chapters import Section, missing, riket_sentence
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.shared import PROV, keyed_pct, keyed_phrase, keyed_ratio


def landsting_sick_leave(db: Store, year: int) -> Section:
    frame = db.sql(f"""
        SELECT region_code, value, {PROV} FROM sjukfranvaro_landsting
        WHERE period = $y AND sex = 'T' ORDER BY value DESC""", y=year)
    if frame.empty:
        years = db.sql("SELECT min(period) a, max(period) b FROM sjukfranvaro_landsting").iloc[0]
        return missing(f"Sjukfrånvaro per landsting finns för {int(years.a)}–{int(years.b)}, inte för {year}.")
    regions = vocab("region")
    frame["landsting"] = [regions.label(c) for c in frame.region_code]
    riket = frame[frame.region_code == "00"]
    per = frame[frame.region_code != "00"].reset_index(drop=True)
    hi, lo = per.iloc[0], per.iloc[-1]
    unit = text.council_word(year, definite=False)
    staff = "landstingsanställda" if year < 2019 else "regionanställda"
    lines = [f"År {year} varierade sjukfrånvaron bland {staff} från "
             f"{keyed_pct(('sjukfranvaro-landsting', lo.landsting, year), lo.value)} {text.place(lo.landsting)} till "
             f"{keyed_pct(('sjukfranvaro-landsting', hi.landsting, year), hi.value)} {text.place(hi.landsting)} – den högsta var "
             f"{keyed_ratio(('sjukfranvaro-landsting', 'hogsta-mot-lagsta', year), hi.value, lo.value)} den lägsta."]
    if not riket.empty:
        lines.append(riket_sentence(float(riket.value.iloc[0]), per.value,
                                    tuple(numbers.key("sjukfranvaro-landsting", what, year)
                                          for what in ("riket", "over-riket", "antal")), unit))
    plotted = per[["landsting", "value"]].rename(columns={"value": "procent"})
    finding = lines[0]
    bars = alt.Chart(plotted).mark_bar(color=charts.PALETTE[0]).encode(
        x=alt.X("procent:Q", title="Sjukfrånvaro, % av ordinarie arbetstid", axis=alt.Axis(format=",.1f")),
        y=alt.Y("landsting:N", sort="-x", title=None),
        tooltip=[alt.Tooltip("landsting:N", title=unit.capitalize()), alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    )
    layers = [bars]
    if not riket.empty:
        rule = alt.Chart(pd.DataFrame({"riket": [float(riket.value.iloc[0])]})).mark_rule(
            color=charts.HIGHLIGHT, strokeDash=[4, 3], strokeWidth=2).encode(x="riket:Q")
        layers.append(rule)
    title = f"Sjukfrånvaro bland {staff} per {unit} {year}"
    chart = alt.layer(*layers).properties(height=alt.Step(18))
    fig = charts.figure(chart, name=f"sjukfranvaro-landsting-{year}", title=title, finding=finding + " Streckad linje: riket.",
                        data=plotted, provenance=frame,
                        headers={"landsting": unit.capitalize(), "procent": "Procent"},
                        alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "procent", "landsting", "procent"))
    return Section(" ".join(lines), [fig])


def landsting_sex_trend(db: Store) -> Section:
    frame = db.sql(f"""
        SELECT period, sex, value, {PROV} FROM sjukfranvaro_landsting
        WHERE region_code = '00' ORDER BY sex, period""")
    if frame.empty:
        return missing("Riket saknas i tabellen över sjukfrånvaro bland landstingsanställda.")
    sexes = vocab("sex")
    frame["kön"] = [sexes.label(s) for s in frame.sex]
    wide = frame.pivot_table(index="period", columns="sex", values="value")
    first, last = int(wide.index.min()), int(wide.index.max())
    lines = []
    if {"K", "M"} <= set(wide.columns) and pd.notna(wide.loc[last, ["K", "M"]]).all():
        k, m = wide.loc[last, "K"], wide.loc[last, "M"]
        lines.append(f"Kvinnornas sjukfrånvaro var {keyed_pct(('sjukfranvaro-landsting', 'riket', 'kvinnor', last), k)} och "
                     f"männens {keyed_pct(('sjukfranvaro-landsting', 'riket', 'man', last), m)} år {last}: kvinnornas var "
                     f"{keyed_ratio(('sjukfranvaro-landsting', 'riket', 'kvinnor-mot-man', last), k, m)} männens.")
    if "T" in wide and wide["T"].notna().sum() > 1:
        t = wide["T"].dropna()
        trend = keyed_phrase(("sjukfranvaro-landsting", "riket", "utveckling"), float(t.iloc[-1]), trends.trend_words(t))
        lines.append(f"Sjukfrånvaron för kvinnor och män tillsammans {trend}.")
    gaps = sorted(set(range(first, last + 1)) - {int(p) for p in wide.index})
    if gaps:
        lines.append(f"För {text.years_listing(gaps)} finns inga uppgifter; linjerna är brutna där.")
    plotted = frame[["period", "kön", "value"]].rename(columns={"period": "år", "value": "procent"}).reset_index(drop=True)
    drawn = charts.with_gaps(plotted, "år", "procent", "kön")
    chart = alt.Chart(drawn).mark_line(point=True, invalid=charts.BREAK_AT_GAPS).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("procent:Q", title="Sjukfrånvaro, %", axis=alt.Axis(format=",.1f")),
        color=alt.Color("kön:N", title=None, sort=text.sex_order()),
        tooltip=[alt.Tooltip("kön:N", title="Kön"), alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=300)
    title = f"Sjukfrånvaro bland landstingsanställda efter kön {first}–{last}"
    finding = lines[0] if lines else ""
    fig = charts.figure(chart, name="sjukfranvaro-landsting-kon", title=title, finding=finding, data=plotted,
                        provenance=frame, headers={"år": "År", "kön": "Kön", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, finding, plotted, "procent", ["kön", "år"], "procent"))
    return Section(" ".join(lines), [fig])
