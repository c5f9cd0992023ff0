"""The region pages' per-län maps: one period of a measure, the page's own län outlined and named (riket's page: none)."""
from __future__ import annotations

import pandas as pd

from tillit.report import maps, text
from tillit.report.chapters.region.shared import RIKET, label_of


def map_finding(at: pd.DataFrame, code: str, shown: str | None) -> str:
    """The map's subtitle, with no number of its own: on a län's page its value as the section's text writes it
    (`shown`, registered there under the same key), or that it has none; on riket's page where the measure is
    highest and lowest (all län sharing the value)."""
    per = at[at.region_code != RIKET].dropna(subset=["value"]).set_index("område")["value"]
    if code != RIKET:
        return f"{label_of(code)} (markerat): {shown if shown else 'uppgift saknas'}."
    if per.empty:
        return ""

    def at_value(v: float) -> str:
        return text.listing([n for n in per.index if per[n] == v])

    return f"Högst i {at_value(per.max())}, lägst i {at_value(per.min())}."


def region_map(at: pd.DataFrame, code: str, shown: str | None, *, name: str, title: str, unit: str,
               legend_title: str):
    """A choropleth of `at` (one row per län for one period: region_code, område, value and the provenance
    columns; a riket row is left out) for the page of `code`: its län outlined and named, a län without a value grey
    and named under the map (tillit.report.maps.lan_choropleth, as the helhetsintryck map)."""
    lan = at[at.region_code != RIKET]
    return maps.lan_choropleth(lan, "value", name=f"{name}-{code}", title=title, finding=map_finding(lan, code, shown),
                               unit=unit, legend_title=legend_title, highlight=code, depth=2, label_highlight=True)
