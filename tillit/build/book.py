"""Build the Jupyter Book offline: Vega bundle into _static, generated toc part, build elsewhere, then swap into _build/html."""
from __future__ import annotations

import ctypes
import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tillit.build import bookext, csp
from tillit.core.files import content_key, file_sha256, repo_root

BUNDLE = "_static/vega-bundle.js"
KEY_FILE = ".tillit-book-key"


def write_vega_bundle(root: Path) -> Path:
    """vega + vega-lite + vega-embed in one local script (from the vl-convert wheel), wrapped in a function so its
    internals do not clash with Sphinx's globals (`_`); it exposes window.vegaEmbed. Pages fetch it only when a chart
    is about to be drawn (_static/tillit-charts.js). The charts' specs are compiled to Vega when the notebooks run
    (tillit.report.charts.compile_to_vega), so the browser draws them without compiling. (vl-convert's bundler cannot
    expose the Vega runtime alone: in a custom snippet only vega-embed's default export is bound.)"""
    import vl_convert

    target = root / BUNDLE
    body = "/* vega, vega-lite, vega-embed bundled by vl-convert-python %s */\n(function () {\n%s\n})();\n" % (
        getattr(vl_convert, "__version__", ""), vl_convert.javascript_bundle())
    if not target.exists() or target.read_text(encoding="utf-8") != body:
        target.parent.mkdir(exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return target


def book_sources(root: Path) -> list[Path]:
    """Every file whose change changes the built book."""
    files = [root / "_config.yml", root / "_toc.yml", *sorted((root / "_static").glob("*")),
             # the Sphinx extension and the finishing of the pages
             Path(__file__), Path(bookext.__file__)]
    for folder in ("book", "notebooks", "locales"):
        if (root / folder).is_dir():
            files += sorted(p for p in (root / folder).rglob("*") if p.is_file() and p.suffix != ".mo"
                            and ".ipynb_checkpoints" not in p.parts and "templates" not in p.parts)
    return [p for p in files if p.is_file()]


def book_key(root: Path) -> str:
    # the policy written into every page, then every source file by name and content
    return content_key([Path(csp.__file__), *(part for p in book_sources(root) for part in (str(p.relative_to(root)), p))])


class BookFailed(Exception):
    pass


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def swap_in(staged: Path, html: Path) -> None:
    """Put the staged book where the served one is. With an atomic exchange a reader (or a web server) sees the old
    book or the new one, never none; elsewhere two renames, and the next build repairs a kill between them."""
    if html.exists() and _exchange(staged, html):
        shutil.rmtree(staged, ignore_errors=True)  # now the previous book
        return
    old = html.with_name(".html.old")
    shutil.rmtree(old, ignore_errors=True)
    if html.exists():
        html.rename(old)
    staged.rename(html)
    shutil.rmtree(old, ignore_errors=True)


def build(root: Path | None = None, force: bool = False, echo=print) -> tuple[Path, bool]:
    """Build into _build/.work, then replace _build/html in one rename; the old book stays if the build fails.

    Returns (html folder, whether a build ran)."""
    root = root or repo_root()
    write_vega_bundle(root)
    write_translations_js(root)
    html = root / "_build" / "html"
    old = root / "_build" / ".html.old"
    if not html.exists() and old.is_dir():
        old.rename(html)  # a build killed between the two renames of the fallback swap below
    key = book_key(root)
    if not force and (html / KEY_FILE).is_file() and (html / KEY_FILE).read_text() == key:
        echo("book: up to date")
        return html, False
    work = root / "_build" / ".work"
    # Sphinx never removes what an earlier configuration put into the output (a dropped extension's static files):
    # a changed _config.yml starts from an empty work folder
    config_sum = file_sha256(root / "_config.yml")
    config_file = work / ".tillit-config"
    if not config_file.is_file() or config_file.read_text() != config_sum:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        config_file.write_text(config_sum)
    # Sphinx copies static files only when some page is out of date, so edits to _static/ alone would never reach
    # the book: we copy our own static files into the output ourselves (below), and a new or removed file (which
    # every page links to) rebuilds all pages.
    own_static = sorted(p for p in (root / "_static").glob("*") if p.is_file())
    # Sphinx re-renders only pages whose sources changed: a change in our extension or page finishing must rebuild all
    code = content_key([Path(__file__), Path(bookext.__file__)])
    listing = "\n".join([*(p.name for p in own_static), f"code {code}"])
    listing_file = work / ".tillit-static"
    if not listing_file.is_file() or listing_file.read_text() != listing:
        force = True
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(root), "--path-output", str(work),
           "--builder", "html", "-W", "-n", "--keep-going"]
    if force:
        cmd.append("--all")
    echo("book: jupyter-book build -W -n …")
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-40:])
        raise BookFailed(f"jupyter-book build failed (exit {proc.returncode}); _build/html was left as it was.\n{tail}")
    built = work / "_build" / "html"
    staged = root / "_build" / ".html.new"
    old = root / "_build" / ".html.old"
    for p in (staged, old):
        shutil.rmtree(p, ignore_errors=True)
    shutil.copytree(built, staged)
    for own in own_static:
        shutil.copyfile(own, staged / "_static" / own.name)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    lean_pages(staged, title=str(config.get("title") or ""))
    try:
        csp.apply_to_book(staged)
    except csp.PolicyError as err:
        raise BookFailed(f"{err}; _build/html was left as it was.") from None
    listing_file.write_text(listing)
    (staged / KEY_FILE).write_text(key)
    swap_in(staged, html)
    echo(f"book: built {html.relative_to(root)}")
    return html, True


