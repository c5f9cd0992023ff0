"""Regional profiles: one page per landsting/region (and riket) comparing its figures with riket and the other län."""
from __future__ import annotations

import altair as alt
import pandas as pd

from tillit.report import charts, text
from tillit.tables.catalog import vocab
from tillit.report.chapters import Section, missing
from tillit.tables.store import Store

PROV = "source_publisher, source_title, source_url, source_type"
RIKET = "00"
# Page of one region, relative to another region page (notebooks.yaml: output notebooks/regioner/region-{code}.ipynb).
PAGE = "region-{code}.ipynb"
SEX_ORDER = ["Kvinnor", "Män", "Totalt"]
MEASURES = {
    "delaktighet_involvering": "delaktighet och involvering",
    "kontinuitet_koordinering": "kontinuitet och koordinering",
}
KOLADA_HINT = (
    "En analytiker kan lägga till dem från Kolada: hämta nyckeltalet N00090 (*Sjukfrånvaro kommunalt anställda "
    "totalt*) för länets kommuner som JSON från Koladas API och läs in filen med `tillit import <fil>` (kontrollera "
    "först nyckeltalets id och titel i Kolada). Värdena hamnar då i tabellen `personalnyckeltal_kommun`, och sidan "
    "visar dem nästa gång `tillit build` körs.")


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


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def points_words(a: float, b: float, unit: str = "procentenheter", same: str = "lika hög som") -> str:
    """a compared with b as a difference (to one decimal): '2,3 procentenheter högre än' / '1,6 dagar lägre än' /
    'lika hög som' (the shared wording layer, text.difference_words)."""
    return text.difference_words(a, b, unit, 1, same)


def in_place(code: str) -> str:
    """'i Stockholm', 'på Gotland', 'i riket'."""
    return text.place(name(code))


def extremes(values: pd.Series, fmt=text.percent) -> str:
    """'från 5,1 procent i Östergötland till 7,1 procent i Västmanland' (all names sharing the lowest or highest value)."""
    regions = vocab("region")
    codes = {regions.label(c): c for c in regions.labels}

    def where(v: float) -> str:
        names = [n for n in values.index if values[n] == v]
        return text.listing([text.escape(in_place(codes[n]) if n in codes else f"i {n}") for n in names])

    return f"från {fmt(values.min())} {where(values.min())} till {fmt(values.max())} {where(values.max())}"


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


def _position_sentence(per: pd.Series, code: str, noun: str, year: int) -> list[str]:
    """'Det var den näst lägsta andelen av de 21 landsting som redovisas för 2017.' – only when the place is notable
    (top or bottom three); a middle place is not said."""
    label = vocab("region").label(code)
    notable = text.rank_position(per, label)
    if not notable:
        return []
    ties = [k for k in per.index if k != label and per[k] == per[label]]
    return [f"Det var {notable} {noun} av de {len(per)} {text.council_word(year, definite=False)} som redovisas "
            f"för {year}{_tie_words(ties)}."]


def _tie_words(ties: list[str]) -> str:
    return f" (samma värde som {text.listing([text.escape(t) for t in ties])})" if ties else ""


def _days(x: float) -> str:
    return f"{text.number(x, 1)}\u00a0dagar"


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


# --- page header -------------------------------------------------------------------------------------------------

