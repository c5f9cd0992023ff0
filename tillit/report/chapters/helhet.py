"""Chapter 3.2 (frånvaro av helhetsperspektiv): continuity and coordination in Patientenkät, IHP coordination items, health workforce."""
from __future__ import annotations

import re

import altair as alt
import pandas as pd

from tillit.core import markdown
from tillit.report import charts, citations, numbers, text
from tillit.tables.catalog import vocab
from tillit.report.chapters import Section, missing
from tillit.report.chapters import medborgarfokus as mf
from tillit.tables.store import Store

PROV = mf.PROV
MEASURE = "kontinuitet_koordinering"
INVOLVEMENT = "delaktighet_involvering"
COORDINATION = ("coordinat", "samordn", "medical information", "medical history", "regular doctor", "discharge",
                "records")
AGGREGATES = {"OECD average"}
GROUP_COLOURS = {"Sverige": charts.HIGHLIGHT, "Övriga länder": charts.PALETTE[0], "Genomsnitt": charts.NEUTRAL}

# measure in the table → (Swedish label, unit as written after the number, decimals, source named in the title)
WORKFORCE_MEASURES = {
    "practising physicians per 100 000 (Eurostat)": ("Praktiserande läkare", "per 100\u00a0000 invånare", 1, "Eurostat"),
    "doctors per 1 000 population": ("Läkare", "per 1\u00a0000 invånare", 1, ""),
    "nurses per 1 000 population": ("Sjuksköterskor", "per 1\u00a0000 invånare", 1, ""),
    "doctor consultations per doctor per year": ("Läkarbesök per läkare och år", "", 0, ""),
}
# per 1 000 invånare = value × factor, for the units the workforce tables use
PER_1000 = {"per 100000": 1 / 100, "per 1000": 1.0, "per 10 000": 1 / 10}
WORKFORCE_NOTES = {
    "OUTSIDE 2016–2020; context only": "äldre uppgift, bara som bakgrund",
    "Greece = licensed, over-estimate": "Grekland räknar legitimerade läkare, vilket överskattar antalet",
}
# A note that states the data year is unknown is said in the period column, not as a caveat beside a year.
NO_DATA_YEAR = "data year of underlying figure not stated"
# A note about one country ("Greece = …") belongs to that country's row only.
COUNTRY_NOTE = re.compile(r"^([A-Z][A-Za-z ]+?) = ")
WHO_MEASURES = {"lakare": ("läkare", "Läkare"), "sjukskoterskor_barnmorskor": ("sjuksköterskor och barnmorskor",
                                                                              "Sjuksköterskor och barnmorskor")}
PER_10000 = "per 10\u00a0000 invånare"


def workforce_note(note: str) -> str:
    """The collector's note in Swedish: a known note translated, an 'also: "more than N per 1 000 in A and B" (Y)'
    note rephrased from its own numbers and names; any other note is not shown in English."""
    if note in WORKFORCE_NOTES:
        return WORKFORCE_NOTES[note]
    m = re.fullmatch(r'also: "more than ([\d.,]+) per 1 000 in (.+?)" \((\d{4})\)', note)
    if m:
        places = text.listing([mf.country(c.strip()) for c in re.split(r",| and ", m.group(2)) if c.strip()])
        return f"källan nämner också mer än {text.escape(m.group(1))} per 1\u00a0000 i {text.escape(places)} ({m.group(3)})"
    return "insamlingens anteckning finns på engelska i källtabellen"


def note_applies(note, country: str) -> bool:
    """Whether a collector's note belongs on this row: a note naming one country ('Greece = licensed …') only on
    that country's row; the data-year note is said in the period column instead; other notes on every row."""
    if not isinstance(note, str) or not note or note == NO_DATA_YEAR:
        return False
    m = COUNTRY_NOTE.match(note)
    return m is None or m.group(1) == country


def _measure(m: str) -> tuple[str, int]:
    """(Swedish label with unit, decimals) of a workforce measure."""
    if m not in WORKFORCE_MEASURES:
        return m, 1
    label, unit, decimals, _ = WORKFORCE_MEASURES[m]
    return (f"{label} {unit}".strip(), decimals)


