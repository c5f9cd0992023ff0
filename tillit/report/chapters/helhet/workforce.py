"""The older OECD and Eurostat workforce comparisons the report cites, as charts and one table."""
from __future__ import annotations

import altair as alt
import pandas as pd
import re

from tillit.core import markdown
from tillit.report import charts, citations, numbers, text
from tillit.report.chapters import Section, medborgarfokus as mf, missing
from tillit.tables.store import Store
from tillit.report.chapters.helhet.figure_34 import sweden_vs_others
from tillit.report.chapters.helhet.shared import AGGREGATES, GROUP_COLOURS, PER_1000, PROV, WORKFORCE_MEASURES, measure_label, note_applies, period_key, period_words, workforce_note


def workforce_groups(db: Store) -> list[tuple[tuple, pd.DataFrame]]:
    frame = db.sql(f"SELECT period, country, measure, value, unit, note, {PROV} FROM halsopersonal_oecd ORDER BY measure, period")
    return list(frame.groupby(["measure", "period", "source_title"], sort=False))


def edition_name(title: str) -> str | None:
    m = re.search(r"Health at a Glance (\d{4})", title)
    return m.group(0) if m else None


def workforce_title(measure: str, period: str, source_title: str) -> str:
    """'Sjuksköterskor per 1 000 invånare, Health at a Glance 2017 (dataåret anges inte)', 'Praktiserande läkare per
    100 000 invånare 2009 (Eurostat)': the unit and the data year or edition in every title."""
    label, unit, _, src = WORKFORCE_MEASURES.get(measure, (measure, "", 1, ""))
    head = f"{label} {unit}".strip().replace("\u00a0", " ")
    if str(period).isdigit():
        return f"{head} {period}" + (f" ({src})" if src else "")
    return f"{head}, {period_words(period)}"


def workforce_charts(db: Store) -> Section:
    """One bar chart per older comparison (OECD, Eurostat) that includes Sweden and at least two other entries; the
    units differ between sources, so each title and sentence names its unit, and Sweden's values are also given per
    1 000 inhabitants, computed."""
    groups = [(k, g) for k, g in workforce_groups(db) if mf.SWEDEN in set(g.country) and g.country.nunique() >= 3]
    if not groups:
        return missing("Det finns ingen äldre jämförelse av vårdpersonal i data där Sverige och minst två andra länder "
                       "finns med.")
    lines, figs = [], []
    for (measure, period, source_title), g in groups:
        label, unit, decimals, src = WORKFORCE_MEASURES.get(measure, (measure, "", 1, ""))
        g = g.drop_duplicates("country").reset_index(drop=True)
        countries = g[~g.country.isin(AGGREGATES)].set_index("country").value
        se = countries[mf.SWEDEN]
        when = f"år {period}" if str(period).isdigit() else f"enligt {text.escape(period_words(period))}"
        k = lambda *p: numbers.key("halsopersonal", label, *p, period_key(period))  # noqa: E731
        rank = numbers.register(k("sverige", "placering"), int((countries > se).sum()) + 1,
                                mf.rank_phrase(countries, mf.SWEDEN, "högsta", "lägsta"))
        sentence = (f"Sverige hade {numbers.number(k('sverige'), se, decimals)} {label.lower()} {unit} {when}"
                    + (f" (källa {src})" if src else "")
                    + f", {rank} länder som källan tar upp")
        avg = g[g.country.isin(AGGREGATES)]
        if len(avg):
            a = float(avg.value.iloc[0])
            sentence += (f" och {text.ratio_words(se, a)} OECD-genomsnittet "
                         f"({numbers.number(k('oecd-genomsnitt'), a, decimals)})")
        secondary = (g.source_type == "secondary").all()
        sentence += "." + (" Uppgiften kommer från en sekundärkälla." if secondary else "")
        lines.append(sentence)
        plotted = pd.DataFrame({"land": [mf.country(c) for c in g.country], "värde": g.value.astype(float),
                                "grupp": ["Sverige" if c == mf.SWEDEN else "Genomsnitt" if c in AGGREGATES
                                          else "Övriga länder" for c in g.country]})
        plotted = plotted.sort_values("värde", ascending=False).reset_index(drop=True)
        base = alt.Chart(plotted).encode(y=alt.Y("land:N", sort=plotted.land.tolist(), title=None))
        axis_title = f"{label} {unit}".strip().replace("\u00a0", " ")
        bars = base.mark_bar().encode(
            x=alt.X("värde:Q", title=axis_title, axis=alt.Axis(format=",d" if decimals == 0 else ",.0f")),
            color=alt.Color("grupp:N", title=None, scale=alt.Scale(
                domain=[k_ for k_ in GROUP_COLOURS if k_ in set(plotted.grupp)],
                range=[c for k_, c in GROUP_COLOURS.items() if k_ in set(plotted.grupp)])),
            tooltip=[alt.Tooltip("land:N", title="Land"), alt.Tooltip("värde:Q", title="Värde", format=f",.{decimals}f")],
        )
        labels = base.mark_text(align="left", dx=4, color="#333").encode(
            x="värde:Q", text=alt.Text("värde:Q", format=f",.{decimals}f"))
        title = workforce_title(measure, period, source_title)
        only_countries = plotted[plotted.grupp != "Genomsnitt"]  # the OECD average is not a country in the alt text
        fig = charts.figure(alt.layer(bars, labels).properties(height=alt.Step(24)),
                            name=f"halsopersonal-{label}-{period_key(period)}", title=title, finding=sentence,
                            data=plotted,
                            provenance=g, headers={"land": "Land", "värde": axis_title, "grupp": "Grupp"},
                            decimals=decimals,
                            alt=charts.alt_text("Stapeldiagram", title, sentence, only_countries, "värde", "land", "",
                                                decimals))
        figs.append(fig)
    return Section(units_note(db, groups) + "\n\n" + " ".join(lines), figs)


