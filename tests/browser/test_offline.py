"""Every page of the built book renders offline: no request leaves 127.0.0.1, charts draw, no script errors."""
from __future__ import annotations

import csv
import io
import urllib.parse

import pytest

from booktools import new_context


def _decode_csv(href: str) -> list[list[str]]:
    meta, _, payload = href.partition(",")
    assert meta.startswith("data:text/csv"), f"CSV link is not a text/csv data: URL: {href[:60]}"
    assert ";base64" not in meta, "CSV link is base64; expected percent-encoded text"
    return [r for r in csv.reader(io.StringIO(urllib.parse.unquote(payload))) if r]


@pytest.mark.pages("all")
def test_page_renders_offline(visit):
    tab = visit.tab
    assert not visit.left, f"{visit}: requests tried to leave the machine (aborted): {visit.left}"
    # no allow-list: not one console error or uncaught exception (a script the Content-Security-Policy refuses logs one)
    assert not visit.errors, f"{visit}: errors in the browser:\n" + "\n".join(visit.errors)
    charts = tab.locator(".tillit-vega")
    # vega-embed's SVG (class "marks"), not the placeholder that reserves the chart's height before drawing
    drawn = tab.locator('.tillit-vega[data-drawn="1"] svg.marks')
    assert drawn.count() == charts.count() == visit.charts, f"{visit}: not every chart was drawn"
    assert not tab.get_by_text("Diagrammet kunde inte visas").count(), f"{visit}: vega-embed was missing"
    # drawn is not enough: a chart sized "width: container" in a zero-width element is an empty 0-px SVG
    sizes = tab.evaluate("""() => Array.from(document.querySelectorAll('.tillit-vega')).map(d => {
        const s = d.querySelector('svg.marks'); const r = s ? s.getBoundingClientRect() : {width: 0, height: 0};
        return [d.id, Math.round(r.width), Math.round(r.height)]; })""")
    empty = [f"{i} ({w}×{h} px)" for i, w, h in sizes if w < 100 or h < 50]
    assert not empty, f"{visit}: charts drawn without area: {empty}"


# Everything the chart check needs, read in one round trip: per figure, the chart's role and text alternative as
# drawn, the source line, the table's shape and the CSV link.
CHART_FACTS = """() => Array.from(document.querySelectorAll('.tillit-chart')).map(fig => {
    const vis = fig.querySelector('.tillit-vega');
    const table = fig.querySelector('details.tillit-data table');
    const links = fig.querySelectorAll('details.tillit-data a[href^="data:"]');
    const source = fig.querySelector('.tillit-source');
    return {
        id: vis ? vis.id : null, role: vis && vis.getAttribute('role'), label: vis && vis.getAttribute('aria-label'),
        source: source ? source.textContent.trim() : '',
        tables: fig.querySelectorAll('details.tillit-data table').length,
        columns: table ? table.querySelectorAll('thead th').length : 0,
        rows: table ? table.querySelectorAll('tbody tr').length : 0,
        links: links.length, href: links.length ? links[0].getAttribute('href') : '',
        download: links.length ? links[0].getAttribute('download') : '',
    };
})"""


@pytest.mark.pages("charts")
def test_charts_carry_text_source_table_and_csv(visit):
    figures = visit.tab.evaluate(CHART_FACTS)
    assert len(figures) == visit.charts, f"{visit}: {visit.charts} charts but {len(figures)} .tillit-chart"
    for f in figures:
        where = f"{visit} #{f['id']}"
        assert f["id"], f"{where}: a .tillit-chart without its .tillit-vega chart"
        # As drawn: vega-embed must not have replaced the chart's role and text alternative.
        assert f["role"] == "img", f"{where}: role is {f['role']!r}, not 'img'"
        label = (f["label"] or "").strip()
        assert label and label != "Vega visualization", f"{where}: no text alternative (aria-label {label!r})"
        assert f["source"], f"{where}: empty source line"
        assert f["tables"] == 1, f"{where}: {f['tables']} tables in details.tillit-data, expected 1"
        assert f["columns"] >= 1 and f["rows"] >= 1, f"{where}: the table has no header or no rows"
        assert f["links"] == 1, f"{where}: {f['links']} CSV links, expected 1"
        assert (f["download"] or "").endswith(".csv"), f"{where}: CSV link without a .csv file name"
        lines = _decode_csv(f["href"])
        assert len(lines) >= 2, f"{where}: the CSV needs a header row and at least one data row, got {lines}"
        header, data = lines[0], lines[1:]
        assert all(h.strip() for h in header), f"{where}: blank column name in the CSV header {header}"
        assert len(header) == f["columns"], f"{where}: CSV has {len(header)} columns, the table {f['columns']}"
        assert len(data) == f["rows"], f"{where}: CSV has {len(data)} data rows, the table {f['rows']}"
        assert all(len(r) == len(header) for r in data), f"{where}: ragged CSV rows"


def test_the_guard_catches_requests_that_leave(browser, book_url):
    """The check above would pass vacuously if the routing let requests through: prove that it catches them.
    (The page's Content-Security-Policy would stop these requests before the network; it is bypassed here so that
    the routing guard itself is what is tested.)"""

    ctx, left = new_context(browser, bypass_csp=True)
    try:
        tab = ctx.new_page()
        tab.goto(book_url + "book/index.html")
        tab.evaluate("""async () => {
            for (const url of ['https://example.org/vega.js', 'http://127.0.0.1.example.org/x.js']) {
                try { await fetch(url, {mode: 'no-cors'}); } catch (e) { /* aborted, as it should be */ }
            }
        }""")
        tab.reload()  # local: passes
    finally:
        ctx.close()
    assert left == ["https://example.org/vega.js", "http://127.0.0.1.example.org/x.js"]


def test_the_policy_blocks_script_injected_into_a_page(browser, book_url):
    """The Content-Security-Policy is in force in the browser: an inline script or handler that is not one of the
    book's own (as markup smuggled in with data would be) does not run, and the charts still draw without eval."""
    ctx, left = new_context(browser)
    try:
        tab = ctx.new_page()
        violations: list[str] = []
        tab.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        tab.goto(book_url + "notebooks/regioner/region-01.html", wait_until="load")
        ran = tab.evaluate("""() => new Promise(done => {
            const s = document.createElement('script');
            s.textContent = 'window.__injected = 1';
            document.body.appendChild(s);
            const a = document.createElement('div');
            a.innerHTML = '<img src="data:," onerror="window.__handler = 1">';
            document.body.appendChild(a);
            setTimeout(() => done([window.__injected || 0, window.__handler || 0]), 300);
        })""")
        drawn = tab.locator(".tillit-vega svg").count()
    finally:
        ctx.close()
    assert ran == [0, 0], "an injected inline script or event handler ran"
    assert len(violations) >= 2, violations
    assert drawn > 0 and not left
