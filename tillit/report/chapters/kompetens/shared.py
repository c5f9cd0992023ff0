"""What the sections of 3.5 share: the series' names and publishers, the report's year, keyed-number helpers."""
from __future__ import annotations

import re

from tillit.report import numbers, text


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
