"""What a series, a gap or a position means, said in Swedish: turning points, trends, gaps, ranks, distance to a
reference. Each rule is tested on synthetic series (tests/test_trends.py)."""
from __future__ import annotations

import pandas as pd

from tillit.claims import quantifiers
from tillit.report.text import listing, number, ordinal, years_span


def _as_series(values) -> pd.Series:
    s = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values.astype(float)
    return s.dropna().sort_index()


def _plateau(s, i: int, decimals: int) -> list:
    """The labels next to position i (consecutive) whose value shows the same as s.iloc[i] at `decimals`."""
    shown = round(float(s.iloc[i]), decimals)
    lo = hi = i
    while lo > 0 and round(float(s.iloc[lo - 1]), decimals) == shown:
        lo -= 1
    while hi < len(s) - 1 and round(float(s.iloc[hi + 1]), decimals) == shown:
        hi += 1
    return list(s.index[lo:hi + 1])


def turning_points(values, threshold: float | None = None, decimals: int = 1) -> list[tuple[str, list, float]]:
    """The series' significant turning points in order: [('botten' | 'topp', [years at that level], value), …].

    A turning point is where a series stopped falling and began rising (botten) or the reverse (topp), counted only
    when the move away from it is at least `threshold` (default: a quarter of the series' range), so small wiggles
    do not count. Years at the same shown value next to the turning point are returned with it (a plateau)."""
    s = _as_series(values)
    if len(s) < 3:
        return []
    span = float(s.max() - s.min())
    if span == 0:
        return []
    threshold = span / 4 if threshold is None else threshold
    pivots = []
    direction = 0  # +1 rising, -1 falling, 0 unknown
    ext = 0  # position of the current extreme candidate
    for i in range(1, len(s)):
        v, e = float(s.iloc[i]), float(s.iloc[ext])
        if direction == 0:
            if abs(v - float(s.iloc[0])) >= threshold:
                direction = 1 if v > float(s.iloc[0]) else -1
                ext = i
            elif (v > e) if s.iloc[ext] >= s.iloc[0] else (v < e):
                ext = i
            continue
        if (direction == 1 and v >= e) or (direction == -1 and v <= e):
            ext = i
        elif abs(v - e) >= threshold:
            pivots.append(("topp" if direction == 1 else "botten", ext))
            direction, ext = -direction, i
    out = []
    for kind, i in pivots:
        if 0 < i < len(s) - 1:
            out.append((kind, _plateau(s, i, decimals), float(s.iloc[i])))
    return out


def trend_words(values, unit: str = "procent", decimals: int = 1, threshold: float | None = None,
                breaks=(), flat: float | None = None, pronoun: str = "den") -> str:
    """What a yearly series did, with its turning points: 'minskade från 6,1 procent 1990 till 3,1 procent
    2010–2011 och ökade sedan till 4,0 procent 2021'.

    A series whose values all lie within `flat` of each other (default: the rounding step) 'låg kvar på omkring …';
    two points that show the same number 'var … både 2015 och 2017'.
    `breaks` are years where a new series begins (tidsseriebrott): the parts before and after are described apart
    and never joined into one change (`pronoun` is the subject after the break: 'den', 'det' or 'andelen')."""
    s = _as_series(values)
    if s.empty:
        return ""
    u = f"\u00a0{unit}" if unit else ""
    breaks = sorted(int(b) for b in breaks if s.index.min() < int(b) <= s.index.max())
    if breaks:
        parts, start = [], s.index.min()
        for b in breaks + [None]:
            seg = s[(s.index >= start) & ((s.index < b) if b is not None else True)]
            if len(seg):
                parts.append((start, seg))
            start = b
        words = [trend_words(seg, unit, decimals, threshold) for _, seg in parts]
        out = words[0]
        for (start, seg), w in zip(parts[1:], words[1:]):
            verb, _, rest = w.partition(" ")
            out += f"; efter tidsseriebrottet {start} {verb} {pronoun} {rest}"
        return out
    first, last = s.index[0], s.index[-1]
    v0, v1 = float(s.iloc[0]), float(s.iloc[-1])
    if len(s) == 1:
        return f"var {number(v0, decimals)}{u} {first}"
    tol = flat if flat is not None else 10 ** -decimals
    if len(s) == 2 and number(v0, decimals) == number(v1, decimals):
        return f"var {number(v1, decimals)}{u} både {first} och {last}"  # two equal points: no 'omkring'
    if float(s.max() - s.min()) <= tol + 1e-9:
        return f"låg kvar på omkring {number(float(s.mean()), decimals)}{u} mellan {first} och {last}"
    pivots = turning_points(s, threshold, decimals)
    if not pivots:
        if round(v0, decimals) == round(v1, decimals):
            return f"var {number(v1, decimals)}{u} både {first} och {last}"
        verb = "ökade" if v1 > v0 else "minskade"
        return f"{verb} från {number(v0, decimals)}{u} {first} till {number(v1, decimals)}{u} {last}"
    legs = []
    prev = v0
    for kind, years, value in pivots:
        verb = "ökade" if value > prev else "minskade"
        legs.append((verb, f"{number(value, decimals)}{u} {years_span(years)}"))
        prev = value
    clauses = [f"{legs[0][0]} från {number(v0, decimals)}{u} {first} till {legs[0][1]}"]
    clauses += [f"{verb} till {where}" for verb, where in legs[1:]]
    if round(v1, decimals) != round(prev, decimals):
        clauses.append(f"{'ökade' if v1 > prev else 'minskade'} sedan till {number(v1, decimals)}{u} {last}")
    return listing(clauses)


