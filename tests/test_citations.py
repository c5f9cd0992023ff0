"""How sources are named to readers: the kind of a secondary source, and titles without the collectors' English."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tillit.report import charts, citations

ROOT = Path(__file__).resolve().parent.parent
ENGLISH_REMARKS = re.compile(r"\b(quoting|source|version with|stored versions?|mirrored|published|analysis of|"
                             r"fetched|page updated|press release|reporting|table:|product page|statistics for|"
                             r"et al|also|indicator)\b|\d{4} data\b|\bQ[1-4] \d{4}")


def provenance() -> pd.DataFrame:
    frames = []
    for path in sorted((ROOT / "data" / "tables").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "source_title" in frame:
            frames.append(frame[["source_publisher", "source_title", "source_url", "source_type"]])
    return pd.concat(frames).drop_duplicates()


@pytest.mark.parametrize("title,shown", [
    ("Vårdfokus 2018 (quoting SKL sammanställning): Sjukfrånvaron minskar",
     "Vårdfokus 2018 (enligt SKL:s sammanställning): Sjukfrånvaron minskar"),
    ("Arbetet 2022-06-21 (quoting Försäkringskassan statistics for 2021)",
     "Arbetet 2022-06-21 (enligt Försäkringskassans statistik för 2021)"),
    ("Mitt i (2024, quoting SKR)", "Mitt i (2024, enligt SKR)"),
    ("Regionfakta: Sjukpenningtal 2017 (source Försäkringskassan), page updated 2018-01-22",
     "Regionfakta: Sjukpenningtal 2017 (källa: Försäkringskassan), sidan uppdaterad 2018-01-22"),
    ("OECD Health Statistics 2017", "OECD Health Statistics 2017"),  # an English name stays as published
])
def test_titles_are_shown_in_swedish(title, shown):
    assert citations.swedish_title(title) == shown


def test_no_title_in_the_data_keeps_an_english_remark():
    left = [t for t in map(citations.swedish_title, provenance()["source_title"]) if ENGLISH_REMARKS.search(t)]
    assert not left, left


@pytest.mark.parametrize("publisher,url,kind", [
    ("Kolada (SKR)", "https://github.com/Analys-Region-Halland/hosrapport", citations.DATABASE),
    ("Regionfakta", "http://regionfakta.com/x", citations.DATABASE),
    ("WHO", "https://github.com/cghss/IHR-costing/blob/x.csv", citations.COPY),
    ("Läkartidningen", "https://lakartidningen.se/x", citations.PRESS),
    ("Arbetsgivarverket", "https://www.arbetsgivarverket.se/x", citations.OTHER),
])
def test_secondary_sources_are_named_for_what_they_are(publisher, url, kind):
    assert citations.source_kind(publisher, url, "secondary") == kind
    assert citations.source_kind(publisher, url, "primary") == citations.PRIMARY


def test_a_source_is_recognised_when_a_page_leaves_its_publisher_out():
    assert citations.source_kind("", "http://regionfakta.com/x", "secondary", "Regionfakta: Sjukpenningtal") == \
        citations.DATABASE
    assert citations.kind_label(citations.DATABASE, "", "Regionfakta: Sjukpenningtal") == "Källa via Regionfakta"
    assert citations.source_kind("", "https://lakartidningen.se/x", "secondary", "Läkartidningen 2019-03") == \
        citations.PRESS
    assert citations.source_kind("", "https://github.com/x", "secondary", "Kolada KPI U71451 (källa: SKR)") == \
        citations.DATABASE


def test_the_source_line_says_press_only_for_press():
    line = charts.source_line(provenance())
    assert "press eller annan part" not in line
    assert "Källa via Kolada: " in line and "Källa via en kopia hos annan part: " in line
    press = line.split("Sekundärkälla (press som återger uppgiften): ")[1].split("Sekundärkälla (annan part")[0]
    assert "Läkartidningen" in press and "Kolada" not in press and "WHO" not in press
    assert "quoting" not in line and "(enligt SKL:s sammanställning)" in line
