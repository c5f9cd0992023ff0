"""How a source is named to readers: what kind of source it is (the publisher itself, press, a database, a copy) and
its title with the collectors' English remarks ('quoting SKL sammanställning') in Swedish ('enligt SKL:s …').

The data rows keep their provenance as collected; this module only changes how it is shown. `source_kind` and
`kind_label` say what a secondary source is; `swedish_title` turns the remarks in a title into Swedish. Chapter code
that names sources (e.g. a table's source cell) should use the same functions as the charts' source line."""
from __future__ import annotations

import re
import urllib.parse

import pandas as pd

from tillit.core import links
from tillit.report import text

PRIMARY = "primary"    # the publisher itself
DATABASE = "database"  # a statistics database that republishes the publisher's figures (Kolada, Regionfakta)
COPY = "copy"          # a copy of the publisher's own file kept elsewhere (a mirror on GitHub)
PRESS = "press"        # a newspaper, trade journal or news site that reports the figures
OTHER = "other"        # another party that reproduces the figures (an authority, a union, a company)
KINDS = (PRIMARY, DATABASE, COPY, PRESS, OTHER)

# Statistics databases, by publisher as the data rows name them, with the name readers know them by.
DATABASES = {"Kolada (SKR)": "Kolada", "Regionfakta": "Regionfakta"}

# Newspapers, trade journals and news sites among the data's publishers.
PRESS_PUBLISHERS = frozenset({
    "Advisory Board Daily Briefing", "Aftonkuriren", "Akademikern", "Altinget", "Arbetet", "Arbetsvärlden",
    "Dagens industri", "Dagens Samhälle", "Healthcare IT News", "Industritorget", "Inköpsrådet", "Kommunalarbetaren",
    "Kvalitetsvård", "Life-time.se", "Läkartidningen", "Metro", "Mitt i", "Newsmax", "nyhetsnotiser.se",
    "Offentliga affärer", "Publikt", "redeko.net newsfeed", "Svenska Dagbladet", "Tandläkartidningen", "Vårdfokus",
})

_COPY_HOSTS = ("github.com", "raw.githubusercontent.com")


def _named(publisher: str, title: str, names) -> str | None:
    """Which of `names` the source is: its publisher, or (when a page leaves the publisher out because the title
    already names it) the name the title starts with."""
    if publisher in names:
        return publisher
    for name in names:
        if not publisher and str(title).startswith(name.split(" (")[0]):
            return name
    return None


def source_kind(publisher: str, url: str | None, source_type: str, title: str = "") -> str:
    """PRIMARY, DATABASE, COPY, PRESS or OTHER for one source of the data (by its provenance columns)."""
    if source_type == PRIMARY:
        return PRIMARY
    if _named(publisher, title, DATABASES):
        return DATABASE
    host = urllib.parse.urlsplit(url or "").hostname or ""
    if host in _COPY_HOSTS:
        return COPY
    if _named(publisher, title, PRESS_PUBLISHERS):
        return PRESS
    return OTHER


def kind_label(kind: str, publisher: str = "", title: str = "") -> str:
    """The words before a source of that kind in a source line: 'Källa', 'Källa via Kolada', 'Sekundärkälla (press
    som återger uppgiften)' …"""
    if kind == PRIMARY:
        return "Källa"
    if kind == DATABASE:
        return f"Källa via {DATABASES.get(_named(publisher, title, DATABASES) or publisher, publisher)}"
    if kind == COPY:
        return "Källa via en kopia hos annan part"
    if kind == PRESS:
        return "Sekundärkälla (press som återger uppgiften)"
    return "Sekundärkälla (annan part som återger uppgiften)"


# --- English remarks in titles ---------------------------------------------------------------------------------

_MONTHS = {"Jan": "januari", "Feb": "februari", "Mar": "mars", "Apr": "april", "May": "maj", "Jun": "juni",
           "Jul": "juli", "Aug": "augusti", "Sep": "september", "Oct": "oktober", "Nov": "november",
           "Dec": "december"}
