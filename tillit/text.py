"""Swedish numbers and wording that follows the numbers (Babel for formatting; words chosen from computed ratios)."""
from __future__ import annotations

import html
import math

from babel.numbers import format_decimal

LOCALE = "sv_SE"


def number(x: float, decimals: int = 1) -> str:
    """'3,5', '1 234' (no-break space as thousands separator), '–' for missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(x, format=pattern, locale=LOCALE)


def percent(x: float, decimals: int = 1) -> str:
    """'3,5 procent'."""
    return f"{number(x, decimals)}\u00a0procent"


def ratio_words(a: float, b: float, adjective: str = "hög") -> str:
    """How a compares with b in words: 'nästan dubbelt så hög som', 'ungefär en tredjedel högre än', 'lägre än'.

    The phrase is chosen from the ratio a/b, so it changes when the data does."""
    if b == 0:
        raise ValueError("cannot compare with zero")
    r = a / b
    comparative = {"hög": "högre", "stor": "större", "låg": "lägre", "lång": "längre"}.get(adjective, adjective + "re")
    if 0.97 <= r <= 1.03:
        return f"ungefär lika {adjective} som"
    if r < 1:
        lower = {"hög": "lägre", "stor": "mindre", "lång": "kortare"}.get(adjective, "lägre")
        if r <= 0.55 and r >= 0.45:
            return f"ungefär hälften så {adjective} som"
        if r < 0.45:
            return f"mindre än hälften så {adjective} som"
        if r > 0.9:
            return f"något {lower} än"
        return f"{lower} än"
    if r < 1.1:
        return f"något {comparative} än"
    multiples = [(2.0, "dubbelt"), (3.0, "tre gånger"), (4.0, "fyra gånger")]
    for target, word in multiples:
        if abs(r - target) < 0.05 * target:
            return f"ungefär {word} så {adjective} som"
        if target * 0.85 <= r <= target * 0.95:
            return f"nästan {word} så {adjective} som"
        if target * 1.05 < r <= target * 1.15:
            return f"drygt {word} så {adjective} som"
    fractions = [(1 / 4, "en fjärdedel"), (1 / 3, "en tredjedel"), (1 / 2, "hälften")]
    excess = r - 1
    for target, word in fractions:
        if abs(excess - target) <= 0.04:
            return f"ungefär {word} {comparative} än"
    if r > 4.6:
        return f"mer än fyra gånger så {adjective} som"
    return f"{number(excess * 100, 0)}\u00a0procent {comparative} än"


def percent_difference(a: float, b: float) -> str:
    """'85 procent högre' / '12 procent lägre' for a relative to b."""
    diff = (a / b - 1) * 100
    word = "högre" if diff >= 0 else "lägre"
    return f"{number(abs(diff), 0)}\u00a0procent {word}"


def change_words(first: float, last: float, decimals: int = 1, unit: str = "procent") -> str:
    """'ökade från 3,1 till 4,0 procent' / 'minskade …' / 'var oförändrad på …'."""
    if round(first, decimals) == round(last, decimals):
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
