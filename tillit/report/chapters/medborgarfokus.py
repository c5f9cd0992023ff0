"""Chapter 3.1 (bristande medborgarfokus): the IHP survey values present and Nationell Patientenkät per landsting."""
from __future__ import annotations

import re

import altair as alt
import pandas as pd

from tillit.core import markdown
from tillit.core.swedish import rounded
from tillit.report import charts, citations, numbers, text
from tillit.tables.catalog import vocab
from tillit.report.chapters import Section, missing
from tillit.tables.store import Store

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


# --- IHP -------------------------------------------------------------------------------------------------------------

def ihp_items(db: Store, min_countries: int = 1) -> pd.DataFrame:
    """Each (period, population, item) with the number of countries that have a value."""
    return db.sql("""
        SELECT period, population, item, count(DISTINCT country) FILTER (WHERE value IS NOT NULL) AS countries,
               count(DISTINCT country) AS mentioned,
               bool_or(country = $se AND value IS NOT NULL) AS sweden
        FROM ihp GROUP BY period, population, item
        HAVING count(DISTINCT country) FILTER (WHERE value IS NOT NULL) >= $n
        ORDER BY countries DESC, period, item""", se=SWEDEN, n=min_countries)


def _ranking_chart(frame: pd.DataFrame, name: str, title: str, finding: str, value_title: str):
    plotted = pd.DataFrame({"land": [country(c) for c in frame.country], "procent": frame.value.astype(float)})
    plotted["grupp"] = ["Sverige" if c == SWEDEN else "Övriga länder" for c in frame.country]
    plotted = plotted.sort_values("procent", ascending=False).reset_index(drop=True)
    base = alt.Chart(plotted).encode(y=alt.Y("land:N", sort=plotted.land.tolist(), title=None))
    bars = base.mark_bar().encode(
        x=alt.X("procent:Q", title=value_title, axis=alt.Axis(format=",d")),
        color=alt.Color("grupp:N", title=None, scale=alt.Scale(domain=["Sverige", "Övriga länder"],
                                                              range=[charts.HIGHLIGHT, charts.PALETTE[0]])),
        tooltip=[alt.Tooltip("land:N", title="Land"), alt.Tooltip("procent:Q", title="Procent", format=",.0f")],
    )
    labels = base.mark_text(align="left", dx=4, color="#333").encode(
        x="procent:Q", text=alt.Text("procent:Q", format=",.0f"))
    chart = alt.layer(bars, labels).properties(height=alt.Step(24))
    return charts.figure(chart, name=name, title=title, finding=finding, data=plotted, provenance=frame,
                         headers={"land": "Land", "procent": "Procent", "grupp": "Grupp"}, decimals=0,
                         alt=charts.alt_text("Stapeldiagram", title, finding, plotted, "procent", "land", "procent", 0))


def _ihp_countries() -> int:
    """How many countries the IHP comparisons cover (the country vocabulary: the eleven IHP countries)."""
    return len(vocab("country").labels)


