"""Judging a claim on the store: which year each evaluation uses, how close its evidence is, and its status."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from tillit.claims.computations import FUNCTIONS
from tillit.claims.schema import Claim, finding_columns

# Evidence grades: how close an evaluation's evidence is to what the report said.
SAME_PERIOD = "samma mått och period"      # the report's own measure, population and period
LATER_PERIOD = "samma mått, senare period"  # the same measure, a later year: a follow-up
PROXY = "närliggande mått"                 # another measure, source, population or period: an indication only
GRADES = (SAME_PERIOD, LATER_PERIOD, PROXY)

# Statuses. Only the first two grades can give a verdict; a proxy gives an indication. An indication says whether
# the evidence points the same way as the claim (the sign or order agrees) and, when it does, whether the size also
# fits the report's words or the difference is smaller or larger than they allow.
HOLDS = "håller"
FAILS = "håller inte"
SAME_DIRECTION = "pekar åt samma håll"
SMALLER = "pekar åt samma håll, men skillnaden är mindre"
LARGER = "pekar åt samma håll, men skillnaden är större"
MIXED_SIZE = "pekar åt samma håll, men skillnaderna är både mindre och större"
OTHER_DIRECTION = "pekar åt ett annat håll"
UNTESTABLE = "kan inte prövas"
# A claim about one past period or change (scope: event) is not judged again on later data: its follow-up only
# describes what came after, with no verdict.
DESCRIBED = "senare utveckling"
VERDICTS = (HOLDS, FAILS)
SIZE_DIFFERS = (SMALLER, LARGER, MIXED_SIZE)
INDICATIONS = (SAME_DIRECTION, *SIZE_DIFFERS, OTHER_DIRECTION)
STATUSES = (*VERDICTS, *INDICATIONS, DESCRIBED, UNTESTABLE)

# How one year's values compare with the ranges the report's words allow.
FITS = "fits"          # inside the range
SMALL = "smaller"      # the same side of "no difference" as the range, but nearer to it: a smaller difference
LARGE = "larger"       # the same side, but farther from it: a larger difference
MIXED = "mixed"        # some columns smaller, some larger
OTHER = "other"        # the other side of "no difference", or a claim without a direction

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


def neutral_value(claim: Claim, column: str) -> float | None:
    """The value of `column` that means 'no difference': the registry's `neutral`, else 1 for a multiple
    ('nästan dubbelt' is a ratio a/b), else the open end of a comparison word ('högre': over 1, or over 0 for a
    difference). None when the claim states no direction (a level, a share, a place)."""
    if claim.neutral is not None:
        return claim.neutral
    exp = claim.expectations[column]
    if exp.quantity is not None:
        return 1.0 if exp.quantity.scale == "ratio" else None
    if exp.scale != "ratio":
        return None
    r = exp.range
    if math.isinf(r.high) and not math.isinf(r.low):
        return r.low
    if math.isinf(r.low) and not math.isinf(r.high):
        return r.high
    return None


def _size(claim: Claim, column: str, value: float) -> str:
    """How one value compares with the range of its words: FITS, SMALL, LARGE or OTHER (see above)."""
    r = claim.expectations[column].range
    if r.contains(value):
        return FITS
    n = neutral_value(claim, column)
    if n is None:
        return OTHER
    if r.low >= n:  # the words say "more than no difference"
        return OTHER if value <= n else (SMALL if value < r.low else LARGE)
    if r.high <= n:  # the words say "less than no difference"
        return OTHER if value >= n else (SMALL if value > r.high else LARGE)
    return OTHER  # "near" or "about equal": no direction to agree with


def _combine(outcomes: list[str]) -> str:
    if all(o == FITS for o in outcomes):
        return FITS
    if OTHER in outcomes:
        return OTHER
    sizes = {o for o in outcomes if o in (SMALL, LARGE, MIXED)}
    return sizes.pop() if len(sizes) == 1 else MIXED


def _judge_row(claim: Claim, row: pd.Series) -> tuple[str | None, list[str]]:
    """How one year's values compare with the ranges the report's words allow (None: cannot tell), and notes."""
    year = int(row["year"])
    if any(is_missing(row[c]) for c in claim.expect):
        return None, [f"Värden saknas för {year}."]
    outcome = _combine([_size(claim, c, float(row[c])) for c in claim.expect])
    if "n_covered" in row.index and not is_missing(row["n_covered"]):
        covered, required = row["n_covered"], row.get("n_required")
        if is_missing(required) or covered < required:
            coverage = (f"Uppgifterna för {year} täcker bara ett urval ({int(covered)} {claim.coverage_unit})."
                        if is_missing(required) else
                        f"Uppgifterna för {year} täcker bara {int(covered)} av {int(required)} {claim.coverage_unit}.")
            if outcome != FITS and claim.universal:
                return outcome, [coverage + " Redan de motsäger påståendet."]
            return None, [coverage]
    return outcome, []


def _judge_year(claim: Claim, frame: pd.DataFrame, year: int) -> tuple[str | None, list[str]]:
    row = frame[frame["year"] == year].iloc[0]
    outcome, notes = _judge_row(claim, row)
    if not claim.continuous or outcome is None:
        return outcome, notes
    judged = [(int(r["year"]), *_judge_row(claim, r)) for _, r in frame[frame["year"] <= year].iterrows()]
    judged = [(y, o) for y, o, _ in judged if o is not None]
    failed = [(y, o) for y, o in judged if o != FITS]
    if failed:
        return _combine([o for _, o in failed]), [f"Påståendet gäller över tid men stämmer inte "
                                                  f"{_years([y for y, _ in failed])}."]
    years = [y for y, _ in judged]
    if len(judged) < claim.min_years:
        return None, [f"Påståendet gäller över tid, men fram till {year} finns bara uppgifter för {_years(years)} "
                      f"(minst {_count_words(claim.min_years)} år behövs)."]
    return FITS, [_all_years(years)]


_SMALL_NUMBERS = {2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta", 9: "nio", 10: "tio"}


def _count_words(n: int) -> str:
    return _SMALL_NUMBERS.get(n, str(n))


def _all_years(years: list[int]) -> str:
    """'Gäller både 2014 och 2021.', 'Gäller vart och ett av åren 2014, 2016 och 2021.', 'Gäller alla 11 år med
    uppgifter, 2007–2017.'"""
    if len(years) == 1:
        return f"Gäller {years[0]}."
    if len(years) == 2:
        return f"Gäller både {years[0]} och {years[1]}."
    if len(years) <= 4:
        return f"Gäller vart och ett av åren {_years(years)}."
    span = "i följd" if years[-1] - years[0] + 1 == len(years) else "med uppgifter"
    return f"Gäller alla {_count_words(len(years))} år {span}, {years[0]}–{years[-1]}."


