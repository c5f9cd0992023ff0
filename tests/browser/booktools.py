"""Helpers for the browser tests: where the built book is, its pages, waiting for charts, one visit per page."""
from __future__ import annotations

import os
import re
import shutil
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# TILLIT_BOOK_HTML: test a book built elsewhere (default: the repository's own _build/html).
HTML = Path(os.environ.get("TILLIT_BOOK_HTML") or ROOT / "_build" / "html").resolve()
CHROMIUM = os.environ.get("TILLIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]
# Generous: on a busy 2-core machine a page with its Vega bundle can take several seconds to load.
TIMEOUT_MS = 45_000
NOT_PAGES = {"genindex.html", "search.html"}
NO_BOOK = f"no built book: {HTML}/index.html is missing; run `tillit build -j 2` first"
_REFRESH = re.compile(r"""<meta\s+http-equiv=["']?refresh["']?\s+content=["']?\s*\d+\s*;\s*url=([^"'>\s]+)""", re.I)

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
NOT_LOCAL = re.compile(r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost)(?::\d+)?(?:/|$))"
                       r"(?!(?:data|blob|about):)", re.I)


@dataclass(frozen=True)
class BookPage:
    """One built HTML page: its path relative to _build/html, and the target if it is only a redirect page."""

    path: str
    redirect: str | None = None

    def __str__(self) -> str:
        return self.path


def discover_pages() -> list[BookPage]:
    """Every built page: all .html under _build/html except genindex/search and Sphinx's own _static/_sources."""
    if not (HTML / "index.html").is_file():
        return []
    pages = []
    for p in sorted(HTML.rglob("*.html")):
        rel = p.relative_to(HTML)
        if rel.parts[0] in ("_static", "_sources") or rel.as_posix() in NOT_PAGES:
            continue
        head = p.read_text(encoding="utf-8", errors="replace")[:2000]
        m = _REFRESH.search(head)
        pages.append(BookPage(rel.as_posix(), m.group(1) if m else None))
    return pages


PAGES = discover_pages()
CONTENT_PAGES = [p for p in PAGES if p.redirect is None]


def new_context(browser, **options):
    """A fresh context (no shared cookies, storage or cache) in which every request is routed: local ones pass,
    any other is aborted and recorded in the returned list."""
    ctx = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}, **options)
    ctx.set_default_timeout(TIMEOUT_MS)
    left: list[str] = []

    def guard(route):
        url = urllib.parse.urlsplit(route.request.url)
        if url.scheme in LOCAL_SCHEMES or (url.hostname or "") in LOCAL_HOSTS:
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort("blockedbyclient")

    # The browser intercepts only what this pattern matches (anything not plainly local), so local requests do not
    # make a round trip to Python; `guard` still decides, in case the pattern lets a local URL through.
    ctx.route(NOT_LOCAL, guard)
    return ctx, left


def _is_browser_favicon_probe(msg) -> bool:
    """Chromium's own request for /favicon.ico (the book sets no icon): made by the browser, not by the page."""
    return msg.text.startswith("Failed to load resource") and msg.location.get("url", "").endswith("/favicon.ico")


def open_page(ctx, url: str, redirect: str | None = None):
    """Open `url`, follow a redirect stub, wait for load, the charts and network idle.

    Returns (page, errors, number of charts); `errors` collects console errors and uncaught page errors."""
    tab = ctx.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(f"console.error: {m.text} ({m.location.get('url', '')})")
           if m.type == "error" and not _is_browser_favicon_probe(m) else None)
    tab.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    tab.goto(url, wait_until="load")
    if redirect:
        tab.wait_for_url(urllib.parse.urljoin(url, redirect))
        tab.wait_for_load_state("load")
    charts = wait_for_charts(tab)
    tab.wait_for_load_state("networkidle")
    return tab, errors, charts


def chart_pages() -> list[BookPage]:
    """Content pages with at least one chart."""
    return [p for p in CONTENT_PAGES if 'class="tillit-vega"' in (HTML / p.path).read_text(encoding="utf-8")]


# Charts are drawn only as they near the viewport (IntersectionObserver in _static/tillit-charts.js): bring each one
# into view, in page order, and wait until it is drawn (data-drawn="1", or "failed" when it could not be).


