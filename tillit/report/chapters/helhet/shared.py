"""What the sections of 3.2 share: the measures' names, the sources' notes in Swedish, WHO provenance."""
from __future__ import annotations

import pandas as pd
import re

from tillit.report import charts, text
from tillit.report.chapters import medborgarfokus as mf


PROV = mf.PROV


MEASURE = "kontinuitet_koordinering"


INVOLVEMENT = "delaktighet_involvering"


COORDINATION = ("coordinat", "samordn", "medical information", "medical history", "regular doctor", "discharge",
                "records")


AGGREGATES = {"OECD average"}


GROUP_COLOURS = {"Sverige": charts.HIGHLIGHT, "Övriga länder": charts.PALETTE[0], "Genomsnitt": charts.NEUTRAL}


# measure in the table → (Swedish label, unit as written after the number, decimals, source named in the title)
WORKFORCE_MEASURES = {
    "practising physicians per 100 000 (Eurostat)": ("Praktiserande läkare", "per 100\u00a0000 invånare", 1, "Eurostat"),
    "doctors per 1 000 population": ("Läkare", "per 1\u00a0000 invånare", 1, ""),
    "nurses per 1 000 population": ("Sjuksköterskor", "per 1\u00a0000 invånare", 1, ""),
    "doctor consultations per doctor per year": ("Läkarbesök per läkare och år", "", 0, ""),
}


# per 1 000 invånare = value × factor, for the units the workforce tables use
PER_1000 = {"per 100000": 1 / 100, "per 1000": 1.0, "per 10 000": 1 / 10}


WORKFORCE_NOTES = {
    "OUTSIDE 2016–2020; context only": "äldre uppgift, bara som bakgrund",
    "Greece = licensed, over-estimate": "Grekland räknar legitimerade läkare, vilket överskattar antalet",
}


# A note that states the data year is unknown is said in the period column, not as a caveat beside a year.
NO_DATA_YEAR = "data year of underlying figure not stated"


# A note about one country ("Greece = …") belongs to that country's row only.
COUNTRY_NOTE = re.compile(r"^([A-Z][A-Za-z ]+?) = ")


WHO_MEASURES = {"lakare": ("läkare", "Läkare"), "sjukskoterskor_barnmorskor": ("sjuksköterskor och barnmorskor",
                                                                              "Sjuksköterskor och barnmorskor")}


PER_10000 = "per 10\u00a0000 invånare"


def workforce_note(note: str) -> str:
    """The collector's note in Swedish: a known note translated, an 'also: "more than N per 1 000 in A and B" (Y)'
    note rephrased from its own numbers and names; any other note is not shown in English."""
    if note in WORKFORCE_NOTES:
        return WORKFORCE_NOTES[note]
    m = re.fullmatch(r'also: "more than ([\d.,]+) per 1 000 in (.+?)" \((\d{4})\)', note)
    if m:
        places = text.listing([mf.country(c.strip()) for c in re.split(r",| and ", m.group(2)) if c.strip()])
        return f"källan nämner också mer än {text.escape(m.group(1))} per 1\u00a0000 i {text.escape(places)} ({m.group(3)})"
    return "insamlingens anteckning finns på engelska i källtabellen"


def note_applies(note, country: str) -> bool:
    """Whether a collector's note belongs on this row: a note naming one country ('Greece = licensed …') only on
    that country's row; the data-year note is said in the period column instead; other notes on every row."""
    if not isinstance(note, str) or not note or note == NO_DATA_YEAR:
        return False
    m = COUNTRY_NOTE.match(note)
    return m is None or m.group(1) == country


def measure_label(m: str) -> tuple[str, int]:
    """(Swedish label with unit, decimals) of a workforce measure."""
    if m not in WORKFORCE_MEASURES:
        return m, 1
    label, unit, decimals, _ = WORKFORCE_MEASURES[m]
    return (f"{label} {unit}".strip(), decimals)


def period_words(p: str, note: object = None) -> str:
    """A workforce period in Swedish: the year; an edition of Health at a Glance without data year; the edition year
    when the note says the data year is not stated."""
    if str(p).isdigit():
        return f"{p} års översikt (dataåret anges inte)" if note == NO_DATA_YEAR else str(p)
    m = re.match(r"HaaG (\d{4})", str(p))
    if m:
        return f"Health at a Glance {m.group(1)} (dataåret anges inte)"
    return str(p)


def period_key(period) -> str:
    """A period as a key segment: the year, or 'utgava-2017' for an edition without a data year."""
    s = str(period)
    if s.isdigit():
        return s
    m = re.search(r"\d{4}", s)
    return f"utgava-{m.group(0)}" if m else s


def who_provenance(frame: pd.DataFrame) -> pd.DataFrame:
    """The WHO rows' provenance in Swedish for the source line: a copy of WHO's export kept in another repository is
    named as such ('WHO:s Global Health Observatory, indikator HWF_0001 (kopia av WHO:s export)'); the address and the
    secondary marking stay as in the data."""
    out = frame.copy()
    mirrored = out.source_title.str.contains("mirror", case=False, na=False)
    out.loc[mirrored, "source_title"] = [f"WHO:s Global Health Observatory, indikator {i} (kopia av WHO:s export)"
                                         for i in out.loc[mirrored, "indicator"]]
    return out
