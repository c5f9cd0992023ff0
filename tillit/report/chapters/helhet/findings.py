"""The chapter's key figure (for 3.6) and its key points ('Det viktigaste')."""
from __future__ import annotations

import pandas as pd

from tillit.report import numbers, text
from tillit.report.chapters import Section, medborgarfokus as mf
from tillit.tables.store import Store
from tillit.report.chapters.helhet.continuity import continuity_key
from tillit.report.chapters.helhet.figure_34 import support_words, sweden_vs_others, workforce_sentence
from tillit.report.chapters.helhet.shared import INVOLVEMENT, MEASURE


def key_figure(db: Store) -> str | None:
    """One line for the synthesis (3.6): the latest national continuity share and the spread between landsting."""
    latest = db.sql("SELECT max(period) AS y FROM patientenkat WHERE measure = $m", m=MEASURE).y.iloc[0]
    if pd.isna(latest):
        return None
    year = int(latest)
    frame = db.sql("""SELECT region_code, value FROM patientenkat WHERE measure = $m AND period = $y AND sex = 'T'""",
                   m=MEASURE, y=year)
    riket = frame[frame.region_code == mf.RIKET]
    per = frame[frame.region_code != mf.RIKET]
    parts = []
    if len(riket):
        share = numbers.percent(mf.survey_key(MEASURE, "riket", "totalt", year), riket.value.iloc[0])
        parts.append(f"i Nationell Patientenkät {year} svarade {share} av patienterna i riket positivt om kontinuitet "
                     f"och koordinering")
    if len(per) > 1:
        spread = round(per.value.max(), 1) - round(per.value.min(), 1)
        shown = numbers.register(mf.survey_key(MEASURE, "skillnad-hogst-lagst", year), spread, text.points(spread))
        parts.append(f"mellan högsta och lägsta landsting skilde det {shown}")
    return "; ".join(parts) if parts else None


def key_points(db: Store) -> Section:
    """'Det viktigaste' for 3.2: the report's picture of fragmentation and many doctors and nurses, and what the data
    show for each, on the statistic the claim is judged on (Sweden against the mean of the other IHP countries)."""
    from tillit.report.chapters import key_points as box

    lines = ["Betänkandet beskrev en vård där patienterna upplever låg kontinuitet och samordning, och menade att "
             "det inte beror på brist på personal: Sverige skulle ha förhållandevis många läkare och sjuksköterskor "
             "jämfört med de andra länderna i IHP-undersökningen."]
    latest = db.sql("SELECT max(period) AS y FROM patientenkat WHERE measure = $m", m=MEASURE).y.iloc[0]
    if pd.notna(latest):
        year = int(latest)
        frame = db.sql("""SELECT region_code, measure, value FROM patientenkat WHERE period = $y AND sex = 'T'
                          AND measure IN ($m, $i)""", y=year, m=MEASURE, i=INVOLVEMENT)
        wide = frame.pivot_table(index="region_code", columns="measure", values="value")
        if {MEASURE, INVOLVEMENT} <= set(wide.columns):
            per = wide.drop(index=mf.RIKET, errors="ignore").dropna()
            lower = int((per[MEASURE] < per[INVOLVEMENT]).sum())
            where = numbers.register(continuity_key("landsting-lagre", year), lower,
                                     f"samtliga {len(per)}" if lower == len(per) else f"{lower} av {len(per)}")
            r = wide.loc[mf.RIKET] if mf.RIKET in wide.index else None
            lines.append(f"I Nationell Patientenkät {year} var patienterna mindre positiva om kontinuitet och "
                         f"koordinering än om sin delaktighet i {where} landsting"
                         + (f" ({numbers.percent(mf.survey_key(MEASURE, 'riket', 'totalt', year), r[MEASURE])} mot "
                            f"{numbers.percent(mf.survey_key(INVOLVEMENT, 'riket', 'totalt', year), r[INVOLVEMENT])} i riket)."
                            if r is not None else "."))
    doctors = sweden_vs_others(db, "lakare")
    nurses = sweden_vs_others(db, "sjukskoterskor_barnmorskor") if doctors else None
    sentence = workforce_sentence(doctors, nurses)
    if sentence:
        lines.append(sentence)
        verdict = support_words(doctors, nurses)
        if verdict:
            tail, yes = verdict
            lines.append(f"Data stöder alltså {'' if yes else 'inte '}{tail}.")
    else:
        lines.append("WHO:s uppgifter om läkare per invånare i IHP-länderna saknas i data, så påståendet om många "
                     "läkare och sjuksköterskor kan inte prövas här.")
    return box(lines[:4])
