"""The print edition: the PDF opens, has one outline entry per page of the book in order, contents with the right
page numbers, chapter titles and a chart's axis label as text, an edition line on the title page, and drawn pages."""
from __future__ import annotations

import json
import re
import subprocess

import nbformat
import pytest

from tests.conftest import ROOT
from tillit.build import pdf

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="session")
def book_pdf(tmp_path_factory):
    """The PDF `tillit build` wrote next to the book; built once here when it is missing."""
    built = ROOT / "_build" / "html" / pdf.PDF_NAME
    if built.is_file():
        return built
    if not (ROOT / "_build" / "html" / "book" / "index.html").is_file():
        pytest.fail("the book is not built: run `tillit build` first")
    return pdf.build(ROOT, tmp_path_factory.mktemp("pdf") / pdf.PDF_NAME).path


@pytest.fixture(scope="session")
def reader(book_pdf):
    return pypdf.PdfReader(book_pdf)


@pytest.fixture(scope="session")
def outline(reader):
    """(title, 0-based page) of each top-level outline entry."""
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline
            if not isinstance(item, list)]


def _page_titles() -> list[str]:
    from bs4 import BeautifulSoup

    titles = []
    for page, _ in pdf.toc_pages(ROOT):
        soup = BeautifulSoup((ROOT / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        h1 = soup.select_one("article.bd-article h1")
        for a in h1.select("a.headerlink"):
            a.decompose()
        titles.append(h1.get_text(" ", strip=True))
    return titles


def test_one_outline_entry_per_page_in_book_order(outline):
    assert [t for t, _ in outline] == _page_titles()
    pages = [p for _, p in outline]
    assert pages == sorted(pages) and pages[0] >= 2  # title page and contents first


def test_each_chapter_starts_with_its_title_as_text(reader, outline):
    for title, page in outline:
        text = " ".join(reader.pages[page].extract_text().split())
        assert " ".join(title.split()) in text, (title, page)


def test_contents_give_each_chapters_page_number(reader, outline):
    contents = " ".join(" ".join(reader.pages[i].extract_text().split()) for i in range(1, outline[0][1]))
    assert contents.startswith("Innehåll")
    for title, page in outline:
        assert re.search(re.escape(" ".join(title.split())) + r"[ .…]*" + str(page + 1) + r"\b", contents), title


def test_title_page_names_edition_and_commit(reader):
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Det goda mötet" in first
    assert re.search(r"(Utgåva \d{4}-\d{2}-\d{2}(-\d+)?|Ingen frusen utgåva ännu) · tryckt \d{4}-\d{2}-\d{2} från "
                     r"commit \w+", first), first


def _axis_titles(node) -> list[str]:
    if isinstance(node, dict):
        found = [a["title"] for a in node.get("axes", []) if isinstance(a, dict) and isinstance(a.get("title"), str)]
        for value in node.values():
            found += _axis_titles(value)
        return found
    if isinstance(node, list):
        return [t for item in node for t in _axis_titles(item)]
    return []


def _first_axis_title() -> tuple[str, str]:
    """(chapter title, an axis title) from the first chart spec in 2.1's executed notebook."""
    nb = nbformat.read(ROOT / "notebooks" / "2-1-medarbetarna.ipynb", as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "")
            m = re.search(r'<script type="application/json"[^>]*id="spec-[^"]+">(.*?)</script>', html, re.S)
            if m:
                spec = json.loads(m.group(1).replace("<\\/", "</"))
                for title in _axis_titles(spec):  # compiled Vega: axes, also inside nested group marks
                    if len(title) > 8:
                        return nb.cells[0].source.lstrip("# ").strip(), title
    pytest.fail("no chart with an axis title in 2.1")


def test_a_charts_axis_label_is_text(reader, outline):
    chapter, axis = _first_axis_title()
    starts = [p for _, p in outline]
    i = [t for t, _ in outline].index(chapter)
    pages = range(starts[i], starts[i + 1])
    assert any(axis in " ".join(reader.pages[p].extract_text().split()) for p in pages), axis


def test_a_rendered_chart_page_is_not_blank(book_pdf, outline, tmp_path):
    from PIL import Image

    page = outline[1][1] + 1  # the second chapter's first page (1-based for pdftoppm)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-gray", "-f", str(page), "-l", str(page), str(book_pdf),
                    str(tmp_path / "p")], check=True, timeout=120)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    dark = sum(image.histogram()[:200])
    assert dark / (image.width * image.height) > 0.01
