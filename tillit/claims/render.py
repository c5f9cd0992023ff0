"""The claims as readers see them: one Swedish sentence per evaluation, badges beside quotes, the summary tables."""
from __future__ import annotations

import math
import re
import urllib.parse
from collections.abc import Iterable

import pandas as pd

from tillit.core import markdown
from tillit.claims.judge import (BASES, DESCRIBED, FOLLOW_UP, HOLDS, INDICATIONS, LATER_PERIOD, OTHER_DIRECTION,
                                 PROXY, REPORT_PERIOD, SAME_DIRECTION, SAME_PERIOD, SIZE_DIFFERS, UNTESTABLE,
                                 VERDICTS, FAILS, ClaimResult, YearResult, is_missing)
from tillit.claims.schema import CHAPTERS, PLACEHOLDER, STATE, Claim
from tillit.claims.quantifiers import Range, fixed, number

RESULT_COLUMNS = ["id", "chapter", "section", "part", "scope", "quote", "anchor", "basis", "report_year", "year", "grade",
                  "status", "value", "values", "compared", "head", "sentence", "evidence", "needs", "contradiction"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&$])")


def escape_markdown(text: str) -> str:
    """Text safe to place in Markdown (and in HTML via Markdown): specials backslash-escaped, one line."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return _MD_SPECIAL.sub(r"\\\1", text)


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- one sentence per evaluation ------------------------------------------------------------------------------------

def finding_text(claim: Claim, values: dict[str, float], year: int | None) -> str:
    """The claim's `finding` template filled with Swedish numbers ('{value:1}' → '92,5')."""
    def fill(match: re.Match) -> str:
        column, decimals = match.group(1), match.group(2)
        if column == "year":
            return str(year)
        value = values.get(column)
        if value is None or is_missing(value):
            return "–"
        return fixed(value, int(decimals) if decimals else 1)

    return PLACEHOLDER.sub(fill, claim.finding or "")


def _range_decimals(exp) -> int:
    value = abs(exp.quantity.value) if exp.quantity else 1.0
    return 1 if value >= 10 else 2


def tolerance_text(claim: Claim, values: dict[str, float] | None = None) -> str:
    """What the report's words allow: '”omkring 85 procent” medger 76,5–93,5'; '”högre” betyder kvoten över 1';
    '”större” betyder här att …' (the claim's own `criterion`); for a stated ordering, whether it holds in `values`
    ('ordningen kommuner > landsting > staten stämmer')."""
    parts = []
    for column, exp in claim.expectations.items():
        if exp.scale == "boolean":
            value = (values or {}).get(column)
            holds = value is not None and not is_missing(value) and exp.range.contains(float(value))
            parts.append(f"{claim.criterion} {'stämmer' if holds else 'stämmer inte'}")
        elif exp.quantity is not None and exp.quantity.scale == "share":  # fractions read as percent
            r = exp.range
            shown = Range(100 * r.low, 100 * r.high, r.low_closed, r.high_closed)
            parts.append(f"”{exp.text}” medger {shown.describe(1)}\u00a0procent")
        elif exp.quantity is not None:
            r = exp.range
            if claim.claim_type == "share" and exp.quantity.unit.startswith("procent") and r.high > 100:
                r = Range(r.low, 100.0, r.low_closed, True)  # a share of a whole stops at 100 procent
            parts.append(f"”{exp.text}” medger {r.describe(_range_decimals(exp))}")
        elif claim.criterion:
            parts.append(f"”{exp.text}” betyder här {claim.criterion}")
        elif exp.scale == "ratio" and claim.reference == 0:
            parts.append(f"”{exp.text}” betyder att skillnaden är {exp.range.describe(1).replace('över', 'större än')}")
        else:
            parts.append(f"”{exp.text}” betyder {exp.tolerance}")
    return _listing(parts)


