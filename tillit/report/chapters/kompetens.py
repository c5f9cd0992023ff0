"""Chapter 3.5 (bristande kompetensförsörjning) and the workforce part of section 2.1: sick leave, shortage, turnover.

Every number written into the prose is keyed (`tillit.report.numbers`): the key names the measure, its dimensions
and the year, never the sentence around it. A number is registered as shown ('93'), and the words around it
('procent högre') are written outside, so the same key always shows the same text wherever it stands on a page."""
from __future__ import annotations

import re
import textwrap

import altair as alt
import pandas as pd

from tillit.core import links, markdown
from tillit.report import charts, maps, numbers, text
from tillit.tables.catalog import vocab
from tillit.report.chapters import Section, key_points, missing
from tillit.tables.store import Store

PROV = "source_publisher, source_title, source_url, source_type"
NBSP = "\u00a0"
REPORT_YEAR = 2017  # the last year the report (SOU 2018:47, published 2018) could have seen

SERIES_LABELS = {
    ("arbetsmarknaden", "arbetsgivarverket"): "Hela arbetsmarknaden",
    ("staten", "arbetsgivarverket"): "Staten",
    ("kommuner", "skr_sjukfranvaroredovisning"): "Kommuner",
    ("regioner", "skr_sjukfranvaroredovisning"): "Landsting/regioner",
    ("regioner", "oppna_jamforelser_563"): "Landstingsanställda (Öppna jämförelser)",
}
# The sector chart shows one series per sector; Öppna jämförelser's series for landsting employees overlaps SKL/SKR's
# and is described in the text (and shown per landsting and by sex further down the page).
CHART_SERIES = ["Hela arbetsmarknaden", "Staten", "Kommuner", "Landsting/regioner"]
# Who publishes each series (the catalog's description of the `series` column, in the reader's words).
SERIES_SOURCES_SHORT = {"arbetsgivarverket": "Arbetsgivarverket", "skr_sjukfranvaroredovisning": "SKL/SKR",
                        "oppna_jamforelser_563": "Öppna jämförelser"}
SERIES_SOURCES = {"arbetsgivarverket": "Arbetsgivarverket",
                  "skr_sjukfranvaroredovisning": "SKL/SKR:s sammanställning av den obligatoriska sjukfrånvaroredovisningen",
                  "oppna_jamforelser_563": "Öppna jämförelser (indikator 563)"}


# --- keyed numbers -----------------------------------------------------------------------------------------------

def _pct(parts: tuple, value, decimals: int = 1) -> str:
    return numbers.percent(numbers.key(*parts), value, decimals)


def _num(parts: tuple, value, decimals: int = 1) -> str:
    return numbers.number(numbers.key(*parts), value, decimals)


def _reg(parts: tuple, value, shown: str) -> str:
    return numbers.register(numbers.key(*parts), value, shown)


def _count(parts: tuple, n: int) -> str:
    return numbers.register(numbers.key(*parts), int(n), str(int(n)))


def _diff(parts: tuple, a: float, b: float) -> str:
    """'93 procent högre' / '16 procent lägre' for a against b; the number (a/b − 1, in per cent) is keyed."""
    diff = (a / b - 1) * 100
    shown = _reg(parts, diff, text.number(abs(diff), 0))
    return f"{shown}{NBSP}procent {'högre' if diff >= 0 else 'lägre'}"


def _ratio(parts: tuple, a: float, b: float, adjective: str = "hög") -> str:
    """text.ratio_words (which may hold a number: 'drygt 70 procent högre än'), keyed by the ratio a/b."""
    return _reg(parts, a / b, text.ratio_words(a, b, adjective))


def _phrase(parts: tuple, value, words: str) -> str:
    """A phrase with several numbers (a trend, a gap over years) as one keyed record: value is the latest one."""
    return _reg(parts, value, words)


# --- sources in the reader's language ----------------------------------------------------------------------------

MONTHS_EN = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
             "nov": 11, "dec": 12}


def _month(m: re.Match, group: int) -> str:
    return text.month_name(MONTHS_EN[m.group(group)[:3].lower()])


# --- sick leave per sector ---------------------------------------------------------------------------------------

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
    if not set(need) <= set(wide.columns):
        return pd.DataFrame()
    wide = wide.dropna(subset=need)
    if wide.empty:
        return pd.DataFrame()
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


def group_words(label: str, first: int, last: int) -> str:
    """A chart series as running text: 'hela arbetsmarknaden', 'kommunerna', 'landstingen/regionerna' (by period)."""
    if label == "Landsting/regioner":
        return text.council_span(first, last)
    return {"Hela arbetsmarknaden": "hela arbetsmarknaden", "Staten": "staten", "Kommuner": "kommunerna"}.get(
        label, label[:1].lower() + label[1:])


def sector_gap_sentences(ratios: pd.DataFrame) -> list[str]:
    """The latest year's levels, how far kommuner and landsting/regioner lie above the labour market, and how that
    gap moved over the years the three series share."""
    last = int(ratios.index.max())
    r = ratios.loc[last]
    councils = text.council_word(last)
    lines = [
        f"År {last} var sjukfrånvaron {_pct(('sektor', 'kommuner', last), r.kommuner)} av arbetstiden i kommunerna "
        f"och {_pct(('sektor', 'landsting-regioner', last), r.regioner)} i {councils}, mot "
        f"{_pct(('sektor', 'arbetsmarknaden', last), r.arbetsmarknaden)} på hela arbetsmarknaden.",
        f"Kommunernas sjukfrånvaro var {_diff(('skillnad-mot-arbetsmarknaden', 'kommuner', last), r.kommuner, r.arbetsmarknaden)} "
        f"än arbetsmarknadens ({_ratio(('kvot-mot-arbetsmarknaden', 'kommuner', last), r.kommuner, r.arbetsmarknaden)} "
        f"den) och {councils}s "
        f"{_diff(('skillnad-mot-arbetsmarknaden', 'landsting-regioner', last), r.regioner, r.arbetsmarknaden)}."]
    if pd.notna(r.staten):
        lines.append(f"Staten låg samma år på {_pct(('sektor', 'staten', last), r.staten)}, "
                     f"{_ratio(('kvot-mot-arbetsmarknaden', 'staten', last), r.staten, r.arbetsmarknaden)} "
                     f"arbetsmarknaden i stort.")
    if len(ratios) > 1:
        first = int(ratios.index.min())
        k = (ratios["kommuner_ratio"] - 1) * 100
        g = (ratios["regioner_ratio"] - 1) * 100
        k_words = _phrase(("skillnad-mot-arbetsmarknaden", "kommuner", "utveckling"), float(k.iloc[-1]),
                          text.gap_words(k, noun="", same="detsamma"))
        verb, _, rest = text.gap_words(g, noun="", same="detsamma").partition(" ")
        rest = _phrase(("skillnad-mot-arbetsmarknaden", "landsting-regioner", "utveckling"), float(g.iloc[-1]), rest)
        lines.append(f"Kommunernas avstånd till arbetsmarknaden {k_words}. "
                     f"För {text.council_span(first, last)} {verb} det {rest}.")
    return lines


