"""Chapter 3.2 (frånvaro av helhetsperspektiv): continuity and coordination in Patientenkät, IHP coordination items, health workforce."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, text
from tillit.tables.catalog import vocab
from tillit.report.chapters import Section, missing
from tillit.report.chapters import medborgarfokus as mf
from tillit.tables.store import Store

PROV = mf.PROV
MEASURE = "kontinuitet_koordinering"
COORDINATION = ("coordinat", "samordn", "medical information", "medical history", "regular doctor", "discharge",
                "records")
AGGREGATES = {"OECD average"}
GROUP_COLOURS = {"Sverige": charts.HIGHLIGHT, "Övriga länder": charts.PALETTE[0], "Genomsnitt": charts.NEUTRAL}

WORKFORCE_MEASURES = {
    "practising physicians per 100 000 (Eurostat)": ("Praktiserande läkare per 100 000 invånare (Eurostat)", 1),
    "doctors per 1 000 population": ("Läkare per 1 000 invånare", 1),
    "nurses per 1 000 population": ("Sjuksköterskor per 1 000 invånare", 1),
    "doctor consultations per doctor per year": ("Läkarbesök per läkare och år", 0),
}
WORKFORCE_NOTES = {
    "OUTSIDE 2016–2020; context only": "äldre uppgift, bara som bakgrund",
    "Greece = licensed, over-estimate": "Grekland räknar legitimerade läkare, vilket överskattar antalet",
    "data year of underlying figure not stated": "dataåret anges inte",
}


def workforce_note(note: str) -> str:
    """The collector's note in Swedish: a known note translated, an 'also: "more than N per 1 000 in A and B" (Y)'
    note rephrased from its own numbers and names; any other note is not shown in English."""
    import re

    if note in WORKFORCE_NOTES:
        return WORKFORCE_NOTES[note]
    m = re.fullmatch(r'also: "more than ([\d.,]+) per 1 000 in (.+?)" \((\d{4})\)', note)
    if m:
        places = text.listing([mf.country(c.strip()) for c in re.split(r",| and ", m.group(2)) if c.strip()])
        return f"källan nämner också mer än {text.escape(m.group(1))} per 1\u00a0000 i {text.escape(places)} ({m.group(3)})"
    return "insamlingens anteckning finns på engelska i källtabellen"


def _measure(m: str) -> tuple[str, int]:
    return WORKFORCE_MEASURES.get(m, (m, 1))


def _period(p: str) -> str:
    if str(p).isdigit():
        return str(p)
    if str(p).startswith("HaaG 2017"):
        return "Health at a Glance 2017 (dataår anges inte)"
    return str(p)


def continuity_by_landsting(db: Store, year: int) -> Section:
    return mf.patient_survey_by_landsting(db, MEASURE, year)


def continuity_by_sex(db: Store, year: int) -> Section:
    return mf.patient_survey_by_sex(db, MEASURE, year)


def continuity_trend(db: Store) -> Section:
    return mf.patient_survey_trend(db, MEASURE)


def continuity_vs_involvement(db: Store, year: int) -> Section:
    """Per landsting, continuity and coordination against involvement the same year: is coordination the weaker part?"""
    frame = db.sql(f"""SELECT region_code, measure, value, {PROV} FROM patientenkat
                       WHERE period = $y AND sex = 'T' ORDER BY region_code""", y=int(year))
    wide = frame.pivot_table(index="region_code", columns="measure", values="value")
    need = ["delaktighet_involvering", MEASURE]
    if wide.empty or not set(need) <= set(wide.columns):
        return missing(f"Båda måtten i Nationell Patientenkät finns inte för {year}.")
    wide = wide.dropna(subset=need)
    regions = vocab("region")
    wide["landsting"] = [regions.label(c) for c in wide.index]
    per = wide[wide.index != mf.RIKET]
    lower = int((per[MEASURE] < per["delaktighet_involvering"]).sum())
    gap = (per["delaktighet_involvering"] - per[MEASURE])
    where = f"samtliga {len(per)}" if lower == len(per) else f"{lower} av {len(per)}"
    lines = [f"År {year} var andelen positiva svar om kontinuitet och koordinering lägre än om delaktighet och "
             f"involvering i {where} landsting, i genomsnitt {text.number(gap.mean())} procentenheter lägre."]
    if mf.RIKET in wide.index:
        r = wide.loc[mf.RIKET]
        lines.append(f"I riket var det {text.percent(r[MEASURE])} mot {text.percent(r['delaktighet_involvering'])}.")
    corr = per[MEASURE].corr(per["delaktighet_involvering"])
    if len(per) > 2 and pd.notna(corr):
        strength = "starkt" if abs(corr) >= 0.7 else "måttligt" if abs(corr) >= 0.4 else "svagt"
        direction = "positivt" if corr > 0 else "negativt"
        lines.append(f"Landstingens värden på de två måtten hänger {strength} {direction} samman "
                     f"(korrelation {text.number(corr, 2)}).")
    plotted = per.reset_index()[["landsting", "delaktighet_involvering", MEASURE]].rename(
        columns={"delaktighet_involvering": "delaktighet", MEASURE: "kontinuitet"})
    lo = float(min(plotted.delaktighet.min(), plotted.kontinuitet.min())) - 1
    hi = float(max(plotted.delaktighet.max(), plotted.kontinuitet.max())) + 1
    points = alt.Chart(plotted).mark_point(filled=True, size=80, color=charts.PALETTE[0]).encode(
        x=alt.X("delaktighet:Q", title="Delaktighet och involvering, % positiva", scale=alt.Scale(domain=[lo, hi], zero=False),
                axis=alt.Axis(format=",d")),
        y=alt.Y("kontinuitet:Q", title="Kontinuitet och koordinering, % positiva",
                scale=alt.Scale(domain=[lo, hi], zero=False),
                axis=alt.Axis(format=",d")),
        tooltip=["landsting:N", alt.Tooltip("delaktighet:Q", format=",.1f"), alt.Tooltip("kontinuitet:Q", format=",.1f")],
    )
    diagonal = alt.Chart(pd.DataFrame({"x": [lo, hi], "y": [lo, hi]})).mark_line(
        color=charts.NEUTRAL, strokeDash=[4, 3]).encode(x=alt.X("x:Q", scale=alt.Scale(domain=[lo, hi], zero=False)),
                                                        y=alt.Y("y:Q", scale=alt.Scale(domain=[lo, hi], zero=False)))
    title = f"Kontinuitet mot delaktighet per landsting {year}"
    finding = lines[0]
    fig = charts.figure(alt.layer(diagonal, points).properties(height=380), name=f"kontinuitet-delaktighet-{year}",
                        title=title, finding=finding + " Streckad linje: lika värden.", data=plotted,
                        provenance=frame, headers={"landsting": "Landsting", "delaktighet": "Delaktighet, %",
                                                   "kontinuitet": "Kontinuitet, %"},
                        alt=charts.alt_text("Punktdiagram", title, finding, plotted, "kontinuitet", "landsting", "procent"))
    return Section(" ".join(lines), [fig])


def ihp_coordination(db: Store) -> Section:
    """The IHP items on coordination, continuity and shared information present in the data (all partial)."""
    return mf.ihp_partial(db, keywords=COORDINATION)


def workforce_groups(db: Store) -> list[tuple[tuple, pd.DataFrame]]:
    frame = db.sql(f"SELECT period, country, measure, value, unit, note, {PROV} FROM halsopersonal_oecd ORDER BY measure, period")
    return list(frame.groupby(["measure", "period", "source_title"], sort=False))


def workforce_charts(db: Store) -> Section:
    """One bar chart per comparison in `halsopersonal_oecd` that includes Sweden and at least two other entries."""
    groups = [(k, g) for k, g in workforce_groups(db) if mf.SWEDEN in set(g.country) and g.country.nunique() >= 3]
    if not groups:
        return missing("Tabellen `halsopersonal_oecd` har ingen jämförelse där Sverige och minst två andra länder finns.")
    lines, figs = [], []
    for (measure, period, _), g in groups:
        label, decimals = _measure(measure)
        g = g.drop_duplicates("country").reset_index(drop=True)
        countries = g[~g.country.isin(AGGREGATES)].set_index("country").value
        se = countries[mf.SWEDEN]
        main, _, src = label.partition(" (")
        when = (f"år {period}" if str(period).isdigit() else f"enligt {text.escape(_period(period))}")
        sentence = (f"Sverige hade {text.number(se, decimals)} {main[:1].lower()}{main[1:]} {when}"
                    + (f" (källa {src.rstrip(')')})" if src else "")
                    + f", {mf.rank_phrase(countries, mf.SWEDEN, 'högsta', 'lägsta')} länderna i jämförelsen")
        avg = g[g.country.isin(AGGREGATES)]
        if len(avg):
            a = float(avg.value.iloc[0])
            sentence += f" och {text.ratio_words(se, a)} OECD-genomsnittet ({text.number(a, decimals)})"
        secondary = (g.source_type == "secondary").all()
        sentence += "." + (" Uppgiften kommer från en sekundärkälla." if secondary else "")
        lines.append(sentence)
        plotted = pd.DataFrame({"land": [mf.country(c) for c in g.country], "värde": g.value.astype(float),
                                "grupp": ["Sverige" if c == mf.SWEDEN else "Genomsnitt" if c in AGGREGATES
                                          else "Övriga länder" for c in g.country]})
        plotted = plotted.sort_values("värde", ascending=False).reset_index(drop=True)
        base = alt.Chart(plotted).encode(y=alt.Y("land:N", sort=plotted.land.tolist(), title=None))
        bars = base.mark_bar().encode(
            x=alt.X("värde:Q", title=label, axis=alt.Axis(format=",d" if decimals == 0 else ",.0f")),
            color=alt.Color("grupp:N", title=None, scale=alt.Scale(
                domain=[k for k in GROUP_COLOURS if k in set(plotted.grupp)],
                range=[c for k, c in GROUP_COLOURS.items() if k in set(plotted.grupp)])),
            tooltip=[alt.Tooltip("land:N", title="Land"), alt.Tooltip("värde:Q", title="Värde", format=f",.{decimals}f")],
        )
        labels = base.mark_text(align="left", dx=4, color="#333").encode(
            x="värde:Q", text=alt.Text("värde:Q", format=f",.{decimals}f"))
        title = label.split(" (")[0]
        fig = charts.figure(alt.layer(bars, labels).properties(height=alt.Step(24)),
                            name=f"halsopersonal-{measure}-{period}", title=title, finding=sentence, data=plotted,
                            provenance=g, headers={"land": "Land", "värde": "Värde", "grupp": "Grupp"},
                            decimals=decimals,
                            alt=charts.alt_text("Stapeldiagram", title, sentence, plotted, "värde", "land", "", decimals))
        figs.append(fig)
    return Section(" ".join(lines), figs)


def workforce_table(db: Store) -> Section:
    """Every value in `halsopersonal_oecd`, with its source and the collector's caveat; secondary sources marked."""
    groups = workforce_groups(db)
    if not groups:
        return missing("Tabellen `halsopersonal_oecd` är tom.")
    rows = ["| Mått | Period | Land | Värde | Anmärkning | Källa |", "|---|---|---|---|---|---|"]
    n_secondary = n_rows = 0
    for (measure, period, _), g in groups:
        label, decimals = _measure(measure)
        for r in g.itertuples():
            n_rows += 1
            n_secondary += r.source_type == "secondary"
            note = workforce_note(r.note) if isinstance(r.note, str) else ""
            rows.append(f"| {text.escape(label)} | {text.escape(_period(period))} | {text.escape(mf.country(r.country))} | "
                        f"{text.number(r.value, decimals)} | {text.escape(note)} | {mf.source_cell(g.loc[[r.Index]])} |")
    intro = (f"Alla {n_rows} värden i tabellen `halsopersonal_oecd`; {n_secondary} av dem kommer från sekundärkällor "
             f"(press eller andra som återger OECD och Eurostat).")
    return Section(intro + "\n\n" + "\n".join(rows))


