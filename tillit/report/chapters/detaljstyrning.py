"""Chapter 3.3 (detaljstyrning och administrativa tidstjuvar): social workers' time use 2017 and the Sjöbo example."""
from __future__ import annotations

import re

import altair as alt
import pandas as pd

from tillit.core import markdown
from tillit.report import charts, numbers, text
from tillit.report.chapters import Section, missing
from tillit.report.citations import source_cell, table_titles
from tillit.tables.store import Store

PROV = "source_publisher, source_title, source_url, source_type"
BEFORE_AFTER = re.compile(r"\s*\((före|efter)\)\s*$")


def _frame(db: Store, year: int | None) -> pd.DataFrame:
    query = f"SELECT period, study, activity, value, quote, {PROV} FROM tidsanvandning_socialsekreterare"
    frame = db.sql(query + (" WHERE period = $y" if year else "") + " ORDER BY study, value DESC",
                   **({"y": int(year)} if year else {}))
    frame["phase"] = [m.group(1) if (m := BEFORE_AFTER.search(a)) else None for a in frame.activity]
    return frame


def _is_direct(activity: str) -> bool:
    a = activity.casefold()
    return "direkt" in a and "indirekt" not in a


def _minutes(share: float, workday_hours: float, key: str | None = None) -> str:
    """'62 minuter': a share of a working day in minutes (keyed when `key` is given)."""
    minutes = share / 100 * workday_hours * 60
    shown = numbers.number(key, minutes, 0) if key else text.number(minutes, 0)
    return f"{shown} minuter"


def _k(publisher: str, activity: str, year, *parts) -> str:
    """The key of a time-use share in the text: 'tidsanvandning/<publisher>/<activity>/…/<year>'."""
    return numbers.key("tidsanvandning", publisher, BEFORE_AFTER.sub("", activity).split(" (")[0], *parts, year)