def _period(p: str, note: object = None) -> str:
    """A workforce period in Swedish: the year; an edition of Health at a Glance without data year; the edition year
    when the note says the data year is not stated."""
    if str(p).isdigit():
        return f"{p} års översikt (dataåret anges inte)" if note == NO_DATA_YEAR else str(p)
    m = re.match(r"HaaG (\d{4})", str(p))
    if m:
        return f"Health at a Glance {m.group(1)} (dataåret anges inte)"
    return str(p)


def _period_key(period) -> str:
    """A period as a key segment: the year, or 'utgava-2017' for an edition without a data year."""
    s = str(period)
    if s.isdigit():
        return s
    m = re.search(r"\d{4}", s)
    return f"utgava-{m.group(0)}" if m else s


def who_provenance(frame: pd.DataFrame) -> pd.DataFrame:
    """The WHO rows' provenance in Swedish for the source line: a copy of WHO's export kept in another repository is
    named as such ('WHO:s Global Health Observatory, indikator HWF_0001 (kopia av WHO:s export)'); the address and the
    secondary marking stay as in the data."""
    out = frame.copy()
    mirrored = out.source_title.str.contains("mirror", case=False, na=False)
    out.loc[mirrored, "source_title"] = [f"WHO:s Global Health Observatory, indikator {i} (kopia av WHO:s export)"
                                         for i in out.loc[mirrored, "indicator"]]
    return out


# --- Nationell Patientenkät ----------------------------------------------------------------------------------------

def continuity_by_landsting(db: Store, year: int) -> Section:
    return mf.patient_survey_by_landsting(db, MEASURE, year)


def continuity_by_sex(db: Store, year: int) -> Section:
    return mf.patient_survey_by_sex(db, MEASURE, year)


def continuity_trend(db: Store) -> Section:
    return mf.patient_survey_trend(db, MEASURE)


def _pk(*parts) -> str:
    return numbers.key("patientenkat", "kontinuitet-mot-delaktighet", *parts)


def extremes(frame: pd.DataFrame, columns: list[str], label: str) -> list[str]:
    """The names at the highest and lowest value of each column (each name once, in order met)."""
    names = []
    for col in columns:
        for name in (frame.loc[frame[col].idxmax(), label], frame.loc[frame[col].idxmin(), label]):
            if name not in names:
                names.append(name)
    return names