def workforce_report_figure(db: Store, min_countries: int = 10) -> Section:
    """The report's Figur 3.4 (doctors per 1 000 inhabitants in the IHP countries) if the data hold it, else a note."""
    frame = db.sql("""SELECT period, count(DISTINCT country) AS n, bool_or(country = $se) AS sweden
                      FROM halsopersonal_oecd WHERE measure = 'doctors per 1 000 population' AND country <> 'OECD average'
                      GROUP BY period ORDER BY n DESC""", se=mf.SWEDEN)
    full = frame[(frame.n >= min_countries) & frame.sweden]
    if len(full):
        best = full.iloc[0]
        return Section(f"OECD:s läkartäthet finns för {int(best.n)} länder ({text.escape(best.period)}), Sverige "
                       f"inräknat; se diagrammen ovan.")
    have = (f" I data finns läkare per 1 000 invånare bara för {int(frame.n.max())} länder och inte för Sverige."
            if len(frame) and not frame.sweden.any() else "")
    return missing(
        "Rapportens figur 3.4 jämför antalet läkare per 1 000 invånare i IHP-länderna. OECD:s värden för alla elva "
        f"länder finns inte i standarddata.{have} En analytiker kan lägga till dem från OECD Health Statistics "
        "(tabellen över praktiserande läkare per 1 000 invånare) med `tillit import <fil> --table halsopersonal_oecd` "
        "och sedan köra `tillit build`.")


