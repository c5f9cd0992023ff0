"""Swedish numbers and wording that follows the numbers (Babel for formatting; words chosen from computed ratios)."""
from __future__ import annotations

import html
import math

from babel.numbers import format_decimal

from tillit import quantifiers

LOCALE = "sv_SE"


def number(x: float, decimals: int = 1) -> str:
    """'3,5', '1 234' (no-break space as thousands separator), '–' for missing; rounded half away from zero
    (92,5 → 93), as Swedish readers expect."""
    return quantifiers.fixed(x, decimals)


def percent(x: float, decimals: int = 1) -> str:
    """'3,5 procent'."""
    return f"{number(x, decimals)}\u00a0procent"


def ratio_words(a: float, b: float, adjective: str = "hög") -> str:
    """How a compares with b in words: 'nästan dubbelt så hög som', 'ungefär en tredjedel högre än',
    'drygt 70 procent högre än', 'lägre än'.

    The words come from the quantifier vocabulary the claims judge uses (tillit.quantifiers.ratio_phrase), so the
    phrase always lies in the range the judge would accept for a/b, and it changes when the data does."""
    return quantifiers.ratio_phrase(a, b, adjective).words


def difference_words(a: float, b: float, unit: str = "procentenheter", decimals: int = 1) -> str:
    """a − b for shares or rates: '3,7 procentenheter högre än' (not 'procent', which would be a ratio)."""
    return quantifiers.difference_phrase(a, b, unit, decimals).words


def percent_difference(a: float, b: float) -> str:
    """'85 procent högre' / '12 procent lägre' for a relative to b."""
    diff = (a / b - 1) * 100
    word = "högre" if diff >= 0 else "lägre"
    return f"{number(abs(diff), 0)}\u00a0procent {word}"


def change_words(first: float, last: float, decimals: int = 1, unit: str = "procent") -> str:
    """'ökade från 3,1 till 4,0 procent' / 'minskade …' / 'var oförändrad på …'."""
    if quantifiers.rounded(first, decimals) == quantifiers.rounded(last, decimals):
        return f"var oförändrad på {number(last, decimals)}\u00a0{unit}".rstrip()
    verb = "ökade" if last > first else "minskade"
    return f"{verb} från {number(first, decimals)} till {number(last, decimals)}\u00a0{unit}".rstrip()


def listing(items: list[str]) -> str:
    """'a, b och c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def escape(text: object) -> str:
    """Text from data made safe for Markdown/HTML output."""
    return html.escape(str(text), quote=True).replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;")