def sector_level_sentence(ratios: pd.DataFrame) -> str | None:
    """What matters for the report's claim: the labour market's level moved, the gap to the councils stayed."""
    if len(ratios) < 2:
        return None
    y0, y1 = int(ratios.index.min()), int(ratios.index.max())
    m0, m1 = ratios.loc[y0, "arbetsmarknaden"], ratios.loc[y1, "arbetsmarknaden"]
    above = int(((ratios.kommuner > ratios.arbetsmarknaden) & (ratios.regioner > ratios.arbetsmarknaden)).sum())
    n = len(ratios)
    change = _phrase(("sektor", "arbetsmarknaden", "forandring", f"{y0}-{y1}"), m1, text.change_words(m0, m1))
    councils = text.council_span(y0, y1)
    if above == n:
        return (f"Sjukfrånvaron på hela arbetsmarknaden {change} mellan {y0} och {y1}, men kommunerna och "
                f"{councils} låg över den vart och ett av de {_count(('sektor', 'ar-med-alla-tre'), n)} år som har "
                f"uppgifter för alla tre.")
    return (f"Sjukfrånvaron på hela arbetsmarknaden {change} mellan {y0} och {y1}. Kommunerna och {councils} låg "
            f"båda över den {_count(('sektor', 'ar-over-arbetsmarknaden'), above)} av de "
            f"{_count(('sektor', 'ar-med-alla-tre'), n)} år som har uppgifter för alla tre.")


def sector_spans(frame: pd.DataFrame) -> dict[str, list[int]]:
    """The years each chart series has, in the chart's order."""
    return {g: sorted(int(p) for p in frame[frame.grupp == g].period) for g in CHART_SERIES if (frame.grupp == g).any()}


def sector_coverage_sentences(frame: pd.DataFrame) -> tuple[str, str]:
    """(what each series covers and where it comes from, the short version for the chart's caption)."""
    spans = sector_spans(frame)
    by_source: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    for g, years in spans.items():
        series = frame[frame.grupp == g].series.iloc[0]
        source = SERIES_SOURCES.get(series, series)
        name = group_words(g, years[0], years[-1])
        by_source.setdefault(source, []).append(f"{name} ({text.span_with_gaps(years)})")
        short.setdefault(SERIES_SOURCES_SHORT.get(series, source), []).append(name)
    long = "I diagrammet kommer " + "; ".join(
        f"{text.listing(names)}{' kommer' if i else ''} från {source}"
        for i, (source, names) in enumerate(by_source.items())) + ". Definitionerna skiljer sig något mellan källorna."
    caption = "Serierna: " + "; ".join(f"{text.listing(names)} enligt {source}"
                                     for source, names in short.items()) + "; definitionerna skiljer sig något."
    last = max(y[-1] for y in spans.values())
    ends = {g: y[-1] for g, y in spans.items()}
    latest = [g for g, y in ends.items() if y == last]
    earlier = {g: y for g, y in ends.items() if y < last}
    if earlier:
        end_years = sorted(set(earlier.values()))
        names = [group_words(g, spans[g][0], spans[g][-1]) for g in earlier]
        lead = text.listing([group_words(g, spans[g][0], spans[g][-1]) for g in latest])
        if len(end_years) == 1:
            long += (f" Serierna för {text.listing(names)} slutar {end_years[0]}; bara {lead} har uppgifter för "
                     f"{last}.")
        else:
            long += f" Bara {lead} har uppgifter för {last}."
    return long, caption


def oppna_jamforelser_sentence(frame: pd.DataFrame) -> str | None:
    """The second landsting series (Öppna jämförelser) against SKL/SKR's, from the rows themselves."""
    oj = frame[frame.series == "oppna_jamforelser_563"].set_index("period")["value"]
    skr = frame[(frame.series == "skr_sjukfranvaroredovisning") & (frame.sector == "regioner")].set_index("period")["value"]
    both = sorted(set(oj.index) & set(skr.index))
    if oj.empty:
        return None
    span = text.span_with_gaps(oj.index)
    out = (f"Öppna jämförelser (indikator 563) har en egen serie för landstingsanställda, {span}, som inte visas i "
           f"diagrammet utan per landsting och kön längre ned.")
    if both:
        gap = (oj[both] - skr[both]).abs()
        out += (f" De år båda serierna finns ({text.span_with_gaps(both)}) skiljer de sig med högst "
                f"{_reg(('sektor', 'oppna-jamforelser-mot-skr', 'storsta-skillnad'), float(gap.max()), text.points(gap.max(), 2))}.")
    return out


def sick_leave_by_sector(db: Store, year_from: int, year_to: int) -> Section:
    frame = sector_sick_leave(db, year_from, year_to)
    if frame.empty:
        return missing(f"Det finns ingen sjukfrånvaro per sektor för {year_from}–{year_to} i data.")
    ratios = sector_ratios(frame)
    lines = []
    if not ratios.empty:
        lines += sector_gap_sentences(ratios)
        level = sector_level_sentence(ratios)
        if level:
            lines.append(level)
    shown = frame[frame.grupp.isin(CHART_SERIES)]
    coverage, caption = sector_coverage_sentences(shown)
    oj = oppna_jamforelser_sentence(frame)
    plotted = shown[["period", "grupp", "value"]].rename(columns={"period": "år", "value": "procent"}).reset_index(drop=True)
    drawn = charts.with_gaps(plotted, "år", "procent", "grupp")
    finding = (first_sentence(lines[0]) + " " if lines else "") + caption
    chart = alt.Chart(drawn).mark_line(point=True, invalid=charts.BREAK_AT_GAPS).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("procent:Q", title="Sjukfrånvaro, % av arbetstiden", axis=alt.Axis(format=",.1f")),
        color=alt.Color("grupp:N", title=None, sort=CHART_SERIES),
        tooltip=[alt.Tooltip("grupp:N", title="Grupp"), alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=340)
    title = sector_title(shown)
    fig = charts.figure(chart, name="sjukfranvaro-sektor", title=title, finding=finding, data=plotted,
                        provenance=shown, headers={"år": "År", "grupp": "Grupp", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, finding, plotted, "procent", ["grupp", "år"], "procent"))
    body = " ".join(lines)
    notes = " ".join(s for s in [coverage, oj] if s)
    return Section(body + ("\n\n" + notes if notes else ""), [fig])


def sector_title(frame: pd.DataFrame) -> str:
    """'Sjukfrånvaro per sektor 1990–2021, staten till 2022': the span most series reach, and which go further."""
    spans = sector_spans(frame)
    first = min(y[0] for y in spans.values())
    ends = pd.Series({g: y[-1] for g, y in spans.items()})
    common = int(ends.mode().max())
    beyond = ends[ends > common]
    title = f"Sjukfrånvaro per sektor {first}–{common}"
    if len(beyond):
        title += ", " + text.listing([f"{group_words(g, spans[g][0], spans[g][-1])} till {int(y)}"
                                      for g, y in beyond.items()])
    return title


def sector_gap_table(db: Store, year_from: int, year_to: int) -> Section:
    """The report's '85 procent / nära 60 procent högre' re-computed for every year the data allows."""
    ratios = sector_ratios(sector_sick_leave(db, year_from, year_to))
    if ratios.empty:
        return missing("Kommuner, landsting/regioner och hela arbetsmarknaden finns inte för samma år i data.")
    rows = [(int(year),
             _diff(("skillnad-mot-arbetsmarknaden", "kommuner", int(year)), r.kommuner, r.arbetsmarknaden),
             _diff(("skillnad-mot-arbetsmarknaden", "landsting-regioner", int(year)), r.regioner, r.arbetsmarknaden))
            for year, r in ratios.iterrows()]
    return Section(markdown.table(["År", "Kommuner jämfört med arbetsmarknaden",
                                   "Landsting/regioner jämfört med arbetsmarknaden"], rows))


