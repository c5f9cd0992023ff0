"""Arbetsförmedlingen's bristindex: which welfare occupations lack applicants, on the 1–5 scale."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, text
from tillit.report.chapters import Section, missing
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.occupations import wrapped_labels
from tillit.report.chapters.kompetens.shared import PROV, keyed_count, keyed_num, keyed_reg


SHORTAGE = 3.5      # the book's own threshold for 'brist på sökande' on Arbetsförmedlingen's scale 1–5


BIG_SHORTAGE = 4.5  # the book's own threshold for 'stor brist'


def shortage_year(years: list[int], period: int | None = None) -> int:
    """The assessment shown: `period` if given, else the first forecast year from 2024, else the latest."""
    if period:
        return int(period)
    later = [y for y in years if y >= 2024]
    return int(min(later) if later else years[-1])


def shortage_groups(db: Store, year: int) -> pd.DataFrame:
    """One row per assessment group (several SSYK codes can share one assessment): occupation, value, ssyk."""
    frame = db.sql(f"""
        SELECT ssyk, occupation, value, {PROV} FROM bristindex
        WHERE period = $y AND ssyk IS NOT NULL ORDER BY value DESC, occupation""", y=year)
    groups = frame.groupby(["occupation", "value"], as_index=False).agg(ssyk=("ssyk", lambda s: ", ".join(sorted(s))))
    return groups.sort_values(["value", "occupation"], ascending=[False, True]).reset_index(drop=True), frame


def listing_samt(items: list[str]) -> str:
    """text.listing, but with 'samt' before the last item when an item holds 'och' itself ('speciallärare och
    specialpedagoger'), so that the list's own 'och' is not read as part of a name."""
    items = list(items)
    if len(items) > 1 and any(" och " in i for i in items):
        return ", ".join(items[:-1]) + " samt " + items[-1]
    return text.listing(items)


def _whole(values) -> bool:
    return bool(len(values)) and bool(((pd.Series(values) % 1) == 0).all())


def shortage_condition(values, threshold: float, key: tuple) -> str:
    """How the threshold reads for these values: 'värde 4 eller 5' when Arbetsförmedlingen's values are whole steps,
    else 'index 3,5 eller högre' (keyed: the steps or the threshold)."""
    values = pd.Series(values, dtype=float)
    if _whole(values):
        steps = sorted({int(v) for v in values if v >= threshold})
        shown = text.listing([str(s) for s in steps]).replace(", ", " eller ").replace(" och ", " eller ")
        return "värde " + keyed_reg((*key, "steg"), min(steps) if steps else None, shown)
    return f"index {keyed_reg((*key, 'grans'), threshold, text.number(threshold, 1))} eller högre"


def shortage_index(db: Store, period: int | None = None) -> Section:
    years = db.sql("SELECT DISTINCT period FROM bristindex WHERE ssyk IS NOT NULL ORDER BY period").period.tolist()
    if not years:
        return missing("Arbetsförmedlingens bristindex saknas i data.")
    year = shortage_year([int(y) for y in years], period)
    groups, frame = shortage_groups(db, year)
    big = groups[groups.value >= BIG_SHORTAGE]
    short = groups[groups.value >= SHORTAGE]
    key = ("bristindex",)
    n_short = keyed_count((*key, "brist", year), len(short))
    n_all = keyed_count((*key, "yrken", year), len(groups))
    finding = (f"I Arbetsförmedlingens bedömning för {year} råder brist på sökande i {n_short} av de {n_all} "
               f"välfärdsyrken som boken följer"
               + (f", och i {keyed_count((*key, 'stor-brist', year), len(big))} av dem är bristen stor." if len(big) else "."))
    lines = [f"I Arbetsförmedlingens bedömning för {year} råder brist på sökande i {n_short} av de {n_all} "
             f"välfärdsyrken som boken följer ({shortage_condition(groups.value, SHORTAGE, (*key, 'brist', 'villkor', year))})"
             + (f", och i {keyed_count((*key, 'stor-brist', year), len(big))} av dem är bristen stor "
                f"({shortage_condition(groups.value, BIG_SHORTAGE, (*key, 'stor-brist', 'villkor', year))}): {listing_samt([g.lower() for g in big.occupation])}."
                if len(big) else ", men inget av dem har stor brist.")]
    low = groups[groups.value < 3]
    if len(low):
        lines.append(f"Lägst bristindex har {listing_samt([g.lower() for g in low.occupation])} "
                     f"({keyed_num((*key, 'lagsta', year), low.value.min(), 1)}).")
    plotted = groups.rename(columns={"occupation": "yrke", "value": "bristindex"})[["yrke", "ssyk", "bristindex"]]
    category = (f"datum.bristindex >= {BIG_SHORTAGE} ? 'Stor brist' : datum.bristindex >= {SHORTAGE} ? 'Brist' : "
                "'Balans eller överskott'")
    chart = alt.Chart(plotted).transform_calculate(bedömning=category).mark_bar(clip=True).encode(
        x=alt.X("bristindex:Q", title="Bristindex (1 = stort överskott, 3 = balans, 5 = stor brist)",
                scale=alt.Scale(domain=[1, 5]), axis=alt.Axis(values=[1, 2, 3, 4, 5], format=",d")),
        y=alt.Y("yrke:N", sort="-x", title=None,
                axis=alt.Axis(labelExpr=wrapped_labels(plotted.yrke), labelLimit=240, labelLineHeight=13)),
        color=alt.Color("bedömning:N", title=None,
                        scale=alt.Scale(domain=["Stor brist", "Brist", "Balans eller överskott"],
                                        range=[charts.HIGHLIGHT, charts.PALETTE[0], charts.NEUTRAL])),
        tooltip=[alt.Tooltip("yrke:N", title="Yrke"), alt.Tooltip("ssyk:N", title="SSYK 2012"),
                 alt.Tooltip("bristindex:Q", title="Bristindex", format=",.1f")],
    ).properties(height=alt.Step(30))
    rule = alt.Chart(pd.DataFrame({"balans": [3]})).mark_rule(color="#333", strokeDash=[3, 3]).encode(x="balans:Q")
    title = f"Bristindex per välfärdsyrke, bedömning för {year}"
    fig = charts.figure(alt.layer(chart, rule), name=f"bristindex-{year}", title=title, finding=finding,
                        data=plotted, provenance=frame,
                        headers={"yrke": "Yrke (bedömningsgrupp)", "ssyk": "SSYK 2012", "bristindex": "Bristindex"},
                        alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "bristindex", "yrke"))
    # the scale as the catalog describes it (bristindex.value: 1 = stort överskott, 5 = stor brist; 3 = balans)
    low_, mid_, high_ = (keyed_reg(("bristindex", "skala", name), v, str(v))
                         for name, v in (("stort-overskott", 1), ("balans", 3), ("stor-brist", 5)))
    scale = (f"Skalan: Arbetsförmedlingen graderar konkurrensen om jobben från {low_} (stort överskott på "
             f"arbetssökande) via {mid_} (balans) till {high_} (stor brist på sökande).")
    if _whole(groups.value):
        steps = sorted({int(v) for v in groups.value})
        shown = keyed_reg((*key, "steg", year), len(steps), text.listing([str(s) for s in steps]))
        scale += f" Bedömningen anges i hela steg för varje yrke (för {year} bara {shown}); det är inget medelvärde."
    scale += (f" Gränserna för brist ({keyed_num((*key, 'grans', 'brist'), SHORTAGE, 1)}) och stor brist "
              f"({keyed_num((*key, 'grans', 'stor-brist'), BIG_SHORTAGE, 1)}) är bokens egna, inte Arbetsförmedlingens. I "
              "diagrammet är stor brist orange, brist blå och balans eller överskott grå; den streckade linjen markerar "
              "balans.")
    return Section(" ".join(lines) + "\n\n" + scale, [fig])
