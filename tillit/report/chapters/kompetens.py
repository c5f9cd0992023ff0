"""Chapter 3.5 (bristande kompetensförsörjning) and the workforce part of section 2.1: sick leave, shortage, turnover."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, text
from tillit.core import links
from tillit.tables.catalog import vocab
from tillit.report.chapters import Section, key_points, missing, riket_sentence
from tillit.tables.store import Store

PROV = "source_publisher, source_title, source_url, source_type"

SERIES_LABELS = {
    ("arbetsmarknaden", "arbetsgivarverket"): "Hela arbetsmarknaden",
    ("staten", "arbetsgivarverket"): "Staten",
    ("kommuner", "skr_sjukfranvaroredovisning"): "Kommuner",
    ("regioner", "skr_sjukfranvaroredovisning"): "Landsting/regioner",
    ("regioner", "oppna_jamforelser_563"): "Landstingsanställda (Öppna jämförelser)",
}


def sector_sick_leave(db: Store, year_from: int, year_to: int) -> pd.DataFrame:
    frame = db.sql(f"""
        SELECT period, sector, series, value, {PROV}
        FROM sjukfranvaro_sektor
        WHERE measure = 'sjukfranvaro_pct' AND sex = 'T' AND period BETWEEN $y0 AND $y1
        ORDER BY sector, series, period""", y0=year_from, y1=year_to)
    frame["grupp"] = [SERIES_LABELS.get((s, r)) for s, r in zip(frame["sector"], frame["series"])]
    return frame.dropna(subset=["grupp"]).reset_index(drop=True)


def sector_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """Per year where all three exist: kommuner and landsting/regioner relative to the whole labour market."""
    wide = frame.pivot_table(index="period", columns="grupp", values="value")
    need = ["Kommuner", "Landsting/regioner", "Hela arbetsmarknaden"]
    wide = wide.dropna(subset=[c for c in need if c in wide]).reindex(columns=wide.columns)
    if not set(need) <= set(wide.columns) or wide.empty:
        return pd.DataFrame()
    wide = wide.dropna(subset=need)
    return pd.DataFrame({
        "kommuner": wide["Kommuner"], "regioner": wide["Landsting/regioner"],
        "arbetsmarknaden": wide["Hela arbetsmarknaden"], "staten": wide.get("Staten"),
        "kommuner_ratio": wide["Kommuner"] / wide["Hela arbetsmarknaden"],
        "regioner_ratio": wide["Landsting/regioner"] / wide["Hela arbetsmarknaden"],
    })


def first_sentence(s: str) -> str:
    """The first sentence of a paragraph, with its full stop (and only one)."""
    head = s.split(". ")[0]
    return head if head.endswith(".") else head + "."


def sector_gap_sentences(ratios: pd.DataFrame) -> list[str]:
    """The latest year's levels, how far kommuner and landsting/regioner lie above the labour market, and how that
    gap moved over the years the three series share."""
    last = int(ratios.index.max())
    r = ratios.loc[last]
    councils = text.council_word(last)
    lines = [
        f"År {last} var sjukfrånvaron {text.percent(r.kommuner)} av arbetstiden i kommunerna och "
        f"{text.percent(r.regioner)} i {councils}, mot {text.percent(r.arbetsmarknaden)} på hela arbetsmarknaden.",
        f"Kommunernas sjukfrånvaro var {text.percent_difference(r.kommuner, r.arbetsmarknaden)} än arbetsmarknadens "
        f"({text.ratio_words(r.kommuner, r.arbetsmarknaden)} den) och {councils}s "
        f"{text.percent_difference(r.regioner, r.arbetsmarknaden)}."]
    if pd.notna(r.staten):
        lines.append(f"Staten låg på {text.percent(r.staten)}, {text.ratio_words(r.staten, r.arbetsmarknaden)} "
                     f"arbetsmarknaden i stort.")
    if len(ratios) > 1:
        k = (ratios["kommuner_ratio"] - 1) * 100
        g = (ratios["regioner_ratio"] - 1) * 100
        verb, _, rest = text.gap_words(g, noun="", same="detsamma").partition(" ")
        lines.append(f"Kommunernas avstånd till arbetsmarknaden {text.gap_words(k, noun='', same='detsamma')}. "
                     f"För landstingen och regionerna {verb} det {rest}.")
    return lines


def sick_leave_by_sector(db: Store, year_from: int, year_to: int) -> Section:
    frame = sector_sick_leave(db, year_from, year_to)
    if frame.empty:
        return missing(f"Det finns ingen sjukfrånvaro per sektor för {year_from}–{year_to} i data.")
    ratios = sector_ratios(frame)
    lines = []
    if not ratios.empty:
        lines += sector_gap_sentences(ratios)
    first_year = int(frame.period.min())
    market = frame[frame.grupp == "Hela arbetsmarknaden"].set_index("period")["value"]
    if len(market) > 1:
        lines.append(f"Sjukfrånvaron på hela arbetsmarknaden {text.trend_words(market)}.")
    plotted = frame[["period", "grupp", "value"]].rename(columns={"period": "år", "value": "procent"})
    finding = first_sentence(lines[0]) if lines else ""
    chart = alt.Chart(plotted).mark_line(point=True).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("procent:Q", title="Sjukfrånvaro, % av arbetstiden", axis=alt.Axis(format=",.1f")),
        color=alt.Color("grupp:N", title=None, sort=list(SERIES_LABELS.values())),
        tooltip=[alt.Tooltip("grupp:N", title="Grupp"), alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=340)
    title = f"Sjukfrånvaro per sektor {first_year}–{int(frame.period.max())}"
    fig = charts.figure(chart, name="sjukfranvaro-sektor", title=title, finding=finding, data=plotted,
                        provenance=frame, headers={"år": "År", "grupp": "Grupp", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, finding, plotted, "procent", ["grupp", "år"], "procent"))
    return Section(" ".join(lines), [fig])


def sector_gap_table(db: Store, year_from: int, year_to: int) -> Section:
    """The report's '85 procent / nära 60 procent högre' re-computed for every year the data allows."""
    ratios = sector_ratios(sector_sick_leave(db, year_from, year_to))
    if ratios.empty:
        return missing("Kommuner, landsting/regioner och hela arbetsmarknaden finns inte för samma år i data.")
    rows = ["| År | Kommuner jämfört med arbetsmarknaden | Landsting/regioner jämfört med arbetsmarknaden |",
            "|---|---|---|"]
    for year, r in ratios.iterrows():
        rows.append(f"| {int(year)} | {text.percent_difference(r.kommuner, r.arbetsmarknaden)} | "
                    f"{text.percent_difference(r.regioner, r.arbetsmarknaden)} |")
    return Section("\n".join(rows))


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
    lines = [f"År {year} varierade sjukfrånvaron bland landstingsanställda från {text.percent(lo.value)} "
             f"{text.place(lo.landsting)} till {text.percent(hi.value)} {text.place(hi.landsting)} – den högsta var "
             f"{text.ratio_words(hi.value, lo.value)} den lägsta."]
    if not riket.empty:
        lines.append(riket_sentence(float(riket.value.iloc[0]), per.value))
    plotted = per[["landsting", "value"]].rename(columns={"value": "procent"})
    finding = lines[0]
    bars = alt.Chart(plotted).mark_bar(color=charts.PALETTE[0]).encode(
        x=alt.X("procent:Q", title="Sjukfrånvaro, % av ordinarie arbetstid", axis=alt.Axis(format=",.1f")),
        y=alt.Y("landsting:N", sort="-x", title=None),
        tooltip=[alt.Tooltip("landsting:N", title="Landsting"), alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    )
    layers = [bars]
    if not riket.empty:
        rule = alt.Chart(pd.DataFrame({"riket": [float(riket.value.iloc[0])]})).mark_rule(
            color=charts.HIGHLIGHT, strokeDash=[4, 3], strokeWidth=2).encode(x="riket:Q")
        layers.append(rule)
    title = f"Sjukfrånvaro bland landstingsanställda per landsting {year}"
    chart = alt.layer(*layers).properties(height=alt.Step(18))
    fig = charts.figure(chart, name=f"sjukfranvaro-landsting-{year}", title=title, finding=finding + " Streckad linje: riket.",
                        data=plotted, provenance=frame, headers={"landsting": "Landsting", "procent": "Procent"},
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
        lines.append(f"Kvinnornas sjukfrånvaro var {text.percent(wide.loc[last, 'K'])} och männens "
                     f"{text.percent(wide.loc[last, 'M'])} år {last}: kvinnornas var "
                     f"{text.ratio_words(wide.loc[last, 'K'], wide.loc[last, 'M'])} männens.")
    if "T" in wide and wide["T"].notna().sum() > 1:
        lines.append(f"Sjukfrånvaron för kvinnor och män tillsammans {text.trend_words(wide['T'])}.")
    plotted = frame[["period", "kön", "value"]].rename(columns={"period": "år", "value": "procent"})
    chart = alt.Chart(plotted).mark_line(point=True).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("procent:Q", title="Sjukfrånvaro, %", axis=alt.Axis(format=",.1f")),
        color=alt.Color("kön:N", title=None, sort=["Kvinnor", "Män", "Totalt"]),
        tooltip=["kön:N", alt.Tooltip("år:Q", format="d"), alt.Tooltip("procent:Q", format=",.1f")],
    ).properties(height=300)
    title = f"Sjukfrånvaro bland landstingsanställda i riket efter kön {first}–{last}"
    finding = lines[0] if lines else ""
    fig = charts.figure(chart, name="sjukfranvaro-landsting-kon", title=title, finding=finding, data=plotted,
                        provenance=frame, headers={"år": "År", "kön": "Kön", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, finding, plotted, "procent", ["kön", "år"], "procent"))
    return Section(" ".join(lines), [fig])


def kommun_measure(db: Store, measure: str) -> pd.DataFrame:
    frame = db.sql(f"""
        SELECT period, kommun_code, measure, value, {PROV} FROM personalnyckeltal_kommun
        WHERE measure = $m ORDER BY kommun_code, period""", m=measure)
    kommuner = vocab("kommun")
    frame["kommun"] = [kommuner.label(c) for c in frame.kommun_code]
    return frame


def _dumbbell(frame: pd.DataFrame, value_title: str, name: str, title: str, finding: str, group: str = "kommun"):
    first, last = int(frame.period.min()), int(frame.period.max())
    ends = frame[frame.period.isin([first, last])].copy()
    ends["år"] = ends.period.astype(str)
    plotted = ends[[group, "år", "value"]].rename(columns={"value": "procent"}).reset_index(drop=True)
    order = (ends[ends.period == last].sort_values("value", ascending=False)[group].tolist())
    base = alt.Chart(plotted).encode(y=alt.Y(f"{group}:N", sort=order, title=None))
    chart = alt.layer(
        base.mark_line(color="#BBBBBB", strokeWidth=3).encode(x="procent:Q", detail=f"{group}:N"),
        base.mark_point(filled=True, size=90).encode(
            x=alt.X("procent:Q", title=value_title, axis=alt.Axis(format=",.1f")),
            color=alt.Color("år:N", title="År", scale=alt.Scale(range=[charts.PALETTE[4], charts.PALETTE[0]])),
            shape=alt.Shape("år:N", title="År"),
            tooltip=[f"{group}:N", "år:N", alt.Tooltip("procent:Q", format=",.2f")]),
    ).properties(height=alt.Step(24))
    return charts.figure(chart, name=name, title=title, finding=finding, data=plotted, provenance=frame,
                         headers={group: group.capitalize(), "år": "År", "procent": "Procent"}, decimals=2,
                         alt=charts.alt_text("Punktdiagram", title, finding, plotted, "procent", [group, "år"], "procent", 2))


def kommuner_sick_leave(db: Store) -> Section:
    frame = kommun_measure(db, "sjukfranvaro_pct")
    if frame.empty:
        return missing("Personalnyckeltal för kommunerna saknas i data.")
    first, last = int(frame.period.min()), int(frame.period.max())
    wide = frame.pivot_table(index="kommun", columns="period", values="value")
    change = (wide[last] - wide[first]).dropna()
    up = int((change > 0).sum())
    hi = wide[last].idxmax()
    lines = [f"I {up} av {len(change)} kommuner var sjukfrånvaron högre {last} än {first}. Högst {last} låg "
             f"{hi} med {text.percent(wide.loc[hi, last], 2)}, lägst {wide[last].idxmin()} med "
             f"{text.percent(wide[last].min(), 2)}; genomsnittet för de {len(wide)} kommunerna var {text.percent(wide[last].mean(), 2)} "
             f"mot {text.percent(wide[first].mean(), 2)} {first}."]
    fig = _dumbbell(frame, "Sjukfrånvaro, % av arbetstiden", "sjukfranvaro-kommuner",
                    f"Sjukfrånvaro i {len(wide)} kommuner {first} och {last}", lines[0])
    return Section(" ".join(lines), [fig])


def kommuner_turnover(db: Store) -> Section:
    incl = kommun_measure(db, "omsattning_inkl_pension_pct")
    excl = kommun_measure(db, "omsattning_exkl_pension_pct")
    if incl.empty or excl.empty:
        return missing("Personalomsättning för kommunerna saknas i data.")
    last = int(incl.period.max())
    first = int(incl.period.min())
    li = incl[incl.period == last].set_index("kommun").value
    le = excl[excl.period == last].set_index("kommun").value
    pension = (li - le).dropna()
    lines = [f"År {last} var personalomsättningen inklusive pensionsavgångar i genomsnitt {text.percent(li.mean())} "
             f"i de {li.size} kommunerna (från {text.percent(li.min())} i {li.idxmin()} till {text.percent(li.max())} i "
             f"{li.idxmax()}). Utan pensionsavgångar var den {text.percent(le.mean())}. Pensionsavgångarna stod i "
             f"genomsnitt för {text.points(pension.mean())} av omsättningen."]
    mean_first = incl[incl.period == first].value.mean()
    lines.append(f"Genomsnittet inklusive pensionsavgångar {text.change_words(mean_first, li.mean())} mellan {first} "
                 f"och {last}.")
    both = pd.concat([incl.assign(mått="Inklusive pension"), excl.assign(mått="Exklusive pension")])
    latest = both[both.period == last]
    plotted = latest[["kommun", "mått", "value"]].rename(columns={"value": "procent"}).reset_index(drop=True)
    order = li.sort_values(ascending=False).index.tolist()
    chart = alt.Chart(plotted).mark_bar().encode(
        y=alt.Y("kommun:N", sort=order, title=None),
        x=alt.X("procent:Q", title="Personalomsättning, %", axis=alt.Axis(format=",.1f")),
        yOffset=alt.YOffset("mått:N", sort=["Inklusive pension", "Exklusive pension"]),
        color=alt.Color("mått:N", title=None, sort=["Inklusive pension", "Exklusive pension"]),
        tooltip=["kommun:N", "mått:N", alt.Tooltip("procent:Q", format=",.1f")],
    ).properties(height=alt.Step(12))
    title = f"Personalomsättning i {li.size} kommuner {last}, med och utan pensionsavgångar"
    fig = charts.figure(chart, name="omsattning-kommuner", title=title, finding=first_sentence(lines[0]),
                        data=plotted, provenance=latest, headers={"kommun": "Kommun", "mått": "Mått", "procent": "Procent"},
                        alt=charts.alt_text("Stapeldiagram", title, lines[0], plotted, "procent", ["kommun", "mått"], "procent"))
    return Section(" ".join(lines), [fig])


def short_occupation(name: str) -> str:
    return name.split(" (")[0]


def sick_cases_by_occupation(db: Store) -> Section:
    year = db.sql("SELECT max(period) y FROM sjukfall_yrke").y.iloc[0]
    frame = db.sql(f"SELECT occupation, value, {PROV} FROM sjukfall_yrke WHERE period = $y ORDER BY value DESC", y=int(year))
    allrow = frame[frame.occupation == "Samtliga yrken"]
    if frame.empty or allrow.empty:
        return missing("Sjukfall per yrke och för samtliga yrken saknas i data.")
    base = float(allrow.value.iloc[0])
    frame["yrke"] = frame.occupation.map(short_occupation)
    welfare = frame[(frame.occupation != "Samtliga yrken") & (frame.occupation != "Professionella idrottsutövare")]
    parts = [f"{r.yrke.lower() if r.yrke[1:].islower() else r.yrke} {text.number(r.value, 0)} "
             f"({text.ratio_words(r.value, base)} samtliga yrken)" for r in welfare.itertuples()]
    lines = [f"År {int(year)} hade samtliga yrken {text.number(base, 0)} sjukfall per 1\u00a0000 arbetande. "
             f"Välfärdsyrkena i data låg alla över: {text.listing(parts)}."]
    plotted = frame[["yrke", "value"]].rename(columns={"value": "sjukfall_per_1000"})
    plotted["jämförelse"] = ["Samtliga yrken" if y == "Samtliga yrken" else "Yrkesgrupp" for y in plotted.yrke]
    bars = alt.Chart(plotted).mark_bar().encode(
        x=alt.X("sjukfall_per_1000:Q", title="Sjukfall per 1 000 arbetande", axis=alt.Axis(format=",d")),
        y=alt.Y("yrke:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("jämförelse:N", title=None, scale=alt.Scale(domain=["Yrkesgrupp", "Samtliga yrken"],
                                                                   range=[charts.PALETTE[0], charts.NEUTRAL])),
        tooltip=["yrke:N", alt.Tooltip("sjukfall_per_1000:Q", title="Sjukfall per 1 000", format=",d")],
    ).properties(height=alt.Step(26))
    title = f"Sjukfall per 1 000 arbetande per yrke {int(year)}"
    finding = first_sentence(lines[0])
    fig = charts.figure(bars, name="sjukfall-yrke", title=title, finding=finding, data=plotted, provenance=frame,
                        headers={"yrke": "Yrke", "sjukfall_per_1000": "Sjukfall per 1 000", "jämförelse": "Grupp"},
                        decimals=0,
                        alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "sjukfall_per_1000", "yrke", "", 0))
    return Section(" ".join(lines), [fig])


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
    a0, a1 = round(tot.andel.iloc[0], 1), round(tot.andel.iloc[-1], 1)
    change = f"en {'ökning' if a1 > a0 else 'minskning'} med {text.points(a1 - a0)}" if a1 != a0 else "ingen förändring"
    lines = [f"Andelen pågående sjukfall med sjukpenning som hade en psykiatrisk diagnos (ICD-10 F00–F99) "
             f"{text.change_words(tot.andel.iloc[0], tot.andel.iloc[-1])} mellan {when0} och {when1}, {change}."]
    lastq = frame[frame.period == last].set_index("sex").andel
    if {"K", "M"} <= set(lastq.index):
        lines.append(f"Under {when1} var andelen {text.percent(lastq['K'])} bland kvinnor och "
                     f"{text.percent(lastq['M'])} bland män.")
    frame["kvartal"] = frame.year.astype(str) + "-Q" + frame.quarter.astype(str)
    plotted = frame[["kvartal", "kön", "andel"]].rename(columns={"andel": "procent"})
    chart = alt.Chart(plotted).mark_line().encode(
        x=alt.X("kvartal:O", title="Kvartal", axis=alt.Axis(values=[k for k in plotted.kvartal.unique() if k.endswith("Q1")],
                                                            labelExpr="slice(datum.value, 0, 4)", labelAngle=0)),
        y=alt.Y("procent:Q", title="Andel psykiatriska diagnoser, %", axis=alt.Axis(format=",.0f")),
        color=alt.Color("kön:N", title=None, sort=["Kvinnor", "Män", "Totalt"]),
        tooltip=["kön:N", "kvartal:O", alt.Tooltip("procent:Q", format=",.1f")],
    ).properties(height=320)
    title = f"Andel psykiatriska diagnoser bland pågående sjukfall, {when0} – {when1}"
    fig = charts.figure(chart, name="psykiatriska-diagnoser", title=title, finding=lines[0],
                        data=plotted, provenance=frame.drop_duplicates("source_title"),
                        headers={"kvartal": "Kvartal", "kön": "Kön", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, lines[0], plotted, "procent", ["kön", "kvartal"], "procent"))
    return Section(" ".join(lines), [fig])


