"""The checks a claim passes beyond its schema: catalog tables and columns, wording, years, evidence, a dry run."""
from __future__ import annotations

from collections.abc import Iterable
import re

import duckdb

from tillit.claims.computations import FUNCTIONS
from tillit.claims.quantifiers import expectation, parse_number
from tillit.claims.schema import (ADMISSIONS, CITATION, DIFFERENCES, NEARBY_MEASURE, PLACEHOLDER, SAME_MEASURE,
                                  SQL_TYPES, STRUCTURAL_EXPECTATIONS, Claim, finding_columns, normalize_text)


def claim_problems(claim: Claim, catalog, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    problems = []
    source_text = (claim.quote + " " + (claim.definition or "")).casefold()
    for column, text in claim.expect.items():
        try:
            expectation(text, claim.reference)
        except (ValueError, KeyError) as exc:
            problems.append(f"cannot read expectation {text!r} for {column!r}: {exc}")
            continue
        if text.casefold() not in STRUCTURAL_EXPECTATIONS and normalize_text(text).casefold() not in source_text:
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
        admitted = ADMISSIONS.search(ev.note)
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
    words = CITATION.sub("", claim.quote + " " + (claim.definition or ""))
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


def _finding_problems(claim: Claim) -> list[str]:
    stripped = PLACEHOLDER.sub("", claim.finding)
    if "{" in stripped or "}" in stripped:
        return ["field 'finding': placeholders are {column} or {column:N} (N decimals)"]
    return []


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
        cols = ", ".join(f'"{c}" {SQL_TYPES[catalog.tables[table].columns[c].type]}' for c in columns)
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