# --- sick leave per landsting --------------------------------------------------------------------------------------

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
             f"{_pct(('sjukfranvaro-landsting', lo.landsting, year), lo.value)} {text.place(lo.landsting)} till "
             f"{_pct(('sjukfranvaro-landsting', hi.landsting, year), hi.value)} {text.place(hi.landsting)} – den högsta var "
             f"{_ratio(('sjukfranvaro-landsting', 'hogsta-mot-lagsta', year), hi.value, lo.value)} den lägsta."]
    if not riket.empty:
        value = float(riket.value.iloc[0])
        above = int((per.value > value).sum())
        lines.append(f"Riket låg på {_pct(('sjukfranvaro-landsting', 'riket', year), value)}; "
                     f"{_count(('sjukfranvaro-landsting', 'over-riket', year), above)} av "
                     f"{_count(('sjukfranvaro-landsting', 'antal', year), len(per))} {unit} låg över riket.")
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
        lines.append(f"Kvinnornas sjukfrånvaro var {_pct(('sjukfranvaro-landsting', 'riket', 'kvinnor', last), k)} och "
                     f"männens {_pct(('sjukfranvaro-landsting', 'riket', 'man', last), m)} år {last}: kvinnornas var "
                     f"{_ratio(('sjukfranvaro-landsting', 'riket', 'kvinnor-mot-man', last), k, m)} männens.")
    if "T" in wide and wide["T"].notna().sum() > 1:
        t = wide["T"].dropna()
        trend = _phrase(("sjukfranvaro-landsting", "riket", "utveckling"), float(t.iloc[-1]), text.trend_words(t))
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


# --- per kommun ---------------------------------------------------------------------------------------------------

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


def comparison_years(frame: pd.DataFrame) -> tuple[int, int, list[str]] | None:
    """The two years to compare kommuner in: the pair that the most kommuner have both of (ties: the later pair),
    with those kommuner; None when no kommun has two years."""
    years = frame.groupby("kommun").period.apply(lambda s: sorted({int(p) for p in s}))
    counts: dict[tuple[int, int], list[str]] = {}
    for kommun, ys in years.items():
        for i, a in enumerate(ys):
            for b in ys[i + 1:]:
                counts.setdefault((a, b), []).append(kommun)
    if not counts:
        return None
    (a, b), names = max(counts.items(), key=lambda kv: (len(kv[1]), kv[0][1], -kv[0][0]))
    return a, b, sorted(names)


def kommun_coverage(frame: pd.DataFrame) -> str:
    """What the data cover, by publisher: 'de 11 kommunerna i Familjen Helsingborg (2014–2018) och Linköping
    (2019 och 2020, kommunens egen uppgift)'."""
    parts = []
    sizes = frame.groupby("source_publisher").kommun.nunique().sort_values(ascending=False, kind="stable")
    for publisher in sizes.index:
        rows = frame[frame.source_publisher == publisher]
        names = sorted(rows.kommun.unique())
        span = text.span_with_gaps(rows.period)
        if len(names) == 1 and publisher.startswith(names[0]):
            parts.append(f"{names[0]} ({span}, kommunens egen uppgift)")
        elif len(names) == 1:
            parts.append(f"{names[0]} ({span}, enligt {publisher})")
        else:
            n = _count(("kommuner", "antal", publisher), len(names))
            parts.append(f"de {n} kommunerna i {publisher} ({span})")
    return text.listing(parts)


def kommun_change(frame: pd.DataFrame, what: str = "sjukfrånvaron", decimals: int = 2) -> tuple[list[str], pd.DataFrame]:
    """Sentences on a kommun measure: what the data cover, and the change between the two years most kommuner have
    (only kommuner with both years are compared; an unweighted mean, said so). Returns the lines and the rows compared."""
    lines = [f"Uppgifterna omfattar {kommun_coverage(frame)}."]
    pair = comparison_years(frame)
    if pair is None:
        lines.append(f"Ingen kommun har uppgifter för två år, så någon förändring av {what} kan inte visas.")
        return lines, frame.iloc[0:0]
    a, b, names = pair
    rows = frame[frame.kommun.isin(names) & frame.period.isin([a, b])]
    wide = rows.pivot_table(index="kommun", columns="period", values="value")
    n = len(wide)
    up = int((wide[b] > wide[a]).sum())
    key = ("kommuner", what)
    if n == 1:
        kommun = wide.index[0]
        lines.append(f"I {kommun}, den enda kommunen med uppgifter för både {a} och {b}, "
                     f"{_phrase((*key, kommun, f'{a}-{b}'), wide.loc[kommun, b], text.change_words(wide.loc[kommun, a], wide.loc[kommun, b], decimals))} "
                     f"mellan {a} och {b}.")
    else:
        count = f"alla {_count((*key, 'antal', b), n)}" if up == n else (
            f"{_count((*key, 'hogre', b), up)} av de {_count((*key, 'antal', b), n)}")
        hi, lo = wide[b].idxmax(), wide[b].idxmin()
        lines.append(f"I {count} kommuner som har uppgifter för både {a} och {b} var {what} högre {b} än {a}.")
        lines.append(f"Högst {b} var den {text.place(hi)} ({_pct((*key, hi, b), wide.loc[hi, b], decimals)}) och lägst "
                     f"{text.place(lo)} ({_pct((*key, lo, b), wide.loc[lo, b], decimals)}). Det oviktade medelvärdet – "
                     f"varje kommun räknas lika oavsett storlek – var {_pct((*key, 'medel', b), wide[b].mean(), decimals)} "
                     f"{b} mot {_pct((*key, 'medel', a), wide[a].mean(), decimals)} {a}.")
    for kommun, part in frame[~frame.kommun.isin(names)].groupby("kommun"):
        s = part.set_index("period")["value"].sort_index()
        y0, y1 = int(s.index[0]), int(s.index[-1])
        if len(s) == 1:
            lines.append(f"För {kommun} finns bara {y0} ({_pct((*key, kommun, y0), s.iloc[0], decimals)}), så kommunen "
                         f"jämförs inte.")
        else:
            lines.append(f"För {kommun} finns bara {text.span_with_gaps(s.index)}: {what} "
                         f"{_phrase((*key, kommun, f'{y0}-{y1}'), s.iloc[-1], text.change_words(s.iloc[0], s.iloc[-1], decimals))} "
                         f"mellan {y0} och {y1}.")
    return lines, rows


def kommuner_sick_leave(db: Store) -> Section:
    frame = kommun_measure(db, "sjukfranvaro_pct")
    if frame.empty:
        return missing("Personalnyckeltal för kommunerna saknas i data.")
    lines, rows = kommun_change(frame)
    if rows.empty:
        return Section(" ".join(lines))
    a, b = int(rows.period.min()), int(rows.period.max())
    n = rows.kommun.nunique()
    finding = next(l for l in lines[1:] if l.startswith("I "))
    fig = _dumbbell(rows, "Sjukfrånvaro, % av arbetstiden", "sjukfranvaro-kommuner",
                    f"Sjukfrånvaro i {n} kommuner {a} och {b}", finding)
    return Section(" ".join(lines), [fig])


