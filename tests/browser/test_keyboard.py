"""Keyboard use of the built book: Tab reaches the content, the chart tables open with Enter, focus is visible."""
from __future__ import annotations

import pytest

from booktools import FOCUSED_JS, Visit


def test_tab_reaches_main_content_links(visit):
    walk = visit.tab_walk()
    assert walk["first_main"], f"{visit}: {Visit.MAX_TABS} Tabs never reached the main content; went {walk['stops']}"
    if walk["has_links"]:
        f = walk["first_link"]
        assert f, f"{visit}: Tab never reached a link in the page content; focus went {walk['stops'][:60]}"
    else:
        f = walk["first_main"]
    assert f["indicator"], f"{visit}: focused {f['tag']} ({f['text']!r}) shows no focus indicator: {f['style']}"


@pytest.mark.pages("charts")
def test_chart_table_opens_with_keyboard(visit):
    tab = visit.tab
    walk = visit.tab_walk()
    f = walk["summary"]
    assert f, f"{visit}: Tab never reached 'Siffrorna i diagrammet'; focus went {walk['stops'][-40:]}"
    assert f["text"].startswith("Siffrorna i diagrammet"), f
    assert f["indicator"], f"{visit}: the focused summary shows no focus indicator: {f['style']}"
    # The walk may have gone on past the summary (to reach a content link): come back with Shift+Tab.
    for _ in range(len(walk["stops"])):
        now = tab.evaluate(FOCUSED_JS)
        if now and now["summaryIndex"] == 0:
            break
        tab.keyboard.press("Shift+Tab")
    details = tab.locator("details.tillit-data").first
    table = details.locator("table")
    assert details.get_attribute("open") is None and not table.is_visible(), f"{visit}: the table starts open"
    tab.keyboard.press("Enter")
    assert details.get_attribute("open") is not None, f"{visit}: Enter on the summary did not open the table"
    table.wait_for(state="visible", timeout=2_000)
    assert table.locator("tbody tr").first.is_visible()
    # Tab goes on into the opened details, to the CSV link, which shows focus too.
    for _ in range(5):
        tab.keyboard.press("Tab")
        now = tab.evaluate(FOCUSED_JS)
        if now and now["tag"] == "a":
            break
    assert now and "CSV" in now["text"], f"{visit}: Tab after the opened summary should reach the CSV link: {now}"
    assert now["indicator"], f"{visit}: the focused CSV link shows no focus indicator: {now['style']}"
