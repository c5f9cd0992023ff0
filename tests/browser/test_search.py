"""The book's search page, offline: a Swedish result count for a known word (also in an inflected form), a Swedish
"no hits" message for nonsense."""
from __future__ import annotations

import re
import urllib.parse

import pytest

from booktools import CONTENT_PAGES, HTML

SUMMARY = "#search-results p.search-summary"


def _search(ctx, book_url: str, query: str):
    tab = ctx.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(book_url + "search.html?q=" + urllib.parse.quote(query), wait_until="load")
    # Sphinx fills the summary when the search has finished
    tab.wait_for_function(f"() => {{ const p = document.querySelector('{SUMMARY}');"
                          " return p && p.textContent.trim().length > 0 && !document.querySelector('.search-pulse'); }")
    return tab, tab.locator(SUMMARY).inner_text().strip(), errors


@pytest.mark.parametrize("query", ["sjukfrånvaro", "sjukfrånvaron"])
def test_known_word_gives_a_swedish_result_count(context, book_url, query):
    tab, summary, errors = _search(context, book_url, query)
    assert not errors, errors
    m = re.fullmatch(r"Sökningen är klar: (\d+) av bokens sidor matchar\.", summary)
    assert m, f"search for {query!r}: summary {summary!r} is not the Swedish result count"
    hits = tab.locator("#search-results ul.search li")
    assert int(m.group(1)) == hits.count() >= 1
    links = [hits.nth(i).locator("a").first.get_attribute("href") for i in range(hits.count())]
    # the chapter that reports sick leave (it says "sjukfrånvaro", also in its data tables)
    assert any("3-5-kompetensforsorjning" in (href or "") for href in links), links


def _words(path) -> set[str]:
    text = (HTML / path).read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    return {w.casefold() for w in re.findall(r"\w+", re.sub(r"<[^>]+>", " ", text))}


def test_inflected_form_finds_pages_with_the_base_form(context, book_url):
    """"sjukfrånvaron" (definite form) finds the pages that only say "sjukfrånvaro"; Snowball's Swedish stemmer
    alone keeps the two apart (tillit.build.bookext.SearchSwedishInflected)."""
    base_only = {p.path for p in CONTENT_PAGES if {"sjukfrånvaro"} <= _words(p.path)
                 and "sjukfrånvaron" not in _words(p.path)}
    if not base_only:
        pytest.skip("no page has the base form without the definite form")
    tab, summary, errors = _search(context, book_url, "sjukfrånvaron")
    hits = tab.locator("#search-results ul.search li a")
    found = {urllib.parse.urljoin(book_url + "search.html", hits.nth(i).get_attribute("href")).split("#")[0].split("?")[0]
             .removeprefix(book_url) for i in range(hits.count())}
    assert base_only <= found, f"pages with only 'sjukfrånvaro' not found by 'sjukfrånvaron': {base_only - found}"


def test_nonsense_gives_a_swedish_no_hits_message(context, book_url):
    tab, summary, errors = _search(context, book_url, "qxzvkjbrwl")
    assert not errors, errors
    assert summary.startswith("Sökningen gav inga träffar."), summary
    assert tab.locator("#search-results ul.search li").count() == 0

