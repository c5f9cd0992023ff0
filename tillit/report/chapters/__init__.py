"""Chapter logic: the queries, charts and Swedish sentences behind each notebook, kept here so notebooks stay thin."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from IPython.display import HTML, Markdown, display

import pandas as pd

from tillit.core.swedish import rounded
from tillit.tables import store as store_mod
from tillit.report import numbers
from tillit.report.charts import Figure


_passages = itertools.count(1)   # the passages of one notebook, numbered in the order they are shown


@dataclass
class Section:
    """What one notebook cell shows: Swedish text computed from the data, then zero or more figures."""

    markdown: str
    figures: list[Figure] = field(default_factory=list)

    def _ipython_display_(self):
        if self.markdown:
            markdown = self.markdown
            anchor = f"tal-{next(_passages)}"
            if numbers.anchor_pending(anchor):   # the prose numbers of this passage link here from "Vad har ändrats?"
                markdown = f'<div id="{anchor}" class="tillit-anchor"></div>\n\n{markdown}'
            display(Markdown(markdown))
        for fig in self.figures:
            display(HTML(fig.html))


def open_store(path: str = "") -> store_mod.Store:
    """The store a notebook reads: its `store` parameter, else $TILLIT_STORE, else data/tillit.duckdb."""
    return store_mod.connect(path or None)


def riket_sentence(riket_value: float, values: pd.Series, keys: tuple[str, str, str], unit: str,
                   decimals: int = 1) -> str:
    """'Riket låg på 6,0 procent; 6 av 21 landsting låg över riket.': riket's value and how many of `values` lie above
    it as the reader sees them (compared at the shown precision, so a value shown equal to riket is not above it).
    `keys` are the keys of riket's value, of the count above and of the number of values."""
    def shown(x: float) -> float:
        return float(rounded(x, decimals))

    above = int((values.map(shown) > shown(riket_value)).sum())
    riket_key, above_key, count_key = keys
    return (f"Riket låg på {numbers.percent(riket_key, riket_value, decimals)}; "
            f"{numbers.register(above_key, above, str(above))} av "
            f"{numbers.register(count_key, len(values), str(len(values)))} {unit} låg över riket.")


def missing(text: str) -> Section:
    """A plain statement that data is missing, shown as a note."""
    return Section(f":::{{admonition}} Data saknas\n:class: note\n{text}\n:::")


def key_points(sentences: list[str]) -> Section:
    """'Det viktigaste': two to four computed sentences at the top of a page that a busy reader can stop after."""
    body = " ".join(s.strip() for s in sentences if s and s.strip())
    return Section(f":::{{admonition}} Det viktigaste\n:class: tip\n{body}\n:::")
