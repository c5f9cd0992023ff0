"""Language check over the built pages: the reader-facing text is Swedish, without code notation or broken sentences.

Runs over `_build/html` (built by `tillit build`, as CI does before the tests). Quotations from the report
(blockquotes), code, link text (titles of cited publications) and the charts' own markup are left out; chapter prose is
every paragraph outside tables, captions, lists and notes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
ENGLISH = {w.strip() for w in (Path(__file__).parent / "english_words.txt").read_text(encoding="utf-8").splitlines()
           if w.strip() and not w.startswith("#")}
# Names of publications and organisations that are English by name (cited as published).
PROPER_NAMES = ["Health at a Glance", "Commonwealth Fund", "International Health Policy Survey", "International Health Policy", "OECD Health Statistics",
                "Health Statistics", "EWI annual report"]
CODE_NOTATION = [(re.compile(r"\b\d{4}[KQ][1-4]\b"), "kvartal i kodform (2005K1)"),
                 (re.compile(r"(?<![\w/.-])\w+_\w+"), "understreck (identifierare)"),
                 (re.compile(r">=|<=|&gt;|&lt;|&amp;"), "kodnotation eller escapad markup"),
                 (re.compile(r"(?<!\.)\.\.(?!\.)"), "dubbel punkt"),
                 (re.compile(r"\b[a-zåäöé]{3,}[.,;:]?\d{1,2}\b"), "fotnotssiffra ihopskriven med ordet")]
# Finite verbs: past tense and passive by ending, the rest from a list of the forms the book uses.
FINITE_ENDINGS = re.compile(r"(ade|ades|dde|des|de|te|tes|as|ts|erar)$")
NOT_FINITE = re.compile(r"(ande|ende|onde|nde)$|^(tredje|fjärde|femte|sjätte|sjunde|andra|hela|alla|båda|vidare|"
                        r"sedan|skillnade|gånger|dessa|därmed|utredande|rente|övriga|enkäter)$")
FINITE = set("""är var har hade finns fanns blir blev kan kunde ska skulle får fick går gick ger gav ligger låg står stod
visar gäller anger mäter menar beskriver bygger jämför räknar redovisar svarar innebär motsvarar hänger varierar
behöver kommer bedömer tar lägger säger skriver läser hamnar leder utgör omfattar avser följer innehåller pekar växer
ökar minskar återger handlar hör ingår konstaterar tycks skiljer saknar gör rör bär vill måste bör verkar sjunker
stiger lämnar slutar väljer vänder byter drar pågår pågick uppgår kräver ser väger stöder ställer graderar strävar ansvarar
strider hittar tog föreslog beskrivs ges instämde markerar betyder beskrev skrev drog steg sjönk föll såg kom
motsäger publicerar frågar deltar""".split())
# Developer text a reader should never meet: commands, the store's table names (also in code formatting), KPI ids,
# and the data pipeline's own English. Checked on the pages in DEVELOPER_FREE, code included; a chapter joins the list
# when its notes for analysts have moved out of the reader's text.
DEVELOPER_TEXT = [(re.compile(r"\btillit (import|build|refresh|fetch|store|claims|edition|diff|compile-facts)\b"),
                   "kommando"),
                  (re.compile(r"(?<![\w/.-])[a-z]+(_[a-z]+)+\b"), "tabellnamn eller identifierare"),
                  (re.compile(r"\b(standarddata|analytiker)\b"), "utvecklarord"),
                  (re.compile(r"\bKPI\b|\b[NU]\d{5}\b(?!\))"), "nyckeltalsid utan källa"),
                  (re.compile(r"as fetched|pipeline|\((source|reporting|quoting)\b"), "hämtningens engelska")]
DEVELOPER_FREE = ("notebooks/regioner/", "book/regioner.html")
# Pages whose wording is the lead's (the claims registry); checked by test_claims_text_reads_as_swedish.
CLAIMS_PAGES = {"notebooks/hallare-slutsatserna.html"}


def pages() -> list[Path]:
    if not HTML.is_dir():
        pytest.skip("the book is not built (run `tillit build` first)")
    out = []
    for p in sorted(HTML.rglob("*.html")):
        rel = p.relative_to(HTML).as_posix()
        if rel.startswith(("_static/", "_sources/")) or rel in {"genindex.html", "search.html"}:
            continue
        if 'http-equiv="refresh"' in p.read_text(encoding="utf-8")[:2000].casefold():
            continue
        out.append(p)
    return out


def is_claim(li) -> bool:
    """A list item of the claims registry: '”quote” — **håller** …' (its wording belongs to data/claims.yaml)."""
    return li.get_text(" ").lstrip().startswith("”") and any(
        s.get_text() in {"håller", "håller inte", "kan inte prövas"} for s in li.find_all("strong"))


def reader_text(soup: BeautifulSoup, mode: str = "own") -> BeautifulSoup:
    """The article body without what is not the book's own Swedish: quotes, code, scripts, chart markup, links.
    mode 'own': all but the claims registry's items; 'claims': only those items; 'all': both."""
    body = soup.select_one("article") or soup.body
    items = [li for li in body.find_all("li") if is_claim(li)]
    if mode == "claims":
        body = BeautifulSoup("<article>" + "".join(str(li) for li in items) + "</article>", "html.parser").article
    elif mode == "own":
        for li in items:
            li.decompose()
    for li in body.find_all("li"):  # a bibliographic entry: 'Title – Publisher, primärkälla, 11 värden'
        if re.search(r"–[^–]+, (primär|sekundär)källa, [\d\s]+ värden?\s*$", li.get_text(" ")):
            li.decompose()
    for tag in body.select("blockquote, code, pre, script, style, svg, .tillit-vega, .headerlink, a, "
                           ".tillit-data, details summary ~ *"):
        tag.decompose()
    return body


def sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip()
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9”])", text) if s]


def has_finite_verb(sentence: str) -> bool:
    for word in re.findall(r"[A-Za-zÅÄÖåäöé]+", sentence):
        w = word.casefold()
        if w in FINITE or (FINITE_ENDINGS.search(w) and not NOT_FINITE.search(w) and len(w) > 3):
            return True
    return False


def page_problems(path: Path, root: Path = HTML, claims: bool = False) -> list[str]:
    """Every problem on one page, each as 'page: what: ”sentence”'. The finite-verb rule applies to chapter prose
    (the notebooks' pages); the other rules to every page."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    rel = path.relative_to(root).as_posix()
    if rel in CLAIMS_PAGES and not claims:
        return []
    body = reader_text(soup, ("all" if rel in CLAIMS_PAGES else "claims") if claims else "own")
    found = []
    text = body.get_text(" ")
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    for sentence in sentences(text):
        words = {w.casefold() for w in re.findall(r"[A-Za-zÅÄÖåäöéü]+", sentence)}
        english = sorted(words & ENGLISH)
        if english:
            found.append(f"{rel}: engelska ord {english}: ”{sentence[:160]}”")
        for pattern, what in CODE_NOTATION:
            if pattern.search(sentence):
                found.append(f"{rel}: {what}: ”{sentence[:160]}”")
    chapter = not rel.startswith("book/") and not claims
    for p in body.find_all("p") if chapter else []:
        if p.find_parent(["table", "figcaption", "li", "dl"]) or "admonition-title" in (p.get("class") or []):
            continue
        if p.find_parent(class_="note") or p.find_parent(class_="warning"):
            continue
        bold = " ".join(b.get_text(" ") for b in p.find_all(["strong", "b"])).strip()
        if bold and bold == p.get_text(" ").strip():  # a label such as '**Vad data visar nu**'
            continue
        for sentence in sentences(p.get_text(" ")):
            if len(sentence.split()) < 4 or sentence.startswith(("Källa", "Källor", "Sekundärkälla")):
                continue
            if not has_finite_verb(sentence):
                found.append(f"{rel}: mening utan finit verb: ”{sentence[:160]}”")
    return found


def developer_problems(path: Path, root: Path = HTML) -> list[str]:
    """Developer text in the page's article, code formatting and links included (a command in backticks is still a
    command to the reader); charts' scripts and addresses are not text."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    rel = path.relative_to(root).as_posix()
    body = soup.select_one("article") or soup.body
    for tag in body.select("script, style, svg, .tillit-vega, .headerlink"):
        tag.decompose()
    text = re.sub(r"\s+", " ", body.get_text(" "))
    found = []
    for pattern, what in DEVELOPER_TEXT:
        for m in pattern.finditer(text):
            found.append(f"{rel}: {what}: ”…{text[max(0, m.start() - 60):m.end() + 40]}…”")
    return found


