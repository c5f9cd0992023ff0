"""What a publisher parser returns: the rows per catalog table with their provenance, and the context it is given."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tillit.core.errors import DataError


# --- what a parser returns ------------------------------------------------------------------------------------

PROVENANCE_FILLED_BY_PARSER = ("source_publisher", "source_title", "source_url", "source_type", "quote", "note")


@dataclass
class Context:
    """What the importer tells a parser: how to name the file, overrides, and metadata from sidecar files."""

    file: str                                   # display name used in every error message
    path: Path | None = None
    source_url: str | None = None               # where the file came from (set by `tillit fetch`)
    source_title: str | None = None             # override the title the parser would give
    table: str | None = None                    # --table: the analyst names the target table
    options: dict[str, Any] = field(default_factory=dict)   # format-specific (period, population, measure …)
    meta: dict[str, Any] = field(default_factory=dict)      # from metadata files imported alongside (Kolada KPI titles, FK labels)


@dataclass
class Parsed:
    """Rows for catalog tables read from one publisher file.

    Each frame holds the table's data columns, the provenance columns a parser can know (publisher, title, url,
    type, quote, note), `_line` (the row's line/record in the source file) and optionally `_src_<column>` naming
    the source column a catalog column was read from, row by row (used to point errors at the right cell)."""

    format: str
    publisher: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> catalog column -> source column
    notes: list[str] = field(default_factory=list)     # rows deliberately left out, and why
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # metadata offered to other files in the same import

    skipped: dict[str, int] = field(default_factory=dict)   # reason → rows left out

    def skip(self, reason: str) -> None:
        """Count a row deliberately left out; the reasons are reported (never a silent drop)."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add(self, table: str, rows, columns: dict[str, str] | None = None) -> None:
        if len(rows) == 0:
            return
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
        if table in self.tables:
            frame = pd.concat([self.tables[table], frame], ignore_index=True)
        self.tables[table] = frame
        if columns:
            self.columns.setdefault(table, {}).update(columns)


class NoTableFits(DataError):
    """The file is readable but no catalog table holds what it contains."""