def _years(years: list[int]) -> str:
    years = [str(y) for y in years]
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + " och " + years[-1]


_SIZE_STATUS = {FITS: SAME_DIRECTION, SMALL: SMALLER, LARGE: LARGER, MIXED: MIXED_SIZE, OTHER: OTHER_DIRECTION}
_SIZE_NOTE = {
    SMALL: "Skillnaden går åt det håll betänkandet säger men är mindre än orden medger.",
    LARGE: "Skillnaden går åt det håll betänkandet säger men är större än orden medger.",
    MIXED: "Skillnaderna går åt det håll betänkandet säger, men en är mindre och en större än orden medger.",
}


def _status(outcome: str | None, grade: str | None) -> str:
    if outcome is None or grade is None:
        return UNTESTABLE
    if grade == PROXY:
        return _SIZE_STATUS[outcome]
    return HOLDS if outcome == FITS else FAILS


def _result(claim: Claim, frame: pd.DataFrame, basis: str, year: int | None, grade: str | None,
            notes: list[str]) -> YearResult:
    if year is None:
        return YearResult(basis, None, None, UNTESTABLE, {}, {}, tuple(notes))
    row = frame[frame["year"] == year].iloc[0]
    values = _numeric(row)
    compared = {c: values.get(c, math.nan) for c in claim.expect}
    if basis == FOLLOW_UP and not claim.lasting:
        # a claim about one past period: later data are described, not judged
        return YearResult(basis, year, grade, DESCRIBED, values, compared, tuple(notes))
    outcome, judged_notes = _judge_year(claim, frame, year)
    status = _status(outcome, grade)
    if status == FAILS and outcome in _SIZE_NOTE:
        judged_notes = judged_notes + [_SIZE_NOTE[outcome]]
    return YearResult(basis, year, grade, status, values, compared, tuple(notes + judged_notes))


def evaluate(claim: Claim, store) -> ClaimResult:
    """Judge a claim on the report's own period and, as a separate follow-up, on the latest later year.

    The report's period is judged on its own year; when the data stop before it, the nearest earlier year gives an
    indication only (another period is a proxy). The follow-up uses the latest year after the report's year; for a
    claim about one past period (`scope: event`) it describes that year without a verdict. Evidence the registry
    marks as another measure (`evidence.measure: närliggande`) only ever indicates."""
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
        follow_up = _result(claim, frame, FOLLOW_UP, None, None,
                            [f"Det finns inga uppgifter efter {claim.report_year}."])
    return ClaimResult(claim, report, follow_up)


def evaluate_claims(store, claims: Iterable[Claim]) -> list[ClaimResult]:
    return [evaluate(claim, store) for claim in claims]
