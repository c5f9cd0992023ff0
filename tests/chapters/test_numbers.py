"""Numbers with identities: keys, records travelling in notebook outputs, chart rows and verdicts keyed, and keys that
survive rewording of a chapter's sentences."""
from __future__ import annotations


import altair as alt
import nbformat
import pandas as pd
import pytest

from tillit.report import charts, numbers
from tests.chapters.conftest import reworded
from tillit.report.chapters import helhet, ledarskap


@pytest.fixture(autouse=True)
def _clean():
    numbers.take()
    yield
    numbers.take()


def test_key_segments_are_ascii_slugs():
    assert numbers.key("Sjukfrånvaro kön", "Västra Götaland", 2017) == "sjukfranvaro-kon/vastra-gotaland/2017"
    assert numbers.key("Region 3.5") == "region-3.5"


def test_register_returns_the_text_and_records_value():
    shown = numbers.percent("a/b", 6.66, 1)
    assert shown == "6,7\u00a0procent"
    assert numbers.number("a/c", float("nan")) == "–"
    recs = numbers.take()
    assert [(r.key, r.value, r.text) for r in recs] == [("a/b", 6.66, "6,7\u00a0procent"), ("a/c", None, "–")]
    assert numbers.take() == []


@pytest.mark.parametrize("bad", ["", "/a", "a/"])
def test_bad_keys_are_refused(bad):
    with pytest.raises(ValueError):
        numbers.register(bad, 1.0, "1")


def test_records_round_trip_through_a_notebook_output():
    numbers.number("x/2017", 3.25, 2)
    numbers.register("x/namn", None, "Skåne")
    out = nbformat.v4.new_output("display_data", data={numbers.MIME: numbers.payload(numbers.take())})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[out])])
    nbformat.validate(nb)  # the MIME type is valid JSON data for nbformat (papermill validates notebooks)
    recs = numbers.records_of_notebook(nb)
    assert [(r.key, r.value, r.text) for r in recs] == [("x/2017", 3.25, "3,25"), ("x/namn", None, "Skåne")]


def test_figure_keys_every_plotted_value_by_its_dimensions():
    data = pd.DataFrame({"region": ["Skåne", "Riket"], "year": [2017, 2017], "value": [6.25, 5.0]})
    prov = pd.DataFrame({"source_publisher": ["SKR"], "source_title": ["SKR: x"], "source_url": [""],
                         "source_type": ["primary"]})
    chart = alt.Chart(data).mark_bar().encode(x="value:Q", y="region:N")
    charts.figure(chart, name="Sjuk test", title="T", finding="F", data=data, provenance=prov, alt="a")
    recs = {r.key: r for r in numbers.take()}
    assert set(recs) == {"sjuk-test/skane/2017", "sjuk-test/riket/2017"}
    assert recs["sjuk-test/skane/2017"].value == 6.25 and recs["sjuk-test/skane/2017"].text == "6,3"
    assert recs["sjuk-test/skane/2017"].anchor == "fig-sjuk-test" and recs["sjuk-test/skane/2017"].kind == "chart"


def test_claim_verdicts_are_keyed(default_store):
    from tillit.report import claims_view

    claims_view.badges("3-3-detaljstyrning")
    recs = {r.key: r for r in numbers.take()}
    verdict = recs["pastaende/socialsekreterare-dryg-timme/rapportens-period"]
    assert verdict.kind == "claim" and verdict.text.startswith("håller") and verdict.anchor.startswith("pastaende-")
    assert recs["pastaende/socialsekreterare-dryg-timme/rapportens-period/timmar-per-dag"].value == pytest.approx(1.04, abs=0.01)


def _reworded_ledarskap():
    """chapters/ledarskap.py with its sentences reworded (numbers and their keys untouched)."""
    return reworded(ledarskap, {"Kvinnornas sjukfrånvaro var högre än männens i": "Kvinnor hade högre sjukfrånvaro än män i",
                                "var sjukfrånvaron bland kvinnor anställda i landstingen":
                                    "låg sjukfrånvaron hos landstingens kvinnor på",
                                "Störst var skillnaden {": "Den största skillnaden fanns {"})