def continuity_vs_involvement(db: Store, year: int) -> Section:
    """Per landsting, continuity and coordination against involvement the same year: is coordination the weaker part?"""
    frame = db.sql(f"""SELECT region_code, measure, value, {PROV} FROM patientenkat
                       WHERE period = $y AND sex = 'T' AND measure IN ($m, $i) ORDER BY region_code""",
                   y=int(year), m=MEASURE, i=INVOLVEMENT)
    wide = frame.pivot_table(index="region_code", columns="measure", values="value")
    need = [INVOLVEMENT, MEASURE]
    if wide.empty or not set(need) <= set(wide.columns):
        return missing(f"Båda måtten i Nationell Patientenkät finns inte för {year}.")
    wide = wide.dropna(subset=need)
    regions = vocab("region")
    wide["landsting"] = [regions.label(c) for c in wide.index]
    per = wide[wide.index != mf.RIKET]
    lower = int((per[MEASURE] < per[INVOLVEMENT]).sum())
    gap = (per[INVOLVEMENT] - per[MEASURE])
    where = numbers.register(_pk("landsting-lagre", year), lower,
                             f"samtliga {len(per)}" if lower == len(per) else f"{lower} av {len(per)}")
    lines = [f"År {year} var andelen positiva svar om kontinuitet och koordinering lägre än om delaktighet och "
             f"involvering i {where} landsting, i genomsnitt "
             f"{numbers.number(_pk('medelskillnad', year), gap.mean())}\u00a0procentenheter lägre (ett oviktat "
             f"medelvärde av landstingens skillnader)."]
    if mf.RIKET in wide.index:
        r = wide.loc[mf.RIKET]
        lines.append(f"För riket som helhet var andelarna "
                     f"{numbers.percent(mf._pk(MEASURE, 'riket', 'totalt', year), r[MEASURE])} respektive "
                     f"{numbers.percent(mf._pk(INVOLVEMENT, 'riket', 'totalt', year), r[INVOLVEMENT])}.")
    corr = per[MEASURE].corr(per[INVOLVEMENT])
    if len(per) > 2 and pd.notna(corr):
        strength = "starkt" if abs(corr) >= 0.7 else "måttligt" if abs(corr) >= 0.4 else "svagt"
        direction = "positivt" if corr > 0 else "negativt"
        lines.append(f"Landstingens värden på de två måtten hänger {strength} {direction} samman "
                     f"(korrelation {numbers.number(_pk('korrelation', year), corr, 2)}). Båda måtten bygger på "
                     f"samma enkät och samma svarande, så ett samband är väntat och säger inget om att bristerna har "
                     f"en gemensam orsak.")
    plotted = per.reset_index()[["landsting", INVOLVEMENT, MEASURE]].rename(
        columns={INVOLVEMENT: "delaktighet", MEASURE: "kontinuitet"})
    lo = float(min(plotted.delaktighet.min(), plotted.kontinuitet.min())) - 1
    hi = float(max(plotted.delaktighet.max(), plotted.kontinuitet.max())) + 1
    scale = alt.Scale(domain=[lo, hi], zero=False)
    x = alt.X("delaktighet:Q", title="Delaktighet och involvering, % positiva", scale=scale, axis=alt.Axis(format=",d"))
    y = alt.Y("kontinuitet:Q", title="Kontinuitet och koordinering, % positiva", scale=scale, axis=alt.Axis(format=",d"))
    points = alt.Chart(plotted).mark_point(filled=True, size=80, color=charts.PALETTE[0]).encode(
        x=x, y=y,
        tooltip=["landsting:N", alt.Tooltip("delaktighet:Q", format=",.1f"), alt.Tooltip("kontinuitet:Q", format=",.1f")],
    )
    named = plotted[plotted.landsting.isin(extremes(plotted, ["delaktighet", "kontinuitet"], "landsting"))]
    labels = alt.Chart(named).mark_text(align="left", dx=7, dy=-7, fontSize=12, color="#333").encode(
        x=x, y=y, text="landsting:N")
    diagonal = alt.Chart(pd.DataFrame({"x": [lo, hi], "y": [lo, hi]})).mark_line(
        color=charts.NEUTRAL, strokeDash=[4, 3]).encode(x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale))
    title = f"Kontinuitet mot delaktighet per landsting {year}"
    finding = lines[0]
    shown = frame[frame.region_code.isin(per.index)]
    fig = charts.figure(alt.layer(diagonal, points, labels).properties(height=380),
                        name=f"kontinuitet-delaktighet-{year}", title=title,
                        finding=finding + " Streckad linje: lika värden. Namn står vid de högsta och lägsta värdena.",
                        data=plotted, provenance=shown,
                        headers={"landsting": "Landsting", "delaktighet": "Delaktighet, %", "kontinuitet": "Kontinuitet, %"},
                        alt=charts.alt_text("Punktdiagram", title, finding, plotted, "kontinuitet", "landsting", "procent"))
    return Section(" ".join(lines), [fig])


def ihp_coordination(db: Store) -> Section:
    """The IHP items on coordination, continuity and shared information present in the data (all partial)."""
    return mf.ihp_partial(db, keywords=COORDINATION)


# --- Figur 3.4 on WHO data ---------------------------------------------------------------------------------------

