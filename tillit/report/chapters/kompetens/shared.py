"""What the sections of 3.5 share: the series' names and publishers, the report's year, keyed-number helpers."""
from __future__ import annotations

import re

import pandas as pd

from tillit.claims import quantifiers
from tillit.report import citations, numbers, text
from tillit.tables.catalog import vocab


PROV = "source_publisher, source_title, source_url, source_type"


NBSP = "\u00a0"


REPORT_YEAR = 2017  # the last year the report (SOU 2018:47, published 2018) could have seen


SERIES_LABELS = {
    ("arbetsmarknaden", "arbetsgivarverket"): "Hela arbetsmarknaden",
    ("staten", "arbetsgivarverket"): "Staten",
    ("kommuner", "skr_sjukfranvaroredovisning"): "Kommuner",
    ("regioner", "skr_sjukfranvaroredovisning"): "Landsting/regioner",
    ("regioner", "oppna_jamforelser_563"): "Landstingsanställda (Öppna jämförelser)",
}


# The sector chart shows one series per sector; Öppna jämförelser's series for landsting employees overlaps SKL/SKR's
# and is described in the text (and shown per landsting and by sex further down the page).
CHART_SERIES = ["Hela arbetsmarknaden", "Staten", "Kommuner", "Landsting/regioner"]


# Who publishes each series (the catalog's description of the `series` column, in the reader's words).
SERIES_SOURCES_SHORT = {"arbetsgivarverket": "Arbetsgivarverket", "skr_sjukfranvaroredovisning": "SKL/SKR",
                        "oppna_jamforelser_563": "Öppna jämförelser"}


SERIES_SOURCES = {"arbetsgivarverket": "Arbetsgivarverket",
                  "skr_sjukfranvaroredovisning": "SKL/SKR:s sammanställning av den obligatoriska sjukfrånvaroredovisningen",
                  "oppna_jamforelser_563": "Öppna jämförelser (indikator 563)"}


def keyed_pct(parts: tuple, value, decimals: int = 1) -> str:
    return numbers.percent(numbers.key(*parts), value, decimals)


def keyed_num(parts: tuple, value, decimals: int = 1) -> str:
    return numbers.number(numbers.key(*parts), value, decimals)


def keyed_reg(parts: tuple, value, shown: str) -> str:
    return numbers.register(numbers.key(*parts), value, shown)


def keyed_count(parts: tuple, n: int) -> str:
    return numbers.register(numbers.key(*parts), int(n), str(int(n)))


def keyed_count_word(parts: tuple, n: int) -> str:
    """A count as running text writes it ('sex', '15'; text.count_word), keyed."""
    return numbers.register(numbers.key(*parts), int(n), text.count_word(n))


def keyed_diff(parts: tuple, a: float, b: float) -> str:
    """'93 procent högre' / '16 procent lägre' for a against b; the number (a/b − 1, in per cent) is keyed."""
    diff = (a / b - 1) * 100
    shown = keyed_reg(parts, diff, text.number(abs(diff), 0))
    return f"{shown}{NBSP}procent {'högre' if diff >= 0 else 'lägre'}"


def keyed_ratio(parts: tuple, a: float, b: float, adjective: str = "hög") -> str:
    """text.ratio_words (which may hold a number: 'drygt 70 procent högre än'), keyed by the ratio a/b."""
    return keyed_reg(parts, a / b, text.ratio_words(a, b, adjective))


def keyed_phrase(parts: tuple, value, words: str) -> str:
    """A phrase with several numbers (a trend, a gap over years) as one keyed record: value is the latest one."""
    return keyed_reg(parts, value, words)


MONTHS_EN = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
             "nov": 11, "dec": 12}


def month_from_english(m: re.Match, group: int) -> str:
    return text.month_name(MONTHS_EN[m.group(group)[:3].lower()])


# --- per-län measures shown as maps --------------------------------------------------------------------------------

NAMED_GAPS = 3  # län without data are named in the text up to this many; beyond it they are counted (the map names them)


def lan_codes() -> list[str]:
    """The codes of Sweden's 21 län (riket, '00', left out)."""
    return [c for c in vocab("region").labels if c != "00"]


def lan_extremes(per: pd.Series, key, decimals: int = 1, unit: str = "") -> str:
    """'högst i Västra Götaland (27,8) och lägst i Norrbotten (18,2)' for values by län code, compared as shown (län
    tied at the shown precision are all named); `key(label)` gives each named value's key parts. When every län shows
    the same value: 'lika i Stockholm och Uppsala (20,0)'."""
    regions = vocab("region")
    u = f"{NBSP}{unit}" if unit else ""
    shown = pd.Series([float(quantifiers.rounded(v, decimals)) for v in per], index=per.index)

    def at(value: float) -> str:
        codes = list(shown[shown == value].index)
        said = [keyed_num(key(regions.label(c)), per[c], decimals) for c in codes][0]
        return f"{text.places([regions.label(c) for c in codes])} ({said}{u})"

    if shown.max() == shown.min():
        return f"lika {at(shown.max())}"
    return f"högst {at(shown.max())} och lägst {at(shown.min())}"


def lan_gaps(present, key: tuple, what: str, noun: str = "kartan") -> str:
    """'' when every län has a value; else a sentence saying for how many län the data hold `what` ('ohälsotalet
    för 2023') and that the others are grey on the map (named when few). Counts keyed under `key`."""
    regions = vocab("region")
    codes = lan_codes()
    lacking = [c for c in codes if c not in set(present)]
    if not lacking:
        return ""
    have = keyed_count_word((*key, "lan-med-uppgift"), len(codes) - len(lacking))
    of = keyed_count((*key, "lan-antal"), len(codes))
    said = f"Bokens data har {what} bara för {have} av de {of} länen."
    if len(lacking) == 1:
        return (f"{said} För {regions.label(lacking[0])} saknas uppgift: länet är grått på {noun}, och {noun} säger "
                f"inget om hur det ligger till.")
    named = f" ({text.listing([regions.label(c) for c in lacking])})" if len(lacking) <= NAMED_GAPS else ""
    rest = keyed_count_word((*key, "lan-utan-uppgift"), len(lacking))
    return (f"{said} För de övriga {rest} länen{named} saknas uppgift: de är grå på {noun}, och {noun} säger inget "
            f"om hur de ligger till.")


def relayed_by(frame: pd.DataFrame, original: str) -> str:
    """'Uppgifterna kommer från statistikdatabasen Regionfakta, som återger Försäkringskassans statistik
    (sekundärkälla).': each publisher of the rows once, named by its kind of source (tillit.report.citations)."""
    rows = frame.drop_duplicates("source_publisher")
    own, others, secondary = False, [], 0
    for r in rows.itertuples(index=False):
        kind = citations.source_kind(r.source_publisher, r.source_url, r.source_type, r.source_title)
        name = text.escape(r.source_publisher)
        if kind == citations.PRIMARY and r.source_publisher == original:
            own = True
            continue
        secondary += r.source_type == "secondary"
        if kind == citations.DATABASE:
            name = f"statistikdatabasen {text.escape(citations.DATABASES.get(r.source_publisher, r.source_publisher))}"
        elif kind == citations.PRESS:
            name = f"{name} (press)"
        others.append(name)
    if not others:
        return f"Uppgifterna kommer från {original}."
    marker = {0: "", 1: " (sekundärkälla)"}.get(secondary, " (sekundärkällor)")
    return (f"Uppgifterna kommer från {text.listing(others)}, som återger {text.genitive(original)} statistik{marker}"
            + (f", och från {original} själv." if own else "."))
