"""The book's Sphinx extension: meta descriptions from the first sentence, Swedish stemming alike in Python and in
the browser."""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from tillit.build.bookext import SearchSwedishInflected, first_sentence

WORDS = ["sjukfrånvaro", "sjukfrånvaron", "sjukfrånvarons", "landsting", "landstingen", "organisation",
         "organisationen", "kvinna", "kvinnan", "personalomsättning", "personalomsättningen", "läkare", "läkarna",
         "region", "regionerna", "tillit", "tilliten", "medborgaren", "medborgare", "kompetensförsörjning", "man",
         "lön", "lönen", "an", "bemanning", "bemanningen", "sjukskrivningen", "studien", "kommunen", "kommun"]


def _doc(rst: str) -> nodes.document:
    doc = new_document("<test>", get_default_settings(Parser))
    Parser().parse(rst, doc)
    return doc


def test_first_sentence_skips_titles_and_abbreviations():
    doc = _doc("Rubrik\n======\n\nKort.\n\nSjukfrånvaron i kommunerna, t.ex. bland undersköterskor, steg 2020. "
               "Nästa mening.\n")
    assert first_sentence(doc) == "Sjukfrånvaron i kommunerna, t.ex. bland undersköterskor, steg 2020."
    assert first_sentence(None) == ""


def test_long_first_sentence_is_cut_at_a_word():
    doc = _doc("Ord " * 200 + "slut.\n")
    text = first_sentence(doc)
    assert len(text) <= 302 and text.endswith(" …") and not text.startswith(" ")


def test_definite_forms_stem_like_the_base_form():
    lang = SearchSwedishInflected({})
    assert lang.stem("sjukfrånvaron") == lang.stem("sjukfrånvaro") == lang.stem("Sjukfrånvaron")
    assert lang.stem("organisationen") == lang.stem("organisation")
    assert lang.stem("kvinnan") == lang.stem("kvinna")
    assert lang.stem("landstingen") == lang.stem("landsting")
    assert lang.stem("lön") != lang.stem("lo")  # short words keep their n


def test_browser_stemmer_agrees_with_the_index():
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed")
    script = SearchSwedishInflected.js_stemmer_code + (
        "\nvar s = new Stemmer(); var words = JSON.parse(process.argv[1]);"
        "\nconsole.log(JSON.stringify(words.map(function (w) { return s.stemWord(w.toLowerCase()); })));")
    out = subprocess.run([node, "-e", script, json.dumps(WORDS)], capture_output=True, text=True, check=True).stdout
    lang = SearchSwedishInflected({})
    assert json.loads(out) == [lang.stem(w) for w in WORDS]


def test_lean_pages_inlines_icons_drops_bulk_and_writes_a_root_page(tmp_path):
    import pydata_sphinx_theme

    from tillit.build.book import lean_pages

    fa = (pathlib.Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts"
          / "fontawesome.js")
    (tmp_path / "_static" / "scripts").mkdir(parents=True)
    shutil.copyfile(fa, tmp_path / "_static" / "scripts" / "fontawesome.js")
    (tmp_path / "book").mkdir()
    head = ('<script defer src="../_static/scripts/fontawesome.js?digest=abc"></script>\n'
            '<script src="../_static/searchtools.js"></script>\n<script src="../searchindex.js"></script>\n')
    (tmp_path / "book" / "a.html").write_text(
        f"<html><head>{head}</head><body><button><i class=\"fa-solid fa-bars\"></i></button>"
        '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Ljust"></i>'
        '<i class="not-an-icon"></i></body></html>', encoding="utf-8")
    (tmp_path / "search.html").write_text(f"<html><head>{head.replace('../', '')}</head></html>", encoding="utf-8")
    (tmp_path / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/a.html" />')
    counts = lean_pages(tmp_path, title="Det goda mötet")
    page = (tmp_path / "book" / "a.html").read_text(encoding="utf-8")
    assert counts["icons"] == 2 and "fontawesome.js" not in page and "searchindex.js" not in page
    assert '<svg class="svg-inline--fa fa-bars"' in page and 'viewBox="0 0 448 512"' in page
    assert 'data-mode="light"' in page and "<title>Ljust</title>" in page and '<i class="not-an-icon"></i>' in page
    search = (tmp_path / "search.html").read_text(encoding="utf-8")
    assert "searchindex.js" in search and "fontawesome.js" not in search  # the search page keeps its search code
    root = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert root.startswith("<!DOCTYPE html>") and '<html lang="sv">' in root and "<title>Det goda mötet</title>" in root
    assert 'content="0; url=book/a.html"' in root and '<a href="book/a.html">' in root
