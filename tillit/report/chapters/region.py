"""Regional profiles: one page per landsting/region (and riket) comparing its figures with riket and the other län.

Every number a page writes in its prose and tables is keyed (tillit.report.numbers): `<measure>/<place>/<sex>/<year>`
for a value, with `i-korthet/…` and `kon-tabell/…` for the tables' cells (shown without unit) and
`…/placering/…`, `…/mot-riket/…` for ranks and differences."""
from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from tillit.core import markdown
from tillit.core.swedish import rounded
from tillit.report import charts, numbers, text
from tillit.tables.catalog import vocab
from tillit.report.chapters import Section, missing
from tillit.tables.store import Store

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


# --- codes and words ---------------------------------------------------------------------------------------------

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


def _label(code: str) -> str:
    """'Stockholm', 'Riket' (the name as the data frames carry it in `område`)."""
    return "Riket" if code == RIKET else vocab("region").label(code)


def _cap(s: str) -> str:
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


def _key(*parts: object) -> str:
    return numbers.key(*parts)


def _place_key(code: str) -> str:
    return numbers.slug(_label(code))


def _pct(key: str, value: float) -> str:
    """'5,7 procent', keyed."""
    return numbers.percent(key, float(value))


def _num(key: str, value: float, decimals: int = 1) -> str:
    return numbers.number(key, float(value), decimals)


def _days(key: str, value: float) -> str:
    """'9,7 dagar', keyed."""
    return numbers.register(key, float(value), f"{text.number(value, 1)}{NBSP}dagar")


def _count(key: str, n: int) -> str:
    return numbers.register(key, int(n), str(int(n)))


def _diff(key: str, a: float, b: float, unit: str = "procentenheter", same: str = "lika hög som") -> str:
    """points_words, keyed: the difference as shown (each side rounded to one decimal)."""
    words = points_words(a, b, unit, same)
    return numbers.register(key, float(rounded(a, 1) - rounded(b, 1)), words)


def _trend(key_parts: tuple, values: pd.Series, unit: str = "procent", **kwargs) -> str:
    """text.trend_words with every number it shows keyed as `<key_parts>/<year or span>`."""
    words = text.trend_words(values, unit=unit, **kwargs)
    decimals = kwargs.get("decimals", 1)
    u = f"{NBSP}{unit}" if unit else ""
    for when, v in text.trend_figures(values, decimals, kwargs.get("threshold"), kwargs.get("breaks", ()),
                                      kwargs.get("flat")):
        numbers.register(_key(*key_parts, when), v, f"{text.number(v, decimals)}{u}")
    return words


def _rank(key: str, per: pd.Series, label: str) -> str | None:
    """text.rank_position (only a notable place: top or bottom three), keyed by its place counted from the top."""
    notable = text.rank_position(per, label)
    if notable:
        numbers.register(key, int((per > per[label]).sum()) + 1, notable)
    return notable


def _ties(per: pd.Series, label: str) -> list[str]:
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


def _verb_first(words: str, subject: str = "den") -> str:
    """'minskade från …' → 'minskade den från …' (the subject after the verb, as Swedish word order wants after an
    opening adverbial)."""
    verb, _, rest = words.partition(" ")
    if verb == "låg":  # 'låg kvar på omkring …'
        return f"låg {subject} {rest}"
    return f"{verb} {subject} {rest}"


def _position_sentence(per: pd.Series, code: str, noun: str, year: int, key: str) -> list[str]:
    """'Det var den näst lägsta andelen av de 21 län som redovisas för 2017.' – only when the place is notable
    (top or bottom three); a middle place is not said."""
    label = vocab("region").label(code)
    notable = _rank(key, per, label)
    if not notable:
        return []
    n = _count(f"{key}/antal-lan", len(per))
    return [f"Det var {notable} {noun} av de {n} län som redovisas för {year}{_tie_words(_ties(per, label))}."]


def _tie_words(ties: list[str]) -> str:
    return f" (samma värde som {text.listing([text.escape(t) for t in ties])})" if ties else ""


def _names_at(values: pd.Series, v: float) -> str:
    return text.listing([text.escape(n) for n in values.index if values[n] == v])


def _with_names(frame: pd.DataFrame) -> pd.DataFrame:
    regions = vocab("region")
    frame["område"] = ["Riket" if c == RIKET else regions.label(c) for c in frame.region_code]
    if "sex" in frame:
        sexes = vocab("sex")
        frame["kön"] = [sexes.label(s) for s in frame.sex]
    return frame


def _where(code: str) -> str:
    """Short chart-title wording: 'Stockholm och riket' / 'riket'."""
    return "riket" if code == RIKET else f"{vocab('region').label(code)} och riket"


def _region_count() -> int:
    return len([c for c in vocab("region").labels if c != RIKET])


def _short_finding(code: str, year: int, value: float, riket: float | None) -> str:
    """The chart's subtitle, short enough for a phone: 'Gotland 5,7 och riket 6,0 procent 2017.' (the numbers are
    the chart's own, keyed with its rows; the full sentence stands in the text above)."""
    if riket is None or pd.isna(riket):
        return f"{_label(code)} {text.number(value, 1)}{NBSP}procent {year}."
    return f"{_label(code)} {text.number(value, 1)} och riket {text.number(riket, 1)}{NBSP}procent {year}."


def _title(*lines: str) -> str:
    """A chart title in short lines (each fits a phone's width): the chart draws one line each, the caption reads
    them as one title (a line break is a space in HTML)."""
    return "\n".join(lines)


def _alt_title(title: str) -> str:
    return title.replace("\n", " ")


# --- sources in Swedish --------------------------------------------------------------------------------------------
# The data rows name their sources as the pipeline that fetched them wrote them, partly in English ("Kolada KPI U71451
# (source: SKR Nationell patientenkät), as fetched via Kolada API v3 by …"). The pages show them in Swedish and
# without pipeline details. (A local mapping: no shared citation module exists yet.)

def source_markdown(provenance: pd.DataFrame) -> str:
    """'Källa: …' for a table, as the charts' source line (charts.source_line: HTML, which MyST passes through) with
    the sources in Swedish and secondary sources marked as such."""
    return charts.source_line(provenance)


def _figure(chart, *, provenance: pd.DataFrame, **kwargs) -> charts.Figure:
    """charts.figure with the title's line breaks drawn (Vega's lineBreak) and the sources in Swedish."""
    return charts.figure(chart.configure(lineBreak="\n"), provenance=provenance, **kwargs)


# --- data --------------------------------------------------------------------------------------------------------

def _sick_leave(db: Store) -> pd.DataFrame:
    frame = db.sql(f"SELECT period, region_code, sex, value, {PROV} FROM sjukfranvaro_landsting "
                   "ORDER BY region_code, sex, period")
    return _with_names(frame)


def _survey(db: Store) -> pd.DataFrame:
    frame = db.sql(f"SELECT period, region_code, sex, measure, value, {PROV} FROM patientenkat "
                   "ORDER BY measure, region_code, sex, period")
    return _with_names(frame)


def _partial_years(frame: pd.DataFrame) -> dict[int, int]:
    """Years in which at most three quarters as many län as in the fullest year have values (the survey's
    voluntary in-between years): {year: number of län}. Riket in such a year rests on only part of the country."""
    counts = frame[frame.region_code != RIKET].groupby("period").region_code.nunique()
    if counts.empty:
        return {}
    full = int(counts.max())
    return {int(y): int(n) for y, n in counts.items() if n <= 0.75 * full}


def _sick_pay(db: Store) -> pd.DataFrame:
    """Sjukpenningtal for both sexes together in the latest twelve-month period with values for the län (and riket
    that month)."""
    frame = db.sql(f"""SELECT period, region_code, value, {PROV} FROM sjukpenningtal_lan
                       WHERE sex = 'T' AND period = (SELECT max(period) FROM sjukpenningtal_lan
                                                     WHERE sex = 'T' AND region_code <> '00' AND length(period) = 7)
                       ORDER BY period, region_code""")
    return _with_names(frame)