_QUARTERS = {"1": "första", "2": "andra", "3": "tredje", "4": "fjärde"}


def _genitive(name: str) -> str:
    """'SKL' → 'SKL:s', 'Försäkringskassan' → 'Försäkringskassans', 'Vårdanalys' → 'Vårdanalys'."""
    name = name.strip()
    if re.fullmatch(r"[A-ZÅÄÖ0-9]{2,}", name):
        return f"{name}:s"
    return name if name[-1:] in "sxz" else f"{name}s"


def _quoted(inner: str) -> str:
    """The remark inside '(quoting …)' in Swedish: whose figures, which statistics, which period."""
    inner = re.sub(r"\b(\w+) press release\b", lambda m: f"pressmeddelande från {m.group(1)}", inner)
    inner = re.sub(r"(\w+) statistics for (\d{4})", lambda m: f"{_genitive(m.group(1))} statistik för {m.group(2)}",
                   inner)
    inner = re.sub(r"(\w+) statistics\b", lambda m: f"{_genitive(m.group(1))} statistik", inner)
    inner = re.sub(r"(\w+) sammanställning", lambda m: f"{_genitive(m.group(1))} sammanställning", inner)
    inner = re.sub(r"\bQ([1-4]) (\d{4})", lambda m: f"{_QUARTERS[m.group(1)]} kvartalet {m.group(2)}", inner)
    inner = re.sub(r"^SCB KSju\b", "SCB:s KSju", inner)
    inner = re.sub(r"KSju (första|andra|tredje|fjärde)", r"KSju, \1", inner)
    inner = re.sub(r"(\d{4}) data\b", r"uppgifter för \1", inner)
    inner = inner.replace(" / ", " och ")
    return f"enligt {inner}"


_RULES: list[tuple[re.Pattern, object]] = [
    (re.compile(r"\(quoting ([^)]*)\)"), lambda m: f"({_quoted(m.group(1))})"),
    (re.compile(r"\(([^()]*?), quoting ([^)]*)\)"), lambda m: f"({m.group(1)}, {_quoted(m.group(2))})"),
    (re.compile(r"\(source:? ([^)]*)\)"), lambda m: f"(källa: {m.group(1)})"),
    (re.compile(r"\(reporting ([^)]*)\)"), lambda m: f"(återger {m.group(1)})"),
    (re.compile(r"\(CSV export mirrored in GitHub ([^)]*)\)"),
     lambda m: f"(CSV-export, kopia i GitHub-arkivet {m.group(1)})"),
    (re.compile(r"\(version with (\d{4}) data\)"), lambda m: f"(versionen med uppgifter för {m.group(1)})"),
    (re.compile(r"\(stored versions (\w+) (\d{4}) and (\w+) (\d{4})\)"),
     lambda m: f"(sparade versioner från {_MONTHS.get(m.group(1), m.group(1))} {m.group(2)} och "
               f"{_MONTHS.get(m.group(3), m.group(3))} {m.group(4)})"),
    (re.compile(r"\((\w+) analysis of (\w+) (\w+)\)"),
     lambda m: f"({_genitive(m.group(1))} analys av {_genitive(m.group(2))} {m.group(3)})"),
    (re.compile(r"\bpublished (\d{4})"), lambda m: f"publicerad {m.group(1)}"),
    (re.compile(r"\bas fetched via (.+?) by (.+?) (\w+) pipeline$"),
     lambda m: f"hämtad via {m.group(1)} av {m.group(2)} ({m.group(3)})"),
    (re.compile(r"\bpress release on\b"), "pressmeddelande om"),
    (re.compile(r"\bpress release\b"), "pressmeddelande"),
    (re.compile(r"^(\w+) press:"), r"\1, pressmeddelande:"),
    (re.compile(r"^(\w+) press (?=\w)"), r"\1, pressmeddelande om "),
    (re.compile(r"\bQ([1-4]) (\d{4})"), lambda m: f"{_QUARTERS[m.group(1)]} kvartalet {m.group(2)}"),
    (re.compile(r"\(SCB sjuklöneperioden "), "(SCB, sjuklöneperioden "),
    (re.compile(r"\bindicator\b"), "indikator"),
    (re.compile(r"\((\d{4}) data\)"), r"(uppgifter för \1)"),
    (re.compile(r"\bpage updated\b"), "sidan uppdaterad"),
    (re.compile(r"\(also ([^,]+), CWF eAlert\)"), r"(även \1 och Commonwealth Funds nyhetsbrev)"),
    (re.compile(r"\((\w+) et al\., (\d{4}) CWF survey of older adults\)"),
     r"(\1 m.fl., Commonwealth Funds undersökning \2 bland äldre)"),
    (re.compile(r"\(table: "), "(tabell: "),
    (re.compile(r"\bproduct page\b"), "produktsida"),
    (re.compile(r"\bon SCB (\w+)"), r"om SCB:s \1"),
    (re.compile(r" \+ "), " och "),
]