# ---------------------------------------------------------------------------------------------------------------
# Search strings in Swedish: Sphinx's own Swedish catalog leaves the search page's messages empty (no result count,
# no "no hits" text). Sphinx takes translations.js from <locale_dir>/<lang>/LC_MESSAGES/sphinx.js when one exists,
# so we write that file from Sphinx's catalog with the gaps filled from our own locales/sv/LC_MESSAGES/sphinx.po.
LOCALE_DIR = Path("locales") / "sv" / "LC_MESSAGES"


def write_translations_js(root: Path) -> Path | None:
    """locales/sv/LC_MESSAGES/sphinx.js: Sphinx's Swedish JS messages, empty ones filled from our sphinx.po."""
    import sphinx
    from babel.messages.pofile import read_po

    ours = root / LOCALE_DIR / "sphinx.po"
    theirs = Path(sphinx.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "sphinx.js"
    if not ours.is_file() or not theirs.is_file():
        return None
    text = theirs.read_text(encoding="utf-8")
    start, end = text.index("{"), text.rindex("}") + 1
    data = json.loads(text[start:end])
    with ours.open("rb") as f:
        catalog = read_po(f, locale="sv")
    for message in catalog:
        if message.id and message.string and isinstance(message.id, str) and not data["messages"].get(message.id):
            data["messages"][message.id] = message.string
    body = ("/* Sphinx's Swedish messages with the gaps filled from locales/sv/LC_MESSAGES/sphinx.po "
            "(written by `tillit build`) */\n" + text[:start] + json.dumps(data, ensure_ascii=False, indent=1,
                                                                            sort_keys=True) + text[end:])
    target = root / LOCALE_DIR / "sphinx.js"
    if not target.is_file() or target.read_text(encoding="utf-8") != body:
        target.write_text(body, encoding="utf-8")
    return target


# ---------------------------------------------------------------------------------------------------------------
# The built pages, made lean and valid after Sphinx has written them.

ROOT_PAGE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body>
<p><a href="{target}">Till bokens startsida: {title}</a></p>
</body>
</html>
"""

_ICON_ELEMENT = re.compile(r'<(i|span)\s+([^>]*\bclass="([^"]*)"[^>]*)>\s*</\1>')
_ICON_STYLES = {"fa", "fas", "far", "fab", "fa-solid", "fa-regular", "fa-brands"}
_ICON_MODIFIERS = {"lg", "sm", "xs", "fw", "2x", "3x"}
_ICON_PACK = re.compile(r'var p=\{(.*?)\};.{0,400}?\(function\(\)\{d\("(fa[srb])",p\)', re.S)
_ICON_DEF = re.compile(r'(?:"([\w-]+)"|([A-Za-z_$][\w$]*)|(\d+)):\[(\d+),(\d+),\[[^\]]*\],"[^"]*","([^"]+)"\]')
_THEME_SCRIPT = '<script defer src="{prefix}_static/scripts/fontawesome.js?digest='
_SEARCH_SCRIPTS = re.compile(r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|'
                             r'searchindex\.js)"></script>')


def theme_icons(fontawesome_js: str) -> dict[str, dict[str, tuple[int, int, str]]]:
    """Icon packs of the theme's Font Awesome script: {"fas"|"far"|"fab": {name: (width, height, svg path)}}."""
    packs: dict[str, dict[str, tuple[int, int, str]]] = {}
    for body, prefix in _ICON_PACK.findall(fontawesome_js):
        icons = packs.setdefault(prefix, {})
        for quoted, bare, number, w, h, path in _ICON_DEF.findall(body):
            icons[quoted or bare or number] = (int(w), int(h), path)
    return packs


def _icon_svg(element: re.Match, packs: dict[str, dict[str, tuple[int, int, str]]]) -> str:
    """One theme icon element (<i class="fa-solid fa-bars">) as the inline SVG Font Awesome's script would draw."""
    attrs, classes = element.group(2), element.group(3).split()
    if not _ICON_STYLES & set(classes):
        return element.group(0)
    prefix = ("fab" if {"fab", "fa-brands"} & set(classes) else "far" if {"far", "fa-regular"} & set(classes)
              else "fas")
    names = [c[3:] for c in classes if c.startswith("fa-") and c[3:] not in
             {"solid", "regular", "brands", *_ICON_MODIFIERS}]
    found = [(n, packs.get(prefix, {}).get(n)) for n in names]
    found = [(n, icon) for n, icon in found if icon]
    if not found:
        raise BookFailed(f"icon {element.group(0)!r}: not in the theme's Font Awesome {prefix} pack")
    name, (w, h, path) = found[0]
    title = re.search(r'\btitle="([^"]*)"', attrs)
    rest = re.sub(r'\s*\b(?:class|title)="[^"]*"', "", attrs).strip()
    # like Font Awesome's own replacement: the style classes (fa-solid …) go, the icon and other classes stay
    kept = " ".join(c for c in classes if c not in _ICON_STYLES)
    return (f'<svg class="svg-inline--fa {kept}" {rest + " " if rest else ""}data-icon="{name}" '
            f'aria-hidden="true" focusable="false" viewBox="0 0 {w} {h}">'
            + (f"<title>{title.group(1)}</title>" if title else "")
            + f'<path fill="currentColor" d="{path}"></path></svg>')


# Icons the theme's stylesheet draws with the Font Awesome webfont (a 157 KiB download on every page with a note):
# tillit.css draws them from these SVG files instead (CSS masks), so the font is never needed.
CSS_ICONS = ("circle-info", "circle-xmark", "circle-exclamation", "triangle-exclamation", "lightbulb", "bell",
             "share")


def write_css_icons(html_dir: Path, packs: dict[str, dict[str, tuple[int, int, str]]]) -> list[Path]:
    """_static/icons/<name>.svg for CSS_ICONS, from the theme's own Font Awesome solid pack."""
    folder = html_dir / "_static" / "icons"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in CSS_ICONS:
        icon = packs.get("fas", {}).get(name)
        if icon is None:
            raise BookFailed(f"icon {name!r}: not in the theme's Font Awesome solid pack")
        w, h, path = icon
        target = folder / f"{name}.svg"
        target.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}"><path d="{path}"/></svg>\n',
                          encoding="utf-8")
        written.append(target)
    return written