def ihp_full_item(db: Store, period: str = "2016") -> Section:
    """The IHP item of `period` with the most countries: a sorted bar chart, Sweden highlighted, its rank computed."""
    items = ihp_items(db, 2)
    items = items[items.period == str(period)]
    if items.empty:
        return missing(f"Det finns ingen IHP-fråga från {text.escape(period)} med värden för minst två länder i data.")
    top = items.iloc[0]
    frame = db.sql(f"""SELECT country, value, {PROV} FROM ihp
                       WHERE period = $p AND population = $pop AND item = $i AND value IS NOT NULL
                       ORDER BY value DESC""", p=str(period), pop=top.population, i=top["item"])
    frame = frame.drop_duplicates("country").reset_index(drop=True)
    values = frame.set_index("country").value
    n = len(values)
    label = item_label(top["item"])
    lines = []
    k = lambda *parts: numbers.key("ihp-alla-lander", *parts, period)  # noqa: E731
    if SWEDEN in values:
        se = values[SWEDEN]
        others = values.drop(SWEDEN)
        rank = numbers.register(k("sverige", "placering"), int((values > se).sum()) + 1,
                                rank_phrase(values, SWEDEN, 'högsta andelen', 'lägsta andelen'))
        shown = numbers.percent(k("sverige"), se, 0)
        finding = f"Sverige hade {rank} länderna, {shown}."
        lines.append(
            f"I IHP-undersökningen {text.escape(period)} ({text.escape(population_label(top.population))}) instämde "
            f"{shown} i Sverige i påståendet ”{text.escape(label)}”. Det var {rank} länderna.")
        mean = numbers.percent(k("ovriga", "medel"), others.mean(), 0)
        gap = numbers.register(k("sverige-mot-ovriga"), float(se - others.mean()),
                               text.difference_words(se, others.mean(), decimals=0))
        low = values.idxmin()
        numbers.register(k("lagst", "land"), None, country(low))
        lines.append(
            f"Oviktat medelvärde för de övriga {text.count_word(len(others))} länderna var {mean}: Sveriges andel var "
            f"{gap} deras. Lägst andel hade {country(low)} ({numbers.percent(k('lagst'), values.min(), 0)}).")
    else:
        finding = f"Sverige finns inte bland de {n} länderna."
        lines.append(f"Sverige finns inte bland de {n} länderna för frågan ”{text.escape(label)}” {text.escape(period)}.")
    complete = ihp_items(db, n)
    lines.append(
        "Frågan mäter hur befolkningen ser på vårdsystemet i stort, inte delaktighet. "
        + (f"Den är den enda frågan i bokens data med värden för alla {n} länder."
           if len(complete) == 1 else
           f"{len(complete)} frågor i data har värden för {n} länder."))
    title = f"Grundläggande förändringar behövs, {n} länder {period}"
    fig = _ranking_chart(frame, f"ihp-{period}-alla-lander", title, finding, "Andel som instämmer, %")
    return Section(" ".join(lines), [fig])


def _reported(row) -> str:
    """A value cell: the number, or the source's own words where it gives only an approximate wording."""
    if pd.notna(row.value):
        return text.number(row.value, 0)
    note = row.note if isinstance(row.note, str) else ""
    m = re.search(r"text:\s*(.+)$", note)
    phrase = m.group(1).strip() if m else "ungefärligt värde, se källan"
    return f"”{text.escape(phrase)}” (ordformulering)"


def _source_rank(note) -> str:
    if not isinstance(note, str):
        return ""
    for pattern, words in SOURCE_RANKS:
        m = re.search(pattern, note)
        if m:
            return m.expand(words)
    return ""


