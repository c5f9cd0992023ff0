"""Charts cost only where they are: chart code only on chart pages, drawn as each chart nears the viewport, with its
text alternative, caption and table in the page before it is drawn and no layout shift when it draws."""
from __future__ import annotations

import pytest

from booktools import CONTENT_PAGES, HTML, chart_pages, wait_for_charts

CHART_CODE = ("tillit-charts.js", "vega-bundle.js")
THEME_BULK = ("fontawesome.js", "fa-solid-900.woff2", "searchindex.js", "searchtools.js")


def _requests(ctx, url: str) -> tuple[object, list[str]]:
    tab = ctx.new_page()
    seen: list[str] = []
    tab.on("request", lambda r: seen.append(r.url))
    tab.goto(url, wait_until="load")
    tab.wait_for_load_state("networkidle")
    return tab, seen


def test_pages_without_charts_load_no_chart_code(context, book_url):
    plain = [p for p in CONTENT_PAGES if p not in chart_pages()]
    if not plain:
        pytest.skip("every page has a chart")
    for page in plain[:3]:
        html = (HTML / page.path).read_text(encoding="utf-8")
        assert not any(name in html for name in CHART_CODE), f"{page}: chart code in a page without charts"
        _, seen = _requests(context, book_url + page.path)
        loaded = [u for u in seen if any(name in u for name in CHART_CODE + THEME_BULK)]
        assert not loaded, f"{page}: loaded {loaded}"


def test_charts_wait_for_the_reader_and_keep_their_place(context, book_url):
    """On the chart page with the most charts: before any scrolling, the last chart is not drawn but already has its
    text alternative, table and reserved height; scrolled to, it is drawn in the same height (no layout shift)."""
    pages = sorted(chart_pages(), key=lambda p: (HTML / p.path).read_text(encoding="utf-8").count('class="tillit-vega"'))
    if not pages:
        pytest.skip("no chart pages")
    page = pages[-1]
    tab, seen = _requests(context, book_url + page.path)
    html = (HTML / page.path).read_text(encoding="utf-8")
    assert '<script defer="defer" src="../_static/tillit-charts.js' in html or "tillit-charts.js" in html
    last = tab.locator(".tillit-vega").last
    before = last.evaluate("""el => ({drawn: el.dataset.drawn || '', label: el.getAttribute('aria-label'),
        role: el.getAttribute('role'), height: el.getBoundingClientRect().height,
        top: el.getBoundingClientRect().top, rows: el.closest('.tillit-chart').querySelectorAll('tbody tr').length,
        viewport: window.innerHeight})""")
    assert before["top"] > before["viewport"] + 600, f"{page}: the last chart is not below the fold: {before}"
    assert before["drawn"] == "", f"{page}: the last chart was drawn before the reader came near it"
    assert before["role"] == "img" and before["label"], before
    assert before["rows"] >= 1, f"{page}: the chart's table is not in the page before drawing"
    assert before["height"] >= 100, f"{page}: no height reserved for the undrawn chart: {before}"
    charts = tab.locator(".tillit-vega").count()
    drawn_at_load = tab.locator(".tillit-vega[data-drawn]").count()
    assert drawn_at_load < charts, f"{page}: all {charts} charts were drawn at load"
    assert wait_for_charts(tab) == charts
    after = last.evaluate("el => ({drawn: el.dataset.drawn, height: el.getBoundingClientRect().height})")
    assert after["drawn"] == "1"
    assert abs(after["height"] - before["height"]) <= 4, f"{page}: the chart changed height when drawn: {before} → {after}"
