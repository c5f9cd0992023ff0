"""The registry of the report's quantitative claims (data/claims.yaml): load, check, re-test on the store."""
from __future__ import annotations

import math
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from tillit.catalog import load_catalog, repo_root, vocab
from tillit.errors import DataError, DataErrors
from tillit.quantifiers import Expectation, expectation, number, parse_number

# The book's chapter ids and the report's own headings.
CHAPTERS: dict[str, str] = {
    "2-1-medarbetarna": "2.1 Sveriges välfärd är i världsklass – men har potential att bli ännu bättre",
    "3-1-medborgarfokus": "3.1 Bristande medborgarfokus",
    "3-2-helhetsperspektiv": "3.2 Frånvaro av helhetsperspektiv",
    "3-3-detaljstyrning": "3.3 Detaljstyrning och administrativa tidstjuvar",
    "3-4-ledarskap": "3.4 Frånvarande ledarskap och bristande stöd till medarbetarna",
    "3-5-kompetensforsorjning": "3.5 Bristande kompetensförsörjning och kunskapsutveckling",
    "3-6-styrning": "3.6 Problemen har sin grund i styrning och ledning",
}
CLAIM_TYPES = ("ratio", "difference", "rank", "share", "level", "trend")

HOLDS = "håller"
FAILS = "håller inte"
UNTESTABLE = "kan inte prövas"
REPORT_YEAR = "rapportår"
LATEST_YEAR = "senaste år"

_REQUIRED = ("id", "chapter", "section", "line", "quote", "claim_type", "report_year", "expect", "missing")
_OPTIONAL = ("tables", "sql", "function", "params", "definition", "caveat", "contradiction", "continuous",
             "min_years", "universal", "reference", "unit", "labels", "coverage_unit")
_STRUCTURAL_EXPECTATIONS = {"sant"}  # expectations that are not words from the quote
_SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE"}
_COVERAGE_COLUMNS = ("n_covered", "n_required")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RegistryError(DataError):
    """A problem in the claims registry: names the registry file, the claim's line and the claim id."""


class RegistryErrors(DataErrors):
    """Several registry problems found in one pass."""


class ClaimError(Exception):
    """A claim's computation did not return what the registry promised (a bug, not missing data)."""


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
    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sql: str | None = None
    function: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    definition: str | None = None
    caveat: str | None = None
    contradiction: Contradiction | None = None
    continuous: bool = False
    min_years: int = 2
    universal: bool = False
    reference: float = 1.0
    unit: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    coverage_unit: str = "enheter"
    registry: str = ""
    registry_line: int | None = None

    @property
    def testable(self) -> bool:
        """Whether the registry says how to compute it (it may still lack data)."""
        return bool(self.sql or self.function)

    @property
    def expectations(self) -> dict[str, Expectation]:
        return {col: expectation(text, self.reference) for col, text in self.expect.items()}

    @property
    def param_values(self) -> dict[str, float]:
        return {name: parse_number(text) for name, text in self.params.items()}

    def __hash__(self) -> int:
        return hash((self.registry, self.id))

    def label(self, column: str) -> str:
        if column in self.labels:
            return self.labels[column]
        return "beräknat värde" if column == "value" else column.replace("_", " ")


@dataclass(frozen=True)
class YearResult:
    """A claim judged on one year."""

    basis: str
    year: int | None
    status: str
    values: dict[str, float]
    compared: dict[str, float]
    reason: str


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    report: YearResult
    latest: YearResult

    @property
    def rows(self) -> list[YearResult]:
        return [self.report, self.latest]


# --- computations written in Python ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Computation:
    name: str
    func: Callable[[object, Claim], pd.DataFrame]
    tables: dict[str, tuple[str, ...]]


FUNCTIONS: dict[str, Computation] = {}


def computation(name: str, tables: dict[str, Iterable[str]]):
    """Register a Python computation for claims whose test is awkward in SQL; it returns one row per year."""

    def register(func):
        FUNCTIONS[name] = Computation(name, func, {t: tuple(c) for t, c in tables.items()})
        return func

    return register