def kommuner_turnover(db: Store) -> Section:
    incl = kommun_measure(db, "omsattning_inkl_pension_pct")
    excl = kommun_measure(db, "omsattning_exkl_pension_pct")
    if incl.empty or excl.empty:
        return missing("Personalomsättning för kommunerna saknas i data.")
    last = int(incl.period.max())
    li = incl[incl.period == last].set_index("kommun").value
    le = excl[excl.period == last].set_index("kommun").value
    pension = (li - le).dropna()
    key = ("omsattning-kommuner",)
    n = _count((*key, "antal", last), li.size)
    lines = [f"År {last} var personalomsättningen inklusive pensionsavgångar i genomsnitt "
             f"{_pct((*key, 'inkl-pension', 'medel', last), li.mean())} i de {n} kommunerna, från "
             f"{_pct((*key, 'inkl-pension', li.idxmin(), last), li.min())} {text.place(li.idxmin())} till "
             f"{_pct((*key, 'inkl-pension', li.idxmax(), last), li.max())} {text.place(li.idxmax())}.",
             f"Utan pensionsavgångar var den {_pct((*key, 'exkl-pension', 'medel', last), le.mean())}, så "
             f"pensionsavgångarna stod i genomsnitt för "
             f"{_reg((*key, 'pension', 'medel', last), pension.mean(), text.points(pension.mean()))} av omsättningen.",
             "Genomsnitten är oviktade medelvärden: varje kommun räknas lika oavsett hur många den har anställda."]
    publishers = set(incl.source_publisher) | set(excl.source_publisher)
    if len(publishers) == 1:
        publisher = publishers.pop()
        lines.append(f"Kommunerna är de som ingår i samarbetet {publisher}, inte ett urval som representerar landets "
                     f"kommuner.")
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
    title = f"Personalomsättning i {li.size} kommuner {last}"
    fig = charts.figure(chart, name="omsattning-kommuner", title=title, finding=first_sentence(lines[0]),
                        data=plotted, provenance=latest,
                        headers={"kommun": "Kommun", "mått": "Mått", "procent": "Procent"},
                        alt=charts.alt_text("Stapeldiagram", title, lines[0], plotted, "procent", ["kommun", "mått"], "procent"))
    return Section(" ".join(lines), [fig])


# --- sick cases per occupation -------------------------------------------------------------------------------------

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
        return f"de {_count(('sjukfall-yrke', 'delgrupper', *key), len(members))} grupperna av {firsts.pop()}"
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
    parts = [f"{occupation_words(r.occupation)} {_num(('sjukfall-yrke', r.yrke, year), r.value, 0)} "
             f"({_ratio(('sjukfall-yrke', r.yrke, 'mot-samtliga', year), r.value, base)} samtliga yrken)"
             for r in welfare.itertuples()]
    above = bool((welfare.value > base).all())
    lines = [f"År {year} hade samtliga yrken {_num(('sjukfall-yrke', 'samtliga yrken', year), base, 0)} {UNIT_CASES}. "
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
                     f"({_num(('sjukfall-yrke', r.yrke, year), r.value, 0)}); det ingår inte i diagrammet.")
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
                     f"{_num(('sjukfall-yrke', short_occupation(care[0]), year), v, 0)} {UNIT_CASES} mot "
                     f"{_num(('sjukfall-yrke', 'samtliga yrken', year), base, 0)} för samtliga yrken, "
                     f"{_ratio(('sjukfall-yrke', short_occupation(care[0]), 'mot-samtliga', year), v, base)} genomsnittet.")
    if others:
        parts = [f"{occupation_words(o)} på {_num(('sjukfall-yrke', short_occupation(o), year), at[o], 0)} "
                 f"({_ratio(('sjukfall-yrke', short_occupation(o), 'mot-samtliga', year), at[o], base)} genomsnittet)"
                 for o in sorted(others, key=lambda o: -at[o])]
        lines.append(f"Bland övriga yrkesgrupper i data låg {text.listing(parts)}.")
    latest = int(frame.period.max())
    now = frame[frame.period == latest].set_index("occupation")["value"]
    care_now = [o for o in now.index if o.startswith("Vård- och omsorgspersonal")]
    if care and care_now and "Samtliga yrken" in now and latest > year:
        r0, r1 = at[care[0]] / base, now[care_now[0]] / now["Samtliga yrken"]
        lines.append(f"År {latest} var kvoten mellan vård- och omsorgspersonalen och samtliga yrken "
                     f"{_num(('sjukfall-yrke', 'kvot-vard-och-omsorg', latest), r1, 2)} mot "
                     f"{_num(('sjukfall-yrke', 'kvot-vard-och-omsorg', year), r0, 2)} år {year}: "
                     + ("avståndet till genomsnittet är i stort sett detsamma." if abs(r1 - r0) < 0.1 else
                        "avståndet till genomsnittet har ökat." if r1 > r0 else "avståndet till genomsnittet har minskat."))
    lines.append("Måttet är antal nya sjukfall, inte sjukskrivningsdagar per anställd som i betänkandets figur 3.6, "
                 "så siffrorna prövar inte betänkandets uppgift rakt av.")
    return Section(" ".join(lines))


# --- psychiatric diagnoses ---------------------------------------------------------------------------------------

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
    moved = _phrase((*key, "totalt", f"{first}-{last}"), a1, text.change_words(a0, a1))
    step = round(a1, 1) - round(a0, 1)
    change = (f"en {'ökning' if step > 0 else 'minskning'} med "
              f"{_reg((*key, 'totalt', 'forandring', f'{first}-{last}'), step, text.points(step))}" if step else
              "ingen förändring")
    lines = [f"Uppgifterna gäller alla pågående sjukfall med sjukpenning i riket, inte bara anställda i välfärden, "
             f"och serien i bokens data slutar med {when1}.",
             f"Andelen av sjukfallen som hade en psykiatrisk diagnos (ICD-10 F00–F99) {moved} mellan {when0} och "
             f"{when1}, {change}."]
    lastq = frame[frame.period == last].set_index("sex").andel
    if {"K", "M"} <= set(lastq.index):
        lines.append(f"Under {when1} var andelen {_pct((*key, 'kvinnor', last), lastq['K'])} bland kvinnor och "
                     f"{_pct((*key, 'man', last), lastq['M'])} bland män.")
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


# --- sjukpenningtal per län ---------------------------------------------------------------------------------------

def _sick_pay_years(db: Store) -> tuple[pd.DataFrame, list[str]]:
    """Sjukpenningtal per län for women and men in the yearly periods where every län has both sexes."""
    frame = db.sql(f"""SELECT period, region_code, sex, value, {PROV} FROM sjukpenningtal_lan
                       WHERE sex IN ('K', 'M') AND length(period) = 4 ORDER BY period, region_code, sex""")
    n = len([c for c in vocab("region").labels if c != "00"])
    per = frame[frame.region_code != "00"].groupby(["period", "sex"]).region_code.nunique().unstack()
    full = [p for p, r in per.iterrows() if all(r.get(s, 0) == n for s in ("K", "M"))]
    return frame[frame.period.isin(full)], sorted(full)