def ihp_partial(db: Store, keywords: tuple[str, ...] = (), min_countries: int = 10, sweden_only: bool = True) -> Section:
    """IHP items with values for fewer than `min_countries` countries, as a table: Sweden's value (or the source's
    wording), other countries in the data (a column only when some item has them), the source's own statement of
    rank, sources (secondary marked). With `sweden_only`, items without Sweden are only named."""
    frame = db.sql(f"SELECT period, population, item, country, value, note, {PROV} FROM ihp ORDER BY period, item, country")
    if keywords and len(frame):
        frame = frame[pd.Series([any(k in s.casefold() for k in keywords) for s in frame["item"]], index=frame.index,
                                dtype=bool)]
    none = "Det finns inga enstaka eller ofullständiga IHP-värden för de här frågorna i data."
    if frame.empty:
        return missing(none)
    frame = frame.assign(population=frame.population.map(population_label))
    groups, most, complete = [], 0, 0
    for (period, population, item), g in frame.groupby(["period", "population", "item"], sort=True):
        with_value = int(g.value.notna().groupby(g.country).any().sum())
        if with_value >= min_countries:
            complete += 1
            continue
        groups.append((period, population, item, g))
        most = max(most, with_value)
    if not groups:
        return missing(none)
    with_se = [x for x in groups if (x[3].country == SWEDEN).any()]
    without = [x for x in groups if not (x[3].country == SWEDEN).any()]
    shown = with_se if sweden_only else groups
    others_column = any((g.country != SWEDEN).any() for _, _, _, g in shown)
    rows = []
    only_secondary = 0
    for period, population, item, g in shown:
        se = g[g.country == SWEDEN]
        if len(se):
            r = se.iloc[0]
            cell = _reported(r)
            rank = _source_rank(r.note)
            if rank:
                cell += f"; {rank} enligt källan"
        else:
            cell = "–"
        other = g[g.country != SWEDEN].drop_duplicates("country")
        others = ", ".join(f"{country(o.country)} {_reported(o)}" for o in other.itertuples()) or "–"
        if (g.source_type == "secondary").all():
            only_secondary += 1
        row = [f"{text.escape(item_label(item))} ({text.escape(period_label(period))}, {text.escape(population)})", cell]
        rows.append(row + ([others] if others_column else []) + [citations.source_cell(g)])
    header = ["Fråga (år, grupp)", "Sverige, procent"] + (["Andra länder i data, procent"] if others_column else []) \
        + ["Källa"]
    n_all = _ihp_countries()
    intro = (f"Data finns för {len(groups)} {'andra ' if complete else ''}IHP-frågor, men ingen av dem har värden "
             f"för alla {text.count_word(n_all, neuter=True)} länder (som mest för {text.count_word(most, neuter=True)}); "
             f"{len(with_se)} av frågorna har ett värde eller en ordformulering för Sverige. Eftersom länderna inte är "
             f"fullständiga går Sveriges placering inte att räkna fram; där källan själv anger placeringen står det i "
             f"tabellen. {only_secondary} av de {len(shown)} frågorna i tabellen bygger bara på sekundärkällor (press "
             f"som återger undersökningen).")
    tail = ""
    if sweden_only and without:
        names = [f"{text.escape(item_label(i))} ({text.escape(period_label(p))})" for p, _, i, _ in without]
        tail = (f"\n\nYtterligare {len(without)} frågor i data gäller bara andra länder: {text.listing(names)}.")
    if not shown:
        return Section(intro + tail)
    return Section(intro + "\n\n" + markdown.table(header, rows) + tail)


def ihp_report_figures(db: Store, min_countries: int = 10) -> Section:
    """The report's Figur 3.1–3.3 from data where an imported country table holds them; otherwise a plain note."""
    items = ihp_items(db, 1)
    figures, found_partial = [], []
    lines = []
    for number, topic, keys in REPORT_FIGURES:
        hits = items[pd.Series([any(k in s.casefold() for k in keys) for s in items["item"]], index=items.index,
                               dtype=bool)]
        full = hits[hits.countries >= min_countries]
        if full.empty:
            if len(hits):
                best = hits.iloc[0]
                found_partial.append(f"{topic} ({int(best.countries)} länder, {text.escape(period_label(best.period))})")
            continue
        top = full.iloc[0]
        frame = db.sql(f"""SELECT country, value, {PROV} FROM ihp WHERE period = $p AND population = $pop
                           AND item = $i AND value IS NOT NULL ORDER BY value DESC""",
                       p=top.period, pop=top.population, i=top["item"]).drop_duplicates("country")
        values = frame.set_index("country").value
        if SWEDEN not in values:
            continue
        k = lambda *p: numbers.key("ihp-figur", number, *p, top.period)  # noqa: E731
        rank = numbers.register(k("sverige", "placering"), int((values > values[SWEDEN]).sum()) + 1,
                                rank_phrase(values, SWEDEN, 'högsta andelen', 'lägsta andelen'))
        sentence = (f"Figur {number} ({topic}): i IHP {text.escape(top.period)} svarade "
                    f"{numbers.percent(k('sverige'), values[SWEDEN], 0)} i Sverige ja, {rank} länderna.")
        lines.append(sentence)
        title = f"Rapportens figur {number} med data, IHP {top.period}"
        figures.append(_ranking_chart(frame.reset_index(drop=True), f"ihp-figur-{number}-{top.period}-{len(figures)}",
                                      title, sentence, "Andel, %"))
    if figures:
        return Section(" ".join(lines), figures)
    partial = (" I data finns bara ofullständiga uppgifter om " + text.listing(found_partial) + "."
               if found_partial else "")
    return missing(
        "Värdena per land bakom rapportens figur 3.1–3.3 (att vara involverad i sin vård, vårdens mål och "
        "behandlingsalternativ, samordning mellan vårdgivare) finns inte i bokens data: ingen sådan IHP-fråga har "
        f"värden för minst {min_countries} länder.{partial} När Commonwealth Funds eller Vårdanalys landtabell för "
        "IHP-undersökningen läggs till i bokens data visas diagrammen här, med Sveriges placering uträknad ur data.")


