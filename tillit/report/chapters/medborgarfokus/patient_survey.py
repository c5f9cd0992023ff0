"""Nationell Patientenkät per landsting, by sex and over the years (delaktighet, kontinuitet)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.core.swedish import rounded
from tillit.report import charts, numbers, text, trends
from tillit.report.chapters import Section, missing, riket_sentence
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.medborgarfokus.shared import MEASURES, PROV, RIKET


def places_at(frame: pd.DataFrame, value: float, column: str = "landsting") -> str:
    """'på Gotland och i Örebro': the places whose value rounds to the same shown figure, with their prepositions."""
    hits = frame[frame.value.round(1) == round(float(value), 1)][column]
    return text.places([text.escape(h) for h in sorted(hits)])


def names_at(frame: pd.DataFrame, value: float, column: str = "landsting") -> str:
    """The names whose value rounds to the same shown figure (ties are named together)."""
    hits = frame[frame.value.round(1) == round(float(value), 1)][column]
    return text.listing([text.escape(h) for h in sorted(hits)])


def patient_frame(db: Store, measure: str, year: int | None = None, sex: str | None = None) -> pd.DataFrame:
    where, params = ["measure = $m"], {"m": measure}
    if year is not None:
        where.append("period = $y")
        params["y"] = int(year)
    if sex is not None:
        where.append("sex = $s")
        params["s"] = sex
    frame = db.sql(f"""SELECT period, region_code, sex, value, {PROV} FROM patientenkat
                       WHERE {' AND '.join(where)} ORDER BY period, region_code, sex""", **params)
    regions = vocab("region")
    frame["landsting"] = [regions.label(c) for c in frame.region_code]
    return frame


def years_text(db: Store, measure: str) -> str:
    years = db.sql("SELECT DISTINCT period FROM patientenkat WHERE measure = $m ORDER BY period", m=measure).period
    return text.listing([str(int(y)) for y in years]) if len(years) else "inga år"


def survey_key(measure: str, *parts) -> str:
    """The key of a Nationell Patientenkät number in the text: 'patientenkat/<measure>/<what>/…/<year>'."""
    return numbers.key("patientenkat", measure, *parts)


def shown_value(x: float, decimals: int = 1) -> float:
    """x as the reader sees it (rounded half away from zero), for comparisons at the shown precision."""
    return float(rounded(x, decimals))


def patient_survey_by_landsting(db: Store, measure: str, year: int) -> Section:
    """Share of positive answers per landsting for one year, riket as a reference line."""
    label = MEASURES.get(measure, measure)
    frame = patient_frame(db, measure, year, "T")
    per = frame[frame.region_code != RIKET].sort_values("value", ascending=False).reset_index(drop=True)
    if per.empty:
        return missing(f"Nationell Patientenkät ({label}) per landsting finns för {years_text(db, measure)}, "
                       f"inte för {year}.")
    riket = frame[frame.region_code == RIKET]
    hi, lo = per.value.max(), per.value.min()
    total = len([c for c in vocab("region").labels if c != RIKET])
    low_at = numbers.register(survey_key(measure, "lagst", "landsting", year), None, places_at(per, lo))
    high_at = numbers.register(survey_key(measure, "hogst", "landsting", year), None, places_at(per, hi))
    spread = round(hi, 1) - round(lo, 1)
    lines = [f"År {year} varierade andelen positiva svar om {label} i primärvården från "
             f"{numbers.percent(survey_key(measure, 'lagst', year), lo)} {low_at} till "
             f"{numbers.percent(survey_key(measure, 'hogst', year), hi)} {high_at}, en skillnad på "
             f"{numbers.register(survey_key(measure, 'skillnad-hogst-lagst', year), spread, text.points(spread))}."]
    if not riket.empty:
        lines.append(riket_sentence(float(riket.value.iloc[0]), per.value,
                                    (survey_key(measure, "riket", "totalt", year), survey_key(measure, "over-riket", year),
                                     survey_key(measure, "antal-landsting", year)), "landsting"))
    if len(per) < total:
        lacking = sorted(set(vocab("region").labels) - set(per.region_code) - {RIKET})
        lines.append(f"För {year} finns värden för {len(per)} av {total} landsting; "
                     f"{text.listing([vocab('region').label(c) for c in lacking])} saknas.")
    plotted = per[["landsting", "value"]].rename(columns={"value": "procent"})
    dots = alt.Chart(plotted).mark_point(filled=True, size=90, color=charts.PALETTE[0]).encode(
        x=alt.X("procent:Q", title="Andel positiva svar, %", scale=alt.Scale(zero=False), axis=alt.Axis(format=",d")),
        y=alt.Y("landsting:N", sort=plotted.landsting.tolist(), title=None),
        tooltip=[alt.Tooltip("landsting:N", title="Landsting"), alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    )
    layers = [dots]
    if not riket.empty:
        layers.append(alt.Chart(pd.DataFrame({"riket": [float(riket.value.iloc[0])]})).mark_rule(
            color=charts.HIGHLIGHT, strokeDash=[4, 3], strokeWidth=2).encode(x="riket:Q"))
    title = f"{label[:1].upper()}{label[1:]} per landsting {year}"
    finding = lines[0]
    fig = charts.figure(alt.layer(*layers).properties(height=alt.Step(18)), name=f"patientenkat-{measure}-{year}",
                        title=title, finding=finding + (" Streckad linje: riket." if len(riket) else ""),
                        data=plotted, provenance=frame, headers={"landsting": "Landsting", "procent": "Procent"},
                        alt=charts.alt_text("Punktdiagram", title, finding, plotted, "procent", "landsting", "procent"))
    note = ("Måttet är en sammanvägning av flera enkätfrågor i primärvårdens patientenkät (Öppna jämförelser). "
            "Axeln börjar inte på noll.")
    return Section(" ".join(lines) + "\n\n" + note, [fig])


def patient_survey_by_sex(db: Store, measure: str, year: int) -> Section:
    """Women and men per landsting for one year: who answers more positively, and where the gap is largest."""
    label = MEASURES.get(measure, measure)
    frame = patient_frame(db, measure, year)
    wide = frame[frame.sex.isin(["K", "M"])].pivot_table(index=["region_code", "landsting"], columns="sex",
                                                         values="value").dropna()
    if wide.empty or not {"K", "M"} <= set(wide.columns):
        return missing(f"Nationell Patientenkät ({label}) per kön finns för {years_text(db, measure)}, inte för {year}.")
    wide = wide.reset_index()
    wide["diff"] = wide.M - wide.K
    per = wide[wide.region_code != RIKET]
    lines = []
    riket = wide[wide.region_code == RIKET]
    if len(riket):
        r = riket.iloc[0]
        who = "männen" if r.M > r.K else "kvinnorna"
        gap = numbers.register(survey_key(measure, "riket", "skillnad-kon", year), abs(float(r["diff"])),
                               text.points(r["diff"]))
        lines.append(f"I riket var andelen positiva svar om {label} "
                     f"{numbers.percent(survey_key(measure, 'riket', 'kvinnor', year), r.K)} bland kvinnor och "
                     f"{numbers.percent(survey_key(measure, 'riket', 'man', year), r.M)} bland män år {year}: andelen var "
                     f"{gap} högre bland {who}.")
    if len(per):
        men = int((per["diff"] > 0).sum())
        big = per.loc[per["diff"].abs().idxmax()]
        where = numbers.register(survey_key(measure, "man-hogre", "landsting", year), men,
                                 f"samtliga {len(per)}" if men == len(per) else f"{men} av {len(per)}")
        place = numbers.register(survey_key(measure, "storst-skillnad-kon", "landsting", year), None,
                                 text.escape(big.landsting))
        lines.append(f"Män svarade mer positivt än kvinnor i {where} landsting. Störst var skillnaden "
                     f"{text.place(place)} "
                     f"({numbers.register(survey_key(measure, 'storst-skillnad-kon', year), abs(float(big['diff'])), text.points(big['diff']))}).")
    long = frame[frame.sex.isin(["K", "M"])].copy()
    long["kön"] = long.sex.map(text.sex_label)
    plotted = long[["landsting", "kön", "value"]].rename(columns={"value": "procent"}).reset_index(drop=True)
    order = (wide.sort_values("K", ascending=False).landsting.tolist())
    base = alt.Chart(plotted).encode(y=alt.Y("landsting:N", sort=order, title=None))
    chart = alt.layer(
        base.mark_line(color="#BBBBBB", strokeWidth=3).encode(x="procent:Q", detail="landsting:N"),
        base.mark_point(filled=True, size=90).encode(
            x=alt.X("procent:Q", title="Andel positiva svar, %", scale=alt.Scale(zero=False), axis=alt.Axis(format=",d")),
            color=alt.Color("kön:N", title=None, scale=alt.Scale(domain=text.sex_order()[:2],
                                                                range=[charts.PALETTE[3], charts.PALETTE[0]])),
            shape=alt.Shape("kön:N", title=None, scale=alt.Scale(domain=text.sex_order()[:2], range=["circle", "square"])),
            tooltip=["landsting:N", "kön:N", alt.Tooltip("procent:Q", format=",.1f")]),
    ).properties(height=alt.Step(20))
    title = f"{label[:1].upper()}{label[1:]}, kvinnor och män {year}"
    finding = lines[0] if lines else ""
    fig = charts.figure(chart, name=f"patientenkat-{measure}-kon-{year}", title=title, finding=finding, data=plotted,
                        provenance=frame, headers={"landsting": "Landsting", "kön": "Kön", "procent": "Procent"},
                        alt=charts.alt_text("Punktdiagram", title, finding, plotted, "procent", ["landsting", "kön"], "procent"))
    return Section(" ".join(lines), [fig])


def survey_coverage(frame: pd.DataFrame) -> tuple[int, dict[int, list[str]]]:
    """(number of landsting, {year: landsting measured} for each year when only some landsting took part): in-between
    years of Nationell Patientenkät when riket rests on the landsting that measured that year."""
    total = len([c for c in vocab("region").labels if c != RIKET])
    per = frame[(frame.region_code != RIKET) & (frame.sex == "T")]
    partial = {}
    for year, g in per.groupby("period"):
        if g.region_code.nunique() < total:
            partial[int(year)] = sorted(g.landsting.unique(), key=lambda n: g[g.landsting == n].region_code.iloc[0])
    return total, partial


def patient_survey_trend(db: Store, measure: str) -> Section:
    """Riket by sex over the years every landsting measured (a line), in-between years when only some landsting
    measured as unjoined hollow points, and how many landsting rose, fell or stayed the same (at the shown
    precision) between the first and last full year."""
    label = MEASURES.get(measure, measure)
    frame = patient_frame(db, measure)
    riket = frame[frame.region_code == RIKET].copy()
    total, partial = survey_coverage(frame)
    full_years = sorted(int(y) for y in riket.period.unique() if int(y) not in partial)
    if len(full_years) < 2:
        return missing(f"Nationell Patientenkät ({label}) finns inte för två år med alla landsting i riket, så "
                       f"utvecklingen kan inte visas.")
    first, last = full_years[0], full_years[-1]
    tot = riket[riket.sex == "T"].set_index("period").value
    lines = []
    if first in tot and last in tot:
        numbers.register(survey_key(measure, "utveckling", "riket", first), tot[first], text.number(tot[first]))
        numbers.register(survey_key(measure, "utveckling", "riket", last), tot[last], text.number(tot[last]))
        lines.append(f"Andelen positiva svar om {label} i riket {text.change_words(tot[first], tot[last])} mellan "
                     f"{first} och {last}.")
    per = frame[(frame.region_code != RIKET) & (frame.sex == "T")].pivot_table(index="landsting", columns="period",
                                                                              values="value")
    if first in per and last in per:
        both = per[[first, last]].dropna()
        rose, fell, same = trends.change_counts(both[first], both[last])
        parts = [f"ökade andelen i {numbers.register(survey_key(measure, 'landsting-okade', first, last), rose, str(rose))}",
                 f"minskade i {numbers.register(survey_key(measure, 'landsting-minskade', first, last), fell, str(fell))}"]
        if same:
            parts.append(f"var oförändrad i "
                         f"{numbers.register(survey_key(measure, 'landsting-oforandrade', first, last), same, str(same))} "
                         f"(samma värde med en decimal båda åren)")
        lines.append(f"Av de {len(both)} landsting som har värden båda åren {text.listing(parts)}.")
    for year in sorted(set(partial) & set(riket.period.astype(int))):
        names = partial[year]
        measured = numbers.register(survey_key(measure, "landsting-som-matte", year), len(names), str(len(names)))
        of = numbers.register(survey_key(measure, "landsting-totalt", year), total, str(total))
        lines.append(f"År {year} mätte bara {measured} av {of} landsting ({text.listing(names)}); rikets värde "
                     f"det året bygger bara på dem och jämförs inte med de andra åren. I diagrammet är {year} en "
                     f"ofylld punkt utan linje.")
    riket["kön"] = riket.sex.map(text.sex_label)
    riket["mätning"] = [f"{len(partial[int(y)])} av {total} landsting" if int(y) in partial else "alla landsting"
                        for y in riket.period]
    plotted = riket[["period", "kön", "mätning", "value"]].rename(
        columns={"period": "år", "value": "procent"}).reset_index(drop=True)
    plotted["år"] = plotted["år"].astype(int)
    full = plotted[plotted["mätning"] == "alla landsting"]
    line_data = charts.with_gaps(full, "år", "procent", "kön")
    line_data = line_data[~(line_data["år"].isin(partial) & line_data.procent.isna())]  # partial years: joined over
    years = sorted(plotted["år"].unique().tolist())
    x = alt.X("år:O", title="År", axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=years))
    y = alt.Y("procent:Q", title="Andel positiva svar, %", scale=alt.Scale(zero=False), axis=alt.Axis(format=",d"))
    colour = alt.Color("kön:N", title=None, sort=text.sex_order())
    tip = ["kön:N", alt.Tooltip("år:O", title="År"), alt.Tooltip("procent:Q", format=",.1f"),
           alt.Tooltip("mätning:N", title="Mätning")]
    layers = [alt.Chart(line_data).mark_line(point=True, invalid=charts.BREAK_AT_GAPS).encode(
        x=x, y=y, color=colour, tooltip=tip)]
    if (plotted["mätning"] != "alla landsting").any():
        layers.append(alt.Chart(plotted[plotted["mätning"] != "alla landsting"]).mark_point(
            filled=False, size=70, strokeWidth=2).encode(x=x, y=y, color=colour, tooltip=tip))
    title = f"{label[:1].upper()}{label[1:]} i riket {years[0]}–{years[-1]}"
    finding = (lines[0] if lines else "") + (
        f" Ofyllda punkter: {text.listing([str(y) for y in sorted(partial)])}, då bara en del av landstingen mätte."
        if partial else "")
    fig = charts.figure(alt.layer(*layers).properties(height=280), name=f"patientenkat-{measure}-riket", title=title,
                        finding=finding.strip(), data=plotted, provenance=riket,
                        headers={"år": "År", "kön": "Kön", "mätning": "Mätning", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, finding.strip(), plotted, "procent", ["kön", "år"],
                                            "procent"))
    return Section(" ".join(lines), [fig])


def involvement_by_landsting(db: Store, year: int) -> Section:
    return patient_survey_by_landsting(db, "delaktighet_involvering", year)


def involvement_by_sex(db: Store, year: int) -> Section:
    return patient_survey_by_sex(db, "delaktighet_involvering", year)


def involvement_trend(db: Store) -> Section:
    return patient_survey_trend(db, "delaktighet_involvering")