def sick_pay_sentences(word: str, wide: pd.DataFrame, change: pd.Series, y0: str, y1: str) -> tuple[str, pd.Series, pd.Series]:
    """For one sex: riket's change, how many län fell and rose, and where it rose and fell most. `wide` holds the
    values per region_code and year, `change` the change per län (the shown values' difference)."""
    regions = vocab("region")
    key = ("sjukpenningtal", word)
    out = []
    if "00" in wide.index and wide.loc["00", [y0, y1]].notna().all():
        moved = text.change_words(wide.loc["00", y0], wide.loc["00", y1], unit="dagar")
        verb, _, rest = moved.partition(" ")
        out.append(f"För {word} {verb} sjukpenningtalet i riket "
                   f"{_phrase((*key, 'riket', f'{y0}-{y1}'), wide.loc['00', y1], rest)} per försäkrad mellan {y0} "
                   f"och {y1}.")
    up, down = change[change > 0], change[change < 0]
    same = len(change) - len(up) - len(down)
    counts = []
    if len(down):
        counts.append(f"minskade i {_count((*key, 'lan-minskade', y1), len(down))}")
    if len(up):
        counts.append(f"ökade i {_count((*key, 'lan-okade', y1), len(up))}")
    if same:
        counts.append(f"var oförändrat i {_count((*key, 'lan-oforandrade', y1), same)}")
    first, *rest = counts
    where = f"{first} av de {_count((*key, 'lan-antal', y1), len(change))} länen"
    verb, _, tail = where.partition(" ")
    sentence = text.listing([f"Det {where}" if out else f"För {word} {verb} det {tail}", *rest])
    extremes = []
    for verb, part, pick in (("ökade", up, up.idxmax if len(up) else None), ("minskade", down, down.idxmin if len(down) else None)):
        if pick is None:
            continue
        c = pick()
        shown = _reg((*key, regions.label(c), "forandring", f"{y0}-{y1}"), part[c], text.number(abs(part[c]), 1))
        extremes.append(f"mest {verb} det {text.place(regions.label(c))} (med {shown} dagar)")
    out.append(sentence + ("; " + " och ".join(extremes) if extremes else "") + ".")
    return " ".join(out), up, down


def sick_pay_by_lan(db: Store) -> Section:
    """Sjukpenningtal per län: the report's year (or the nearest before it) against the latest, for women and men,
    as maps of the change and sentences on which län rose and fell and what riket did."""
    frame, years = _sick_pay_years(db)
    if len(years) < 2:
        return missing("Sjukpenningtal per län och kön finns inte för två hela år i data.")
    before = [y for y in years if int(y) <= REPORT_YEAR]
    y0, y1 = (before[-1] if before else years[0]), years[-1]
    lines = [f"Sjukpenningtalet är antalet utbetalda dagar med sjukpenning, arbetsskadesjukpenning eller "
             f"rehabiliteringspenning per försäkrad i åldern 16–64 år. Det gäller alla försäkrade, inte bara anställda "
             f"i välfärden. I bokens data finns det per län för kvinnor och män var för sig, för {y0} och {y1}."]
    figs, directions = [], {}
    for sex in ("K", "M"):
        word = text.sex_label(sex).lower()
        part = frame[frame.sex == sex]
        wide = part.pivot_table(index="region_code", columns="period", values="value")
        per = (wide[y1].round(1) - wide[y0].round(1)).drop("00", errors="ignore")
        said, up, down = sick_pay_sentences(word, wide, per, y0, y1)
        lines.append(said)
        directions[sex] = (len(up), len(down))
        cols = ["source_publisher", "source_title", "source_url", "source_type"]
        prov = part[part.period.isin([y0, y1])].drop_duplicates("source_title")[cols]
        values = per.rename("förändring").astype(float).reset_index().assign(**prov.iloc[-1].to_dict())
        # riket is left out of the map; its rows carry every source of the two years into the source line
        values = pd.concat([values, prov.assign(region_code="00", förändring=float("nan"))], ignore_index=True)
        finding = said
        figs.append(maps.lan_choropleth(values, "förändring", name=f"sjukpenningtal-forandring-{word}-{y0}-{y1}",
                                        title=f"Sjukpenningtal för {word}, förändring {y0}–{y1}",
                                        finding=finding, unit="dagar", legend_title="Förändring, dagar",
                                        decimals=1, diverging=True, height=440))
    fell = [text.sex_label(s).lower() for s, (u, d) in directions.items() if d > u]
    rose = [text.sex_label(s).lower() for s, (u, d) in directions.items() if u > d]
    if fell and not rose:
        lines.append(f"I de flesta län var sjukpenningtalet alltså lägre {y1} än {y0}, för både kvinnor och män"
                     if len(fell) == 2 else f"I de flesta län var sjukpenningtalet för {fell[0]} lägre {y1} än {y0}")
        lines[-1] += "; kartorna visar förändringen i dagar (orange: ökning, blå: minskning)."
    elif rose and not fell:
        lines.append(f"I de flesta län var sjukpenningtalet högre {y1} än {y0}; kartorna visar förändringen i dagar "
                     f"(orange: ökning, blå: minskning).")
    else:
        lines.append("Kartorna visar förändringen i dagar (orange: ökning, blå: minskning).")
    source = text.listing(sorted({text.escape(p) for p in frame[frame.period.isin([y0, y1])].source_publisher}))
    lines.append(f"Uppgifterna kommer från {source}, som återger Försäkringskassan"
                 + (" (sekundärkälla)." if (frame.source_type == "secondary").any() else "."))
    return Section(" ".join(lines), figs)


# --- shortage ------------------------------------------------------------------------------------------------------

SHORTAGE = 3.5      # the book's own threshold for 'brist på sökande' on Arbetsförmedlingen's scale 1–5
BIG_SHORTAGE = 4.5  # the book's own threshold for 'stor brist'


def _shortage_year(years: list[int], period: int | None = None) -> int:
    """The assessment shown: `period` if given, else the first forecast year from 2024, else the latest."""
    if period:
        return int(period)
    later = [y for y in years if y >= 2024]
    return int(min(later) if later else years[-1])


def shortage_groups(db: Store, year: int) -> pd.DataFrame:
    """One row per assessment group (several SSYK codes can share one assessment): occupation, value, ssyk."""
    frame = db.sql(f"""
        SELECT ssyk, occupation, value, {PROV} FROM bristindex
        WHERE period = $y AND ssyk IS NOT NULL ORDER BY value DESC, occupation""", y=year)
    groups = frame.groupby(["occupation", "value"], as_index=False).agg(ssyk=("ssyk", lambda s: ", ".join(sorted(s))))
    return groups.sort_values(["value", "occupation"], ascending=[False, True]).reset_index(drop=True), frame


def listing_samt(items: list[str]) -> str:
    """text.listing, but with 'samt' before the last item when an item holds 'och' itself ('speciallärare och
    specialpedagoger'), so that the list's own 'och' is not read as part of a name."""
    items = list(items)
    if len(items) > 1 and any(" och " in i for i in items):
        return ", ".join(items[:-1]) + " samt " + items[-1]
    return text.listing(items)


def _whole(values) -> bool:
    return bool(len(values)) and bool(((pd.Series(values) % 1) == 0).all())


def shortage_condition(values, threshold: float, key: tuple) -> str:
    """How the threshold reads for these values: 'värde 4 eller 5' when Arbetsförmedlingen's values are whole steps,
    else 'index 3,5 eller högre' (keyed: the steps or the threshold)."""
    values = pd.Series(values, dtype=float)
    if _whole(values):
        steps = sorted({int(v) for v in values if v >= threshold})
        shown = text.listing([str(s) for s in steps]).replace(", ", " eller ").replace(" och ", " eller ")
        return "värde " + _reg((*key, "steg"), min(steps) if steps else None, shown)
    return f"index {_reg((*key, 'grans'), threshold, text.number(threshold, 1))} eller högre"


