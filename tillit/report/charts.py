"""Charts for the book: one Altair theme and `figure()`, which renders chart + source line + table + CSV + alt text offline."""
from __future__ import annotations

import functools
import html
import json
import re
import urllib.parse

import altair as alt
import pandas as pd

from tillit.core import links
from tillit.report import citations, numbers, text

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
HIGHLIGHT = "#D55E00"
NEUTRAL = "#7A7A7A"



def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 320},
            "range": {"category": PALETTE},
            "title": {"anchor": "start", "fontSize": 16, "fontWeight": 600, "subtitleFontSize": 13,
                      "subtitleColor": "#333333", "offset": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": 500, "labelColor": "#333333",
                     "titleColor": "#333333", "gridColor": "#E6E6E6"},
            "legend": {"orient": "bottom", "labelFontSize": 12, "titleFontSize": 12, "labelLimit": 400, "columns": 3,
                       "symbolType": "circle"},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 50, "filled": True},
            "bar": {"color": PALETTE[0]},
        }
    }


alt.theme.register("tillit", enable=True)(theme)


def slug(text_: str) -> str:
    s = text_.casefold()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def source_line(provenance: pd.DataFrame) -> str:
    """'Källa: …' in HTML from the provenance columns of the plotted rows. Secondary sources are named for what they
    are (tillit.report.citations): 'Källa via Kolada: …' for a statistics database, 'Källa via en kopia hos annan
    part: …' for a mirrored file, 'Sekundärkälla (press som återger uppgiften): …' for press and 'Sekundärkälla
    (annan part som återger uppgiften): …' for others; titles carry no English remarks."""
    cols = ["source_publisher", "source_title", "source_url", "source_type"]
    seen = provenance[cols].fillna("").drop_duplicates()
    groups: dict[str, list[str]] = {}
    for pub, title, url, kind in seen.itertuples(index=False):
        title = citations.swedish_title(title)
        source_kind = citations.source_kind(pub, url, kind, title)
        # the publisher goes before a title that does not name it, unless the label names it ('Källa via Kolada')
        named = (bool(pub) and title.casefold().startswith(pub.split()[0].split("/")[0].casefold())
                 or source_kind == citations.DATABASE)
        label = html.escape(title if named or not pub else f"{pub}: {title}")
        item = links.html_link(label, url)  # only http(s) addresses become links
        groups.setdefault(citations.kind_label(source_kind, pub, title), []).append(item)
    order = [citations.kind_label(citations.PRIMARY)]
    order += sorted(k for k in groups if k.startswith("Källa via") and k not in order)
    order += [citations.kind_label(citations.PRESS), citations.kind_label(citations.OTHER)]
    return " ".join(f"{label}: {'; '.join(groups[label])}." for label in order if label in groups)


def alt_text(kind: str, title: str, finding: str, frame: pd.DataFrame, value: str, label: str | list[str],
             unit: str = "", decimals: int = 1) -> str:
    """Alt text generated from the plotted data: chart type, subject, finding, highest and lowest value."""
    labels = [label] if isinstance(label, str) else list(label)
    rows = frame.dropna(subset=[value])
    desc = f"{kind}: {title}. {finding}"
    if len(rows) > 1:
        hi, lo = rows.loc[rows[value].idxmax()], rows.loc[rows[value].idxmin()]
        name = lambda r: ", ".join(str(r[c]) for c in labels)  # noqa: E731
        suffix = f"\u00a0{unit}" if unit else ""
        desc += (f" Högst: {name(hi)} {text.number(hi[value], decimals)}{suffix}."
                 f" Lägst: {name(lo)} {text.number(lo[value], decimals)}{suffix}.")
    return desc.strip()


