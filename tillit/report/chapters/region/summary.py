"""'I korthet': the region's latest value of each measure against riket, as a table and a sentence."""
from __future__ import annotations

from dataclasses import dataclass
import pandas as pd

from tillit.core import markdown
from tillit.core.swedish import rounded
from tillit.report import numbers, trends
from tillit.report.chapters import Section
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.region.frames import partial_years, period_order, sick_leave_frame, sick_pay_period, survey_frame
from tillit.report.chapters.region.impression import impression_frame
from tillit.report.chapters.region.shared import GOTLAND, MEASURES, NBSP, PROV, RIKET, SICK_MARGIN, SICK_PAY_MARGIN, SURVEY_MARGIN, capitalised, check_code, keyed_count, keyed_num, names_at, page_key, place_key, tied_names, with_names


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
    sick = sick_leave_frame(db)
    survey = survey_frame(db)
    survey = survey[survey.sex == "T"]
    impression = impression_frame(db)
    sick_label = ("Sjukfrånvaro bland de anställda i Region Gotland" if code == GOTLAND
                  else "Sjukfrånvaro bland anställda i landstinget")
    facts = []
    if len(impression):
        national = impression[impression.measurement == "nationell"]
        facts.append(_Fact("helhetsintryck", "Positivt helhetsintryck av primärvården, procent av de svarande",
                           "högt = bättre", national, SURVEY_MARGIN, "procentenheter"))
    for measure, label in MEASURES.items():
        m = survey[survey.measure == measure]
        m = m[~m.period.isin(partial_years(m))]
        facts.append(_Fact(numbers.slug(measure), f"{capitalised(label)} i primärvården, procent positiva svar",
                           "högt = bättre", m, SURVEY_MARGIN, "procentenheter"))
    facts.append(_Fact("sjukfranvaro", f"{sick_label}, procent av arbetstiden", "lågt = bättre",
                       sick[sick.sex == "T"], SICK_MARGIN, "procentenheter"))
    pay = with_names(db.sql(f"SELECT period, region_code, sex, value, {PROV} FROM sjukpenningtal_lan"))
    own = pay[pay.region_code == code] if code != RIKET else pay[pay.region_code == RIKET]
    if len(own):
        latest = max(own.period, key=period_order)
        for sex, word in (("T", "båda könen"), ("K", "kvinnor"), ("M", "män")):
            if ((own.sex == sex) & (own.period == latest)).any():
                facts.append(_Fact(f"sjukpenningtal-{numbers.slug(word)}",
                                   f"Sjukpenningtal, {word}, dagar per försäkrad", "lågt = bättre",
                                   pay[pay.sex == sex], SICK_PAY_MARGIN, "dagar"))
    return facts


def shown_value(x: float) -> float:
    return float(rounded(x, 1))


def placement(per: pd.Series, label: str, value: float, reference: float | None, margin: float) -> str:
    """The 'Placering' cell: only what is notable – 'Näst lägsta av 21' (top or bottom three, '(delad)' with a tie)
    or 'Klart högre än riket' (at least `margin` from riket, between the numbers as shown); else '–'."""
    notable = trends.rank_position(per, label)
    if notable:
        return f"{capitalised(notable.removeprefix('den '))} av {len(per)}" + (" (delad)" if tied_names(per, label) else "")
    if reference is not None and pd.notna(reference):
        clear = trends.versus_reference(shown_value(value), shown_value(reference), margin - 1e-9)
        if clear:
            return f"{capitalised(clear)} riket"
    return "–"


def summary(db: Store, code: str) -> Section:
    """Key figures in one table: the latest period of each measure for this region (helhetsintryck, the survey
    measures, sick leave, sjukpenningtal by sex), riket that period, and the place only when it is notable."""
    check_code(code)
    place = place_key(code)
    rows = []
    for fact in _facts(db, code):
        frame = fact.frame
        own = frame[frame.region_code == code]
        last = max((own if len(own) else frame).period, key=period_order)
        at = frame[frame.period == last]
        per = at[at.region_code != RIKET].set_index("område")["value"]
        riket = at[at.region_code == RIKET]["value"]
        ref = float(riket.iloc[0]) if len(riket) else None
        when = sick_pay_period(last, short=True) if fact.key.startswith("sjukpenningtal") else str(last)
        label = f"{fact.label} ({fact.direction.replace(' ', NBSP)})"  # '(högt = bättre)' kept on one line
        riket_cell = keyed_num(page_key("i-korthet", fact.key, "riket", last), ref) if ref is not None else "saknas"
        if code == RIKET:
            spread = "–"
            if len(per):
                lo = keyed_num(page_key("i-korthet", fact.key, "lagst", last), per.min())
                hi = keyed_num(page_key("i-korthet", fact.key, "hogst", last), per.max())
                spread = f"{lo} ({names_at(per, per.min())}) – {hi} ({names_at(per, per.max())})"
            rows.append([label, when, riket_cell, spread])
        elif own.empty:
            rows.append([label, when, "saknas", riket_cell, "–"])
        else:
            v = float(own[own.period == last].value.iloc[0])
            partial = partial_years(frame)
            if last in partial:
                cell = f"– (bara {keyed_count(page_key('i-korthet', fact.key, 'antal-lan', last), partial[last])} län)"
            else:
                cell = placement(per, vocab("region").label(code), v, ref, fact.margin)
            if not cell.startswith("–"):
                numbers.register(page_key("i-korthet", fact.key, place, "placering", last),
                                 int((per > v).sum()) + 1, cell)
            rows.append([label, when, keyed_num(page_key("i-korthet", fact.key, place, last), v), riket_cell, cell])
    if code == RIKET:
        table = markdown.table(["Mått", "År", "Riket", "Lägst och högst bland länen"], rows)
        return Section(classed_table(table, "tillit-summary"))
    # 'Länet', not the name: a long name ('Västernorrland') would push the last column off a phone's screen
    table = markdown.table(["Mått", "År", "Länet", "Riket", "Placering"], rows)
    survey = keyed_num(page_key("i-korthet", "marginal", "patientenkat"), SURVEY_MARGIN)
    sick = keyed_num(page_key("i-korthet", "marginal", "sjukfranvaro"), SICK_MARGIN)
    pay = keyed_num(page_key("i-korthet", "marginal", "sjukpenningtal"), SICK_PAY_MARGIN)
    note = ("En placering visas bara när den sticker ut: bland de tre högsta eller de tre lägsta av länen, eller klart "
            f"högre eller lägre än riket (minst {survey}{NBSP}procentenheter i patientenkäten, {sick}{NBSP}procentenheter "
            f"i sjukfrånvaron och {pay}{NBSP}dag i sjukpenningtalet).")
    return Section(classed_table(table, "tillit-summary") + "\n\n" + note)


def classed_table(table: str, css_class: str, caption: str = "") -> str:
    """A Markdown table inside MyST's table directive for its CSS class (_static/tillit.css), with its title as a bold
    line above it (a directive caption would be numbered 'Table 9' by the theme, in English)."""
    title = f"**{caption}**\n\n" if caption else ""
    return f"{title}:::{{table}}\n:class: {css_class}\n\n{table}\n:::"
