"""The print edition: one PDF of the whole book, assembled from the built HTML pages in _toc.yml order and laid out
by WeasyPrint (CSS paged media: contents with page numbers, running heads, Swedish hyphenation, vector charts)."""
from __future__ import annotations

import base64
import copy
import datetime as dt
import html as html_mod
import json
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from tillit.core.files import repo_root

PDF_NAME = "det-goda-motet.pdf"
CHART_WIDTH = 600  # points of the text column the SVG is drawn for (the book's charts use the container's width)


class PdfFailed(Exception):
    pass


@dataclass
class PdfResult:
    path: Path
    pages: int
    seconds: float


def toc_pages(root: Path) -> list[tuple[str, str | None]]:
    """(page path without suffix, caption of the part it opens or None) for every page in _toc.yml, in order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    out: list[tuple[str, str | None]] = [(toc["root"], None)]
    for part in toc.get("parts", []):
        files = []
        for chapter in part.get("chapters", []):
            if "glob" in chapter:   # a pattern takes in its pages in file-name order, as the book's navigation does
                files += sorted(str(f.relative_to(root).with_suffix("")) for f in root.glob(chapter["glob"])
                                if f.suffix in (".md", ".ipynb"))
            else:
                files.append(chapter["file"])
        out += [(f, part.get("caption") if i == 0 else None) for i, f in enumerate(files)]
    return out


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def page_anchor(page: str) -> str:
    return "p-" + re.sub(r"[^a-z0-9]+", "-", page.casefold()).strip("-")


def chart_svg(spec: dict, width: int = CHART_WIDTH) -> str:
    """A chart as SVG (text kept as text), drawn offline by vl-convert with Swedish number and date formats."""
    import vl_convert as vlc

    spec = copy.deepcopy(spec)
    # a compiled Vega spec (the pages carry no $schema): Vega has top-level "marks", Vega-Lite never does
    if "marks" in spec or ("$schema" in spec and "vega-lite" not in spec["$schema"]):
        return vlc.vega_to_svg(spec, format_locale="sv-SE", time_format_locale="sv-SE")
    if spec.get("width") == "container":
        spec["width"] = width
    for sub in spec.get("hconcat", []) + spec.get("vconcat", []):
        if isinstance(sub, dict) and sub.get("width") == "container":
            sub["width"] = width
    spec.setdefault("config", {}).setdefault("font", "DejaVu Sans")
    spec["config"]["font"] = "DejaVu Sans"
    return vlc.vegalite_to_svg(spec, format_locale="sv-SE", time_format_locale="sv-SE")


def _spec_of(fig: Tag) -> str | None:
    tag = fig.select_one('script[type="application/json"]')
    return (tag.string or tag.get_text()) if tag is not None else None


def chart_svgs(specs: list[str], cache: Path | None = None, workers: int = 2) -> dict[str, str]:
    """spec JSON → SVG for every chart, drawn in parallel and cached by the spec's checksum (an unchanged chart is
    not drawn again for the next PDF)."""
    from concurrent.futures import ThreadPoolExecutor

    from tillit.core.files import sha256

    def one(spec_json: str) -> str:
        path = cache / (sha256(spec_json) + ".svg") if cache else None
        if path is not None and path.is_file():
            return path.read_text(encoding="utf-8")
        svg = chart_svg(json.loads(spec_json))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(svg, encoding="utf-8")
        return svg

    unique = list(dict.fromkeys(specs))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(unique, pool.map(one, unique)))


def _page_body(soup: BeautifulSoup, page: str, known: dict[str, str], soup_root: BeautifulSoup,
               svgs: dict[str, str]) -> Tag:
    """The article of one built page, with ids made unique, links pointing inside the PDF, charts as SVG images,
    the plotted figures' tables shown, and the screen-only parts (scripts, header links, downloads) removed."""
    article = soup.select_one("article.bd-article") or soup.body
    anchor = page_anchor(page)
    section = soup_root.new_tag("section", attrs={"class": "chapter", "id": anchor})
    for tag in article.select("a.headerlink, .tag_remove-cell, button, .toggle-details__container"):
        tag.decompose()
    for fig in article.select("div.tillit-chart"):
        spec = _spec_of(fig)
        target = fig.select_one(".tillit-vega")
        if spec is not None and target is not None:
            svg = svgs[spec]
            img = soup.new_tag("img", attrs={
                "class": "chart", "alt": target.get("aria-label", ""),
                "src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")})
            target.replace_with(img)
        for details in fig.select("details"):
            summary = details.find("summary")
            box = soup.new_tag("div", attrs={"class": "chart-data"})
            if summary:
                head = soup.new_tag("p", attrs={"class": "chart-data-title"})
                head.string = summary.get_text(strip=True)
                box.append(head)
                summary.decompose()
            for child in list(details.children):
                box.append(child.extract())
            details.replace_with(box)
        for a in fig.select("a[download]"):
            (a.find_parent("p") or a).decompose()
    for quote_p in article.select("blockquote p"):
        if quote_p.get_text().lstrip().startswith("—"):
            quote_p["class"] = quote_p.get("class", []) + ["attribution"]
    for tag in article.select("script, style, noscript, template"):
        tag.decompose()
    for tag in article.find_all(id=True):
        tag["id"] = f"{anchor}--{tag['id']}"
    for a in article.find_all("a", href=True):
        a["href"] = _internal(a["href"], page, known)
    for child in list(article.children):
        section.append(child.extract())
    return section