def trend_figures(values, decimals: int = 1, threshold: float | None = None, breaks=(),
                  flat: float | None = None) -> list[tuple[str, float]]:
    """The numbers `trend_words` shows for the same series and arguments, each with the period it is said for, in
    the order they appear: ('2007', 6.0), ('2010–2011', 3.1) for a turning point on a plateau, ('2015–2023', 80.2)
    for the mean of a series that 'låg kvar på omkring …'. For giving each number of a trend sentence a key
    (tillit.report.numbers)."""
    s = _as_series(values)
    if s.empty:
        return []
    breaks = sorted(int(b) for b in breaks if s.index.min() < int(b) <= s.index.max())
    if breaks:
        out, start = [], s.index.min()
        for b in breaks + [None]:
            seg = s[(s.index >= start) & ((s.index < b) if b is not None else True)]
            out += trend_figures(seg, decimals, threshold)
            start = b
        return out
    first, last = s.index[0], s.index[-1]
    v0, v1 = float(s.iloc[0]), float(s.iloc[-1])
    if len(s) == 1:
        return [(str(first), v0)]
    if len(s) == 2 and number(v0, decimals) == number(v1, decimals):
        return [(str(first), v0), (str(last), v1)]
    tol = flat if flat is not None else 10 ** -decimals
    if float(s.max() - s.min()) <= tol + 1e-9:
        return [(years_span([first, last]), float(s.mean()))]
    pivots = turning_points(s, threshold, decimals)
    if not pivots:
        return [(str(first), v0), (str(last), v1)]
    out = [(str(first), v0)] + [(years_span(years), value) for _, years, value in pivots]
    if round(v1, decimals) != round(pivots[-1][2], decimals):
        out.append((str(last), v1))
    return out


def gap_words(gaps, unit: str = "procent", decimals: int = 0, noun: str = "skillnaden",
              plateau: float | None = None, same: str = "densamma") -> str:
    """How a gap between two series moved over the years: 'skillnaden växte från 67 procent 2012 till omkring
    90 procent 2016–2021' / 'skillnaden krympte från …' / 'skillnaden var ungefär densamma, omkring …'.

    `gaps` holds the signed gap per year (a − b, or a / b − 1 in per cent). The end of the sentence is a plateau
    when the last years lie within `plateau` of each other (default: a fifth of the gap's range, at least the
    rounding step); a gap that changes sign is said to have turned. With `noun=""` the phrase starts at the verb
    ('växte från …'); `same` agrees with the noun ('densamma', 'detsamma')."""
    return _gap_words(gaps, unit, decimals, noun, plateau, same).strip()


