"""Nationell Patientenkät's delaktighet and kontinuitet measures for the region against riket."""
from __future__ import annotations

from tillit.report import charts, numbers, text
from tillit.report.chapters import Section, missing
from tillit.tables.store import Store
from tillit.report.chapters.region.frames import missing_years, partial_years, survey_frame
from tillit.report.chapters.region.shared import MEASURES, RIKET, alt_title, capitalised, chart_title, check_code, extremes, in_place, keyed_count, keyed_diff, keyed_pct, keyed_trend, name, page_key, place_key, position_sentence, region_figure, short_finding, verb_first, where_words
from tillit.report.chapters.region.trend import trend_chart


def patient_survey(db: Store, code: str, measure: str) -> Section:
    """One Nationell Patientenkät measure (primary care) by year and sex, against riket and the other län. A year in
    which only part of the län measured (the voluntary in-between years) is kept for the län that measured, but
    riket that year is left out: it rests on only part of the country."""
    check_code(code)
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; known: {', '.join(MEASURES)}")
    label = MEASURES[measure]
    mk = numbers.slug(measure)
    frame = survey_frame(db)
    frame = frame[frame.measure == measure]
    place = name(code)
    pk = place_key(code)
    partial = partial_years(frame[frame.sex == "T"])
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
                     f"{keyed_pct(page_key(mk, pk, 'totalt', last), v)} av de svarande i riket.")
        if len(per):
            lines.append(f"Mellan länen varierade den {extremes(per, key=page_key(mk, 'lan', last))}.")
    else:
        if last in riket.index:
            compare = (f", {keyed_diff(page_key(mk, pk, 'mot-riket', last), v, riket[last])} i riket "
                       f"({keyed_pct(page_key(mk, 'riket', 'totalt', last), riket[last])})")
        else:
            compare = f"; för riket finns inget värde {last}"
        lines.append(f"År {last} var andelen positiva svar om {label} i primärvården "
                     f"{keyed_pct(page_key(mk, pk, 'totalt', last), v)} av de svarande {text.escape(in_place(code))}{compare}.")
        lines += position_sentence(per, code, "andelen", last, page_key(mk, pk, "placering", last))
    if first < last:
        lines.append(f"Andelen {keyed_trend((mk, pk, 'totalt'), tot)}"
                     + (f"; i riket {verb_first(keyed_trend((mk, 'riket', 'totalt'), riket[(riket.index >= first) & (riket.index <= last)]), 'den')}."
                        if code != RIKET and {first, last} <= set(riket.index) else "."))
    else:
        lines.append(f"För {text.escape(place)} finns bara {last}.")
    inside = {y: n for y, n in partial.items() if first < y < last}
    for y, n in inside.items():
        count = keyed_count(page_key(mk, "antal-lan", y), n)
        total = keyed_count(page_key(mk, "antal-lan", "fullt-ar"), int(frame[frame.region_code != RIKET]
                                                                .groupby("period").region_code.nunique().max()))
        took_part = "" if code == RIKET else (f" {text.escape(place)} var med det året." if y in tot.index
                                              else f" {text.escape(place)} var inte med det året.")
        lines.append(f"År {y} redovisas bara {count} av {total} län (jämna år är mätningen frivillig), så riket det "
                     f"året är inte med i diagrammet eller jämförelserna.{took_part}")
    gaps = [y for y in missing_years(frame, code) if y not in tot.index and y not in partial]
    if gaps and first < last:
        lines.append(f"För {text.escape(place)} saknas uppgifter för {text.listing([str(y) for y in gaps])}.")
    sexes = own[own.period == last].set_index("sex")["value"]
    if {"K", "M"} <= set(sexes.index):
        women = keyed_pct(page_key(mk, pk, "kvinnor", last), sexes["K"])
        men = keyed_pct(page_key(mk, pk, "man", last), sexes["M"])
        gap = keyed_diff(page_key(mk, pk, "kvinnor-mot-man", last), sexes["K"], sexes["M"], same="lika stor som")
        lines.append(f"Bland de svarande kvinnorna var andelen {women} och bland männen {men}; kvinnornas andel var "
                     f"{gap} männens.")
    shown = frame[(frame.region_code == code) | ((frame.region_code == RIKET) & ~frame.period.isin(partial))]
    if code == RIKET:
        shown = shown[~shown.period.isin(partial)]
    plotted = (shown[["område", "kön", "period", "value"]].rename(columns={"period": "år", "value": "procent"})
               .reset_index(drop=True))
    title = chart_title(f"{capitalised(label)},", f"{where_words(code)} {int(shown.period.min())}–{int(shown.period.max())}")
    finding = short_finding(code, last, v, riket.get(last) if code != RIKET else None)
    national = sorted(int(y) for y in set(frame.period) if int(y) not in partial)
    chart = trend_chart(plotted, code, "Andel positiva svar, %", zero=False, steps=national)
    fig = region_figure(chart, name=f"patientenkat-{measure}-{code}", title=title, finding=finding, data=plotted,
                  provenance=shown, headers={"område": "Område", "kön": "Kön", "år": "År", "procent": "Procent"},
                  alt=charts.alt_text("Linjediagram", alt_title(title), finding, plotted, "procent",
                                      ["område", "kön", "år"], "procent"))
    return Section(" ".join(lines), [fig])
