"""Numbers with identities: chapter code registers each number it computes under a stable key, and the records travel
with the executed notebook in an output the book does not render (so editions and diffs never scrape HTML).

A chapter writes `numbers.percent("sjukfranvaro-kon/riket/kvinnor/2017", r.K)` where it used `text.percent(r.K)`:
the Swedish text is the same, and the key, the value and the text are recorded. Keys are relative to the page; the
edition prefixes the page's id (`3-4/…`). A key names *what* the number is (section, measure, dimensions), never
the words around it, so rewording a sentence changes no key.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from tillit.core import cell_records
from tillit.report import text

MIME = "application/vnd.tillit.numbers+json"
KINDS = ("text", "chart", "claim")


@dataclass(frozen=True)
class Record:
    """One keyed number as the book shows it: value (None when missing), the displayed text, where it stands."""

    key: str
    value: float | None
    text: str
    kind: str = "text"
    anchor: str | None = None

    def as_list(self) -> list:
        return [self.key, self.value, self.text, self.kind, self.anchor]

    @classmethod
    def from_list(cls, item: list) -> "Record":
        return cls(*item)


_pending: list[Record] = []


def slug(part: object) -> str:
    """One key segment: lower case ASCII, digits and dashes ('Västra Götaland' → 'vastra-gotaland')."""
    s = str(part).casefold()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e"), ("ü", "u")):
        s = s.replace(a, b)
    s = re.sub(r"[^a-z0-9.]+", "-", s).strip("-")
    return s or "-"


def key(*parts: object) -> str:
    """'sjukfranvaro-kon', 'Riket', 2017 → 'sjukfranvaro-kon/riket/2017'."""
    return "/".join(slug(p) for p in parts)


def _clean(value) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def register(key_: str, value, shown: str, kind: str = "text", anchor: str | None = None) -> str:
    """Record one number and return its displayed text unchanged."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of {KINDS}")
    if not key_ or key_ != key_.strip("/"):
        raise ValueError(f"bad number key {key_!r}")
    _install_hook()
    _pending.append(Record(key_, _clean(value), shown, kind, anchor))
    return shown


def number(key_: str, value, decimals: int = 1, anchor: str | None = None) -> str:
    """text.number(value, decimals), recorded under `key_`."""
    return register(key_, value, text.number(value, decimals), anchor=anchor)


def percent(key_: str, value, decimals: int = 1, anchor: str | None = None) -> str:
    """text.percent(value, decimals), recorded under `key_`."""
    return register(key_, value, text.percent(value, decimals), anchor=anchor)


def anchor_pending(anchor: str) -> bool:
    """Give the prose numbers registered since the last anchor (those without one) the id of the passage that shows
    them, so that the change page links to the passage and not just the page. True if there were any."""
    found = False
    for i, rec in enumerate(_pending):
        if rec.anchor is None and rec.kind == "text":
            _pending[i] = Record(rec.key, rec.value, rec.text, rec.kind, anchor)
            found = True
    return found


def take() -> list[Record]:
    """The records registered since the last call (and forget them)."""
    out = list(_pending)
    _pending.clear()
    return out


def payload(records: list[Record]) -> dict:
    return {"version": 1, "numbers": [r.as_list() for r in records]}


def _take_payload() -> dict | None:
    records = take()
    return payload(records) if records else None


def _install_hook() -> None:
    """After each notebook cell, what the cell registered goes out as one output of our MIME type."""
    cell_records.emit_after_each_cell(MIME, _take_payload)


def records_of_notebook(nb) -> list[Record]:
    """Every record in an executed notebook's outputs, in document order."""
    return [Record.from_list(item) for p in cell_records.outputs_of(nb, MIME) for item in p["numbers"]]