def shortage_index(db: Store, period: int | None = None) -> Section:
    years = db.sql("SELECT DISTINCT period FROM bristindex WHERE ssyk IS NOT NULL ORDER BY period").period.tolist()
    if not years:
        return missing("Arbetsförmedlingens bristindex saknas i data.")
    year = int(period or min(y for y in years if y >= 2024) if any(y >= 2024 for y in years) else years[-1])
    frame = db.sql(f"""
        SELECT ssyk, occupation, value, {PROV} FROM bristindex
        WHERE period = $y AND ssyk IS NOT NULL ORDER BY value DESC, occupation""", y=year)
    # several SSYK codes share one assessment group: plot each group once
    groups = frame.groupby(["occupation", "value"], as_index=False).agg(ssyk=("ssyk", lambda s: ", ".join(sorted(s))))
    groups = groups.sort_values(["value", "occupation"], ascending=[False, True]).reset_index(drop=True)
    big = groups[groups.value >= 4.5]
    short = groups[groups.value >= 3.5]
    lines = [f"I Arbetsförmedlingens bedömning för {year} bedöms {len(short)} av {len(groups)} välfärdsyrkesgrupper "
             f"i data ha brist på sökande (index 3,5 eller högre), varav {len(big)} stor brist (4,5 eller högre): "
             f"{text.listing([g.lower() for g in big.occupation])}." if len(big) else
             f"I Arbetsförmedlingens bedömning för {year} har ingen av yrkesgrupperna i data index 4,5 eller högre."]
    low = groups[groups.value < 3]
    if len(low):
        lines.append(f"Lägst bristindex har {text.listing([g.lower() for g in low.occupation])} "
                     f"({text.number(low.value.min(), 1)}).")
    plotted = groups.rename(columns={"occupation": "yrke", "value": "bristindex"})[["yrke", "ssyk", "bristindex"]]
    chart = alt.Chart(plotted).mark_bar(clip=True).encode(
        x=alt.X("bristindex:Q", title="Bristindex (1 = stort överskott, 3 = balans, 5 = stor brist)",
                scale=alt.Scale(domain=[1, 5]), axis=alt.Axis(values=[1, 2, 3, 4, 5], format=",d")),
        y=alt.Y("yrke:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.condition("datum.bristindex >= 4.5", alt.value(charts.HIGHLIGHT), alt.value(charts.PALETTE[0])),
        tooltip=["yrke:N", "ssyk:N", alt.Tooltip("bristindex:Q", format=",.1f")],
    ).properties(height=alt.Step(20))
    rule = alt.Chart(pd.DataFrame({"balans": [3]})).mark_rule(color="#333", strokeDash=[3, 3]).encode(x="balans:Q")
    title = f"Arbetsförmedlingens bristindex per välfärdsyrke, bedömning för {year}"
    fig = charts.figure(alt.layer(chart, rule), name=f"bristindex-{year}", title=title, finding=lines[0],
                        data=plotted, provenance=frame,
                        headers={"yrke": "Yrke (bedömningsgrupp)", "ssyk": "SSYK 2012", "bristindex": "Bristindex"},
                        alt=charts.alt_text("Stapeldiagram", title, lines[0], plotted, "bristindex", "yrke"))
    scale = ("Skalan: Arbetsförmedlingen graderar konkurrensen om jobben från 1 (stort överskott på arbetssökande) "
             "via 3 (balans) till 5 (stor brist på sökande). Indexet är ett viktat medelvärde av bedömningar; "
             "den streckade linjen markerar balans och rött betyder 4,5 eller högre.")
    return Section(" ".join(lines) + "\n\n" + scale, [fig])


def nurse_turnover(db: Store) -> Section:
    frame = db.sql(f"""SELECT period, region_code, measure, value, unit, {PROV}, quote FROM omsattning_sjukskoterskor
                        ORDER BY region_code, measure, period""")
    if frame.empty:
        return missing("Uppgifter om sjuksköterskor som slutar saknas i data.")
    regions = vocab("region")
    frame["landsting"] = [regions.label(c) for c in frame.region_code]
    frame["mått"] = frame.measure.map({"slutat_inkl_pension_pct": "Andel som slutade inkl. pension, %",
                                       "slutat_exkl_pension_per_100": "Slutade exkl. pension, per 100 anställda"})
    rows = ["| Landsting | År | Mått | Värde | Källa |", "|---|---|---|---|---|"]
    for r in frame.itertuples():
        kind = " (sekundärkälla)" if r.source_type == "secondary" else ""
        rows.append(f"| {text.escape(r.landsting)} | {r.period} | {r.mått} | {text.number(r.value, 1)} | "
                    f"{links.md_link(text.escape(r.source_publisher), r.source_url)}{kind} |")
    parts, spans = [], set()
    for name_, g in frame[frame.measure == "slutat_exkl_pension_per_100"].groupby("landsting"):
        if len(g) > 1:
            a, b = g.value.iloc[0], g.value.iloc[-1]
            verb = "ökade" if b > a else "minskade" if b < a else "var oförändrad"
            parts.append((verb, f"{text.place(name_)} från {text.number(a, 1)} till {text.number(b, 1)}"))
            spans.add((int(g.period.iloc[0]), int(g.period.iloc[-1])))
    summary = ""
    if parts and len(spans) == 1 and len({v for v, _ in parts}) == 1:
        (y0, y1), = spans
        summary = (f"Antalet sjuksköterskor per 100 anställda som slutade, pensionsavgångar oräknade, {parts[0][0]} "
                   f"mellan {y0} och {y1} {text.listing([p for _, p in parts])}. ")
    elif parts:
        summary = " ".join(f"Antalet sjuksköterskor per 100 anställda som slutade, pensionsavgångar oräknade, "
                           f"{v} {p}." for v, p in parts) + " "
    note = ("Uppsala redovisar bara andelen inklusive pensionsavgångar, så måtten är inte jämförbara rakt av; "
            "alla värden kommer från Vårdfokus sammanställning (sekundärkälla).")
    return Section(summary + note + "\n\n" + "\n".join(rows))


def hired_staff(db: Store) -> Section:
    """Hired-staff costs of the landsting/regioner to the latest year, against the report's picture of rising costs."""
    frame = db.sql(f"""SELECT period, measure, value, unit, {PROV} FROM inhyrd_personal_regioner
                        WHERE region_code = '00' AND staff_group = 'alla' ORDER BY period""")
    cost = frame[frame.measure == "kostnad"].copy()
    if len(cost) < 2:
        return missing("Kostnaderna för inhyrd personal finns inte för två år i data.")
    cost["år"] = cost.period.astype(int)
    series = cost.set_index("år")["value"]
    lines = [f"Regionernas kostnader för inhyrd personal {text.trend_words(series, unit='miljarder kronor')}."]
    if {2015, 2016} <= set(series.index):
        lines.append(f"Mellan 2015 och 2016, det år betänkandet citerar, ökade de med "
                     f"{text.percent((series[2016] / series[2015] - 1) * 100, 0)}.")
    later = frame[(frame.measure.str.startswith("forandring")) & (frame.unit == "miljarder kronor")]
    for r in later.itertuples():
        when = str(r.period)
        if when.endswith("H1"):
            span = f"under första halvåret {when[:4]} jämfört med samma period året före"
        else:
            span = f"under {when} jämfört med året före"
        if when[:4].isdigit() and int(when[:4]) > int(series.index.max()):
            verb = "ökade" if r.value > 0 else "minskade"
            lines.append(f"Kostnaderna {verb} med {text.number(abs(r.value), 1)} miljarder kronor {span}.")
    turned = any(r.value < 0 for r in later.itertuples() if str(r.period)[:4].isdigit()
                 and int(str(r.period)[:4]) > int(series.index.max()))
    lines.append("Den ökning betänkandet beskrev fortsatte därmed i flera år"
                 + (" men har på senare tid vänt nedåt." if turned else "."))
    pubs = text.listing(sorted({text.escape(p) for p in frame.source_publisher}))
    secondary = (frame.source_type == "secondary").any()
    lines.append(f"Uppgifterna kommer från {pubs}" + (", som återger SKR (sekundärkällor)." if secondary else ".")
                 + f" SKL:s serie före {int(series.index.min())}, som betänkandets fördubbling bygger på, finns inte i "
                   "data.")
    plotted = cost[["år", "value"]].rename(columns={"value": "miljarder_kronor"})
    chart = alt.Chart(plotted).mark_line(point=True, color=charts.PALETTE[0]).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", values=plotted["år"].tolist())),
        y=alt.Y("miljarder_kronor:Q", title="Miljarder kronor", axis=alt.Axis(format=",.1f")),
        tooltip=[alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("miljarder_kronor:Q", title="Miljarder kronor", format=",.1f")]).properties(height=260)
    title = f"Regionernas kostnader för inhyrd personal {int(plotted['år'].min())}–{int(plotted['år'].max())}"
    fig = charts.figure(chart, name="inhyrd-personal", title=title, finding=lines[0], data=plotted, provenance=cost,
                        headers={"år": "År", "miljarder_kronor": "Miljarder kronor"},
                        alt=charts.alt_text("Linjediagram", title, lines[0], plotted, "miljarder_kronor", "år", ""))
    return Section(" ".join(lines), [fig])


