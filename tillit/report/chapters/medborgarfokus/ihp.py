"""The Commonwealth Fund's IHP survey: the items every country answered, the partial items, the report's figures."""
from __future__ import annotations

import altair as alt
import pandas as pd
import re

from tillit.core import markdown
from tillit.report import charts, citations, numbers, text
from tillit.report.chapters import Section, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.medborgarfokus.shared import PROV, REPORT_FIGURES, SOURCE_RANKS, SWEDEN, country, item_label, period_label, population_label, rank_phrase


def ihp_items(db: Store, min_countries: int = 1) -> pd.DataFrame:
    """Each (period, population, item) with the number of countries that have a value."""
    return db.sql("""
        SELECT period, population, item, count(DISTINCT country) FILTER (WHERE value IS NOT NULL) AS countries,
               count(DISTINCT country) AS mentioned,
               bool_or(country = $se AND value IS NOT NULL) AS sweden
        FROM ihp GROUP BY period, population, item
        HAVING count(DISTINCT country) FILTER (WHERE value IS NOT NULL) >= $n
        ORDER BY countries DESC, period, item""", se=SWEDEN, n=min_countries)


def ranking_chart(frame: pd.DataFrame, name: str, title: str, finding: str, value_title: str):
    plotted = pd.DataFrame({"land": [country(c) for c in frame.country], "procent": frame.value.astype(float)})
    plotted["grupp"] = ["Sverige" if c == SWEDEN else "Övriga länder" for c in frame.country]
    plotted = plotted.sort_values("procent", ascending=False).reset_index(drop=True)
    base = alt.Chart(plotted).encode(y=alt.Y("land:N", sort=plotted.land.tolist(), title=None))
    bars = base.mark_bar().encode(
        x=alt.X("procent:Q", title=value_title, axis=alt.Axis(format=",d")),
        color=alt.Color("grupp:N", title=None, scale=alt.Scale(domain=["Sverige", "Övriga länder"],
                                                              range=[charts.HIGHLIGHT, charts.PALETTE[0]])),
        tooltip=[alt.Tooltip("land:N", title="Land"), alt.Tooltip("procent:Q", title="Procent", format=",.0f")],
    )
    labels = base.mark_text(align="left", dx=4, color="#333").encode(
        x="procent:Q", text=alt.Text("procent:Q", format=",.0f"))
    chart = alt.layer(bars, labels).properties(height=alt.Step(24))
    return charts.figure(chart, name=name, title=title, finding=finding, data=plotted, provenance=frame,
                         headers={"land": "Land", "procent": "Procent", "grupp": "Grupp"}, decimals=0,
                         alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "procent", "land", "procent", 0))


def ihp_country_count() -> int:
    """How many countries the IHP comparisons cover (the country vocabulary: the eleven IHP countries)."""
    return len(vocab("country").labels)