def key_figure(db: Store) -> str | None:
    """One line for the synthesis (3.6): the latest national continuity share and the spread between landsting."""
    latest = db.sql("SELECT max(period) AS y FROM patientenkat WHERE measure = $m", m=MEASURE).y.iloc[0]
    if pd.isna(latest):
        return None
    frame = db.sql("""SELECT region_code, value FROM patientenkat WHERE measure = $m AND period = $y AND sex = 'T'""",
                   m=MEASURE, y=int(latest))
    riket = frame[frame.region_code == mf.RIKET]
    per = frame[frame.region_code != mf.RIKET]
    parts = []
    if len(riket):
        parts.append(f"i Nationell Patientenkät {int(latest)} svarade {text.percent(riket.value.iloc[0])} av patienterna "
                     f"i riket positivt om kontinuitet och koordinering")
    if len(per) > 1:
        parts.append(f"mellan högsta och lägsta landsting skilde det {text.number(per.value.max() - per.value.min())} "
                     f"procentenheter")
    return "; ".join(parts) if parts else None


def key_points(db: Store) -> Section:
    """'Det viktigaste' for 3.2: the report's picture of fragmentation and many doctors, and what the data show."""
    from tillit.report.chapters import key_points as box

    lines = ["Betänkandet beskrev en vård där patienterna upplever låg kontinuitet och samordning, trots att Sverige "
             "har förhållandevis många läkare och sjuksköterskor."]
    latest = db.sql("SELECT max(period) AS y FROM patientenkat WHERE measure = $m", m=MEASURE).y.iloc[0]
    if pd.notna(latest):
        year = int(latest)
        frame = db.sql("""SELECT region_code, measure, value FROM patientenkat WHERE period = $y AND sex = 'T'
                          AND measure IN ('kontinuitet_koordinering', 'delaktighet_involvering')""", y=year)
        wide = frame.pivot_table(index="region_code", columns="measure", values="value")
        if {MEASURE, "delaktighet_involvering"} <= set(wide.columns):
            per = wide.drop(index=mf.RIKET, errors="ignore").dropna()
            lower = int((per[MEASURE] < per["delaktighet_involvering"]).sum())
            where = f"alla {len(per)}" if lower == len(per) else f"{lower} av {len(per)}"
            r = wide.loc[mf.RIKET] if mf.RIKET in wide.index else None
            lines.append(f"I Nationell Patientenkät {year} var patienterna mindre positiva om kontinuitet och "
                         f"koordinering än om sin delaktighet i {where} landsting"
                         + (f" ({text.percent(r[MEASURE])} mot {text.percent(r['delaktighet_involvering'])} i riket)."
                            if r is not None else "."))
    doctors = figure_34(db)
    if "Data saknas" in doctors.markdown:
        lines.append("Betänkandets figur 3.4 om läkare per invånare i IHP-länderna kan inte återskapas med data, så "
                     "påståendet om många läkare kan inte prövas här.")
    else:
        lines.append(doctors.markdown.split(". ")[0] + ".")
    return box(lines[:4])