def _period_order(period: object) -> tuple[int, int]:
    """'2022' → (2022, 12), '2015-12' → (2015, 12): a calendar year and the twelve months to its December coincide."""
    s = str(period)
    return (int(s[:4]), int(s[5:7]) if len(s) == 7 else 12)


def sick_pay_period(period: object, short: bool = False) -> str:
    """Sjukpenningtal periods (catalog: a year, or twelve months to the month given): '2022',
    'tolvmånadersperioden till och med december 2015' (short: 'tolv månader t.o.m. december 2015')."""
    s = str(period)
    if len(s) == 7:
        month = text.period_label(s)
        return f"tolv månader t.o.m. {month}" if short else f"tolvmånadersperioden till och med {month}"
    return s


def _kommuner(db: Store) -> pd.DataFrame:
    frame = db.sql(f"SELECT period, kommun_code, measure, value, {PROV} FROM personalnyckeltal_kommun "
                   "ORDER BY kommun_code, measure, period")
    kommuner = vocab("kommun")
    frame["kommun"] = [kommuner.label(c) if c in kommuner else c for c in frame.kommun_code]
    frame["region_code"] = frame.kommun_code.str[:2]  # SCB kommun codes start with the län code
    return frame


def _missing_years(frame: pd.DataFrame, code: str) -> list[int]:
    """Years the table has for some region but not for this one."""
    have = set(frame[frame.region_code == code].period)
    return sorted(int(y) for y in set(frame.period) - have)


# --- charts ------------------------------------------------------------------------------------------------------

def _trend_chart(plotted: pd.DataFrame, code: str, y_title: str, zero: bool = True,
                 steps: list[int] | None = None) -> alt.Chart:
    """Lines over the years: colour = sex, solid = this region, dashed = riket. A year missing inside a series
    breaks its line (charts.with_gaps) – every year, or with `steps` only those years (a survey's national
    measurements: a voluntary year in between is no gap); the legends stand in one column each, so they fit a
    phone's width."""
    areas = [vocab("region").label(code)] + (["Riket"] if code != RIKET else [])
    drawn = (charts.with_gaps(plotted, "år", "procent", ["område", "kön"]) if steps is None
             else _gaps_at(plotted, steps, ["område", "kön"]))
    return alt.Chart(drawn).mark_line(point=True, invalid=charts.BREAK_AT_GAPS).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", values=sorted(int(y) for y in set(plotted["år"])))),
        y=alt.Y("procent:Q", title=y_title, axis=alt.Axis(format=",.1f"), scale=alt.Scale(zero=zero)),
        color=alt.Color("kön:N", title="Kön", sort=text.sex_order(), legend=alt.Legend(columns=1)),
        strokeDash=alt.StrokeDash("område:N", title="Område", sort=areas,
                                  legend=alt.Legend(symbolType="stroke", symbolSize=500, symbolStrokeWidth=2.5,
                                                    columns=1),
                                  scale=alt.Scale(domain=areas, range=[[1, 0], [6, 4]][:len(areas)])),
        tooltip=[alt.Tooltip("område:N", title="Område"), alt.Tooltip("kön:N", title="Kön"),
                 alt.Tooltip("år:Q", title="År", format="d"), alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=320)


# --- 'I korthet' -------------------------------------------------------------------------------------------------

@dataclass
class _Fact:
    """One row of 'I korthet': a measure with one value per län (and riket) per period."""

    key: str
    label: str
    direction: str            # 'högt = bättre' / 'lågt = bättre'
    frame: pd.DataFrame       # period, region_code, område, value
    margin: float
    unit: str                 # of a difference: 'procentenheter' / 'dagar'


def _facts(db: Store, code: str) -> list[_Fact]:
    """The measures of 'I korthet', each with its rows: helhetsintryck (the newest survey), the two survey measures,
    sick leave, and sjukpenningtal for the sexes that have the latest period for this län."""
    sick = _sick_leave(db)
    survey = _survey(db)
    survey = survey[survey.sex == "T"]
    impression = _impression(db)
    sick_label = ("Sjukfrånvaro bland de anställda i Region Gotland" if code == GOTLAND
                  else "Sjukfrånvaro bland anställda i landstinget")
    facts = []
    if len(impression):
        national = impression[impression.measurement == "nationell"]
        facts.append(_Fact("helhetsintryck", "Positivt helhetsintryck av primärvården, procent av de svarande",
                           "högt = bättre", national, SURVEY_MARGIN, "procentenheter"))
    for measure, label in MEASURES.items():
        m = survey[survey.measure == measure]
        m = m[~m.period.isin(_partial_years(m))]
        facts.append(_Fact(numbers.slug(measure), f"{_cap(label)} i primärvården, procent positiva svar",
                           "högt = bättre", m, SURVEY_MARGIN, "procentenheter"))
    facts.append(_Fact("sjukfranvaro", f"{sick_label}, procent av arbetstiden", "lågt = bättre",
                       sick[sick.sex == "T"], SICK_MARGIN, "procentenheter"))
    pay = _with_names(db.sql(f"SELECT period, region_code, sex, value, {PROV} FROM sjukpenningtal_lan"))
    own = pay[pay.region_code == code] if code != RIKET else pay[pay.region_code == RIKET]
    if len(own):
        latest = max(own.period, key=_period_order)
        for sex, word in (("T", "båda könen"), ("K", "kvinnor"), ("M", "män")):
            if ((own.sex == sex) & (own.period == latest)).any():
                facts.append(_Fact(f"sjukpenningtal-{numbers.slug(word)}",
                                   f"Sjukpenningtal, {word}, dagar per försäkrad", "lågt = bättre",
                                   pay[pay.sex == sex], SICK_PAY_MARGIN, "dagar"))
    return facts


def _shown(x: float) -> float:
    return float(rounded(x, 1))


def placement(per: pd.Series, label: str, value: float, reference: float | None, margin: float) -> str:
    """The 'Placering' cell: only what is notable – 'Näst lägsta av 21' (top or bottom three, '(delad)' with a tie)
    or 'Klart högre än riket' (at least `margin` from riket, between the numbers as shown); else '–'."""
    notable = text.rank_position(per, label)
    if notable:
        return f"{_cap(notable.removeprefix('den '))} av {len(per)}" + (" (delad)" if _ties(per, label) else "")
    if reference is not None and pd.notna(reference):
        clear = text.versus_reference(_shown(value), _shown(reference), margin - 1e-9)
        if clear:
            return f"{_cap(clear)} riket"
    return "–"


