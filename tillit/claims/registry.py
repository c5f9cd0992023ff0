"""The claims registry (data/claims.yaml): its schema, loading with errors that name file, line, claim and field."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import duckdb
import yaml
from pydantic import Field, StrictInt, ValidationError, field_validator

from tillit.tables.catalog import load_catalog
from tillit.core.files import repo_root
from tillit.claims.computations import FUNCTIONS
from tillit.core.errors import DataError, DataErrors
from tillit.core.chapter_registry import report_headings
from tillit.claims.quantifiers import Expectation, expectation, parse_number
from tillit.core.schema import StrictModel
from tillit.core.schema import problems as schema_problems

# The book's chapter ids and the report's own headings, from the chapter registry (notebooks/notebooks.yaml).
CHAPTERS: dict[str, str] = report_headings()
CLAIM_TYPES = ("ratio", "difference", "rank", "share", "level", "trend")

# How close the evidence of a computation is to what the report measured (per claim, in the registry).
SAME_MEASURE = "samma"        # the report's own measure and population (possibly a later edition of the series)
NEARBY_MEASURE = "närliggande"  # a proxy: another measure, source or population
# In what the evidence differs from the report's measure (`evidence.differs`): empty exactly when measure is samma.
DIFFERENCES = ("mått", "definition", "källa", "population", "urval", "period")
# Words in an evidence note that admit another measure: a note with one of them cannot grade its evidence samma.
_ADMISSIONS = re.compile(
    r"inte (?:helt )?jämförbar|inte helt (?:lika|samma)|inte samma (?:mått|källa|definition|population)"
    r"|(?:ett )?annat mått|en annan (?:källa|population|definition)|olika (?:mått|definitioner)"
    r"|räknas på olika sätt|\s[–-] inte\s", re.IGNORECASE)

# What a claim is about (`scope`): a lasting state, whose follow-up on later data can still hold or fail, or one past
# period, change or survey, which later data cannot overturn: its follow-up only describes what came after.
STATE = "state"
EVENT = "event"

# Where the year of a claim comes from when the quote does not give it (`year_basis`, with `year_note` saying how):
YEAR_FROM_CONTEXT = "sammanhang"  # the surrounding text gives it ("I undersökningen som publicerades 2016 …")
ASSUMED_YEAR = "antaget"          # the report gives no year: the registry assumes one and says why
# A citation in a quote ("(Försäkringskassan 2018)", "SKL (2016b)") names a publication, not the year claimed about.
_CITATION = re.compile(r"\([^()]*\b(?:19|20)\d\d[a-z]?\)")

_STRUCTURAL_EXPECTATIONS = {"sant"}  # expectations that are not words from the quote
_SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE"}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RegistryError(DataError):
    """A problem in the claims registry: names the registry file, the claim's line and the claim id."""


class RegistryErrors(DataErrors):
    """Several registry problems found in one pass."""


# --- the schema -----------------------------------------------------------------------------------------------------

class Needs(StrictModel):
    """The data a fair test with the report's own measure, population and period needs (Swedish)."""

    publisher: str = Field(min_length=2)
    table: str = Field(min_length=2)
    years: str = Field(min_length=4)


class Evidence(StrictModel):
    """How close the computation's evidence is to the claim, and why (Swedish, shown to readers). `differs` names
    what differs from the report's measure; it is empty exactly when the measure is the report's own (samma)."""

    measure: Literal["samma", "närliggande"]
    differs: list[Literal["mått", "definition", "källa", "population", "urval", "period"]] = Field(
        default_factory=list)
    note: str = Field(min_length=10)


class ContradictionEntry(StrictModel):
    claim: str
    line: StrictInt
    note: str


