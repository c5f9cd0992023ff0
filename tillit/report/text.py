"""Swedish numbers and wording that follows the numbers (Babel for formatting; words chosen from computed ratios)."""
from __future__ import annotations

import html

from tillit.claims import quantifiers


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

    The words come from the quantifier vocabulary the claims judge uses (tillit.claims.quantifiers.ratio_phrase), so the
    phrase always lies in the range the judge would accept for a/b, and it changes when the data does."""
    return quantifiers.ratio_phrase(a, b, adjective).words


def difference_words(a: float, b: float, unit: str = "procentenheter", decimals: int = 1,
                     same: str = "lika hög som") -> str:
    """a − b for shares or rates, between the numbers as shown: '3,7 procentenheter högre än' / `same` (not
    'procent', which would be a ratio). Use this for shares; `ratio_words`/`percent_difference` for levels."""
    return quantifiers.difference_phrase(a, b, unit, decimals, same).words


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


QUARTERS = {1: "första", 2: "andra", 3: "tredje", 4: "fjärde"}


# Places spoken of with "på" in Swedish (islands); every other län, region or kommun takes "i".
ON_PLACES = {"Gotland", "Öland", "Tjörn", "Orust", "Öckerö", "Värmdö", "Ekerö"}


# Swedish ordinal words for ranks ('den näst högsta', 'den tionde lägsta'); beyond twelve '13:e'.
ORDINAL_WORDS = {2: "näst", 3: "tredje", 4: "fjärde", 5: "femte", 6: "sjätte", 7: "sjunde", 8: "åttonde", 9: "nionde",
                 10: "tionde", 11: "elfte", 12: "tolfte"}


def ordinal(n: int) -> str:
    """'näst' (2), 'tredje', …, 'tolfte', then '13:e': the word before 'högsta'/'lägsta' in a rank."""
    return ORDINAL_WORDS.get(int(n), f"{int(n)}:e")


def month_name(month: int) -> str:
    """'januari' … 'december' (Babel's Swedish month names)."""
    from babel.dates import get_month_names

    return get_month_names("wide", locale="sv_SE")[int(month)]


def sex_label(code: str) -> str:
    """'Kvinnor', 'Män', 'Totalt' for the sex codes K, M, T (data/vocab.yaml)."""
    from tillit.tables.catalog import vocab

    return vocab("sex").label(code)


def sex_order() -> list[str]:
    """The sex labels in the order charts list them: women, men, total."""
    return [sex_label(c) for c in ("K", "M", "T")]


def place(name: str) -> str:
    """'på Gotland', 'i Dalarna', 'i riket' (Swedish preposition for the place)."""
    return ("på " if name in ON_PLACES else "i ") + name


def points(x: float, decimals: int = 1) -> str:
    """'3,7 procentenheter' (a difference between two shares)."""
    return f"{number(abs(x), decimals)}\u00a0procentenheter"


def period_label(period: object) -> str:
    """A period as a Swedish reader says it: '2005K1' → 'första kvartalet 2005', '2015-12' → 'december 2015',
    2017 → '2017'."""
    s = str(period)
    if len(s) == 6 and s[:4].isdigit() and s[4] in "KQ" and s[5] in "1234":
        return f"{QUARTERS[int(s[5])]} kvartalet {s[:4]}"
    if len(s) == 7 and s[:4].isdigit() and s[4] == "-" and s[5:].isdigit() and 1 <= int(s[5:]) <= 12:
        return f"{month_name(int(s[5:]))} {s[:4]}"
    return s


def years_span(years) -> str:
    """'2010' or '2010–2011' (the first and last of consecutive years)."""
    years = sorted(int(y) for y in years)
    return str(years[0]) if len(years) == 1 or years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def signed(x: float, decimals: int = 1) -> str:
    """A change with its sign, as a table shows it: '+0,3', '−0,6' (a real minus sign, U+2212), '0,0'."""
    shown = number(abs(x), decimals)
    if shown == number(0, decimals):
        return shown
    return ("+" if x > 0 else "\u2212") + shown


def places(names) -> str:
    """'på Gotland och i Örebro', 'i Stockholm, Uppsala och Skåne' (one preposition per change of preposition)."""
    names = list(names)
    out, last_prep = [], None
    for n in names:
        prep, _, rest = place(n).partition(" ")
        out.append(rest if prep == last_prep else f"{prep} {rest}")
        last_prep = prep
    return listing(out)


def council_word(year: int, definite: bool = True) -> str:
    """The county councils by period: 'landstingen' up to 2018, 'regionerna' from 2019 (when every landsting had
    become a region)."""
    if int(year) >= 2019:
        return "regionerna" if definite else "regioner"
    return "landstingen" if definite else "landsting"


def council_span(first: int, last: int, definite: bool = True, genitive: bool = False) -> str:
    """The county councils over a span of years: 'landstingen' (all before 2019), 'regionerna' (all from 2019), else
    'landstingen/regionerna'; `genitive` gives 'landstingens/regionernas', `definite=False` 'landsting/regioner'."""
    a, b = council_word(first, definite), council_word(last, definite)
    if genitive:
        a, b = a + "s", b + "s"
    return a if a == b else f"{a}/{b}"


def genitive(name: str) -> str:
    """Swedish genitive of a name: 'SKL:s' (an abbreviation), 'Arbetsförmedlingens', 'Försäkringskassans';
    a name ending in s, x or z takes nothing ('Vårdfokus')."""
    name = name.strip()
    if name.isupper():
        return f"{name}:s"
    return name if name[-1:].lower() in "sxz" else f"{name}s"


def years_listing(years) -> str:
    """'2014', '2014 och 2018', '2014, 2015 och 2018' (years in order)."""
    return listing([str(int(y)) for y in sorted(years)])


def span_with_gaps(years) -> str:
    """The years a series covers: '1990–2021', '2012–2021 utom 2014 och 2018', '2019' (a single year)."""
    years = sorted({int(y) for y in years})
    if not years:
        return ""
    if len(years) == 1:
        return str(years[0])
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if len(years) == 2:
        return f"{years[0]} och {years[1]}"
    return f"{years[0]}–{years[-1]}" + (f" utom {years_listing(gaps)}" if gaps else "")


# Numbers up to twelve are written as words in Swedish prose ('de övriga tio länderna'); larger ones as digits.
COUNT_WORDS = {0: "noll", 1: "en", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta", 9: "nio",
               10: "tio", 11: "elva", 12: "tolv"}


def count_word(n: int, neuter: bool = False) -> str:
    """'tio', 'elva', 'ett' (neuter one), '13': a count as a Swedish reader expects it in running text."""
    n = int(n)
    if n == 1 and neuter:
        return "ett"
    return COUNT_WORDS.get(n, number(n, 0))


def date_words(day) -> str:
    """'1 december 2026' (a date as written in Swedish prose, Babel's month name)."""
    return f"{day.day} {month_name(day.month)} {day.year}"
