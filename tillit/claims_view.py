"""The report's claims in the book: status beside each quote in a chapter, and the "Håller slutsatserna?" chapter."""
from __future__ import annotations

from functools import cache

from tillit.catalog import repo_root
from tillit.chapters import Section, open_store


@cache
def _results(store_path: str = ""):
    from tillit import claims

    return claims.evaluate_all(open_store(store_path))


def badges(chapter: str, section: str | list[str] | None = None, store: str = "") -> Section:
    """Each registered claim of `chapter` (optionally only `section`(s), exact, and their subsections) with its status."""
    from tillit import claims

    results = _results(store)
    if section is not None:
        sections = [section] if isinstance(section, str) else list(section)
        sec = results["section"].astype(str)
        keep = sec.isin(sections)
        for name in sections:
            keep |= sec.str.startswith(name + ".")
        results = results[keep]
    return Section(claims.claim_badges(results, chapter))


def chapter_links() -> dict[str, str]:
    """Chapter id → the chapter's page, for chapters that have a notebook (ids are the notebook names)."""
    from tillit import claims

    folder = repo_root() / "notebooks"
    return {cid: f"{cid}.ipynb" for cid in claims.CHAPTERS if (folder / f"{cid}.ipynb").is_file()}


def summary(store: str = "") -> Section:
    """How many claims hold, fail or cannot be tested, on the report's year and on the latest year."""
    from tillit import claims, text

    results = _results(store)
    n = results["id"].nunique()
    lines = [f"Registret innehåller {n} kvantitativa påståenden från avsnitt 2.1 och kapitel 3.", "",
             "| | Håller | Håller inte | Kan inte prövas |", "|---|---|---|---|"]
    for basis, label in ((claims.REPORT_YEAR, "På rapportens år"), (claims.LATEST_YEAR, "På senaste året i data")):
        part = results[results["basis"] == basis]["status"].value_counts()
        lines.append(f"| {label} | {part.get(claims.HOLDS, 0)} | {part.get(claims.FAILS, 0)} | "
                     f"{part.get(claims.UNTESTABLE, 0)} |")
    latest = results[results["basis"] == claims.LATEST_YEAR]
    tested = latest[latest["status"] != claims.UNTESTABLE]
    if len(tested):
        share = (tested["status"] == claims.HOLDS).mean() * 100
        lines += ["", f"Av de påståenden som går att pröva på senaste året håller {text.number(share, 0)}\u00a0procent."]
    contradictions = results[results["contradiction"].notna()]["id"].nunique()
    if contradictions:
        lines += ["", f"I {contradictions} fall motsäger rapporten sig själv; det anges vid påståendet."]
    return Section("\n".join(lines))


def table(store: str = "") -> Section:
    from tillit import claims

    return Section(claims.markdown_table(_results(store), chapter_links()))


def quantifier_table() -> Section:
    """The documented mapping from Swedish quantifier words to numeric ranges (tillit/quantifiers.py)."""
    from tillit import quantifiers

    rows = ["| Ord | Tolkning |", "|---|---|"]
    for word, spec in quantifiers.QUANTIFIERS.items():
        if word and spec.get("sv"):
            rows.append(f"| {word} | {spec['sv']} |")
    return Section("\n".join(rows))