def summary(db: Store, code: str) -> Section:
    """Key figures in one table: the latest period of each measure, this region against riket and its place."""
    check_code(code)
    sick = _sick_leave(db)
    survey = _survey(db)
    facts = [("Sjukfrånvaro bland landstingsanställda, %", sick[sick.sex == "T"])]
    for measure, label in MEASURES.items():
        facts.append((f"Patientenkät, {label}, % positiva svar", survey[(survey.measure == measure) & (survey.sex == "T")]))
    facts.append(("Sjukpenningtal, dagar per försäkrad", _sick_pay(db)))
    if code == RIKET:
        lines = ["| Mått | Period | Riket | Lägst och högst bland landstingen/länen |", "|---|---|---|---|"]
    else:
        lines = [f"| Mått | Period | {text.escape(name(code))} | Riket | Placering bland landstingen/länen |",
                 "|---|---|---|---|---|"]
    for label, frame in facts:
        own = frame[frame.region_code == code]
        last = (own if not own.empty else frame).period.max()
        at = frame[frame.period == last]
        per = at[at.region_code != RIKET].set_index("område")["value"]
        riket = at[at.region_code == RIKET]["value"]
        riket_s = text.number(float(riket.iloc[0]), 1) if not riket.empty else "saknas i data"
        when = "–" if pd.isna(last) else (text.period_label(last) if isinstance(last, str) else str(int(last)))
        if code == RIKET:
            spread = (f"{text.number(per.min(), 1)} ({_names_at(per, per.min())}) – "
                      f"{text.number(per.max(), 1)} ({_names_at(per, per.max())})") if len(per) else "saknas i data"
            cells = [label, when, riket_s, spread]
        elif own.empty:
            cells = [label, when, "saknas i data", riket_s, "–"]
        else:
            words, ties = rank_words(per, vocab("region").label(code))
            place = f"{_cap(words)} av {len(per)}" + (" (delad)" if ties else "")
            cells = [label, when, text.number(float(own[own.period == last].value.iloc[0]), 1), riket_s, place]
        lines.append("| " + " | ".join(cells) + " |")
    return Section("\n".join(lines))


# --- data --------------------------------------------------------------------------------------------------------

def _sick_leave(db: Store) -> pd.DataFrame:
    frame = db.sql(f"SELECT period, region_code, sex, value, {PROV} FROM sjukfranvaro_landsting "
                   "ORDER BY region_code, sex, period")
    return _with_names(frame)


def _survey(db: Store) -> pd.DataFrame:
    frame = db.sql(f"SELECT period, region_code, sex, measure, value, {PROV} FROM patientenkat "
                   "ORDER BY measure, region_code, sex, period")
    return _with_names(frame)


def _sick_pay(db: Store) -> pd.DataFrame:
    """Sjukpenningtal for both sexes together in the latest month with values for the län (and riket that month)."""
    frame = db.sql(f"""SELECT period, region_code, value, {PROV} FROM sjukpenningtal_lan
                       WHERE sex = 'T' AND period = (SELECT max(period) FROM sjukpenningtal_lan
                                                     WHERE sex = 'T' AND region_code <> '00' AND length(period) = 7)
                       ORDER BY period, region_code""")
    return _with_names(frame)


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

def _trend_chart(plotted: pd.DataFrame, code: str, y_title: str, zero: bool = True) -> alt.Chart:
    """Lines over the years: colour = sex, solid = this region, dashed = riket."""
    areas = [vocab("region").label(code)] + (["Riket"] if code != RIKET else [])
    return alt.Chart(plotted).mark_line(point=True).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", values=sorted(int(y) for y in set(plotted["år"])))),
        y=alt.Y("procent:Q", title=y_title, axis=alt.Axis(format=",.1f"), scale=alt.Scale(zero=zero)),
        color=alt.Color("kön:N", title="Kön", sort=SEX_ORDER),
        strokeDash=alt.StrokeDash("område:N", title="Område", sort=areas,
                                  legend=alt.Legend(symbolType="stroke", symbolSize=500, symbolStrokeWidth=2.5),
                                  scale=alt.Scale(domain=areas, range=[[1, 0], [6, 4]][:len(areas)])),
        tooltip=[alt.Tooltip("område:N", title="Område"), alt.Tooltip("kön:N", title="Kön"),
                 alt.Tooltip("år:Q", title="År", format="d"), alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=320)


# --- sections ----------------------------------------------------------------------------------------------------