def _internal(href: str, page: str, known: dict[str, str]) -> str:
    """'../notebooks/3-5-kompetensforsorjning.html#fig-x' on page 'book/index' → '#p-notebooks-3-5-…--fig-x'."""
    if re.match(r"^[a-z]+:", href) or href.startswith("//"):
        return href
    path, _, frag = href.partition("#")
    if not path:
        target = page
    else:
        base = Path(page).parent
        resolved = (base / path).as_posix()
        parts = []
        for seg in resolved.split("/"):
            if seg == "..":
                if parts:
                    parts.pop()
            elif seg not in ("", "."):
                parts.append(seg)
        target = re.sub(r"\.(html|ipynb|md)$", "", "/".join(parts))
    if target not in known:
        return href
    return f"#{known[target]}--{frag}" if frag else f"#{known[target]}"


def _titles(html_dir: Path, pages: list[str]) -> dict[str, str]:
    out = {}
    for page in pages:
        soup = BeautifulSoup((html_dir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        h1 = soup.select_one("article.bd-article h1")
        if h1:
            for a in h1.select("a.headerlink"):
                a.decompose()
            out[page] = h1.get_text(" ", strip=True)
        else:
            out[page] = page
    return out


def compose(root: Path, chart_cache: Path | None | bool = True) -> str:
    """The whole book as one HTML document for print (charts cached in _build/.pdf-charts unless chart_cache is
    False or another folder)."""
    from tillit.build import editions

    html_dir = root / "_build" / "html"
    pages = [(p, cap) for p, cap in toc_pages(root) if (html_dir / f"{p}.html").is_file()]
    missing = [p for p, _ in toc_pages(root) if not (html_dir / f"{p}.html").is_file()]
    if missing or not pages:
        raise PdfFailed(f"the built book lacks {', '.join(missing) or 'every page'}: run `tillit build` first")
    known = {p: page_anchor(p) for p, _ in pages}
    titles = _titles(html_dir, [p for p, _ in pages])
    commit = _git(root, "rev-parse", "--short=12", "HEAD") or "okänd"
    latest = editions.load(root=root)
    edition = latest.name if latest else None
    built = dt.date.today().isoformat()
    doc = BeautifulSoup("<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'></head><body></body></html>",
                        "html.parser")
    doc.head.append(doc.new_tag("title"))
    doc.head.title.string = "Det goda mötet – en levande rapport"
    style = doc.new_tag("style")
    style.string = (Path(__file__).parent / "pdf.css").read_text(encoding="utf-8")
    doc.head.append(style)
    for name, content in (("author", "Projektet Det goda mötet"), ("dcterms.created", built),
                          ("description", "Tryckutgåva av den levande versionen av SOU 2018:47, kapitel 3")):
        doc.head.append(doc.new_tag("meta", attrs={"name": name, "content": content}))
    ed_line = (f"Utgåva {edition}" if edition else "Ingen frusen utgåva ännu") + f" · tryckt {built} från commit {commit}"
    title_page = BeautifulSoup(
        '<section class="title-page">'
        '<p class="series">En levande version av SOU 2018:47 <em>Med tillit växer handlingsutrymmet</em></p>'
        '<h1 class="book-title">Det goda mötet</h1>'
        '<p class="subtitle">En levande rapport om problemen som hindrar det goda mötet i vård, skola och omsorg, '
        'byggd från öppna, officiella data med källa på varje värde</p>'
        f'<p class="edition">{html_mod.escape(ed_line)}</p>'
        '<p class="note">Tryckutgåvan återger boken som den såg ut när den byggdes. Diagrammen visas med siffrorna '
        'bakom dem och källan under. Sidan <em>Vad har ändrats?</em> jämför med den senaste utgåvan.</p>'
        '</section>', "html.parser")
    doc.body.append(title_page)
    toc = doc.new_tag("nav", attrs={"class": "toc"})
    head = doc.new_tag("h1", attrs={"class": "toc-title"})
    head.string = "Innehåll"
    toc.append(head)
    ul = doc.new_tag("ul")
    for page, caption in pages:
        if caption:
            li = doc.new_tag("li", attrs={"class": "part"})
            li.string = caption
            ul.append(li)
        li = doc.new_tag("li")
        a = doc.new_tag("a", attrs={"href": f"#{known[page]}"})
        a.string = titles[page]
        li.append(a)
        ul.append(li)
    toc.append(ul)
    doc.body.append(toc)
    soups = {page: BeautifulSoup((html_dir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
             for page, _ in pages}
    specs = [spec for soup in soups.values() for fig in soup.select("div.tillit-chart")
             if (spec := _spec_of(fig)) is not None]
    cache = root / "_build" / ".pdf-charts" if chart_cache is True else (chart_cache or None)
    svgs = chart_svgs(specs, cache)
    for page, caption in pages:
        section = _page_body(soups[page], page, known, doc, svgs)
        if caption:
            section["data-part"] = caption
        doc.body.append(section)
    return str(doc)


def build(root: Path | None = None, output: Path | None = None) -> PdfResult:
    """Write the PDF (default: _build/html/det-goda-motet.pdf) from the built book."""
    import weasyprint

    root = root or repo_root()
    t0 = time.perf_counter()
    output = output or root / "_build" / "html" / PDF_NAME
    source = compose(root)
    document = weasyprint.HTML(string=source, base_url=str(root / "_build" / "html") + "/").render()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".pdf.tmp")
    document.write_pdf(tmp)
    tmp.replace(output)
    return PdfResult(output, len(document.pages), time.perf_counter() - t0)
