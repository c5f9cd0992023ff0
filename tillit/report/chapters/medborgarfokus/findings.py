"""The chapter's key figure (for 3.6) and its key points ('Det viktigaste')."""
from __future__ import annotations

import pandas as pd

from tillit.report import numbers, text, trends
from tillit.report.chapters import Section
from tillit.tables.store import Store
from tillit.report.chapters.medborgarfokus.ihp import ihp_items
from tillit.report.chapters.medborgarfokus.patient_survey import patient_frame, survey_coverage, survey_key
from tillit.report.chapters.medborgarfokus.shared import REPORT_FIGURES, RIKET, SWEDEN, rank_phrase


def sweden_on_item(db: Store, top) -> tuple[pd.Series, object, str | None]:
    """One IHP question's values per country, the key maker for its numbers, and Sweden's keyed rank phrase ('den
    näst lägsta andelen av de 11'); the rank is None when Sweden has no value."""
    values = db.sql("""SELECT country, value FROM ihp WHERE period = $p AND population = $pop AND item = $i
                       AND value IS NOT NULL""", p=top.period, pop=top.population, i=top["item"]
                    ).drop_duplicates("country").set_index("country").value
    k = lambda *p: numbers.key("ihp-alla-lander", *p, top.period)  # noqa: E731
    if SWEDEN not in values:
        return values, k, None
    rank = numbers.register(k("sverige", "placering"), int((values > values[SWEDEN]).sum()) + 1,
                            rank_phrase(values, SWEDEN, 'högsta andelen', 'lägsta andelen'))
    return values, k, rank


def key_figure(db: Store) -> str | None:
    """One line for the synthesis (3.6): Sweden's IHP 2016 rank and the latest national Patientenkät share."""
    parts = []
    items = ihp_items(db, 2)
    if len(items):
        top = items.iloc[0]
        values, k, rank = sweden_on_item(db, top)
        if rank is not None:
            parts.append(f"i IHP {text.escape(top.period)} hade Sverige {rank} länderna som ansåg att vården behöver "
                         f"grundläggande förändringar ({numbers.percent(k('sverige'), values[SWEDEN], 0)})")
    latest = db.sql("""SELECT period, value FROM patientenkat WHERE measure = 'delaktighet_involvering'
                       AND region_code = $r AND sex = 'T' ORDER BY period DESC LIMIT 1""", r=RIKET)
    if len(latest):
        year = int(latest.period.iloc[0])
        share = numbers.percent(survey_key("delaktighet_involvering", "riket", "totalt", year), latest.value.iloc[0])
        parts.append(f"i Nationell Patientenkät {year} svarade {share} av patienterna i riket positivt om delaktighet "
                     f"och involvering")
    return text.listing(parts) if parts else None


def key_points(db: Store, min_countries: int = 10) -> Section:
    """'Det viktigaste' for 3.1: the report's IHP picture, what the data can test of it, and the patient survey."""
    from tillit.report.chapters import key_points as box

    lines = ["Betänkandet byggde på IHP-undersökningen, där Sverige låg långt ner i frågor om delaktighet, "
             "information och samordning."]
    items = ihp_items(db, 1)
    covered = [n for n, _, keys in REPORT_FIGURES
               if len(items[pd.Series([any(k in s.casefold() for k in keys) for s in items["item"]], index=items.index,
                                      dtype=bool) & (items.countries >= min_countries)])]
    if not covered:
        lines.append("Landsvärdena bakom betänkandets figur 3.1–3.3 finns inte i data, så Sveriges placering i de "
                     "frågorna kan inte prövas här.")
    full = ihp_items(db, min_countries)
    if len(full):
        top = full.iloc[0]
        values, k, rank = sweden_on_item(db, top)
        if rank is not None:
            lines.append(("Den enda frågan med värden för alla länder" if len(full) == 1 else
                          "Frågan om vårdsystemet i stort, som har värden för alla länder,") + " visar att Sverige "
                         f"{text.escape(top.period)} hade {rank} länderna som ansåg att vården behöver grundläggande "
                         f"förändringar ({numbers.percent(k('sverige'), values[SWEDEN], 0)}).")
    riket = db.sql("""SELECT period, value FROM patientenkat WHERE measure = 'delaktighet_involvering'
                      AND region_code = $r AND sex = 'T' ORDER BY period""", r=RIKET).set_index("period").value
    _, partial = survey_coverage(patient_frame(db, "delaktighet_involvering"))
    riket = riket[[int(y) not in partial for y in riket.index]]  # in-between years: only some landsting measured
    if len(riket) > 1:
        lines.append(f"Andelen patienter i primärvården som var positiva om sin delaktighet och involvering "
                     f"{trends.trend_words(riket)} i Nationell Patientenkät.")
    from tillit.report.chapters import region

    newest = region.impression_key_sentence(db, RIKET)
    if newest:  # the newest survey figure goes before the older ones, so a four-sentence box keeps it
        lines.insert(min(3, len(lines)), newest)
    return box(lines[:4])
