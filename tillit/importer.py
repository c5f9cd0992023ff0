"""Import publisher files into data/tables: parse, validate, merge new rows, refuse conflicting values, log the import."""
from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from tillit.catalog import Table, data_dir, load_catalog
from tillit.errors import DataError, DataErrors
from tillit.sources import FORMATS, Context, Parsed, detect, parse
from tillit.validate import load_table, validate_frame, write_table

IMPORT_LOG = "imports.csv"
LOG_COLUMNS = ["imported_at", "file", "sha256", "bytes", "format", "publisher", "source_url", "tables"]
DEFAULT_MAX_BYTES = 1024**3  # 1 GiB; $TILLIT_MAX_IMPORT_BYTES overrides
_META_FORMATS = {"kolada-meta", "fk-meta"}
ROUNDED_DECIMALS = 2  # values that agree to two decimals are the same value (see _same)


@dataclass
class FileInfo:
    path: Path
    display: str
    sha256: str
    size: int
    format: str = ""
    publisher: str = ""
    source_url: str | None = None


@dataclass
class TableChange:
    table: str
    added: int = 0
    unchanged: int = 0
    rounded: int = 0
    replaced: list[str] = field(default_factory=list)
    rows_after: int = 0


@dataclass
class ImportReport:
    files: list[FileInfo]
    changes: dict[str, TableChange]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed_tables(self) -> list[str]:
        return sorted(t for t, c in self.changes.items() if c.added or c.replaced)

    def summary(self) -> str:
        lines = []
        for info in self.files:
            lines.append(f"{info.display}: {info.format} ({info.publisher}), sha256 {info.sha256[:12]}")
        for name, change in sorted(self.changes.items()):
            lines.append(f"  {name}: {change.added} new rows, {change.unchanged} already present"
                         + (f" ({change.rounded} of them agree once rounded to {ROUNDED_DECIMALS} decimals; kept as they "
                            "are)" if change.rounded else "")
                         + (f", {len(change.replaced)} replaced" if change.replaced else "")
                         + f" → {change.rows_after} rows")
            lines.extend(f"    replaced {r}" for r in change.replaced[:20])
        lines.extend(f"  note: {n}" for n in self.notes)
        lines.extend(f"  warning: {w}" for w in self.warnings)
        if self.dry_run:
            lines.append("dry run: nothing written")
        elif self.changed_tables:
            lines.append(f"changed: {', '.join(self.changed_tables)} (the store and the notebooks that read them "
                         "are rebuilt by the next `tillit build`)")
        else:
            lines.append("nothing new: data/tables unchanged")
        return "\n".join(lines)


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def max_bytes() -> int:
    return int(os.environ.get("TILLIT_MAX_IMPORT_BYTES", DEFAULT_MAX_BYTES))


def _read(path: Path, display: str) -> bytes:
    if not path.exists():
        raise DataError(display, None, None, "no such file")
    if path.is_dir():
        raise DataError(display, None, None, "is a folder, not a file")
    size = path.stat().st_size
    limit = max_bytes()
    if size > limit:
        raise DataError(display, None, None, f"the file is {size / 1e6:,.0f} MB, above the import limit of "
                        f"{limit / 1e6:,.0f} MB (set TILLIT_MAX_IMPORT_BYTES to raise it, or split the file)")
    return path.read_bytes()


