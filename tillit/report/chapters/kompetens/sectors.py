"""Sick leave per sector (3.5.1): the series, its ratio to the whole labour market, the chart and the gap table."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.core import markdown
from tillit.report import charts, text, trends
from tillit.report.chapters import Section, missing
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.shared import CHART_SERIES, PROV, SERIES_LABELS, SERIES_SOURCES, SERIES_SOURCES_SHORT, keyed_count, keyed_diff, keyed_pct, keyed_phrase, keyed_ratio, keyed_reg


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
        f"År {last} var sjukfrånvaron {keyed_pct(('sektor', 'kommuner', last), r.kommuner)} av arbetstiden i kommunerna "
        f"och {keyed_pct(('sektor', 'landsting-regioner', last), r.regioner)} i {councils}, mot "
        f"{keyed_pct(('sektor', 'arbetsmarknaden', last), r.arbetsmarknaden)} på hela arbetsmarknaden.",
        f"Kommunernas sjukfrånvaro var {keyed_diff(('skillnad-mot-arbetsmarknaden', 'kommuner', last), r.kommuner, r.arbetsmarknaden)} "
        f"än arbetsmarknadens ({keyed_ratio(('kvot-mot-arbetsmarknaden', 'kommuner', last), r.kommuner, r.arbetsmarknaden)} "
        f"den) och {councils}s "
        f"{keyed_diff(('skillnad-mot-arbetsmarknaden', 'landsting-regioner', last), r.regioner, r.arbetsmarknaden)}."]
    if pd.notna(r.staten):
        lines.append(f"Staten låg samma år på {keyed_pct(('sektor', 'staten', last), r.staten)}, "
                     f"{keyed_ratio(('kvot-mot-arbetsmarknaden', 'staten', last), r.staten, r.arbetsmarknaden)} "
                     f"arbetsmarknaden i stort.")
    if len(ratios) > 1:
        first = int(ratios.index.min())
        k = (ratios["kommuner_ratio"] - 1) * 100
        g = (ratios["regioner_ratio"] - 1) * 100
        k_words = keyed_phrase(("skillnad-mot-arbetsmarknaden", "kommuner", "utveckling"), float(k.iloc[-1]),
                          trends.gap_words(k, noun="", same="detsamma"))
        verb, _, rest = trends.gap_words(g, noun="", same="detsamma").partition(" ")
        rest = keyed_phrase(("skillnad-mot-arbetsmarknaden", "landsting-regioner", "utveckling"), float(g.iloc[-1]), rest)
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
    change = keyed_phrase(("sektor", "arbetsmarknaden", "forandring", f"{y0}-{y1}"), m1, text.change_words(m0, m1))
    councils = text.council_span(y0, y1)
    if above == n:
        return (f"Sjukfrånvaron på hela arbetsmarknaden {change} mellan {y0} och {y1}, men kommunerna och "
                f"{councils} låg över den vart och ett av de {keyed_count(('sektor', 'ar-med-alla-tre'), n)} år som har "
                f"uppgifter för alla tre.")
    return (f"Sjukfrånvaron på hela arbetsmarknaden {change} mellan {y0} och {y1}. Kommunerna och {councils} låg "
            f"båda över den {keyed_count(('sektor', 'ar-over-arbetsmarknaden'), above)} av de "
            f"{keyed_count(('sektor', 'ar-med-alla-tre'), n)} år som har uppgifter för alla tre.")


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
                f"{keyed_reg(('sektor', 'oppna-jamforelser-mot-skr', 'storsta-skillnad'), float(gap.max()), text.points(gap.max(), 2))}.")
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
             keyed_diff(("skillnad-mot-arbetsmarknaden", "kommuner", int(year)), r.kommuner, r.arbetsmarknaden),
             keyed_diff(("skillnad-mot-arbetsmarknaden", "landsting-regioner", int(year)), r.regioner, r.arbetsmarknaden))
            for year, r in ratios.iterrows()]
    return Section(markdown.table(["År", "Kommuner jämfört med arbetsmarknaden",
                                   "Landsting/regioner jämfört med arbetsmarknaden"], rows))