def summary(db: Store, code: str) -> Section:
    """Key figures in one table: the latest period of each measure for this region (helhetsintryck, the survey
    measures, sick leave, sjukpenningtal by sex), riket that period, and the place only when it is notable."""
    check_code(code)
    place = _place_key(code)
    rows = []
    for fact in _facts(db, code):
        frame = fact.frame
        own = frame[frame.region_code == code]
        last = max((own if len(own) else frame).period, key=_period_order)
        at = frame[frame.period == last]
        per = at[at.region_code != RIKET].set_index("område")["value"]
        riket = at[at.region_code == RIKET]["value"]
        ref = float(riket.iloc[0]) if len(riket) else None
        when = sick_pay_period(last, short=True) if fact.key.startswith("sjukpenningtal") else str(last)
        label = f"{fact.label} ({fact.direction.replace(' ', NBSP)})"  # '(högt = bättre)' kept on one line
        riket_cell = _num(_key("i-korthet", fact.key, "riket", last), ref) if ref is not None else "saknas"
        if code == RIKET:
            spread = "–"
            if len(per):
                lo = _num(_key("i-korthet", fact.key, "lagst", last), per.min())
                hi = _num(_key("i-korthet", fact.key, "hogst", last), per.max())
                spread = f"{lo} ({_names_at(per, per.min())}) – {hi} ({_names_at(per, per.max())})"
            rows.append([label, when, riket_cell, spread])
        elif own.empty:
            rows.append([label, when, "saknas", riket_cell, "–"])
        else:
            v = float(own[own.period == last].value.iloc[0])
            partial = _partial_years(frame)
            if last in partial:
                cell = f"– (bara {_count(_key('i-korthet', fact.key, 'antal-lan', last), partial[last])} län)"
            else:
                cell = placement(per, vocab("region").label(code), v, ref, fact.margin)
            if not cell.startswith("–"):
                numbers.register(_key("i-korthet", fact.key, place, "placering", last),
                                 int((per > v).sum()) + 1, cell)
            rows.append([label, when, _num(_key("i-korthet", fact.key, place, last), v), riket_cell, cell])
    if code == RIKET:
        table = markdown.table(["Mått", "År", "Riket", "Lägst och högst bland länen"], rows)
        return Section(_classed_table(table, "tillit-summary"))
    # 'Länet', not the name: a long name ('Västernorrland') would push the last column off a phone's screen
    table = markdown.table(["Mått", "År", "Länet", "Riket", "Placering"], rows)
    survey = _num(_key("i-korthet", "marginal", "patientenkat"), SURVEY_MARGIN)
    sick = _num(_key("i-korthet", "marginal", "sjukfranvaro"), SICK_MARGIN)
    pay = _num(_key("i-korthet", "marginal", "sjukpenningtal"), SICK_PAY_MARGIN)
    note = ("En placering visas bara när den sticker ut: bland de tre högsta eller de tre lägsta av länen, eller klart "
            f"högre eller lägre än riket (minst {survey}{NBSP}procentenheter i patientenkäten, {sick}{NBSP}procentenheter "
            f"i sjukfrånvaron och {pay}{NBSP}dag i sjukpenningtalet).")
    return Section(_classed_table(table, "tillit-summary") + "\n\n" + note)


def _classed_table(table: str, css_class: str, caption: str = "") -> str:
    """A Markdown table inside MyST's table directive for its CSS class (_static/tillit.css), with its title as a bold
    line above it (a directive caption would be numbered 'Table 9' by the theme, in English)."""
    title = f"**{caption}**\n\n" if caption else ""
    return f"{title}:::{{table}}\n:class: {css_class}\n\n{table}\n:::"


# --- sections ----------------------------------------------------------------------------------------------------

def sick_leave(db: Store, code: str) -> Section:
    """Sick leave among landsting employees over the years, by sex, against riket (or the spread, for riket)."""
    check_code(code)
    frame = _sick_leave(db)
    place = name(code)
    pk = _place_key(code)
    own = frame[frame.region_code == code]
    tot = own[own.sex == "T"].set_index("period")["value"]
    if tot.empty:
        return missing(f"Sjukfrånvaro bland {staff(code)} finns inte i bokens data.")
    riket = frame[(frame.region_code == RIKET) & (frame.sex == "T")].set_index("period")["value"]
    first, last = int(tot.index.min()), int(tot.index.max())
    v = tot[last]
    per = frame[(frame.period == last) & (frame.sex == "T") & (frame.region_code != RIKET)].set_index("område")["value"]
    lines = []
    if code == RIKET:
        lines.append(f"År {last} var sjukfrånvaron bland de landstingsanställda i riket "
                     f"{_pct(_key('sjukfranvaro', pk, 'totalt', last), v)} av den ordinarie arbetstiden.")
        if len(per):
            above = _count(_key("sjukfranvaro", "over-riket", last), int((per > v).sum()))
            lines.append(f"Mellan landstingen varierade den {extremes(per, key=_key('sjukfranvaro', 'lan', last))}; "
                         f"{above} av {_count(_key('sjukfranvaro', 'antal-lan', last), len(per))} landsting låg "
                         f"över riket.")
    else:
        partial = _partial_years(frame[frame.sex == "T"])
        lines.append(f"År {last} var sjukfrånvaron bland {staff(code)} "
                     f"{_pct(_key('sjukfranvaro', pk, 'totalt', last), v)} av den ordinarie arbetstiden"
                     f"{_versus_riket(pk, last, v, riket)}.")
        note = council_note(code, own)
        if note:
            lines.append(note)
        full = [int(y) for y in tot.index if int(y) not in partial]
        if last in partial:
            n = _count(_key("sjukfranvaro", "antal-lan", last), partial[last])
            lines.append(f"För {last} har boken bara {n} län, ur press, så någon placering bland länen anges inte.")
            if full:
                y = max(full)
                at = frame[(frame.period == y) & (frame.sex == "T") & (frame.region_code != RIKET)]
                lines.append(f"År {y}, det senaste året med alla län, var sjukfrånvaron "
                             f"{_pct(_key('sjukfranvaro', pk, 'totalt', y), tot[y])}{_versus_riket(pk, y, tot[y], riket)}.")
                lines += _position_sentence(at.set_index("område")["value"], code, "sjukfrånvaron", y,
                                            _key("sjukfranvaro", pk, "placering", y))
        else:
            lines += _position_sentence(per, code, "sjukfrånvaron", last, _key("sjukfranvaro", pk, "placering", last))
    if first < last:
        lines.append(f"Sjukfrånvaron {text.escape(in_place(code))} {_trend(('sjukfranvaro', pk, 'totalt'), tot)}.")
        span = riket[(riket.index >= first) & (riket.index <= last)]
        if code != RIKET and first in riket.index and len(span) > 1:
            lines.append(f"I riket {_verb_first(_trend(('sjukfranvaro', 'riket', 'totalt'), span))}.")
    sexes = own[own.period == last].set_index("sex")["value"]
    if {"K", "M"} <= set(sexes.index):
        women = _pct(_key("sjukfranvaro", pk, "kvinnor", last), sexes["K"])
        men = _pct(_key("sjukfranvaro", pk, "man", last), sexes["M"])
        gap = _diff(_key("sjukfranvaro", pk, "kvinnor-mot-man", last), sexes["K"], sexes["M"])
        lines.append(f"Bland kvinnorna var sjukfrånvaron {women} och bland männen {men}: kvinnornas var {gap} "
                     f"männens.")
    shown = frame[frame.region_code.isin([code, RIKET])]
    if code != RIKET:
        shown = shown[shown.period.between(first, last)]
    gaps = [y for y in _missing_years(frame, code) if first < y < last]
    inside_riket = range(max(first, int(riket.index.min())), min(last, int(riket.index.max())) + 1) if len(riket) else []
    riket_gaps = [y for y in inside_riket if y not in set(riket.index)] if code != RIKET else []
    missing_parts = []
    if gaps:
        missing_parts.append(f"för {text.escape(place)} {text.listing([str(y) for y in gaps])}")
    if riket_gaps:
        missing_parts.append(f"för riket {text.listing([str(y) for y in riket_gaps])}")
    if missing_parts:
        lines.append(f"Uppgifter saknas {text.listing(missing_parts)}; där är linjerna i diagrammet avbrutna.")
    if code != RIKET and len(riket) and int(riket.index.max()) < last:
        lines.append(f"Riket finns i bokens data bara till {int(riket.index.max())}.")
    plotted = (shown[["område", "kön", "period", "value"]].rename(columns={"period": "år", "value": "procent"})
               .reset_index(drop=True))
    if code == GOTLAND:
        title = _title("Sjukfrånvaro bland anställda,", f"Region Gotland och riket {first}–{last}")
    else:
        title = _title("Landstingsanställdas sjukfrånvaro,", f"{_where(code)} {first}–{last}")
    finding = _short_finding(code, last, v, riket.get(last) if code != RIKET else None)
    chart = _trend_chart(plotted, code, "Sjukfrånvaro, % av ordinarie arbetstid")
    fig = _figure(chart, name=f"sjukfranvaro-{code}", title=title, finding=finding, data=plotted,
                  provenance=shown, headers={"område": "Område", "kön": "Kön", "år": "År", "procent": "Procent"},
                  alt=charts.alt_text("Linjediagram", _alt_title(title), finding, plotted, "procent",
                                      ["område", "kön", "år"], "procent"))
    return Section(" ".join(lines), [fig])