def sick_cases_report_year(db: Store, year: int = 2014) -> Section:
    """The report's Figur 3.6 year (2014) in the nearest measure in data: sick cases per 1 000 employed per
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
        lines.append(f"År {year} hade vård- och omsorgspersonal {text.number(v, 0)} sjukfall per 1\u00a0000 anställda "
                     f"mot {text.number(base, 0)} för samtliga yrken, {text.ratio_words(v, base)} genomsnittet.")
    if others:
        parts = [f"{short_occupation(o).lower()} {text.number(at[o], 0)} ({text.ratio_words(at[o], base)} genomsnittet)"
                 for o in sorted(others, key=lambda o: -at[o])]
        parts = [f"{short_occupation(o).lower()} på {text.number(at[o], 0)} ({text.ratio_words(at[o], base)} "
                 f"genomsnittet)" for o in sorted(others, key=lambda o: -at[o])]
        lines.append(f"Bland övriga yrkesgrupper i data låg {text.listing(parts)}.")
    latest = int(frame.period.max())
    now = frame[frame.period == latest].set_index("occupation")["value"]
    care_now = [o for o in now.index if o.startswith("Vård- och omsorgspersonal")]
    if care and care_now and "Samtliga yrken" in now and latest > year:
        r0, r1 = at[care[0]] / base, now[care_now[0]] / now["Samtliga yrken"]
        lines.append(f"År {latest} var kvoten mellan vård- och omsorgspersonalen och samtliga yrken "
                     f"{text.number(r1, 2)} mot {text.number(r0, 2)} år {year}: "
                     + ("avståndet till genomsnittet är i stort sett detsamma." if abs(r1 - r0) < 0.1 else
                        "avståndet till genomsnittet har ökat." if r1 > r0 else "avståndet till genomsnittet har minskat."))
    lines.append("Måttet är antal sjukfall, inte sjukskrivningsdagar per anställd som i betänkandets figur 3.6, så "
                 "siffrorna prövar inte betänkandets uppgift rakt av.")
    return Section(" ".join(lines))


TURNOVER_WORDS = [(r";\s*staff group not stated in excerpt", "; personalgrupp anges inte"),
                  (r">=\s*", "minst "), (r"<=\s*", "högst "), (r"\bexkl\.", "utom"), (r"\bnov\b", "november")]


def turnover_words(s: str) -> str:
    """Scope and measure of a turnover figure in plain Swedish: no English notes from the collection, no '>='."""
    import re

    for pattern, words in TURNOVER_WORDS:
        s = re.sub(pattern, words, s)
    return s


def turnover_period(period: str) -> str:
    """'2015→2016' → '2015–2016', 'nov 2016–nov 2017' → 'november 2016 – november 2017'."""
    p = str(period).replace("→", "–")
    return turnover_words(p).replace("–november", " – november")


def national_turnover_points(db: Store) -> Section:
    frame = db.sql(f"SELECT period, scope, measure, value, {PROV} FROM personalomsattning ORDER BY period, scope")
    if frame.empty:
        return missing("Nationella uppgifter om personalomsättning saknas i data.")
    rows = ["| Period | Avser | Mått | Procent | Källa |", "|---|---|---|---|---|"]
    for r in frame.itertuples():
        kind = " (sekundärkälla)" if r.source_type == "secondary" else ""
        rows.append(f"| {text.escape(turnover_period(r.period))} | {text.escape(turnover_words(r.scope))} | "
                    f"{text.escape(turnover_words(r.measure))} | "
                    f"{text.number(r.value, 1)} | {links.md_link(text.escape(r.source_publisher), r.source_url)}{kind} |")
    return Section("\n".join(rows))


REPORT_YEAR = 2017  # the last year the report (SOU 2018:47, published 2018) could have seen


def _gap_at(ratios: pd.DataFrame, year: int) -> tuple[int, pd.Series] | None:
    """The sector ratios of the latest year at or before `year`."""
    before = ratios[ratios.index <= year]
    if before.empty:
        return None
    y = int(before.index.max())
    return y, before.loc[y]


def sick_leave_key_sentences(db: Store) -> list[str]:
    """What the sector data say now against the report's picture: latest gap, and the gap then against now."""
    ratios = sector_ratios(sector_sick_leave(db, 1990, 2100))
    if ratios.empty:
        return ["Kommuner, landsting/regioner och hela arbetsmarknaden finns inte för samma år i data, så "
                "betänkandets jämförelse kan inte göras om."]
    last = int(ratios.index.max())
    r = ratios.loc[last]
    councils = text.council_word(last)
    out = [f"År {last} var sjukfrånvaron i kommunerna {text.percent_difference(r.kommuner, r.arbetsmarknaden)} och i "
           f"{councils} {text.percent_difference(r.regioner, r.arbetsmarknaden)} än på hela arbetsmarknaden."]
    then = _gap_at(ratios, REPORT_YEAR)
    if then and then[0] < last:
        y0, r0 = then
        k = text.since_words(y0, (r0.kommuner_ratio - 1) * 100, last, (r.kommuner_ratio - 1) * 100, decimals=0, margin=5)
        g = text.since_words(y0, (r0.regioner_ratio - 1) * 100, last, (r.regioner_ratio - 1) * 100, decimals=0, margin=5)
        grew = r.kommuner_ratio - r0.kommuner_ratio >= 0.05 or r.regioner_ratio - r0.regioner_ratio >= 0.05
        fell = r0.kommuner_ratio - r.kommuner_ratio >= 0.05 or r0.regioner_ratio - r.regioner_ratio >= 0.05
        verdict = ("Bilden från betänkandet står sig" if not grew and not fell else
                   "Skillnaden mot arbetsmarknaden har vuxit sedan betänkandet" if grew and not fell else
                   "Skillnaden mot arbetsmarknaden har minskat sedan betänkandet" if fell and not grew else
                   "Bilden är splittrad")
        out.append(f"{verdict}. Kommunernas skillnad mot arbetsmarknaden {k}, landstingens och regionernas {g}.")
    return out


