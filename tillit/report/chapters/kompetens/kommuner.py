"""Sick leave and turnover among kommun employees: each kommun's first and last shared year compared."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, text
from tillit.report.chapters import Section, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.sectors import first_sentence
from tillit.report.chapters.kompetens.shared import PROV, keyed_count, keyed_pct, keyed_phrase, keyed_reg


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
            n = keyed_count(("kommuner", "antal", publisher), len(names))
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
                     f"{keyed_phrase((*key, kommun, f'{a}-{b}'), wide.loc[kommun, b], text.change_words(wide.loc[kommun, a], wide.loc[kommun, b], decimals))} "
                     f"mellan {a} och {b}.")
    else:
        count = f"alla {keyed_count((*key, 'antal', b), n)}" if up == n else (
            f"{keyed_count((*key, 'hogre', b), up)} av de {keyed_count((*key, 'antal', b), n)}")
        hi, lo = wide[b].idxmax(), wide[b].idxmin()
        lines.append(f"I {count} kommuner som har uppgifter för både {a} och {b} var {what} högre {b} än {a}.")
        lines.append(f"Högst {b} var den {text.place(hi)} ({keyed_pct((*key, hi, b), wide.loc[hi, b], decimals)}) och lägst "
                     f"{text.place(lo)} ({keyed_pct((*key, lo, b), wide.loc[lo, b], decimals)}). Det oviktade medelvärdet – "
                     f"varje kommun räknas lika oavsett storlek – var {keyed_pct((*key, 'medel', b), wide[b].mean(), decimals)} "
                     f"{b} mot {keyed_pct((*key, 'medel', a), wide[a].mean(), decimals)} {a}.")
    for kommun, part in frame[~frame.kommun.isin(names)].groupby("kommun"):
        s = part.set_index("period")["value"].sort_index()
        y0, y1 = int(s.index[0]), int(s.index[-1])
        if len(s) == 1:
            lines.append(f"För {kommun} finns bara {y0} ({keyed_pct((*key, kommun, y0), s.iloc[0], decimals)}), så kommunen "
                         f"jämförs inte.")
        else:
            lines.append(f"För {kommun} finns bara {text.span_with_gaps(s.index)}: {what} "
                         f"{keyed_phrase((*key, kommun, f'{y0}-{y1}'), s.iloc[-1], text.change_words(s.iloc[0], s.iloc[-1], decimals))} "
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
    n = keyed_count((*key, "antal", last), li.size)
    lines = [f"År {last} var personalomsättningen inklusive pensionsavgångar i genomsnitt "
             f"{keyed_pct((*key, 'inkl-pension', 'medel', last), li.mean())} i de {n} kommunerna, från "
             f"{keyed_pct((*key, 'inkl-pension', li.idxmin(), last), li.min())} {text.place(li.idxmin())} till "
             f"{keyed_pct((*key, 'inkl-pension', li.idxmax(), last), li.max())} {text.place(li.idxmax())}.",
             f"Utan pensionsavgångar var den {keyed_pct((*key, 'exkl-pension', 'medel', last), le.mean())}, så "
             f"pensionsavgångarna stod i genomsnitt för "
             f"{keyed_reg((*key, 'pension', 'medel', last), pension.mean(), text.points(pension.mean()))} av omsättningen.",
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
