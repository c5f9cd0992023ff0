"""The one error type for bad data: it names the file, the row and the column."""
from __future__ import annotations


class DataError(Exception):
    """Bad input. `row` is the 1-based line in the file (header = line 1) or None; `column` may be None."""

    def __init__(self, file: str, row: int | None, column: str | None, message: str):
        self.file, self.row, self.column, self.message = str(file), row, column, message
        where = self.file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


class DataErrors(Exception):
    """Several DataErrors found in one pass; str() lists them one per line, the same error on many rows once."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("\n".join(grouped(errors)))


def row_ranges(rows: list[int]) -> str:
    """[2, 3, 4, 7, 9, 10] → '2–4, 7, 9–10'."""
    rows = sorted(set(rows))
    parts, start = [], None
    for i, n in enumerate(rows):
        if start is None:
            start = n
        if i + 1 == len(rows) or rows[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(parts)


def grouped(errors: list[DataError]) -> list[str]:
    """One line per distinct error: the same message for the same file and column on several rows is one line
    naming the rows ('file, rows 2–22 (21 rows), column 'source_url': …'), in the order the errors came."""
    groups: dict[tuple, list[DataError]] = {}
    for e in errors:
        groups.setdefault((e.file, e.column, e.message), []).append(e)
    lines = []
    for (file, column, message), same in groups.items():
        rows = [e.row for e in same if e.row is not None]
        if len(rows) < 2:
            lines.extend(str(e) for e in same)
            continue
        where = f"{file}, rows {row_ranges(rows)} ({len(set(rows))} rows)"
        if column is not None:
            where += f", column {column!r}"
        lines.append(f"{where}: {message}")
        lines.extend(str(e) for e in same if e.row is None)
    return lines
