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
    """Several DataErrors found in one pass; str() lists them all, one per line."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
