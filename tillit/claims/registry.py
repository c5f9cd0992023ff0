"""The claims registry (data/claims.yaml) loaded into checked Claim objects; errors name file, line, claim and field."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb
from pydantic import ValidationError
import yaml

from tillit.claims.checks import claim_problems
from tillit.claims.schema import (Claim, Contradiction, Entry, Evidence, Registry, RegistryError,
                                  RegistryErrors, normalize_text)
from tillit.core.errors import DataError
from tillit.core.files import repo_root
from tillit.core.schema import YAML_LOADER, list_lines
from tillit.core.schema import problems as schema_problems
from tillit.tables.catalog import load_catalog


def default_registry_path() -> Path:
    return repo_root() / "data" / "claims.yaml"


def load_registry(path: Path | str | None = None, data: Path | None = None) -> list[Claim]:
    """Read and check the registry; RegistryError / RegistryErrors name the file, the line, the claim id and field.

    Tables and columns are checked against the catalog in `data` (default: the project's data folder), and each
    query is dry-run on empty tables holding only the declared columns."""
    path = Path(path) if path else default_registry_path()
    text = path.read_text(encoding="utf-8")
    return list(_load_registry(str(path.resolve()), text, str(load_catalog(data).path)))


@lru_cache(maxsize=16)
def _load_registry(path_text: str, text: str, catalog_path: str) -> tuple[Claim, ...]:
    shown = _shown_path(Path(path_text))
    try:
        raw = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as err:
        raise RegistryError(shown, None, None, f"not valid YAML: {err}") from None
    try:
        registry = Registry.model_validate(raw if isinstance(raw, dict) else {"claims": raw})
    except ValidationError:
        raise RegistryError(shown, None, None, "expected a mapping with a list of claims under 'claims'") from None
    lines = list_lines(text, "claims")
    catalog = load_catalog(Path(catalog_path).parent)
    errors: list[DataError] = []
    claims: list[Claim] = []
    seen: set[str] = set()
    with duckdb.connect() as con:
        for index, entry in enumerate(registry.claims):
            line = lines[index] if index < len(lines) else None
            problems, claim = _check_entry(entry, index, catalog, shown, line, con)
            errors += problems
            if claim is not None:
                if claim.id in seen:
                    errors.append(RegistryError(shown, line, None, f"claim {claim.id!r}: the id is used twice"))
                seen.add(claim.id)
                claims.append(claim)
    by_id = {c.id: c for c in claims}
    for claim in claims:
        if claim.contradiction and claim.contradiction.claim not in by_id:
            errors.append(RegistryError(shown, claim.registry_line, None,
                                        f"claim {claim.id!r}: contradiction names unknown claim "
                                        f"{claim.contradiction.claim!r}"))
    if errors:
        raise errors[0] if len(errors) == 1 else RegistryErrors(errors)
    return tuple(claims)


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(repo_root()))
    except ValueError:
        return str(path)


def _check_entry(entry, index: int, catalog, shown: str, line: int | None,
                 con: duckdb.DuckDBPyConnection) -> tuple[list[DataError], Claim | None]:
    ident = entry.get("id", f"#{index + 1}") if isinstance(entry, dict) else f"#{index + 1}"

    def err(message: str) -> DataError:
        return RegistryError(shown, line, None, f"claim {ident!r}: {message}")

    try:
        parsed = Entry.model_validate(entry)
    except ValidationError as exc:
        return [err(m) for m in schema_problems(exc, entry_parts=0, known=list(Entry.model_fields))], None
    problems = []
    if not parsed.section.startswith(parsed.chapter[:3].replace("-", ".")):
        problems.append(err(f"section {parsed.section!r} is not in chapter {parsed.chapter!r}"))
    expect = parsed.expect if isinstance(parsed.expect, dict) else {"value": parsed.expect}
    contradiction = (Contradiction(parsed.contradiction.claim, parsed.contradiction.line, parsed.contradiction.note)
                     if parsed.contradiction else None)
    claim = Claim(
        id=parsed.id, chapter=parsed.chapter, section=parsed.section, line=parsed.line,
        quote=normalize_text(parsed.quote), claim_type=parsed.claim_type, report_year=parsed.report_year,
        expect={str(k): str(v) for k, v in expect.items()}, missing=normalize_text(parsed.missing),
        needs=parsed.needs, tables={t: tuple(cols) for t, cols in parsed.tables.items()}, sql=parsed.sql,
        function=parsed.function, params=dict(parsed.params),
        definition=normalize_text(parsed.definition) if parsed.definition else None,
        evidence=(Evidence(measure=parsed.evidence.measure, differs=list(parsed.evidence.differs),
                           note=normalize_text(parsed.evidence.note))
                  if parsed.evidence else None),
        finding=normalize_text(parsed.finding) if parsed.finding else None, contradiction=contradiction,
        scope=parsed.scope, year_basis=parsed.year_basis,
        year_note=normalize_text(parsed.year_note) if parsed.year_note else None,
        part=normalize_text(parsed.part) if parsed.part else None,
        criterion=normalize_text(parsed.criterion) if parsed.criterion else None,
        neutral=float(parsed.neutral) if parsed.neutral is not None else None,
        continuous=parsed.continuous, min_years=parsed.min_years, universal=parsed.universal,
        reference=float(parsed.reference), coverage_unit=parsed.coverage_unit, registry=shown, registry_line=line,
    )
    problems += [err(m) for m in claim_problems(claim, catalog, con if not problems else None)]
    return problems, (None if problems else claim)


def seed_path(registry_path: Path | str | None = None) -> Path | None:
    """The report text the quotes come from, as named by the registry's `seed` (relative to the project)."""
    path = Path(registry_path) if registry_path else default_registry_path()
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    seed = raw.get("seed") if isinstance(raw, dict) else None
    return (repo_root() / seed).resolve() if seed else None