def _versus_riket(pk: str, year: int, value: float, riket: pd.Series) -> str:
    """', 0,3 procentenheter lägre än i riket (6,0 procent)' or '; för riket finns inget värde 2020' (sick leave)."""
    if year not in riket.index:
        return f"; för riket finns inget värde {year}"
    r = riket[year]
    return (f", {_diff(_key('sjukfranvaro', pk, 'mot-riket', year), value, r)} i riket "
            f"({_pct(_key('sjukfranvaro', 'riket', 'totalt', year), r)})")


def patient_survey(db: Store, code: str, measure: str) -> Section:
    """One Nationell Patientenkät measure (primary care) by year and sex, against riket and the other län. A year in
    which only part of the län measured (the voluntary in-between years) is kept for the län that measured, but
    riket that year is left out: it rests on only part of the country."""
    check_code(code)
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; known: {', '.join(MEASURES)}")
    label = MEASURES[measure]
    mk = numbers.slug(measure)
    frame = _survey(db)
    frame = frame[frame.measure == measure]
    place = name(code)
    pk = _place_key(code)
    partial = _partial_years(frame[frame.sex == "T"])
    own = frame[frame.region_code == code]
    if code == RIKET:
        own = own[~own.period.isin(partial)]
    tot = own[own.sex == "T"].set_index("period")["value"]
    if tot.empty:
        return missing(f"Nationell Patientenkät om {label} i primärvården finns inte för {text.escape(place)} i "
                       f"bokens data.")
    riket_all = frame[(frame.region_code == RIKET) & (frame.sex == "T")].set_index("period")["value"]
    riket = riket_all[~riket_all.index.isin(partial)]
    first, last = int(tot.index.min()), int(tot.index.max())
    v = tot[last]
    per = frame[(frame.period == last) & (frame.sex == "T") & (frame.region_code != RIKET)].set_index("område")["value"]
    lines = []
    if code == RIKET:
        lines.append(f"År {last} var andelen positiva svar om {label} i primärvården "
                     f"{_pct(_key(mk, pk, 'totalt', last), v)} av de svarande i riket.")
        if len(per):
            lines.append(f"Mellan länen varierade den {extremes(per, key=_key(mk, 'lan', last))}.")
    else:
        if last in riket.index:
            compare = (f", {_diff(_key(mk, pk, 'mot-riket', last), v, riket[last])} i riket "
                       f"({_pct(_key(mk, 'riket', 'totalt', last), riket[last])})")
        else:
            compare = f"; för riket finns inget värde {last}"
        lines.append(f"År {last} var andelen positiva svar om {label} i primärvården "
                     f"{_pct(_key(mk, pk, 'totalt', last), v)} av de svarande {text.escape(in_place(code))}{compare}.")
        lines += _position_sentence(per, code, "andelen", last, _key(mk, pk, "placering", last))
    if first < last:
        lines.append(f"Andelen {_trend((mk, pk, 'totalt'), tot)}"
                     + (f"; i riket {_verb_first(_trend((mk, 'riket', 'totalt'), riket[(riket.index >= first) & (riket.index <= last)]), 'den')}."
                        if code != RIKET and {first, last} <= set(riket.index) else "."))
    else:
        lines.append(f"För {text.escape(place)} finns bara {last}.")
    inside = {y: n for y, n in partial.items() if first < y < last}
    for y, n in inside.items():
        count = _count(_key(mk, "antal-lan", y), n)
        total = _count(_key(mk, "antal-lan", "fullt-ar"), int(frame[frame.region_code != RIKET]
                                                                .groupby("period").region_code.nunique().max()))
        took_part = "" if code == RIKET else (f" {text.escape(place)} var med det året." if y in tot.index
                                              else f" {text.escape(place)} var inte med det året.")
        lines.append(f"År {y} redovisas bara {count} av {total} län (jämna år är mätningen frivillig), så riket det "
                     f"året är inte med i diagrammet eller jämförelserna.{took_part}")
    gaps = [y for y in _missing_years(frame, code) if y not in tot.index and y not in partial]
    if gaps and first < last:
        lines.append(f"För {text.escape(place)} saknas uppgifter för {text.listing([str(y) for y in gaps])}.")
    sexes = own[own.period == last].set_index("sex")["value"]
    if {"K", "M"} <= set(sexes.index):
        women = _pct(_key(mk, pk, "kvinnor", last), sexes["K"])
        men = _pct(_key(mk, pk, "man", last), sexes["M"])
        gap = _diff(_key(mk, pk, "kvinnor-mot-man", last), sexes["K"], sexes["M"], same="lika stor som")
        lines.append(f"Bland de svarande kvinnorna var andelen {women} och bland männen {men}; kvinnornas andel var "
                     f"{gap} männens.")
    shown = frame[(frame.region_code == code) | ((frame.region_code == RIKET) & ~frame.period.isin(partial))]
    if code == RIKET:
        shown = shown[~shown.period.isin(partial)]
    plotted = (shown[["område", "kön", "period", "value"]].rename(columns={"period": "år", "value": "procent"})
               .reset_index(drop=True))
    title = _title(f"{_cap(label)},", f"{_where(code)} {int(shown.period.min())}–{int(shown.period.max())}")
    finding = _short_finding(code, last, v, riket.get(last) if code != RIKET else None)
    national = sorted(int(y) for y in set(frame.period) if int(y) not in partial)
    chart = _trend_chart(plotted, code, "Andel positiva svar, %", zero=False, steps=national)
    fig = _figure(chart, name=f"patientenkat-{measure}-{code}", title=title, finding=finding, data=plotted,
                  provenance=shown, headers={"område": "Område", "kön": "Kön", "år": "År", "procent": "Procent"},
                  alt=charts.alt_text("Linjediagram", _alt_title(title), finding, plotted, "procent",
                                      ["område", "kön", "år"], "procent"))
    return Section(" ".join(lines), [fig])


