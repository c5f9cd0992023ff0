"""No outside address in the built book: every http(s) address in a page is a link to a cited source, no asset names a
host to load from, and every page carries the Content-Security-Policy (tillit/build/csp.py)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from booktools import HTML, NO_BOOK  # noqa: E402

from tillit.build import csp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# scheme and host (slashes plain or JSON-escaped): the word "https://" alone in a sentence names no address
ADDRESS = re.compile(r"https?:[/\\]*[A-Za-z0-9][^\s\"'<>)]*", re.I)
URL_ATTRIBUTES = ("src", "href", "action", "data", "poster", "srcset", "formaction")
# Links written by hand in book/*.md (not from data): the accessibility statement must name the supervisory authority.
HAND_WRITTEN = {"https://www.digg.se/tdosanmalan"}
# Strings in third-party scripts that look like addresses but are never requested (and the policy's connect-src,
# script-src and img-src 'self' would refuse them if they were). Each with the reason it is harmless.
INERT = {
    "http://www.w3.org/2000/svg": "XML namespace name (an identifier, never fetched)",
    "http://www.w3.org/1999/xlink": "XML namespace name",
    "http://www.w3.org/2000/xmlns/": "XML namespace name",
    "http://www.w3.org/1999/xhtml": "XML namespace name",
    "https://vega.github.io/schema/vega/v6.json": "the $schema vega-lite writes into a compiled spec (never fetched)",
    "https://vega.github.io/editor/": "vega-embed's 'open in editor' menu, switched off (actions: false)",
    "https://github.com/vega/vega-lite/issues/2415": "text of a vega-lite warning",
    "https://pydata-sphinx-theme.readthedocs.io/en/stable/user_guide/version-dropdown.html":
        "text of the theme's warning about a version switcher (the book has none)",
    "https://www.sphinx-doc.org/": "a message of Sphinx's Swedish catalog ('Skapad med Sphinx'), not shown",
}
TEXT_ASSETS = (".js", ".css", ".svg", ".html", ".json", ".txt", ".ipynb", ".md", ".inv")
LICENCE_NOTICES = re.compile(r"\.LICENSE\.txt$")  # licence texts of bundled libraries: kept as they are

pytestmark = pytest.mark.skipif(not (HTML / "index.html").is_file(), reason=NO_BOOK)


def _source_urls() -> set[str]:
    urls: set[str] = set()
    for path in (ROOT / "data" / "tables").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=lambda c: c == "source_url")
        if "source_url" in frame:
            urls.update(u for u in frame["source_url"] if u)
    return urls


def _pages() -> list[Path]:
    return [p for p in sorted(HTML.rglob("*.html")) if p.relative_to(HTML).parts[0] not in ("_static", "_sources")]


def _outside_addresses(page: str, allowed: set[str]) -> list[str]:
    """Addresses left in a page once the links to allowed addresses are taken out, with some context."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    found = []
    for element in soup.find_all(True):
        for name in URL_ATTRIBUTES:
            value = element.get(name)
            if element.name == "a" and name == "href" and value in allowed:
                del element[name]
            elif isinstance(value, str) and value.strip().startswith("//"):
                found.append(f"<{element.name} {name}={value!r}>")  # protocol-relative: another host
    rest = str(soup)
    return found + [rest[max(0, m.start() - 60): m.end() + 20] for m in ADDRESS.finditer(rest)]


def test_no_page_holds_an_outside_address_other_than_a_cited_source():
    allowed = _source_urls() | HAND_WRITTEN
    assert len(allowed) > 20, "the data should cite many sources"
    problems = {}
    for path in _pages():
        found = _outside_addresses(path.read_text(encoding="utf-8"), allowed)
        if found:
            problems[str(path.relative_to(HTML))] = found[:3]
    assert not problems, f"outside addresses in pages: {problems}"


def test_source_links_are_where_sources_are_cited():
    """The allowed links are in chart captions, source columns and running text of chapters, and the sources page."""
    from bs4 import BeautifulSoup

    sources = HTML / "book" / "data-och-kallor.html"
    soup = BeautifulSoup(sources.read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("article a[href^='http']")) > 20
    captions = 0
    for path in _pages():
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        captions += len(page.select("figcaption .tillit-source a[href^='http']"))
    assert captions > 20