# --- Figur 3.4 on WHO data ---------------------------------------------------------------------------------------

WHO_MEASURES = {"lakare": "läkare", "sjukskoterskor_barnmorskor": "sjuksköterskor och barnmorskor"}


def who_workforce(db: Store, measure: str = "lakare") -> pd.DataFrame:
    """WHO's health workforce per 10 000 inhabitants for the IHP countries, with Swedish country names and breaks."""
    frame = db.sql(f"""SELECT period, country_code, value, flag, {PROV} FROM halsopersonal_who
                       WHERE measure = $m ORDER BY country_code, period""", m=measure)
    countries = vocab("country")
    frame["land"] = [countries.label(c) for c in frame.country_code]
    frame["period"] = frame.period.astype(int)
    return frame


def comparison_year(frame: pd.DataFrame) -> int | None:
    """The latest year where every country in the table has a value that is not a series break."""
    ok = frame[frame.flag.isna()]
    n = frame.country_code.nunique()
    full = ok.groupby("period").country_code.nunique()
    full = full[full == n]
    return int(full.index.max()) if len(full) else None


def figure_34(db: Store) -> Section:
    """The report's Figur 3.4 rebuilt on WHO data: doctors per 10 000 inhabitants in the eleven IHP countries, in the
    latest year all eleven report, Sweden's rank computed; Sweden's series break said in the text and the chart."""
    frame = who_workforce(db, "lakare")
    if frame.empty:
        return missing("WHO:s uppgifter om läkare per 10\u00a0000 invånare saknas i data (tabellen `halsopersonal_who`).")
    year = comparison_year(frame)
    if year is None:
        return missing("WHO:s uppgifter om läkare finns inte för alla länder samma år, så figur 3.4 kan inte ritas.")
    at = frame[frame.period == year].set_index("land")["value"]
    se = "Sverige"
    lines = []
    if se in at:
        notable = text.rank_position(at, se)
        where = (f"{notable} av de {len(at)} IHP-länderna" if notable else f"nära mitten av de {len(at)} IHP-länderna")
        lines.append(f"Enligt WHO hade Sverige {text.number(at[se], 1)} läkare per 10\u00a0000 invånare {year}, "
                     f"{where}; medianen för länderna var {text.number(at.median(), 1)}.")
    nurses = who_workforce(db, "sjukskoterskor_barnmorskor")
    ny = comparison_year(nurses) if len(nurses) else None
    if ny and se in set(nurses.land):
        nat = nurses[nurses.period == ny].set_index("land")["value"]
        notable = text.rank_position(nat, se)
        where = (f"{notable} av de {len(nat)} länderna" if notable else
                 f"nära mitten av de {len(nat)} länderna (medianen var {text.number(nat.median(), 1)})")
        lines.append(f"Sjuksköterskor och barnmorskor var {text.number(nat[se], 1)} per 10\u00a0000 invånare {ny}, "
                     f"{where}.")
    swe = frame[frame.land == se].set_index("period")
    breaks = [int(p) for p in swe.index[swe.flag.notna()]]
    if breaks:
        after = swe.loc[breaks[0], "value"]
        before = swe[swe.index < breaks[0]]["value"]
        change = "ökade" if before.iloc[-1] > before.iloc[0] else "minskade"
        lines.append(f"Sveriges värde för {breaks[0]} ({text.number(after, 1)}) är ett tidsseriebrott i WHO:s serie och "
                     f"jämförs inte med tidigare år. Före brottet {change} Sveriges värde från "
                     f"{text.number(before.iloc[0], 1)} år {int(before.index[0])} till {text.number(before.iloc[-1], 1)} "
                     f"år {int(before.index[-1])}.")
    if se in at:
        verdict = ("stöder" if (text.rank_position(at, se) or "").endswith("högsta") else "stöder inte")
        lines.append(f"Det {verdict} betänkandets bild av förhållandevis många läkare i Sverige jämfört med de övriga "
                     f"länderna i mätningen.")
    plotted = at.reset_index().rename(columns={"value": "per_10000"})
    plotted["grupp"] = ["Sverige" if l == se else "Övriga länder" for l in plotted.land]
    plotted = plotted.sort_values("per_10000", ascending=False).reset_index(drop=True)
    base = alt.Chart(plotted).encode(y=alt.Y("land:N", sort=plotted.land.tolist(), title=None))
    bars = base.mark_bar().encode(
        x=alt.X("per_10000:Q", title="Läkare per 10 000 invånare", axis=alt.Axis(format=",d")),
        color=alt.Color("grupp:N", title=None, scale=alt.Scale(domain=["Sverige", "Övriga länder"],
                                                              range=[charts.HIGHLIGHT, charts.PALETTE[0]])),
        tooltip=[alt.Tooltip("land:N", title="Land"), alt.Tooltip("per_10000:Q", title="Per 10 000", format=",.1f")])
    labels = base.mark_text(align="left", dx=4, color="#333").encode(
        x="per_10000:Q", text=alt.Text("per_10000:Q", format=",.1f"))
    title = f"Läkare per 10 000 invånare i IHP-länderna {year} (betänkandets figur 3.4)"
    finding = lines[0] if lines else ""
    shown = frame[frame.period == year]
    fig = charts.figure(alt.layer(bars, labels).properties(height=alt.Step(24)), name=f"figur-3-4-{year}", title=title,
                        finding=finding, data=plotted, provenance=shown,
                        headers={"land": "Land", "per_10000": "Läkare per 10 000", "grupp": "Grupp"},
                        alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "per_10000", "land", ""))
    # Sweden's series over the years, the break drawn as a gap and marked
    series = swe.reset_index()[["period", "value", "flag"]].rename(columns={"period": "år", "value": "per_10000"})
    series["del"] = ["Efter tidsseriebrottet" if breaks and y >= breaks[0] else "Före tidsseriebrottet"
                     for y in series["år"]]
    line = alt.Chart(series).mark_line(point=True).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d")),
        y=alt.Y("per_10000:Q", title="Läkare per 10 000 invånare", axis=alt.Axis(format=",d")),
        color=alt.Color("del:N", title=None, sort=["Före tidsseriebrottet", "Efter tidsseriebrottet"]),
        tooltip=[alt.Tooltip("år:Q", title="År", format="d"), alt.Tooltip("per_10000:Q", title="Per 10 000", format=",.1f"),
                 alt.Tooltip("del:N", title="Serie")]).properties(height=260)
    layers = [line]
    if breaks:
        layers.append(alt.Chart(pd.DataFrame({"år": [breaks[0] - 0.5]})).mark_rule(
            color=charts.NEUTRAL, strokeDash=[4, 3]).encode(x="år:Q"))
    stitle = f"Läkare per 10 000 invånare i Sverige {int(series['år'].min())}–{int(series['år'].max())}"
    sfinding = (f"Streckad linje: tidsseriebrott {breaks[0]}; värdena efter brottet jämförs inte med värdena före."
                if breaks else "Serien har inget markerat tidsseriebrott.")
    sfig = charts.figure(alt.layer(*layers), name="lakare-sverige-who", title=stitle, finding=sfinding,
                         data=series[["år", "per_10000", "del"]], provenance=frame[frame.land == se],
                         headers={"år": "År", "per_10000": "Läkare per 10 000", "del": "Serie"},
                         alt=charts.alt_text("Linjediagram", stitle, sfinding, series[["år", "per_10000", "del"]],
                                             "per_10000", ["del", "år"], ""))
    return Section(" ".join(lines), [fig, sfig])
