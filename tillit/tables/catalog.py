"""The catalog and the vocabularies: what every table, column and code means (data/catalog.yaml, data/vocab.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError

from tillit.core.errors import DataError
from tillit.core.files import data_dir, file_sha256
from tillit.core.schema import StrictModel, problems


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str = ""
    key: bool = False
    vocab: str | None = None
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    nullable: bool = False
    unit: str | None = None
    format: str | None = None   # "url": only absolute http(s) addresses (tillit/core/links.py)


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    facts: tuple[str, ...]              # the facts files compiled into the table, in order of precedence
    columns: dict[str, Column]
    coverage: str = ""
    missing: str = ""

    @property
    def key(self) -> list[str]:
        return [c.name for c in self.columns.values() if c.key]

    @property
    def data_columns(self) -> list[str]:
        return list(self.columns)

    def path(self, data: Path | None = None) -> Path:
        return (data or data_dir()) / "tables" / f"{self.name}.csv"


@dataclass(frozen=True)
class Catalog:
    tables: dict[str, Table]
    provenance: dict[str, Column]
    path: Path = field(compare=False)

    def __getitem__(self, name: str) -> Table:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"{self.path}: no table named {name!r} (known: {', '.join(sorted(self.tables))})") from None


def _facts_files(spec) -> tuple[str, ...]:
    if not spec:
        return ()
    return (spec,) if isinstance(spec, str) else tuple(spec)


def _column(name: str, spec: dict) -> Column:
    spec = dict(spec)
    if spec.get("allowed") is not None:
        spec["allowed"] = tuple(str(v) for v in spec["allowed"])
    return Column(name=name, **spec)


class ColumnSpec(StrictModel):
    """One column as data/catalog.yaml writes it."""

    type: Literal["string", "integer", "number"]
    description: str = ""
    key: bool = False
    vocab: str | None = None
    allowed: list[str | int | float] | None = None
    min: float | None = None
    max: float | None = None
    nullable: bool = False
    unit: str | None = None
    format: Literal["url"] | None = None


class TableSpec(StrictModel):
    """One table as data/catalog.yaml writes it."""

    title: str = Field(min_length=3)
    description: str = Field(min_length=3)
    facts: str | list[str] | None = None
    columns: dict[str, ColumnSpec] = Field(min_length=1)
    coverage: str | int = ""
    missing: str = ""


class CatalogSpec(StrictModel):
    provenance: dict[str, ColumnSpec]
    tables: dict[str, TableSpec]


class CatalogError(DataError):
    """data/catalog.yaml does not follow its schema: names the file, the table (or section) and the field."""


def _catalog_spec(path: Path, raw) -> CatalogSpec:
    try:
        return CatalogSpec.model_validate(raw)
    except ValidationError as err:
        raise CatalogError(str(path), None, None, "; ".join(problems(err))) from None


@cache
def _load_catalog(path: Path) -> Catalog:
    spec = _catalog_spec(path, yaml.safe_load(path.read_text(encoding="utf-8")))
    provenance = {n: _column(n, c.model_dump()) for n, c in spec.provenance.items()}
    tables = {}
    for name, table in spec.tables.items():
        columns = {n: _column(n, c.model_dump()) for n, c in table.columns.items()}
        columns.update(provenance)
        tables[name] = Table(
            name=name,
            title=table.title,
            description=table.description.strip(),
            facts=_facts_files(table.facts),
            columns=columns,
            coverage=str(table.coverage),
            missing=table.missing.strip(),
        )
    return Catalog(tables=tables, provenance=provenance, path=path)


def load_catalog(data: Path | None = None) -> Catalog:
    return _load_catalog((data or data_dir()) / "catalog.yaml")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u00a0", " ")).strip().casefold()


@dataclass(frozen=True)
class Vocab:
    """Codes and labels of one vocabulary (sex, sector, region, kommun, publisher)."""

    kind: str
    labels: dict[str, str]
    aliases: dict[str, str]
    pattern: re.Pattern | None = None  # codes accepted by their structure, beyond the listed ones

    def code(self, text: str) -> str:
        """The code for a code, label or alias; KeyError with the known codes otherwise."""
        text = str(text)
        if text in self:
            return text
        found = self.aliases.get(_norm(text))
        if found is None:
            raise KeyError(f"unknown {self.kind} {text!r}")
        return found

    def label(self, code: str) -> str:
        """The Swedish label; a code accepted only by its structure is its own label."""
        return self.labels.get(code, code)

    def __contains__(self, code: object) -> bool:
        return code in self.labels or (self.pattern is not None and isinstance(code, str)
                                       and self.pattern.fullmatch(code) is not None)


@cache
def _load_vocab(path: Path) -> dict[str, Vocab]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    patterns = raw.pop("patterns", None) or {}
    vocabs = {}
    for kind, entries in raw.items():
        labels, aliases = {}, {}
        for code, spec in entries.items():
            code = str(code)
            spec = spec or {}
            labels[code] = spec.get("label", code)
            for alias in [code, spec.get("label", code), *spec.get("aliases", [])]:
                aliases[_norm(alias)] = code
        vocabs[kind] = Vocab(kind, labels, aliases)
    regions = "(" + "|".join(re.escape(c) for c in vocabs["region"].labels if c != "00") + ")"
    for kind, pattern in patterns.items():
        vocabs[kind] = Vocab(kind, vocabs[kind].labels, vocabs[kind].aliases,
                             re.compile(pattern.replace("{region}", regions)))
    return vocabs


def vocab(kind: str, data: Path | None = None) -> Vocab:
    return _load_vocab((data or data_dir()) / "vocab.yaml")[kind]


def publisher_of(title: str, data: Path | None = None) -> str:
    """The publisher named by a source title: a known prefix from vocab.yaml, else the name before ':' / ' – ' / a date."""
    pubs = vocab("publisher", data)
    norm = _norm(title)
    best = max((a for a in pubs.aliases if norm.startswith(a)), key=len, default=None)
    if best is not None:
        return pubs.aliases[best]
    head = re.split(r":| – | \(", title, maxsplit=1)[0]
    head = re.sub(r"\s+\d{4}(-\d{2}){0,2}$", "", head.strip())
    return head


def table_checksums(data: Path | None = None) -> dict[str, str]:
    """sha256 of every table file named in the catalog (what caches and the store are keyed on)."""
    catalog = load_catalog(data)
    return {name: file_sha256(t.path(data)) for name, t in catalog.tables.items()}