class Entry(StrictModel):
    """One entry of data/claims.yaml as written."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    chapter: str
    section: str
    line: StrictInt
    quote: str
    claim_type: Literal["ratio", "difference", "rank", "share", "level", "trend"]
    report_year: StrictInt
    expect: str | dict[str, str]
    missing: str
    needs: Needs
    tables: dict[str, list[str]] = Field(default_factory=dict)
    sql: str | None = None
    function: str | None = None
    params: dict[str, str] = Field(default_factory=dict)
    definition: str | None = None
    evidence: Evidence | None = None
    finding: str | None = None
    contradiction: ContradictionEntry | None = None
    scope: Literal["state", "event"]
    year_basis: Literal["sammanhang", "antaget"] | None = None
    year_note: str | None = None
    part: str | None = None
    criterion: str | None = None
    neutral: float | None = None
    continuous: bool = False
    min_years: StrictInt = 2
    universal: bool = False
    reference: Literal[0, 1] = 1
    coverage_unit: str = "enheter"

    @field_validator("chapter")
    @classmethod
    def _known_chapter(cls, value: str) -> str:
        if value not in CHAPTERS:
            raise ValueError(f"unknown chapter {value!r} (known: {', '.join(CHAPTERS)})")
        return value


class Registry(StrictModel):
    seed: str | None = None
    claims: list[dict]


# --- the claims as the code uses them ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Contradiction:
    claim: str
    line: int
    note: str


@dataclass(frozen=True)
class Claim:
    """One quantitative claim of the report and how to re-test it."""

    id: str
    chapter: str
    section: str
    line: int
    quote: str
    claim_type: str
    report_year: int
    expect: dict[str, str]
    missing: str
    needs: Needs | None = None
    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sql: str | None = None
    function: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    definition: str | None = None
    evidence: Evidence | None = None
    finding: str | None = None
    contradiction: Contradiction | None = None
    scope: str = STATE
    year_basis: str | None = None
    year_note: str | None = None
    part: str | None = None
    criterion: str | None = None
    neutral: float | None = None
    continuous: bool = False
    min_years: int = 2
    universal: bool = False
    reference: float = 1.0
    coverage_unit: str = "enheter"
    registry: str = ""
    registry_line: int | None = None

    @property
    def testable(self) -> bool:
        """Whether the registry says how to compute it (it may still lack data)."""
        return bool(self.sql or self.function)

    @property
    def same_measure(self) -> bool:
        return self.evidence is not None and self.evidence.measure == SAME_MEASURE

    @property
    def lasting(self) -> bool:
        """Whether the claim is about a lasting state (its follow-up can hold or fail), not one past period."""
        return self.scope == STATE

    @property
    def year_assumed(self) -> bool:
        """Whether the year is the registry's assumption: the report does not give it, even in the context."""
        return self.year_basis == ASSUMED_YEAR

    @property
    def expectations(self) -> dict[str, Expectation]:
        return {col: expectation(text, self.reference) for col, text in self.expect.items()}

    @property
    def param_values(self) -> dict[str, float]:
        """Query parameters: the number phrases under `params`, and `report_year` when the query asks for it."""
        values = {name: parse_number(text) for name, text in self.params.items()}
        if self.sql and "$report_year" in self.sql:
            values["report_year"] = self.report_year
        return values

    @property
    def anchor(self) -> str:
        """The claim's stable anchor in the book (a MyST label, also the HTML id)."""
        return f"pastaende-{self.id}"

    def __hash__(self) -> int:
        return hash((self.registry, self.id))



# --- loading and checking -------------------------------------------------------------------------------------------

def default_registry_path() -> Path:
    return repo_root() / "data" / "claims.yaml"


def normalize_text(text: str) -> str:
    """Report text as one line: words hyphenated across line breaks joined ('förtro-\\nende' → 'förtroende',
    'IHP-\\nstudien' → 'IHP-studien'), whitespace collapsed. A hyphen followed by a space ('hälso- och') is kept."""
    text = str(text).replace("\u00ad", "").replace("\u00a0", " ")
    text = re.sub(r"([a-zåäöéü])-\n\s*", r"\1", text)
    text = re.sub(r"([A-ZÅÄÖ0-9])-\n\s*", r"\1-", text)
    return re.sub(r"\s+", " ", text).strip()


def _claim_lines(text: str) -> list[int]:
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "claims" and isinstance(value, yaml.SequenceNode):
            return [node.start_mark.line + 1 for node in value.value]
    return []


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
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as err:
        raise RegistryError(shown, None, None, f"not valid YAML: {err}") from None
    try:
        registry = Registry.model_validate(raw if isinstance(raw, dict) else {"claims": raw})
    except ValidationError:
        raise RegistryError(shown, None, None, "expected a mapping with a list of claims under 'claims'") from None
    lines = _claim_lines(text)
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
    problems += [err(m) for m in _check_claim(claim, catalog, con if not problems else None)]
    return problems, (None if problems else claim)


