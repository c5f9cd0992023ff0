"""Swedish quantifier words ("omkring", "nästan dubbelt") as numeric ranges: the one place tolerances are set."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from tillit.core.swedish import fixed, number, rounded  # noqa: F401 (the judge and the prose share one format)

INF = math.inf

# ---------------------------------------------------------------------------------------------------------------
# The tolerances. Everything the claims registry (data/claims.yaml) implies about "how close is close" is set here.
#
# A claim's expectation is a short phrase copied from the report: a quantifier word followed by a quantity
# ("omkring 85 procent", "nästan dubbelt", "ungefär en tredjedel", "en dryg timme"), a quantity alone
# ("12 procent"), or a word that needs no number ("majoriteten", "högre", "näst sist"). The computed value it is
# compared with must be in the same unit as the quantity: "85 procent högre" is compared with 100 × (a/b − 1),
# "nästan dubbelt" with a/b, "ungefär en tredjedel över" with a/b − 1.
#
# Rules for a quantifier before a number v (relative tolerances are fractions of v):
#   approx  [v·(1+low), v·(1+high)], widened to v's own rounding interval when that is wider
#           (so "cirka tre procent" accepts 2.5–3.5: the report cannot have meant more precision than it wrote);
#   below   [v·(1+low), v]   – just under the number ("nästan", "knappt");
#   above   [v, v·(1+high)]  – just over the number ("drygt");
#   more    (v, ∞)           – strictly more ("över", "mer än");
#   less    (−∞, v)          – strictly less ("under", "mindre än");
#   exact   v ± max(rounding half-width of v, EXACT_MIN_RELATIVE·v) – a bare number is a rounded number, and the
#           data it is checked against are themselves rounded (e.g. 4,6 miljarder), so it gets at least ±5 %.
# The same ranges choose the words the book writes (`ratio_phrase`, `difference_phrase`): whatever the prose says
# about a value, the judge accepts for that value.
# ---------------------------------------------------------------------------------------------------------------

EXACT_MIN_RELATIVE = 0.05

QUANTIFIERS: dict[str, dict] = {
    # symmetric approximation: ±10 %
    "omkring": {"rule": "approx", "low": -0.10, "high": 0.10},
    "cirka": {"rule": "approx", "low": -0.10, "high": 0.10},
    "ca": {"rule": "approx", "low": -0.10, "high": 0.10},
    "ungefär": {"rule": "approx", "low": -0.10, "high": 0.10},
    "runt": {"rule": "approx", "low": -0.10, "high": 0.10},
    "kring": {"rule": "approx", "low": -0.10, "high": 0.10},
    "i storleksordningen": {"rule": "approx", "low": -0.10, "high": 0.10},
    # close to, mostly from below
    "nära": {"rule": "approx", "low": -0.10, "high": 0.05},
    # just under
    "nästan": {"rule": "below", "low": -0.10, "high": 0.0},
    "närmare": {"rule": "below", "low": -0.10, "high": 0.0},
    "knappt": {"rule": "below", "low": -0.10, "high": 0.0},
    "knapp": {"rule": "below", "low": -0.10, "high": 0.0},
    "lite mindre än": {"rule": "below", "low": -0.10, "high": 0.0},
    "strax under": {"rule": "below", "low": -0.10, "high": 0.0},
    # just over
    "drygt": {"rule": "above", "low": 0.0, "high": 0.10},
    "dryg": {"rule": "above", "low": 0.0, "high": 0.10},
    "strax över": {"rule": "above", "low": 0.0, "high": 0.10},
    "lite mer än": {"rule": "above", "low": 0.0, "high": 0.10},
    # open bounds
    "över": {"rule": "more"},
    "mer än": {"rule": "more"},
    "fler än": {"rule": "more"},
    "under": {"rule": "less"},
    "mindre än": {"rule": "less"},
    "färre än": {"rule": "less"},
    # emphasis only: the number is read as a bare number
    "bara": {"rule": "exact"},
    "endast": {"rule": "exact"},
    "": {"rule": "exact"},
}

# Words that carry their own number. `scale` says what the computed value must be:
#   share      a fraction 0–1 of a whole;
#   ratio      a/b, compared with 1 (or with `reference` when the value is a difference, compared with 0);
#   position   the share of the other units ranked below (0 = last, 1 = first);
#   rank_top   place counted from the top (1 = highest); rank_bottom: place counted from the bottom (1 = last);
#   boolean    1 when a stated ordering holds, else 0.
# Bounds: (low, high, low_closed, high_closed); for ratios they are multiples of the reference.
STANDALONE: dict[str, dict] = {
    "majoriteten": {"scale": "share", "bounds": (0.5, 1.0, False, True)},
    "flertalet": {"scale": "share", "bounds": (0.5, 1.0, False, True)},
    "merparten": {"scale": "share", "bounds": (0.5, 1.0, False, True)},
    "de flesta": {"scale": "share", "bounds": (0.5, 1.0, False, True)},
    "det stora flertalet": {"scale": "share", "bounds": (0.75, 1.0, True, True)},
    "den överväldigande majoriteten": {"scale": "share", "bounds": (0.8, 1.0, True, True)},
    "en stor del": {"scale": "share", "bounds": (0.25, 1.0, True, True)},
    "till stor del": {"scale": "share", "bounds": (0.5, 1.0, True, True)},
    # comparisons with a reference (a ratio compared with 1)
    "högre": {"scale": "ratio", "bounds": (1.0, INF, False, False)},
    "större": {"scale": "ratio", "bounds": (1.0, INF, False, False)},
    "fler": {"scale": "ratio", "bounds": (1.0, INF, False, False)},
    "mer": {"scale": "ratio", "bounds": (1.0, INF, False, False)},
    "över genomsnittet": {"scale": "ratio", "bounds": (1.0, INF, False, False)},
    "förhållandevis många": {"scale": "ratio", "bounds": (1.0, INF, False, False)},
    "ökat": {"scale": "ratio", "bounds": (1.0, INF, False, False)},
    "klart över genomsnittet": {"scale": "ratio", "bounds": (1.1, INF, True, False)},
    "klart högre": {"scale": "ratio", "bounds": (1.1, INF, True, False)},
    "betydligt större": {"scale": "ratio", "bounds": (1.1, INF, True, False)},
    "lägre": {"scale": "ratio", "bounds": (-INF, 1.0, False, False)},
    "mindre": {"scale": "ratio", "bounds": (-INF, 1.0, False, False)},
    "färre": {"scale": "ratio", "bounds": (-INF, 1.0, False, False)},
    "ungefär lika": {"scale": "ratio", "bounds": (0.97, 1.03, True, True)},
    "något högre": {"scale": "ratio", "bounds": (1.0, INF, False, False)},
    "något lägre": {"scale": "ratio", "bounds": (-INF, 1.0, False, False)},
    "under genomsnittet": {"scale": "ratio", "bounds": (-INF, 1.0, False, False)},
    "sjunkit": {"scale": "ratio", "bounds": (-INF, 1.0, False, False)},
    "minskat": {"scale": "ratio", "bounds": (-INF, 1.0, False, False)},
    "försämring": {"scale": "ratio", "bounds": (-INF, 1.0, False, False)},
    "betydligt mindre": {"scale": "ratio", "bounds": (-INF, 0.9, False, True)},
    "mycket lägre": {"scale": "ratio", "bounds": (-INF, 0.8, False, True)},
    "bättre": {"scale": "ratio", "bounds": (1.0, INF, False, False)},
    "sämre": {"scale": "ratio", "bounds": (-INF, 1.0, False, False)},
    "nära genomsnittet": {"scale": "ratio", "bounds": (0.9, 1.1, True, True)},
    # position among countries or groups
    "långt ner": {"scale": "position", "bounds": (0.0, 1 / 3, True, True)},
    "högt": {"scale": "position", "bounds": (2 / 3, 1.0, True, True)},
    "högt upp": {"scale": "position", "bounds": (2 / 3, 1.0, True, True)},
    "relativt högt": {"scale": "position", "bounds": (0.5, 1.0, True, True)},
    "flest": {"scale": "position", "bounds": (2 / 3, 1.0, True, True)},
    # places
    "högst": {"scale": "rank_top", "bounds": (1, 1, True, True)},
    "störst": {"scale": "rank_top", "bounds": (1, 1, True, True)},
    "näst högst": {"scale": "rank_top", "bounds": (2, 2, True, True)},
    "sist": {"scale": "rank_bottom", "bounds": (1, 1, True, True)},
    "allra sist": {"scale": "rank_bottom", "bounds": (1, 1, True, True)},
    "lägst": {"scale": "rank_bottom", "bounds": (1, 1, True, True)},
    "näst sist": {"scale": "rank_bottom", "bounds": (2, 2, True, True)},
    # a stated ordering, computed as 1 (holds) or 0
    "sant": {"scale": "boolean", "bounds": (1, 1, True, True)},
}

# Numbers written as words.
NUMBER_WORDS: dict[str, int] = {
    "noll": 0, "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
    "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16, "sjutton": 17,
    "arton": 18, "nitton": 19, "tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "hundra": 100,
}
# Fractions written as words (scale "share").
FRACTION_WORDS: dict[str, float] = {
    "hälften": 1 / 2, "halva": 1 / 2, "en halv": 1 / 2, "en tredjedel": 1 / 3, "två tredjedelar": 2 / 3,
    "en fjärdedel": 1 / 4, "tre fjärdedelar": 3 / 4, "en femtedel": 1 / 5, "en tiondel": 1 / 10,
}
# "var femte" = one in five.
ORDINAL_DENOMINATORS: dict[str, int] = {
    "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6, "sjunde": 7, "åttonde": 8, "nionde": 9,
    "tionde": 10,
}
# Multiples (scale "ratio"): "dubbelt så hög", "har fördubblats".
MULTIPLE_WORDS: dict[str, int] = {
    "dubbelt": 2, "dubbla": 2, "fördubblats": 2, "fördubblas": 2, "fördubbling": 2, "tredubblats": 3,
}
SCALE_WORDS: dict[str, float] = {
    "tusen": 1e3, "miljon": 1e6, "miljoner": 1e6, "miljard": 1e9, "miljarder": 1e9,
}
# Words that may stand between the quantifier and the quantity without changing it ("nästan har fördubblats").
FILLER_WORDS = ("har", "så")


@dataclass(frozen=True)
class Range:
    """An interval of acceptable values; infinite ends allowed."""

    low: float
    high: float
    low_closed: bool = True
    high_closed: bool = True

    def __post_init__(self):
        if self.low > self.high:
            raise ValueError(f"empty range: {self.low} > {self.high}")

    def contains(self, x: float) -> bool:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return False
        above_low = x >= self.low if self.low_closed else x > self.low
        below_high = x <= self.high if self.high_closed else x < self.high
        return bool(above_low and below_high)

    def hull(self, other: Range) -> Range:
        """The smallest range holding both."""
        if other.low < self.low or (other.low == self.low and other.low_closed):
            low, low_closed = other.low, other.low_closed or (other.low == self.low and self.low_closed)
        else:
            low, low_closed = self.low, self.low_closed
        if other.high > self.high or (other.high == self.high and other.high_closed):
            high, high_closed = other.high, other.high_closed or (other.high == self.high and self.high_closed)
        else:
            high, high_closed = self.high, self.high_closed
        return Range(low, high, low_closed, high_closed)

    def describe(self, decimals: int = 2) -> str:
        """Swedish: '76,5–93,5', 'över 1', 'högst 0,8', 'exakt 2'."""
        fmt = lambda x: number(x, decimals)  # noqa: E731
        if self.low == self.high:
            return f"exakt {fmt(self.low)}"
        if math.isinf(self.low) and math.isinf(self.high):
            return "vilket värde som helst"
        if math.isinf(self.high):
            return f"{'minst' if self.low_closed else 'över'} {fmt(self.low)}"
        if math.isinf(self.low):
            return f"{'högst' if self.high_closed else 'under'} {fmt(self.high)}"
        text = f"{fmt(self.low)}–{fmt(self.high)}"
        if not self.low_closed:
            text = f"över {fmt(self.low)} och upp till {fmt(self.high)}"
        elif not self.high_closed:
            text = f"från {fmt(self.low)} till under {fmt(self.high)}"
        return text


@dataclass(frozen=True)
class Quantity:
    """A number as the report wrote it: value (scaled), unit word(s), scale kind and the rounding half-width."""

    value: float
    unit: str
    scale: str  # number | share | ratio
    half_width: float
    text: str


@dataclass(frozen=True)
class Expectation:
    """What a phrase from the report allows: the range, how it was read, and the tolerance in Swedish."""

    text: str
    quantifier: str
    quantity: Quantity | None
    scale: str
    range: Range
    tolerance: str


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u00a0", " ")).strip().casefold()


_DIGITS = re.compile(r"^(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,(\d+))?(?=\s|$)")


def _parse_digits(text: str) -> tuple[float, float, str] | None:
    """'1,3 miljoner personer' → (1.3, 0.05, 'miljoner personer'): value, rounding half-width, rest."""
    match = _DIGITS.match(text)
    if not match:
        return None
    whole = re.sub(r"[ \u00a0]", "", match.group(1))
    decimals = match.group(2) or ""
    value = float(f"{whole}.{decimals}" if decimals else whole)
    half_width = 0.5 * 10 ** (-len(decimals))
    return value, half_width, text[match.end():].strip()


def _scale_rest(value: float, half_width: float, rest: str) -> tuple[float, float, str]:
    words = rest.split(" ", 1)
    if words and words[0] in SCALE_WORDS:
        factor = SCALE_WORDS[words[0]]
        return value * factor, half_width * factor, words[1] if len(words) > 1 else ""
    return value, half_width, rest


def parse_quantity(text: str) -> Quantity:
    """Read a stated quantity: '85 procent', 'tre procent', '1,3 miljoner personer', 'en tredjedel', 'var femte',
    'åtta av tio', 'dubbelt', 'tre gånger', 'fördubblats', 'en timme', '2010'. ValueError if it is not one."""
    original = text
    text = _norm(text)
    if not text:
        raise ValueError("no quantity in ''")
    for word, value in sorted(FRACTION_WORDS.items(), key=lambda kv: -len(kv[0])):
        if text == word or text.startswith(word + " "):
            value, half_width, rest = _scale_rest(value, 0.0, text[len(word):].strip())
            scale = "number" if value >= 1 else "share"  # "en halv miljon" is an amount
            return Quantity(value, rest, scale, half_width, original)
    match = re.fullmatch(r"var (\w+)(?: (.*))?", text)
    if match and match.group(1) in ORDINAL_DENOMINATORS:
        return Quantity(1 / ORDINAL_DENOMINATORS[match.group(1)], match.group(2) or "", "share", 0.0, original)
    match = re.fullmatch(r"(\S+) av (\S+)(?: (.*))?", text)
    if match:
        num, den = _plain_number(match.group(1)), _plain_number(match.group(2))
        if num is not None and den:
            return Quantity(num / den, match.group(3) or "", "share", 0.0, original)
    first, _, rest = text.partition(" ")
    if first in MULTIPLE_WORDS:
        return Quantity(float(MULTIPLE_WORDS[first]), "gånger", "ratio", 0.0, original)
    parsed = _parse_digits(text)
    if parsed is None and first in NUMBER_WORDS:
        parsed = (float(NUMBER_WORDS[first]), 0.5, rest)
    if parsed is None:
        raise ValueError(f"no quantity in {original!r}")
    value, half_width, rest = parsed
    value, half_width, rest = _scale_rest(value, half_width, rest)
    if rest == "gånger" or rest.startswith("gånger "):
        return Quantity(value, "gånger", "ratio", 0.0, original)
    return Quantity(value, rest, "number", half_width, original)


def _plain_number(word: str) -> float | None:
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    parsed = _parse_digits(word)
    return parsed[0] if parsed and not parsed[2] else None


def parse_number(text: str) -> float:
    """The value of a stated quantity ('åtta' → 8, '2010' → 2010, 'elva' → 11)."""
    return parse_quantity(text).value


def _strip_fillers(text: str) -> str:
    words = [w for w in text.split(" ") if w not in FILLER_WORDS]
    return " ".join(words)


def _split_quantifier(text: str) -> tuple[str, str]:
    """'omkring 85 procent' → ('omkring', '85 procent'); 'en dryg timme' → ('dryg', 'en timme')."""
    match = re.fullmatch(r"(en|ett) (dryg|drygt|knapp|knappt) (.+)", text)
    if match:
        return match.group(2), f"{match.group(1)} {match.group(3)}"
    for word in sorted((w for w in QUANTIFIERS if w), key=len, reverse=True):
        if text.startswith(word + " "):
            return word, _strip_fillers(text[len(word) + 1:].strip())
    return "", text


def _approx_range(q: Quantity, low: float, high: float) -> Range:
    v = q.value
    a, b = sorted((v * (1 + low), v * (1 + high)))
    return Range(a, b).hull(Range(v - q.half_width, v + q.half_width))


def expectation(text: str, reference: float = 1.0) -> Expectation:
    """Read a phrase from the report as a range of acceptable values.

    `reference` only matters for comparisons without a number ('högre', 'lägre'): they compare a ratio with 1 by
    default; pass reference=0 when the computed value is a difference. Raises ValueError for unknown phrases."""
    norm = _norm(text)
    if norm in STANDALONE:
        spec = STANDALONE[norm]
        low, high, low_closed, high_closed = spec["bounds"]
        if spec["scale"] == "ratio" and reference != 1.0:
            if reference != 0.0 or (low not in (1.0, -INF) or high not in (1.0, INF)):
                raise ValueError(f"{text!r} needs a ratio (reference 1), not a difference")
            low, high = (low - 1.0 if not math.isinf(low) else low), (high - 1.0 if not math.isinf(high) else high)
        return Expectation(text, norm, None, spec["scale"], Range(low, high, low_closed, high_closed),
                       describe_word(norm))
    word, rest = _split_quantifier(norm)
    quantity = parse_quantity(rest)
    key = word
    spec = QUANTIFIERS[key]
    v = quantity.value
    rule = spec["rule"]
    if rule == "approx":
        rng = _approx_range(quantity, spec["low"], spec["high"])
    elif rule == "below":
        rng = Range(v * (1 + spec["low"]), v)
    elif rule == "above":
        rng = Range(v, v * (1 + spec["high"]))
    elif rule == "more":
        rng = Range(v, INF, False, False)
    elif rule == "less":
        rng = Range(-INF, v, False, False)
    else:
        half = max(quantity.half_width, abs(v) * EXACT_MIN_RELATIVE)
        rng = Range(v - half, v + half)
    return Expectation(text, key, quantity, quantity.scale, rng, describe_word(key))


def _share(fraction: float) -> str:
    return f"{number(100 * abs(fraction), 0)}\u00a0procent"


def describe_word(word: str) -> str:
    """What a quantifier or stand-alone word allows, in Swedish, generated from its numbers in the tables above
    ('upp till 10 procent under talet, inte över'; 'kvoten över 1'; 'plats 2 nerifrån')."""
    if word in QUANTIFIERS:
        spec = QUANTIFIERS[word]
        rule = spec["rule"]
        if rule == "approx":
            return f"från {_share(spec['low'])} under till {_share(spec['high'])} över talet"
        if rule == "below":
            return f"upp till {_share(spec['low'])} under talet, inte över"
        if rule == "above":
            return f"upp till {_share(spec['high'])} över talet, inte under"
        if rule == "more":
            return "mer än talet"
        if rule == "less":
            return "mindre än talet"
        return f"talet som avrundat tal, minst ±{_share(EXACT_MIN_RELATIVE)}"
    spec = STANDALONE[word]
    low, high, low_closed, high_closed = spec["bounds"]
    scale = spec["scale"]
    if scale == "share":
        if high == 1.0:
            return f"{'minst' if low_closed else 'mer än'} {_share(low)} av helheten"
        return f"{_share(low)}–{_share(high)} av helheten"
    if scale == "ratio":
        return "kvoten " + Range(low, high, low_closed, high_closed).describe()
    if scale == "position":
        if high == 1.0:
            return f"att minst {_share(low)} av de övriga ligger lägre"
        return f"att högst {_share(high)} av de övriga ligger lägre"
    if scale in ("rank_top", "rank_bottom"):
        return f"plats {number(low, 0)} {'uppifrån' if scale == 'rank_top' else 'nerifrån'}"
    return "att den angivna ordningen stämmer"


def expected_range(text: str, reference: float = 1.0) -> Range:
    """Shorthand: the range a phrase allows."""
    return expectation(text, reference).range


def known_words() -> list[str]:
    """Every quantifier and stand-alone word the parser knows (for documentation pages)."""
    return sorted([w for w in QUANTIFIERS if w] + list(STANDALONE))


# --- the same vocabulary for writing -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Phrase:
    """Words the book writes about a computed value, and how the judge reads them back.

    `judge_text` is the part of `words` the judge parses (`expectation(judge_text, reference)`), `value` is the
    number it is compared with (a ratio, an excess share or percent, or a difference): the judge's range for
    `judge_text` always contains `value`."""

    words: str
    judge_text: str
    value: float
    reference: float = 1.0

    def judged(self) -> Range:
        return expectation(self.judge_text, self.reference).range


_MULTIPLES = ((2, "dubbelt"), (3, "tre gånger"), (4, "fyra gånger"))
_EXCESS_FRACTIONS = ((1 / 4, "en fjärdedel"), (1 / 3, "en tredjedel"), (1 / 2, "hälften"))
_COMPARATIVE = {"hög": ("högre", "lägre"), "stor": ("större", "mindre"), "lång": ("längre", "kortare"),
                "många": ("fler", "färre")}


def _first_fitting(value: float, candidates, reference: float = 1.0) -> str | None:
    for text in candidates:
        if expectation(text, reference).range.contains(value):
            return text
    return None


def _rounded_percent_text(excess_percent: float) -> str:
    """'drygt 70 procent' / 'knappt 80 procent' for values of 20 and more, else the whole number ('12 procent')."""
    e = round(excess_percent, 9)  # 1.6 / 1 − 1 is 0.6000000000000001: no "drygt" from binary noise
    if e >= 20:
        down, up = 10 * math.floor(e / 10), 10 * math.ceil(e / 10)
        text = _first_fitting(e, [f"{number(up, 0)}\u00a0procent" if up == down
                                  else f"drygt {number(down, 0)}\u00a0procent", f"knappt {number(up, 0)}\u00a0procent"])
        if text:
            return text
    return f"{number(e, 0)}\u00a0procent"


def ratio_phrase(a: float, b: float, adjective: str = "hög") -> Phrase:
    """How a compares with b, in the words the judge accepts for a/b: 'nästan dubbelt så hög som',
    'ungefär en tredjedel högre än', 'drygt 70 procent högre än', 'ungefär lika hög som', '12 procent lägre än'."""
    if b == 0 or any(math.isnan(v) for v in (a, b)):
        raise ValueError(f"cannot compare {a} with {b}")
    r = a / b
    higher, lower = _COMPARATIVE.get(adjective, (adjective + "re", "lägre"))
    if expectation("ungefär lika").range.contains(r):
        return Phrase(f"ungefär lika {adjective} som", "ungefär lika", r)
    if r > 1:
        for index, (factor, word) in enumerate(_MULTIPLES):
            following = _MULTIPLES[index + 1][0] if index + 1 < len(_MULTIPLES) else None
            candidates = [word] if abs(r - factor) <= 0.01 * factor else []
            candidates += [f"nästan {word}", f"drygt {word}"]
            if r > factor and (following is None or r < following * (1 + QUANTIFIERS["nästan"]["low"])):
                candidates.append(f"mer än {word}")
            text = _first_fitting(r, candidates)
            if text:
                return Phrase(f"{text} så {adjective} som", text, r)
        excess = r - 1
        for target, word in _EXCESS_FRACTIONS:
            text = _first_fitting(excess, [f"ungefär {word}"])
            if text:
                return Phrase(f"{text} {higher} än", text, excess)
        e = 100 * excess
        if e < 1:
            return Phrase(f"något {higher} än", "något högre", r)
        text = _rounded_percent_text(e)
        return Phrase(f"{text} {higher} än", text, e)
    text = _first_fitting(r, ["ungefär hälften", "mindre än hälften"])
    if text:
        return Phrase(f"{text} så {adjective} som", text, r)
    shortfall = 100 * (1 - r)
    if shortfall < 1:
        return Phrase(f"något {lower} än", "något lägre", r)
    text = _rounded_percent_text(shortfall)
    return Phrase(f"{text} {lower} än", text, shortfall)


def difference_phrase(a: float, b: float, unit: str = "procentenheter", decimals: int = 1,
                      same: str = "lika hög som") -> Phrase:
    """a − b in the unit's own terms ('3,7 procentenheter högre än', 'lika hög som'): for differences between
    shares, where 'procent' would describe a ratio. The difference is taken between the numbers as shown (each
    rounded to `decimals`), so a reader can check it; the judge reads it as a rounded number."""
    d = float(rounded(a, decimals) - rounded(b, decimals))
    if d == 0:
        return Phrase(same, "0", 0.0, reference=0.0)
    text = f"{fixed(abs(d), decimals)}\u00a0{unit}"
    return Phrase(f"{text} {'högre' if d > 0 else 'lägre'} än", text, abs(d), reference=0.0)
