"""The kommuner of the region's län: sick leave and turnover among kommun employees."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, numbers, text
from tillit.report.chapters import Section, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.region.frames import kommuner_frame
from tillit.report.chapters.region.shared import GOTLAND, NBSP, PAGE, RIKET, alt_title, chart_title, check_code, in_place, keyed_count, keyed_pct, keyed_trend, names_at, page_key, place_key, region_figure, staff


def municipalities(db: Store, code: str) -> Section:
    """Municipal staff figures for the kommuner of this län where the book has them; otherwise one plain sentence."""
    check_code(code)
    frame = kommuner_frame(db)
    regions = vocab("region")
    covered = sorted(set(frame.region_code))
    where = text.listing([text.escape(regions.label(c)) for c in covered if c in regions])
    if code == RIKET:
        if frame.empty:
            return missing("Boken har ännu inga kommunala personalnyckeltal.")
        count = keyed_count(page_key("kommuner", "antal"), frame.kommun_code.nunique())
        links_ = text.listing([f"[{text.escape(regions.label(c))}]({PAGE.format(code=c)})" for c in covered
                               if c in regions])
        return Section(f"Boken har kommunala personalnyckeltal för {count} kommuner, alla i {where}; de visas på "
                       f"sidorna för {links_}. Ett riksvärde för kommunerna räknas inte fram ur dem, eftersom "
                       f"kommunerna inte är ett urval av landets kommuner.")
    own = frame[frame.region_code == code]
    if own.empty:
        return missing("Boken har ännu inga kommunala personalnyckeltal för länet"
                       + ("; på Gotland är kommunen och regionen samma organisation, Region Gotland." if code == GOTLAND
                          else "."))
    sick = own[own.measure == "sjukfranvaro_pct"]
    if sick.empty:
        return missing("Boken har ännu ingen sjukfrånvaro för kommunerna i länet, bara andra personalnyckeltal.")
    first, last = int(sick.period.min()), int(sick.period.max())
    wide = sick.pivot_table(index="kommun", columns="period", values="value")
    n = len(wide)
    publishers = text.listing(sorted({text.escape(p) for p in own.source_publisher}))
    if n == 1:
        k = wide.index[0]
        numbers.register(page_key("kommuner", place_key(code), "antal"), 1, "en")
        series = wide.loc[k].dropna()
        lines = [f"Boken har personalnyckeltal för en kommun {text.escape(in_place(code))}, {text.escape(k)}, från "
                 f"{publishers}; länets övriga kommuner saknas ännu.",
                 f"Sjukfrånvaron bland de kommunanställda i {text.escape(k)} "
                 f"{keyed_trend(('kommuner-sjukfranvaro', numbers.slug(k)), series)}."]
    else:
        nk = keyed_count(page_key("kommuner", place_key(code), "antal"), n)
        lines = [(f"Boken har personalnyckeltal för {nk} kommuner {text.escape(in_place(code))}, från {publishers}; "
                  f"länets övriga kommuner saknas ännu.")]
    if first < last and n > 1:
        change = (wide[last] - wide[first]).dropna()
        up = keyed_count(page_key("kommuner-sjukfranvaro", "hogre", last), int((change > 0).sum()))
        lines.append(f"I {up} av {keyed_count(page_key('kommuner-sjukfranvaro', 'jamforda', first, last), len(change))} "
                     f"kommuner var sjukfrånvaron bland de kommunanställda högre {last} än {first}.")
    at_last = wide[last].dropna()
    if n == 1:
        pass
    elif len(at_last) > 1:
        hi = keyed_pct(page_key("kommuner-sjukfranvaro", "hogst", last), at_last.max())
        lo = keyed_pct(page_key("kommuner-sjukfranvaro", "lagst", last), at_last.min())
        lines.append(f"År {last} var den högst i {names_at(at_last, at_last.max())} ({hi}) och "
                     f"lägst i {names_at(at_last, at_last.min())} ({lo}).")
    else:
        k = at_last.index[0]
        lines.append(f"År {last} var sjukfrånvaron bland de kommunanställda i {text.escape(k)} "
                     f"{keyed_pct(page_key('kommuner-sjukfranvaro', numbers.slug(k), last), at_last.iloc[0])}.")
    landsting = db.sql("SELECT period, value FROM sjukfranvaro_landsting WHERE region_code = $c AND sex = 'T'",
                       c=code).set_index("period")["value"]
    common = sorted(set(landsting.index) & set(wide.columns))
    if common:
        y = int(common[-1])
        kv = wide[y].dropna()
        lv = float(landsting[y])
        latest = "samma år" if y == last else f"{y}, det senaste år som finns för både kommunerna och landstinget"
        above = keyed_count(page_key("kommuner-sjukfranvaro", "over-landstinget", y), int((kv > lv).sum()))
        lines.append(f"Sjukfrånvaron bland {staff(code)} var "
                     f"{keyed_pct(page_key('sjukfranvaro', place_key(code), 'totalt', y), lv)} {latest}; då låg {above} av "
                     f"{keyed_count(page_key('kommuner-sjukfranvaro', 'jamforda', y), len(kv))} kommuner över den.")
    else:
        lines.append("Sjukfrånvaron bland de landstingsanställda finns inte för något av kommunernas år, så de går "
                     "inte att jämföra.")
    y_turn = own[own.measure == "omsattning_exkl_pension_pct"].period.max()
    turnover = own[(own.measure == "omsattning_exkl_pension_pct") & (own.period == y_turn)]
    if len(turnover) > 1:
        t = turnover.set_index("kommun")["value"]
        lo = keyed_pct(page_key("kommuner-omsattning", "lagst", int(y_turn)), t.min())
        hi = keyed_pct(page_key("kommuner-omsattning", "hogst", int(y_turn)), t.max())
        lines.append(f"Personalomsättningen utan pensionsavgångar var {int(y_turn)} mellan {lo} "
                     f"({names_at(t, t.min())}) och {hi} ({names_at(t, t.max())}).")
    ends = sick[sick.period.isin([first, last])].copy()
    ends["år"] = ends.period.astype(str)
    plotted = ends[["kommun", "år", "value"]].rename(columns={"value": "procent"}).reset_index(drop=True)
    order = wide[last].sort_values(ascending=False).index.tolist()
    base = alt.Chart(plotted).encode(y=alt.Y("kommun:N", sort=order, title=None))
    chart = alt.layer(
        base.mark_line(color="#BBBBBB", strokeWidth=3).encode(x="procent:Q", detail="kommun:N"),
        base.mark_point(filled=True, size=90).encode(
            x=alt.X("procent:Q", title="Sjukfrånvaro, % av arbetstiden", axis=alt.Axis(format=",.1f"),
                    scale=alt.Scale(zero=False)),
            color=alt.Color("år:N", title="År", scale=alt.Scale(range=[charts.PALETTE[4], charts.PALETTE[0]])),
            shape=alt.Shape("år:N", title="År"),
            tooltip=[alt.Tooltip("kommun:N", title="Kommun"), alt.Tooltip("år:N", title="År"),
                     alt.Tooltip("procent:Q", title="Procent", format=",.2f")]),
    ).properties(height=alt.Step(24))
    years = f"{first} och {last}" if first < last else f"{last}"
    if n == 1:
        title = chart_title("Kommunanställdas sjukfrånvaro,", f"{wide.index[0]} {years}")
    else:
        title = chart_title(f"Sjukfrånvaro i {n} kommuner", f"{in_place(code)}, {years}")
    if n == 1:
        finding = f"{wide.index[0]}: " + " och ".join(f"{text.number(wide.loc[wide.index[0], y], 1)}{NBSP}procent {y}"
                                                       for y in sorted({first, last}) if pd.notna(wide.loc[wide.index[0], y]))
    elif first < last:
        finding = f"Högre {last} än {first} i {int((change > 0).sum())} av {len(change)} kommuner."
    else:
        finding = lines[-1]
    fig = region_figure(chart, name=f"sjukfranvaro-kommuner-{code}", title=title, finding=finding, data=plotted,
                  provenance=sick, headers={"kommun": "Kommun", "år": "År", "procent": "Procent"}, decimals=2,
                  alt=charts.alt_text("Punktdiagram", alt_title(title), finding, plotted, "procent",
                                      ["kommun", "år"], "procent", 2))
    return Section(" ".join(lines), [fig])