def sick_leave(db: Store, code: str) -> Section:
    """Sick leave among landsting employees over the years, by sex, against riket (or the spread, for riket)."""
    check_code(code)
    frame = _sick_leave(db)
    place = name(code)
    own = frame[frame.region_code == code]
    tot = own[own.sex == "T"].set_index("period")["value"]
    if tot.empty:
        return missing(f"Sjukfrånvaro bland landstingsanställda {text.escape(in_place(code))} finns inte i data "
                       f"(tabellen `sjukfranvaro_landsting`).")
    riket = frame[(frame.region_code == RIKET) & (frame.sex == "T")].set_index("period")["value"]
    first, last = int(tot.index.min()), int(tot.index.max())
    v = tot[last]
    lines = []
    if code == RIKET:
        lines.append(f"År {last} var sjukfrånvaron bland de landstingsanställda i riket {text.percent(v)} av den "
                     f"ordinarie arbetstiden.")
        per = frame[(frame.period == last) & (frame.sex == "T") & (frame.region_code != RIKET)].set_index("område")["value"]
        if len(per):
            lines.append(f"Mellan landstingen varierade den {extremes(per)}; {int((per > v).sum())} av "
                         f"{len(per)} landsting låg över riket.")
    else:
        compare = (f", {text.ratio_words(v, riket[last])} i riket ({text.percent(riket[last])})"
                   if last in riket.index else f"; riket saknas för {last} i data")
        lines.append(f"År {last} var sjukfrånvaron bland de landstingsanställda {text.escape(in_place(code))} "
                     f"{text.percent(v)} av den ordinarie arbetstiden{compare}.")
        per = frame[(frame.period == last) & (frame.sex == "T") & (frame.region_code != RIKET)].set_index("område")["value"]
        lines += _position_sentence(per, code, "sjukfrånvaron", last)
    if first < last:
        lines.append(f"Sjukfrånvaron {text.escape(in_place(code))} {text.trend_words(tot)}.")
        if code != RIKET and {first, last} <= set(riket.index):
            lines.append(f"I riket {_verb_first(text.trend_words(riket[(riket.index >= first) & (riket.index <= last)]))}.")
    sexes = own[own.period == last].set_index("sex")["value"]
    if {"K", "M"} <= set(sexes.index):
        lines.append(f"Bland kvinnorna var sjukfrånvaron {text.percent(sexes['K'])} och bland männen "
                     f"{text.percent(sexes['M'])}: kvinnornas var {text.ratio_words(sexes['K'], sexes['M'])} männens.")
    gaps = [y for y in _missing_years(frame, code) if first < y < last]
    if gaps:
        lines.append(f"För {text.escape(place)} saknas uppgifter för {text.listing([str(y) for y in gaps])}.")
    shown = frame[frame.region_code.isin([code, RIKET])]
    if code != RIKET:
        shown = shown[shown.period.between(first, last)]
    plotted = (shown[["område", "kön", "period", "value"]].rename(columns={"period": "år", "value": "procent"})
               .reset_index(drop=True))
    title = f"Landstingsanställdas sjukfrånvaro, {_where(code)} {first}–{last}"
    finding = lines[0]
    chart = _trend_chart(plotted, code, "Sjukfrånvaro, % av ordinarie arbetstid")
    fig = charts.figure(chart, name=f"sjukfranvaro-{code}", title=title, finding=finding, data=plotted,
                        provenance=shown, headers={"område": "Område", "kön": "Kön", "år": "År", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, finding, plotted, "procent", ["område", "kön", "år"],
                                            "procent"))
    return Section(" ".join(lines), [fig])


