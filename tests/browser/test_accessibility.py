"""axe-core (pinned in package.json) on every page of the built book: no serious or critical WCAG 2.1 A/AA violation."""
from __future__ import annotations

import json
import urllib.parse

import pytest

from booktools import ROOT, chart_pages, new_context, open_page

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

# Run axe with the first chart table of the page open (so tables are checked too; they share one markup and style,
# and opening all of them makes color-contrast slow on long pages), then close it again.
RUN_AXE = """async (tags) => {
    const closed = Array.from(document.querySelectorAll('details.tillit-data:not([open])')).slice(0, 1);
    closed.forEach(d => { d.open = true; });
    try {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return {version: axe.version, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({impact: n.impact, target: n.target.join(' ')}))}))};
    } finally {
        closed.forEach(d => { d.open = false; });
    }
}"""


@pytest.fixture(scope="session")
def axe_path() -> str:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm ci` in the repository root (version pinned in package.json)")
    return str(AXE)


AXE_URL = "/__axe__/axe.min.js"


def _load_axe(tab, axe_path: str) -> None:
    """axe-core as a script from the page's own origin: the book's Content-Security-Policy runs no inline script
    (which is what add_script_tag(path=…) would insert), so the browser fetches it and the test serves the file."""
    tab.context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=axe_path, content_type="application/javascript"))
    tab.add_script_tag(url=urllib.parse.urljoin(tab.url, AXE_URL))


def _audit(tab, axe_path: str, where: str) -> None:
    _load_axe(tab, axe_path)
    result = tab.evaluate(RUN_AXE, TAGS)
    found = [f"{where} | {v['id']} | {n['impact'] or v['impact']} | {n['target']} | {v['help']}"
             for v in result["violations"] for n in v["nodes"] if (n["impact"] or v["impact"]) in BLOCKING]
    assert not found, (f"axe-core {result['version']} ({', '.join(TAGS)}): {len(found)} serious/critical "
                       "violations\npage | rule | impact | target | help\n" + "\n".join(found))


def test_axe_core_is_the_pinned_version(context, axe_path):
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    assert lock["packages"]["node_modules/axe-core"]["version"] == pinned
    tab = context.new_page()
    tab.set_content("<!doctype html><html lang='sv'><title>axe</title></html>")
    tab.add_script_tag(path=axe_path)
    assert tab.evaluate("axe.version") == pinned, "node_modules/axe-core differs from the lock file: run `npm ci`"


def test_no_serious_or_critical_wcag_violations(visit, axe_path):
    _audit(visit.tab, axe_path, str(visit))


def test_dark_mode_has_no_serious_violations(browser, book_url, axe_path):
    """The theme's dark mode (a reader who chose it, or whose system prefers it with the mode on auto): the book's
    own styles must still meet the contrast rules there."""
    pages = chart_pages()
    if not pages:
        pytest.skip("the book has no pages with charts")
    ctx, _ = new_context(browser, color_scheme="dark")
    ctx.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    try:
        tab, _, _ = open_page(ctx, book_url + pages[0].path)
        assert tab.evaluate("document.documentElement.dataset.theme") == "dark", "the theme did not switch to dark"
        _audit(tab, axe_path, f"{pages[0]} (dark mode)")
    finally:
        ctx.close()
