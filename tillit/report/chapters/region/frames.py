"""The region pages' queries: one frame per measure, with the län's names, and the years a region lacks."""
from __future__ import annotations

import pandas as pd

from tillit.report import text
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.region.shared import PROV, RIKET, with_names


def sick_leave_frame(db: Store) -> pd.DataFrame:
    frame = db.sql(f"SELECT period, region_code, sex, value, {PROV} FROM sjukfranvaro_landsting "
                   "ORDER BY region_code, sex, period")
    return with_names(frame)


def survey_frame(db: Store) -> pd.DataFrame:
    frame = db.sql(f"SELECT period, region_code, sex, measure, value, {PROV} FROM patientenkat "
                   "ORDER BY measure, region_code, sex, period")
    return with_names(frame)


def partial_years(frame: pd.DataFrame) -> dict[int, int]:
    """Years in which at most three quarters as many län as in the fullest year have values (the survey's
    voluntary in-between years): {year: number of län}. Riket in such a year rests on only part of the country."""
    counts = frame[frame.region_code != RIKET].groupby("period").region_code.nunique()
    if counts.empty:
        return {}
    full = int(counts.max())
    return {int(y): int(n) for y, n in counts.items() if n <= 0.75 * full}


def sick_pay_frame(db: Store) -> pd.DataFrame:
    """Sjukpenningtal for both sexes together in the latest twelve-month period with values for the län (and riket
    that month)."""
    frame = db.sql(f"""SELECT period, region_code, value, {PROV} FROM sjukpenningtal_lan
                       WHERE sex = 'T' AND period = (SELECT max(period) FROM sjukpenningtal_lan
                                                     WHERE sex = 'T' AND region_code <> '00' AND length(period) = 7)
                       ORDER BY period, region_code""")
    return with_names(frame)


def period_order(period: object) -> tuple[int, int]:
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


def kommuner_frame(db: Store) -> pd.DataFrame:
    frame = db.sql(f"SELECT period, kommun_code, measure, value, {PROV} FROM personalnyckeltal_kommun "
                   "ORDER BY kommun_code, measure, period")
    kommuner = vocab("kommun")
    frame["kommun"] = [kommuner.label(c) if c in kommuner else c for c in frame.kommun_code]
    frame["region_code"] = frame.kommun_code.str[:2]  # SCB kommun codes start with the län code
    return frame


def missing_years(frame: pd.DataFrame, code: str) -> list[int]:
    """Years the table has for some region but not for this one."""
    have = set(frame[frame.region_code == code].period)
    return sorted(int(y) for y in set(frame.period) - have)