def patient_survey(db: Store, code: str, measure: str) -> Section:
    """One Nationell Patientenkät measure (primary care) by year and sex, against riket and the other landsting."""
    check_code(code)
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; known: {', '.join(MEASURES)}")
    label = MEASURES[measure]
    frame = _survey(db)
    frame = frame[frame.measure == measure]
    place = name(code)
    own = frame[frame.region_code == code]
    tot = own[own.sex == "T"].set_index("period")["value"]
    if tot.empty:
        return missing(f"Nationell Patientenkät om {label} i primärvården finns inte för {text.escape(place)} i data "
                       f"(tabellen `patientenkat`).")
    riket = frame[(frame.region_code == RIKET) & (frame.sex == "T")].set_index("period")["value"]
    first, last = int(tot.index.min()), int(tot.index.max())
    v = tot[last]
    per = frame[(frame.period == last) & (frame.sex == "T") & (frame.region_code != RIKET)].set_index("område")["value"]
    lines = []
    if code == RIKET:
        lines.append(f"År {last} var andelen positiva svar om {label} i primärvården {text.percent(v)} i riket.")
        if len(per):
            lines.append(f"Mellan landstingen varierade den {extremes(per)}.")
    else:
        compare = (f", {points_words(v, riket[last])} i riket ({text.percent(riket[last])})"
                   if last in riket.index else f"; riket saknas för {last} i data")
        lines.append(f"År {last} var andelen positiva svar om {label} i primärvården {text.escape(in_place(code))} "
                     f"{text.percent(v)}{compare}.")
        lines += _position_sentence(per, code, "andelen", last)
    if first < last:
        lines.append(f"Andelen {text.trend_words(tot)}"
                     + (f"; i riket {_verb_first(text.trend_words(riket[(riket.index >= first) & (riket.index <= last)]), 'den')}."
                        if code != RIKET and {first, last} <= set(riket.index) else "."))
    else:
        lines.append(f"För {text.escape(place)} finns bara {last}.")
    gaps = [y for y in _missing_years(frame, code) if y not in tot.index]
    if gaps and first < last:
        lines.append(f"För {text.escape(place)} saknas uppgifter för {text.listing([str(y) for y in gaps])}.")
    sexes = own[own.period == last].set_index("sex")["value"]
    if {"K", "M"} <= set(sexes.index):
        lines.append(f"Bland kvinnorna var andelen {text.percent(sexes['K'])} och bland männen "
                     f"{text.percent(sexes['M'])}; kvinnornas andel var "
                     f"{points_words(sexes['K'], sexes['M'], same='lika stor som')} männens.")
    shown = frame[frame.region_code.isin([code, RIKET])]
    plotted = (shown[["område", "kön", "period", "value"]].rename(columns={"period": "år", "value": "procent"})
               .reset_index(drop=True))
    title = f"{_cap(label)}, {_where(code)} {int(shown.period.min())}–{int(shown.period.max())}"
    finding = lines[0]
    chart = _trend_chart(plotted, code, "Andel positiva svar, %", zero=False)
    fig = charts.figure(chart, name=f"patientenkat-{measure}-{code}", title=title, finding=finding, data=plotted,
                        provenance=shown, headers={"område": "Område", "kön": "Kön", "år": "År", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, finding, plotted, "procent", ["område", "kön", "år"],
                                            "procent"))
    return Section(" ".join(lines), [fig])


def sick_pay_rank(db: Store, code: str) -> Section:
    """Sjukpenningtal per län for the latest month in data (secondary source), with this län's place among them."""
    check_code(code)
    frame = _sick_pay(db)
    if frame.empty:
        return missing("Sjukpenningtal per län finns inte i data (tabellen `sjukpenningtal_lan`).")
    last = frame.period.max()
    at = frame[frame.period == last].reset_index(drop=True)
    per = at[at.region_code != RIKET].set_index("område")["value"]
    month = text.period_label(last)
    place = name(code)
    riket = at[at.region_code == RIKET]["value"]
    source = text.listing(sorted({text.escape(p) for p in at.source_publisher}))
    secondary = (at.source_type == "secondary").any()
    lines = []
    if code == RIKET:
        if riket.empty:
            lines.append(f"Sjukpenningtalet för riket finns inte i data. I {month} varierade det mellan länen "
                         f"{extremes(per, _days)}; medianen för de {len(per)} länen var {_days(per.median())}.")
        else:
            lines.append(f"I {month} var sjukpenningtalet i riket {text.number(float(riket.iloc[0]), 1)} dagar per "
                         f"försäkrad; länen varierade {extremes(per, _days)}.")
    else:
        label = vocab("region").label(code)
        if label not in per.index:
            return missing(f"Sjukpenningtal för {text.escape(place)} finns inte i data för {month} "
                           f"(tabellen `sjukpenningtal_lan`).")
        v = per[label]
        notable = text.rank_position(per, label)
        ties = [k for k in per.index if k != label and per[k] == v]
        lines.append(f"I {month} var sjukpenningtalet {text.escape(in_place(code))} {_days(v)} per försäkrad"
                     + (f", {notable} av de {len(per)} länen{_tie_words(ties)}." if notable else "."))
        if riket.empty:
            lines.append(f"Riket saknas i data, så jämförelsen görs med medianen för länen: sjukpenningtalet "
                         f"{text.escape(in_place(code))} var {points_words(v, per.median(), 'dagar', 'lika högt som')} "
                         f"medianen ({_days(per.median())}).")
        else:
            lines.append(f"Det var {points_words(v, float(riket.iloc[0]), 'dagar', 'lika högt som')} i riket "
                         f"({_days(float(riket.iloc[0]))}).")
    lines.append("Sjukpenningtalet gäller alla försäkrade i länet, inte bara de anställda i landstinget"
                 + (f", och uppgifterna kommer från {source} som återger Försäkringskassan (sekundärkälla)."
                    if secondary else "."))
    plotted = at[at.region_code != RIKET][["område", "value"]].rename(columns={"område": "län", "value": "dagar"})
    plotted = plotted.sort_values("dagar", ascending=False).reset_index(drop=True)
    highlight = vocab("region").label(code)
    color = (alt.condition(alt.datum["län"] == highlight, alt.value(charts.HIGHLIGHT), alt.value(charts.PALETTE[0]))
             if code != RIKET else alt.value(charts.PALETTE[0]))
    bars = alt.Chart(plotted).mark_bar().encode(
        x=alt.X("dagar:Q", title="Sjukpenningtal, dagar per försäkrad", axis=alt.Axis(format=",.1f")),
        y=alt.Y("län:N", sort="-x", title=None),
        color=color,
        tooltip=[alt.Tooltip("län:N", title="Län"), alt.Tooltip("dagar:Q", title="Dagar", format=",.1f")],
    ).properties(height=alt.Step(18))
    title = f"Sjukpenningtal per län, {month}"
    finding = lines[0] + (f" Markerat: {highlight}." if code != RIKET else "")
    fig = charts.figure(bars, name=f"sjukpenningtal-{code}", title=title, finding=finding, data=plotted,
                        provenance=at, headers={"län": "Län", "dagar": "Dagar per försäkrad"},
                        alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "dagar", "län", "dagar"))
    return Section(" ".join(lines), [fig])


