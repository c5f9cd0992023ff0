"""Markdown building blocks shared by the claims pages and the chapters: one way to write a table."""
from __future__ import annotations

from collections.abc import Iterable, Sequence


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A pipe table: header row, '|---|' rule, one line per row; cells are written as given (escape them first)."""
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        row = [str(c) for c in row]
        if len(row) != len(header):
            raise ValueError(f"a table row has {len(row)} cells, the header {len(header)}: {row}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
