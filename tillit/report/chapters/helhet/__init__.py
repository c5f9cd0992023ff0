"""Chapter 3.2 (frånvaro av helhetsperspektiv): continuity and coordination in Patientenkät, IHP coordination items, health workforce.

One module per section; the notebook calls the functions named here."""
from __future__ import annotations

from tillit.report.chapters.helhet.shared import (
    NO_DATA_YEAR, measure_label, period_words, note_applies, who_provenance,
)
from tillit.report.chapters.helhet.continuity import (
    continuity_by_landsting, continuity_map, continuity_by_sex, continuity_trend, extremes, continuity_vs_involvement,
    ihp_coordination,
)
from tillit.report.chapters.helhet.figure_34 import (
    who_workforce, comparison_year, sweden_vs_others, support_words, figure_34,
)
from tillit.report.chapters.helhet.workforce import workforce_title, workforce_charts, workforce_table
from tillit.report.chapters.helhet.findings import key_figure, key_points

__all__ = ['NO_DATA_YEAR', 'measure_label', 'period_words', 'note_applies', 'who_provenance',
           'continuity_by_landsting', 'continuity_map', 'continuity_by_sex', 'continuity_trend', 'extremes',
           'continuity_vs_involvement', 'ihp_coordination', 'who_workforce', 'comparison_year', 'sweden_vs_others',
           'support_words', 'figure_34', 'workforce_title', 'workforce_charts', 'workforce_table', 'key_figure',
           'key_points']
