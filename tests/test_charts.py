"""Chart figures: source line with secondary sources marked, table and CSV of exactly the plotted data, no CDN."""
import io
import json
import re
import urllib.parse

import altair as alt
import pandas as pd

from tillit.report import charts

PROV = pd.DataFrame({
    "source_publisher": ["SCB", "Läkartidningen"],
    "source_title": ["SCB: Sjuklöner", "Läkartidningen 2018-03: Hyrpersonal"],
    "source_url": ["https://scb.se/x", "https://lakartidningen.se/y"],
    "source_type": ["primary", "secondary"],
})


def make(data=None):
    data = data if data is not None else pd.DataFrame({"år": [2016, 2017], "grupp": ["<b>A</b>", "B"], "procent": [4.6, 1234.25]})
    chart = alt.Chart(data).mark_bar().encode(x="år:O", y="procent:Q")
    return charts.figure(chart, name="Test ÅÄÖ", title="Titel", finding="Fyndet.", data=data, provenance=PROV,
                         alt="Stapeldiagram: test", headers={"år": "År"})


def test_source_line_marks_secondary_sources():
    line = charts.source_line(PROV)
    assert line.startswith('Källa: <a href="https://scb.se/x">SCB: Sjuklöner</a>.')
    assert "Sekundärkälla" in line and "Läkartidningen 2018-03: Hyrpersonal" in line


def test_figure_has_title_subtitle_source_table_csv_and_alt_text():
    fig = make()
    assert fig.name == "test-aao"
    assert fig.spec["title"] == {"text": "Titel", "subtitle": ["Fyndet."]}
    assert 'role="img" aria-label="Stapeldiagram: test"' in fig.html
    assert "Sekundärkälla" in fig.html
    assert '<td class="num">1\u00a0234,2</td>' in fig.html or '<td class="num">1\u00a0234,3</td>' in fig.html
    assert "&lt;b&gt;A&lt;/b&gt;" in fig.html and "<b>A</b>" not in fig.html.split("<details")[1]
    href = re.search(r'href="(data:text/csv;charset=utf-8,[^"]+)"', fig.html).group(1)
    csv = urllib.parse.unquote(href.split(",", 1)[1])
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(csv)), fig.data.reset_index(drop=True))


def test_no_cdn_and_deterministic_output():
    a, b = make(), make()
    assert a.html == b.html
    assert not re.search(r"cdn\.jsdelivr|unpkg\.com|cdnjs", a.html)
    assert "<script src" not in a.html


def test_chart_output_changes_with_one_value():
    data = pd.DataFrame({"år": [2016, 2017], "grupp": ["A", "B"], "procent": [4.6, 5.2]})
    other = data.assign(procent=[4.6, 5.3])
    assert make(data).html != make(other).html


def test_alt_text_names_highest_and_lowest():
    frame = pd.DataFrame({"landsting": ["X", "Y", "Z"], "procent": [5.0, 7.25, 4.5]})
    desc = charts.alt_text("Stapeldiagram", "Sjukfrånvaro", "Y högst.", frame, "procent", "landsting", "procent")
    assert desc == "Stapeldiagram: Sjukfrånvaro. Y högst. Högst: Y 7,2\u00a0procent. Lägst: Z 4,5\u00a0procent." or \
        desc == "Stapeldiagram: Sjukfrånvaro. Y högst. Högst: Y 7,3\u00a0procent. Lägst: Z 4,5\u00a0procent."


def test_theme_is_colourblind_safe_palette():
    assert alt.theme.active == "tillit"
    assert charts.theme()["config"]["range"]["category"] == charts.PALETTE


def test_table_cells_are_separate_words_for_the_search_index():
    """Sphinx indexes raw HTML by deleting the tags: neighbouring cells must not run together ("6,4Stockholm")."""
    data = pd.DataFrame({"landsting": ["Stockholm", "Västernorrland"], "procent": [6.3, 6.1]})
    fig = make(data)
    table = fig.html.split("<details", 1)[1]
    stripped = re.sub(r"<[^<]+?>", "", table)
    words = re.findall(r"[\w,]+", stripped)
    assert "Stockholm" in words and "6,3" in words and "Västernorrland" in words and "6,1" in words


def test_figure_markup_is_valid_and_works_before_drawing():
    fig = make()
    # the caption is the figure's last child; the table comes after the figure, in the same card
    figure = re.search(r"<figure[^>]*>(.*?)</figure>", fig.html, re.S).group(1)
    assert figure.rstrip().endswith("</figcaption>") and "<details" not in figure
    assert fig.html.index("</figure>") < fig.html.index("<details")
    # no inline code: the spec is data, drawn later by _static/tillit-charts.js
    assert "<script>" not in fig.html and 'type="application/json"' in fig.html
    spec = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', fig.html, re.S).group(1))
    assert "marks" in spec and "$schema" not in spec  # compiled Vega, and no outside address in the page
    height = int(re.search(r'class="tillit-placeholder"[^>]*height="(\d+)"', fig.html).group(1))
    assert height > 100


def test_with_gaps_inserts_an_empty_row_for_each_skipped_year_per_series():
    import pandas as pd

    from tillit.report.charts import with_gaps

    frame = pd.DataFrame({"år": [2012, 2013, 2016, 2012, 2014], "grupp": ["a", "a", "a", "b", "b"],
                          "procent": [1.0, 2.0, 3.0, 4.0, 5.0]})
    out = with_gaps(frame, "år", "procent", "grupp")
    a = out[out.grupp == "a"]
    assert a["år"].tolist() == [2012, 2013, 2014, 2015, 2016]
    assert a["procent"].isna().tolist() == [False, False, True, True, False]
    assert out[out.grupp == "b"]["år"].tolist() == [2012, 2013, 2014]
    assert len(out) == len(frame) + 3


def test_with_gaps_leaves_a_complete_series_alone():
    import pandas as pd

    from tillit.report.charts import with_gaps

    frame = pd.DataFrame({"år": [2015, 2016, 2017], "procent": [1.0, 2.0, 3.0]})
    assert with_gaps(frame, "år", "procent") is frame


def test_a_gapped_line_breaks_in_the_compiled_chart():
    import altair as alt
    import pandas as pd

    from tillit.report.charts import BREAK_AT_GAPS, compile_to_vega, with_gaps

    frame = with_gaps(pd.DataFrame({"år": [2012, 2014], "procent": [1.0, 2.0]}), "år", "procent")
    spec = alt.Chart(frame).mark_line(invalid=BREAK_AT_GAPS).encode(x="år:O", y="procent:Q").to_dict()
    vega = compile_to_vega(spec)
    assert spec["mark"]["invalid"] == BREAK_AT_GAPS
    assert "defined" in json.dumps(vega)   # Vega draws the line only where the value is defined


def test_a_long_title_is_drawn_on_several_lines_and_a_short_one_as_is():
    long = "Läkare per 10 000 invånare i IHP-länderna 2018 (motsvarar betänkandets figur 3.4, men med WHO:s uppgifter)"
    lines = charts.alt_title(long, "F").to_dict()["text"]
    assert isinstance(lines, list) and len(lines) == 2 and " ".join(lines) == long
    assert all(len(line) <= charts.TITLE_WIDTH for line in lines)
    assert charts.alt_title("Titel", "F").to_dict()["text"] == "Titel"