def reports(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The study as each report gave it (rows without a before/after phase), one entry per publisher."""
    study = frame[frame.phase.isna()]
    return [(pub, g.reset_index(drop=True)) for pub, g in study.groupby("source_publisher", sort=True)]


def time_use_reports(db: Store, year: int = 2017, workday_hours: float = 8) -> Section:
    """The national coordinator's time-use study as two reports gave it, side by side, with minutes per working day."""
    frame = _frame(db, year)
    parts = reports(frame)
    if not parts:
        return missing(f"Tidsstudien av utredande socialsekreterare finns inte för {year} i data.")
    lines = []
    for pub, g in parts:
        kind = " (sekundärkälla)" if (g.source_type == "secondary").all() else ""
        items = [f"{text.escape(r.activity)} {numbers.percent(_k(pub, r.activity, year), r.value, 0)}"
                 for r in g.itertuples()]
        total = numbers.percent(numbers.key("tidsanvandning", pub, "summa-redovisat", year), g.value.sum(), 0)
        lines.append(f"Enligt {text.escape(pub)}{kind} fördelades arbetstiden för {text.escape(g.study.iloc[0])} "
                     f"så här: {text.listing(items)}. De redovisade delarna utgör tillsammans {total} av arbetstiden; "
                     f"resten redovisas inte i återgivningen.")
    direct = [(pub, r) for pub, g in parts for r in g.itertuples() if _is_direct(r.activity)]
    finding = lines[0]
    if direct:
        finding = ("Med en arbetsdag på " + text.number(workday_hours, 0) + " timmar motsvarar " + text.listing(
            [f"{numbers.percent(_k(pub, r.activity, year), r.value, 0)} ({text.escape(r.activity)}, "
             f"{text.escape(pub)}) ungefär {_minutes(r.value, workday_hours, _k(pub, r.activity, year, 'minuter'))}"
             for pub, r in direct]) + " om dagen.")
        lines.append(finding)
    admin = [(pub, r) for pub, g in parts for r in g.itertuples() if "administration" in r.activity.casefold()]
    if len(admin) > 1:
        values = {r.value for _, r in admin}
        if len(values) == 1:
            for pub, r in admin:  # one key per publisher, whether the text names one share or several
                numbers.register(_k(pub, r.activity, year), r.value, text.percent(r.value, 0))
            lines.append(f"Båda återgivningarna anger att administration tar {text.percent(admin[0][1].value, 0)} av "
                         f"tiden.")
        else:
            lines.append("Administrationens andel anges till " + text.listing(
                [f"{numbers.percent(_k(p, r.activity, year), r.value, 0)} ({text.escape(p)})" for p, r in admin])
                + ".")
    # side by side: one column per report
    pubs = [p for p, _ in parts]
    header = ["Aktivitet"] + [f"{text.escape(p)} (procent av arbetstiden)" for p in pubs]
    rows = []
    for pub, g in parts:
        for r in g.itertuples():
            rows.append([text.escape(r.activity)] + [text.number(r.value, 0) if p == pub else "–" for p in pubs])
    rows.append(["**Summa redovisat**"] + [f"**{text.number(g.value.sum(), 0)}**" for _, g in parts])
    rows.append(["Källa"] + [source_cell(g) for _, g in parts])
    plotted = pd.concat([g.assign(rapport=pub) for pub, g in parts])[["rapport", "activity", "value"]].rename(
        columns={"activity": "aktivitet", "value": "procent"}).reset_index(drop=True)
    plotted["aktivitet"] = [a.split(" (")[0] for a in plotted.aktivitet]  # the full wording is in the table above
    order = plotted.aktivitet.tolist()
    chart = alt.Chart(plotted).mark_bar().encode(
        x=alt.X("procent:Q", title="Andel av arbetstiden, %", axis=alt.Axis(format=",d")),
        y=alt.Y("aktivitet:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
        color=alt.Color("rapport:N", title="Återgiven av"),
        tooltip=[alt.Tooltip("rapport:N", title="Återgiven av"), alt.Tooltip("aktivitet:N", title="Aktivitet"),
                 alt.Tooltip("procent:Q", title="Procent", format=",.0f")],
    ).properties(height=alt.Step(26))
    title = f"Tidsanvändning, utredande socialsekreterare {year}"
    fig = charts.figure(chart, name=f"tidsanvandning-{year}", title=title, finding=finding, data=plotted,
                        provenance=frame[frame.phase.isna()],
                        headers={"rapport": "Återgiven av", "aktivitet": "Aktivitet", "procent": "Procent"}, decimals=0,
                        alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "procent", ["rapport", "aktivitet"],
                                            "procent", 0))
    caveat = ("De två återgivningarna delar in arbetstiden på olika sätt, så kategorierna kan inte läggas ihop "
              "eller jämföras rad för rad. Studiens egna tabeller finns inte i data.")
    return Section(" ".join(lines) + "\n\n" + markdown.table(header, rows) + "\n\n" + caveat, [fig])


def before_after(db: Store, year: int = 2017) -> Section:
    """Each before/after example in the table (Sjöbo): the change in the share of time spent with children."""
    frame = _frame(db, year)
    pairs = frame[frame.phase.notna()].copy()
    if pairs.empty:
        return missing(f"Inget före–efter-exempel för socialsekreterares tid finns för {year} i data.")
    pairs["base"] = [BEFORE_AFTER.sub("", a) for a in pairs.activity]
    lines, plotted_parts = [], []
    for (study, base), g in pairs.groupby(["study", "base"], sort=True):
        ph = g.set_index("phase").value
        if not {"före", "efter"} <= set(ph.index):
            continue
        b, a = float(ph["före"]), float(ph["efter"])
        pub = g.source_publisher.iloc[0]
        who, _, where = study.partition(", ")
        subject = f"Bland {text.escape(who)}" + (f" i {text.escape(where)}" if where else "")
        change = "ökning" if a > b else "minskning"
        verb, _, rest = text.change_words(b, a).partition(" ")
        numbers.register(_k(pub, base, year, "fore"), b, text.number(b))
        numbers.register(_k(pub, base, year, "efter"), a, text.number(a))
        step = numbers.register(_k(pub, base, year, "forandring"), round(a, 1) - round(b, 1),
                                text.points(round(a, 1) - round(b, 1)))
        lines.append(f"{subject} {verb} andelen {text.escape(base)} {rest} av arbetstiden, en {change} med {step}.")
        quote = g.quote.dropna()
        if len(quote):
            longest = max(quote, key=len)
            lead = "…" if longest[:1].islower() else ""
            lines.append(f"{text.escape(pub)} skriver: ”{lead}{text.escape(longest)}”.")
        plotted_parts.append(pd.DataFrame({"exempel": [study, study], "läge": ["Före", "Efter"], "procent": [b, a]}))
    if not plotted_parts:
        return missing("Före–efter-exemplet saknar antingen värdet före eller värdet efter.")
    plotted = pd.concat(plotted_parts, ignore_index=True)
    chart = alt.Chart(plotted).mark_bar(size=36).encode(
        x=alt.X("läge:N", sort=["Före", "Efter"], title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("procent:Q", title="Andel av arbetstiden, %", axis=alt.Axis(format=",d")),
        color=alt.Color("läge:N", sort=["Före", "Efter"], title=None,
                        scale=alt.Scale(range=[charts.NEUTRAL, charts.PALETTE[0]])),
        tooltip=["exempel:N", "läge:N", alt.Tooltip("procent:Q", format=",.1f")],
    ).properties(height=260)
    first = plotted_parts[0]
    base = pairs.base.iloc[0]
    title = (f"{base[:1].upper()}{base[1:]} före och efter, {first.exempel.iloc[0].split(', ')[-1]} "
             f"(redovisat {year})")
    finding = lines[0]
    fig = charts.figure(chart, name=f"fore-efter-{year}", title=title, finding=finding, data=plotted,
                        provenance=pairs, headers={"exempel": "Exempel", "läge": "Läge", "procent": "Procent"},
                        alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "procent", ["exempel", "läge"], "procent"))
    return Section(" ".join(lines), [fig])


def state_grants(db: Store) -> Section:
    """State-grant figures: the report's own (quoted in the notebook); a table only if an analyst has added one."""
    tables = set(db.sql("SELECT name FROM _manifest").name)
    found = sorted(t for t in tables if "statsbidrag" in t)
    if found:
        return Section(f"Uppgifter om statsbidrag finns i bokens data ({table_titles(found)}); se avsnittet "
                       f"*Data och källor*.")
    return missing(
        "Uppgifterna om statsbidragen ovan är rapportens egna och visas därför bara som citat. Bokens data har "
        "inga uppgifter om generella och riktade statsbidrag till kommuner och landsting, så siffrorna kan inte "
        "följas upp här. Sådana uppgifter finns till exempel hos Ekonomistyrningsverket; när de läggs till i bokens "
        "data kan avsnittet visa dem.")


def key_figure(db: Store) -> str | None:
    """One line for the synthesis (3.6): the direct time with children as reported, and the before/after example."""
    frame = _frame(db, None)
    parts = []
    direct = [(pub, r) for pub, g in reports(frame) for r in g.itertuples() if _is_direct(r.activity)]
    if direct:
        year = int(direct[0][1].period)
        parts.append(f"utredande socialsekreterare lade {year} " + text.listing(
            [f"{numbers.percent(_k(pub, r.activity, int(r.period)), r.value, 0)} av arbetstiden på "
             f"{text.escape(r.activity)} (enligt {text.escape(pub)})" for pub, r in direct]))
    pairs = frame[frame.phase.notna()]
    for study, g in pairs.groupby("study", sort=True):
        ph = g.set_index("phase").value
        if {"före", "efter"} <= set(ph.index):
            base = BEFORE_AFTER.sub("", g.activity.iloc[0])
            pub, year = g.source_publisher.iloc[0], int(g.period.iloc[0])
            numbers.register(_k(pub, base, year, "fore"), ph["före"], text.number(ph["före"]))
            numbers.register(_k(pub, base, year, "efter"), ph["efter"], text.number(ph["efter"]))
            parts.append(f"andelen {text.escape(base)} i {text.escape(study.split(', ')[-1])} "
                         f"{text.change_words(ph['före'], ph['efter'])}")
            break
    return "; ".join(parts) if parts else None


def key_points(db: Store, workday_hours: float = 8) -> Section:
    """'Det viktigaste' for 3.3: the report's time-use figure, what the two reproductions say, and what is missing."""
    from tillit.report.chapters import key_points as box

    lines = ["Betänkandet återgav en tidsstudie från 2017 där utredande socialsekreterare lade en liten del av "
             "dagen på direkt tid med barn, unga och vårdnadshavare."]
    frame = _frame(db, None)
    direct = [(pub, r) for pub, g in reports(frame) for r in g.itertuples() if _is_direct(r.activity)]
    if direct:
        lines.append("I de två tidningsartiklar som återger studien motsvarar " + text.listing(
            [f"{numbers.percent(_k(pub, r.activity, int(r.period)), r.value, 0)} ({text.escape(pub)}) ungefär "
             f"{_minutes(r.value, workday_hours, _k(pub, r.activity, int(r.period), 'minuter'))}"
             for pub, r in direct]) + f" av en arbetsdag på {text.number(workday_hours, 0)} timmar.")
    lines.append("Nyare mätningar av socialsekreterarnas tid finns inte i data, så det går inte att säga om bilden "
                 "har förändrats; inte heller statsbidragen kan följas upp.")
    return box(lines)