def sick_pay_rank(db: Store, code: str) -> Section:
    """Sjukpenningtal per län for the latest twelve-month period with every län (secondary source), with this län's
    place among them."""
    check_code(code)
    frame = _sick_pay(db)
    if frame.empty:
        return missing("Sjukpenningtal per län för båda könen tillsammans finns inte i bokens data.")
    last = frame.period.max()
    at = frame[frame.period == last].reset_index(drop=True)
    per = at[at.region_code != RIKET].set_index("område")["value"]
    when = sick_pay_period(last)
    place = name(code)
    pk = _place_key(code)
    riket = at[at.region_code == RIKET]["value"]
    source = text.listing(sorted({text.escape(p) for p in at.source_publisher}))
    secondary = (at.source_type == "secondary").any()
    lines = []
    if code == RIKET:
        spread = extremes(per, lambda x: f"{text.number(x, 1)}{NBSP}dagar", key=_key("sjukpenningtal", "lan", last))
        if riket.empty:
            median = _days(_key("sjukpenningtal", "median-lan", last), per.median())
            lines.append(f"Boken har inget sjukpenningtal för hela riket för {when}. Mellan länen varierade det "
                         f"{spread}; medianen för de {_count(_key('sjukpenningtal', 'antal-lan', last), len(per))} "
                         f"länen var {median}.")
        else:
            lines.append(f"Under {when} var sjukpenningtalet i riket "
                         f"{_days(_key('sjukpenningtal', 'riket', 'totalt', last), float(riket.iloc[0]))} per "
                         f"försäkrad; länen varierade {spread}.")
    else:
        label = vocab("region").label(code)
        if label not in per.index:
            return missing(f"Sjukpenningtal för {text.escape(place)} finns inte i bokens data för {when}.")
        v = per[label]
        notable = _rank(_key("sjukpenningtal", pk, "placering", last), per, label)
        rank = ""
        if notable:
            n = _count(_key("sjukpenningtal", "antal-lan", last), len(per))
            rank = f", {notable.replace('den ', 'det ', 1)} av de {n} länen{_tie_words(_ties(per, label))}"
        lines.append(f"Under {when} var sjukpenningtalet {text.escape(in_place(code))} "
                     f"{_days(_key('sjukpenningtal', pk, 'totalt', last), v)} per försäkrad{rank}.")
        if riket.empty:
            median = per.median()
            lines.append(f"Boken har inget sjukpenningtal för hela riket för den perioden, så jämförelsen görs med "
                         f"medianen för länen: sjukpenningtalet {text.escape(in_place(code))} var "
                         f"{_diff(_key('sjukpenningtal', pk, 'mot-median', last), v, median, 'dagar', 'lika högt som')}"
                         f" medianen ({_days(_key('sjukpenningtal', 'median-lan', last), median)}).")
        else:
            r = float(riket.iloc[0])
            lines.append(f"Det var {_diff(_key('sjukpenningtal', pk, 'mot-riket', last), v, r, 'dagar', 'lika högt som')}"
                         f" i riket ({_days(_key('sjukpenningtal', 'riket', 'totalt', last), r)}).")
    lines.append("Sjukpenningtalet gäller alla försäkrade i länet, inte bara de anställda i landstinget"
                 + (f", och uppgifterna kommer från {source} som återger Försäkringskassan (sekundärkälla)."
                    if secondary else "."))
    plotted = at[at.region_code != RIKET][["område", "value"]].rename(columns={"område": "län", "value": "dagar"})
    plotted = plotted.sort_values("dagar", ascending=False).reset_index(drop=True)
    highlight = vocab("region").label(code)
    color = (alt.condition(alt.datum["län"] == highlight, alt.value(charts.HIGHLIGHT), alt.value(charts.PALETTE[0]))
             if code != RIKET else alt.value(charts.PALETTE[0]))
    bars = alt.Chart(plotted).mark_bar().encode(
        x=alt.X("dagar:Q", title="Dagar per försäkrad", axis=alt.Axis(format=",.1f")),
        y=alt.Y("län:N", sort="-x", title=None),
        color=color,
        tooltip=[alt.Tooltip("län:N", title="Län"), alt.Tooltip("dagar:Q", title="Dagar", format=",.1f")],
    ).properties(height=alt.Step(18))
    title = _title("Sjukpenningtal per län,", sick_pay_period(last, short=True))
    if code != RIKET:
        finding = f"{highlight} (markerat): {_days(_key('sjukpenningtal', pk, 'totalt', last), per[highlight])}."
    else:
        finding = f"Median för länen: {_days(_key('sjukpenningtal', 'median-lan', last), per.median())}."
    fig = _figure(bars, name=f"sjukpenningtal-{code}", title=title, finding=finding, data=plotted,
                  provenance=at, headers={"län": "Län", "dagar": "Dagar per försäkrad"},
                  alt=charts.alt_text("Stapeldiagram", _alt_title(title), lines[0], plotted, "dagar", "län", "dagar"))
    return Section(" ".join(lines), [fig])


def municipalities(db: Store, code: str) -> Section:
    """Municipal staff figures for the kommuner of this län where the book has them; otherwise one plain sentence."""
    check_code(code)
    frame = _kommuner(db)
    regions = vocab("region")
    covered = sorted(set(frame.region_code))
    where = text.listing([text.escape(regions.label(c)) for c in covered if c in regions])
    if code == RIKET:
        if frame.empty:
            return missing("Boken har ännu inga kommunala personalnyckeltal.")
        count = _count(_key("kommuner", "antal"), frame.kommun_code.nunique())
        links_ = text.listing([f"[{text.escape(regions.label(c))}]({PAGE.format(code=c)})" for c in covered
                               if c in regions])
        return Section(f"Boken har kommunala personalnyckeltal för {count} kommuner, alla i {where}; de visas på "
                       f"sidorna för {links_}. Ett riksvärde för kommunerna räknas inte fram ur dem, eftersom "
                       f"kommunerna inte är ett urval av landets kommuner.")
    own = frame[frame.region_code == code]
    if own.empty:
        return missing("Boken har ännu inga kommunala personalnyckeltal för länet"
                       + ("; på Gotland är kommunen och regionen samma organisation, Region Gotland." if code == GOTLAND
                          else "."))
    sick = own[own.measure == "sjukfranvaro_pct"]
    if sick.empty:
        return missing("Boken har ännu ingen sjukfrånvaro för kommunerna i länet, bara andra personalnyckeltal.")
    first, last = int(sick.period.min()), int(sick.period.max())
    wide = sick.pivot_table(index="kommun", columns="period", values="value")
    n = len(wide)
    publishers = text.listing(sorted({text.escape(p) for p in own.source_publisher}))
    if n == 1:
        k = wide.index[0]
        numbers.register(_key("kommuner", _place_key(code), "antal"), 1, "en")
        series = wide.loc[k].dropna()
        lines = [f"Boken har personalnyckeltal för en kommun {text.escape(in_place(code))}, {text.escape(k)}, från "
                 f"{publishers}; länets övriga kommuner saknas ännu.",
                 f"Sjukfrånvaron bland de kommunanställda i {text.escape(k)} "
                 f"{_trend(('kommuner-sjukfranvaro', numbers.slug(k)), series)}."]
    else:
        nk = _count(_key("kommuner", _place_key(code), "antal"), n)
        lines = [(f"Boken har personalnyckeltal för {nk} kommuner {text.escape(in_place(code))}, från {publishers}; "
                  f"länets övriga kommuner saknas ännu.")]
    if first < last and n > 1:
        change = (wide[last] - wide[first]).dropna()
        up = _count(_key("kommuner-sjukfranvaro", "hogre", last), int((change > 0).sum()))
        lines.append(f"I {up} av {_count(_key('kommuner-sjukfranvaro', 'jamforda', first, last), len(change))} "
                     f"kommuner var sjukfrånvaron bland de kommunanställda högre {last} än {first}.")
    at_last = wide[last].dropna()
    if n == 1:
        pass
    elif len(at_last) > 1:
        hi = _pct(_key("kommuner-sjukfranvaro", "hogst", last), at_last.max())
        lo = _pct(_key("kommuner-sjukfranvaro", "lagst", last), at_last.min())
        lines.append(f"År {last} var den högst i {_names_at(at_last, at_last.max())} ({hi}) och "
                     f"lägst i {_names_at(at_last, at_last.min())} ({lo}).")
    else:
        k = at_last.index[0]
        lines.append(f"År {last} var sjukfrånvaron bland de kommunanställda i {text.escape(k)} "
                     f"{_pct(_key('kommuner-sjukfranvaro', numbers.slug(k), last), at_last.iloc[0])}.")
    landsting = db.sql("SELECT period, value FROM sjukfranvaro_landsting WHERE region_code = $c AND sex = 'T'",
                       c=code).set_index("period")["value"]
    common = sorted(set(landsting.index) & set(wide.columns))
    if common:
        y = int(common[-1])
        kv = wide[y].dropna()
        lv = float(landsting[y])
        latest = "samma år" if y == last else f"{y}, det senaste år som finns för både kommunerna och landstinget"
        above = _count(_key("kommuner-sjukfranvaro", "over-landstinget", y), int((kv > lv).sum()))
        lines.append(f"Sjukfrånvaron bland {staff(code)} var "
                     f"{_pct(_key('sjukfranvaro', _place_key(code), 'totalt', y), lv)} {latest}; då låg {above} av "
                     f"{_count(_key('kommuner-sjukfranvaro', 'jamforda', y), len(kv))} kommuner över den.")
    else:
        lines.append("Sjukfrånvaron bland de landstingsanställda finns inte för något av kommunernas år, så de går "
                     "inte att jämföra.")
    y_turn = own[own.measure == "omsattning_exkl_pension_pct"].period.max()
    turnover = own[(own.measure == "omsattning_exkl_pension_pct") & (own.period == y_turn)]
    if len(turnover) > 1:
        t = turnover.set_index("kommun")["value"]
        lo = _pct(_key("kommuner-omsattning", "lagst", int(y_turn)), t.min())
        hi = _pct(_key("kommuner-omsattning", "hogst", int(y_turn)), t.max())
        lines.append(f"Personalomsättningen utan pensionsavgångar var {int(y_turn)} mellan {lo} "
                     f"({_names_at(t, t.min())}) och {hi} ({_names_at(t, t.max())}).")
    ends = sick[sick.period.isin([first, last])].copy()
    ends["år"] = ends.period.astype(str)
    plotted = ends[["kommun", "år", "value"]].rename(columns={"value": "procent"}).reset_index(drop=True)
    order = wide[last].sort_values(ascending=False).index.tolist()
    base = alt.Chart(plotted).encode(y=alt.Y("kommun:N", sort=order, title=None))
    chart = alt.layer(
        base.mark_line(color="#BBBBBB", strokeWidth=3).encode(x="procent:Q", detail="kommun:N"),
        base.mark_point(filled=True, size=90).encode(
            x=alt.X("procent:Q", title="Sjukfrånvaro, % av arbetstiden", axis=alt.Axis(format=",.1f"),
                    scale=alt.Scale(zero=False)),
            color=alt.Color("år:N", title="År", scale=alt.Scale(range=[charts.PALETTE[4], charts.PALETTE[0]])),
            shape=alt.Shape("år:N", title="År"),
            tooltip=[alt.Tooltip("kommun:N", title="Kommun"), alt.Tooltip("år:N", title="År"),
                     alt.Tooltip("procent:Q", title="Procent", format=",.2f")]),
    ).properties(height=alt.Step(24))
    years = f"{first} och {last}" if first < last else f"{last}"
    if n == 1:
        title = _title("Kommunanställdas sjukfrånvaro,", f"{wide.index[0]} {years}")
    else:
        title = _title(f"Sjukfrånvaro i {n} kommuner", f"{in_place(code)}, {years}")
    if n == 1:
        finding = f"{wide.index[0]}: " + " och ".join(f"{text.number(wide.loc[wide.index[0], y], 1)}{NBSP}procent {y}"
                                                       for y in sorted({first, last}) if pd.notna(wide.loc[wide.index[0], y]))
    elif first < last:
        finding = f"Högre {last} än {first} i {int((change > 0).sum())} av {len(change)} kommuner."
    else:
        finding = lines[-1]
    fig = _figure(chart, name=f"sjukfranvaro-kommuner-{code}", title=title, finding=finding, data=plotted,
                  provenance=sick, headers={"kommun": "Kommun", "år": "År", "procent": "Procent"}, decimals=2,
                  alt=charts.alt_text("Punktdiagram", _alt_title(title), finding, plotted, "procent",
                                      ["kommun", "år"], "procent", 2))
    return Section(" ".join(lines), [fig])


