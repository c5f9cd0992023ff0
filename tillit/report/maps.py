"""Maps of Sweden's län: the boundaries compiled once into one shared static file, and `lan_choropleth()`, a figure like the charts'."""
from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd

from tillit.report import text
from tillit.tables.catalog import vocab
from tillit.core.files import repo_root
from tillit.report.charts import HIGHLIGHT, figure

GEO_FILE = "_static/tillit-lan.json"          # one file the pages share (the browser caches it), not inlined
GEO_SOURCE = "Kartunderlag: okfse/sweden-geojson (förenklat från Valmyndighetens data)"
GEO_DECIMALS = 3                              # ~100 m: plenty for a page-wide map of the whole country
MISSING_FILL = "#E0E0E0"
SCHEME = "blues"                              # one hue, light to dark: readable with every common colour-vision deficiency
SCHEME_EXTENT = [0.25, 1.0]                   # the palest blues left out: the lowest value stays blue beside a grey län
DIVERGING_SCHEME = "blueorange"               # a change around zero: blue below, orange above (colour-vision safe)


def default_geo_source() -> Path:
    return repo_root().parent / "shared" / "geo" / "swedish_regions.geojson"


def _round(coords, decimals: int):
    if isinstance(coords[0], (int, float)):
        return [round(float(c), decimals) for c in coords[:2]]
    return [_round(c, decimals) for c in coords]


def _ring_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])) / 2


def _d3_winding(geometry: dict) -> dict:
    """Rings wound as d3-geo (Vega's projections) reads them: outer rings clockwise, holes anticlockwise. GeoJSON
    (RFC 7946) winds them the other way, and d3 then fills the whole globe except the län."""
    def polygon(rings):
        out = []
        for i, ring in enumerate(rings):
            clockwise = _ring_area(ring) < 0
            out.append(ring if clockwise == (i == 0) else ring[::-1])
        return out

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geometry["coordinates"]]}
    raise ValueError(f"unexpected geometry {geometry['type']!r}")


def compile_geo(source: Path | None = None, target: Path | None = None, decimals: int = GEO_DECIMALS) -> Path:
    """The 21 län from ../shared/geo as one compact GeoJSON keyed by the project's län code ("01" … "25")."""
    source = Path(source) if source else default_geo_source()
    target = Path(target) if target else repo_root() / GEO_FILE
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no län boundaries here (../shared/geo/swedish_regions.geojson)")
    raw = json.loads(source.read_text(encoding="utf-8"))
    regions = vocab("region")
    features = []
    for i, feat in enumerate(raw.get("features") or [], 1):
        props = feat.get("properties") or {}
        if "l_id" not in props:
            raise ValueError(f"{source}: feature {i} has no properties.l_id (the län code)")
        code = f"{int(props['l_id']):02d}"
        if code not in regions or code == "00":
            raise ValueError(f"{source}: feature {i}: {props['l_id']!r} is not a län code")
        geometry = _d3_winding({"type": feat["geometry"]["type"],
                                "coordinates": _round(feat["geometry"]["coordinates"], decimals)})
        features.append({"type": "Feature", "properties": {"region_code": code, "namn": regions.label(code)},
                         "geometry": geometry})
    missing = sorted(set(regions.labels) - {"00"} - {f["properties"]["region_code"] for f in features})
    if missing:
        raise ValueError(f"{source}: no boundary for län {', '.join(missing)}")
    features.sort(key=lambda f: f["properties"]["region_code"])
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body + "\n", encoding="utf-8")
    return target