def places_at(frame: pd.DataFrame, value: float, column: str = "landsting") -> str:
    """'på Gotland och i Örebro': the places whose value rounds to the same shown figure, with their prepositions."""
    hits = frame[frame.value.round(1) == round(float(value), 1)][column]
    return text.places([text.escape(h) for h in sorted(hits)])


def names_at(frame: pd.DataFrame, value: float, column: str = "landsting") -> str:
    """The names whose value rounds to the same shown figure (ties are named together)."""
    hits = frame[frame.value.round(1) == round(float(value), 1)][column]
    return text.listing([text.escape(h) for h in sorted(hits)])


# --- Nationell Patientenkät ------------------------------------------------------------------------------------------

def _patient_frame(db: Store, measure: str, year: int | None = None, sex: str | None = None) -> pd.DataFrame:
    where, params = ["measure = $m"], {"m": measure}
    if year is not None:
        where.append("period = $y")
        params["y"] = int(year)
    if sex is not None:
        where.append("sex = $s")
        params["s"] = sex
    frame = db.sql(f"""SELECT period, region_code, sex, value, {PROV} FROM patientenkat
                       WHERE {' AND '.join(where)} ORDER BY period, region_code, sex""", **params)
    regions = vocab("region")
    frame["landsting"] = [regions.label(c) for c in frame.region_code]
    return frame


def _years_text(db: Store, measure: str) -> str:
    years = db.sql("SELECT DISTINCT period FROM patientenkat WHERE measure = $m ORDER BY period", m=measure).period
    return text.listing([str(int(y)) for y in years]) if len(years) else "inga år"


def _pk(measure: str, *parts) -> str:
    """The key of a Nationell Patientenkät number in the text: 'patientenkat/<measure>/<what>/…/<year>'."""
    return numbers.key("patientenkat", measure, *parts)


def _shown(x: float, decimals: int = 1) -> float:
    """x as the reader sees it (rounded half away from zero), for comparisons at the shown precision."""
    return float(rounded(x, decimals))