def municipalities(db: Store, code: str) -> Section:
    """Municipal staff figures for the kommuner of this län where the data has them; otherwise say how to add them."""
    check_code(code)
    frame = _kommuner(db)
    regions = vocab("region")
    covered = sorted(set(frame.region_code))
    where = text.listing([text.escape(regions.label(c)) for c in covered if c in regions])
    count = frame.kommun_code.nunique()
    if code == RIKET:
        if frame.empty:
            return missing("Kommunala personalnyckeltal finns inte i standarddata. " + KOLADA_HINT)
        links = text.listing([f"[{text.escape(regions.label(c))}]({PAGE.format(code=c)})" for c in covered if c in regions])
        return Section(f"Kommunala personalnyckeltal finns i standarddata för {count} kommuner, alla i "
                       f"{where}; de visas på sidan för {links}. Ett riksvärde för kommunerna räknas inte fram ur "
                       f"dem, eftersom kommunerna inte är ett urval av landets kommuner.")
    own = frame[frame.region_code == code]
    if own.empty:
        have = (f"tabellen `personalnyckeltal_kommun` innehåller bara {count} kommuner i {where}"
                if count else "tabellen `personalnyckeltal_kommun` är tom")
        return missing(f"Kommunala personalnyckeltal för kommunerna {text.escape(in_place(code))} finns inte i "
                       f"standarddata: {have}. " + KOLADA_HINT)
    sick = own[own.measure == "sjukfranvaro_pct"]
    if sick.empty:
        return missing(f"Sjukfrånvaro för kommunerna {text.escape(in_place(code))} finns inte i data, bara andra "
                       f"personalnyckeltal. " + KOLADA_HINT)
    first, last = int(sick.period.min()), int(sick.period.max())
    wide = sick.pivot_table(index="kommun", columns="period", values="value")
    n = len(wide)
    publishers = text.listing(sorted({text.escape(p) for p in own.source_publisher}))
    lines = [(f"Standarddata har personalnyckeltal för {n} kommuner {text.escape(in_place(code))}, från {publishers}; "
              f"övriga kommuner i länet saknas.")]
    if first < last:
        change = (wide[last] - wide[first]).dropna()
        up = int((change > 0).sum())
        lines.append(f"I {up} av {len(change)} kommuner var sjukfrånvaron bland de kommunanställda högre {last} än "
                     f"{first}.")
    at_last = wide[last].dropna()
    lines.append(f"År {last} var den högst i {_names_at(at_last, at_last.max())} ({text.percent(at_last.max())}) och "
                 f"lägst i {_names_at(at_last, at_last.min())} ({text.percent(at_last.min())}).")
    landsting = db.sql("SELECT period, value FROM sjukfranvaro_landsting WHERE region_code = $c AND sex = 'T'",
                       c=code).set_index("period")["value"]
    common = sorted(set(landsting.index) & set(wide.columns))
    if common:
        y = int(common[-1])
        kv = wide[y].dropna()
        lv = float(landsting[y])
        latest = "samma år" if y == last else f"{y}, det senaste år som finns för både kommunerna och landstinget"
        lines.append(f"Sjukfrånvaron bland de landstingsanställda {text.escape(in_place(code))} var {text.percent(lv)} "
                     f"{latest}; då låg {int((kv > lv).sum())} av {len(kv)} kommuner över den.")
    else:
        lines.append("Sjukfrånvaron bland de landstingsanställda finns inte för något av kommunernas år, så de går "
                     "inte att jämföra.")
    y_turn = own[own.measure == "omsattning_exkl_pension_pct"].period.max()
    turnover = own[(own.measure == "omsattning_exkl_pension_pct") & (own.period == y_turn)]
    if len(turnover) > 1:
        t = turnover.set_index("kommun")["value"]
        lines.append(f"Personalomsättningen utan pensionsavgångar var {int(y_turn)} mellan {text.percent(t.min())} "
                     f"({_names_at(t, t.min())}) och {text.percent(t.max())} ({_names_at(t, t.max())}).")
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
    title = f"Sjukfrånvaro i {n} kommuner {in_place(code)}" + (
        f", {first} och {last}" if first < last else f", {last}")
    finding = lines[1] if first < last else lines[-1]
    fig = charts.figure(chart, name=f"sjukfranvaro-kommuner-{code}", title=title, finding=finding, data=plotted,
                        provenance=sick, headers={"kommun": "Kommun", "år": "År", "procent": "Procent"}, decimals=2,
                        alt=charts.alt_text("Punktdiagram", title, finding, plotted, "procent", ["kommun", "år"],
                                            "procent", 2))
    return Section(" ".join(lines), [fig])


