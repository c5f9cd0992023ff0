"""Compiling the default data: read a facts file, turn each row into a table row with its citation, and put the
tables together (several facts files per table, their overlaps kept apart)."""
from __future__ import annotations


import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from tillit.tables.catalog import load_catalog, publisher_of, vocab
from tillit.core.files import repo_root
from tillit.core.errors import DataError
from tillit.core.links import UnsafeUrl, check_url
from tillit.ingest.facts.overlaps import resolve_overlaps


COMPILERS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {}
# compilers for a table's further facts files (catalog `facts: [first.csv, second.csv]`), by (table, file)
FILE_COMPILERS: dict[tuple[str, str], Callable[[pd.DataFrame], pd.DataFrame]] = {}
OVERLAP_TABLE = "kalloverlapp"


def compiler(table: str, facts_file: str | None = None):
    def register(func):
        if facts_file is None:
            COMPILERS[table] = func
        else:
            FILE_COMPILERS[(table, facts_file)] = func
        return func

    return register


class Skip:
    """What a row compiler returns for a facts row it deliberately leaves out, with the reason (reported, never silent)."""

    def __init__(self, reason: str):
        self.reason = reason


def default_facts_dir() -> Path:
    return repo_root().parent / "shared" / "data" / "facts"


def read_facts(path: Path) -> pd.DataFrame:
    """A facts CSV as text columns, with `_line` = the row's line number in the file (header is line 1)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["_line"] = range(2, len(frame) + 2)
    frame["_file"] = path.name
    return frame


def fail(row: pd.Series, column: str, message: str) -> DataError:
    return DataError(f"facts/{row['_file']}", int(row["_line"]), column, message)


def lookup(row: pd.Series, column: str, kind: str) -> str:
    try:
        return vocab(kind).code(row[column])
    except KeyError as err:
        raise fail(row, column, str(err.args[0])) from None


def number_cell(row: pd.Series, column: str = "value") -> float | None:
    text = row[column].strip()
    if text == "":
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise fail(row, column, f"not a number: {text!r}") from None


def mapped(row: pd.Series, column: str, mapping: dict):
    try:
        return mapping[row[column]]
    except KeyError:
        raise fail(row, column, f"no mapping for {row[column]!r}; add it in tillit/ingest/facts.py") from None


_URL_REMARK = re.compile(r"^(\S+)\s+\((.+)\)$")
_STORED_COPY = re.compile(r"stored copy at host (\S+), same path", re.I)


def url_and_remark(text: str) -> tuple[str, str]:
    """A facts file's source address and the collector's remark after it, in Swedish:
    'https://a/b (stored copy at host x.se, same path)' → ('https://a/b', 'sparad kopia på x.se, samma sökväg')."""
    match = _URL_REMARK.match(str(text).strip())
    if not match:
        return str(text).strip(), ""
    remark = _STORED_COPY.sub(lambda m: f"sparad kopia på {m.group(1)}, samma sökväg", match.group(2))
    return match.group(1), remark


def with_provenance(rows: list[dict], source: pd.DataFrame, index: list) -> pd.DataFrame:
    """Attach the citation columns of the facts rows `index` to the compiled rows (and `_value_text`, the value as
    written in the facts file, which the overlap rule reads for precision)."""
    out = pd.DataFrame(rows)
    src = source.loc[index].reset_index(drop=True)
    if out.empty:
        out = pd.DataFrame(index=src.index)
    out["_value_text"] = src["value"] if "value" in src else ""
    out["source_publisher"] = [publisher_of(t) for t in src["source_title"]]
    out["source_title"] = src["source_title"]
    urls, remarks = zip(*(url_and_remark(u) for u in src["source_url"])) if len(src) else ((), ())
    for i, url in enumerate(urls):
        try:
            check_url(url)
        except UnsafeUrl as err:
            raise fail(src.iloc[i], "source_url", str(err)) from None
    out["source_url"] = list(urls)
    out["source_type"] = src["source_type"]
    out["quote"] = src.get("quote", pd.Series([""] * len(src)))
    notes = src["note"] if "note" in src else src.get("notes", pd.Series([""] * len(src)))
    out["note"] = ["; ".join(p for p in (str(n) if isinstance(n, str) else "", r) if p)
                   for n, r in zip(notes.reset_index(drop=True), remarks)]
    out["source_ref"] = [f"facts/{f}:{n}" for f, n in zip(src["_file"], src["_line"])]
    return out


LEFT_OUT: list[str] = []   # facts rows a compiler left out on purpose, with the reason (printed by compile-facts)


def compile_rows(facts: pd.DataFrame, make_row: Callable[[pd.Series], dict | Skip | None]) -> pd.DataFrame:
    """One compiled row per facts row; None = the row belongs to another table of the same file; Skip = left out."""
    rows, index = [], []
    for i, row in facts.iterrows():
        made = make_row(row)
        if isinstance(made, Skip):
            LEFT_OUT.append(f"facts/{row['_file']}:{row['_line']}: left out: {made.reason}")
        elif made is not None:
            rows.append(made)
            index.append(i)
    return with_provenance(rows, facts, index)



def _compile_one(name: str, facts_dir: Path) -> tuple[pd.DataFrame, list[dict]]:
    table = load_catalog()[name]
    parts = []
    for file in table.facts:
        make = FILE_COMPILERS.get((name, file), COMPILERS[name])
        parts.append(make(read_facts(facts_dir / file)))
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    frame, overlaps = resolve_overlaps(frame, name, table.key, list(table.facts))
    frame = frame[list(table.columns)]
    return frame.astype(object).where(frame.ne("") & frame.notna(), None), overlaps  # empty cell = missing value


def compile_overlaps(facts_dir: Path | None = None) -> pd.DataFrame:
    """The table kalloverlapp: every value a table does not use because another source gives the same cell."""
    catalog = load_catalog()
    rows = []
    for name, table in catalog.tables.items():
        if table.facts:
            rows.extend(_compile_one(name, facts_dir or default_facts_dir())[1])
    columns = list(catalog[OVERLAP_TABLE].columns)
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(object).where(frame.ne("") & frame.notna(), None)


COMPILERS[OVERLAP_TABLE] = lambda facts: compile_overlaps()   # computed from the other tables, not from one file


def _no_facts(name: str) -> pd.DataFrame:
    return pd.DataFrame(columns=list(load_catalog()[name].columns), dtype=object)


COMPILERS["personal_region"] = lambda facts: _no_facts("personal_region")   # filled by `tillit refresh` only


def compile_table(name: str, facts_dir: Path | None = None) -> pd.DataFrame:
    if name == OVERLAP_TABLE:
        return compile_overlaps(facts_dir)
    if not load_catalog()[name].facts:
        return COMPILERS[name](None)
    return _compile_one(name, facts_dir or default_facts_dir())[0]