def patient_survey_by_landsting(db: Store, measure: str, year: int) -> Section:
    """Share of positive answers per landsting for one year, riket as a reference line."""
    label = MEASURES.get(measure, measure)
    frame = _patient_frame(db, measure, year, "T")
    per = frame[frame.region_code != RIKET].sort_values("value", ascending=False).reset_index(drop=True)
    if per.empty:
        return missing(f"Nationell Patientenkät ({label}) per landsting finns för {_years_text(db, measure)}, "
                       f"inte för {year}.")
    riket = frame[frame.region_code == RIKET]
    hi, lo = per.value.max(), per.value.min()
    total = len([c for c in vocab("region").labels if c != RIKET])
    low_at = numbers.register(_pk(measure, "lagst", "landsting", year), None, places_at(per, lo))
    high_at = numbers.register(_pk(measure, "hogst", "landsting", year), None, places_at(per, hi))
    spread = round(hi, 1) - round(lo, 1)
    lines = [f"År {year} varierade andelen positiva svar om {label} i primärvården från "
             f"{numbers.percent(_pk(measure, 'lagst', year), lo)} {low_at} till "
             f"{numbers.percent(_pk(measure, 'hogst', year), hi)} {high_at}, en skillnad på "
             f"{numbers.register(_pk(measure, 'skillnad-hogst-lagst', year), spread, text.points(spread))}."]
    if not riket.empty:
        r = float(riket.value.iloc[0])
        above = int((per.value.map(_shown) > _shown(r)).sum())
        lines.append(f"Riket låg på {numbers.percent(_pk(measure, 'riket', 'totalt', year), r)}; "
                     f"{numbers.register(_pk(measure, 'over-riket', year), above, str(above))} av {len(per)} landsting "
                     f"låg över riket.")
    if len(per) < total:
        lacking = sorted(set(vocab("region").labels) - set(per.region_code) - {RIKET})
        lines.append(f"För {year} finns värden för {len(per)} av {total} landsting; "
                     f"{text.listing([vocab('region').label(c) for c in lacking])} saknas.")
    plotted = per[["landsting", "value"]].rename(columns={"value": "procent"})
    dots = alt.Chart(plotted).mark_point(filled=True, size=90, color=charts.PALETTE[0]).encode(
        x=alt.X("procent:Q", title="Andel positiva svar, %", scale=alt.Scale(zero=False), axis=alt.Axis(format=",d")),
        y=alt.Y("landsting:N", sort=plotted.landsting.tolist(), title=None),
        tooltip=[alt.Tooltip("landsting:N", title="Landsting"), alt.Tooltip("procent:Q", title="Procent", format=",.1f")],
    )
    layers = [dots]
    if not riket.empty:
        layers.append(alt.Chart(pd.DataFrame({"riket": [float(riket.value.iloc[0])]})).mark_rule(
            color=charts.HIGHLIGHT, strokeDash=[4, 3], strokeWidth=2).encode(x="riket:Q"))
    title = f"{label[:1].upper()}{label[1:]} per landsting {year}"
    finding = lines[0]
    fig = charts.figure(alt.layer(*layers).properties(height=alt.Step(18)), name=f"patientenkat-{measure}-{year}",
                        title=title, finding=finding + (" Streckad linje: riket." if len(riket) else ""),
                        data=plotted, provenance=frame, headers={"landsting": "Landsting", "procent": "Procent"},
                        alt=charts.alt_text("Punktdiagram", title, finding, plotted, "procent", "landsting", "procent"))
    note = ("Måttet är en sammanvägning av flera enkätfrågor i primärvårdens patientenkät (Öppna jämförelser). "
            "Axeln börjar inte på noll.")
    return Section(" ".join(lines) + "\n\n" + note, [fig])


def patient_survey_by_sex(db: Store, measure: str, year: int) -> Section:
    """Women and men per landsting for one year: who answers more positively, and where the gap is largest."""
    label = MEASURES.get(measure, measure)
    frame = _patient_frame(db, measure, year)
    wide = frame[frame.sex.isin(["K", "M"])].pivot_table(index=["region_code", "landsting"], columns="sex",
                                                         values="value").dropna()
    if wide.empty or not {"K", "M"} <= set(wide.columns):
        return missing(f"Nationell Patientenkät ({label}) per kön finns för {_years_text(db, measure)}, inte för {year}.")
    wide = wide.reset_index()
    wide["diff"] = wide.M - wide.K
    per = wide[wide.region_code != RIKET]
    lines = []
    riket = wide[wide.region_code == RIKET]
    if len(riket):
        r = riket.iloc[0]
        who = "männen" if r.M > r.K else "kvinnorna"
        gap = numbers.register(_pk(measure, "riket", "skillnad-kon", year), abs(float(r["diff"])),
                               text.points(r["diff"]))
        lines.append(f"I riket var andelen positiva svar om {label} "
                     f"{numbers.percent(_pk(measure, 'riket', 'kvinnor', year), r.K)} bland kvinnor och "
                     f"{numbers.percent(_pk(measure, 'riket', 'man', year), r.M)} bland män år {year}: andelen var "
                     f"{gap} högre bland {who}.")
    if len(per):
        men = int((per["diff"] > 0).sum())
        big = per.loc[per["diff"].abs().idxmax()]
        where = numbers.register(_pk(measure, "man-hogre", "landsting", year), men,
                                 f"samtliga {len(per)}" if men == len(per) else f"{men} av {len(per)}")
        place = numbers.register(_pk(measure, "storst-skillnad-kon", "landsting", year), None,
                                 text.escape(big.landsting))
        lines.append(f"Män svarade mer positivt än kvinnor i {where} landsting. Störst var skillnaden "
                     f"{text.place(place)} "
                     f"({numbers.register(_pk(measure, 'storst-skillnad-kon', year), abs(float(big['diff'])), text.points(big['diff']))}).")
    long = frame[frame.sex.isin(["K", "M"])].copy()
    long["kön"] = long.sex.map(text.sex_label)
    plotted = long[["landsting", "kön", "value"]].rename(columns={"value": "procent"}).reset_index(drop=True)
    order = (wide.sort_values("K", ascending=False).landsting.tolist())
    base = alt.Chart(plotted).encode(y=alt.Y("landsting:N", sort=order, title=None))
    chart = alt.layer(
        base.mark_line(color="#BBBBBB", strokeWidth=3).encode(x="procent:Q", detail="landsting:N"),
        base.mark_point(filled=True, size=90).encode(
            x=alt.X("procent:Q", title="Andel positiva svar, %", scale=alt.Scale(zero=False), axis=alt.Axis(format=",d")),
            color=alt.Color("kön:N", title=None, scale=alt.Scale(domain=text.sex_order()[:2],
                                                                range=[charts.PALETTE[3], charts.PALETTE[0]])),
            shape=alt.Shape("kön:N", title=None, scale=alt.Scale(domain=text.sex_order()[:2], range=["circle", "square"])),
            tooltip=["landsting:N", "kön:N", alt.Tooltip("procent:Q", format=",.1f")]),
    ).properties(height=alt.Step(20))
    title = f"{label[:1].upper()}{label[1:]}, kvinnor och män {year}"
    finding = lines[0] if lines else ""
    fig = charts.figure(chart, name=f"patientenkat-{measure}-kon-{year}", title=title, finding=finding, data=plotted,
                        provenance=frame, headers={"landsting": "Landsting", "kön": "Kön", "procent": "Procent"},
                        alt=charts.alt_text("Punktdiagram", title, finding, plotted, "procent", ["landsting", "kön"], "procent"))
    return Section(" ".join(lines), [fig])