def shortage_key_sentence(db: Store) -> str | None:
    years = db.sql("SELECT DISTINCT period FROM bristindex WHERE ssyk IS NOT NULL ORDER BY period").period.tolist()
    if not years:
        return None
    year = int(min(y for y in years if y >= 2024) if any(y >= 2024 for y in years) else years[-1])
    groups = db.sql("""SELECT occupation, max(value) AS value FROM bristindex WHERE period = $y AND ssyk IS NOT NULL
                       GROUP BY occupation""", y=year)
    short = int((groups.value >= 3.5).sum())
    return (f"Bristen på sökande finns kvar: i Arbetsförmedlingens bedömning för {year} har {short} av {len(groups)} "
            f"välfärdsyrkesgrupper i data brist på sökande.")


def key_points_kompetens(db: Store) -> Section:
    """'Det viktigaste' for 3.5: the report's picture, the latest sick-leave gap and shortage, and what changed."""
    lines = ["Betänkandet beskrev en sjukfrånvaro i kommuner och landsting långt över arbetsmarknadens, hög "
             "personalomsättning och brist på sökande i många välfärdsyrken."]
    lines += sick_leave_key_sentences(db)
    shortage = shortage_key_sentence(db)
    if shortage:
        lines.append(shortage)
    return key_points(lines[:4])


def key_points_medarbetarna(db: Store) -> Section:
    """'Det viktigaste' for 2.1: shortage and sick leave among welfare staff, then and now."""
    lines = ["Betänkandet pekade på brist på utbildad personal och på en sjukfrånvaro bland välfärdens medarbetare som "
             "länge legat över genomsnittet på arbetsmarknaden."]
    shortage = shortage_key_sentence(db)
    if shortage:
        lines.append(shortage)
    lines += sick_leave_key_sentences(db)
    return key_points(lines[:4])