# --- the page's key points ---------------------------------------------------------------------------------------

@dataclass
class _Notable:
    """A result worth the key points: its place from the nearer end (1 = highest or lowest) and its clause, either
    what the region 'hade' ('år 2017 den lägsta andelen …') or a clause of its own ('skillnaden … var den största …')."""

    place: int
    clause: str
    had: bool = True


def _notables(db: Store, code: str) -> list[_Notable]:
    """Results of this län that stand out among the län, for 'Det viktigaste' (rule-based, every region alike), most
    notable first: a top or bottom three place in a survey measure or in sjukpenningtal by sex, and the gap between
    the two survey measures when it is among the three largest. Sick leave and helhetsintryck have sentences of
    their own."""
    label = vocab("region").label(code)
    pk = _place_key(code)
    out: list[_Notable] = []
    survey = _survey(db)
    survey = survey[survey.sex == "T"]
    shares = {}
    for measure, words in MEASURES.items():
        m = survey[survey.measure == measure]
        m = m[~m.period.isin(_partial_years(m))]
        own = m[m.region_code == code]
        if own.empty:
            continue
        y = int(own.period.max())
        per = m[(m.period == y) & (m.region_code != RIKET)].set_index("område")["value"]
        shares[measure] = (y, per)
        mk = numbers.slug(measure)
        position = _rank(_key(mk, pk, "placering", y), per, label)
        if not position:
            continue
        riket = m[(m.period == y) & (m.region_code == RIKET)]["value"]
        parts = [_pct(_key(mk, pk, "totalt", y), per[label])]
        ties = _ties(per, label)
        if ties:
            parts[0] += f", samma värde som {text.listing([text.escape(t) for t in ties])}"
        if len(riket):
            parts.append(f"i riket {_pct(_key(mk, 'riket', 'totalt', y), float(riket.iloc[0]))}")
        n = _count(_key(mk, pk, "placering", y, "antal-lan"), len(per))
        out.append(_Notable(_place_from_end(per, label),
                            f"år {y} {position} andelen positiva svar om {words} av de {n} länen ({'; '.join(parts)})"))
    if len(shares) == 2:
        (y1, a), (y2, b) = shares.values()
        if y1 == y2 and label in a.index and label in b.index:
            gap = (a.map(_shown) - b.map(_shown)).abs().dropna()
            larger = int((gap > gap[label]).sum())
            if int((gap >= gap[label]).sum()) - 1 < 3:  # at most two others as large: a gap all share is no news
                biggest = "den största" if larger == 0 else f"den {text.ordinal(larger + 1)} största"
                shown = numbers.register(_key("delaktighet-mot-kontinuitet", pk, y1), float(gap[label]),
                                         text.points(gap[label]))
                out.append(_Notable(larger + 1, f"skillnaden mellan andelen positiva svar om delaktighet och "
                                                f"andelen om kontinuitet, {shown}, var {biggest} bland länen",
                                    had=False))
    pay = _sick_pay_by_sex(db)
    if len(pay):
        y = max(pay.period, key=_period_order)
        for sex, word in (("K", "kvinnor"), ("M", "män")):
            per = pay[(pay.period == y) & (pay.sex == sex) & (pay.region_code != RIKET)].set_index("område")["value"]
            if label not in per.index:
                continue
            sk = numbers.slug(word)
            position = _rank(_key("sjukpenningtal", pk, sk, "placering", y), per, label)
            if not position:
                continue
            value = _num(_key("sjukpenningtal", pk, sk, y), per[label])
            ties = _ties(per, label)
            same = f", samma värde som {text.listing([text.escape(t) for t in ties])}" if ties else ""
            out.append(_Notable(_place_from_end(per, label),
                                f"år {y} {position.replace('den ', 'det ', 1)} sjukpenningtalet för {word} bland "
                                f"länen ({value}{NBSP}dagar per försäkrad{same})"))
    return sorted(out, key=lambda n: n.place)


def _place_from_end(per: pd.Series, label: str) -> int:
    v = per[label]
    return min(int((per > v).sum()), int((per < v).sum())) + 1


def notable_sentence(db: Store, code: str) -> str | None:
    """The region's most notable result among the län in one sentence (the results sharing the best place, at most
    one of what it 'hade' and one clause of its own), or None when nothing stands out."""
    if code == RIKET:
        return None
    found = _notables(db, code)
    if not found:
        return None
    best = [n for n in found if n.place == found[0].place]
    had = [n for n in best if n.had][:1]
    own = [n for n in best if not n.had][:1]
    parts = []
    if had:
        parts.append(f"{text.escape(name(code))} hade {had[0].clause}")
    if own:
        parts.append(own[0].clause)
    return _cap(", och ".join(parts)) + "."


