"""Chapter 3.5 (bristande kompetensförsörjning) and the workforce part of section 2.1: one module per section.

Every number written into the prose is keyed (`tillit.report.numbers`): the key names the measure, its dimensions
and the year, never the sentence around it. A number is registered as shown ('93'), and the words around it
('procent högre') are written outside, so the same key always shows the same text wherever it stands on a page.
The notebooks call the functions named here; each lives in the module of its section."""
from __future__ import annotations

from tillit.report.chapters.kompetens.shared import REPORT_YEAR
from tillit.report.chapters.kompetens.sectors import (
    sector_sick_leave, sector_ratios, sick_leave_by_sector, sector_gap_table,
)
from tillit.report.chapters.kompetens.landsting import landsting_sick_leave, landsting_sex_trend
from tillit.report.chapters.kompetens.kommuner import kommun_change, kommuner_sick_leave, kommuner_turnover
from tillit.report.chapters.kompetens.occupations import (
    broad_groups, sick_cases_by_occupation, sick_cases_report_year, psychiatric_share,
)
from tillit.report.chapters.kompetens.sick_pay import sick_pay_by_lan
from tillit.report.chapters.kompetens.long_sick_cases import long_sick_cases_by_lan
from tillit.report.chapters.kompetens.ill_health import ill_health_by_lan
from tillit.report.chapters.kompetens.shortage import shortage_index
from tillit.report.chapters.kompetens.turnover import (
    nurse_turnover, hired_staff, turnover_words, national_turnover_points,
)
from tillit.report.chapters.kompetens.findings import key_points_kompetens, key_points_medarbetarna, newer_data

__all__ = ['REPORT_YEAR', 'sector_sick_leave', 'sector_ratios', 'sick_leave_by_sector', 'sector_gap_table',
           'landsting_sick_leave', 'landsting_sex_trend', 'kommun_change', 'kommuner_sick_leave', 'kommuner_turnover',
           'broad_groups', 'sick_cases_by_occupation', 'sick_cases_report_year', 'psychiatric_share',
           'sick_pay_by_lan', 'long_sick_cases_by_lan', 'ill_health_by_lan', 'shortage_index', 'nurse_turnover', 'hired_staff', 'turnover_words',
           'national_turnover_points', 'key_points_kompetens', 'key_points_medarbetarna', 'newer_data']