def who_workforce(db: Store, measure: str = "lakare") -> pd.DataFrame:
    """WHO's health workforce per 10 000 inhabitants for the IHP countries, with Swedish country names and breaks."""
    frame = db.sql(f"""SELECT period, country_code, indicator, value, flag, {PROV} FROM halsopersonal_who
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


def sweden_vs_others(db: Store, measure: str) -> dict | None:
    """Sweden against the unweighted mean of the other IHP countries in the comparison year (the statistic the claim
    'förhållandevis många läkare och sjuksköterskor' is judged on): year, values, the others' mean and count, rank."""
    frame = who_workforce(db, measure)
    year = comparison_year(frame) if len(frame) else None
    if year is None:
        return None
    at = frame[(frame.period == year) & frame.flag.isna()].set_index("land")["value"]
    if "Sverige" not in at:
        return None
    others = at.drop("Sverige")
    return {"measure": measure, "year": year, "values": at, "sweden": float(at["Sverige"]),
            "mean": float(others.mean()), "n_others": len(others), "frame": frame}


def _who_key(c: dict, *parts) -> str:
    return numbers.key("who", c["measure"], *parts, c["year"])


def _versus_others(c: dict, again: bool = False) -> str:
    """'ungefär en fjärdedel fler än genomsnittet för de övriga tio länderna (35,4)' (keyed)."""
    words = numbers.register(_who_key(c, "sverige-mot-ovriga"), c["sweden"] / c["mean"],
                             text.ratio_words(c["sweden"], c["mean"], "många"))
    mean = numbers.number(_who_key(c, "ovriga-medel"), c["mean"])
    whom = f"de övriga {text.count_word(c['n_others'])}" if again else f"de övriga {text.count_word(c['n_others'])} länderna"
    return f"{words} genomsnittet för {whom} ({mean})"


def support_words(doctors: dict | None, nurses: dict | None) -> tuple[str, bool] | None:
    """Whether the data support 'förhållandevis många läkare och sjuksköterskor', one part per profession, on the
    same statistic as the claim's verdict (Sweden / mean of the others above 1): ('betänkandets bild för läkarna men
    inte för sjuksköterskorna', supported at all)."""
    if not doctors or not nurses:
        return None
    up = {name: c["sweden"] > c["mean"] for name, c in (("läkarna", doctors), ("sjuksköterskorna", nurses))}
    if all(up.values()):
        return "betänkandets bild för både läkare och sjuksköterskor", True
    if not any(up.values()):
        return "betänkandets bild, varken för läkare eller för sjuksköterskor", False
    yes = next(k for k, v in up.items() if v)
    no = next(k for k, v in up.items() if not v)
    return f"betänkandets bild för {yes} men inte för {no}", True


def workforce_sentence(doctors: dict | None, nurses: dict | None) -> str | None:
    """'Enligt WHO hade Sverige 2018 44,1 läkare per 10 000 invånare, … fler än genomsnittet för de övriga tio
    länderna (35,4), men 118,5 sjuksköterskor och barnmorskor …, … färre än genomsnittet för de övriga tio (131,2).'"""
    if not doctors:
        return None
    same_year = nurses is not None and nurses["year"] == doctors["year"]
    d = (f"Enligt WHO hade Sverige {doctors['year']} "
         f"{numbers.number(_who_key(doctors, 'sverige'), doctors['sweden'])} läkare {PER_10000}, "
         f"{_versus_others(doctors)}")
    if not nurses:
        return d + "."
    link = "men" if (doctors["sweden"] > doctors["mean"]) != (nurses["sweden"] > nurses["mean"]) else "och"
    again = same_year and nurses["n_others"] == doctors["n_others"]
    n = (f"{link} {numbers.number(_who_key(nurses, 'sverige'), nurses['sweden'])} sjuksköterskor och barnmorskor "
         f"{PER_10000}{'' if same_year else ' ' + str(nurses['year'])}, {_versus_others(nurses, again)}")
    return f"{d}, {n}."


def figure_34(db: Store) -> Section:
    """The report's Figur 3.4 rebuilt on WHO data: doctors, and nurses with midwives, per 10 000 inhabitants in the
    eleven IHP countries, in the latest year all eleven report; Sweden against the mean of the other countries (the
    claim's statistic) and its rank; Sweden's series break said in the text and kept out of the line."""
    frame = who_workforce(db, "lakare")
    if frame.empty:
        return missing(f"WHO:s uppgifter om läkare {PER_10000} saknas i data.")
    doctors = sweden_vs_others(db, "lakare")
    if doctors is None:
        return missing("WHO:s uppgifter om läkare finns inte för alla länder samma år, så figur 3.4 kan inte ritas.")
    nurses = sweden_vs_others(db, "sjukskoterskor_barnmorskor")
    lines = []
    for c in (doctors, nurses):
        if c is None:
            continue
        name, _ = WHO_MEASURES[c["measure"]]
        rank = numbers.register(_who_key(c, "sverige", "placering"), int((c["values"] > c["sweden"]).sum()) + 1,
                                mf.rank_phrase(c["values"], "Sverige"))
        value = numbers.number(_who_key(c, "sverige"), c["sweden"])
        if c is doctors:
            lines.append(f"Enligt WHO hade Sverige {value} {name} {PER_10000} {c['year']}, {rank} IHP-länderna och "
                         f"{_versus_others(c)}.")
        else:
            same = c["year"] == doctors["year"] and c["n_others"] == doctors["n_others"]
            when = "Samma år" if c["year"] == doctors["year"] else f"År {c['year']}"
            lines.append(f"{when} hade Sverige {value} {name} {PER_10000}, {rank} och {_versus_others(c, same)}.")
    verdict = support_words(doctors, nurses)
    if verdict:
        tail, yes = verdict
        lines.append(f"Jämfört med genomsnittet för de övriga länderna stöder data {'' if yes else 'inte '}{tail}.")
    lines.append("Personaltal är svåra att jämföra mellan länder, eftersom länderna kan avgränsa och räkna "
                 "yrkesgrupperna på olika sätt; WHO:s mått för sjuksköterskor räknar dessutom in barnmorskor.")
    swe = frame[frame.land == "Sverige"].set_index("period")
    breaks = [int(p) for p in swe.index[swe.flag.notna()]]
    before = swe[swe.index < breaks[0]] if breaks else swe
    if breaks:
        after = float(swe.loc[breaks[0], "value"])
        prev = float(before["value"].iloc[-1])
        lines.append(f"WHO:s värde för Sverige {breaks[0]}, "
                     f"{numbers.number(numbers.key('who', 'lakare', 'sverige', 'tidsseriebrott', breaks[0]), after)} "
                     f"läkare {PER_10000}, är {text.percent_difference(after, prev)} än året före och markerat som "
                     f"tidsseriebrott i bokens data. Det jämförs inte med tidigare år och ingår inte i linjen i "
                     f"diagrammet.")
    figs = [who_bar_chart(c) for c in (doctors, nurses) if c is not None]
    figs.append(sweden_series(before, breaks))
    return Section(" ".join(lines), figs)


def who_bar_chart(c: dict) -> charts.Figure:
    """The eleven countries sorted, Sweden highlighted, the mean of the other countries as a dashed line."""
    name, label = WHO_MEASURES[c["measure"]]
    plotted = c["values"].reset_index().rename(columns={"value": "per_10000"})
    plotted["grupp"] = ["Sverige" if land == "Sverige" else "Övriga länder" for land in plotted.land]
    plotted = plotted.sort_values("per_10000", ascending=False).reset_index(drop=True)
    base = alt.Chart(plotted).encode(y=alt.Y("land:N", sort=plotted.land.tolist(), title=None))
    bars = base.mark_bar().encode(
        x=alt.X("per_10000:Q", title=f"{label} per 10 000 invånare", axis=alt.Axis(format=",d")),
        color=alt.Color("grupp:N", title=None, scale=alt.Scale(domain=["Sverige", "Övriga länder"],
                                                              range=[charts.HIGHLIGHT, charts.PALETTE[0]])),
        tooltip=[alt.Tooltip("land:N", title="Land"), alt.Tooltip("per_10000:Q", title="Per 10 000", format=",.1f")])
    labels = base.mark_text(align="left", dx=4, color="#333").encode(
        x="per_10000:Q", text=alt.Text("per_10000:Q", format=",.1f"))
    mean = alt.Chart(pd.DataFrame({"medel": [c["mean"]]})).mark_rule(
        color=charts.NEUTRAL, strokeDash=[4, 3], strokeWidth=2).encode(x="medel:Q")
    title = (f"{label} per 10 000 invånare i IHP-länderna {c['year']}"
             + (" (motsvarar betänkandets figur 3.4, men med WHO:s uppgifter)" if c["measure"] == "lakare"
                else " (WHO)"))
    finding = (f"Sverige hade {text.number(c['sweden'])} {name} per 10\u00a0000 invånare, "
               f"{text.ratio_words(c['sweden'], c['mean'], 'många')} genomsnittet för de övriga "
               f"{text.count_word(c['n_others'])} länderna ({text.number(c['mean'])}). Streckad linje: det genomsnittet.")
    shown = who_provenance(c["frame"][(c["frame"].period == c["year"]) & c["frame"].flag.isna()])
    return charts.figure(alt.layer(bars, labels, mean).properties(height=alt.Step(24)),
                         name=f"{'figur-3-4' if c['measure'] == 'lakare' else 'sjukskoterskor-who'}-{c['year']}",
                         title=title, finding=finding, data=plotted, provenance=shown,
                         headers={"land": "Land", "per_10000": f"{label} per 10 000", "grupp": "Grupp"},
                         alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "per_10000", "land", ""))