def _gap_words(gaps, unit, decimals, noun, plateau, same) -> str:
    s = _as_series(gaps)
    if s.empty:
        return ""
    u = f"\u00a0{unit}" if unit else ""
    first, last = s.index[0], s.index[-1]
    if len(s) == 1:
        return f"{noun} var {number(abs(float(s.iloc[0])), decimals)}{u} {first}"
    if (s.iloc[0] > 0) != (s.iloc[-1] > 0) and s.iloc[0] != 0 and s.iloc[-1] != 0:
        return f"{noun} bytte riktning mellan {first} och {last}"
    mags = s.abs()
    span = float(mags.max() - mags.min())
    step = 10 ** -decimals
    if span <= step + 1e-9:
        return f"{noun} var ungefär {same}, omkring {number(float(mags.mean()), decimals)}{u}, {first}–{last}"
    tol = max(span / 5, step) if plateau is None else plateau
    k = len(mags) - 1
    while k > 0 and float(mags.iloc[k - 1:].max() - mags.iloc[k - 1:].min()) <= tol + 1e-9:
        k -= 1
    tail = mags.iloc[k:]
    start = float(mags.iloc[0])
    if k == 0:
        return f"{noun} var ungefär {same}, omkring {number(float(mags.mean()), decimals)}{u}, {first}–{last}"
    end_value = float(tail.mean()) if len(tail) >= 3 else float(tail.iloc[-1])
    verb = "växte" if end_value > start else "krympte"
    where = (f"omkring {number(end_value, decimals)}{u} {years_span(tail.index)}" if len(tail) >= 3
             else f"{number(end_value, decimals)}{u} {last}")
    return f"{noun} {verb} från {number(start, decimals)}{u} {first} till {where}"


def rank_position(values, key, top: int = 3) -> str | None:
    """Where `key` stands among `values` when that is notable: 'den högsta', 'den näst lägsta', 'den tredje
    högsta' (within `top` of either end); None for a middle place, which is not worth saying."""
    import pandas as pd

    s = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values.astype(float)
    v = float(s[key])
    from_top = int((s > v).sum()) + 1
    from_bottom = int((s < v).sum()) + 1
    place_, end = (from_top, "högsta") if from_top <= from_bottom else (from_bottom, "lägsta")
    if place_ > top:
        return None
    return f"den {end}" if place_ == 1 else f"den {ordinal(place_)} {end}"


def versus_reference(value: float, reference: float, margin: float) -> str | None:
    """'klart högre än' / 'klart lägre än' when value differs from the reference by at least `margin` (the stated
    margin of a notable difference), else None."""
    if value - reference >= margin:
        return "klart högre än"
    if reference - value >= margin:
        return "klart lägre än"
    return None


def since_words(then_year: int, then: float, now_year: int, now: float, unit: str = "procent", decimals: int = 1,
                margin: float | None = None) -> str:
    """A measure at the report's year against the latest year, as a clause: 'har ökat från 89 procent 2017 till
    92 procent 2021' / 'är i stort sett oförändrad (89 procent 2017, 90 procent 2021)'. Within `margin` (default: the
    rounding step) the change is too small to speak of."""
    u = f"\u00a0{unit}" if unit else ""
    margin = 10 ** -decimals if margin is None else margin
    a, b = f"{number(then, decimals)}{u} {then_year}", f"{number(now, decimals)}{u} {now_year}"
    if abs(now - then) < margin:
        return f"är i stort sett oförändrad ({a}, {b})"
    return f"har {'ökat' if now > then else 'minskat'} från {a} till {b}"


def change_counts(first, last, decimals: int = 1) -> tuple[int, int, int]:
    """(rose, fell, unchanged) between two aligned series, compared at the shown precision: a value that shows the
    same both times (62,8 and 62,8) is unchanged even when the stored values differ in a later decimal."""
    import pandas as pd

    both = pd.concat([pd.Series(first, dtype=float), pd.Series(last, dtype=float)], axis=1).dropna()
    diff = pd.Series([float(quantifiers.rounded(b, decimals) - quantifiers.rounded(a, decimals))
                      for a, b in both.itertuples(index=False)], dtype=float)
    return int((diff > 0).sum()), int((diff < 0).sum()), int((diff == 0).sum())