def wait_for_charts(page) -> int:
    """Scroll every chart into view and wait until vega-embed has drawn it; returns the number of charts. The page
    is scrolled back to the top afterwards."""
    charts = page.locator(".tillit-vega")
    n = charts.count()
    for i in range(n):
        chart = charts.nth(i)
        if chart.get_attribute("data-drawn") is None:
            chart.scroll_into_view_if_needed()
        page.wait_for_function("el => !!el.dataset.drawn", arg=chart.element_handle(), timeout=TIMEOUT_MS)
    if n:
        page.evaluate("window.scrollTo(0, 0)")
    return n


# Facts about an element that has focus: where it is and whether it shows a focus indicator (outline or box-shadow).
FOCUS_FACTS_JS = """(el) => {
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = !!s.boxShadow && s.boxShadow !== 'none';
    const summaries = Array.from(document.querySelectorAll('details.tillit-data > summary'));
    return {
        tag: el.tagName.toLowerCase(),
        text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 60),
        inArticle: !!el.closest('article.bd-article'),
        inMain: !!el.closest('#main-content, main'),
        summaryIndex: summaries.indexOf(el),
        indicator: outline || shadow,
        style: `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; box-shadow: ${s.boxShadow}`,
    };
}"""
# The focused element now (null when nothing but the page has focus).
FOCUSED_JS = f"""() => {{
    const el = document.activeElement;
    return (!el || el === document.body) ? null : ({FOCUS_FACTS_JS})(el);
}}"""
# Records the facts of every element that receives focus, at the moment it does (read back with TAKE_FOCUS_LOG_JS).
FOCUS_LOG_JS = f"""() => {{
    window.__tillitFocusLog = [];
    const facts = {FOCUS_FACTS_JS};
    document.addEventListener('focusin', (e) => window.__tillitFocusLog.push(facts(e.target)), true);
}}"""
TAKE_FOCUS_LOG_JS = "() => window.__tillitFocusLog.splice(0)"


class Visit:
    """One page opened in its own browser context, shared by the offline, accessibility and keyboard tests.

    `left` holds the requests that tried to leave 127.0.0.1 (aborted), `errors` the console errors and uncaught
    page errors seen while the page loaded and its charts rendered."""

    MAX_TABS = 400
    TABS_PER_READ = 4  # Tab presses between two reads of the focus log (fewer round trips to the browser)

    def __init__(self, book_page: BookPage, tab, left: list[str], errors: list[str], charts: int):
        self.book_page, self.tab, self.left, self.errors, self.charts = book_page, tab, left, errors, charts
        self._walk: dict | None = None

    def __str__(self) -> str:
        return self.book_page.path

    def tab_walk(self) -> dict:
        """Press Tab from the start of the page until focus has reached the main content, the first link in the
        page content and the first chart's summary (those the page has); record where focus went. Done once per
        page, before anything else moves focus (the page is reloaded first if something already has)."""
        if self._walk is not None:
            return self._walk
        tab = self.tab
        if tab.evaluate("document.activeElement !== document.body || window.scrollY !== 0"):
            tab.reload(wait_until="load")
            wait_for_charts(tab)
        has_links = tab.locator("article.bd-article a[href]").count() > 0
        has_summary = tab.locator("details.tillit-data > summary").count() > 0
        walk: dict = {"stops": [], "first_link": None, "first_main": None, "summary": None, "has_links": has_links,
                      "has_summary": has_summary}
        tab.evaluate(FOCUS_LOG_JS)
        done = False
        for _ in range(0, self.MAX_TABS, self.TABS_PER_READ):
            for _ in range(self.TABS_PER_READ):
                tab.keyboard.press("Tab")
            for f in tab.evaluate(TAKE_FOCUS_LOG_JS):
                walk["stops"].append(f"{f['tag']}:{f['text'][:25]}")
                if f["inMain"] and walk["first_main"] is None:
                    walk["first_main"] = f
                if f["inArticle"] and f["tag"] == "a" and walk["first_link"] is None:
                    walk["first_link"] = f
                if f["summaryIndex"] == 0 and walk["summary"] is None:
                    walk["summary"] = f
                done = ((walk["summary"] or not has_summary) and (walk["first_link"] or not has_links)
                        and walk["first_main"] is not None)
                if done:
                    break
            if done:
                break
        self._walk = walk
        return walk