def sweden_series(before: pd.DataFrame, breaks: list[int]) -> charts.Figure:
    """Sweden's doctors per 10 000 up to the series break (the value after it is said in the text, not drawn); a
    missing year breaks the line."""
    series = before.reset_index()[["period", "value"]].rename(columns={"period": "år", "value": "per_10000"})
    drawn = charts.with_gaps(series, "år", "per_10000")
    line = alt.Chart(drawn).mark_line(point=alt.OverlayMarkDef(color=charts.HIGHLIGHT, filled=True),
                                      invalid=charts.BREAK_AT_GAPS, color=charts.HIGHLIGHT).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d")),
        y=alt.Y("per_10000:Q", title="Läkare per 10 000 invånare", axis=alt.Axis(format=",d")),
        tooltip=[alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("per_10000:Q", title="Per 10 000", format=",.1f")]).properties(height=260)
    first, last = int(series["år"].min()), int(series["år"].max())
    title = f"Läkare per 10 000 invånare i Sverige {first}–{last} (WHO)"
    v0, v1 = series.per_10000.iloc[0], series.per_10000.iloc[-1]
    finding = (f"Sveriges värde {'ökade' if v1 > v0 else 'minskade'} från {text.number(v0)} år {first} till "
               f"{text.number(v1)} år {last}.")
    if breaks:
        finding += f" Värdet för {breaks[0]} är ett tidsseriebrott och ingår inte i linjen."
    return charts.figure(line, name="lakare-sverige-who", title=title, finding=finding, data=series,
                         provenance=who_provenance(before.reset_index()),
                         headers={"år": "År", "per_10000": "Läkare per 10 000"},
                         alt=charts.alt_text("Linjediagram", title, finding, series.astype({"år": str}), "per_10000",
                                             "år", ""))


