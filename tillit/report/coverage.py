"""The coverage page: for each figure and quantitative section of the report, what the book shows (with the years in
data), and what an analyst would import to close the gap (data/coverage.yaml)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from tillit.report import text
from tillit.tables.catalog import load_catalog
from tillit.report.freshness import period_end

if TYPE_CHECKING:
    from tillit.tables.store import Store

COVERAGE_FILE = "coverage.yaml"
KINDS = {"egen serie": "rapportens egen serie", "senare upplaga": "en senare upplaga av rapportens serie",
         "ersättning": "ett ersättningsmått", "inget": "inget"}


def load_items(root: Path) -> list[dict]:
    """data/coverage.yaml, checked against the catalog: known kinds and tables (ValueError naming the item)."""
    raw = yaml.safe_load((root / "data" / COVERAGE_FILE).read_text(encoding="utf-8")) or {}
    catalog = load_catalog(root / "data")
    items = raw.get("items") or []
    for item in items:
        if item.get("kind") not in KINDS:
            raise ValueError(f"data/{COVERAGE_FILE}: {item.get('id')}: kind must be one of {', '.join(KINDS)}")
        for spec in item.get("data") or []:
            if spec.get("table") not in catalog.tables:
                raise ValueError(f"data/{COVERAGE_FILE}: {item['id']}: no table {spec.get('table')!r} in the catalog")
    return items


def years_in(store: Store, table: str, where: str | None = None) -> tuple[list[int], int]:
    """The years the rows of `table` (matching `where`) cover, and how many values they hold."""
    query = f'SELECT CAST(period AS VARCHAR) AS p, count(value) AS n FROM "{table}"'
    if where:
        query += f" WHERE {where}"
    frame = store.sql(query + " GROUP BY 1")
    years = sorted({end.year for end in map(period_end, frame.p) if end is not None})
    return years, int(frame.n.sum())


def year_span(years: list[int]) -> str:
    """'2007–2017, 2019, 2021–2022': runs of consecutive years."""
    if not years:
        return ""
    runs, start, prev = [], years[0], years[0]
    for y in years[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(runs)


def coverage_markdown(root: Path, store: Store) -> str:
    """One section per figure or section of the report: what it showed, what the book shows with the years in data,
    and what would close the gap."""
    catalog = load_catalog(root / "data")
    out = []
    for item in load_items(root):
        have = []
        for spec in item.get("data") or []:
            years, n = years_in(store, spec["table"], spec.get("where"))
            title = catalog[spec["table"]].title
            have.append(f"[{text.escape(title)}](tabell-{spec['table']}) "
                        + (f"{year_span(years)} ({text.number(n, 0)} värden)" if n else "(inga värden)"))
        kind = KINDS[item["kind"]]
        out += [f"## {text.escape(item['id'])}: {text.escape(item['topic'])}", "",
                f"- **Betänkandet visade:** {text.escape(item['report'])}",
                f"- **Boken visar:** {kind[:1].upper() + kind[1:]}"
                + (f". {text.escape(item['shows'])}" if item.get("shows") else "."),
                f"- **År i data:** {'; '.join(have) or 'inga'}",
                f"- **För att täppa till luckan:** {item['gap']}", ""]
    return "\n".join(out)
