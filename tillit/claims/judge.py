"""Judging a claim on the store: which year each evaluation uses, how close its evidence is, and its status."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from tillit.claims.computations import FUNCTIONS
from tillit.claims.registry import Claim, finding_columns

# Evidence grades: how close an evaluation's evidence is to what the report said.
SAME_PERIOD = "samma mått och period"      # the report's own measure, population and period
LATER_PERIOD = "samma mått, senare period"  # the same measure, a later year: a follow-up
PROXY = "närliggande mått"                 # another measure, source, population or period: an indication only
GRADES = (SAME_PERIOD, LATER_PERIOD, PROXY)

# Statuses. Only the first two grades can give a verdict; a proxy gives an indication.
HOLDS = "håller"
FAILS = "håller inte"
SAME_DIRECTION = "pekar åt samma håll"
OTHER_DIRECTION = "pekar åt ett annat håll"
UNTESTABLE = "kan inte prövas"
VERDICTS = (HOLDS, FAILS)
INDICATIONS = (SAME_DIRECTION, OTHER_DIRECTION)
STATUSES = (*VERDICTS, *INDICATIONS, UNTESTABLE)

# The two evaluations of every claim.
REPORT_PERIOD = "rapportens period"  # the period the report speaks of
FOLLOW_UP = "uppföljning"            # the latest data after the report's period: does the pattern still hold?
BASES = (REPORT_PERIOD, FOLLOW_UP)

COVERAGE_COLUMNS = ("n_covered", "n_required")


class ClaimError(Exception):
    """A claim's computation did not return what the registry promised (a bug, not missing data)."""


@dataclass(frozen=True)
class YearResult:
    """A claim judged on one year: the grade of the evidence, the status, the values and what limited the test."""

    basis: str
    year: int | None
    grade: str | None
    status: str
    values: dict[str, float]
    compared: dict[str, float]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def tested(self) -> bool:
        return self.status != UNTESTABLE


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    report: YearResult
    follow_up: YearResult

    @property
    def rows(self) -> list[YearResult]:
        return [self.report, self.follow_up]


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
    absent = [c for c in ["year", *claim.expect, *finding_columns(claim)]
              if c not in frame.columns and c not in COVERAGE_COLUMNS]
    if absent:
        raise ClaimError(f"{claim.registry}: claim {claim.id!r}: the computation returns no column(s) "
                         f"{', '.join(absent)}")
    frame = frame[frame["year"].notna()].copy()
    frame["year"] = frame["year"].astype(int)
    if frame["year"].duplicated().any():
        raise ClaimError(f"{claim.registry}: claim {claim.id!r}: the computation returns more than one row "
                         f"for year(s) {sorted(set(frame.loc[frame['year'].duplicated(), 'year']))}")
    return frame.sort_values("year").reset_index(drop=True)


def is_missing(x) -> bool:
    return x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x))


def _numeric(row: pd.Series) -> dict[str, float]:
    values = {}
    for name, value in row.items():
        if name == "year":
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isnan(number):
            values[name] = number
    return values


def _judge_row(claim: Claim, row: pd.Series) -> tuple[bool | None, list[str]]:
    """Whether one year's values lie in the ranges the report's words allow (None: cannot tell), and notes."""
    year = int(row["year"])
    if any(is_missing(row[c]) for c in claim.expect):
        return None, [f"Värden saknas för {year}."]
    ok = all(exp.range.contains(float(row[c])) for c, exp in claim.expectations.items())
    if "n_covered" in row.index and not is_missing(row["n_covered"]):
        covered, required = row["n_covered"], row.get("n_required")
        if is_missing(required) or covered < required:
            coverage = (f"Uppgifterna för {year} täcker bara ett urval ({int(covered)} {claim.coverage_unit})."
                        if is_missing(required) else
                        f"Uppgifterna för {year} täcker bara {int(covered)} av {int(required)} {claim.coverage_unit}.")
            if not ok and claim.universal:
                return False, [coverage + " Redan de motsäger påståendet."]
            return None, [coverage]
    return ok, []


