"""What the region pages' sections share: codes and names, keyed-number helpers, rank wording, chart titles."""
from __future__ import annotations

import pandas as pd

from tillit.core.swedish import rounded
from tillit.report import charts, numbers, text, trends
from tillit.tables.catalog import vocab


PROV = "source_publisher, source_title, source_url, source_type"


RIKET = "00"


GOTLAND = "09"


# Page of one region, relative to another region page (notebooks.yaml: output notebooks/regioner/region-{code}.ipynb).
PAGE = "region-{code}.ipynb"


MEASURES = {
    "delaktighet_involvering": "delaktighet och involvering",
    "kontinuitet_koordinering": "kontinuitet och koordinering",
}


# How far from riket a value must lie to count as clearly higher or lower (stated under the 'I korthet' table): an
# editorial line for what is worth pointing out, not a statistical margin of error (the sources give none).
SURVEY_MARGIN = 2.0    # procentenheter, Nationell Patientenkät


SICK_MARGIN = 0.5      # procentenheter, sjukfrånvaro bland landstingsanställda


SICK_PAY_MARGIN = 1.0  # dagar, sjukpenningtal


NBSP = "\u00a0"


def check_code(code: object) -> str:
    """The region code as given, if it is a string code in the region vocabulary ("00" riket, "01" Stockholm …)."""
    if not isinstance(code, str):
        raise TypeError(f"region_code must be a string such as '01', got {code!r} ({type(code).__name__}); "
                        "pass it quoted, otherwise 01 is read as the number 1")
    regions = vocab("region")
    if code not in regions:
        raise ValueError(f"unknown region_code {code!r}; known: {', '.join(sorted(regions.labels))}")
    return code


def name(code: str) -> str:
    """'Stockholm', or 'riket' for 00 (the word used inside sentences)."""
    return "riket" if check_code(code) == RIKET else vocab("region").label(code)


def label_of(code: str) -> str:
    """'Stockholm', 'Riket' (the name as the data frames carry it in `område`)."""
    return "Riket" if code == RIKET else vocab("region").label(code)


def capitalised(s: str) -> str:
    return s[:1].upper() + s[1:]


def points_words(a: float, b: float, unit: str = "procentenheter", same: str = "lika hög som") -> str:
    """a compared with b as a difference (to one decimal): '2,3 procentenheter högre än' / '1,6 dagar lägre än' /
    'lika hög som' (the shared wording layer, text.difference_words)."""
    return text.difference_words(a, b, unit, 1, same)


def in_place(code: str) -> str:
    """'i Stockholm', 'på Gotland', 'i riket'."""
    return text.place(name(code))


def staff(code: str) -> str:
    """Who the sick-leave measure is about: 'de landstingsanställda i Stockholm'; Region Gotland is a kommun with the
    landsting's tasks, so there 'de anställda i Region Gotland'."""
    if code == GOTLAND:
        return "de anställda i Region Gotland"
    return f"de landstingsanställda {text.escape(in_place(code))}"


def council_note(code: str, provenance: pd.DataFrame | None = None) -> str | None:
    """For Gotland only: what the landsting measure is there. Region Gotland is a kommun that also has the landsting's
    tasks; the source (Öppna jämförelser when the rows say so) lists it among the landsting without saying which of
    its employees the measure covers."""
    if code != GOTLAND:
        return None
    titles = [] if provenance is None else [str(t) for t in provenance.get("source_title", [])]
    source = "Öppna jämförelser" if any("Öppna jämförelser" in t for t in titles) else "källan"
    return ("Gotland har inget landsting: Region Gotland är en kommun som också har landstingets uppgifter, och "
            f"{source} redovisar den bland landstingen; källan anger inte om måttet omfattar alla anställda i "
            "Region Gotland eller bara dem som arbetar med landstingets uppgifter, som hälso- och sjukvården.")


def page_key(*parts: object) -> str:
    return numbers.key(*parts)


def place_key(code: str) -> str:
    return numbers.slug(label_of(code))


def keyed_pct(key: str, value: float) -> str:
    """'5,7 procent', keyed."""
    return numbers.percent(key, float(value))


def keyed_num(key: str, value: float, decimals: int = 1) -> str:
    return numbers.number(key, float(value), decimals)


def keyed_days(key: str, value: float) -> str:
    """'9,7 dagar', keyed."""
    return numbers.register(key, float(value), f"{text.number(value, 1)}{NBSP}dagar")


def keyed_count(key: str, n: int) -> str:
    return numbers.register(key, int(n), str(int(n)))


def keyed_diff(key: str, a: float, b: float, unit: str = "procentenheter", same: str = "lika hög som") -> str:
    """points_words, keyed: the difference as shown (each side rounded to one decimal)."""
    words = points_words(a, b, unit, same)
    return numbers.register(key, float(rounded(a, 1) - rounded(b, 1)), words)


def keyed_trend(key_parts: tuple, values: pd.Series, unit: str = "procent", **kwargs) -> str:
    """trends.trend_words with every number it shows keyed as `<key_parts>/<year or span>`."""
    words = trends.trend_words(values, unit=unit, **kwargs)
    decimals = kwargs.get("decimals", 1)
    u = f"{NBSP}{unit}" if unit else ""
    for when, v in trends.trend_figures(values, decimals, kwargs.get("threshold"), kwargs.get("breaks", ()),
                                      kwargs.get("flat")):
        numbers.register(page_key(*key_parts, when), v, f"{text.number(v, decimals)}{u}")
    return words


