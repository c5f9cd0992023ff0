"""The report's claims in the book: verdicts beside each quote in a chapter, and the "Håller slutsatserna?" chapter."""
from __future__ import annotations

from functools import cache

from tillit.core import markdown
from tillit.core.files import repo_root
from tillit.report.chapters import Section, open_store


@cache
def _results(store_path: str = "", chapter: str | None = None):
    """The evaluated claims of one chapter (all claims for chapter=None): a chapter reads only its own claims' data."""
    from tillit.claims import api as claims

    registry = claims.load_registry()
    chosen = registry if chapter is None else [c for c in registry if c.chapter == chapter]
    return claims.evaluate_all(open_store(store_path), chosen)


def badges(chapter: str, section: str | list[str] | None = None, store: str = "", lead: bool = False) -> Section:
    """Each registered claim of `chapter` (optionally only `section`(s), exact, and their subsections) with its
    verdict, follow-up and evidence; with `lead`, first a paragraph saying what is tested and what the statuses mean."""
    from tillit.claims import api as claims

    results = _results(store, chapter)
    if section is not None:
        sections = [section] if isinstance(section, str) else list(section)
        sec = results["section"].astype(str)
        keep = sec.isin(sections)
        for name in sections:
            keep |= sec.str.startswith(name + ".")
        results = results[keep]
    register_claims(results[results["chapter"] == chapter])
    intro = ""
    if lead and (results["chapter"] == chapter).any():
        intro = claims.lead_markdown(None if section is None else
                                     ([section] if isinstance(section, str) else list(section))) + "\n"
    return Section(intro + claims.claim_badges(results, chapter))


def verdict_text(row) -> str:
    """'håller (samma mått, 2017)': the status with its evidence grade and year, as one comparable string."""
    import pandas as pd

    from tillit.claims import api as claims

    details = [str(row["grade"])] if isinstance(row["grade"], str) and row["status"] != claims.UNTESTABLE else []
    if not pd.isna(row["year"]):
        details.append(str(int(row["year"])))
    return f"{row['status']} ({', '.join(details)})" if details else str(row["status"])


def register_claims(results) -> None:
    """Key each verdict (`pastaende/<id>/<basis>`) and each number it was judged on (`…/<basis>/<name>`)."""
    from tillit.report import numbers, text

    for _, row in results.iterrows():
        base = numbers.key("pastaende", row["id"], row["basis"])
        year = None if row["year"] is None or str(row["year"]) == "<NA>" else int(row["year"])
        numbers.register(base, year, verdict_text(row), kind="claim", anchor=row["anchor"])
        for name, value in sorted((row["compared"] or {}).items()):
            numbers.register(f"{base}/{numbers.slug(name)}", value, text.number(value, 2), kind="claim",
                             anchor=row["anchor"])


def chapter_links() -> dict[str, str]:
    """Chapter id → the chapter's page, for chapters that have a notebook (ids are the notebook names)."""
    from tillit.claims import api as claims

    folder = repo_root() / "notebooks"
    return {cid: f"{cid}.ipynb" for cid in claims.CHAPTERS if (folder / f"{cid}.ipynb").is_file()}


def summary(store: str = "") -> Section:
    """Verdicts on the report's own evidence, follow-ups, proxy indications and untestable claims, kept apart."""
    from tillit.claims import api as claims

    return Section(claims.summary_markdown(_results(store)))


def table(store: str = "") -> Section:
    """Every claim, chapter by chapter, linked to where its quote stands."""
    from tillit.claims import api as claims

    return Section(claims.chapter_tables(_results(store), chapter_links()))


def quantifier_table() -> Section:
    """How the report's words are read as ranges (once, for the whole book), then the Swedish quantifier words and
    what each allows, generated from the numbers in tillit/claims/quantifiers.py."""
    from tillit.claims import quantifiers, render

    words = [[word, quantifiers.describe_word(word)] for word in quantifiers.known_words()
             if word != "sant"]  # 'sant' is the registry's mark for a stated ordering, not a word of the report
    return Section(render.TOLERANCE_EXPLANATION + "\n\n" + markdown.table(["Ord", "Vad ordet medger"], words))
