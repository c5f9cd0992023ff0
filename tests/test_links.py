"""Source links: only absolute http(s) URLs are accepted on the way in (import, fetch, compile, tables) and rendered."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from importkit import FIXTURES, checksums, project_copy  # noqa: E402

from tillit.core import links  # noqa: E402
from tillit.report import charts
from tillit.report.citations import source_cell  # noqa: E402
from tillit.cli_data import import_command  # noqa: E402
from tillit.core.errors import DataError, DataErrors  # noqa: E402

HOSTILE = {
    "javascript": "javascript:alert(2)",
    "mixed case": "JaVaScRiPt:alert(2)",
    "leading space": " javascript:alert(2)",
    "leading tab": "\tjavascript:alert(2)",
    "leading control": "\x01javascript:alert(2)",
    "newline inside the scheme": "java\nscript:alert(2)",
    "tab inside the scheme": "java\tscript:alert(2)",
    "zero-width space": "\u200bjavascript:alert(2)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgyKTwvc2NyaXB0Pg==",
    "vbscript": "vbscript:msgbox(2)",
    "protocol-relative": "//evil.example/x.js",
    "file": "file:///etc/passwd",
    "relative": "sidan.html",
    "no host": "https:///path",
    "no slashes": "https:evil.example",
    "quote breaks out of the attribute": 'https://x.example/" onmouseover="alert(2)',
    "trailing space": "https://www.scb.se/ ",
    "leading http space": " https://www.scb.se/",
}
GOOD = ["https://www.scb.se/hitta-statistik/?a=1&b=2#del", "HTTP://EXAMPLE.ORG/", "http://2010.ewi-jaarverslag.be/en",
        "http://www.metro.se/nyheter/tidsnod/HdzphD!Y1W3CuU1lQsxE6vIqVOFQ/", "https://sv.wikipedia.org/wiki/A_(b)"]


@pytest.mark.parametrize("url", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_urls_are_refused(url):
    with pytest.raises(links.UnsafeUrl):
        links.check_url(url)
    assert links.safe_href(url) is None


@pytest.mark.parametrize("url", GOOD)
def test_plain_http_urls_pass_unchanged(url):
    assert links.check_url(url) == url == links.safe_href(url)


def test_missing_urls_are_missing_not_errors():
    assert links.check_url(None) is None and links.check_url("") is None and links.check_url(float("nan")) is None


def test_the_message_says_what_is_wrong():
    with pytest.raises(links.UnsafeUrl, match=r"scheme 'javascript:'.*only http and https"):
        links.check_url("JaVaScRiPt:alert(2)")
    with pytest.raises(links.UnsafeUrl, match="protocol-relative"):
        links.check_url("//evil.example/x")
    with pytest.raises(links.UnsafeUrl, match="U\\+0009"):
        links.check_url("\tjavascript:alert(2)")


# --- render: defence in depth (data that slipped past the checks is shown as text, never linked) -----------------

def _prov(url: str) -> pd.DataFrame:
    return pd.DataFrame([{"source_publisher": "SCB", "source_title": "SCB: Sjukfrånvaro", "source_url": url,
                          "source_type": "primary"}])


@pytest.mark.parametrize("url", HOSTILE.values(), ids=HOSTILE.keys())
def test_chart_source_line_never_links_a_hostile_url(url):
    line = charts.source_line(_prov(url))
    assert "<a " not in line and "href" not in line
    assert "Sjukfrånvaro" in line


def test_chart_source_line_links_http():
    assert '<a href="https://www.scb.se/x?a=1&amp;b=2">' in charts.source_line(_prov("https://www.scb.se/x?a=1&b=2"))


@pytest.mark.parametrize("url", HOSTILE.values(), ids=HOSTILE.keys())
def test_markdown_source_cells_never_link_a_hostile_url(url):
    rows = pd.DataFrame([{"source_publisher": "Metro", "source_url": url, "source_type": "secondary"}])
    assert source_cell(rows) == "Metro (sekundärkälla)"
    assert links.md_link("Metro", url) == "Metro"


def test_markdown_link_keeps_parentheses_inside_the_destination():
    assert links.md_link("W", "https://sv.wikipedia.org/wiki/A_(b)") == "[W](<https://sv.wikipedia.org/wiki/A_(b)>)"
    assert links.md_link("W", "https://x.se/a") == "[W](https://x.se/a)"


# --- on the way in ------------------------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, tmp_path_factory) -> Path:
    project_copy(tmp_path_factory, tmp_path / "project")
    return tmp_path / "project"


@pytest.mark.parametrize("url", ["javascript:alert(2)", "JaVaScRiPt:alert(2)", " javascript:alert(2)",
                                 "data:text/html,x", "vbscript:x", "//evil.example/x"])
def test_import_refuses_a_hostile_source_url_and_writes_nothing(project, url):
    before = checksums(project)
    result = CliRunner().invoke(import_command, [str(FIXTURES / "oj_datalista.csv"), "--table", "sjukfranvaro_landsting",
                                                 "--source-url", url, "--data", str(project / "data")])
    assert result.exit_code == 1, result.output
    assert "oj_datalista.csv, column 'source_url': source address refused" in result.output
    assert "Traceback" not in result.output
    assert checksums(project) == before


def test_a_table_file_with_a_hostile_url_is_refused_row_and_column(project):
    """A hand-edited data/tables CSV is validated by `tillit build`/`validate`: the bad cell is named."""
    from tillit.tables.validate import load_table

    path = project / "data" / "tables" / "sjukfranvaro_landsting.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[3, "source_url"] = "JaVaScRiPt:alert(2)"
    frame.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(DataErrors) as err:
        load_table("sjukfranvaro_landsting", project / "data")
    (only,) = err.value.errors
    assert only.row == 5 and only.column == "source_url" and "http(s)" in only.message


def test_compiling_facts_with_a_hostile_url_names_the_facts_file_row_and_column():
    from tillit.ingest.facts import with_provenance

    facts = pd.DataFrame([
        {"source_title": "SCB: A", "source_url": "https://www.scb.se/", "source_type": "primary", "_file": "x.csv", "_line": 2},
        {"source_title": "SCB: B", "source_url": "javascript:alert(2)", "source_type": "primary", "_file": "x.csv", "_line": 3},
    ])
    with pytest.raises(DataError) as err:
        with_provenance([{"value": 1}, {"value": 2}], facts, [0, 1])
    assert (err.value.file, err.value.row, err.value.column) == ("facts/x.csv", 3, "source_url")
    assert "javascript:" in err.value.message


def test_fetch_refuses_a_base_url_that_is_not_http(tmp_path):
    from tillit.ingest.fetch import FetchError, fetch

    with pytest.raises(FetchError, match="base URL refused"):
        fetch("jobtech", data=tmp_path, base="javascript:alert(2)", dataset="yrkesprognoser")
