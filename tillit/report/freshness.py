"""How fresh the data are: the start page's table "Hur färska är data?" and the notice atop a chapter whose newest data are old."""
from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from tillit.core import markdown
from tillit.report import text
from tillit.tables.catalog import load_catalog

if TYPE_CHECKING:
    from tillit.tables.store import Store

STALE_YEARS = 3
NOTICE_DIR = "aktualitet"          # book/_generated/aktualitet/<notebook>.md, included at the top of each chapter
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def period_end(period) -> dt.date | None:
    """The last day a period covers: a year, a quarter (2021K2, 2021Q2), a half year (2024H1), a month (2015-12);
    for free text (IHP 'survey 2016 …') the latest year it names. None when no year is named."""
    s = str(period).strip()
    if m := re.fullmatch(r"(\d{4})", s):
        return dt.date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{4})\s*[KQ]([1-4])", s):
        month = 3 * int(m[2])
        return (dt.date(int(m[1]) + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    if m := re.fullmatch(r"(\d{4})H([12])", s):
        return dt.date(int(m[1]), 6, 30) if m[2] == "1" else dt.date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", s):
        year, month = int(m[1]), int(m[2])
        return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    years = [int(y.group(0)) for y in _YEAR.finditer(s)]
    return dt.date(max(years), 12, 31) if years else None


def latest_period(periods) -> tuple[str | None, dt.date | None]:
    """(the period as written, its last day) of the most recent period among `periods`."""
    best: tuple[str | None, dt.date | None] = (None, None)
    for p in pd.unique(pd.Series(list(periods), dtype=object).dropna()):
        end = period_end(p)
        if end is not None and (best[1] is None or end > best[1]):
            best = (str(p), end)
    return best


def _how(refs: pd.Series, fetched: set[str]) -> str:
    """How a table's rows came in, from their source_ref: compiled facts, imported files, files fetched over an API."""
    kinds = []
    if refs.str.startswith("facts/").any():
        kinds.append("sammanställd ur källuppgifter")
    imported = refs[~refs.str.startswith("facts/")]
    if len(imported):
        names = imported.str.replace(r":\d+ sha256:.*$", "", regex=True)
        if names.map(lambda n: any(n.endswith(f) for f in fetched)).any():
            kinds.append("hämtad via API")
        if (~names.map(lambda n: any(n.endswith(f) for f in fetched))).any():
            kinds.append("inläst fil")
    return ", ".join(kinds) or "–"


def _last_change(root: Path, table: str) -> str | None:
    """The date of the last commit that changed data/tables/<table>.csv (None outside git or if never committed)."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", f"data/tables/{table}.csv"], cwd=root,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out or None


def _imports(root: Path) -> list[dict]:
    path = root / "data" / "raw" / "imports.csv"
    return list(csv.DictReader(path.open(encoding="utf-8"))) if path.is_file() else []


def table_freshness(root: Path, store: Store) -> pd.DataFrame:
    """One row per catalog table with a period: latest period, its last day, publishers, how obtained, when imported."""
    catalog = load_catalog(root / "data")
    imports = _imports(root)
    fetched = {Path(i["file"]).name for i in imports if "/raw/" in i["file"].replace("\\", "/")}
    rows = []
    for name, table in catalog.tables.items():
        if "period" not in table.columns:
            continue
        frame = store.sql(f'SELECT CAST(period AS VARCHAR) AS period, source_publisher, source_type, source_ref FROM "{name}"')
        period, end = latest_period(frame.period)
        latest = frame[frame.period == period] if period else frame.iloc[0:0]
        publishers = sorted(set(latest.source_publisher))
        secondary = (latest.source_type == "secondary").any()
        when = [i["imported_at"][:10] for i in imports if re.search(rf"\b{re.escape(name)} \+[1-9]", i["tables"])]
        rows.append({"table": name, "title": table.title, "period": period, "end": end,
                     "publishers": publishers, "secondary": bool(secondary), "how": _how(frame.source_ref, fetched),
                     "imported": max(when) if when else _last_change(root, name)})
    return pd.DataFrame(rows)


def freshness_markdown(root: Path, store: Store, today: dt.date | None = None) -> str:
    """The start page's table: newest period, source, how the data came in and when, oldest first."""
    today = today or dt.date.today()
    frame = table_freshness(root, store)
    lines = [f"Tabellen visar för varje datatabell den senaste perioden som finns i data, vem som publicerat den, hur "
             f"uppgifterna kom in i boken och när tabellen senast ändrades. Perioder som slutade mer än "
             f"{text.count_word(STALE_YEARS)} år före den {text.date_words(today)}, då boken byggdes, är markerade med "
             f"*äldre än {STALE_YEARS} år*.", ""]
    rows = []
    frame = frame.assign(_sort=frame.end.map(lambda d: d or dt.date.min)).sort_values(["_sort", "table"])
    for row in frame.itertuples():
        if pd.isna(row.period):
            period = "inga data"
        else:
            period = text.escape(text.period_label(row.period))
            if is_stale(row.end, today):
                period += f" (*äldre än {STALE_YEARS} år*)"
        source = text.escape(", ".join(row.publishers)) or "–"
        if row.secondary:
            source += " (sekundärkälla)"
        imported = "–" if pd.isna(row.period) or not row.imported else text.escape(row.imported)
        rows.append([f"[{text.escape(row.title)}](tabell-{row.table})", period, source, row.how, imported])
    lines.append(markdown.table(["Tabell", "Senaste period", "Källa", "Hur data kom in", "Inläst"], rows))
    return "\n".join(lines) + "\n"


def is_stale(end: dt.date | None, today: dt.date) -> bool:
    """True when a period ended more than STALE_YEARS years before `today`."""
    if end is None:
        return False
    try:
        limit = today.replace(year=today.year - STALE_YEARS)
    except ValueError:   # 29 February
        limit = today.replace(year=today.year - STALE_YEARS, day=28)
    return end < limit


def main_period(periods, share: float = 0.75) -> tuple[str | None, dt.date | None]:
    """(period, last day) of the latest period that holds the bulk of a table's rows: at least `share` of the rows of
    its fullest period. A few scattered later rows (one press figure for 2021 in a table of 2017 values) do not count."""
    s = pd.Series(list(periods), dtype=object).dropna().astype(str)
    if s.empty:
        return None, None
    counts = s.value_counts()
    full = counts[counts >= share * counts.max()]
    return latest_period(full.index)


def chapter_periods(store: Store, tables) -> tuple[list[dt.date], dt.date | None, str | None]:
    """For a chapter's tables: the last day of each table's main period, and the latest period of any row."""
    mains, every = [], []
    for name in tables:
        if "period" in load_catalog()[name].columns:
            periods = store.sql(f'SELECT CAST(period AS VARCHAR) AS p FROM "{name}"').p
            every.extend(periods)
            _, end = main_period(periods)
            if end is not None:
                mains.append(end)
    period, end = latest_period(every)
    return mains, end, period


def chapter_notice(store: Store, tables, today: dt.date | None = None) -> str:
    """Markdown for the top of a chapter: empty when its data are recent, else a note saying which years most of its
    charts and tables end in (each table's main period, not one stray newer row) and how old that was when the book
    was built, with the newest single period when it is later."""
    today = today or dt.date.today()
    mains, newest_end, newest = chapter_periods(store, tables)
    if newest_end is None:
        return ("```{note}\nDet här kapitlet har inga daterade uppgifter i data. Se *Hur färska är data?* på "
                "[startsidan](hur-farska).\n```\n")
    if not mains or not is_stale(max(mains), today):
        return ""
    span = text.years_span(d.year for d in mains)
    many = len({d.year for d in mains}) > 1
    built = f"den {text.date_words(today)} då boken byggdes"
    body = (f"Kapitlets diagram och tabeller slutar i de flesta fall {span}" if many else
            f"Uppgifterna i det här kapitlet gäller i huvudsak {span}")
    body += f", mer än {text.count_word(STALE_YEARS)} år före {built}."
    if newest_end.year > max(mains).year:
        label = (text.period_label(newest) if re.fullmatch(r"\d{4}([KQ][1-4]|-\d{2})?", newest)
                 else str(newest_end.year))
        body += f" Bara enstaka uppgifter är nyare; den senaste gäller {text.escape(label)}."
    return (f"```{{note}}\n{body} Se *Hur färska är data?* på [startsidan](hur-farska).\n```\n")