def _listing(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def needs_text(claim: Claim) -> str:
    if claim.needs is None:
        return ""
    n = claim.needs
    return f"{n.table.rstrip('.')}, {n.years}. Utgivare: {n.publisher}"


def _year_text(claim: Claim, result: YearResult) -> str:
    """'2017', or 'antaget år 2017' when the report does not give the year and the evaluation is on it."""
    if claim.year_assumed and result.year == claim.report_year:
        return f"antaget år {result.year}"
    return str(result.year)


def _finding_complete(claim: Claim, values: dict[str, float]) -> bool:
    from tillit.claims.schema import finding_columns

    return bool(claim.finding) and all(c in values for c in finding_columns(claim) if c != "year")


def verdict_parts(claim: Claim, result: YearResult) -> tuple[str, str]:
    """The verdict as (status words, the rest): ('Håller', ' (samma mått och period, 2017): kommunernas …')."""
    notes = " ".join(result.notes)
    if result.status == UNTESTABLE:
        if result.basis == FOLLOW_UP:
            head = "Kan inte följas upp" if claim.lasting else "Senare utveckling"
            return head, (f": {notes[:1].lower()}{notes[1:]}" if notes else ".")
        rest = f": {claim.missing}"
        if result.year is not None or (notes and claim.testable):
            rest += f" {notes}"
        if result.year is not None and _finding_complete(claim, result.values):
            rest += f" Det som finns för {result.year}: {finding_text(claim, result.values, result.year)}."
        return "Kan inte prövas", rest
    if result.status == DESCRIBED:
        return "Senare utveckling", (f" ({result.grade}, {result.year}, ingen dom): "
                                     f"{finding_text(claim, result.values, result.year)}.")
    head = capitalized(result.status) if result.basis == REPORT_PERIOD else f"Uppföljning: {result.status}"
    rest = (f" ({result.grade}, {_year_text(claim, result)}): {finding_text(claim, result.values, result.year)}; "
            f"{tolerance_text(claim, result.values)}.")
    if notes:
        rest += f" {notes}"
    if claim.year_assumed and result.year == claim.report_year:
        rest += f" {capitalized(claim.year_note)}"
    return head, rest


def verdict_sentence(claim: Claim, result: YearResult) -> str:
    """One sentence a reader understands without a manual, e.g. 'Håller (samma mått och period, 2017):
    kommunernas sjukfrånvaro var 92,5 procent högre än arbetsmarknadens; ”omkring 85 procent” medger 76,5–93,5.'"""
    head, rest = verdict_parts(claim, result)
    return head + rest


# A footnote marker is one or two digits glued to the end of a word ('brist5'), or to a word and the punctuation after
# it ('sjukvården.5'). Digits after a digit and a separator belong to a number ('1,3 miljoner', 'figur 3.6',
# 'SOU 2017:35') and stay.
_FOOTNOTE = re.compile(r"(?:(?<=[a-zåäöéü])|(?<=[a-zåäöéü)][.,;:]))\d{1,2}(?=[\s,.;:)]|$)")


def reader_quote(quote: str) -> str:
    """A quote as readers see it: the report's footnote numbers glued to words removed ('brist5 på' → 'brist på');
    numbers ('drygt 1,3 miljoner', 'figur 3.6') kept. The registry keeps the verbatim text."""
    return _FOOTNOTE.sub("", quote)


# --- frames ---------------------------------------------------------------------------------------------------------

def results_frame(results: Iterable[ClaimResult]) -> pd.DataFrame:
    """One row per claim × {rapportens period, uppföljning}, with the reader's sentence."""
    results = list(results)
    quotes = {r.claim.id: r.claim.quote for r in results}
    rows = []
    for result in results:
        claim = result.claim
        contradiction = None
        if claim.contradiction:
            c = claim.contradiction
            other = f": ”{reader_quote(quotes[c.claim])}”" if c.claim in quotes else ""
            contradiction = f"{c.note} Jämför{other}"
        first = next(iter(claim.expect))
        for year_result in result.rows:  # noqa: B007
            rows.append({
                "id": claim.id, "chapter": claim.chapter, "section": claim.section, "part": claim.part,
                "scope": claim.scope,
                "quote": reader_quote(claim.quote),
                "anchor": claim.anchor, "basis": year_result.basis, "report_year": claim.report_year,
                "year": year_result.year, "grade": year_result.grade, "status": year_result.status,
                "value": year_result.compared.get(first, math.nan), "values": year_result.values,
                "compared": year_result.compared, "head": verdict_parts(claim, year_result)[0],
                "sentence": verdict_sentence(claim, year_result),
                "evidence": claim.evidence.note if claim.evidence else None, "needs": needs_text(claim),
                "contradiction": contradiction,
            })
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _pair(group: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return (group[group["basis"] == REPORT_PERIOD].iloc[0], group[group["basis"] == FOLLOW_UP].iloc[0])


def _bold_head(row: pd.Series) -> str:
    head = row["head"]
    rest = row["sentence"][len(head):]
    return f"**{escape_markdown(head)}**{' ' if rest.startswith(' ') else ''}{escape_markdown(rest)}"


# --- beside the quotes in a chapter --------------------------------------------------------------------------------

def claim_badges(frame: pd.DataFrame, chapter_id: str) -> str:
    """Markdown for one chapter: each claim's quote (with its stable anchor), the verdict on the report's period,
    the follow-up where later data exist, and what the evidence is."""
    frame = frame[frame["chapter"] == chapter_id]
    if frame.empty:
        return "Inga kvantitativa påståenden från betänkandet är registrerade för det här avsnittet.\n"
    blocks = []
    for _, group in frame.groupby("id", sort=False):
        report, follow_up = _pair(group)
        part = f", den del som gäller {escape_markdown(report['part'])}" if isinstance(report["part"], str) else ""
        lines = [f"({report['anchor']})=",
                 f"> ”{escape_markdown(report['quote'])}” (avsnitt {escape_markdown(report['section'])}{part})", "",
                 f"- {_bold_head(report)}"]
        # a follow-up that cannot be made is worth saying for a lasting state, not for one past period
        if follow_up["status"] != UNTESTABLE or (report["status"] != UNTESTABLE and follow_up["scope"] == STATE):
            lines.append(f"- {_bold_head(follow_up)}")
        if isinstance(report["evidence"], str):
            lines.append(f"- Underlag: {escape_markdown(report['evidence'])}")
        if report["status"] == UNTESTABLE and report["needs"]:
            lines.append(f"- För en prövning behövs: {escape_markdown(report['needs'])}.")
        if isinstance(report["contradiction"], str):
            lines.append(f"- Motsägelse i betänkandet: {escape_markdown(report['contradiction'])}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def lead_markdown(sections: list[str] | None = None) -> str:
    """The paragraph before a chapter's claims: what is tested, on which evidence, and what each status means."""
    where = "avsnittet" if not sections else ("avsnitt " + _listing(sections))
    return (f"Här prövas betänkandets kvantitativa påståenden i {where} på data, först för den period betänkandet "
            "talar om och sedan på senare data. Prövningar på betänkandets eget mått ger en dom: *håller* eller "
            "*håller inte*. Ett närliggande mått ger bara en indikation: *pekar åt samma håll* (ibland med en mindre "
            "eller större skillnad än betänkandets ord medger) eller *pekar åt ett annat håll*. Gäller påståendet en "
            "period som redan är avslutad beskrivs senare data utan dom, och där data saknas står *kan inte prövas* "
            "och vilka data som skulle behövas. Alla påståenden finns samlade i kapitlet "
            "[Håller slutsatserna?](hallare-slutsatserna.ipynb), som också förklarar hur orden prövas.\n")


# --- "Håller slutsatserna?" ---------------------------------------------------------------------------------------

def _count(frame: pd.DataFrame, basis: str, statuses: Iterable[str], grade: str | None = None) -> int:
    part = frame[(frame["basis"] == basis) & frame["status"].isin(list(statuses))]
    if grade is not None:
        part = part[part["grade"] == grade]
    return len(part)


def summary_markdown(frame: pd.DataFrame) -> str:
    """The summary on the grades: verdicts on the report's own evidence, follow-ups, proxy indications (with whether
    the size fits), descriptions of later data and the untestable kept apart; a share only over verdicts, saying over
    how many. How the report's words are read as ranges is TOLERANCE_EXPLANATION, shown once above the table of
    words."""
    n = frame["id"].nunique()
    own = (_count(frame, REPORT_PERIOD, [HOLDS], SAME_PERIOD), _count(frame, REPORT_PERIOD, [FAILS], SAME_PERIOD))
    later = (_count(frame, FOLLOW_UP, [HOLDS], LATER_PERIOD), _count(frame, FOLLOW_UP, [FAILS], LATER_PERIOD))
    proxy_report = (_count(frame, REPORT_PERIOD, [SAME_DIRECTION]), _count(frame, REPORT_PERIOD, SIZE_DIFFERS),
                    _count(frame, REPORT_PERIOD, [OTHER_DIRECTION]))
    proxy_later = (_count(frame, FOLLOW_UP, [SAME_DIRECTION]), _count(frame, FOLLOW_UP, SIZE_DIFFERS),
                   _count(frame, FOLLOW_UP, [OTHER_DIRECTION]))
    described = _count(frame, FOLLOW_UP, [DESCRIBED])
    untestable = _count(frame, REPORT_PERIOD, [UNTESTABLE])
    lines = [
        f"Registret innehåller {n} kvantitativa påståenden ur avsnitt 2.1 och kapitel 3. Varje påstående prövas "
        "för den period betänkandet talar om och, separat, på senare data (uppföljning). Bara prövningar på "
        "betänkandets eget mått ger en dom (*håller* eller *håller inte*); ett närliggande mått – ett annat mått, en "
        "annan källa, population eller period – ger bara en indikation. En indikation *pekar åt samma håll* när "
        "skillnaden går åt det håll betänkandet säger och har den storlek orden medger; går den åt samma håll men är "
        "mindre eller större än orden medger står det så, och *pekar åt ett annat håll* betyder att skillnaden går åt "
        "motsatt håll. Ett påstående om en enda period eller förändring som redan är avslutad (till exempel en ökning "
        "mellan 2015 och 2016) kan senare data inte ändra på: där beskrivs den senare utvecklingen utan dom.", "",
        markdown.table(["Prövning", "Underlag", "Håller", "Håller inte"],
                       [["Dom för betänkandets period", SAME_PERIOD, own[0], own[1]],
                        ["Uppföljning på senare data", LATER_PERIOD, later[0], later[1]]]), "",
        markdown.table(["Indikation", "Underlag", "Pekar åt samma håll", "Samma håll, men mindre eller större skillnad",
                        "Pekar åt ett annat håll"],
                       [["För betänkandets period", PROXY, *proxy_report[:3]],
                        ["Uppföljning på senare data", PROXY, *proxy_later[:3]]]), "",
    ]
    verdicts = sum(own)
    if verdicts:
        share = f" ({number(100 * own[0] / verdicts, 0)}\u00a0procent)" if verdicts >= 10 else ""
        lines.append(f"Av de {verdicts} domar som kan fällas på betänkandets eget mått och period håller "
                     f"{own[0]}{share}. ")
    else:
        lines.append("Inget påstående kan ännu prövas på betänkandets eget mått och period. ")
    lines[-1] += (f"{untestable} av {n} påståenden kan inte prövas alls för betänkandets period med de data "
                  "boken har; vid varje påstående står vilka data som skulle behövas.")
    if described:
        lines[-1] += (f" För {described} påståenden om en avslutad period beskrivs senare data utan dom; de räknas "
                      "inte i tabellerna ovan.")
    contradictions = frame[frame["contradiction"].notna()]["id"].nunique()
    if contradictions:
        lines += ["", f"I {contradictions} fall motsäger betänkandet sig självt; det anges vid påståendet."]
    return "\n".join(lines) + "\n"


TOLERANCE_EXPLANATION = (
    "Betänkandet skriver sällan exakta tal utan ord som ”omkring 85 procent”, "
    "”nästan dubbelt” eller ”högre”. Boken läser varje sådant uttryck som ett intervall av värden som orden "
    "rimligen täcker, och ett påstående håller när det framräknade värdet ligger i intervallet. ”Omkring”, "
    "”cirka” och ”ungefär” täcker 10\u00a0procent av talet åt båda hållen (”omkring 85 procent” medger alltså "
    "76,5–93,5 procent), ”nästan” och ”knappt” upp till 10\u00a0procent under talet men inte över, och ”drygt” upp "
    "till 10\u00a0procent över men inte under. Ett tal utan något sådant ord läses som ett avrundat tal och medger "
    "minst 5\u00a0procent av talet åt båda hållen (”96 procent” medger 91,2–100 procent, eftersom en andel inte kan "
    "vara över 100). Ord utan tal jämför två värden: ”högre” betyder att kvoten mellan dem är över 1. Tabellen "
    "nedan visar vad varje ord medger.")


def _short_status(row: pd.Series) -> str:
    if row["status"] == UNTESTABLE:
        return "kan inte prövas" if row["basis"] == REPORT_PERIOD else "–"
    if row["status"] == DESCRIBED:
        return f"senare utveckling beskrivs, ingen dom ({escape_markdown(row['grade'])}, {int(row['year'])})"
    return f"**{escape_markdown(row['status'])}** ({escape_markdown(row['grade'])}, {int(row['year'])})"


def chapter_tables(frame: pd.DataFrame, link_for_chapter: dict[str, str]) -> str:
    """Every claim, chapter by chapter: the quote linked to where it stands, the status for the report's period
    and the follow-up."""
    parts = []
    for chapter, title in CHAPTERS.items():
        part = frame[frame["chapter"] == chapter]
        if part.empty:
            continue
        heading = escape_markdown(title)
        target = link_for_chapter.get(chapter)
        if target:
            heading = f"[{heading}]({urllib.parse.quote(target, safe='/:#?=&.-_~%')})"
        rows = []
        for _, group in part.groupby("id", sort=False):
            report, follow_up = _pair(group)
            quote = escape_markdown(report["quote"])
            short = quote if len(quote) <= 140 else quote[:137].rsplit(" ", 1)[0] + " …"
            link = f"{{ref}}`”{short}” <{report['anchor']}>`" if target else f"”{short}”"
            part = f", {escape_markdown(report['part'])}" if isinstance(report["part"], str) else ""
            rows.append([f"{link} (avsnitt {escape_markdown(report['section'])}{part})", _short_status(report),
                         _short_status(follow_up)])
        parts.append(f"### {heading}\n\n" + markdown.table(["Påstående", "Betänkandets period", "Uppföljning"], rows))
    return "\n\n".join(parts) + "\n"


__all__ = ["TOLERANCE_EXPLANATION", "BASES", "INDICATIONS", "VERDICTS", "chapter_tables", "claim_badges", "escape_markdown", "lead_markdown",
           "finding_text", "results_frame", "summary_markdown", "tolerance_text", "verdict_sentence"]
