"""The claims as one interface for the book and the CLI: everything a chapter or `tillit claims` needs from the
registry, the judge and the rendering, and evaluate_all()."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from tillit.claims.computations import FUNCTIONS, computation
from tillit.claims.judge import (BASES, DESCRIBED, FAILS, FOLLOW_UP, GRADES, HOLDS, INDICATIONS, LARGER,
                                 LATER_PERIOD, MIXED_SIZE, OTHER_DIRECTION, PROXY, REPORT_PERIOD, SAME_DIRECTION,
                                 SAME_PERIOD, SIZE_DIFFERS, SMALLER, STATUSES, UNTESTABLE, VERDICTS, ClaimError,
                                 ClaimResult, YearResult, compute, evaluate)
from tillit.claims.checks import quote_problems
from tillit.claims.registry import default_registry_path, load_registry, seed_path
from tillit.claims.schema import (CHAPTERS, CLAIM_TYPES, EVENT, STATE, Claim, RegistryError, RegistryErrors,
                                  normalize_text)
from tillit.claims.render import (chapter_tables, claim_badges, escape_markdown, lead_markdown, results_frame,
                                  summary_markdown, verdict_sentence)


def evaluate_all(store, registry: Iterable[Claim] | Path | str | None = None) -> pd.DataFrame:
    """Evaluate every claim: a frame with one row per claim × {rapportens period, uppföljning}."""
    claims = load_registry(registry) if registry is None or isinstance(registry, (str, Path)) else list(registry)
    return results_frame(evaluate(claim, store) for claim in claims)


__all__ = [
    "BASES", "CHAPTERS", "CLAIM_TYPES", "DESCRIBED", "EVENT", "FAILS", "FOLLOW_UP", "FUNCTIONS", "GRADES", "HOLDS",
    "INDICATIONS", "LARGER", "LATER_PERIOD", "MIXED_SIZE", "OTHER_DIRECTION", "PROXY", "REPORT_PERIOD",
    "SAME_DIRECTION", "SAME_PERIOD", "SIZE_DIFFERS", "SMALLER", "STATE", "STATUSES", "UNTESTABLE", "VERDICTS",
    "Claim", "ClaimError", "ClaimResult", "RegistryError", "RegistryErrors", "YearResult", "chapter_tables",
    "claim_badges", "computation", "compute", "default_registry_path", "escape_markdown", "evaluate", "evaluate_all",
    "lead_markdown", "load_registry", "normalize_text", "quote_problems", "results_frame", "seed_path",
    "summary_markdown", "verdict_sentence",
]
