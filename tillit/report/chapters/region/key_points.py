"""The page's key points: the region's notable measures in two to four sentences."""
from __future__ import annotations

from dataclasses import dataclass
import pandas as pd

from tillit.report import numbers, text, trends
from tillit.report.chapters import Section
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.region.frames import partial_years, period_order, sick_leave_frame, survey_frame
from tillit.report.chapters.region.impression import impression_key_sentence
from tillit.report.chapters.region.shared import MEASURES, NBSP, RIKET, capitalised, check_code, keyed_count, keyed_diff, keyed_num, keyed_pct, keyed_rank, keyed_trend, name, page_key, place_key, staff, tied_names
from tillit.report.chapters.region.sick_pay import sick_pay_by_sex_frame
from tillit.report.chapters.region.summary import shown_value


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
    pk = place_key(code)
    out: list[_Notable] = []
    survey = survey_frame(db)
    survey = survey[survey.sex == "T"]
    shares = {}
    for measure, words in MEASURES.items():
        m = survey[survey.measure == measure]
        m = m[~m.period.isin(partial_years(m))]
        own = m[m.region_code == code]
        if own.empty:
            continue
        y = int(own.period.max())
        per = m[(m.period == y) & (m.region_code != RIKET)].set_index("område")["value"]
        shares[measure] = (y, per)
        mk = numbers.slug(measure)
        position = keyed_rank(page_key(mk, pk, "placering", y), per, label)
        if not position:
            continue
        riket = m[(m.period == y) & (m.region_code == RIKET)]["value"]
        parts = [keyed_pct(page_key(mk, pk, "totalt", y), per[label])]
        ties = tied_names(per, label)
        if ties:
            parts[0] += f", samma värde som {text.listing([text.escape(t) for t in ties])}"
        if len(riket):
            parts.append(f"i riket {keyed_pct(page_key(mk, 'riket', 'totalt', y), float(riket.iloc[0]))}")
        n = keyed_count(page_key(mk, pk, "placering", y, "antal-lan"), len(per))
        out.append(_Notable(_place_from_end(per, label),
                            f"år {y} {position} andelen positiva svar om {words} av de {n} länen ({'; '.join(parts)})"))
    if len(shares) == 2:
        (y1, a), (y2, b) = shares.values()
        if y1 == y2 and label in a.index and label in b.index:
            gap = (a.map(shown_value) - b.map(shown_value)).abs().dropna()
            larger = int((gap > gap[label]).sum())
            if int((gap >= gap[label]).sum()) - 1 < 3:  # at most two others as large: a gap all share is no news
                biggest = "den största" if larger == 0 else f"den {text.ordinal(larger + 1)} största"
                shown = numbers.register(page_key("delaktighet-mot-kontinuitet", pk, y1), float(gap[label]),
                                         text.points(gap[label]))
                out.append(_Notable(larger + 1, f"skillnaden mellan andelen positiva svar om delaktighet och "
                                                f"andelen om kontinuitet, {shown}, var {biggest} bland länen",
                                    had=False))
    pay = sick_pay_by_sex_frame(db)
    if len(pay):
        y = max(pay.period, key=period_order)
        for sex, word in (("K", "kvinnor"), ("M", "män")):
            per = pay[(pay.period == y) & (pay.sex == sex) & (pay.region_code != RIKET)].set_index("område")["value"]
            if label not in per.index:
                continue
            sk = numbers.slug(word)
            position = keyed_rank(page_key("sjukpenningtal", pk, sk, "placering", y), per, label)
            if not position:
                continue
            value = keyed_num(page_key("sjukpenningtal", pk, sk, y), per[label])
            ties = tied_names(per, label)
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
    return capitalised(", och ".join(parts)) + "."


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
    pk = place_key(code)
    sick = sick_leave_frame(db)
    tot = sick[sick.sex == "T"]
    own = tot[tot.region_code == code].set_index("period")["value"]
    riket = tot[tot.region_code == RIKET].set_index("period")["value"]
    if len(own):
        last = int(own.index.max())
        if code == RIKET:
            lines.append(f"Sjukfrånvaron bland de landstingsanställda i riket "
                         f"{keyed_trend(('sjukfranvaro', pk, 'totalt'), own)}.")
        else:
            partial = partial_years(tot)
            full = [int(y) for y in own.index if int(y) not in partial]
            y = max(full) if full else last  # compared and ranked in the latest year with every län
            per = tot[(tot.period == y) & (tot.region_code != RIKET)].set_index("område")["value"]
            rank_ = (keyed_rank(page_key("sjukfranvaro", pk, "placering", y), per, vocab("region").label(code))
                     if y not in partial else None)
            compare = (f", {keyed_diff(page_key('sjukfranvaro', pk, 'mot-riket', y), own[y], riket[y])} i riket"
                       if y in riket.index else "")
            pivots = trends.turning_points(own[[int(x) not in partial for x in own.index]])
            tail = []
            if pivots:
                kind, years, _ = pivots[-1]
                tail.append(f"den har {'ökat' if kind == 'botten' else 'minskat'} sedan {max(years)}")
            if y != last:
                tail.append(f"{last} var den {keyed_pct(page_key('sjukfranvaro', pk, 'totalt', last), own[last])}")
            rank = ""
            if rank_:
                n = keyed_count(page_key("sjukfranvaro", pk, "placering", y, "antal-lan"), len(per))
                rank = f", {rank_} av de {n} länen"
            lines.append(f"År {y} var sjukfrånvaron bland {staff(code)} "
                         f"{keyed_pct(page_key('sjukfranvaro', pk, 'totalt', y), own[y])}{compare}{rank}"
                         + (f"; {' och '.join(tail)}" if tail else "") + ".")
    return box(lines[:4])
