"""The book's Content-Security-Policy: one <meta> per built page, allowing only the book's own files and known scripts.

The policy is written into each page after Jupyter Book has built it (the theme writes a few small inline scripts
into every page's <head>; they are allowed by their sha256, so any other inline script or event handler, for example
markup that slipped in with data, is refused by the browser). Nothing may be loaded from another host."""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

# The inline scripts the book may run, by where they come from. Each pattern matches a whole script body; a body
# that matches none is not hashed, so the browser refuses it (and `inline_scripts_not_allowed` reports it).
KNOWN_INLINE = [
    # pydata-sphinx-theme: colour mode and version switcher before the page paints
    re.compile(r'\s*document\.documentElement\.dataset\.mode = localStorage\.getItem\("mode"\) \|\| "[a-z]*";\s*'
               r'document\.documentElement\.dataset\.theme = localStorage\.getItem\("theme"\) \|\| "[a-z]*";\s*'),
    # pydata-sphinx-theme's search page: focus the search field
    re.compile(r'\s*// Activate the search field on page load\s*let searchInput = document\.querySelector\("form\.bd-search '
               r'input"\);\s*if \(searchInput\) \{\s*searchInput\.focus\(\);\s*searchInput\.select\(\);\s*'
               r'console\.log\("\[PST\]: Set focus on search field\."\);\s*\}\s*'),
    re.compile(r"\s*DOCUMENTATION_OPTIONS\.(pagename|search_as_you_type|show_version_warning_banner|theme_version|"
               r"theme_switcher_json_url|theme_switcher_version_match)\s*=\s*[^;<>]*;\s*"),
    # sphinx-togglebutton's settings
    re.compile(r"(let|var) (toggleHintShow|toggleHintHide|toggleOpenOnPrint|togglebuttonSelector) = '[^'<>]*';"),
    # a chart drawn when the page has loaded (tillit/report/charts.py); the name is a slug
    re.compile(r'window\.addEventListener\("load", function \(\) \{ tillitRender\("[a-z0-9-]+"\); \}\);'),
]
# Event-handler attributes the theme writes (print and full-screen buttons): allowed by hash with 'unsafe-hashes',
# which lets exactly these handler texts run and nothing else.
KNOWN_HANDLERS = {"window.print()", "toggleFullScreen()"}

BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # The theme and vega-embed set styles inline (style attributes and one <style> element per chart); styles cannot
    # run script, and with img-src/font-src/connect-src limited to the book itself they cannot send anything away.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-src": ["'none'"],
    "worker-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*("([^"]*)"|'([^']*)')""", re.I)
_META = re.compile(r'\n?<meta http-equiv="Content-Security-Policy"[^>]*>', re.I)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _is_inline_code(attrs: str) -> bool:
    if re.search(r"\bsrc\s*=", attrs, re.I):
        return False
    m = re.search(r"""\btype\s*=\s*["']?([^"'\s>]+)""", attrs, re.I)
    return (m.group(1).lower() if m else "") in _EXECUTABLE_TYPES


def inline_scripts(page: str) -> list[str]:
    """Bodies of the inline scripts a browser would run (not JSON data blocks, not external scripts)."""
    return [body for attrs, body in _SCRIPT.findall(page) if _is_inline_code(attrs)]


def handlers(page: str) -> list[str]:
    """Texts of inline event-handler attributes (onclick=…)."""
    outside_scripts = _SCRIPT.sub("", page)
    return [m.group(2) if m.group(2) is not None else m.group(3) for m in _HANDLER.finditer(outside_scripts)]


def is_known(body: str) -> bool:
    return any(p.fullmatch(body) for p in KNOWN_INLINE)


def policy_for(page: str) -> str:
    """The policy for one page: BASE_POLICY plus the hashes of its known inline scripts and handlers."""
    directives = {k: list(v) for k, v in BASE_POLICY.items()}
    hashes = sorted({_hash(b) for b in inline_scripts(page) if is_known(b)})
    handler_hashes = sorted({_hash(h) for h in handlers(page) if h in KNOWN_HANDLERS})
    if handler_hashes:
        hashes = ["'unsafe-hashes'", *sorted(set(hashes) | set(handler_hashes))]
    directives["script-src"] += hashes
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def apply(page: str) -> str:
    """The page with its policy as the first element of <head> (after <meta charset>), replacing an older one."""
    page = _META.sub("", page)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(page)}">'
    m = _CHARSET.search(page)
    if m:
        return page[: m.end()] + "\n" + meta + page[m.end():]
    head = re.search(r"<head[^>]*>", page, re.I)
    if not head:  # a redirect stub (index.html): just the refresh <meta>
        return meta + "\n" + page
    return page[: head.end()] + "\n" + meta + page[head.end():]


# Sphinx's doctools.js compiles the message catalog's plural rule with `new Function`, which needs 'unsafe-eval'.
# The book's one language (Swedish, plural rule "(n != 1)") gets the rule as a plain function instead.
SPHINX_PLURAL = 'Documentation.PLURAL_EXPR = new Function(\n      "n",\n      `return (${catalog.plural_expr})`\n    );'
PLURAL_RULES = 'Documentation.PLURAL_EXPR = ({"(n != 1)": (n) => +(n != 1)})[catalog.plural_expr] || ((n) => +(n != 1));'


class PolicyError(Exception):
    """The built book holds code the policy would block (a new Sphinx or theme version): the build stops."""


def patch_doctools(html_dir: Path) -> None:
    path = html_dir / "_static" / "doctools.js"
    if not path.is_file():
        return
    code = path.read_text(encoding="utf-8")
    if SPHINX_PLURAL in code:
        path.write_text(code.replace(SPHINX_PLURAL, PLURAL_RULES), encoding="utf-8")
    elif "new Function" in code:
        raise PolicyError(f"{path}: Sphinx's doctools.js compiles code with `new Function` in a way tillit/build/csp.py does "
                          "not know; the Content-Security-Policy would block it (update SPHINX_PLURAL)")


def apply_to_book(html_dir: Path) -> int:
    """Write the policy into every HTML page below html_dir (Sphinx's _static templates aside), make Sphinx's own
    scripts run without eval and leave out the theme's source maps; returns the number of pages."""
    patch_doctools(html_dir)
    for source_map in html_dir.glob("_static/**/*.map"):
        source_map.unlink()  # developer aids full of outside addresses (comments of the theme's sources); no reader needs them
    count = 0
    for path in sorted(html_dir.rglob("*.html")):
        if path.relative_to(html_dir).parts[0] in ("_static", "_sources"):
            continue
        page = path.read_text(encoding="utf-8")
        new = apply(page)
        if new != page:
            path.write_text(new, encoding="utf-8")
            count += 1
    return count


def not_allowed(page: str) -> list[str]:
    """Inline scripts and handlers of a page that its policy does not allow (the browser would refuse them)."""
    return ([b.strip()[:80] for b in inline_scripts(page) if not is_known(b)]
            + [h for h in handlers(page) if h not in KNOWN_HANDLERS])