def key_points(db: Store, code: str) -> Section:
    """'Det viktigaste' on a region page, two to four sentences: the report's picture, the newest patient survey
    (helhetsintryck), the region's most notable result among the län (when one stands out) and its sick leave."""
    from tillit.report.chapters import key_points as box

    check_code(code)
    lines = ["Betänkandet beskriver hög sjukfrånvaro bland välfärdens medarbetare och brister i patienternas "
             "delaktighet och i samordningen av vården, men redovisar inga siffror per landsting."]
    newest = impression_key_sentence(db, code)
    if newest:
        lines.append(newest)
    notable = notable_sentence(db, code)
    if notable:
        lines.append(notable)
    pk = _place_key(code)
    sick = _sick_leave(db)
    tot = sick[sick.sex == "T"]
    own = tot[tot.region_code == code].set_index("period")["value"]
    riket = tot[tot.region_code == RIKET].set_index("period")["value"]
    if len(own):
        last = int(own.index.max())
        if code == RIKET:
            lines.append(f"Sjukfrånvaron bland de landstingsanställda i riket "
                         f"{_trend(('sjukfranvaro', pk, 'totalt'), own)}.")
        else:
            partial = _partial_years(tot)
            full = [int(y) for y in own.index if int(y) not in partial]
            y = max(full) if full else last  # compared and ranked in the latest year with every län
            per = tot[(tot.period == y) & (tot.region_code != RIKET)].set_index("område")["value"]
            rank_ = (_rank(_key("sjukfranvaro", pk, "placering", y), per, vocab("region").label(code))
                     if y not in partial else None)
            compare = (f", {_diff(_key('sjukfranvaro', pk, 'mot-riket', y), own[y], riket[y])} i riket"
                       if y in riket.index else "")
            pivots = text.turning_points(own[[int(x) not in partial for x in own.index]])
            tail = []
            if pivots:
                kind, years, _ = pivots[-1]
                tail.append(f"den har {'ökat' if kind == 'botten' else 'minskat'} sedan {max(years)}")
            if y != last:
                tail.append(f"{last} var den {_pct(_key('sjukfranvaro', pk, 'totalt', last), own[last])}")
            rank = ""
            if rank_:
                n = _count(_key("sjukfranvaro", pk, "placering", y, "antal-lan"), len(per))
                rank = f", {rank_} av de {n} länen"
            lines.append(f"År {y} var sjukfrånvaron bland {staff(code)} "
                         f"{_pct(_key('sjukfranvaro', pk, 'totalt', y), own[y])}{compare}{rank}"
                         + (f"; {' och '.join(tail)}" if tail else "") + ".")
    return box(lines[:4])


# --- helhetsintryck (Nationell Patientenkät, primary care) 2015–2024 ----------------------------------------------

# Survey shares move by a point or so from one measurement to the next; within these margins (procentenheter) a series
# is 'kvar på omkring …' and a turn is not a turning point.
IMPRESSION_FLAT, IMPRESSION_TURN = 2.0, 1.5


def _impression_trend(key_parts: tuple, values: pd.Series) -> str:
    return _trend(key_parts, values, flat=IMPRESSION_FLAT, threshold=IMPRESSION_TURN)


def _impression(db: Store) -> pd.DataFrame:
    """Helhetsintryck per region and measurement; empty when the store has no such table (an older data set)."""
    present = db.sql("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'patientenkat_helhetsintryck'")
    if not int(present.n.iloc[0]):
        return _with_names(pd.DataFrame(columns=["period", "region_code", "measurement", "value", "source_publisher",
                                                 "source_title", "source_url", "source_type"]))
    frame = db.sql(f"""SELECT period, region_code, measurement, value, {PROV} FROM patientenkat_helhetsintryck
                       ORDER BY region_code, period""")
    frame["period"] = frame.period.astype(int)
    return _with_names(frame)


def _gaps_at(plotted: pd.DataFrame, steps: list[int], series) -> pd.DataFrame:
    """The rows to draw: `plotted` plus an empty row where a series skips one of `steps` (the national
    measurements), so its line breaks there and never joins two measurements across a missing one; years that are
    not steps (a voluntary in-between measurement) are drawn where a series has them but are no gaps
    (charts.with_gaps on the order of the steps)."""
    order = {y: i for i, y in enumerate(steps)}
    indexed = plotted.assign(steg=plotted["år"].map(order))
    drawn = charts.with_gaps(indexed, "steg", "procent", series)
    drawn["år"] = drawn["år"].where(drawn["år"].notna(), drawn["steg"].map(dict(enumerate(steps))))
    drawn["år"] = drawn["år"].astype(int)
    return drawn.drop(columns="steg").sort_values([*([series] if isinstance(series, str) else series), "år"],
                                                   kind="stable").reset_index(drop=True)


