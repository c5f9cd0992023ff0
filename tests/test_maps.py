"""Maps: the län boundaries compiled once into a shared static file (wound for d3), and the choropleth figure:
boundaries by URL (not inlined), a colour-blind-safe scale, Swedish number format, highlight, text alternative, table."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import ROOT
from tillit.report import maps

PROV = {"source_publisher": "SKR", "source_title": "Kolada KPI U71451", "source_url": "https://kolada.se",
        "source_type": "primary"}


def square(x, y, clockwise):
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return ring[::-1] if clockwise else ring


def test_compile_geo_keys_by_lan_code_and_winds_rings_for_d3(tmp_path):
    from tillit.tables.catalog import vocab

    codes = [c for c in vocab("region").labels if c != "00"]
    features = [{"type": "Feature", "properties": {"l_id": int(c), "name": "x"},
                 "geometry": {"type": "Polygon", "coordinates": [square(i, 0, clockwise=False)]}}
                for i, c in enumerate(codes)]
    src = tmp_path / "lan.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    out = json.loads(maps.compile_geo(src, tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [f["properties"]["region_code"] for f in out["features"]] == sorted(codes)
    ring = out["features"][0]["geometry"]["coordinates"][0]
    assert maps._ring_area(ring) < 0                                   # RFC 7946 anticlockwise → clockwise for d3
    src.write_text(json.dumps({"type": "FeatureCollection", "features": features[:-1]}), encoding="utf-8")
    with pytest.raises(ValueError, match="no boundary for län 25"):
        maps.compile_geo(src, tmp_path / "out.json")


@pytest.mark.skipif(not maps.default_geo_source().is_file(), reason="../shared/geo is not here")
def test_the_committed_static_file_is_the_compiled_shared_boundaries(tmp_path):
    fresh = maps.compile_geo(target=tmp_path / "lan.json").read_text(encoding="utf-8")
    assert fresh == (ROOT / maps.GEO_FILE).read_text(encoding="utf-8")


def frame(values: dict) -> pd.DataFrame:
    return pd.DataFrame([{"region_code": c, "value": v, **PROV} for c, v in values.items()])


def test_choropleth_reads_the_shared_file_and_marks_the_region():
    fig = maps.lan_choropleth(frame({"00": 80.0, "01": 82.5, "05": 78.4, "25": 85.0}), "value", name="test-karta",
                              title="Helhetsintryck 2023", finding="Högst i Norrbotten.", unit="procent",
                              highlight="05", depth=2)
    spec = json.dumps(fig.spec)
    assert '"url": "../../_static/tillit-lan.json"' in spec and "coordinates" not in spec   # not inlined
    assert '"scheme": {"name": "blues"' in spec and '",.1f"' in spec                          # sv format via the locale
    assert "datum.properties.region_code == '05'" in spec                                      # outline layer
    assert "Östergötland är markerat (78,4\u00a0procent)" in fig.alt
    assert "Högst: Norrbotten 85,0" in fig.alt and "Uppgift saknas för" in fig.alt
    assert "Riket" not in list(fig.data["län"])                                                # riket is no län
    assert "Grå län saknar uppgift." in fig.html and "okfse/sweden-geojson" in fig.html
    assert len(fig.html) < 20_000                                                              # the page carries no map


def test_lan_without_a_value_are_drawn_grey_not_dropped():
    """Vega-Lite leaves out rows whose colour field is empty unless the mark shows invalid values: the län without
    data would vanish from the map (and the map would shrink to the län that have it) instead of being grey."""
    import re

    fig = maps.lan_choropleth(frame({"01": 82.5, "05": 78.4, "25": float("nan")}), "value", name="test-grå",
                              title="Helhetsintryck 2023", finding="x", unit="procent")
    vega = json.loads(re.search(r'class="tillit-spec"[^>]*>(.*?)</script>', fig.html, re.S).group(1).replace("<\\/", "</"))
    filters = [t["expr"] for d in vega["data"] for t in d.get("transform") or [] if t.get("type") == "filter"]
    assert not any("isValid" in f for f in filters), filters
    assert "domain('color')" not in json.dumps(vega["marks"])   # nor coloured as the lowest value
    # the lowest value is a clear blue, not the palest one that a reader could take for the grey of a missing län
    assert fig.spec["layer"][0]["encoding"]["color"]["condition"]["scale"]["scheme"]["extent"][0] > 0
    assert maps.MISSING_FILL in json.dumps(fig.spec) and "Uppgift saknas för" in fig.alt and "Norrbotten" in fig.alt


def test_one_row_per_lan():
    with pytest.raises(ValueError, match="län 01 appears twice"):
        maps.lan_choropleth(pd.concat([frame({"01": 1.0}), frame({"01": 2.0})]), "value", name="x", title="x",
                            finding="x")


def test_region_map_section_from_the_default_data():
    from tillit.tables import store as store_mod

    section = maps.helhetsintryck_map(store_mod.connect(store_mod.build().path), "05", depth=2)
    assert section.markdown.startswith("I den nationella mätningen 2023 hade")
    assert "Östergötland är markerat med orange kant och namn på kartan och hade" in section.markdown
    assert section.figures[0].name == "karta-helhetsintryck-2023-05"


def test_a_diverging_map_is_symmetric_around_zero():
    """A change around zero: blue for a fall, orange for a rise, white where nothing changed (domain ±largest change)."""
    fig = maps.lan_choropleth(frame({"01": -3.3, "05": 2.0, "25": 0.0}), "value", name="test-forandring",
                              title="Förändring 2017–2022", finding="Mest minskade det i Stockholm.", unit="dagar",
                              diverging=True)
    spec = json.dumps(fig.spec)
    assert '"scheme": "blueorange"' in spec and '"domain": [-3.3, 3.3]' in spec
    plain = json.dumps(maps.lan_choropleth(frame({"01": -3.3, "05": 2.0}), "value", name="t2", title="T",
                                           finding="F").spec)
    assert '"scheme": {"name": "blues"' in plain and '"domain": [-3.3, 2.0]' in plain   # the default is unchanged


def test_a_highlighted_lan_is_named_on_the_map_and_the_table_has_plain_headers():
    fig = maps.lan_choropleth(frame({"00": 80.0, "09": 82.8, "05": 78.4, "25": 85.0}), "value", name="test-namn",
                              title="Helhetsintryck av\nprimärvården 2023", finding="Gotland 82,8.", unit="procent",
                              legend_title="Andel positiva", highlight="09", depth=2, label_highlight=True)
    spec = json.dumps(fig.spec, ensure_ascii=False)
    assert '"text": {"field": "namn"' in spec and '"Gotland"' in spec                 # the name beside the outline
    assert maps.label_point("09") is not None and maps.label_point("99") is None
    lon, lat = maps.label_point("09")
    assert 18 < lon < 19.5 and 56.8 < lat < 58.1                                       # on Gotland
    assert '<th scope="col">Län</th>' in fig.html and "Andel positiva, procent" in fig.html
    assert fig.spec["config"]["lineBreak"] == "\n" and "Helhetsintryck av primärvården 2023" in fig.alt
    plain = maps.lan_choropleth(frame({"05": 78.4}), "value", name="x", title="x", finding="x", highlight="05")
    assert '"type": "text"' not in json.dumps(plain.spec) and '"text": {"field"' not in json.dumps(plain.spec)
