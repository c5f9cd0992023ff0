"""The trend chart the region pages share: this region against riket over the years, by sex."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, text
from tillit.tables.catalog import vocab
from tillit.report.chapters.region.impression import gaps_at
from tillit.report.chapters.region.shared import RIKET


def trend_chart(plotted: pd.DataFrame, code: str, y_title: str, zero: bool = True,
                 steps: list[int] | None = None) -> alt.Chart:
    """Lines over the years: colour = sex, solid = this region, dashed = riket. A year missing inside a series
    breaks its line (charts.with_gaps) – every year, or with `steps` only those years (a survey's national
    measurements: a voluntary year in between is no gap); the legends stand in one column each, so they fit a
    phone's width."""
    areas = [vocab("region").label(code)] + (["Riket"] if code != RIKET else [])
    drawn = (charts.with_gaps(plotted, "år", "procent", ["område", "kön"]) if steps is None
             else gaps_at(plotted, steps, ["område", "kön"]))
    return alt.Chart(drawn).mark_line(point=True, invalid=charts.BREAK_AT_GAPS).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", values=sorted(int(y) for y in set(plotted["år"])))),
        y=alt.Y("procent:Q", title=y_title, axis=alt.Axis(format=",.1f"), scale=alt.Scale(zero=zero)),
        color=alt.Color("kön:N", title="Kön", sort=text.sex_order(), legend=alt.Legend(columns=1)),
        strokeDash=alt.StrokeDash("område:N", title="Område", sort=areas,
                                  legend=alt.Legend(symbolType="stroke", symbolSize=500, symbolStrokeWidth=2.5,
                                                    columns=1),
                                  scale=alt.Scale(domain=areas, range=[[1, 0], [6, 4]][:len(areas)])),
        tooltip=[alt.Tooltip("område:N", title="Område"), alt.Tooltip("kön:N", title="Kön"),
                 alt.Tooltip("år:Q", title="År", format="d"), alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=320)
