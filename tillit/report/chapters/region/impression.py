"""Helhetsintryck of primary care (Nationell Patientenkät): the region's trend and the map of all län."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, text
from tillit.report.chapters import Section, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.region.shared import PROV, RIKET, alt_title, chart_title, check_code, extremes, in_place, keyed_count, keyed_diff, keyed_pct, keyed_rank, keyed_trend, name, page_key, place_key, region_figure, short_finding, verb_first, where_words, with_names


# Survey shares move by a point or so from one measurement to the next; within these margins (procentenheter) a series
# is 'kvar på omkring …' and a turn is not a turning point.
IMPRESSION_FLAT, IMPRESSION_TURN = 2.0, 1.5


def _impression_trend(key_parts: tuple, values: pd.Series) -> str:
    return keyed_trend(key_parts, values, flat=IMPRESSION_FLAT, threshold=IMPRESSION_TURN)


def impression_frame(db: Store) -> pd.DataFrame:
    """Helhetsintryck per region and measurement; empty when the store has no such table (an older data set)."""
    if not db.has_table("patientenkat_helhetsintryck"):
        return with_names(pd.DataFrame(columns=["period", "region_code", "measurement", "value", "source_publisher",
                                                 "source_title", "source_url", "source_type"]))
    frame = db.sql(f"""SELECT period, region_code, measurement, value, {PROV} FROM patientenkat_helhetsintryck
                       ORDER BY region_code, period""")
    frame["period"] = frame.period.astype(int)
    return with_names(frame)


def gaps_at(plotted: pd.DataFrame, steps: list[int], series) -> pd.DataFrame:
    """The rows to draw: `plotted` plus an empty row where a series skips one of `steps` (the national
    measurements), so its line breaks there and never joins two measurements across a missing one; years that are
    not steps (a voluntary in-between measurement) are drawn where a series has them but are no gaps
    (charts.with_gaps on the order of the steps)."""
    order = {y: i for i, y in enumerate(steps)}
    indexed = plotted.assign(steg=plotted["år"].map(order))
    drawn = charts.with_gaps(indexed, "steg", "procent", series)
    drawn["år"] = drawn["år"].where(drawn["år"].notna(), drawn["steg"].map(dict(enumerate(steps))))
    drawn["år"] = drawn["år"].astype(int)
    return drawn.drop(columns="steg").sort_values([*([series] if isinstance(series, str) else series), "år"],
                                                   kind="stable").reset_index(drop=True)


def overall_impression(db: Store, code: str) -> Section:
    """Share of primary-care patients with a positive overall impression, over the national measurements (odd
    years), this region against riket; a later voluntary regional measurement is named, not compared."""
    check_code(code)
    frame = impression_frame(db)
    national = frame[frame.measurement == "nationell"]
    own = national[national.region_code == code].set_index("period")["value"]
    if own.empty:
        return missing(f"Helhetsintrycket i Nationell Patientenkät finns inte för {text.escape(name(code))} i bokens "
                       f"data.")
    riket = national[national.region_code == RIKET].set_index("period")["value"]
    last = int(own.index.max())
    where = text.escape(in_place(code))
    pk = place_key(code)
    per = national[(national.period == last) & (national.region_code != RIKET)].set_index("område")["value"]
    lines = []
    if code == RIKET:
        lines.append(f"I den nationella mätningen {last} hade "
                     f"{keyed_pct(page_key('helhetsintryck', pk, last), own[last])} av de svarande i primärvården ett "
                     f"positivt helhetsintryck av sin vård.")
        if len(per):
            lines.append(f"Mellan regionerna varierade andelen {extremes(per, key=page_key('helhetsintryck', 'lan', last))}.")
    else:
        compare = (f", {keyed_diff(page_key('helhetsintryck', pk, 'mot-riket', last), own[last], riket[last])} i riket "
                   f"({keyed_pct(page_key('helhetsintryck', 'riket', last), riket[last])})" if last in riket.index else "")
        notable = keyed_rank(page_key("helhetsintryck", pk, "placering", last), per, vocab("region").label(code))
        rank = ""
        if notable:
            rank = (f", {notable} andelen av de "
                    f"{keyed_count(page_key('helhetsintryck', 'antal-lan', last), len(per))} regionerna")
        lines.append(f"I den nationella mätningen {last} hade {keyed_pct(page_key('helhetsintryck', pk, last), own[last])} av "
                     f"de svarande i primärvården {where} ett positivt helhetsintryck av sin vård{compare}{rank}.")
    if len(own) > 1:
        lines.append(f"Över de nationella mätningarna {verb_first(_impression_trend(('helhetsintryck', pk), own), 'andelen')}.")
    later = frame[(frame.region_code == code) & (frame.measurement == "regional") & (frame.period > last)]
    if len(later):
        r = later.iloc[-1]
        lines.append(f"I den frivilliga regionala mätningen {int(r.period)} var andelen "
                     f"{keyed_pct(page_key('helhetsintryck', pk, 'regional', int(r.period)), r.value)}; den mätningen görs "
                     f"inte i alla regioner och jämförs därför inte med de nationella.")
    secondary = national[(national.region_code.isin([code, RIKET])) & (national.source_type == "secondary")]
    for pub, g in secondary.groupby("source_publisher"):
        years = sorted({int(y) for y in g.period})
        lines.append(f"Värdena för {text.listing([str(y) for y in years])} kommer från {text.escape(pub)}, som återger "
                     f"mätningen (sekundärkälla).")
    shown = national[national.region_code.isin([code, RIKET])]
    plotted = (shown[["område", "period", "value"]].rename(columns={"period": "år", "value": "procent"})
               .reset_index(drop=True))
    measured = sorted(int(y) for y in set(national.period))
    gapped = [y for y in measured if plotted["år"].min() < y < last and y not in set(own.index)]
    if gapped:
        lines.append(f"För {text.escape(name(code))} saknas den nationella mätningen "
                     f"{text.listing([str(y) for y in gapped])}; där är linjen i diagrammet avbruten.")
    drawn = gaps_at(plotted, measured, "område")
    areas = [vocab("region").label(code)] + (["Riket"] if code != RIKET else [])
    chart = alt.Chart(drawn).mark_line(point=True, invalid=charts.BREAK_AT_GAPS).encode(
        x=alt.X("år:Q", title="År (nationell mätning)", axis=alt.Axis(format="d", values=sorted(set(plotted["år"])))),
        y=alt.Y("procent:Q", title="Positivt helhetsintryck, %", scale=alt.Scale(zero=False),
                axis=alt.Axis(format=",.0f", tickMinStep=1)),
        strokeDash=alt.StrokeDash("område:N", title="Område", sort=areas,
                                  legend=alt.Legend(symbolType="stroke", symbolSize=500, symbolStrokeWidth=2.5,
                                                    columns=1),
                                  scale=alt.Scale(domain=areas, range=[[1, 0], [6, 4]][:len(areas)])),
        tooltip=[alt.Tooltip("område:N", title="Område"), alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=280)
    title = chart_title("Helhetsintryck av primärvården,", f"{where_words(code)} {int(plotted['år'].min())}–{last}")
    finding = short_finding(code, last, own[last], riket.get(last) if code != RIKET else None)
    fig = region_figure(chart, name=f"helhetsintryck-{code}", title=title, finding=finding, data=plotted,
                  provenance=shown, headers={"område": "Område", "år": "År", "procent": "Procent"},
                  alt=charts.alt_text("Linjediagram", alt_title(title), finding, plotted, "procent", ["område", "år"],
                                      "procent"))
    return Section(" ".join(lines), [fig])


def impression_key_sentence(db: Store, code: str) -> str | None:
    """The newest patient-survey figure for the key points: the latest national helhetsintryck, notable or not."""
    frame = impression_frame(db)
    national = frame[frame.measurement == "nationell"]
    own = national[national.region_code == code].set_index("period")["value"]
    if own.empty:
        return None
    last = int(own.index.max())
    riket = national[national.region_code == RIKET].set_index("period")["value"]
    where = text.escape(in_place(code))
    pk = place_key(code)
    if code == RIKET:
        return (f"I den senaste nationella patientmätningen ({last}) hade "
                f"{keyed_pct(page_key('helhetsintryck', pk, last), own[last])} av de svarande i primärvården ett positivt "
                f"helhetsintryck; andelen {_impression_trend(('helhetsintryck', pk), own)}.")
    per = national[(national.period == last) & (national.region_code != RIKET)].set_index("område")["value"]
    notable = keyed_rank(page_key("helhetsintryck", pk, "placering", last), per, vocab("region").label(code))
    compare = (f", {keyed_diff(page_key('helhetsintryck', pk, 'mot-riket', last), own[last], riket[last])} i riket"
               if last in riket.index else "")
    return (f"I den senaste nationella patientmätningen ({last}) hade {keyed_pct(page_key('helhetsintryck', pk, last), own[last])}"
            f" av de svarande {where} ett positivt helhetsintryck av primärvården{compare}"
            + (f", {notable} andelen bland regionerna." if notable else "."))


def impression_map(db: Store, code: str):
    """The helhetsintryck map of the latest national measurement with this län outlined and named (tillit.report.maps),
    its sources in Swedish."""
    from tillit.report import maps

    return maps.helhetsintryck_map(db, code, depth=2)