def _table_html(frame: pd.DataFrame, headers: dict[str, str], decimals: int) -> str:
    """The plotted numbers as an HTML table. Cells and rows are separated by line breaks, which the browser ignores
    but the search index needs: it strips the tags and would otherwise read neighbouring cells as one word."""
    head = "\n".join(f'<th scope="col">{html.escape(headers.get(c, c))}</th>' for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for value in row:
            if isinstance(value, float):
                cells.append(f'<td class="num">{text.number(value, decimals)}</td>')
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(f'<td class="num">{value}</td>')
            else:
                cells.append(f"<td>{html.escape('' if pd.isna(value) else str(value))}</td>")
        body.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
    return (f'<table class="tillit-table">\n<thead><tr>\n{head}\n</tr></thead>\n<tbody>\n' + "\n".join(body)
            + "\n</tbody>\n</table>")


def _csv_href(frame: pd.DataFrame) -> str:
    return "data:text/csv;charset=utf-8," + urllib.parse.quote(frame.to_csv(index=False, lineterminator="\n"))


@functools.cache
def _vegalite_version() -> str:
    """The Vega-Lite version Altair writes ("6.4" for schema v6.4.1), as vl-convert names its compilers."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def compile_to_vega(spec: dict) -> dict:
    """The Vega spec a Vega-Lite spec compiles to (vl-convert, the same compiler the browser bundle would run):
    compiled here, the page needs only the Vega runtime, not the Vega-Lite compiler."""
    import vl_convert

    return vl_convert.vegalite_to_vega(spec, vl_version=_vegalite_version())


def drawn_height(vega_spec: dict) -> int:
    """Height in pixels of the chart as drawn at the default width (title, legend and axes included), so the page
    can reserve the space before the chart is drawn."""
    import vl_convert

    svg = vl_convert.vega_to_svg(vega_spec)
    match = re.search(r'<svg[^>]*\sheight="([\d.]+)"', svg)
    return round(float(match.group(1))) if match else 0


class Figure:
    """A rendered chart: `_repr_html_` gives the offline HTML (drawn by _static/tillit-charts.js, no CDN)."""

    def __init__(self, html_: str, spec: dict, data: pd.DataFrame, alt: str, name: str):
        self.html, self.spec, self.data, self.alt, self.name = html_, spec, data, alt, name

    def _repr_html_(self) -> str:
        return self.html


def figure(chart: alt.TopLevelMixin, *, name: str, title: str, finding: str, data: pd.DataFrame,
           provenance: pd.DataFrame, alt: str, headers: dict[str, str] | None = None, decimals: int = 1) -> Figure:
    """Chart with title and a subtitle stating the finding; under it the source line, the plotted numbers as a
    collapsible table and a CSV download of exactly `data` (the frame the chart plots).

    The markup works before any script runs: the chart's text alternative (role="img" + aria-label), caption,
    table and CSV are plain HTML; the compiled Vega spec waits in a JSON block (data, not code) until
    _static/tillit-charts.js draws the chart as it nears the viewport, into a placeholder that already has the
    chart's height (no layout shift). The <figure> holds the chart and its caption (the caption last, as HTML
    requires); the table follows the figure inside the same card."""
    name = slug(name)
    chart = chart.properties(title=alt_title(title, finding), width="container")
    spec = chart.to_dict(validate=True)
    spec.pop("$schema", None)  # an address on vega.github.io that nothing needs: no outside address in a page
    vega = compile_to_vega(spec)
    vega.pop("$schema", None)  # the compiled spec names vega.github.io again: no outside address in a page
    height = drawn_height(vega)
    spec_json = json.dumps(vega, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    headers = headers or {}
    fig = (
        f'<div class="tillit-chart" id="fig-{name}">\n'
        f'<figure class="tillit-figure">\n'
        f'<div class="tillit-vega" id="vis-{name}" role="img" aria-label="{html.escape(alt)}">'
        f'<svg class="tillit-placeholder" width="100%" height="{height}" aria-hidden="true"></svg></div>\n'
        f'<figcaption><span class="tillit-title">{html.escape(title)}.</span> {html.escape(finding)}'
        f'<br><span class="tillit-source">{source_line(provenance)}</span></figcaption>\n'
        f'</figure>\n'
        f'<script type="application/json" class="tillit-spec" id="spec-{name}">{spec_json}</script>\n'
        f'<details class="tillit-data"><summary>Siffrorna i diagrammet</summary>\n'
        f"{_table_html(data, headers, decimals)}\n"
        f'<p><a download="{name}.csv" href="{_csv_href(data)}">Ladda ner siffrorna (CSV)</a></p>\n'
        f"</details>\n</div>"
    )
    register_rows(name, data, decimals)
    return Figure(fig, spec, data, alt, name)


def register_rows(name: str, data: pd.DataFrame, decimals: int = 1) -> None:
    """Key every plotted number: `<figure name>/<the row's dimensions>[/<value column>]`, shown as in the table.
    Float columns are values; every other column is a dimension."""
    values = [c for c in data.columns if pd.api.types.is_float_dtype(data[c])]
    dims = [c for c in data.columns if c not in values]
    for row in data.to_dict("records"):
        base = [name, *(row[c] for c in dims)]
        for col in values:
            parts = base + ([col] if len(values) > 1 else [])
            numbers.register(numbers.key(*parts), row[col], text.number(row[col], decimals), kind="chart",
                             anchor=f"fig-{name}")


# Lines break where a year is missing instead of being drawn straight across it (Vega-Lite's `invalid` mark property):
# use `mark_line(invalid=BREAK_AT_GAPS)` on data passed through `with_gaps()`.
BREAK_AT_GAPS = "break-paths-filter-domains"


def with_gaps(frame: pd.DataFrame, x: str, y: str | list[str], series: str | list[str] | None = None) -> pd.DataFrame:
    """The rows to draw as lines: `frame` plus one row with an empty `y` for every whole-number `x` (a year) that a
    series skips between its first and last year, so that the line breaks there. The figure's table and CSV keep
    `frame` itself: no invented row is ever shown as data."""
    ys = [y] if isinstance(y, str) else list(y)
    keys = [] if series is None else ([series] if isinstance(series, str) else list(series))
    groups = frame.groupby(keys, sort=False, dropna=False) if keys else [((), frame)]
    filler = []
    for key, part in groups:
        xs = pd.to_numeric(part[x], errors="coerce").dropna().astype(int)
        if xs.empty:
            continue
        missing = sorted(set(range(xs.min(), xs.max() + 1)) - set(xs))
        if not missing:
            continue
        key = key if isinstance(key, tuple) else (key,)
        rows = pd.DataFrame({x: pd.Series(missing, dtype=frame[x].dtype if frame[x].dtype.kind in "iuf" else "int64")})
        for k, v in zip(keys, key):
            rows[k] = v
        for col in ys:
            rows[col] = float("nan")
        filler.append(rows)
    if not filler:
        return frame
    out = pd.concat([frame, *filler], ignore_index=True)
    return out.sort_values([*keys, x], kind="stable").reset_index(drop=True)


# A chart title longer than this is drawn on several lines (Vega does not wrap titles; a long one is cut at the edge).
TITLE_WIDTH = 65


def alt_title(title: str, finding: str) -> alt.Title:
    """The chart's title and its finding as subtitle; a long title is wrapped, and a title that already holds line
    breaks (short lines chosen for a phone) keeps them."""
    text_ = title if "\n" in title or len(title) <= TITLE_WIDTH else _wrap(title, TITLE_WIDTH)
    return alt.Title(text=text_, subtitle=_wrap(finding, 90))


def _wrap(s: str, width: int) -> list[str]:
    words, lines, line = s.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return lines + ([line] if line else [])