def survey_coverage(frame: pd.DataFrame) -> tuple[int, dict[int, list[str]]]:
    """(number of landsting, {year: landsting measured} for each year when only some landsting took part): in-between
    years of Nationell Patientenkät when riket rests on the landsting that measured that year."""
    total = len([c for c in vocab("region").labels if c != RIKET])
    per = frame[(frame.region_code != RIKET) & (frame.sex == "T")]
    partial = {}
    for year, g in per.groupby("period"):
        if g.region_code.nunique() < total:
            partial[int(year)] = sorted(g.landsting.unique(), key=lambda n: g[g.landsting == n].region_code.iloc[0])
    return total, partial


def patient_survey_trend(db: Store, measure: str) -> Section:
    """Riket by sex over the years every landsting measured (a line), in-between years when only some landsting
    measured as unjoined hollow points, and how many landsting rose, fell or stayed the same (at the shown
    precision) between the first and last full year."""
    label = MEASURES.get(measure, measure)
    frame = _patient_frame(db, measure)
    riket = frame[frame.region_code == RIKET].copy()
    total, partial = survey_coverage(frame)
    full_years = sorted(int(y) for y in riket.period.unique() if int(y) not in partial)
    if len(full_years) < 2:
        return missing(f"Nationell Patientenkät ({label}) finns inte för två år med alla landsting i riket, så "
                       f"utvecklingen kan inte visas.")
    first, last = full_years[0], full_years[-1]
    tot = riket[riket.sex == "T"].set_index("period").value
    lines = []
    if first in tot and last in tot:
        numbers.register(_pk(measure, "utveckling", "riket", first), tot[first], text.number(tot[first]))
        numbers.register(_pk(measure, "utveckling", "riket", last), tot[last], text.number(tot[last]))
        lines.append(f"Andelen positiva svar om {label} i riket {text.change_words(tot[first], tot[last])} mellan "
                     f"{first} och {last}.")
    per = frame[(frame.region_code != RIKET) & (frame.sex == "T")].pivot_table(index="landsting", columns="period",
                                                                              values="value")
    if first in per and last in per:
        both = per[[first, last]].dropna()
        rose, fell, same = text.change_counts(both[first], both[last])
        parts = [f"ökade andelen i {numbers.register(_pk(measure, 'landsting-okade', first, last), rose, str(rose))}",
                 f"minskade i {numbers.register(_pk(measure, 'landsting-minskade', first, last), fell, str(fell))}"]
        if same:
            parts.append(f"var oförändrad i "
                         f"{numbers.register(_pk(measure, 'landsting-oforandrade', first, last), same, str(same))} "
                         f"(samma värde med en decimal båda åren)")
        lines.append(f"Av de {len(both)} landsting som har värden båda åren {text.listing(parts)}.")
    for year in sorted(set(partial) & set(riket.period.astype(int))):
        names = partial[year]
        lines.append(f"År {year} mätte bara {len(names)} av {total} landsting ({text.listing(names)}); rikets värde "
                     f"det året bygger bara på dem och jämförs inte med de andra åren. I diagrammet är {year} en "
                     f"ofylld punkt utan linje.")
    riket["kön"] = riket.sex.map(text.sex_label)
    riket["mätning"] = [f"{len(partial[int(y)])} av {total} landsting" if int(y) in partial else "alla landsting"
                        for y in riket.period]
    plotted = riket[["period", "kön", "mätning", "value"]].rename(
        columns={"period": "år", "value": "procent"}).reset_index(drop=True)
    plotted["år"] = plotted["år"].astype(int)
    full = plotted[plotted["mätning"] == "alla landsting"]
    line_data = charts.with_gaps(full, "år", "procent", "kön")
    line_data = line_data[~(line_data["år"].isin(partial) & line_data.procent.isna())]  # partial years: joined over
    years = sorted(plotted["år"].unique().tolist())
    x = alt.X("år:O", title="År", axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=years))
    y = alt.Y("procent:Q", title="Andel positiva svar, %", scale=alt.Scale(zero=False), axis=alt.Axis(format=",d"))
    colour = alt.Color("kön:N", title=None, sort=text.sex_order())
    tip = ["kön:N", alt.Tooltip("år:O", title="År"), alt.Tooltip("procent:Q", format=",.1f"),
           alt.Tooltip("mätning:N", title="Mätning")]
    layers = [alt.Chart(line_data).mark_line(point=True, invalid=charts.BREAK_AT_GAPS).encode(
        x=x, y=y, color=colour, tooltip=tip)]
    if (plotted["mätning"] != "alla landsting").any():
        layers.append(alt.Chart(plotted[plotted["mätning"] != "alla landsting"]).mark_point(
            filled=False, size=70, strokeWidth=2).encode(x=x, y=y, color=colour, tooltip=tip))
    title = f"{label[:1].upper()}{label[1:]} i riket {years[0]}–{years[-1]}"
    finding = (lines[0] if lines else "") + (
        f" Ofyllda punkter: {text.listing([str(y) for y in sorted(partial)])}, då bara en del av landstingen mätte."
        if partial else "")
    fig = charts.figure(alt.layer(*layers).properties(height=280), name=f"patientenkat-{measure}-riket", title=title,
                        finding=finding.strip(), data=plotted, provenance=riket,
                        headers={"år": "År", "kön": "Kön", "mätning": "Mätning", "procent": "Procent"},
                        alt=charts.alt_text("Linjediagram", title, finding.strip(), plotted, "procent", ["kön", "år"],
                                            "procent"))
    return Section(" ".join(lines), [fig])


