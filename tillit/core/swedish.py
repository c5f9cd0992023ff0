"""Swedish number format, one rule everywhere: rounding half away from zero and Babel's sv_SE separators."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

LOCALE = "sv_SE"


def rounded(x: float, decimals: int) -> Decimal:
    """x rounded half away from zero, as Swedish readers expect (92,5 → 93), from its shortest decimal form
    (so 2.675 is 2,68, not the binary 2.67499…)."""
    exponent = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(x))).quantize(exponent, rounding=ROUND_HALF_UP)


def fixed(x: float, decimals: int = 1) -> str:
    """A Swedish number with exactly `decimals` decimals ('4,0', '1 234,5'), rounded half away from zero."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(rounded(x, decimals), format=pattern, locale=LOCALE)


def number(x: float, decimals: int = 2) -> str:
    """A Swedish number with up to `decimals` decimals ('89,16', '1 300 000'), rounded half away from zero."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if math.isinf(x):
        return "oändligt" if x > 0 else "minus oändligt"
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(rounded(x, decimals), format=pattern, locale=LOCALE)