# --- older OECD and Eurostat comparisons -------------------------------------------------------------------------

def workforce_groups(db: Store) -> list[tuple[tuple, pd.DataFrame]]:
    frame = db.sql(f"SELECT period, country, measure, value, unit, note, {PROV} FROM halsopersonal_oecd ORDER BY measure, period")
    return list(frame.groupby(["measure", "period", "source_title"], sort=False))


def _edition(title: str) -> str | None:
    m = re.search(r"Health at a Glance (\d{4})", title)
    return m.group(0) if m else None


def workforce_title(measure: str, period: str, source_title: str) -> str:
    """'Sjuksköterskor per 1 000 invånare, Health at a Glance 2017 (dataåret anges inte)', 'Praktiserande läkare per
    100 000 invånare 2009 (Eurostat)': the unit and the data year or edition in every title."""
    label, unit, _, src = WORKFORCE_MEASURES.get(measure, (measure, "", 1, ""))
    head = f"{label} {unit}".strip().replace("\u00a0", " ")
    if str(period).isdigit():
        return f"{head} {period}" + (f" ({src})" if src else "")
    return f"{head}, {_period(period)}"


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
        when = f"år {period}" if str(period).isdigit() else f"enligt {text.escape(_period(period))}"
        k = lambda *p: numbers.key("halsopersonal", label, *p, _period_key(period))  # noqa: E731
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
                            name=f"halsopersonal-{label}-{_period_key(period)}", title=title, finding=sentence,
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
        per = numbers.number(numbers.key("halsopersonal", label, "sverige", "per-1000", _period_key(period)),
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
        label, decimals = _measure(measure)
        for r in g.itertuples():
            n_rows += 1
            n_secondary += r.source_type == "secondary"
            note = workforce_note(r.note) if note_applies(r.note, r.country) else ""
            rows.append([text.escape(label), text.escape(_period(period, r.note)), text.escape(mf.country(r.country)),
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
        label, decimals = _measure(measure)
        parts = []
        for r in g.itertuples():
            edition = _edition(r.source_title) or text.escape(r.source_title)
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


# --- for the synthesis and the top of the page ------------------------------------------------------------------

def key_figure(db: Store) -> str | None:
    """One line for the synthesis (3.6): the latest national continuity share and the spread between landsting."""
    latest = db.sql("SELECT max(period) AS y FROM patientenkat WHERE measure = $m", m=MEASURE).y.iloc[0]
    if pd.isna(latest):
        return None
    year = int(latest)
    frame = db.sql("""SELECT region_code, value FROM patientenkat WHERE measure = $m AND period = $y AND sex = 'T'""",
                   m=MEASURE, y=year)
    riket = frame[frame.region_code == mf.RIKET]
    per = frame[frame.region_code != mf.RIKET]
    parts = []
    if len(riket):
        share = numbers.percent(mf._pk(MEASURE, "riket", "totalt", year), riket.value.iloc[0])
        parts.append(f"i Nationell Patientenkät {year} svarade {share} av patienterna i riket positivt om kontinuitet "
                     f"och koordinering")
    if len(per) > 1:
        spread = round(per.value.max(), 1) - round(per.value.min(), 1)
        shown = numbers.register(mf._pk(MEASURE, "skillnad-hogst-lagst", year), spread, text.points(spread))
        parts.append(f"mellan högsta och lägsta landsting skilde det {shown}")
    return "; ".join(parts) if parts else None


def key_points(db: Store) -> Section:
    """'Det viktigaste' for 3.2: the report's picture of fragmentation and many doctors and nurses, and what the data
    show for each, on the statistic the claim is judged on (Sweden against the mean of the other IHP countries)."""
    from tillit.report.chapters import key_points as box

    lines = ["Betänkandet beskrev en vård där patienterna upplever låg kontinuitet och samordning, och menade att "
             "det inte beror på brist på personal: Sverige skulle ha förhållandevis många läkare och sjuksköterskor "
             "jämfört med de andra länderna i IHP-undersökningen."]
    latest = db.sql("SELECT max(period) AS y FROM patientenkat WHERE measure = $m", m=MEASURE).y.iloc[0]
    if pd.notna(latest):
        year = int(latest)
        frame = db.sql("""SELECT region_code, measure, value FROM patientenkat WHERE period = $y AND sex = 'T'
                          AND measure IN ($m, $i)""", y=year, m=MEASURE, i=INVOLVEMENT)
        wide = frame.pivot_table(index="region_code", columns="measure", values="value")
        if {MEASURE, INVOLVEMENT} <= set(wide.columns):
            per = wide.drop(index=mf.RIKET, errors="ignore").dropna()
            lower = int((per[MEASURE] < per[INVOLVEMENT]).sum())
            where = numbers.register(_pk("landsting-lagre", year), lower,
                                     f"samtliga {len(per)}" if lower == len(per) else f"{lower} av {len(per)}")
            r = wide.loc[mf.RIKET] if mf.RIKET in wide.index else None
            lines.append(f"I Nationell Patientenkät {year} var patienterna mindre positiva om kontinuitet och "
                         f"koordinering än om sin delaktighet i {where} landsting"
                         + (f" ({numbers.percent(mf._pk(MEASURE, 'riket', 'totalt', year), r[MEASURE])} mot "
                            f"{numbers.percent(mf._pk(INVOLVEMENT, 'riket', 'totalt', year), r[INVOLVEMENT])} i riket)."
                            if r is not None else "."))
    doctors = sweden_vs_others(db, "lakare")
    nurses = sweden_vs_others(db, "sjukskoterskor_barnmorskor") if doctors else None
    sentence = workforce_sentence(doctors, nurses)
    if sentence:
        lines.append(sentence)
        verdict = support_words(doctors, nurses)
        if verdict:
            tail, yes = verdict
            lines.append(f"Data stöder alltså {'' if yes else 'inte '}{tail}.")
    else:
        lines.append("WHO:s uppgifter om läkare per invånare i IHP-länderna saknas i data, så påståendet om många "
                     "läkare och sjuksköterskor kan inte prövas här.")
    return box(lines[:4])
