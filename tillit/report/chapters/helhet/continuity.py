"""Kontinuitet och koordinering in Nationell Patientenkät, against delaktighet, and the IHP coordination items."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, numbers
from tillit.report.chapters import Section, medborgarfokus as mf, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.helhet.shared import COORDINATION, INVOLVEMENT, MEASURE, PROV


def continuity_by_landsting(db: Store, year: int) -> Section:
    return mf.patient_survey_by_landsting(db, MEASURE, year)


def continuity_map(db: Store, year: int) -> Section:
    return mf.patient_survey_map(db, MEASURE, year)


def continuity_by_sex(db: Store, year: int) -> Section:
    return mf.patient_survey_by_sex(db, MEASURE, year)


def continuity_trend(db: Store) -> Section:
    return mf.patient_survey_trend(db, MEASURE)


def continuity_key(*parts) -> str:
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
    where = numbers.register(continuity_key("landsting-lagre", year), lower,
                             f"samtliga {len(per)}" if lower == len(per) else f"{lower} av {len(per)}")
    lines = [f"År {year} var andelen positiva svar om kontinuitet och koordinering lägre än om delaktighet och "
             f"involvering i {where} landsting, i genomsnitt "
             f"{numbers.number(continuity_key('medelskillnad', year), gap.mean())}\u00a0procentenheter lägre (ett oviktat "
             f"medelvärde av landstingens skillnader)."]
    if mf.RIKET in wide.index:
        r = wide.loc[mf.RIKET]
        lines.append(f"För riket som helhet var andelarna "
                     f"{numbers.percent(mf.survey_key(MEASURE, 'riket', 'totalt', year), r[MEASURE])} respektive "
                     f"{numbers.percent(mf.survey_key(INVOLVEMENT, 'riket', 'totalt', year), r[INVOLVEMENT])}.")
    corr = per[MEASURE].corr(per[INVOLVEMENT])
    if len(per) > 2 and pd.notna(corr):
        strength = "starkt" if abs(corr) >= 0.7 else "måttligt" if abs(corr) >= 0.4 else "svagt"
        direction = "positivt" if corr > 0 else "negativt"
        lines.append(f"Landstingens värden på de två måtten hänger {strength} {direction} samman "
                     f"(korrelation {numbers.number(continuity_key('korrelation', year), corr, 2)}). Båda måtten bygger på "
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
