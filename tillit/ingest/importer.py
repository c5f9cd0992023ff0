"""Import publisher files into data/tables: parse, validate, merge new rows, refuse conflicting values, log the import."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from tillit.core.errors import DataError, DataErrors
from tillit.core.files import atomic_write, data_dir, sha256
from tillit.core.links import UnsafeUrl, check_url
from tillit.ingest import merge
from tillit.ingest.formats import FORMATS, Context, Parsed, detect, parse
from tillit.ingest.merge import ROUNDED_DECIMALS, TableChange, key_strings, norm
from tillit.ingest.reading import max_bytes
from tillit.tables.catalog import Table, load_catalog
from tillit.tables.validate import validate_frame, write_table

IMPORT_LOG = "imports.csv"
LOG_COLUMNS = ["imported_at", "file", "sha256", "bytes", "format", "publisher", "source_url", "tables"]
_META_FORMATS = {"kolada-meta", "fk-meta", "pxweb-meta"}


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
class ImportReport:
    files: list[FileInfo]
    changes: dict[str, TableChange]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    dry_run: bool = False
    merged: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)  # dry run: the tables as they would be

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


def _checked_url(url: str | None, display: str) -> str | None:
    """The source URL given for a file (--source-url, or the address `tillit fetch` read it from), if it is http(s)."""
    try:
        return check_url(url)
    except UnsafeUrl as err:
        raise DataError(display, None, "source_url", f"source address refused: {err}") from None


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


def import_files(paths: list[Path], data: Path | None = None, fmt: str | None = None, table: str | None = None,
                 source_urls: dict[Path, str] | None = None, source_title: str | None = None,
                 options: dict | None = None, dry_run: bool = False, replace: bool = False,
                 now: datetime | None = None) -> ImportReport:
    """Import publisher files into data/tables (one transaction: every file is checked before anything is written).

    New keys are added; a key already present with the same values is left as it is; a key present with a different
    value is a conflict: reported (file, row, column, both values) and nothing is written, unless replace=True."""
    data = Path(data) if data else data_dir()
    catalog = load_catalog(data)
    _check_choices(catalog, table, fmt)
    infos, raws = _read_files(paths, fmt, {Path(k).resolve(): v for k, v in (source_urls or {}).items()})
    parsed_files = _parse_files(infos, raws, Context(file="", source_title=source_title, table=table,
                                                     options=dict(options or {})))
    report = ImportReport(files=[info for info, _ in parsed_files], changes={}, dry_run=dry_run)
    _collect_notes(report, parsed_files)
    _require_rows(parsed_files, infos, table)
    incoming = _validate_incoming(parsed_files, catalog, data)
    results, conflicts = {}, []
    for name, parts in incoming.items():
        merged = merge.merge_table(name, parts, catalog[name], data, replace)
        report.changes[name] = merged.change
        conflicts.extend(merged.conflicts)
        if merged.frame is not None:
            results[name] = merged.frame
    if conflicts:
        raise DataErrors(conflicts)
    if dry_run:
        report.merged = results
        return report
    # final check of whole tables before any write; each write is atomic (temp file + rename)
    checked = {name: validate_frame(frame, catalog[name], f"data/tables/{name}.csv") for name, frame in results.items()}
    for name, frame in checked.items():
        report.written.append(write_table(frame, catalog[name], data))
    _log(report, data, now)
    return report


def _check_choices(catalog, table: str | None, fmt: str | None) -> None:
    if table is not None and table not in catalog.tables:
        raise DataError(str(table), None, None, f"no table named {table!r} in the catalog "
                        f"(known: {', '.join(sorted(catalog.tables))})")
    if fmt is not None and fmt not in FORMATS:
        raise DataError(str(fmt), None, None, f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def _read_files(paths: list[Path], fmt: str | None, source_urls: dict[Path, str]) -> tuple[list[FileInfo], list[bytes]]:
    """Read and identify every file first (size limit, format, checksum, checked source address)."""
    infos, raws = [], []
    for path in map(Path, paths):
        display = display_name(path)
        raw = _read(path, display)
        info = FileInfo(path, display, sha256(raw), len(raw), source_url=_checked_url(source_urls.get(path.resolve()), display))
        info.format = fmt or detect(raw, display)
        infos.append(info)
        raws.append(raw)
    return infos, raws


def _parse_files(infos: list[FileInfo], raws: list[bytes], template: Context) -> list[tuple[FileInfo, Parsed]]:
    """Parse every file; metadata files (KPI titles, dimension labels) first, so data files can use them."""
    meta: dict = {}
    parsed_files: list[tuple[FileInfo, Parsed]] = []
    for i in sorted(range(len(infos)), key=lambda i: infos[i].format not in _META_FORMATS):
        info, raw = infos[i], raws[i]
        ctx = Context(file=info.display, path=info.path, source_url=info.source_url, source_title=template.source_title,
                      table=template.table, options=dict(template.options), meta=meta)
        parsed = parse(raw, ctx, info.format)
        info.publisher = parsed.publisher
        meta.update({k: v for k, v in parsed.meta.items() if k not in ("kolada_next_page", "pxweb_metadata")})
        parsed_files.append((info, parsed))
    return parsed_files


def _collect_notes(report: ImportReport, parsed_files: list[tuple[FileInfo, Parsed]]) -> None:
    """Rows left out (and why), parser notes and warnings, file by file; a lone Kolada page is warned about."""
    kolada_pages = [p for _, p in parsed_files if p.format == "kolada"]
    if len(kolada_pages) == 1 and "kolada_next_page" in kolada_pages[0].meta:
        (name, following), = kolada_pages[0].meta["kolada_next_page"].items()
        report.warnings.append(f"{name} is one page of several (next page: {following}); import all pages "
                               "together, or use `tillit fetch kolada`")
    for info, parsed in parsed_files:
        report.notes.extend(f"{info.display}: {n}" for n in parsed.notes)
        report.notes.extend(f"{info.display}: {n} row{'s' if n != 1 else ''} left out: {why}"
                            for why, n in parsed.skipped.items())
        report.warnings.extend(parsed.warnings)


def _require_rows(parsed_files: list[tuple[FileInfo, Parsed]], infos: list[FileInfo], table: str | None) -> None:
    """An import without any rows is an error that says why (metadata alone, or nothing the catalog holds)."""
    if any(p.tables for _, p in parsed_files):
        return
    if all(info.format in _META_FORMATS for info in infos):
        first = next((p for _, p in parsed_files if p.format == "pxweb-meta"), None)
        if first is not None:   # PxWeb data responses carry their own labels: the metadata is never needed
            raise DataError(infos[0].display, None, None, first.meta["pxweb_metadata"])
        raise DataError(infos[0].display, None, None, "metadata only: import it together with the data files it describes")
    raise DataError(infos[0].display, None, None, "nothing to import" + (f" into {table}" if table else ""))


def _validate_incoming(parsed_files, catalog, data: Path) -> dict[str, list[tuple[_Incoming, pd.DataFrame]]]:
    """Validate each file's rows on their own (errors name that file); every error of every file is reported."""
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
    return incoming


def _first_duplicate(inc: _Incoming) -> DataError | None:
    key = inc.table.key
    if not key:
        return None
    keys = key_strings(inc.frame, inc.table)
    repeated = keys.duplicated()
    if not repeated.any():
        return None
    i = int(repeated.to_numpy().argmax())
    first = int((keys == keys.iloc[i]).to_numpy().argmax())
    described = ", ".join(f"{c}={norm(inc.frame.at[i, c])}" for c in key)
    return DataError(inc.info.display, inc.lines[i], "+".join(inc.source_column(i, c) or c for c in key),
                     f"duplicate key: row {inc.lines[first]} has the same {described} "
                     f"({inc.table.name} holds one row per {', '.join(key)})")


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
    return atomic_write(path, old + out.getvalue())