def _judge_year(claim: Claim, frame: pd.DataFrame, year: int) -> tuple[bool | None, list[str]]:
    row = frame[frame["year"] == year].iloc[0]
    ok, notes = _judge_row(claim, row)
    if not claim.continuous or ok is None:
        return ok, notes
    judged = [(int(r["year"]), *_judge_row(claim, r)) for _, r in frame[frame["year"] <= year].iterrows()]
    judged = [(y, o) for y, o, _ in judged if o is not None]
    failed = [y for y, o in judged if o is False]
    if failed:
        return False, [f"Påståendet gäller över tid men håller inte {_years(failed)}."]
    if len(judged) < claim.min_years:
        return None, [f"Påståendet gäller över tid, men det finns bara uppgifter för {_years([y for y, _ in judged])} "
                      f"(minst {claim.min_years} år behövs)."]
    return True, [f"Håller alla {len(judged)} år {judged[0][0]}–{judged[-1][0]}."]


def _years(years: list[int]) -> str:
    years = [str(y) for y in years]
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + " och " + years[-1]


def _status(ok: bool | None, grade: str | None) -> str:
    if ok is None or grade is None:
        return UNTESTABLE
    if grade == PROXY:
        return SAME_DIRECTION if ok else OTHER_DIRECTION
    return HOLDS if ok else FAILS


def _result(claim: Claim, frame: pd.DataFrame, basis: str, year: int | None, grade: str | None,
            notes: list[str]) -> YearResult:
    if year is None:
        return YearResult(basis, None, None, UNTESTABLE, {}, {}, tuple(notes))
    ok, judged_notes = _judge_year(claim, frame, year)
    row = frame[frame["year"] == year].iloc[0]
    values = _numeric(row)
    compared = {c: values.get(c, math.nan) for c in claim.expect}
    status = _status(ok, grade)
    return YearResult(basis, year, grade if status != UNTESTABLE else grade, status, values, compared,
                      tuple(notes + judged_notes))


def evaluate(claim: Claim, store) -> ClaimResult:
    """Judge a claim on the report's own period and, as a separate follow-up, on the latest later year.

    The report's period is judged on its own year; when the data stop before it, the nearest earlier year gives an
    indication only (another period is a proxy). The follow-up uses the latest year after the report's year.
    Evidence the registry marks as another measure (`evidence.measure: närliggande`) only ever indicates."""
    frame = compute(claim, store)
    if not claim.testable:
        empty = YearResult(REPORT_PERIOD, None, None, UNTESTABLE, {}, {})
        return ClaimResult(claim, empty, YearResult(FOLLOW_UP, None, None, UNTESTABLE, {}, {}))
    complete = sorted(set(frame.dropna(subset=list(claim.expect))["year"])) if not frame.empty else []
    same = claim.same_measure
    if claim.report_year in complete:
        report = _result(claim, frame, REPORT_PERIOD, claim.report_year, SAME_PERIOD if same else PROXY, [])
    elif [y for y in complete if y < claim.report_year]:
        year = max(y for y in complete if y < claim.report_year)
        report = _result(claim, frame, REPORT_PERIOD, year, PROXY,
                         [f"Uppgifter för {claim.report_year} saknas; närmast före finns {year}."])
    else:
        report = _result(claim, frame, REPORT_PERIOD, None, None,
                         [f"Med bokens data går värdet inte att räkna fram för {claim.report_year} eller något tidigare år."])
    later = [y for y in complete if y > claim.report_year]
    if later:
        follow_up = _result(claim, frame, FOLLOW_UP, max(later), LATER_PERIOD if same else PROXY, [])
    else:
        follow_up = _result(claim, frame, FOLLOW_UP, None, None, [f"Inga uppgifter efter {claim.report_year}."])
    return ClaimResult(claim, report, follow_up)


def evaluate_claims(store, claims: Iterable[Claim]) -> list[ClaimResult]:
    return [evaluate(claim, store) for claim in claims]
