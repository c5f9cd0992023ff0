"""Figur 3.4 on WHO data: doctors and nurses per 10 000 inhabitants, Sweden against the other IHP countries."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, numbers, text
from tillit.report.chapters import Section, medborgarfokus as mf, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.helhet.shared import PER_10000, PROV, WHO_MEASURES, who_provenance


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


def who_key(c: dict, *parts) -> str:
    return numbers.key("who", c["measure"], *parts, c["year"])


def versus_others(c: dict, again: bool = False) -> str:
    """'ungefär en fjärdedel fler än genomsnittet för de övriga tio länderna (35,4)' (keyed)."""
    words = numbers.register(who_key(c, "sverige-mot-ovriga"), c["sweden"] / c["mean"],
                             text.ratio_words(c["sweden"], c["mean"], "många"))
    mean = numbers.number(who_key(c, "ovriga-medel"), c["mean"])
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
         f"{numbers.number(who_key(doctors, 'sverige'), doctors['sweden'])} läkare {PER_10000}, "
         f"{versus_others(doctors)}")
    if not nurses:
        return d + "."
    link = "men" if (doctors["sweden"] > doctors["mean"]) != (nurses["sweden"] > nurses["mean"]) else "och"
    again = same_year and nurses["n_others"] == doctors["n_others"]
    n = (f"{link} {numbers.number(who_key(nurses, 'sverige'), nurses['sweden'])} sjuksköterskor och barnmorskor "
         f"{PER_10000}{'' if same_year else ' ' + str(nurses['year'])}, {versus_others(nurses, again)}")
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
        rank = numbers.register(who_key(c, "sverige", "placering"), int((c["values"] > c["sweden"]).sum()) + 1,
                                mf.rank_phrase(c["values"], "Sverige"))
        value = numbers.number(who_key(c, "sverige"), c["sweden"])
        if c is doctors:
            lines.append(f"Enligt WHO hade Sverige {value} {name} {PER_10000} {c['year']}, {rank} IHP-länderna och "
                         f"{versus_others(c)}.")
        else:
            same = c["year"] == doctors["year"] and c["n_others"] == doctors["n_others"]
            when = "Samma år" if c["year"] == doctors["year"] else f"År {c['year']}"
            lines.append(f"{when} hade Sverige {value} {name} {PER_10000}, {rank} och {versus_others(c, same)}.")
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