def ihp_full_item(db: Store, period: str = "2016") -> Section:
    """The IHP item of `period` with the most countries: a sorted bar chart, Sweden highlighted, its rank computed."""
    items = ihp_items(db, 2)
    items = items[items.period == str(period)]
    if items.empty:
        return missing(f"Det finns ingen IHP-fråga från {text.escape(period)} med värden för minst två länder i data.")
    top = items.iloc[0]
    frame = db.sql(f"""SELECT country, value, {PROV} FROM ihp
                       WHERE period = $p AND population = $pop AND item = $i AND value IS NOT NULL
                       ORDER BY value DESC""", p=str(period), pop=top.population, i=top["item"])
    frame = frame.drop_duplicates("country").reset_index(drop=True)
    values = frame.set_index("country").value
    n = len(values)
    label = item_label(top["item"])
    lines = []
    k = lambda *parts: numbers.key("ihp-alla-lander", *parts, period)  # noqa: E731
    if SWEDEN in values:
        se = values[SWEDEN]
        others = values.drop(SWEDEN)
        rank = numbers.register(k("sverige", "placering"), int((values > se).sum()) + 1,
                                rank_phrase(values, SWEDEN, 'högsta andelen', 'lägsta andelen'))
        shown = numbers.percent(k("sverige"), se, 0)
        finding = f"Sverige hade {rank} länderna, {shown}."
        lines.append(
            f"I IHP-undersökningen {text.escape(period)} ({text.escape(population_label(top.population))}) instämde "
            f"{shown} i Sverige i påståendet ”{text.escape(label)}”. Det var {rank} länderna.")
        mean = numbers.percent(k("ovriga", "medel"), others.mean(), 0)
        gap = numbers.register(k("sverige-mot-ovriga"), float(se - others.mean()),
                               text.difference_words(se, others.mean(), decimals=0))
        low = values.idxmin()
        numbers.register(k("lagst", "land"), None, country(low))
        lines.append(
            f"Oviktat medelvärde för de övriga {text.count_word(len(others))} länderna var {mean}: Sveriges andel var "
            f"{gap} deras. Lägst andel hade {country(low)} ({numbers.percent(k('lagst'), values.min(), 0)}).")
    else:
        finding = f"Sverige finns inte bland de {n} länderna."
        lines.append(f"Sverige finns inte bland de {n} länderna för frågan ”{text.escape(label)}” {text.escape(period)}.")
    complete = ihp_items(db, n)
    lines.append(
        "Frågan mäter hur befolkningen ser på vårdsystemet i stort, inte delaktighet. "
        + (f"Den är den enda frågan i bokens data med värden för alla {n} länder."
           if len(complete) == 1 else
           f"{len(complete)} frågor i data har värden för {n} länder."))
    title = f"Grundläggande förändringar behövs, {n} länder {period}"
    fig = ranking_chart(frame, f"ihp-{period}-alla-lander", title, finding, "Andel som instämmer, %")
    return Section(" ".join(lines), [fig])


def reported_words(row) -> str:
    """A value cell: the number, or the source's own words where it gives only an approximate wording."""
    if pd.notna(row.value):
        return text.number(row.value, 0)
    note = row.note if isinstance(row.note, str) else ""
    m = re.search(r"text:\s*(.+)$", note)
    phrase = m.group(1).strip() if m else "ungefärligt värde, se källan"
    return f"”{text.escape(phrase)}” (ordformulering)"


def source_rank(note) -> str:
    if not isinstance(note, str):
        return ""
    for pattern, words in SOURCE_RANKS:
        m = re.search(pattern, note)
        if m:
            return m.expand(words)
    return ""


def ihp_partial(db: Store, keywords: tuple[str, ...] = (), min_countries: int = 10, sweden_only: bool = True) -> Section:
    """IHP items with values for fewer than `min_countries` countries, as a table: Sweden's value (or the source's
    wording), other countries in the data (a column only when some item has them), the source's own statement of
    rank, sources (secondary marked). With `sweden_only`, items without Sweden are only named."""
    frame = db.sql(f"SELECT period, population, item, country, value, note, {PROV} FROM ihp ORDER BY period, item, country")
    if keywords and len(frame):
        frame = frame[pd.Series([any(k in s.casefold() for k in keywords) for s in frame["item"]], index=frame.index,
                                dtype=bool)]
    none = "Det finns inga enstaka eller ofullständiga IHP-värden för de här frågorna i data."
    if frame.empty:
        return missing(none)
    frame = frame.assign(population=frame.population.map(population_label))
    groups, most, complete = [], 0, 0
    for (period, population, item), g in frame.groupby(["period", "population", "item"], sort=True):
        with_value = int(g.value.notna().groupby(g.country).any().sum())
        if with_value >= min_countries:
            complete += 1
            continue
        groups.append((period, population, item, g))
        most = max(most, with_value)
    if not groups:
        return missing(none)
    with_se = [x for x in groups if (x[3].country == SWEDEN).any()]
    without = [x for x in groups if not (x[3].country == SWEDEN).any()]
    shown = with_se if sweden_only else groups
    others_column = any((g.country != SWEDEN).any() for _, _, _, g in shown)
    rows = []
    only_secondary = 0
    for period, population, item, g in shown:
        se = g[g.country == SWEDEN]
        if len(se):
            r = se.iloc[0]
            cell = reported_words(r)
            rank = source_rank(r.note)
            if rank:
                cell += f"; {rank} enligt källan"
        else:
            cell = "–"
        other = g[g.country != SWEDEN].drop_duplicates("country")
        others = ", ".join(f"{country(o.country)} {reported_words(o)}" for o in other.itertuples()) or "–"
        if (g.source_type == "secondary").all():
            only_secondary += 1
        row = [f"{text.escape(item_label(item))} ({text.escape(period_label(period))}, {text.escape(population)})", cell]
        rows.append(row + ([others] if others_column else []) + [citations.source_cell(g)])
    header = ["Fråga (år, grupp)", "Sverige, procent"] + (["Andra länder i data, procent"] if others_column else []) \
        + ["Källa"]
    n_all = ihp_country_count()
    intro = (f"Data finns för {len(groups)} {'andra ' if complete else ''}IHP-frågor, men ingen av dem har värden "
             f"för alla {text.count_word(n_all, neuter=True)} länder (som mest för {text.count_word(most, neuter=True)}); "
             f"{len(with_se)} av frågorna har ett värde eller en ordformulering för Sverige. Eftersom länderna inte är "
             f"fullständiga går Sveriges placering inte att räkna fram; där källan själv anger placeringen står det i "
             f"tabellen. {only_secondary} av de {len(shown)} frågorna i tabellen bygger bara på sekundärkällor (press "
             f"som återger undersökningen).")
    tail = ""
    if sweden_only and without:
        names = [f"{text.escape(item_label(i))} ({text.escape(period_label(p))})" for p, _, i, _ in without]
        tail = (f"\n\nYtterligare {len(without)} frågor i data gäller bara andra länder: {text.listing(names)}.")
    if not shown:
        return Section(intro + tail)
    return Section(intro + "\n\n" + markdown.table(header, rows) + tail)


