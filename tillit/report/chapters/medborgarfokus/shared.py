"""What the sections of 3.1 share: country, item and population names in Swedish, rank wording."""
from __future__ import annotations

import pandas as pd
import re

from tillit.report import text


PROV = "source_publisher, source_title, source_url, source_type"


SWEDEN = "Sweden"


RIKET = "00"


COUNTRIES = {
    "Australia": "Australien", "Austria": "Österrike", "Canada": "Kanada", "Denmark": "Danmark",
    "England": "England", "Finland": "Finland", "France": "Frankrike", "Germany": "Tyskland", "Greece": "Grekland",
    "Iceland": "Island", "Netherlands": "Nederländerna", "New Zealand": "Nya Zeeland", "Norway": "Norge",
    "Sweden": "Sverige", "Switzerland": "Schweiz", "United Kingdom": "Storbritannien", "United States": "USA",
    "OECD average": "OECD-genomsnitt",
}


# Swedish wording of the IHP items met in the data; an item not listed is shown as the source wrote it.
ITEMS = {
    "There are some good things in our health care system, but fundamental changes are needed to make it work better":
        "Det finns en del bra saker i vårt hälso- och sjukvårdssystem, men det behövs grundläggande förändringar "
        "för att det ska fungera bättre",
    "any care coordination gap": "minst en brist i samordningen av vården",
    "same-day or next-day appointment": "tid samma dag eller nästa dag",
    "same-day or next-day appointment when sick": "tid samma dag eller nästa dag vid sjukdom",
    "medication review with care provider": "gått igenom sina läkemedel med vården",
    "medication review at hospital discharge": "läkemedelsgenomgång vid utskrivning från sjukhus",
    "has a regular doctor (fast läkarkontakt)": "har fast läkarkontakt",
    "has a regular doctor (fast vårdkontakt)": "har fast vårdkontakt",
    "has regular doctor or nurse": "har fast läkare eller sjuksköterska",
    "cost-related access problems": "avstått vård av kostnadsskäl",
    "gaps in hospital discharge planning": "brister i planeringen vid utskrivning",
    "has treatment plan usable in daily life": "har en behandlingsplan som går att följa i vardagen",
    "test results/records not available or duplicate tests":
        "provsvar eller journal saknades vid besöket, eller prover togs om i onödan",
    "waited <4 weeks for specialist appointment": "väntade mindre än fyra veckor på specialistbesök",
    "appointment with doctor/nurse within 7 days": "fick tid hos läkare eller sjuksköterska inom sju dagar",
    "problems paying for health care": "svårt att betala för vården",
    "staff always/often know important medical information":
        "personalen känner alltid eller ofta till viktig medicinsk information",
    "3+ chronic conditions": "tre eller fler kroniska sjukdomar",
    "cost-related access barrier (did not visit doctor / skipped test-treatment / skipped meds due to cost)":
        "avstått läkarbesök, behandling eller läkemedel av kostnadsskäl",
    "doctor encourages patient to ask questions": "läkaren uppmuntrar patienten att ställa frågor",
    "easy to get care evenings/weekends without going to ER":
        "lätt att få vård kvällar och helger utan att gå till akuten",
    "gets help from staff to coordinate care between providers":
        "får hjälp av personalen att samordna vården mellan vårdgivare",
    "regular doctor knows important medical history": "den fasta läkaren känner till viktig medicinsk historik",
    "skipped care because of cost": "avstått vård på grund av kostnaden",
    "skipped dental care due to cost": "avstått tandvård på grund av kostnaden",
    "waited 4 months or longer for specialist": "väntade fyra månader eller längre på specialistbesök",
    "waited >2 days for appointment (non-urgent)": "väntade mer än två dagar på en tid (icke akut)",
    "experiences work as very or extremely stressful": "upplever arbetet som mycket eller extremt stressigt",
    "waited >4 months for planned non-urgent treatment/surgery":
        "väntade mer än fyra månader på planerad behandling eller operation",
}


POPULATIONS = {"adults 18+": "vuxna 18 år och äldre", "65+": "65 år och äldre", "55+": "55 år och äldre",
               "55+/65+": "55 eller 65 år och äldre, se källan",
               "sicker adults": "vuxna med stora vårdbehov", "primary care physicians": "läkare i primärvården", "older adults (2014 survey)": "äldre (undersökningen 2014)"}


# The report's Figur 3.1–3.3: the topics an imported IHP country table would fill in (matched on the item text).
REPORT_FIGURES = [
    ("3.1", "att vara involverad i beslut om sin vård eller behandling", ("involv", "delaktig")),
    ("3.2", "att vårdpersonalen diskuterat de huvudsakliga målen med vården", ("goal", "målsättning")),
    ("3.2", "att vårdpersonalen diskuterat behandlingsalternativ och biverkningar", ("treatment option", "behandlingsalternativ")),
    ("3.3", "samordning mellan olika vårdgivare", ("coordinat", "samordn")),
]


SOURCE_RANKS = [(r"second lowest", "näst lägst"), (r"second highest", "näst högst"),
                (r"lowest of (\d+)", r"lägst av \1"), (r"highest of (\d+)", r"högst av \1"),
                (r"\blowest\b", "lägst"), (r"\bhighest\b", "högst")]


MEASURES = {"delaktighet_involvering": "delaktighet och involvering",
            "kontinuitet_koordinering": "kontinuitet och koordinering"}


def country(name: str) -> str:
    return COUNTRIES.get(name, name)


def item_label(item: str) -> str:
    return ITEMS.get(item, item)


def population_label(population: str) -> str:
    if population in POPULATIONS:
        return POPULATIONS[population]
    head = population.split(" (")[0]
    return POPULATIONS.get(head, population)


def period_label(period: str) -> str:
    return period if re.fullmatch(r"\d{4}", str(period)) else "år okänt"


def rank_phrase(values: pd.Series, key, high: str = "högsta", low: str = "lägsta") -> str:
    """'den högsta', 'den näst högsta', 'den tredje lägsta' … for values[key] among values (ties marked 'delad')."""
    v = values[key]
    above, below = int((values > v).sum()), int((values < v).sum())
    tied = int((values == v).sum()) > 1
    n = len(values)
    if above <= below:
        word = high if above == 0 else f"{text.ordinal(above + 1)} {high}"
    else:
        word = low if below == 0 else f"{text.ordinal(below + 1)} {low}"
    return f"den {'delat ' if tied else ''}{word} av de {n}"