# A Kolada key figure as the collectors named it, pipeline and all: 'Kolada KPI U71451 (source: SKR Nationell
# patientenkät), as fetched via Kolada API v3 by …' → 'SKR, Nationell Patientenkät (U71451)' (the source line's
# label, 'Källa via Kolada', names the database).
_KOLADA = re.compile(r"^Kolada KPI (?P<kpi>\w+) \(source: (?P<org>[A-ZÅÄÖ]+) (?P<what>[^)]*)\)")
# a file name in a title says nothing to a reader: 'Yrkesprognoser (Yrkesprognos.json), bristindex' loses it
_FILE_NAME = re.compile(r" \([\w.-]+\.(?:json|csv|xlsx?)\)")


def swedish_title(title: str) -> str:
    """A source title with the collectors' English remarks in Swedish: 'Vårdfokus 2018 (quoting SKL
    sammanställning): …' → 'Vårdfokus 2018 (enligt SKL:s sammanställning): …'; a Kolada key figure named by its
    publisher and the database; no file names. Titles of publications that are English by name (OECD Health
    Statistics, Health at a Glance) are left as published. The one place source titles are put into Swedish."""
    out = str(title)
    kolada = _KOLADA.match(out)
    if kolada:
        return f"{kolada['org']}, {kolada['what'].replace('patientenkät', 'Patientenkät')} ({kolada['kpi']})"
    out = _FILE_NAME.sub("", out)
    out = re.sub(r"(\d{2})-(\d{2}) år", "\\1\u2013\\2 år", out)
    for pattern, replacement in _RULES:
        out = pattern.sub(replacement, out)
    return out


# --- sources and tables named in a chapter's Markdown ------------------------------------------------------------

def source_cell(rows: pd.DataFrame) -> str:
    """Markdown: each source of the rows once, as a link, secondary sources marked."""
    seen = rows[["source_publisher", "source_url", "source_type"]].drop_duplicates()
    out = []
    for pub, url, kind in seen.itertuples(index=False):
        label = text.escape(pub)
        item = links.md_link(label, url)
        out.append(item + (" (sekundärkälla)" if kind == "secondary" else ""))
    return "; ".join(out)


def table_titles(names) -> str:
    """Tables named for a reader: their catalog titles ('Helhetsintryck av primärvården per region (Nationell
    Patientenkät)'), never the internal table name; a table without a catalog entry is called 'en tabell som lagts
    till'."""
    from tillit.tables.catalog import load_catalog

    tables = load_catalog().tables
    titles = [text.escape(tables[n].title) if n in tables else "en tabell som lagts till" for n in names]
    return text.listing(list(dict.fromkeys(titles)))


__all__ = ["COPY", "DATABASE", "DATABASES", "KINDS", "OTHER", "PRESS", "PRESS_PUBLISHERS", "PRIMARY", "kind_label",
           "source_cell", "source_kind", "swedish_title", "table_titles"]