# --- the page's key points ---------------------------------------------------------------------------------------

SURVEY_MARGIN = 2.0  # procentenheter from riket that counts as clearly different on the survey measures


def key_points(db: Store, code: str) -> Section:
    """'Det viktigaste' on a region page: the report's picture, where this region stands now (only what is notable),
    and which way its sick leave has moved."""
    from tillit.report.chapters import key_points as box

    check_code(code)
    lines = ["Betänkandet beskriver hög sjukfrånvaro bland välfärdens medarbetare och brister i patienternas "
             "delaktighet och i samordningen av vården, men redovisar inga siffror per landsting."]
    sick = _sick_leave(db)
    tot = sick[sick.sex == "T"]
    own = tot[tot.region_code == code].set_index("period")["value"]
    riket = tot[tot.region_code == RIKET].set_index("period")["value"]
    where = text.escape(in_place(code))
    if len(own):
        last = int(own.index.max())
        if code == RIKET:
            lines.append(f"Sjukfrånvaron bland de landstingsanställda i riket {text.trend_words(own)}.")
        else:
            per = tot[(tot.period == last) & (tot.region_code != RIKET)].set_index("område")["value"]
            notable = text.rank_position(per, vocab("region").label(code))
            compare = (f", {text.ratio_words(own[last], riket[last])} i riket" if last in riket.index else "")
            pivots = text.turning_points(own)
            turn = ""
            if pivots:
                kind, years, _ = pivots[-1]
                turn = f"; den har {'ökat' if kind == 'botten' else 'minskat'} sedan {max(years)}"
            lines.append(f"År {last} var sjukfrånvaron bland de landstingsanställda {where} "
                         f"{text.percent(own[last])}{compare}" + (f", {notable} av de {len(per)} landstingen" if notable else "")
                         + turn + ".")
    newest = impression_key_sentence(db, code)
    if newest:
        lines.append(newest)
    survey = _survey(db)
    survey = survey[(survey.sex == "T")]
    notes = []
    for measure, label in MEASURES.items():
        m = survey[survey.measure == measure]
        own_s = m[m.region_code == code].set_index("period")["value"]
        if own_s.empty:
            continue
        y = int(own_s.index.max())
        if code == RIKET:
            if own_s.size > 1:
                notes.append(f"Andelen positiva svar om {label} i Nationell Patientenkät {text.trend_words(own_s)}.")
            continue
        at = m[(m.period == y) & (m.region_code != RIKET)].set_index("område")["value"]
        r = m[(m.period == y) & (m.region_code == RIKET)]["value"]
        notable = text.rank_position(at, vocab("region").label(code))
        clear = (text.versus_reference(own_s[y], float(r.iloc[0]), SURVEY_MARGIN) if len(r) else None)
        if notable or clear:
            diff = f", {points_words(own_s[y], float(r.iloc[0]))} i riket" if len(r) else ""
            opening = (f"I Nationell Patientenkät {y} var andelen positiva svar om {label} {where} " if not notes
                       else f"Om {label} var andelen ")
            notes.append(opening + f"{text.percent(own_s[y])}{diff}"
                         + (f", {notable} av de {len(at)} landstingen." if notable else "."))
    lines += notes
    if not notes and code != RIKET and len(survey[survey.region_code == code]):
        lines.append(f"I Nationell Patientenkät låg {text.escape(name(code))} nära riket i båda måtten, mindre än "
                     f"{text.points(SURVEY_MARGIN)} ifrån.")
    return box(lines[:4])