def test_the_check_catches_an_outside_address():
    allowed = {"https://www.scb.se/a"}
    assert not _outside_addresses('<p><a href="https://www.scb.se/a">SCB</a></p>', allowed)
    cdn = "cdn.example.org"  # a stand-in for a script CDN: no real CDN address is kept in the repository
    for bad in (f'<script src="https://{cdn}/thebe@0.8.2/lib/index.js"></script>',
                f'<link rel="stylesheet" href="//{cdn}/x.css">',
                f'<script>const THEBE_JS_URL = "https://{cdn}/thebe"</script>',
                '<script type="application/json">{"$schema": "https://vega.github.io/schema/vega-lite/v6.json"}</script>',
                '<a href="https://evil.example/">not a cited source</a>',
                '<img src="HTTPS://tracker.example/p.gif">'):
        assert _outside_addresses(bad, allowed), bad


def _strip_comments(path: Path, text: str) -> str:
    if path.suffix == ".js":
        import rjsmin

        return rjsmin.jsmin(text, keep_bang_comments=False)
    if path.suffix == ".css":
        import rcssmin

        return rcssmin.cssmin(text, keep_bang_comments=False)
    return text


def test_no_asset_names_a_host_to_load_from():
    """Scripts, styles, images and the page sources served with the book: comments aside, an address is either a
    cited source (in the notebooks' sources) or one of the few inert identifiers above."""
    allowed = _source_urls() | HAND_WRITTEN | set(INERT)
    problems = {}
    assets = [p for folder in ("_static", "_sources") for p in (HTML / folder).rglob("*") if p.is_file()]
    assets += [HTML / "searchindex.js"]
    assert len(assets) > 30
    for path in assets:
        if not path.name.endswith(TEXT_ASSETS) or LICENCE_NOTICES.search(path.name):
            continue
        text = _strip_comments(path, path.read_text(encoding="utf-8", errors="replace"))
        found = {m.group().rstrip(".,;\\") for m in re.finditer(r"https?://[^\s\"'<>)`\\]+", text, re.I)}
        found = {u for u in found if u not in allowed and u.rstrip("/") + "/" not in allowed}
        if found:
            problems[str(path.relative_to(HTML))] = sorted(found)[:5]
    assert not problems, f"outside addresses in assets: {problems}"
    assert not list(HTML.glob("_static/**/*.map")), "source maps are left out of the book"
    assert not list(HTML.glob("_static/*thebe*")), "sphinx-thebe is not part of the book"


def test_every_page_carries_the_policy_and_runs_only_known_inline_code():
    pages = _pages()
    assert len(pages) > 10
    for path in pages:
        page = path.read_text(encoding="utf-8")
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
        assert len(metas) == 1, f"{path}: {len(metas)} policies"
        policy = dict((d.split(" ", 1) + [""])[:2] for d in metas[0].split("; "))
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
        assert "unsafe-eval" not in metas[0] and "'unsafe-inline'" not in policy["script-src"]
        assert "http" not in metas[0], f"{path}: the policy allows another host"
        head = page[: page.find("<script")] if "<script" in page else page
        assert "Content-Security-Policy" in head, f"{path}: the policy must come before any script"
        assert not csp.not_allowed(page), f"{path}: inline code the policy blocks: {csp.not_allowed(page)}"


def test_the_policy_refuses_unknown_inline_code():
    page = ('<html><head><meta charset="utf-8"><script>DOCUMENTATION_OPTIONS.pagename = \'x\';</script></head>'
            '<body><script>alert(2)</script><img src=x onerror="alert(2)"><button onclick="window.print()">'
            '</button></body></html>')
    out = csp.apply(page)
    policy = re.search(r'content="([^"]+)"', out).group(1)
    assert csp._hash("DOCUMENTATION_OPTIONS.pagename = 'x';") in policy
    assert csp._hash("alert(2)") not in policy
    assert "'unsafe-hashes'" in policy and csp._hash("window.print()") in policy
    assert csp.not_allowed(page) == ["alert(2)", "alert(2)"]
    assert csp.apply(out) == out, "applying twice gives one policy"