def ihp_report_figures(db: Store, min_countries: int = 10) -> Section:
    """The report's Figur 3.1–3.3 from data where an imported country table holds them; otherwise a plain note."""
    items = ihp_items(db, 1)
    figures, found_partial = [], []
    lines = []
    for number, topic, keys in REPORT_FIGURES:
        hits = items[pd.Series([any(k in s.casefold() for k in keys) for s in items["item"]], index=items.index,
                               dtype=bool)]
        full = hits[hits.countries >= min_countries]
        if full.empty:
            if len(hits):
                best = hits.iloc[0]
                found_partial.append(f"{topic} ({int(best.countries)} länder, {text.escape(period_label(best.period))})")
            continue
        top = full.iloc[0]
        frame = db.sql(f"""SELECT country, value, {PROV} FROM ihp WHERE period = $p AND population = $pop
                           AND item = $i AND value IS NOT NULL ORDER BY value DESC""",
                       p=top.period, pop=top.population, i=top["item"]).drop_duplicates("country")
        values = frame.set_index("country").value
        if SWEDEN not in values:
            continue
        k = lambda *p: numbers.key("ihp-figur", number, *p, top.period)  # noqa: E731
        rank = numbers.register(k("sverige", "placering"), int((values > values[SWEDEN]).sum()) + 1,
                                rank_phrase(values, SWEDEN, 'högsta andelen', 'lägsta andelen'))
        sentence = (f"Figur {number} ({topic}): i IHP {text.escape(top.period)} svarade "
                    f"{numbers.percent(k('sverige'), values[SWEDEN], 0)} i Sverige ja, {rank} länderna.")
        lines.append(sentence)
        title = f"Rapportens figur {number} med data, IHP {top.period}"
        figures.append(ranking_chart(frame.reset_index(drop=True), f"ihp-figur-{number}-{top.period}-{len(figures)}",
                                      title, sentence, "Andel, %"))
    if figures:
        return Section(" ".join(lines), figures)
    partial = (" I data finns bara ofullständiga uppgifter om " + text.listing(found_partial) + "."
               if found_partial else "")
    return missing(
        "Värdena per land bakom rapportens figur 3.1–3.3 (att vara involverad i sin vård, vårdens mål och "
        "behandlingsalternativ, samordning mellan vårdgivare) finns inte i bokens data: ingen sådan IHP-fråga har "
        f"värden för minst {min_countries} länder.{partial} När Commonwealth Funds eller Vårdanalys landtabell för "
        "IHP-undersökningen läggs till i bokens data visas diagrammen här, med Sveriges placering uträknad ur data.")