def involvement_by_landsting(db: Store, year: int) -> Section:
    return patient_survey_by_landsting(db, "delaktighet_involvering", year)


def involvement_by_sex(db: Store, year: int) -> Section:
    return patient_survey_by_sex(db, "delaktighet_involvering", year)


def involvement_trend(db: Store) -> Section:
    return patient_survey_trend(db, "delaktighet_involvering")


def _sweden_on_item(db: Store, top) -> tuple[pd.Series, object, str | None]:
    """One IHP question's values per country, the key maker for its numbers, and Sweden's keyed rank phrase ('den
    näst lägsta andelen av de 11'); the rank is None when Sweden has no value."""
    values = db.sql("""SELECT country, value FROM ihp WHERE period = $p AND population = $pop AND item = $i
                       AND value IS NOT NULL""", p=top.period, pop=top.population, i=top["item"]
                    ).drop_duplicates("country").set_index("country").value
    k = lambda *p: numbers.key("ihp-alla-lander", *p, top.period)  # noqa: E731
    if SWEDEN not in values:
        return values, k, None
    rank = numbers.register(k("sverige", "placering"), int((values > values[SWEDEN]).sum()) + 1,
                            rank_phrase(values, SWEDEN, 'högsta andelen', 'lägsta andelen'))
    return values, k, rank


