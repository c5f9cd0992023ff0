"""Numbers with identities: keys, records travelling in notebook outputs, chart rows and verdicts keyed, and keys that
survive rewording of a chapter's sentences."""
from __future__ import annotations


import altair as alt
import nbformat
import pandas as pd
import pytest

from tillit.report import charts, numbers
from tests.chapters.conftest import reworded
from tillit.report.chapters import ledarskap


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
