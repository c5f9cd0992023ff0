"""The report's claims beside their quotes in each chapter: status badges from the claims registry (tillit.claims)."""
from __future__ import annotations

from functools import cache

from tillit.chapters import Section, open_store


@cache
def _results(store_path: str = ""):
    from tillit import claims

    return claims.evaluate_all(open_store(store_path))


def badges(chapter: str, section: str | None = None, store: str = "") -> Section:
    """Markdown with each registered claim of `chapter` (optionally only `section`), its status and computed values."""
    from tillit import claims

    results = _results(store)
    if section is not None:
        results = results[results["section"].astype(str).str.startswith(section)]
    return Section(claims.claim_badges(results, chapter))