def shortage_index(db: Store, period: int | None = None) -> Section:
    years = db.sql("SELECT DISTINCT period FROM bristindex WHERE ssyk IS NOT NULL ORDER BY period").period.tolist()
    if not years:
        return missing("Arbetsförmedlingens bristindex saknas i data.")
    year = _shortage_year([int(y) for y in years], period)
    groups, frame = shortage_groups(db, year)
    big = groups[groups.value >= BIG_SHORTAGE]
    short = groups[groups.value >= SHORTAGE]
    key = ("bristindex",)
    n_short = _count((*key, "brist", year), len(short))
    n_all = _count((*key, "yrken", year), len(groups))
    finding = (f"I Arbetsförmedlingens bedömning för {year} råder brist på sökande i {n_short} av de {n_all} "
               f"välfärdsyrken som boken följer"
               + (f", och i {_count((*key, 'stor-brist', year), len(big))} av dem är bristen stor." if len(big) else "."))
    lines = [f"I Arbetsförmedlingens bedömning för {year} råder brist på sökande i {n_short} av de {n_all} "
             f"välfärdsyrken som boken följer ({shortage_condition(groups.value, SHORTAGE, (*key, 'brist', 'villkor', year))})"
             + (f", och i {_count((*key, 'stor-brist', year), len(big))} av dem är bristen stor "
                f"({shortage_condition(groups.value, BIG_SHORTAGE, (*key, 'stor-brist', 'villkor', year))}): {listing_samt([g.lower() for g in big.occupation])}."
                if len(big) else ", men inget av dem har stor brist.")]
    low = groups[groups.value < 3]
    if len(low):
        lines.append(f"Lägst bristindex har {listing_samt([g.lower() for g in low.occupation])} "
                     f"({_num((*key, 'lagsta', year), low.value.min(), 1)}).")
    plotted = groups.rename(columns={"occupation": "yrke", "value": "bristindex"})[["yrke", "ssyk", "bristindex"]]
    category = (f"datum.bristindex >= {BIG_SHORTAGE} ? 'Stor brist' : datum.bristindex >= {SHORTAGE} ? 'Brist' : "
                "'Balans eller överskott'")
    chart = alt.Chart(plotted).transform_calculate(bedömning=category).mark_bar(clip=True).encode(
        x=alt.X("bristindex:Q", title="Bristindex (1 = stort överskott, 3 = balans, 5 = stor brist)",
                scale=alt.Scale(domain=[1, 5]), axis=alt.Axis(values=[1, 2, 3, 4, 5], format=",d")),
        y=alt.Y("yrke:N", sort="-x", title=None,
                axis=alt.Axis(labelExpr=wrapped_labels(plotted.yrke), labelLimit=240, labelLineHeight=13)),
        color=alt.Color("bedömning:N", title=None,
                        scale=alt.Scale(domain=["Stor brist", "Brist", "Balans eller överskott"],
                                        range=[charts.HIGHLIGHT, charts.PALETTE[0], charts.NEUTRAL])),
        tooltip=[alt.Tooltip("yrke:N", title="Yrke"), alt.Tooltip("ssyk:N", title="SSYK 2012"),
                 alt.Tooltip("bristindex:Q", title="Bristindex", format=",.1f")],
    ).properties(height=alt.Step(30))
    rule = alt.Chart(pd.DataFrame({"balans": [3]})).mark_rule(color="#333", strokeDash=[3, 3]).encode(x="balans:Q")
    title = f"Bristindex per välfärdsyrke, bedömning för {year}"
    fig = charts.figure(alt.layer(chart, rule), name=f"bristindex-{year}", title=title, finding=finding,
                        data=plotted, provenance=frame,
                        headers={"yrke": "Yrke (bedömningsgrupp)", "ssyk": "SSYK 2012", "bristindex": "Bristindex"},
                        alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "bristindex", "yrke"))
    # the scale as the catalog describes it (bristindex.value: 1 = stort överskott, 5 = stor brist; 3 = balans)
    low_, mid_, high_ = (_reg(("bristindex", "skala", name), v, str(v))
                         for name, v in (("stort-overskott", 1), ("balans", 3), ("stor-brist", 5)))
    scale = (f"Skalan: Arbetsförmedlingen graderar konkurrensen om jobben från {low_} (stort överskott på "
             f"arbetssökande) via {mid_} (balans) till {high_} (stor brist på sökande).")
    if _whole(groups.value):
        steps = sorted({int(v) for v in groups.value})
        shown = _reg((*key, "steg", year), len(steps), text.listing([str(s) for s in steps]))
        scale += f" Bedömningen anges i hela steg för varje yrke (för {year} bara {shown}); det är inget medelvärde."
    scale += (f" Gränserna för brist ({_num((*key, 'grans', 'brist'), SHORTAGE, 1)}) och stor brist "
              f"({_num((*key, 'grans', 'stor-brist'), BIG_SHORTAGE, 1)}) är bokens egna, inte Arbetsförmedlingens. I "
              "diagrammet är stor brist orange, brist blå och balans eller överskott grå; den streckade linjen markerar "
              "balans.")
    return Section(" ".join(lines) + "\n\n" + scale, [fig])


# --- turnover ------------------------------------------------------------------------------------------------------

def nurse_turnover(db: Store) -> Section:
    frame = db.sql(f"""SELECT period, region_code, measure, value, unit, {PROV}, quote FROM omsattning_sjukskoterskor
                        ORDER BY region_code, measure, period""")
    if frame.empty:
        return missing("Uppgifter om sjuksköterskor som slutar saknas i data.")
    regions = vocab("region")
    frame["landsting"] = [regions.label(c) for c in frame.region_code]
    frame["mått"] = frame.measure.map({"slutat_inkl_pension_pct": "Andel som slutade inkl. pension, %",
                                       "slutat_exkl_pension_per_100": "Slutade exkl. pension, per 100 anställda"})
    rows = []
    for r in frame.itertuples():
        kind = " (sekundärkälla)" if r.source_type == "secondary" else ""
        rows.append((text.escape(r.landsting), r.period, r.mått, text.number(r.value, 1),
                     f"{links.md_link(text.escape(r.source_publisher), r.source_url)}{kind}"))
    parts, spans = [], set()
    for name_, g in frame[frame.measure == "slutat_exkl_pension_per_100"].groupby("landsting"):
        if len(g) > 1:
            a, b = g.value.iloc[0], g.value.iloc[-1]
            y0, y1 = int(g.period.iloc[0]), int(g.period.iloc[-1])
            verb = "ökade" if b > a else "minskade" if b < a else "var oförändrad"
            key = ("sjukskoterskor-slutat", name_)
            parts.append((verb, f"{text.place(name_)} från {_num((*key, y0), a, 1)} till {_num((*key, y1), b, 1)}"))
            spans.add((y0, y1))
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
    return Section(summary + note + "\n\n" + markdown.table(["Landsting", "År", "Mått", "Värde", "Källa"], rows))