def units_note(db: Store, groups) -> str:
    """The units differ by source: said once, with Sweden's doctors converted to per 1 000 inhabitants (computed)."""
    parts = []
    doctors = sweden_vs_others(db, "lakare")
    if doctors:
        per = numbers.number(numbers.key("who", "lakare", "sverige", "per-1000", doctors["year"]),
                             doctors["sweden"] * PER_1000["per 10 000"])
        parts.append(f"WHO:s {text.number(doctors['sweden'])} läkare per 10\u00a0000 invånare {doctors['year']} "
                     f"motsvarar {per} per 1\u00a0000")
    for (measure, period, _), g in groups:
        se = g[g.country == mf.SWEDEN]
        factor = PER_1000.get(str(se.unit.iloc[0])) if len(se) else None
        if factor is None or factor == 1.0:
            continue
        label, unit, decimals, _ = WORKFORCE_MEASURES.get(measure, (measure, "", 1, ""))
        per = numbers.number(numbers.key("halsopersonal", label, "sverige", "per-1000", period_key(period)),
                             float(se.value.iloc[0]) * factor)
        parts.append(f"{text.number(se.value.iloc[0], decimals)} {label.lower()} {unit} {period} motsvarar {per} "
                     f"per 1\u00a0000")
    head = ("Måtten har olika enheter: WHO räknar per 10\u00a0000 invånare, OECD per 1\u00a0000 och Eurostat per "
            "100\u00a0000, och de gäller olika år.")
    return head + (" Omräknat för Sverige: " + "; ".join(parts) + "." if parts else "")


def workforce_table(db: Store) -> Section:
    """Every older OECD/Eurostat value, with its source and the collector's caveat on the row it concerns; secondary
    sources marked; where one average appears twice, the two rows' years and sources are set side by side."""
    groups = workforce_groups(db)
    if not groups:
        return missing("Det finns inga äldre uppgifter om vårdpersonal från OECD eller Eurostat i data.")
    rows = []
    n_secondary = n_rows = 0
    for (measure, period, _), g in groups:
        label, decimals = measure_label(measure)
        for r in g.itertuples():
            n_rows += 1
            n_secondary += r.source_type == "secondary"
            note = workforce_note(r.note) if note_applies(r.note, r.country) else ""
            rows.append([text.escape(label), text.escape(period_words(period, r.note)), text.escape(mf.country(r.country)),
                         text.number(r.value, decimals), text.escape(note), citations.source_cell(g.loc[[r.Index]])])
    intro = (f"Alla {n_rows} äldre uppgifter om vårdpersonal från OECD och Eurostat i bokens data; {n_secondary} av "
             f"dem kommer från sekundärkällor (press eller andra som återger OECD och Eurostat).")
    return Section(intro + "\n\n" + markdown.table(["Mått", "Period", "Land", "Värde", "Anmärkning", "Källa"], rows)
                   + averages_note(groups))


def averages_note(groups) -> str:
    """'OECD-genomsnittet för sjuksköterskor per 1 000 invånare står två gånger: …' for each measure whose average
    appears in more than one row, from the rows' own periods and sources."""
    out = []
    frame = pd.concat([g for _, g in groups])
    avg = frame[frame.country.isin(AGGREGATES)]
    for measure, g in avg.groupby("measure", sort=True):
        if len(g) < 2:
            continue
        label, decimals = measure_label(measure)
        parts = []
        for r in g.itertuples():
            edition = edition_name(r.source_title) or text.escape(r.source_title)
            value = text.number(r.value, decimals)
            if str(r.period).isdigit():
                part = f"{value} för {r.period} ur {edition}"
            else:
                part = f"{value} ur {edition} utan angivet dataår"
            if r.source_publisher != "OECD":
                part += f", som {text.escape(r.source_publisher)} återger det"
            parts.append(part)
        out.append(f"OECD-genomsnittet för {label[:1].lower()}{label[1:]} står {text.count_word(len(g), neuter=True)} "
                   f"gånger: {text.listing(parts)}. Värdena kommer från olika utgåvor och år; skillnaden mellan dem "
                   f"ska inte läsas som en förändring.")
    return ("\n\n" + " ".join(out)) if out else ""