@computation("nurses_leaving_since",
             tables={"omsattning_sjukskoterskor": ["period", "region_code", "measure", "value"]})
def nurses_leaving_since(store, claim: Claim) -> pd.DataFrame:
    """Per year after the base year (param `basar`): the smallest ratio, over landsting, of nurses leaving
    (excluding retirements) that year to the base year; n_covered/n_required count landsting with both years."""
    base = int(claim.param_values["basar"])
    frame = store.sql(
        "SELECT period, region_code, value FROM omsattning_sjukskoterskor "
        "WHERE measure = 'slutat_exkl_pension_per_100'"
    )
    n_landsting = len([code for code in vocab("region").labels if code != "00"])
    base_values = frame[frame["period"] == base].set_index("region_code")["value"]
    later = frame[(frame["period"] > base) & frame["region_code"].isin(base_values.index)]
    rows = []
    for year, group in later.groupby("period"):
        ratios = group.set_index("region_code")["value"] / base_values.reindex(group["region_code"]).to_numpy()
        rows.append({"year": int(year), "value": float(ratios.min()), "okade_landsting": int((ratios > 1).sum()),
                     "n_covered": len(ratios), "n_required": n_landsting})
    return pd.DataFrame(rows, columns=["year", "value", "okade_landsting", "n_covered", "n_required"])


_MONEY = {"miljarder kronor": 1e9, "miljoner kronor": 1e6}


@computation("hired_staff_cost_growth", tables={"inhyrd_personal": ["period", "measure", "value", "unit"]})
def hired_staff_cost_growth(store, claim: Claim) -> pd.DataFrame:
    """Per year: the percent growth of the cost of hired staff from the year before, from the two years' costs or,
    where the earlier cost is missing, from the stated increase ('ökning … jämfört med ÅÅÅÅ')."""
    frame = store.sql("SELECT period, measure, value, unit FROM inhyrd_personal")
    cost: dict[int, float] = {}
    increase: dict[int, tuple[int, float]] = {}
    for row in frame.itertuples(index=False):
        if not str(row.period).isdigit() or row.unit not in _MONEY:
            continue
        year, amount = int(row.period), float(row.value) * _MONEY[row.unit]
        if row.measure == "kostnad för inhyrd personal":
            cost[year] = amount
        match = re.fullmatch(r"ökning av kostnad för inhyrd personal jämfört med (\d{4})", str(row.measure))
        if match:
            increase[year] = (int(match.group(1)), amount)
    rows = []
    for year in sorted(cost):
        before = cost.get(year - 1)
        if before is None and increase.get(year, (None,))[0] == year - 1:
            before = cost[year] - increase[year][1]
        if before:
            rows.append({"year": year, "kostnad_mdkr": cost[year] / 1e9, "foregaende_ar_mdkr": before / 1e9,
                         "okning_procent": 100 * (cost[year] / before - 1)})
    return pd.DataFrame(rows, columns=["year", "kostnad_mdkr", "foregaende_ar_mdkr", "okning_procent"])


# --- loading and checking the registry --------------------------------------------------------------------------

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
    """Read and check the registry; RegistryError / RegistryErrors name the file, the line and the claim id.

    Tables and columns are checked against the catalog in `data` (default: the project's data folder), and each
    query is dry-run on empty tables holding only the declared columns."""
    path = Path(path) if path else default_registry_path()
    text = path.read_text(encoding="utf-8")
    return list(_load_registry(str(path.resolve()), text, str(load_catalog(data).path)))