def overall_impression(db: Store, code: str) -> Section:
    """Share of primary-care patients with a positive overall impression, over the national measurements (odd
    years), this region against riket; a later voluntary regional measurement is named, not compared."""
    check_code(code)
    frame = _impression(db)
    national = frame[frame.measurement == "nationell"]
    own = national[national.region_code == code].set_index("period")["value"]
    if own.empty:
        return missing(f"Helhetsintrycket i Nationell Patientenkät finns inte för {text.escape(name(code))} i bokens "
                       f"data.")
    riket = national[national.region_code == RIKET].set_index("period")["value"]
    last = int(own.index.max())
    where = text.escape(in_place(code))
    pk = _place_key(code)
    per = national[(national.period == last) & (national.region_code != RIKET)].set_index("område")["value"]
    lines = []
    if code == RIKET:
        lines.append(f"I den nationella mätningen {last} hade "
                     f"{_pct(_key('helhetsintryck', pk, last), own[last])} av de svarande i primärvården ett "
                     f"positivt helhetsintryck av sin vård.")
        if len(per):
            lines.append(f"Mellan regionerna varierade andelen {extremes(per, key=_key('helhetsintryck', 'lan', last))}.")
    else:
        compare = (f", {_diff(_key('helhetsintryck', pk, 'mot-riket', last), own[last], riket[last])} i riket "
                   f"({_pct(_key('helhetsintryck', 'riket', last), riket[last])})" if last in riket.index else "")
        notable = _rank(_key("helhetsintryck", pk, "placering", last), per, vocab("region").label(code))
        rank = ""
        if notable:
            rank = (f", {notable} andelen av de "
                    f"{_count(_key('helhetsintryck', 'antal-lan', last), len(per))} regionerna")
        lines.append(f"I den nationella mätningen {last} hade {_pct(_key('helhetsintryck', pk, last), own[last])} av "
                     f"de svarande i primärvården {where} ett positivt helhetsintryck av sin vård{compare}{rank}.")
    if len(own) > 1:
        lines.append(f"Över de nationella mätningarna {_verb_first(_impression_trend(('helhetsintryck', pk), own), 'andelen')}.")
    later = frame[(frame.region_code == code) & (frame.measurement == "regional") & (frame.period > last)]
    if len(later):
        r = later.iloc[-1]
        lines.append(f"I den frivilliga regionala mätningen {int(r.period)} var andelen "
                     f"{_pct(_key('helhetsintryck', pk, 'regional', int(r.period)), r.value)}; den mätningen görs "
                     f"inte i alla regioner och jämförs därför inte med de nationella.")
    secondary = national[(national.region_code.isin([code, RIKET])) & (national.source_type == "secondary")]
    for pub, g in secondary.groupby("source_publisher"):
        years = sorted({int(y) for y in g.period})
        lines.append(f"Värdena för {text.listing([str(y) for y in years])} kommer från {text.escape(pub)}, som återger "
                     f"mätningen (sekundärkälla).")
    shown = national[national.region_code.isin([code, RIKET])]
    plotted = (shown[["område", "period", "value"]].rename(columns={"period": "år", "value": "procent"})
               .reset_index(drop=True))
    measured = sorted(int(y) for y in set(national.period))
    gapped = [y for y in measured if plotted["år"].min() < y < last and y not in set(own.index)]
    if gapped:
        lines.append(f"För {text.escape(name(code))} saknas den nationella mätningen "
                     f"{text.listing([str(y) for y in gapped])}; där är linjen i diagrammet avbruten.")
    drawn = _gaps_at(plotted, measured, "område")
    areas = [vocab("region").label(code)] + (["Riket"] if code != RIKET else [])
    chart = alt.Chart(drawn).mark_line(point=True, invalid=charts.BREAK_AT_GAPS).encode(
        x=alt.X("år:Q", title="År (nationell mätning)", axis=alt.Axis(format="d", values=sorted(set(plotted["år"])))),
        y=alt.Y("procent:Q", title="Positivt helhetsintryck, %", scale=alt.Scale(zero=False),
                axis=alt.Axis(format=",.0f", tickMinStep=1)),
        strokeDash=alt.StrokeDash("område:N", title="Område", sort=areas,
                                  legend=alt.Legend(symbolType="stroke", symbolSize=500, symbolStrokeWidth=2.5,
                                                    columns=1),
                                  scale=alt.Scale(domain=areas, range=[[1, 0], [6, 4]][:len(areas)])),
        tooltip=[alt.Tooltip("område:N", title="Område"), alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=280)
    title = _title("Helhetsintryck av primärvården,", f"{_where(code)} {int(plotted['år'].min())}–{last}")
    finding = _short_finding(code, last, own[last], riket.get(last) if code != RIKET else None)
    fig = _figure(chart, name=f"helhetsintryck-{code}", title=title, finding=finding, data=plotted,
                  provenance=shown, headers={"område": "Område", "år": "År", "procent": "Procent"},
                  alt=charts.alt_text("Linjediagram", _alt_title(title), finding, plotted, "procent", ["område", "år"],
                                      "procent"))
    return Section(" ".join(lines), [fig])


def impression_key_sentence(db: Store, code: str) -> str | None:
    """The newest patient-survey figure for the key points: the latest national helhetsintryck, notable or not."""
    frame = _impression(db)
    national = frame[frame.measurement == "nationell"]
    own = national[national.region_code == code].set_index("period")["value"]
    if own.empty:
        return None
    last = int(own.index.max())
    riket = national[national.region_code == RIKET].set_index("period")["value"]
    where = text.escape(in_place(code))
    pk = _place_key(code)
    if code == RIKET:
        return (f"I den senaste nationella patientmätningen ({last}) hade "
                f"{_pct(_key('helhetsintryck', pk, last), own[last])} av de svarande i primärvården ett positivt "
                f"helhetsintryck; andelen {_impression_trend(('helhetsintryck', pk), own)}.")
    per = national[(national.period == last) & (national.region_code != RIKET)].set_index("område")["value"]
    notable = _rank(_key("helhetsintryck", pk, "placering", last), per, vocab("region").label(code))
    compare = (f", {_diff(_key('helhetsintryck', pk, 'mot-riket', last), own[last], riket[last])} i riket"
               if last in riket.index else "")
    return (f"I den senaste nationella patientmätningen ({last}) hade {_pct(_key('helhetsintryck', pk, last), own[last])}"
            f" av de svarande {where} ett positivt helhetsintryck av primärvården{compare}"
            + (f", {notable} andelen bland regionerna." if notable else "."))


def impression_map(db: Store, code: str):
    """The helhetsintryck map of the latest national measurement with this län outlined and named (tillit.report.maps),
    its sources in Swedish."""
    from tillit.report import maps

    return maps.helhetsintryck_map(db, code, depth=2)


# --- sjukpenningtal by sex, two years apart ------------------------------------------------------------------------

def _sick_pay_by_sex(db: Store) -> pd.DataFrame:
    """Sjukpenningtal per län for women and men, in the yearly periods where every län has both sexes."""
    frame = db.sql(f"""SELECT period, region_code, sex, value, {PROV} FROM sjukpenningtal_lan
                       WHERE sex IN ('K', 'M') AND length(period) = 4 ORDER BY period, region_code, sex""")
    n = _region_count()
    full = frame[frame.region_code != RIKET].groupby("period").region_code.nunique()
    frame = frame[frame.period.isin(full[full == n].index)]
    return _with_names(frame)


def sick_pay_change(db: Store, code: str) -> Section:
    """Sjukpenningtal for women and men in this län and riket: the first and the latest full year, its place, and a
    table with both years, riket and the change."""
    check_code(code)
    frame = _sick_pay_by_sex(db)
    years = sorted(frame.period.unique())
    if len(years) < 2:
        return missing("Sjukpenningtal per län och kön finns inte för två hela år i bokens data.")
    y0, y1 = years[0], years[-1]
    where = text.escape(in_place(code))
    pk = _place_key(code)
    lines, rows = [], []
    places = [code] + ([RIKET] if code != RIKET else [])
    for sex, word in (("K", "kvinnor"), ("M", "män")):
        sk = numbers.slug(word)
        own = frame[(frame.region_code == code) & (frame.sex == sex)].set_index("period")["value"]
        if not {y0, y1} <= set(own.index):
            continue
        riket = frame[(frame.region_code == RIKET) & (frame.sex == sex)].set_index("period")["value"]
        a, b = (_num(_key("sjukpenningtal", pk, sk, y), own[y]) for y in (y0, y1))
        verb = ("var oförändrat på" if a == b else "ökade från" if own[y1] > own[y0] else "minskade från")
        values = f"{b}{NBSP}dagar" if a == b else f"{a} till {b}{NBSP}dagar"
        sentence = f"För {word} {verb.split()[0]} sjukpenningtalet {where} {' '.join(verb.split()[1:])} {values} per försäkrad mellan {y0} och {y1}"
        if code != RIKET and {y0, y1} <= set(riket.index):
            r0, r1 = (_num(_key("sjukpenningtal", "riket", sk, y), riket[y]) for y in (y0, y1))
            sentence += f" (i riket från {r0} till {r1}{NBSP}dagar)"
            per = frame[(frame.period == y1) & (frame.sex == sex) & (frame.region_code != RIKET)].set_index("område")["value"]
            label = vocab("region").label(code)
            notable = _rank(_key("sjukpenningtal", pk, sk, "placering", y1), per, label)
            if notable:
                n = _count(_key("sjukpenningtal", "antal-lan", y1), len(per))
                sentence += (f"; {y1} hade {text.escape(name(code))} {notable.replace('den ', 'det ', 1)} "
                             f"sjukpenningtalet för {word} bland de {n} länen{_tie_words(_ties(per, label))}")
        lines.append(sentence + ".")
        for c in places:
            series = frame[(frame.region_code == c) & (frame.sex == sex)].set_index("period")["value"]
            if not {y0, y1} <= set(series.index):
                continue
            ck = _place_key(c)
            change = float(rounded(series[y1], 1) - rounded(series[y0], 1))
            rows.append([f"{_cap(word)}, {text.escape(name(c))}",
                         _num(_key("kon-tabell", ck, sk, y0), series[y0]), _num(_key("kon-tabell", ck, sk, y1), series[y1]),
                         numbers.register(_key("kon-tabell", ck, sk, "forandring", y0, y1), change, text.signed(change))])
    if not lines:
        return missing(f"Sjukpenningtal per kön för {text.escape(name(code))} finns inte för {y0} och {y1} i bokens "
                       f"data.")
    pubs = frame[frame.period.isin([y0, y1]) & frame.region_code.isin(places)]
    source = text.listing(sorted({text.escape(p) for p in pubs.source_publisher}))
    lines.append(f"Uppgifterna kommer från {source}, som återger Försäkringskassan"
                 + (" (sekundärkälla)." if (pubs.source_type == "secondary").any() else "."))
    caption = f"Sjukpenningtal för kvinnor och män {y0} och {y1}, dagar per försäkrad"
    table = markdown.table(["Kön och område", str(y0), str(y1), "Förändring, dagar"], rows)
    return Section(" ".join(lines) + "\n\n" + _classed_table(table, "tillit-summary", caption) + "\n\n"
                   + source_markdown(pubs))
