"""The claims registry's schema (data/claims.yaml): fields and allowed values, the Claim the code uses, errors."""
from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Literal

from pydantic import Field, StrictInt

from tillit.claims.quantifiers import Expectation, expectation, parse_number
from tillit.core.chapter_registry import report_headings
from tillit.core.errors import DataError, DataErrors
from tillit.core.schema import StrictModel, one_of

# The book's chapter ids and the report's own headings, from the chapter registry (notebooks/notebooks.yaml).
CHAPTERS: dict[str, str] = report_headings()
CLAIM_TYPES = ("ratio", "difference", "rank", "share", "level", "trend")

# How close the evidence of a computation is to what the report measured (per claim, in the registry).
SAME_MEASURE = "samma"        # the report's own measure and population (possibly a later edition of the series)
NEARBY_MEASURE = "närliggande"  # a proxy: another measure, source or population

# In what the evidence differs from the report's measure (`evidence.differs`): empty exactly when measure is samma.
DIFFERENCES = ("mått", "definition", "källa", "population", "urval", "period")

# Words in an evidence note that admit another measure: a note with one of them cannot grade its evidence samma.
ADMISSIONS = re.compile(
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
CITATION = re.compile(r"\([^()]*\b(?:19|20)\d\d[a-z]?\)")

STRUCTURAL_EXPECTATIONS = {"sant"}  # expectations that are not words from the quote
SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE"}


class RegistryError(DataError):
    """A problem in the claims registry: names the registry file, the claim's line and the claim id."""


class RegistryErrors(DataErrors):
    """Several registry problems found in one pass."""


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

    _known_chapter = one_of("chapter", CHAPTERS, "chapter")


class Registry(StrictModel):
    seed: str | None = None
    claims: list[dict]


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


def normalize_text(text: str) -> str:
    """Report text as one line: words hyphenated across line breaks joined ('förtro-\\nende' → 'förtroende',
    'IHP-\\nstudien' → 'IHP-studien'), whitespace collapsed. A hyphen followed by a space ('hälso- och') is kept."""
    text = str(text).replace("\u00ad", "").replace("\u00a0", " ")
    text = re.sub(r"([a-zåäöéü])-\n\s*", r"\1", text)
    text = re.sub(r"([A-ZÅÄÖ0-9])-\n\s*", r"\1-", text)
    return re.sub(r"\s+", " ", text).strip()

# The placeholders of a claim's `finding` template ('{value:1}'): a column of its computation, with decimals.
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?::(\d))?\}")


def finding_columns(claim: Claim) -> list[str]:
    """The computed columns a claim's finding sentence names."""
    return [m.group(1) for m in PLACEHOLDER.finditer(claim.finding or "")]