def label_point(code: str, geo: Path | None = None) -> tuple[float, float] | None:
    """(longitude, latitude) to write a län's name at: the middle of the bounding box of its largest polygon, from
    the compiled boundary file; None when the file or the län is missing."""
    path = Path(geo) if geo else repo_root() / GEO_FILE
    if not path.is_file():
        return None
    for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
        if feat["properties"]["region_code"] != code:
            continue
        geometry = feat["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        ring = max((p[0] for p in polygons), key=lambda r: abs(_ring_area(r)))
        xs, ys = [c[0] for c in ring], [c[1] for c in ring]
        return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return None


def lan_choropleth(frame: pd.DataFrame, value_column: str, *, name: str, title: str, finding: str,
                   unit: str = "", highlight: str | None = None, decimals: int = 1, depth: int = 1,
                   legend_title: str | None = None, height: int = 520, diverging: bool = False,
                   label_highlight: bool = False):
    """A choropleth of the län: `frame` has `region_code` (two digits; "00" riket is left out of the map), the value
    column and the provenance columns. `highlight` outlines one län (a region page's own); with `label_highlight`
    its name is also written next to it. `depth` is how many folders below the book root the page lies (1 for
    notebooks/…, 2 for notebooks/regioner/…), for the shared boundary file. `diverging` is for a change around zero
    (blue for a fall, orange for a rise, a domain symmetric around zero so that white means no change). Returns a
    charts.Figure: source line (with the map's own), table of values and CSV, alt text. A title may hold line breaks
    (one line each in the chart, spaces in the caption)."""
    regions = vocab("region")
    data = frame[frame.region_code != "00"].copy()
    if data.region_code.duplicated().any():
        dup = data.region_code[data.region_code.duplicated()].iloc[0]
        raise ValueError(f"lan_choropleth: län {dup} appears twice; give one row per län")
    data["län"] = [regions.label(c) for c in data.region_code]
    values = data[["region_code", "län", value_column]].rename(columns={value_column: "värde"})
    values["värde"] = values["värde"].astype(float)
    fmt = f",.{decimals}f"
    geo = alt.Data(url="../" * depth + GEO_FILE, format=alt.DataFormat(type="json", property="features"))
    lookup = alt.LookupData(alt.Data(values=values.to_dict("records")), key="region_code", fields=["län", "värde"])
    base = (alt.Chart(geo).transform_lookup(lookup="properties.region_code", from_=lookup)
            .transform_calculate(namn="datum.properties.namn",   # the tooltip's value: 'uppgift saknas' for a grey län
                                 visat=f"isValid(datum.värde) ? format(datum.värde, '{fmt}') : 'uppgift saknas'")
            .project(type="transverseMercator", rotate=[-15, 0, 0]))
    shown = values.värde.dropna()
    if diverging:
        reach = float(shown.abs().max()) if len(shown) else 1.0
        scale = alt.Scale(scheme=DIVERGING_SCHEME, domain=[-reach, reach])
    else:
        scale = alt.Scale(scheme=alt.SchemeParams(name=SCHEME, extent=SCHEME_EXTENT),
                          domain=[float(shown.min()), float(shown.max())] if len(shown) else None)
    fill = alt.condition("isValid(datum.värde)", alt.Color("värde:Q", scale=scale, title=legend_title or unit or "värde",
                                                          legend=alt.Legend(format=fmt, orient="right", direction="vertical",
                                                                            gradientLength=220)),
                         alt.value(MISSING_FILL))
    layers = [base.mark_geoshape(stroke="white", strokeWidth=0.8, invalid="show").encode(
        color=fill, tooltip=[alt.Tooltip("namn:N", title="Län"), alt.Tooltip("visat:N", title=legend_title or "Värde")])]
    if highlight and highlight != "00":
        layers.append(base.mark_geoshape(fill=None, stroke=HIGHLIGHT, strokeWidth=3)
                      .transform_filter(f"datum.properties.region_code == '{highlight}'"))
        point = label_point(highlight) if label_highlight else None
        if point:
            spot = pd.DataFrame({"lon": [point[0]], "lat": [point[1]], "namn": [regions.label(highlight)]})
            layers.append(alt.Chart(spot).mark_text(align="left", dx=14, fontSize=14, fontWeight=700,
                                                    color=HIGHLIGHT, stroke="white", strokeWidth=3, strokeOpacity=0.9)
                          .encode(longitude="lon:Q", latitude="lat:Q", text="namn:N"))
            layers.append(alt.Chart(spot).mark_text(align="left", dx=14, fontSize=14, fontWeight=700,
                                                    color=HIGHLIGHT)
                          .encode(longitude="lon:Q", latitude="lat:Q", text="namn:N"))
    # a län without a value is drawn grey: by default Vega-Lite leaves it out (or colours it as the lowest value)
    chart = (alt.layer(*layers).properties(height=height)
             .configure(lineBreak="\n", scale=alt.ScaleConfig(invalid={"color": {"value": MISSING_FILL}})))
    missing = sorted(set(regions.labels) - {"00"} - set(values.region_code[values.värde.notna()]))
    alt_desc = _alt(title.replace("\n", " "), finding, values, unit, decimals, highlight, missing)
    table = values.drop(columns="region_code").sort_values("värde", ascending=False, na_position="last")
    provenance = frame[[c for c in frame.columns if c.startswith("source_")]]
    header = legend_title or "Värde"
    if unit and unit not in header:
        header = f"{header}, {unit}"
    fig = figure(chart, name=name, title=title, finding=finding, data=table.rename(columns={"värde": value_column}),
                 provenance=provenance, alt=alt_desc, headers={"län": "Län", value_column: header},
                 decimals=decimals)
    fig.html = fig.html.replace("</span></figcaption>",
                                f" {GEO_SOURCE}."
                                + (" Grå län saknar uppgift." if missing else "") + "</span></figcaption>", 1)
    return fig


def _alt(title, finding, values, unit, decimals, highlight, missing) -> str:
    regions = vocab("region")
    shown = values.dropna(subset=["värde"])
    words = f"Karta över Sveriges län: {title}. {finding}"
    if len(shown):
        hi, lo = shown.loc[shown.värde.idxmax()], shown.loc[shown.värde.idxmin()]
        u = f"\u00a0{unit}" if unit else ""
        words += (f" Högst: {hi['län']} {text.number(hi.värde, decimals)}{u}. "
                  f"Lägst: {lo['län']} {text.number(lo.värde, decimals)}{u}.")
    if highlight and highlight != "00":
        row = values[values.region_code == highlight]
        value = row.värde.iloc[0] if len(row) else None
        words += (f" {regions.label(highlight)} är markerat" + (f" ({text.number(value, decimals)}{chr(160) + unit if unit else ''})."
                                                                 if value is not None and pd.notna(value) else ", uppgift saknas."))
    if missing:
        words += f" Uppgift saknas för {text.listing([regions.label(c) for c in missing])}."
    return words


def helhetsintryck_map(db, highlight: str | None = None, depth: int = 1):
    """Section: the latest national Nationell Patientenkät measurement of helhetsintryck per län, as a map (a region
    page outlines and names its own län), with sentences computed from the data and every number in them keyed
    (tillit.report.numbers). Used by the region pages."""
    from tillit.report import numbers
    from tillit.report.chapters import Section, missing

    absent = "Helhetsintrycket i Nationell Patientenkät finns inte i bokens data."
    if not db.has_table("patientenkat_helhetsintryck"):
        return missing(absent)
    frame = db.sql("""SELECT period, region_code, value, source_publisher, source_title, source_url, source_type
                      FROM patientenkat_helhetsintryck WHERE measurement = 'nationell'
                        AND period = (SELECT max(period) FROM patientenkat_helhetsintryck WHERE measurement = 'nationell')""")
    if frame.empty:
        return missing(absent)
    year = int(frame.period.iloc[0])
    regions = vocab("region")
    per = frame[frame.region_code != "00"].set_index("region_code").value
    hi, lo = per.idxmax(), per.idxmin()

    def pct(code: str, value: float) -> str:
        return numbers.percent(numbers.key("karta-helhetsintryck", regions.label(code), year), float(value))

    lines = [f"I den nationella mätningen {year} hade {pct(hi, per[hi])} av de svarande i "
             f"{regions.label(hi)} ett positivt helhetsintryck av primärvården, högst bland länen, och "
             f"{pct(lo, per[lo])} i {regions.label(lo)}, lägst."]
    riket = frame[frame.region_code == "00"].value
    if len(riket):
        lines.append(f"I riket var andelen {pct('00', riket.iloc[0])}.")
    if highlight and highlight != "00":
        if highlight in per.index:
            lines.append(f"{regions.label(highlight)} är markerat med orange kant och namn på kartan och hade "
                         f"{pct(highlight, per[highlight])}.")
        else:
            lines.append(f"För {regions.label(highlight)} saknas uppgift {year}.")
    finding = (f"Högst i {regions.label(hi)}, lägst i {regions.label(lo)}."
               if not highlight or highlight == "00" or highlight not in per.index
               else f"{regions.label(highlight)} (markerat): {pct(highlight, per[highlight])}.")
    provenance = frame
    fig = lan_choropleth(provenance, "value", name=f"karta-helhetsintryck-{year}-{highlight or 'alla'}",
                         title=f"Positivt helhetsintryck av\nprimärvården per län {year}",
                         finding=finding, unit="procent", legend_title="Andel positiva",
                         highlight=highlight, decimals=1, depth=depth, label_highlight=True)
    return Section(" ".join(lines), [fig])