def hired_staff(db: Store) -> Section:
    """Hired-staff costs of the landsting/regioner to the latest year, against the report's picture of rising costs."""
    frame = db.sql(f"""SELECT period, measure, value, unit, {PROV} FROM inhyrd_personal_regioner
                        WHERE region_code = '00' AND staff_group = 'alla' ORDER BY period""")
    cost = frame[frame.measure == "kostnad"].copy()
    if len(cost) < 2:
        return missing("Kostnaderna för inhyrd personal finns inte för två år i data.")
    cost["år"] = cost.period.astype(int)
    series = cost.set_index("år")["value"]
    y0, y1 = int(series.index.min()), int(series.index.max())
    owners = text.council_span(y0, y1, genitive=True)
    trend = _phrase(("inhyrd-personal", "kostnad", "utveckling"), float(series.iloc[-1]),
                    text.trend_words(series, unit="miljarder kronor"))
    lines = [f"{owners[:1].upper() + owners[1:]} kostnader för inhyrd personal {trend}."]
    from tillit.claims.computations import hired_staff_growth  # the same rows and figure as the claim's verdict
    growth = hired_staff_growth(db).set_index("year")
    if 2016 in growth.index:
        lines.append(f"Mellan 2015 och 2016, det år betänkandet citerar, ökade de med "
                     f"{text.percent(growth.loc[2016, 'okning_procent'], 1)}, "
                     f"{text.number(growth.loc[2016, 'okning_mdkr'], 2)} miljarder kronor.")
    gaps = sorted(set(range(y0, y1 + 1)) - set(series.index))
    if gaps:
        lines.append(f"För {text.years_listing(gaps)} saknas uppgift, och linjen är bruten där.")
    later = frame[(frame.measure.str.startswith("forandring")) & (frame.unit == "miljarder kronor")]
    used, changes = [], []
    for r in later.itertuples():
        when = str(r.period)
        if when.endswith("H1"):
            span = f"under första halvåret {when[:4]} jämfört med samma period året före"
        else:
            span = f"under {when} jämfört med året före"
        if when[:4].isdigit() and int(when[:4]) > y1:
            verb = "ökade" if r.value > 0 else "minskade"
            amount = _reg(("inhyrd-personal", "forandring", when), r.value, text.number(abs(r.value), 1))
            changes.append(f"{verb} med {amount} miljarder kronor {span}")
            used.append(r)
    if changes:
        lines.append(f"Kostnaderna {text.listing(changes)}.")
    turned = any(r.value < 0 for r in used)
    lines.append("Den ökning betänkandet beskrev fortsatte därmed i flera år"
                 + (" men har på senare tid vänt nedåt." if turned else "."))
    secondary = (frame.source_type == "secondary").any()
    cost_pubs = text.listing(sorted({text.escape(p) for p in cost.source_publisher}))
    source = f"Kostnaderna per år i diagrammet kommer från {cost_pubs}"
    if used:
        later_pubs = text.listing(sorted({text.escape(r.source_publisher) for r in used}))
        source += f" och förändringarna efter {y1} från {later_pubs}"
    lines.append(source + (", som återger SKL och SKR (sekundärkällor)." if secondary else ".")
                 + f" SKL:s serie före {y0}, som betänkandets fördubbling bygger på, finns inte i data.")
    plotted = cost[["år", "value"]].rename(columns={"value": "miljarder_kronor"}).reset_index(drop=True)
    drawn = charts.with_gaps(plotted, "år", "miljarder_kronor")
    chart = alt.Chart(drawn).mark_line(point=True, color=charts.PALETTE[0], invalid=charts.BREAK_AT_GAPS).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", values=list(range(y0, y1 + 1)))),
        y=alt.Y("miljarder_kronor:Q", title="Miljarder kronor", axis=alt.Axis(format=",.1f")),
        tooltip=[alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("miljarder_kronor:Q", title="Miljarder kronor", format=",.1f")]).properties(height=260)
    title = f"Kostnader för inhyrd personal, {text.council_span(y0, y1, definite=False)} {y0}–{y1}"
    fig = charts.figure(chart, name="inhyrd-personal", title=title, finding=lines[0], data=plotted,
                        provenance=cost,
                        headers={"år": "År", "miljarder_kronor": "Miljarder kronor"},
                        alt=charts.alt_text("Linjediagram", title, lines[0], plotted, "miljarder_kronor", "år", ""))
    return Section(" ".join(lines), [fig])


TURNOVER_WORDS = [(r";\s*staff group not stated in excerpt", "; personalgrupp anges inte"),
                  (r">=\s*", "minst "), (r"<=\s*", "högst "), (r"\bexkl\.", "utom"), (r"\bnov\b", "november")]


def turnover_words(s: str) -> str:
    """Scope and measure of a turnover figure in plain Swedish: no English notes from the collection, no '>='."""
    for pattern, words in TURNOVER_WORDS:
        s = re.sub(pattern, words, s)
    return s


def turnover_period(period: str) -> str:
    """'2015→2016' → '2015–2016', 'nov 2016–nov 2017' → 'november 2016 – november 2017'."""
    p = str(period).replace("→", "–")
    return turnover_words(p).replace("–november", " – november")


# What a national turnover figure measures, from the row's own description of its measure: the kinds cannot share
# one column, because a share of kommuner is not a share of staff.
TURNOVER_KINDS = [
    ("kommuner", lambda m: m.startswith("andel kommuner"),
     "Andel kommuner med en viss personalomsättning",
     "procenten är här en andel av kommunerna, inte av de anställda, och säger hur många kommuner som hade en "
     "personalomsättning inom ett visst intervall."),
    ("nyrekryteringar", lambda m: "nyrekrytering" in m,
     "Nyrekryteringar",
     "procenten är här nyrekryteringarna som andel av de anställda, alltså hur många som anställdes under året."),
    ("slutat", lambda m: True,
     "Anställda som slutade",
     "procenten är här en andel av de anställda, alltså hur många av dem som lämnade sin anställning under "
     "perioden. Avgränsningen skiljer sig mellan raderna (alla anställda, tillsvidareanställda eller akademiker)."),
]


def turnover_kind(measure: str) -> str:
    m = str(measure).casefold()
    return next(kind for kind, test, _, _ in TURNOVER_KINDS if test(m))


def national_turnover_points(db: Store) -> Section:
    frame = db.sql(f"SELECT period, scope, measure, value, {PROV} FROM personalomsattning ORDER BY period, scope")
    if frame.empty:
        return missing("Nationella uppgifter om personalomsättning saknas i data.")
    frame["kind"] = frame.measure.map(turnover_kind)
    blocks = ["Uppgifterna mäter olika saker och står därför i var sin tabell."]
    for kind, _, heading, explanation in TURNOVER_KINDS:
        part = frame[frame.kind == kind]
        if part.empty:
            continue
        rows = []
        for r in part.itertuples():
            source = links.md_link(text.escape(r.source_publisher), r.source_url)
            kind_ = " (sekundärkälla)" if r.source_type == "secondary" else ""
            rows.append((text.escape(turnover_period(r.period)), text.escape(turnover_words(r.scope)),
                         text.escape(turnover_words(r.measure)), text.number(r.value, 1), source + kind_))
        blocks.append(f"**{heading}:** {explanation}\n\n"
                      + markdown.table(["Period", "Avser", "Mått", "Procent", "Källa"], rows))
    return Section("\n\n".join(blocks))


# --- 'Det viktigaste' and what newer data show ----------------------------------------------------------------------

def _gap_at(ratios: pd.DataFrame, year: int) -> tuple[int, pd.Series] | None:
    """The sector ratios of the latest year at or before `year`."""
    before = ratios[ratios.index <= year]
    if before.empty:
        return None
    y = int(before.index.max())
    return y, before.loc[y]


def _then_now(key: tuple, then: tuple[int, float, float], now: tuple[int, float, float]) -> str:
    """'89 och 93 procent högre' for (year, a, b) then and now, each number keyed by its year."""
    (y0, a0, b0), (y1, a1, b1) = then, now
    d0, d1 = (a0 / b0 - 1) * 100, (a1 / b1 - 1) * 100
    s0 = _reg((*key, y0), d0, text.number(abs(d0), 0))
    s1 = _reg((*key, y1), d1, text.number(abs(d1), 0))
    w0, w1 = ("högre" if d0 >= 0 else "lägre"), ("högre" if d1 >= 0 else "lägre")
    if w0 == w1:
        return f"{s0} och {s1}{NBSP}procent {w1}"
    return f"{s0}{NBSP}procent {w0} och {s1}{NBSP}procent {w1}"


MARGIN = 0.05  # a change in the ratio to the labour market smaller than this (5 percentage points) is 'the same'