def key_figure(db: Store) -> str | None:
    """One line for the synthesis (3.6): Sweden's IHP 2016 rank and the latest national Patientenkät share."""
    parts = []
    items = ihp_items(db, 2)
    if len(items):
        top = items.iloc[0]
        values, k, rank = _sweden_on_item(db, top)
        if rank is not None:
            parts.append(f"i IHP {text.escape(top.period)} hade Sverige {rank} länderna som ansåg att vården behöver "
                         f"grundläggande förändringar ({numbers.percent(k('sverige'), values[SWEDEN], 0)})")
    latest = db.sql("""SELECT period, value FROM patientenkat WHERE measure = 'delaktighet_involvering'
                       AND region_code = $r AND sex = 'T' ORDER BY period DESC LIMIT 1""", r=RIKET)
    if len(latest):
        year = int(latest.period.iloc[0])
        share = numbers.percent(_pk("delaktighet_involvering", "riket", "totalt", year), latest.value.iloc[0])
        parts.append(f"i Nationell Patientenkät {year} svarade {share} av patienterna i riket positivt om delaktighet "
                     f"och involvering")
    return text.listing(parts) if parts else None


def key_points(db: Store, min_countries: int = 10) -> Section:
    """'Det viktigaste' for 3.1: the report's IHP picture, what the data can test of it, and the patient survey."""
    from tillit.report.chapters import key_points as box

    lines = ["Betänkandet byggde på IHP-undersökningen, där Sverige låg långt ner i frågor om delaktighet, "
             "information och samordning."]
    items = ihp_items(db, 1)
    covered = [n for n, _, keys in REPORT_FIGURES
               if len(items[pd.Series([any(k in s.casefold() for k in keys) for s in items["item"]], index=items.index,
                                      dtype=bool) & (items.countries >= min_countries)])]
    if not covered:
        lines.append("Landsvärdena bakom betänkandets figur 3.1–3.3 finns inte i data, så Sveriges placering i de "
                     "frågorna kan inte prövas här.")
    full = ihp_items(db, min_countries)
    if len(full):
        top = full.iloc[0]
        values, k, rank = _sweden_on_item(db, top)
        if rank is not None:
            lines.append(("Den enda frågan med värden för alla länder" if len(full) == 1 else
                          "Frågan om vårdsystemet i stort, som har värden för alla länder,") + " visar att Sverige "
                         f"{text.escape(top.period)} hade {rank} länderna som ansåg att vården behöver grundläggande "
                         f"förändringar ({numbers.percent(k('sverige'), values[SWEDEN], 0)}).")
    riket = db.sql("""SELECT period, value FROM patientenkat WHERE measure = 'delaktighet_involvering'
                      AND region_code = $r AND sex = 'T' ORDER BY period""", r=RIKET).set_index("period").value
    _, partial = survey_coverage(_patient_frame(db, "delaktighet_involvering"))
    riket = riket[[int(y) not in partial for y in riket.index]]  # in-between years: only some landsting measured
    if len(riket) > 1:
        lines.append(f"Andelen patienter i primärvården som var positiva om sin delaktighet och involvering "
                     f"{text.trend_words(riket)} i Nationell Patientenkät.")
    from tillit.report.chapters import region

    newest = region.impression_key_sentence(db, RIKET)
    if newest:  # the newest survey figure goes before the older ones, so a four-sentence box keeps it
        lines.insert(min(3, len(lines)), newest)
    return box(lines[:4])
