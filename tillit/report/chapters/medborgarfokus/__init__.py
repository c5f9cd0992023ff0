"""Chapter 3.1 (bristande medborgarfokus): the IHP survey values present and Nationell Patientenkät per landsting.

One module per section; the notebooks (3.1, and 3.2 for the Patientenkät sections it shares) call the functions
named here."""
from __future__ import annotations

from tillit.report.chapters.medborgarfokus.shared import (
    PROV, SWEDEN, RIKET, country, item_label, population_label, period_label, rank_phrase,
)
from tillit.report.chapters.medborgarfokus.ihp import ihp_items, ihp_full_item, ihp_partial, ihp_report_figures
from tillit.report.chapters.medborgarfokus.patient_survey import (
    names_at, places_at, survey_key, patient_survey_by_landsting, patient_survey_by_sex, patient_survey_trend,
    involvement_by_landsting, involvement_by_sex, involvement_trend,
)
from tillit.report.chapters.medborgarfokus.survey_map import (
    LANDSDELAR, landsdel_sentence, survey_map, patient_survey_map, involvement_map, overall_impression_map,
)
from tillit.report.chapters.medborgarfokus.findings import key_figure, key_points

__all__ = ['PROV', 'SWEDEN', 'RIKET', 'country', 'item_label', 'population_label', 'period_label', 'rank_phrase',
           'ihp_items', 'ihp_full_item', 'ihp_partial', 'ihp_report_figures', 'names_at', 'places_at', 'survey_key',
           'patient_survey_by_landsting', 'patient_survey_by_sex', 'patient_survey_trend', 'involvement_by_landsting',
           'involvement_by_sex', 'involvement_trend', 'LANDSDELAR', 'landsdel_sentence', 'survey_map',
           'patient_survey_map', 'involvement_map', 'overall_impression_map', 'key_figure', 'key_points']