def test_reader_pages_have_no_developer_text():
    checked = [p for p in pages() if p.relative_to(HTML).as_posix().startswith(DEVELOPER_FREE)]
    assert checked, "no region page in the built book"
    problems = [p for page in checked for p in developer_problems(page)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("html,problem", [
    ("<p>Läs in filen med <code>tillit import fil.json</code>.</p>", "kommando"),
    ("<p>Sidan visar dem nästa gång <code>tillit   build</code> körs.</p>", "kommando"),
    ("<p>Värdena hamnar i tabellen <code>personalnyckeltal_kommun</code>.</p>", "tabellnamn"),
    ("<p>Det finns inte i standarddata.</p>", "utvecklarord"),
    ("<p>Hämta nyckeltalet N00090 från Kolada.</p>", "nyckeltalsid"),
    ("<p>Källa: Kolada KPI U71451 (source: SKR), as fetched via Kolada API v3.</p>", "engelska"),
])
def test_the_developer_check_catches_each_kind(tmp_path, html, problem):
    page = tmp_path / "sida.html"
    page.write_text(f"<html><body><article>{html}</article></body></html>", encoding="utf-8")
    assert any(problem in f for f in developer_problems(page, tmp_path))


def test_the_developer_check_passes_a_plain_source_line(tmp_path):
    page = tmp_path / "sida.html"
    page.write_text("<html><body><article><p>Boken har ännu inga kommunala personalnyckeltal för länet.</p>"
                    "<p>Källa: SKR, Nationell Patientenkät, via Kolada (U71451).</p></article></body></html>",
                    encoding="utf-8")
    assert developer_problems(page, tmp_path) == []


def test_built_pages_read_as_swedish():
    problems = [p for page in pages() for p in page_problems(page)]
    assert not problems, "\n".join(problems)


def test_claims_text_reads_as_swedish():
    problems = [p for page in pages() for p in page_problems(page, claims=True)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("html,problem", [
    ("<p>Utan pensionsavgångar Dalarna: 2,2 till 6,8 per 100 anställda.</p>", "finit verb"),
    ("<p>Andelen ökade mellan 2005K1 och 2018K4 i riket.</p>", "kvartal"),
    ("<table><tr><td>staff group not stated in excerpt</td></tr></table>", "engelska"),
    ("<table><tr><td>andel med &amp;gt;=30 % i tabellen</td></tr></table>", "escapad"),
    ("<p>Sjukfrånvaron ökade enligt sjukfall_yrke i riket.</p>", "understreck"),
    ("<p>Sjukfrånvaron ökade kraftigt i riket.12 Det var väntat.</p>", "fotnot"),
    ("<p>Sjukfrånvaron ökade i riket..</p>", "dubbel punkt"),
])
def test_the_check_catches_each_kind_of_problem(tmp_path, html, problem):
    page = tmp_path / "sida.html"
    page.write_text(f"<html><body><article>{html}</article></body></html>", encoding="utf-8")
    found = page_problems(page, tmp_path)
    assert any(problem in f for f in found), found
    assert all(f.startswith("sida.html: ") for f in found)


def test_good_swedish_passes(tmp_path):
    page = tmp_path / "sida.html"
    page.write_text("<html><body><article><p>Sjukfrånvaron på Gotland minskade från 6,0 procent 2007 till 3,9 "
                    "procent 2011 och ökade sedan till 5,7 procent 2017.</p><blockquote>the report's own "
                    "words</blockquote></article></body></html>", encoding="utf-8")
    assert page_problems(page, tmp_path) == []