@lru_cache(maxsize=16)
def _load_registry(path_text: str, text: str, catalog_path: str) -> tuple[Claim, ...]:
    path = Path(path_text)
    shown = _shown_path(path)
    try:
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as err:
        raise RegistryError(shown, None, None, f"not valid YAML: {err}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("claims"), list):
        raise RegistryError(shown, None, None, "expected a mapping with a list under 'claims'")
    lines = _claim_lines(text)
    catalog = load_catalog(Path(catalog_path).parent)
    errors: list[DataError] = []
    claims: list[Claim] = []
    seen: set[str] = set()
    with duckdb.connect() as con:
        for index, entry in enumerate(raw["claims"]):
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
    def err(message: str) -> DataError:
        return RegistryError(shown, line, None, f"claim {ident!r}: {message}")

    ident = entry.get("id", f"#{index + 1}") if isinstance(entry, dict) else f"#{index + 1}"
    if not isinstance(entry, dict):
        return [err("expected a mapping")], None
    problems = [err(f"missing field {k!r}") for k in _REQUIRED if k not in entry]
    problems += [err(f"unknown field {k!r} (known: {', '.join(_REQUIRED + _OPTIONAL)})")
                 for k in entry if k not in _REQUIRED + _OPTIONAL]
    if problems:
        return problems, None
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(entry["id"])):
        problems.append(err("id must be lower-case words joined by '-'"))
    if entry["chapter"] not in CHAPTERS:
        problems.append(err(f"unknown chapter {entry['chapter']!r} (known: {', '.join(CHAPTERS)})"))
    elif not str(entry["section"]).startswith(entry["chapter"][:3].replace("-", ".")):
        problems.append(err(f"section {entry['section']!r} is not in chapter {entry['chapter']!r}"))
    if entry["claim_type"] not in CLAIM_TYPES:
        problems.append(err(f"unknown claim_type {entry['claim_type']!r} (known: {', '.join(CLAIM_TYPES)})"))
    for key in ("line", "report_year"):
        if not isinstance(entry[key], int) or isinstance(entry[key], bool):
            problems.append(err(f"{key} must be a whole number"))
    expect = entry["expect"] if isinstance(entry["expect"], dict) else {"value": entry["expect"]}
    params = entry.get("params") or {}
    if not isinstance(params, dict):
        problems.append(err("params must be a mapping of name → phrase"))
        params = {}
    tables = entry.get("tables") or {}
    if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
        problems.append(err("tables must map each table to a list of its columns"))
        tables = {}
    reference = float(entry.get("reference", 1.0))
    if reference not in (0.0, 1.0):
        problems.append(err("reference must be 1 (a ratio) or 0 (a difference)"))
    contradiction = None
    if "contradiction" in entry:
        c = entry["contradiction"]
        if not isinstance(c, dict) or set(c) != {"claim", "line", "note"}:
            problems.append(err("contradiction needs exactly: claim, line, note"))
        else:
            contradiction = Contradiction(str(c["claim"]), int(c["line"]), str(c["note"]))
    unit = entry.get("unit") or {}
    unit = unit if isinstance(unit, dict) else {col: unit for col in expect}
    claim = Claim(
        id=entry["id"], chapter=entry["chapter"], section=str(entry["section"]), line=entry["line"],
        quote=normalize_text(entry["quote"]), claim_type=entry["claim_type"], report_year=entry["report_year"],
        expect={str(k): str(v) for k, v in expect.items()}, missing=normalize_text(entry["missing"]),
        tables={t: tuple(cols) for t, cols in tables.items()}, sql=entry.get("sql"), function=entry.get("function"),
        params={str(k): str(v) for k, v in params.items()},
        definition=normalize_text(entry["definition"]) if entry.get("definition") else None,
        caveat=normalize_text(entry["caveat"]) if entry.get("caveat") else None, contradiction=contradiction,
        continuous=bool(entry.get("continuous", False)), min_years=int(entry.get("min_years", 2)),
        universal=bool(entry.get("universal", False)), reference=reference,
        unit={str(k): str(v) for k, v in unit.items()},
        labels={str(k): str(v) for k, v in (entry.get("labels") or {}).items()},
        coverage_unit=str(entry.get("coverage_unit", "enheter")), registry=shown, registry_line=line,
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
    if claim.testable and not claim.tables:
        problems.append("a computed claim must list the tables (and columns) it reads")
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
    absent = [n for n in ["year", *claim.expect] if n not in names]
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


# --- evaluating ----------------------------------------------------------------------------------------------------

def compute(claim: Claim, store) -> pd.DataFrame:
    """The claim's values per year as a frame with a `year` column (empty when the claim has no computation)."""
    if claim.sql:
        try:
            frame = store.sql(claim.sql, **claim.param_values)
        except duckdb.Error as exc:
            raise ClaimError(f"{claim.registry}: claim {claim.id!r}: the query failed: {exc}") from exc
    elif claim.function:
        frame = FUNCTIONS[claim.function].func(store, claim)
    else:
        return pd.DataFrame(columns=["year", *claim.expect])
    absent = [c for c in ["year", *claim.expect] if c not in frame.columns]
    if absent:
        raise ClaimError(f"{claim.registry}: claim {claim.id!r}: the computation returns no column(s) "
                         f"{', '.join(absent)}")
    frame = frame[frame["year"].notna()].copy()
    frame["year"] = frame["year"].astype(int)
    if frame["year"].duplicated().any():
        raise ClaimError(f"{claim.registry}: claim {claim.id!r}: the computation returns more than one row "
                         f"for year(s) {sorted(set(frame.loc[frame['year'].duplicated(), 'year']))}")
    return frame.sort_values("year").reset_index(drop=True)


def _is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA or x is pd.NaT


def _numeric(row: pd.Series) -> dict[str, float]:
    values = {}
    for name, value in row.items():
        if name == "year" or name in _COVERAGE_COLUMNS:
            continue
        try:
            values[name] = float(value)
        except (TypeError, ValueError):
            continue
    return values


def _describe_values(claim: Claim, compared: dict[str, float]) -> str:
    parts = []
    for column, value in compared.items():
        unit = claim.unit.get(column, "")
        parts.append(f"{claim.label(column)} {number(value)}{' ' + unit if unit else ''}")
    return "; ".join(parts)


def _judge_row(claim: Claim, row: pd.Series) -> tuple[str, str]:
    """(status, reason) for one year's values, ignoring continuity."""
    year = int(row["year"])
    compared = {c: row[c] for c in claim.expect}
    absent = [c for c, v in compared.items() if _is_missing(v)]
    if absent:
        return UNTESTABLE, f"Värden saknas för {year} ({', '.join(claim.label(c) for c in absent)}). {claim.missing}"
    expectations = claim.expectations
    verdicts = []
    ok = True
    for column, value in compared.items():
        exp = expectations[column]
        inside = exp.range.contains(float(value))
        ok &= inside
        unit = claim.unit.get(column, "")
        verdicts.append(f"{claim.label(column)}: {number(float(value))}{' ' + unit if unit else ''} "
                        f"({'inom' if inside else 'utanför'} {exp.range.describe()}, som ”{exp.text}” medger)")
    reason = f"{year}: " + "; ".join(verdicts) + "."
    if "n_covered" in row.index:
        covered = row["n_covered"]
        required = row.get("n_required")
        complete = not _is_missing(required) and not _is_missing(covered) and covered >= required
        if not complete:
            if _is_missing(required):
                coverage = f"Data för {year} täcker bara ett urval ({int(covered)} {claim.coverage_unit})."
            else:
                coverage = f"Data för {year} täcker bara {int(covered)} av {int(required)} {claim.coverage_unit}."
            if not ok and claim.universal:
                return FAILS, f"{reason} {coverage} Redan dessa motsäger påståendet."
            return UNTESTABLE, f"{coverage} {claim.missing} {reason}"
    return (HOLDS if ok else FAILS), reason


def _judge(claim: Claim, frame: pd.DataFrame, year: int | None, basis: str) -> YearResult:
    if year is None or frame.empty or year not in set(frame["year"]):
        reason = (f"Data för {year} saknas. {claim.missing}" if year is not None
                  else f"Data saknas. {claim.missing}")
        if not claim.testable:
            reason = claim.missing
        return YearResult(basis, year, UNTESTABLE, {}, {}, reason)
    row = frame[frame["year"] == year].iloc[0]
    values = _numeric(row)
    compared = {c: values.get(c, math.nan) for c in claim.expect}
    status, reason = _judge_row(claim, row)
    if claim.continuous and status != UNTESTABLE:
        earlier = frame[frame["year"] <= year]
        judged = [(int(r["year"]), *_judge_row(claim, r)) for _, r in earlier.iterrows()]
        judged = [j for j in judged if j[1] != UNTESTABLE]
        failed = [(y, why) for y, s, why in judged if s == FAILS]
        if failed:
            status = FAILS
            reason = (f"Påståendet gäller över tid, men håller inte {', '.join(str(y) for y, _ in failed)}: "
                      f"{failed[0][1]}")
        elif len(judged) < claim.min_years:
            status = UNTESTABLE
            years = ", ".join(str(y) for y, _, _ in judged)
            reason = (f"Påståendet gäller över tid men data finns bara för {years} (minst {claim.min_years} år "
                      f"behövs). {claim.missing} {reason}")
        else:
            status = HOLDS
            reason = f"Håller alla {len(judged)} år {judged[0][0]}–{judged[-1][0]}. {reason}"
    if basis == LATEST_YEAR and year < claim.report_year:
        reason += f" Senaste år med data ({year}) ligger före rapportens år ({claim.report_year})."
    if claim.caveat:
        reason += f" Obs: {claim.caveat}"
    return YearResult(basis, year, status, values, compared, reason.strip())


def _latest_year(claim: Claim, frame: pd.DataFrame) -> int | None:
    if frame.empty:
        return None
    complete = frame.dropna(subset=list(claim.expect))
    return int((complete if not complete.empty else frame)["year"].max())


def evaluate(claim: Claim, store) -> ClaimResult:
    """Judge a claim on the report's year (where the data has it) and on the latest year with data."""
    frame = compute(claim, store)
    report = _judge(claim, frame, claim.report_year, REPORT_YEAR)
    latest = _judge(claim, frame, _latest_year(claim, frame), LATEST_YEAR)
    return ClaimResult(claim, report, latest)


RESULT_COLUMNS = ["id", "chapter", "section", "line", "quote", "claim_type", "basis", "report_year", "year", "status",
                  "value", "values", "compared", "values_text", "expected", "reason", "caveat", "contradiction"]


def results_frame(results: Iterable[ClaimResult]) -> pd.DataFrame:
    """One row per claim × {report year, latest year}."""
    results = list(results)
    quotes = {r.claim.id: r.claim.quote for r in results}
    rows = []
    for result in results:
        claim = result.claim
        expected = "; ".join(f"{claim.label(c)}: ”{e.text}” = {e.range.describe()}"
                             for c, e in claim.expectations.items())
        contradiction = None
        if claim.contradiction:
            c = claim.contradiction
            other = f": ”{quotes[c.claim]}”" if c.claim in quotes else f" ({c.claim})"
            contradiction = f"{c.note} Jämför rad {c.line}{other}"
        first = next(iter(claim.expect))
        for year_result in result.rows:
            compared = {k: v for k, v in year_result.compared.items() if not _is_missing(v)}
            rows.append({
                "id": claim.id, "chapter": claim.chapter, "section": claim.section, "line": claim.line,
                "quote": claim.quote, "claim_type": claim.claim_type, "basis": year_result.basis,
                "report_year": claim.report_year, "year": year_result.year, "status": year_result.status,
                "value": year_result.compared.get(first, math.nan), "values": year_result.values,
                "compared": year_result.compared, "values_text": _describe_values(claim, compared),
                "expected": expected, "reason": year_result.reason, "caveat": claim.caveat,
                "contradiction": contradiction,
            })
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def evaluate_all(store, registry: Iterable[Claim] | Path | str | None = None) -> pd.DataFrame:
    """Evaluate every claim: a frame with one row per claim × {rapportår, senaste år}."""
    claims = load_registry(registry) if registry is None or isinstance(registry, (str, Path)) else list(registry)
    return results_frame(evaluate(claim, store) for claim in claims)


# --- Markdown -------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&$])")


def escape_markdown(text: str) -> str:
    """Text safe to place in Markdown (and in HTML via Markdown): specials backslash-escaped, one line."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return _MD_SPECIAL.sub(r"\\\1", text)


def _as_frame(results) -> pd.DataFrame:
    if isinstance(results, pd.DataFrame):
        return results
    return results_frame(results)


def _status_cell(row: pd.Series, with_reason: bool) -> str:
    year = "" if _is_missing(row["year"]) else f" {int(row['year'])}"
    text = f"**{escape_markdown(row['status'])}**{year}"
    if isinstance(row["values_text"], str) and row["values_text"]:
        text += ": " + escape_markdown(row["values_text"])
    if with_reason and row["status"] == UNTESTABLE:
        text += " – " + escape_markdown(row["reason"])
    return text


def _chapter_link(chapter: str, link_for_chapter: dict[str, str]) -> str:
    title = escape_markdown(CHAPTERS.get(chapter, chapter))
    target = link_for_chapter.get(chapter)
    if not target:
        return title
    return f"[{title}]({urllib.parse.quote(target, safe='/:#?=&.-_~%')})"


def markdown_table(results, link_for_chapter: dict[str, str]) -> str:
    """A Swedish Markdown table, one line per claim: quote, status and values on the report's year and on the
    latest year, and a link to the chapter."""
    frame = _as_frame(results)
    lines = ["| Påstående | Rapportens år | Senaste år | Kapitel |", "|---|---|---|---|"]
    for claim_id, group in frame.groupby("id", sort=False):
        report = group[group["basis"] == REPORT_YEAR].iloc[0]
        latest = group[group["basis"] == LATEST_YEAR].iloc[0]
        quote = f"”{escape_markdown(report['quote'])}” (avsnitt {escape_markdown(report['section'])})"
        if isinstance(report["contradiction"], str):
            quote += f" – motsägelse i rapporten: {escape_markdown(report['contradiction'])}"
        cells = [quote, _status_cell(report, with_reason=True), _status_cell(latest, with_reason=False),
                 _chapter_link(report["chapter"], link_for_chapter)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def claim_badges(results, chapter_id: str) -> str:
    """Markdown for one chapter: each claim's quote with its status on the report's year and the latest year."""
    frame = _as_frame(results)
    frame = frame[frame["chapter"] == chapter_id]
    if frame.empty:
        return "Inga kvantitativa påståenden från rapporten är registrerade för det här avsnittet.\n"
    items = []
    for claim_id, group in frame.groupby("id", sort=False):
        report = group[group["basis"] == REPORT_YEAR].iloc[0]
        latest = group[group["basis"] == LATEST_YEAR].iloc[0]
        item = (f"- ”{escape_markdown(report['quote'])}” — {_status_cell(report, with_reason=False)}"
                f" · senaste år: {_status_cell(latest, with_reason=False)}")
        details = [r["reason"] for r in (report, latest) if r["status"] != UNTESTABLE]
        if not details:  # neither year could be tested: say why, for the latest year only if it had data
            details = [report["reason"]] + ([latest["reason"]] if not _is_missing(latest["year"]) else [])
        details = list(dict.fromkeys(details))
        if isinstance(report["contradiction"], str):
            details.append(f"Motsägelse i rapporten: {report['contradiction']}")
        item += "".join(f"\n\n  {escape_markdown(d)}" for d in details)
        items.append(item)
    return "\n".join(items) + "\n"