def lean_pages(html_dir: Path, title: str = "") -> dict[str, int]:
    """Finish the built book for readers:
    - the theme's icons become inline SVG (the same shapes, read from the theme's own Font Awesome script), so no
      page loads that 1.5 MB script; the icons its stylesheet draws with the webfont become SVG files (CSS_ICONS);
    - pages other than the search page no longer load the search index and search code (the theme loads them
      everywhere for a search-as-you-type mode the book does not use);
    - the root index.html becomes a proper redirect page (doctype, lang="sv", title, visible link).
    Returns counts of what was changed."""
    fa = html_dir / "_static" / "scripts" / "fontawesome.js"
    packs = theme_icons(fa.read_text(encoding="utf-8")) if fa.is_file() else {}
    counts = {"pages": 0, "icons": 0, "search_scripts": 0}
    if packs:
        write_css_icons(html_dir, packs)
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir)
        if rel.parts[0] in ("_static", "_sources") or rel == Path("index.html"):
            continue
        text = page.read_text(encoding="utf-8")
        new = _ICON_ELEMENT.sub(lambda m: _icon_svg(m, packs), text)
        n_icons = new.count("svg-inline--fa") - text.count("svg-inline--fa")
        prefix = "../" * (len(rel.parts) - 1)
        new = re.sub(r'\s*' + re.escape(_THEME_SCRIPT.format(prefix=prefix)) + r'[^"]*"></script>', "", new)
        n_search = 0
        if rel != Path("search.html"):
            new, n_search = _SEARCH_SCRIPTS.subn("", new)
        if new != text:
            page.write_text(new, encoding="utf-8")
            counts["pages"] += 1
            counts["icons"] += n_icons
            counts["search_scripts"] += n_search
    root_page = html_dir / "index.html"
    redirect = re.search(r'url=([^"\'>\s]+)', root_page.read_text(encoding="utf-8")) if root_page.is_file() else None
    if redirect:
        name = html_lib.escape(title or "Boken")
        root_page.write_text(ROOT_PAGE.format(title=name, target=html_lib.escape(redirect.group(1)),
                                              description=name), encoding="utf-8")
    return counts
