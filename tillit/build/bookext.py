"""Sphinx extension for the book: chart scripts only on pages with charts, a meta description per page, Swedish search
that matches inflected forms."""
from __future__ import annotations

import html
import re
from pathlib import Path

import snowballstemmer
from docutils import nodes
from sphinx.search.sv import SearchSwedish

# Our scripts that Jupyter Book would otherwise add to every page (it lists every *.js under _static/); the chart
# script is added, deferred, only to pages that have a chart, and it fetches the Vega runtime itself.
PER_PAGE_SCRIPTS = {"tillit-charts.js", "vega-bundle.js"}
CHART_MARKER = 'class="tillit-vega"'
DESCRIPTION_MAX = 300
# a sentence ends at . ! or ? followed by a space and a capital letter or digit (so "t.ex. att" does not end it)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"“«])")
_VOWELS = "aeiouyåäö"


def _js_name(entry) -> str:
    return entry[0] if isinstance(entry, (tuple, list)) else str(entry)


def drop_per_page_scripts(app, config) -> None:
    config.html_js_files = [e for e in config.html_js_files if _js_name(e) not in PER_PAGE_SCRIPTS]


def first_sentence(doctree: nodes.document | None) -> str:
    """The first sentence of the page's first paragraph of prose (not a table, caption or admonition title)."""
    if doctree is None:
        return ""
    for para in doctree.findall(nodes.paragraph):
        if any(isinstance(a, (nodes.table, nodes.caption, nodes.title, nodes.admonition, nodes.footnote,
                              nodes.citation, nodes.field_list, nodes.docinfo)) for a in _ancestors(para)):
            continue
        text = " ".join(para.astext().split())
        if len(text) < 20:
            continue
        sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
        if len(sentence) > DESCRIPTION_MAX:
            sentence = sentence[:DESCRIPTION_MAX].rsplit(" ", 1)[0] + " …"
        return sentence
    return ""


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


# The one head script that inline scripts after it need at once (DOCUMENTATION_OPTIONS.pagename = …).
KEEP_BLOCKING = {"_static/documentation_options.js"}


def defer_head_scripts(scripts: list) -> list:
    """The page's script files, deferred: they wait for no one but, as plain <script src> in <head>, each one held up
    the first paint. Deferred scripts still run in their order, before DOMContentLoaded, which is when the theme's and
    Sphinx's scripts start their work."""
    from sphinx.builders.html._assets import _JavaScript

    out = []
    for js in scripts:
        attrs = dict(getattr(js, "attributes", {}) or {})
        filename = getattr(js, "filename", js)
        if (filename and str(filename) not in KEEP_BLOCKING and not attrs.get("body")
                and "async" not in attrs and "defer" not in attrs):
            js = _JavaScript(filename, priority=getattr(js, "priority", 500), **attrs, defer="defer")
        out.append(js)
    return out


def page_context(app, pagename, templatename, context, doctree) -> None:
    if CHART_MARKER in (context.get("body") or ""):
        app.add_js_file("tillit-charts.js", loading_method="defer")
    # the search page loads Sphinx's search code after these, as plain scripts that need doctools.js at once
    if pagename != "search" and context.get("script_files"):
        context["script_files"] = defer_head_scripts(context["script_files"])
    description = first_sentence(doctree)
    if description:
        context["metatags"] = (context.get("metatags") or "") + \
            f'\n    <meta name="description" content="{html.escape(description, quote=True)}" />'


class SearchSwedishInflected(SearchSwedish):
    """Swedish search that also matches the definite form in -n: Snowball's Swedish stemmer reduces "landstingen"
    to "landsting" but leaves "sjukfrånvaron" whole, so a search for it missed pages that say "sjukfrånvaro".
    After Snowball, a final vowel + n loses its n and the word is stemmed once more. The same rule runs in the
    browser (js_stemmer_code), so the words in the index and the words searched for are stemmed alike."""

    js_stemmer_rawcode = ""  # the JS stemmer is inlined below, wrapped in the same extra rule

    def init(self, options) -> None:
        self.stemmer = snowballstemmer.stemmer("swedish")

    def stem(self, word: str) -> str:
        stem = self.stemmer.stemWord(word.lower())
        if len(stem) >= 6 and stem[-1] == "n" and stem[-2] in _VOWELS:
            stem = self.stemmer.stemWord(stem[:-1])
        return stem


def _js_stemmer() -> str:
    import sphinx

    js_dir = Path(sphinx.__file__).parent / "search" / "minified-js"
    base = (js_dir / "base-stemmer.js").read_text(encoding="utf-8")
    swedish = (js_dir / "swedish-stemmer.js").read_text(encoding="utf-8")
    return f"""{base}
{swedish}
/* Snowball's Swedish stemmer, then a final vowel + n drops its n and is stemmed again (tillit/build/bookext.py) */
var Stemmer = function () {{
  var snowball = new SwedishStemmer();
  this.stemWord = function (word) {{
    var stem = snowball.stemWord(word.toLowerCase());
    if (stem.length >= 6 && stem.charAt(stem.length - 1) === "n" && "{_VOWELS}".indexOf(stem.charAt(stem.length - 2)) >= 0) {{
      stem = snowball.stemWord(stem.slice(0, -1));
    }}
    return stem;
  }};
}};
"""


SearchSwedishInflected.js_stemmer_code = _js_stemmer()


def setup(app):
    app.connect("config-inited", drop_per_page_scripts)
    app.connect("html-page-context", page_context)
    app.add_search_language(SearchSwedishInflected)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