def test_rewording_a_sentence_changes_no_key(default_store):
    before = ledarskap.sick_leave_by_sex(default_store, 2017).markdown
    keyed = [(r.key, r.value, r.text) for r in numbers.take()]
    after = _reworded_ledarskap().sick_leave_by_sex(default_store, 2017).markdown
    assert after != before
    assert [(r.key, r.value, r.text) for r in numbers.take()] == keyed
    assert any(k == "sjukfranvaro-kon/riket/kvinnor/2017" for k, _, _ in keyed)


def test_prose_numbers_link_to_the_passage_that_shows_them(monkeypatch):
    """A passage whose text has keyed numbers gets an id; its numbers carry that id as their anchor, so the change
    page links to the passage rather than the top of the page. Charts and verdicts keep their own anchors."""
    import tillit.report.chapters as chapters
    from tillit.report import numbers

    shown = []
    monkeypatch.setattr(chapters, "display", lambda obj: shown.append(obj))
    numbers.take()
    sentence = f"Sjukfrånvaron var {numbers.percent(numbers.key('prov', 'riket', 2017), 6.04)}."
    numbers.register(numbers.key("figur", "riket"), 1.0, "1,0", kind="chart", anchor="fig-figur")
    chapters.Section(sentence)._ipython_display_()
    records = {r.key: r for r in numbers.take()}
    passage = records["prov/riket/2017"].anchor
    assert passage and passage.startswith("tal-")
    assert shown[0].data.startswith(f'<div id="{passage}" class="tillit-anchor"></div>')
    assert records["figur/riket"].anchor == "fig-figur"
    chapters.Section("Text utan tal.")._ipython_display_()
    assert not shown[-1].data.startswith("<div")   # no id where no number stands


def test_rewording_chapter_3_2_changes_no_key(default_store):
    """3.2's 'Det viktigaste' and WHO comparison: the sentences change, the keyed numbers do not."""
    rewording = {"Enligt WHO hade Sverige {doctors['year']} ": "År {doctors['year']} hade Sverige enligt WHO ",
                 "var patienterna mindre positiva om kontinuitet och": "svarade patienterna mindre positivt om kontinuitet och",
                 "{when} hade Sverige {value}": "{when} räknade WHO för Sverige {value}",
                 "Data stöder alltså": "Uppgifterna stöder därmed"}
    before = helhet.key_points(default_store).markdown + helhet.figure_34(default_store).markdown
    keyed = [(r.key, r.value, r.text) for r in numbers.take()]
    module = reworded(helhet, rewording)
    after = module.key_points(default_store).markdown + module.figure_34(default_store).markdown
    assert after != before
    assert [(r.key, r.value, r.text) for r in numbers.take()] == keyed
    texts = {k: t for k, _, t in keyed}
    assert texts["who/lakare/ovriga-medel/2018"] == "35,4"
    assert texts["who/sjukskoterskor-barnmorskor/sverige-mot-ovriga/2018"] == "10\u00a0procent färre än"
    assert texts["patientenkat/kontinuitet-koordinering/riket/totalt/2017"] == "70,8\u00a0procent"


def test_chapter_prose_numbers_are_keyed(default_store):
    """Every number 3.2's 'Det viktigaste' writes is a keyed number: remove the keyed texts and no digit is left
    but the years and the unit's 10 000."""
    import re

    md = helhet.key_points(default_store).markdown
    shown = sorted({r.text for r in numbers.take() if r.kind == "text"}, key=len, reverse=True)
    rest = md
    for t in shown:
        rest = rest.replace(t, "")
    rest = re.sub(r"\b(19|20)\d{2}\b", "", rest).replace("10\u00a0000", "")
    assert not re.search(r"\d", rest), rest
