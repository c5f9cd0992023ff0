"""Browser fixtures: the built book served on 127.0.0.1, one headless Chromium (Playwright), one visit per page."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from booktools import (CHROMIUM, CHROMIUM_ARGS, CONTENT_PAGES, HTML, NO_BOOK, PAGES, Visit, chart_pages, new_context,
                       open_page)


def pytest_configure(config):
    config.addinivalue_line("markers", "pages(kind): which built pages a `visit` test runs on: "
                                       "'all' (redirect stubs too), 'content' (default) or 'charts'")


def _params(pages):
    """One parameter per page; a single skipped parameter with the reason when there is nothing to test."""
    if not pages:
        reason = NO_BOOK if not PAGES else "the book has no such pages"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-pages")]
    # One xdist group per page (pytest -n 2 --dist loadgroup): a page's tests share one worker and one page load.
    return [pytest.param(p, id=p.path, marks=pytest.mark.xdist_group(f"book-page:{p.path}")) for p in pages]


def pytest_generate_tests(metafunc):
    """Tests that take `visit` run once per page. The fixture is session-scoped and parametrized by page, so pytest
    groups the offline, accessibility and keyboard tests of one page and loads each page once."""
    if "visit" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("pages")
        kind = marker.args[0] if marker else "content"
        pages = {"all": PAGES, "content": CONTENT_PAGES, "charts": chart_pages()}[kind]
        metafunc.parametrize("visit", _params(pages), indirect=True, scope="session")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="session")
def book_url() -> str:
    """Base URL of _build/html served by http.server on a free port of 127.0.0.1 (thread, stopped at the end)."""
    if not (HTML / "index.html").is_file():
        pytest.skip(NO_BOOK)
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's chromium driven by Playwright)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (PyPI) is not installed")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium) or set TILLIT_CHROMIUM")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser):
    """A fresh, guarded browser context for tests that open pages themselves."""
    ctx, _ = new_context(browser)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture(scope="session")
def visit(request, browser, book_url):
    """The page of this parameter, loaded once in its own context; closed when pytest moves on to the next page."""
    book_page = request.param
    ctx, left = new_context(browser)
    try:
        tab, errors, charts = open_page(ctx, book_url + book_page.path, book_page.redirect)
        yield Visit(book_page, tab, left, errors, charts)
    finally:
        ctx.close()