def _check_claim(claim: Claim, catalog, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    problems = []
    source_text = (claim.quote + " " + (claim.definition or "")).casefold()
    for column, text in claim.expect.items():
        try:
            expectation(text, claim.reference)
        except (ValueError, KeyError) as exc:
            problems.append(f"cannot read expectation {text!r} for {column!r}: {exc}")
            continue
        if text.casefold() not in _STRUCTURAL_EXPECTATIONS and normalize_text(text).casefold() not in source_text:
            problems.append(f"expectation {text!r} is not words from the quote or definition")
    for name, text in claim.params.items():
        if normalize_text(text).casefold() not in source_text:
            problems.append(f"param {name!r} = {text!r} is not words from the quote or definition")
        try:
            parse_number(text)
        except ValueError as exc:
            problems.append(f"param {name!r}: {exc}")
    if claim.sql and claim.function:
        problems.append("give either sql or function, not both")
    if claim.testable:
        if not claim.tables and claim.function:
            problems.append("a computed claim must list the tables (and columns) it reads")
        if claim.evidence is None:
            problems.append("field 'evidence': a computed claim must say how close its evidence is "
                            "(measure: samma | närliggande, note)")
        if not claim.finding:
            problems.append("field 'finding': a computed claim needs a Swedish sentence template for its values")
    elif claim.evidence is not None or claim.finding:
        problems.append("fields 'evidence'/'finding' belong to computed claims (sql or function)")
    problems += _evidence_problems(claim)
    problems += _year_problems(claim)
    problems += _wording_problems(claim)
    if claim.finding:
        problems += _finding_problems(claim)
    for table, columns in claim.tables.items():
        if table not in catalog.tables:
            problems.append(f"unknown table {table!r} (not in the catalog {catalog.path}; "
                            f"known: {', '.join(sorted(catalog.tables))})")
            continue
        for column in columns:
            if column not in catalog.tables[table].columns:
                problems.append(f"unknown column {column!r} in table {table!r} (catalog {catalog.path}; "
                                f"known: {', '.join(catalog.tables[table].columns)})")
    if claim.function:
        comp = FUNCTIONS.get(claim.function)
        if comp is None:
            problems.append(f"unknown function {claim.function!r} (known: {', '.join(sorted(FUNCTIONS))})")
        else:
            for table, columns in comp.tables.items():
                missing = [c for c in columns if c not in claim.tables.get(table, ())]
                if missing:
                    problems.append(f"function {claim.function!r} reads {table}.{', '.join(missing)}, "
                                    f"which the claim does not list under tables")
    if claim.sql and con is not None and not problems:
        problems += _dry_run(claim, catalog, con)
    return problems


def _evidence_problems(claim: Claim) -> list[str]:
    """The grade must agree with what the note admits: 'samma' lists no difference and admits none in its words."""
    ev = claim.evidence
    if ev is None:
        return []
    if ev.measure == SAME_MEASURE:
        problems = []
        if ev.differs:
            problems.append(f"field 'evidence.differs': lists {', '.join(ev.differs)} but the measure is "
                            f"'{SAME_MEASURE}'; another measure, source, population or period is '{NEARBY_MEASURE}'")
        admitted = _ADMISSIONS.search(ev.note)
        if admitted:
            problems.append(f"field 'evidence.note' admits a difference ({admitted.group(0).strip()!r}) but the "
                            f"measure is '{SAME_MEASURE}': grade it '{NEARBY_MEASURE}' and list what differs")
        return problems
    if not ev.differs:
        return [f"field 'evidence.differs': a '{NEARBY_MEASURE}' measure must say what differs "
                f"({', '.join(DIFFERENCES)})"]
    return []


def _year_problems(claim: Claim) -> list[str]:
    """A computed claim whose quote does not give its year (citations do not count) must say where the year comes
    from: the context (`year_basis: sammanhang`) or an assumption (`antaget`), and why (`year_note`, Swedish)."""
    if (claim.year_basis is None) != (claim.year_note is None):
        return ["fields 'year_basis' and 'year_note' go together: where the year comes from, and how"]
    words = _CITATION.sub("", claim.quote + " " + (claim.definition or ""))
    stated = str(claim.report_year) in words
    if claim.testable and not stated and not claim.year_basis:
        return [f"field 'year_basis': the quote does not give the year {claim.report_year}; say whether the context "
                "gives it (sammanhang) or it is assumed (antaget), and why (year_note, Swedish, shown to readers)"]
    if stated and claim.year_basis:
        return [f"field 'year_basis': the quote gives the year {claim.report_year}; there is nothing to explain"]
    return []


def _wording_problems(claim: Claim) -> list[str]:
    """A stated ordering ('sant') needs the ordering in words (`criterion`); `neutral` must not lie inside a range."""
    problems = []
    if "sant" in {t.casefold() for t in claim.expect.values()} and not claim.criterion:
        problems.append("field 'criterion': an expectation 'sant' needs the ordering it stands for, in Swedish "
                        "('ordningen kommuner > landsting > staten')")
    if claim.neutral is None and claim.claim_type in ("ratio", "difference", "trend"):
        for column, text in claim.expect.items():
            try:
                exp = expectation(text, claim.reference)
            except (ValueError, KeyError):
                continue
            if exp.quantity is not None and exp.quantity.scale != "ratio":
                problems.append(f"field 'neutral': {text!r} ({column}) is a size of a difference; say which value "
                                "means no difference (0 for a growth or an excess in percent)")
    if claim.neutral is not None:
        for column, text in claim.expect.items():
            try:
                rng = expectation(text, claim.reference).range
            except (ValueError, KeyError):
                continue
            if rng.low < claim.neutral < rng.high:
                problems.append(f"field 'neutral': {claim.neutral} lies inside the range of {text!r} ({column}); "
                                "neutral is the value that means no difference")
    return problems


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?::(\d))?\}")