def keyed_rank(key: str, per: pd.Series, label: str) -> str | None:
    """trends.rank_position (only a notable place: top or bottom three), keyed by its place counted from the top."""
    notable = trends.rank_position(per, label)
    if notable:
        numbers.register(key, int((per > per[label]).sum()) + 1, notable)
    return notable


def tied_names(per: pd.Series, label: str) -> list[str]:
    return [k for k in per.index if k != label and per[k] == per[label]]


def extremes(values: pd.Series, fmt=text.percent, key: str | None = None) -> str:
    """'från 5,1 procent i Östergötland till 7,1 procent i Västmanland' (all names sharing the lowest or highest
    value); with `key`, the two numbers are keyed `<key>/lagst` and `<key>/hogst`."""
    regions = vocab("region")
    codes = {regions.label(c): c for c in regions.labels}

    def where(v: float) -> str:
        names = [n for n in values.index if values[n] == v]
        return text.listing([text.escape(in_place(codes[n]) if n in codes else f"i {n}") for n in names])

    lo, hi = fmt(values.min()), fmt(values.max())
    if key:
        numbers.register(f"{key}/lagst", float(values.min()), lo)
        numbers.register(f"{key}/hogst", float(values.max()), hi)
    return f"från {lo} {where(values.min())} till {hi} {where(values.max())}"


def rank_words(values: pd.Series, key: str) -> tuple[str, list[str]]:
    """Where `key` ranks among `values` (index = names), counted from the nearer end: ('högsta' | 'näst lägsta' |
    'fjärde högsta' …, the other names with exactly the same value)."""
    v = values[key]
    top = int((values > v).sum()) + 1
    bottom = int((values < v).sum()) + 1
    ties = [k for k in values.index if k != key and values[k] == v]
    position, end = (top, "högsta") if top <= bottom else (bottom, "lägsta")
    if position == 1:
        return end, ties
    return f"{text.ordinal(position)} {end}", ties


def verb_first(words: str, subject: str = "den") -> str:
    """'minskade från …' → 'minskade den från …' (the subject after the verb, as Swedish word order wants after an
    opening adverbial)."""
    verb, _, rest = words.partition(" ")
    if verb == "låg":  # 'låg kvar på omkring …'
        return f"låg {subject} {rest}"
    return f"{verb} {subject} {rest}"


def position_sentence(per: pd.Series, code: str, noun: str, year: int, key: str) -> list[str]:
    """'Det var den näst lägsta andelen av de 21 län som redovisas för 2017.' – only when the place is notable
    (top or bottom three); a middle place is not said."""
    label = vocab("region").label(code)
    notable = keyed_rank(key, per, label)
    if not notable:
        return []
    n = keyed_count(f"{key}/antal-lan", len(per))
    return [f"Det var {notable} {noun} av de {n} län som redovisas för {year}{tie_words(tied_names(per, label))}."]


def tie_words(ties: list[str]) -> str:
    return f" (samma värde som {text.listing([text.escape(t) for t in ties])})" if ties else ""


def names_at(values: pd.Series, v: float) -> str:
    return text.listing([text.escape(n) for n in values.index if values[n] == v])


def with_names(frame: pd.DataFrame) -> pd.DataFrame:
    regions = vocab("region")
    frame["område"] = ["Riket" if c == RIKET else regions.label(c) for c in frame.region_code]
    if "sex" in frame:
        sexes = vocab("sex")
        frame["kön"] = [sexes.label(s) for s in frame.sex]
    return frame


def where_words(code: str) -> str:
    """Short chart-title wording: 'Stockholm och riket' / 'riket'."""
    return "riket" if code == RIKET else f"{vocab('region').label(code)} och riket"


def region_count() -> int:
    return len([c for c in vocab("region").labels if c != RIKET])


def short_finding(code: str, year: int, value: float, riket: float | None) -> str:
    """The chart's subtitle, short enough for a phone: 'Gotland 5,7 och riket 6,0 procent 2017.' (the numbers are
    the chart's own, keyed with its rows; the full sentence stands in the text above)."""
    if riket is None or pd.isna(riket):
        return f"{label_of(code)} {text.number(value, 1)}{NBSP}procent {year}."
    return f"{label_of(code)} {text.number(value, 1)} och riket {text.number(riket, 1)}{NBSP}procent {year}."


def chart_title(*lines: str) -> str:
    """A chart title in short lines (each fits a phone's width): the chart draws one line each, the caption reads
    them as one title (a line break is a space in HTML)."""
    return "\n".join(lines)


def alt_title(title: str) -> str:
    return title.replace("\n", " ")


def source_markdown(provenance: pd.DataFrame) -> str:
    """'Källa: …' for a table, as the charts' source line (charts.source_line: HTML, which MyST passes through) with
    the sources in Swedish and secondary sources marked as such."""
    return charts.source_line(provenance)


def region_figure(chart, *, provenance: pd.DataFrame, **kwargs) -> charts.Figure:
    """charts.figure with the title's line breaks drawn (Vega's lineBreak) and the sources in Swedish."""
    return charts.figure(chart.configure(lineBreak="\n"), provenance=provenance, **kwargs)