# --- helhetsintryck (Nationell Patientenkät, primary care) 2015–2024 ----------------------------------------------

# Survey shares move by a point or so from one measurement to the next; within these margins (procentenheter) a series
# is 'kvar på omkring …' and a turn is not a turning point.
IMPRESSION_FLAT, IMPRESSION_TURN = 2.0, 1.5


def _impression_trend(values: pd.Series) -> str:
    return text.trend_words(values, flat=IMPRESSION_FLAT, threshold=IMPRESSION_TURN)


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


def overall_impression(db: Store, code: str) -> Section:
    """Share of primary-care patients with a positive overall impression, over the national measurements (odd
    years), this region against riket; a later voluntary regional measurement is named, not compared."""
    check_code(code)
    frame = _impression(db)
    national = frame[frame.measurement == "nationell"]
    own = national[national.region_code == code].set_index("period")["value"]
    if own.empty:
        return missing(f"Helhetsintrycket i Nationell Patientenkät finns inte för {text.escape(name(code))} i data "
                       f"(tabellen `patientenkat_helhetsintryck`).")
    riket = national[national.region_code == RIKET].set_index("period")["value"]
    last = int(own.index.max())
    where = text.escape(in_place(code))
    per = national[(national.period == last) & (national.region_code != RIKET)].set_index("område")["value"]
    lines = []
    if code == RIKET:
        lines.append(f"I den nationella mätningen {last} hade {text.percent(own[last])} av patienterna i primärvården "
                     f"ett positivt helhetsintryck av sin vård.")
        if len(per):
            lines.append(f"Mellan regionerna varierade andelen {extremes(per)}.")
    else:
        compare = (f", {points_words(own[last], riket[last])} i riket ({text.percent(riket[last])})"
                   if last in riket.index else "")
        notable = text.rank_position(per, vocab("region").label(code))
        lines.append(f"I den nationella mätningen {last} hade {text.percent(own[last])} av patienterna i primärvården "
                     f"{where} ett positivt helhetsintryck av sin vård{compare}"
                     + (f", {notable} andelen av de {len(per)} regionerna." if notable else "."))
    if len(own) > 1:
        lines.append(f"Över de nationella mätningarna {_verb_first(_impression_trend(own), 'andelen')}.")
    later = frame[(frame.region_code == code) & (frame.measurement == "regional") & (frame.period > last)]
    if len(later):
        r = later.iloc[-1]
        lines.append(f"I den frivilliga regionala mätningen {int(r.period)} var andelen {text.percent(r.value)}; den "
                     f"mätningen görs inte i alla regioner och jämförs därför inte med de nationella.")
    secondary = national[(national.region_code.isin([code, RIKET])) & (national.source_type == "secondary")]
    for pub, g in secondary.groupby("source_publisher"):
        years = sorted({int(y) for y in g.period})
        lines.append(f"Värdena för {text.listing([str(y) for y in years])} kommer från {text.escape(pub)}, som återger "
                     f"mätningen (sekundärkälla).")
    shown = national[national.region_code.isin([code, RIKET])]
    plotted = (shown[["område", "period", "value"]].rename(columns={"period": "år", "value": "procent"})
               .reset_index(drop=True))
    areas = [vocab("region").label(code)] + (["Riket"] if code != RIKET else [])
    chart = alt.Chart(plotted).mark_line(point=True).encode(
        x=alt.X("år:Q", title="År (nationell mätning)", axis=alt.Axis(format="d", values=sorted(set(plotted["år"])))),
        y=alt.Y("procent:Q", title="Positivt helhetsintryck, %", scale=alt.Scale(zero=False), axis=alt.Axis(format=",d")),
        strokeDash=alt.StrokeDash("område:N", title="Område", sort=areas,
                                  scale=alt.Scale(domain=areas, range=[[1, 0], [6, 4]][:len(areas)])),
        tooltip=[alt.Tooltip("område:N", title="Område"), alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    ).properties(height=280)
    title = f"Positivt helhetsintryck av primärvården, {_where(code)} {int(plotted['år'].min())}–{last}"
    finding = lines[0]
    fig = charts.figure(chart, name=f"helhetsintryck-{code}", title=title, finding=finding, data=plotted,
                        provenance=shown, headers={"område": "Område", "år": "År", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, finding, plotted, "procent", ["område", "år"], "procent"))
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
    if code == RIKET:
        return (f"I den senaste nationella patientmätningen ({last}) hade {text.percent(own[last])} av patienterna i "
                f"primärvården ett positivt helhetsintryck; andelen {_impression_trend(own)}.")
    per = national[(national.period == last) & (national.region_code != RIKET)].set_index("område")["value"]
    notable = text.rank_position(per, vocab("region").label(code))
    compare = f", {points_words(own[last], riket[last])} i riket" if last in riket.index else ""
    return (f"I den senaste nationella patientmätningen ({last}) hade {text.percent(own[last])} av patienterna {where} "
            f"ett positivt helhetsintryck av primärvården{compare}" + (f", {notable} andelen." if notable else "."))


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
    """Sjukpenningtal for women and men in this län (or riket): the first and the latest full year, and its place."""
    check_code(code)
    frame = _sick_pay_by_sex(db)
    years = sorted(frame.period.unique())
    if len(years) < 2:
        return missing("Sjukpenningtal per län och kön finns inte för två hela år i data (tabellen `sjukpenningtal_lan`).")
    y0, y1 = years[0], years[-1]
    where = text.escape(in_place(code))
    lines, rows = [], ["| Kön | " + " | ".join([y0, y1]) + " | Förändring, dagar |", "|---|---|---|---|"]
    for sex, word in (("K", "kvinnor"), ("M", "män")):
        own = frame[(frame.region_code == code) & (frame.sex == sex)].set_index("period")["value"]
        if not {y0, y1} <= set(own.index):
            continue
        riket = frame[(frame.region_code == RIKET) & (frame.sex == sex)].set_index("period")["value"]
        verb, _, rest = text.change_words(own[y0], own[y1], unit="dagar").partition(" ")
        sentence = f"För {word} {verb} sjukpenningtalet {where} {rest} per försäkrad mellan {y0} och {y1}"
        if code != RIKET and {y0, y1} <= set(riket.index):
            sentence += f" (i riket från {text.number(riket[y0], 1)} till {text.number(riket[y1], 1)} dagar)"
            per = frame[(frame.period == y1) & (frame.sex == sex) & (frame.region_code != RIKET)].set_index("område")["value"]
            notable = text.rank_position(per, vocab("region").label(code))
            if notable:
                sentence += f"; {y1} var det {notable} av de {len(per)} länen"
        lines.append(sentence + ".")
        rows.append(f"| {word.capitalize()} | {text.number(own[y0], 1)} | {text.number(own[y1], 1)} | "
                    f"{text.number(round(own[y1], 1) - round(own[y0], 1), 1)} |")
    if not lines:
        return missing(f"Sjukpenningtal per kön för {text.escape(name(code))} finns inte för {y0} och {y1} i data.")
    pubs = frame[frame.period.isin([y0, y1])]
    source = text.listing(sorted({text.escape(p) for p in pubs.source_publisher}))
    lines.append(f"Uppgifterna kommer från {source}, som återger Försäkringskassan"
                 + (" (sekundärkälla)." if (pubs.source_type == "secondary").any() else "."))
    return Section(" ".join(lines) + "\n\n" + "\n".join(rows))