def _finding_problems(claim: Claim) -> list[str]:
    stripped = _PLACEHOLDER.sub("", claim.finding)
    if "{" in stripped or "}" in stripped:
        return ["field 'finding': placeholders are {column} or {column:N} (N decimals)"]
    return []


def finding_columns(claim: Claim) -> list[str]:
    """The computed columns a claim's finding sentence names."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(claim.finding or "")]


def _dry_run(claim: Claim, catalog, con: duckdb.DuckDBPyConnection) -> list[str]:
    """Run the query on empty tables that hold only the declared columns; report what fails."""
    try:
        read = con.get_table_names(re.sub(r"\$\w+", "NULL", claim.sql))
    except duckdb.Error as exc:
        return [f"the query does not parse: {exc}"]
    undeclared = sorted(read - set(claim.tables))
    if undeclared:
        return [f"the query reads table(s) {', '.join(undeclared)} not listed under tables"]
    for table, columns in claim.tables.items():
        cols = ", ".join(f'"{c}" {_SQL_TYPES[catalog.tables[table].columns[c].type]}' for c in columns)
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{table}" ({cols})')
    try:
        names = [d[0] for d in con.execute(claim.sql, claim.param_values or None).description]
    except duckdb.Error as exc:
        return [f"the query fails on the declared tables and columns: {exc}"]
    finally:
        for table in claim.tables:
            con.execute(f'DROP TABLE IF EXISTS "{table}"')
    absent = [n for n in ["year", *claim.expect, *finding_columns(claim)]
              if n not in names and n not in ("n_covered", "n_required")]
    return [f"the query returns no column(s) {', '.join(absent)}"] if absent else []


def seed_path(registry_path: Path | str | None = None) -> Path | None:
    """The report text the quotes come from, as named by the registry's `seed` (relative to the project)."""
    path = Path(registry_path) if registry_path else default_registry_path()
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    seed = raw.get("seed") if isinstance(raw, dict) else None
    return (repo_root() / seed).resolve() if seed else None


def quote_problems(claims: Iterable[Claim], seed_text: str, window: int = 40) -> list[str]:
    """Claims whose quote (or definition) is not in the report text, or does not start on the registered line."""
    lines = seed_text.split("\n")
    whole = normalize_text(seed_text)

    def from_line(n: int) -> str:
        return normalize_text("\n".join(lines[max(n - 1, 0): n - 1 + window]))

    problems = []
    for claim in claims:
        if claim.quote not in whole:
            problems.append(f"{claim.id}: quote not found in the report text")
        elif claim.quote not in from_line(claim.line) or claim.quote in from_line(claim.line + 1):
            problems.append(f"{claim.id}: quote does not start on line {claim.line}")
        if claim.definition and claim.definition not in whole:
            problems.append(f"{claim.id}: definition not found in the report text")
    return problems