def _norm(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decimals(x: float) -> int:
    text = repr(float(x))
    return 99 if "e" in text else len(text.split(".")[1].rstrip("0"))


def _same(a, b) -> str | None:
    """'same' when two cells hold the same value, 'rounded' when they agree once the more precise one is rounded to
    the other's two decimals (the default data keeps some publishers' values rounded so), None when they differ."""
    a_na = a is None or (not isinstance(a, str) and pd.isna(a))
    b_na = b is None or (not isinstance(b, str) and pd.isna(b))
    if a_na or b_na:
        return "same" if a_na and b_na else None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        a, b = float(a), float(b)
        if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
            return "same"
        coarse, fine = (a, b) if _decimals(a) <= _decimals(b) else (b, a)
        if _decimals(coarse) <= ROUNDED_DECIMALS and math.isclose(round(fine, ROUNDED_DECIMALS), coarse, abs_tol=1e-9):
            return "rounded"
        return None
    return "same" if str(a) == str(b) else None


def compared_columns(table: Table) -> list[str]:
    """Columns whose difference is a conflict: numbers and closed lists outside the key (labels are not compared)."""
    provenance = set(load_catalog().provenance)
    return [c.name for c in table.columns.values()
            if not c.key and c.name not in provenance and (c.type in ("integer", "number") or c.allowed)]


class _Incoming:
    """One file's rows for one table, with what is needed to point errors back at the file."""

    def __init__(self, info: FileInfo, parsed: Parsed, table: Table, frame: pd.DataFrame, data: Path):
        self.info, self.table = info, table
        self.columns = parsed.columns.get(table.name, {})
        frame = frame.reset_index(drop=True)
        for col in table.columns:
            if col not in frame:
                frame[col] = None
        ref = _ref_name(info.path, data)
        frame["source_ref"] = [f"{ref}:{int(n)} sha256:{info.sha256[:12]}" for n in frame["_line"]]
        self.frame = frame
        self.lines = [int(n) for n in frame["_line"]]

    def source_column(self, index: int | None, column: str | None) -> str | None:
        if column is None:
            return None
        src = f"_src_{column}"
        if index is not None and src in self.frame and isinstance(self.frame.at[index, src], str):
            return self.frame.at[index, src]
        return self.columns.get(column, column)

    def error(self, index: int | None, column: str | None, message: str) -> DataError:
        line = self.lines[index] if index is not None else None
        src = self.source_column(index, column)
        if column and src and src != column:
            message = f"{message} (→ {self.table.name}.{column})"
        return DataError(self.info.display, line, src, message)

    def validate(self) -> pd.DataFrame:
        frame = self.frame[list(self.table.columns)]
        line_to_index = {}
        for i, n in enumerate(self.lines):
            line_to_index.setdefault(n, i)
        try:
            return validate_frame(frame, self.table, self.info.display, line_of=lambda i: self.lines[int(i)])
        except DataErrors as err:
            fixed = []
            for e in err.errors:
                index = line_to_index.get(e.row) if e.row is not None else None
                column = e.column if e.column in self.table.columns else None
                if column:
                    fixed.append(self.error(index, column, e.message))
                else:
                    fixed.append(e)
            raise DataErrors(fixed) from None


def _ref_name(path: Path, data: Path) -> str:
    try:
        return str(path.resolve().relative_to(data.resolve()))
    except ValueError:
        return path.name


def _keys(frame: pd.DataFrame, key: list[str]) -> list[tuple]:
    return list(zip(*[[_norm(v) for v in frame[k].tolist()] for k in key])) if key else [(i,) for i in range(len(frame))]


def import_files(paths: list[Path], data: Path | None = None, fmt: str | None = None, table: str | None = None,
                 source_urls: dict[Path, str] | None = None, source_title: str | None = None,
                 options: dict | None = None, dry_run: bool = False, replace: bool = False,
                 now: datetime | None = None) -> ImportReport:
    """Import publisher files into data/tables (one transaction: every file is checked before anything is written).

    New keys are added; a key already present with the same values is left as it is; a key present with a different
    value is a conflict: reported (file, row, column, both values) and nothing is written, unless replace=True."""
    data = Path(data) if data else data_dir()
    catalog = load_catalog(data)
    if table is not None and table not in catalog.tables:
        raise DataError(str(table), None, None, f"no table named {table!r} in the catalog "
                        f"(known: {', '.join(sorted(catalog.tables))})")
    if fmt is not None and fmt not in FORMATS:
        raise DataError(str(fmt), None, None, f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    source_urls = {Path(k).resolve(): v for k, v in (source_urls or {}).items()}
    # read and identify every file first
    infos, raws = [], []
    for path in map(Path, paths):
        display = display_name(path)
        raw = _read(path, display)
        info = FileInfo(path, display, sha256_of(raw), len(raw), source_url=source_urls.get(path.resolve()))
        info.format = fmt or detect(raw, display)
        infos.append(info)
        raws.append(raw)
    # metadata files (KPI titles, dimension labels) first, so data files can use them
    meta: dict = {}
    parsed_files: list[tuple[FileInfo, Parsed]] = []
    order = sorted(range(len(infos)), key=lambda i: infos[i].format not in _META_FORMATS)
    for i in order:
        info, raw = infos[i], raws[i]
        ctx = Context(file=info.display, path=info.path, source_url=info.source_url, source_title=source_title,
                      table=table, options=dict(options or {}), meta=meta)
        parsed = parse(raw, ctx, info.format)
        info.publisher = parsed.publisher
        meta.update(parsed.meta)
        parsed_files.append((info, parsed))
    report = ImportReport(files=[info for info, _ in parsed_files], changes={}, dry_run=dry_run)
    for info, parsed in parsed_files:
        report.notes.extend(f"{info.display}: {n}" for n in parsed.notes)
        report.notes.extend(f"{info.display}: {n} rows left out: {why}" for why, n in parsed.skipped.items())
        report.warnings.extend(parsed.warnings)
    if not any(p.tables for _, p in parsed_files):
        if all(info.format in _META_FORMATS for info in infos):
            raise DataError(infos[0].display, None, None, "metadata only: import it together with the data files it describes")
        raise DataError(infos[0].display, None, None, "nothing to import" + (f" into {table}" if table else ""))

    # validate each file's rows on their own (errors name that file), then look for repeated keys across files
    incoming: dict[str, list[tuple[_Incoming, pd.DataFrame]]] = {}
    errors: list[DataError] = []
    for info, parsed in parsed_files:
        for name, frame in parsed.tables.items():
            inc = _Incoming(info, parsed, catalog[name], frame, data)
            dup = _first_duplicate(inc)
            if dup:
                raise DataErrors([dup])
            try:
                incoming.setdefault(name, []).append((inc, inc.validate()))
            except DataErrors as err:
                errors.extend(err.errors)
    if errors:
        raise DataErrors(errors)

    # merge with what is already in data/tables
    results: dict[str, pd.DataFrame] = {}
    conflicts: list[DataError] = []
    for name, parts in incoming.items():
        tbl = catalog[name]
        key = tbl.key
        compare = compared_columns(tbl)
        existing = load_table(name, data) if tbl.path(data).exists() else pd.DataFrame(columns=list(tbl.columns))
        position = {k: i for i, k in enumerate(_keys(existing, key))}
        seen: dict[tuple, tuple[_Incoming, int]] = {}
        change = TableChange(name)
        new_rows, replace_rows = [], {}
        for inc, valid in parts:
            for i, k in enumerate(_keys(valid, key)):
                if k in seen:
                    other, j = seen[k]
                    raise DataErrors([inc.error(i, "+".join(key), f"duplicate key: the same "
                                                f"{', '.join(key)} as row {other.lines[j]} of {other.info.display}")])
                seen[k] = (inc, i)
                row = valid.iloc[i]
                if k not in position:
                    new_rows.append(row)
                    continue
                old = existing.iloc[position[k]]
                verdicts = {c: _same(old[c], row[c]) for c in compare}
                differing = [c for c, v in verdicts.items() if v is None]
                if not differing:
                    change.unchanged += 1
                    change.rounded += any(v == "rounded" for v in verdicts.values())
                    continue
                where = ", ".join(f"{c}={_norm(row[c])}" for c in key)
                if replace:
                    replace_rows[position[k]] = row
                    change.replaced.extend(f"{name} [{where}] {c}: {_norm(old[c])} → {_norm(row[c])}" for c in differing)
                    continue
                for c in differing:
                    conflicts.append(inc.error(i, c, f"conflicts with data/tables/{name}.csv row "
                                                     f"{position[k] + 2} ({where}, from {old['source_ref']}): "
                                                     f"existing {c} {_norm(old[c])!s}, new {_norm(row[c])!s}; "
                                                     "nothing was written (correct the file, or import with "
                                                     "--replace to overwrite deliberately)"))
        change.added = len(new_rows)
        combined = existing.copy()
        for pos, row in replace_rows.items():
            combined.iloc[pos] = row[list(tbl.columns)]
        if new_rows:
            combined = pd.concat([combined, pd.DataFrame(new_rows)[list(tbl.columns)]], ignore_index=True)
        change.rows_after = len(combined)
        report.changes[name] = change
        if new_rows or replace_rows:
            results[name] = combined
    if conflicts:
        raise DataErrors(conflicts)
    if dry_run:
        return report
    # final check of whole tables before any write; each write is atomic (temp file + rename)
    checked = {name: validate_frame(frame, catalog[name], f"data/tables/{name}.csv") for name, frame in results.items()}
    for name, frame in checked.items():
        report.written.append(write_table(frame, catalog[name], data))
    _log(report, data, now)
    return report


def _first_duplicate(inc: _Incoming) -> DataError | None:
    key = inc.table.key
    if not key:
        return None
    seen: dict[tuple, int] = {}
    for i, k in enumerate(_keys(inc.frame, key)):
        if k in seen:
            described = ", ".join(f"{c}={v}" for c, v in zip(key, k))
            return DataError(inc.info.display, inc.lines[i], "+".join(inc.source_column(i, c) or c for c in key),
                             f"duplicate key: row {inc.lines[seen[k]]} has the same {described} "
                             f"({inc.table.name} holds one row per {', '.join(key)})")
        seen[k] = i
    return None


def import_file(path: Path, **kwargs) -> ImportReport:
    return import_files([path], **kwargs)


def _log(report: ImportReport, data: Path, now: datetime | None) -> Path:
    """Append one line per imported file to data/raw/imports.csv (atomically: a copy is written, then renamed)."""
    stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    path = data / "raw" / IMPORT_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not old:
        writer.writerow(LOG_COLUMNS)
    tables = "; ".join(f"{n} +{c.added} ={c.unchanged}" + (f" ~{len(c.replaced)}" if c.replaced else "")
                       for n, c in sorted(report.changes.items()))
    for info in report.files:
        writer.writerow([stamp, info.display, info.sha256, info.size, info.format, info.publisher,
                         info.source_url or "", tables])
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(old + out.getvalue())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
