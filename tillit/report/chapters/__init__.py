"""Chapter logic: the queries, charts and Swedish sentences behind each notebook, kept here so notebooks stay thin."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from IPython.display import HTML, Markdown, display

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


def riket_sentence(riket_value: float, values) -> str:
    """'Riket låg på 6,0 procent; 6 av 21 landsting låg över riket.' from the per-landsting values."""
    from tillit.report import text

    above = int((values > riket_value).sum())
    return f"Riket låg på {text.percent(riket_value)}; {above} av {len(values)} landsting låg över riket."


def missing(text: str) -> Section:
    """A plain statement that data is missing, shown as a note."""
    return Section(f":::{{admonition}} Data saknas\n:class: note\n{text}\n:::")


def key_points(sentences: list[str]) -> Section:
    """'Det viktigaste': two to four computed sentences at the top of a page that a busy reader can stop after."""
    body = " ".join(s.strip() for s in sentences if s and s.strip())
    return Section(f":::{{admonition}} Det viktigaste\n:class: tip\n{body}\n:::")