def gap_status(then: pd.Series, now: pd.Series) -> dict[str, str]:
    """For kommuner and landsting/regioner: has the ratio to the labour market 'vuxit', 'minskat' or stayed 'samma'?"""
    out = {}
    for group in ("kommuner", "regioner"):
        d = now[f"{group}_ratio"] - then[f"{group}_ratio"]
        out[group] = "vuxit" if d >= MARGIN else "minskat" if d <= -MARGIN else "samma"
    return out


def sick_leave_key_sentences(db: Store) -> list[str]:
    """What the sector data say now against the report's picture: the gap then and now in one sentence."""
    ratios = sector_ratios(sector_sick_leave(db, 1990, 2100))
    if ratios.empty:
        return ["Kommuner, landsting/regioner och hela arbetsmarknaden finns inte för samma år i data, så "
                "betänkandets jämförelse kan inte göras om."]
    last = int(ratios.index.max())
    r = ratios.loc[last]
    then = _gap_at(ratios, REPORT_YEAR)
    if not then or then[0] >= last:
        councils = text.council_word(last)
        return [f"År {last} var sjukfrånvaron "
                f"{_diff(('skillnad-mot-arbetsmarknaden', 'kommuner', last), r.kommuner, r.arbetsmarknaden)} i "
                f"kommunerna och {_diff(('skillnad-mot-arbetsmarknaden', 'landsting-regioner', last), r.regioner, r.arbetsmarknaden)} "
                f"i {councils} än på hela arbetsmarknaden."]
    y0, r0 = then
    status = gap_status(r0, r)
    councils = text.council_span(y0, last)
    k = _then_now(("skillnad-mot-arbetsmarknaden", "kommuner"), (y0, r0.kommuner, r0.arbetsmarknaden),
                  (last, r.kommuner, r.arbetsmarknaden))
    g = _then_now(("skillnad-mot-arbetsmarknaden", "landsting-regioner"), (y0, r0.regioner, r0.arbetsmarknaden),
                  (last, r.regioner, r.arbetsmarknaden))
    figures = f"den var {k} i kommunerna ({y0} och {last}) och {g} i {councils}"
    sk, sg = status["kommuner"], status["regioner"]
    if sk == sg == "samma":
        return [f"Sjukfrånvarons skillnad mot hela arbetsmarknaden är i stort sett densamma som när betänkandet "
                f"skrevs: {figures}."]
    if sk == sg:
        return [f"Sjukfrånvarons skillnad mot hela arbetsmarknaden har {sk} sedan betänkandet skrevs: {figures}."]
    words = {"vuxit": "vuxit", "minskat": "minskat", "samma": "legat kvar på ungefär samma nivå"}
    return [f"Sedan betänkandet skrevs har sjukfrånvarons skillnad mot hela arbetsmarknaden {words[sk]} för kommunerna och "
            f"{words[sg]} för {councils}: {figures}."]


def _shortage_counts(db: Store) -> tuple[int, str, str] | None:
    """(the assessment year, how many welfare occupations have a shortage, how many there are), keyed."""
    years = db.sql("SELECT DISTINCT period FROM bristindex WHERE ssyk IS NOT NULL ORDER BY period").period.tolist()
    if not years:
        return None
    year = _shortage_year([int(y) for y in years])
    groups, _ = shortage_groups(db, year)
    return (year, _count(("bristindex", "brist", year), int((groups.value >= SHORTAGE).sum())),
            _count(("bristindex", "yrken", year), len(groups)))


def shortage_key_sentence(db: Store) -> str | None:
    counts = _shortage_counts(db)
    if not counts:
        return None
    year, short, total = counts
    return (f"Bristen på sökande finns kvar: i Arbetsförmedlingens bedömning för {year} råder brist i {short} av de "
            f"{total} välfärdsyrken som boken följer.")


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


def newer_data(db: Store) -> Section:
    """What newer data show against the report's picture, one item per series: continued, turned, or ended."""
    items = []
    ratios = sector_ratios(sector_sick_leave(db, 1990, 2100))
    if not ratios.empty:
        then = _gap_at(ratios, REPORT_YEAR)
        status = set(gap_status(then[1], ratios.iloc[-1]).values()) if then else set()
        head = ("består" if status == {"samma"} else "har vuxit" if status == {"vuxit"} else
                "har minskat" if status == {"minskat"} else "har utvecklats olika" if status else "")
        items.append(f"**Sjukfrånvaron i kommuner och landsting/regioner{' – skillnaden ' + head if head else ''}.** "
                     + sick_leave_key_sentences(db)[0])
    cost = db.sql("""SELECT period, measure, value FROM inhyrd_personal_regioner
                     WHERE region_code = '00' AND staff_group = 'alla' AND unit = 'miljarder kronor' ORDER BY period""")
    costs = cost[cost.measure == "kostnad"]
    if len(costs) > 1:
        y1 = int(costs.period.max())
        later = cost[cost.measure.str.startswith("forandring") & (cost.period.str[:4].astype(int) > y1)]
        head = ("vände nedåt" if len(later) and later.value.iloc[-1] < 0 else
                "fortsatte uppåt" if len(later) else "ingen uppgift efter " + str(y1))
        steps = [f"steg till {_num(('inhyrd-personal', 'kostnad', y1), costs.value.iloc[-1], 1)} miljarder kronor {y1}"]
        for r in later.itertuples():
            when = str(r.period)
            label = f"första halvåret {when[:4]} (mot samma period året före)" if when.endswith("H1") else when
            amount = _reg(("inhyrd-personal", "forandring", when), r.value, text.number(abs(r.value), 1))
            steps.append(f"{'ökade' if r.value > 0 else 'minskade'} med {amount} miljarder kronor {label}")
        sentence = "Kostnaderna " + text.listing(steps)
        items.append(f"**Inhyrd personal – {head}.** {sentence}.")
    diag = db.sql("SELECT max(period) p FROM sjukfall_diagnos WHERE value IS NOT NULL").p.iloc[0]
    if diag:
        items.append(f"**Psykiatriska diagnoser – serien slutar.** Bokens data går bara till "
                     f"{text.period_label(diag)}, så det går inte att se om ökningen fortsatte.")
    frame, years = _sick_pay_years(db)
    if len(years) >= 2:
        before = [y for y in years if int(y) <= REPORT_YEAR]
        y0, y1 = (before[-1] if before else years[0]), years[-1]
        women = frame[frame.sex == "K"].pivot_table(index="region_code", columns="period", values="value")
        change = (women[y1].round(1) - women[y0].round(1)).drop("00", errors="ignore")
        down, up = int((change < 0).sum()), int((change > 0).sum())
        head = ("lägre i de flesta län" if down > len(change) / 2 else "högre i de flesta län" if up > len(change) / 2
                else "blandad bild")
        said, _, _ = sick_pay_sentences("kvinnor", women, change, y0, y1)
        items.append(f"**Sjukpenningtalet per län – {head}.** {said} Sjukpenningtalet gäller alla försäkrade, inte "
                     f"bara välfärdens anställda.")
    counts = _shortage_counts(db)
    if counts:
        year, short, total = counts
        items.append(f"**Brist på sökande – finns kvar.** I Arbetsförmedlingens bedömning för {year} råder brist i "
                     f"{short} av de {total} välfärdsyrken som boken följer.")
    items.append("**Personalomsättning – ingen serie.** Det finns fortfarande ingen officiell statistik över "
                 "personalomsättning i kommuner och regioner, bara enstaka uppgifter.")
    return Section("\n".join(f"- {i}" for i in items))
