"""Regional profiles: one page per landsting/region (and riket) comparing its figures with riket and the other län.

Every number a page writes in its prose and tables is keyed (tillit.report.numbers): `<measure>/<place>/<sex>/<year>`
for a value, with `i-korthet/…` and `kon-tabell/…` for the tables' cells (shown without unit) and
`…/placering/…`, `…/mot-riket/…` for ranks and differences. The page template calls the functions named here; each
lives in the module of its section."""
from __future__ import annotations

from tillit.report.chapters.region.shared import (
    MEASURES, check_code, name, council_note, in_place, points_words, rank_words,
)
from tillit.report.chapters.region.frames import sick_pay_period
from tillit.report.chapters.region.summary import placement, summary
from tillit.report.chapters.region.sick_leave import sick_leave
from tillit.report.chapters.region.patient_survey import patient_survey
from tillit.report.chapters.region.sick_pay import sick_pay_rank, sick_pay_change
from tillit.report.chapters.region.kommuner import municipalities
from tillit.report.chapters.region.key_points import key_points
from tillit.report.chapters.region.impression import overall_impression, impression_key_sentence, impression_map

__all__ = ['MEASURES', 'check_code', 'name', 'council_note', 'in_place', 'points_words', 'rank_words',
           'sick_pay_period', 'placement', 'summary', 'sick_leave', 'patient_survey', 'sick_pay_rank',
           'sick_pay_change', 'municipalities', 'key_points', 'overall_impression', 'impression_key_sentence',
           'impression_map']
