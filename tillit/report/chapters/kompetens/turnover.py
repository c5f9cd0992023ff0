"""Staff turnover (nurses, national figures) and the regions' costs for hired staff."""
from __future__ import annotations

import altair as alt
import re

from tillit.core import links, markdown
from tillit.report import charts, text, trends
from tillit.report.chapters import Section, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.shared import PROV, keyed_num, keyed_phrase, keyed_reg


def nurse_turnover(db: Store) -> Section:
    frame = db.sql(f"""SELECT period, region_code, measure, value, unit, {PROV}, quote FROM omsattning_sjukskoterskor
                        ORDER BY region_code, measure, period""")
    if frame.empty:
        return missing("Uppgifter om sjuksköterskor som slutar saknas i data.")
    regions = vocab("region")
    frame["landsting"] = [regions.label(c) for c in frame.region_code]
    frame["mått"] = frame.measure.map({"slutat_inkl_pension_pct": "Andel som slutade inkl. pension, %",
                                       "slutat_exkl_pension_per_100": "Slutade exkl. pension, per 100 anställda"})
    rows = []
    for r in frame.itertuples():
        kind = " (sekundärkälla)" if r.source_type == "secondary" else ""
        rows.append((text.escape(r.landsting), r.period, r.mått, text.number(r.value, 1),
                     f"{links.md_link(text.escape(r.source_publisher), r.source_url)}{kind}"))
    parts, spans = [], set()
    for name_, g in frame[frame.measure == "slutat_exkl_pension_per_100"].groupby("landsting"):
        if len(g) > 1:
            a, b = g.value.iloc[0], g.value.iloc[-1]
            y0, y1 = int(g.period.iloc[0]), int(g.period.iloc[-1])
            verb = "ökade" if b > a else "minskade" if b < a else "var oförändrad"
            key = ("sjukskoterskor-slutat", name_)
            parts.append((verb, f"{text.place(name_)} från {keyed_num((*key, y0), a, 1)} till {keyed_num((*key, y1), b, 1)}"))
            spans.add((y0, y1))
    summary = ""
    if parts and len(spans) == 1 and len({v for v, _ in parts}) == 1:
        (y0, y1), = spans
        summary = (f"Antalet sjuksköterskor per 100 anställda som slutade, pensionsavgångar oräknade, {parts[0][0]} "
                   f"mellan {y0} och {y1} {text.listing([p for _, p in parts])}. ")
    elif parts:
        summary = " ".join(f"Antalet sjuksköterskor per 100 anställda som slutade, pensionsavgångar oräknade, "
                           f"{v} {p}." for v, p in parts) + " "
    note = ("Uppsala redovisar bara andelen inklusive pensionsavgångar, så måtten är inte jämförbara rakt av; "
            "alla värden kommer från Vårdfokus sammanställning (sekundärkälla).")
    return Section(summary + note + "\n\n" + markdown.table(["Landsting", "År", "Mått", "Värde", "Källa"], rows))


def hired_staff(db: Store) -> Section:
    """Hired-staff costs of the landsting/regioner to the latest year, against the report's picture of rising costs."""
    frame = db.sql(f"""SELECT period, measure, value, unit, {PROV} FROM inhyrd_personal_regioner
                        WHERE region_code = '00' AND staff_group = 'alla' ORDER BY period""")
    cost = frame[frame.measure == "kostnad"].copy()
    if len(cost) < 2:
        return missing("Kostnaderna för inhyrd personal finns inte för två år i data.")
    cost["år"] = cost.period.astype(int)
    series = cost.set_index("år")["value"]
    y0, y1 = int(series.index.min()), int(series.index.max())
    owners = text.council_span(y0, y1, genitive=True)
    trend = keyed_phrase(("inhyrd-personal", "kostnad", "utveckling"), float(series.iloc[-1]),
                    trends.trend_words(series, unit="miljarder kronor"))
    lines = [f"{owners[:1].upper() + owners[1:]} kostnader för inhyrd personal {trend}."]
    from tillit.claims.computations import hired_staff_growth  # the same rows and figure as the claim's verdict
    growth = hired_staff_growth(db).set_index("year")
    if 2016 in growth.index:
        lines.append(f"Mellan 2015 och 2016, det år betänkandet citerar, ökade de med "
                     f"{text.percent(growth.loc[2016, 'okning_procent'], 1)}, "
                     f"{text.number(growth.loc[2016, 'okning_mdkr'], 2)} miljarder kronor.")
    gaps = sorted(set(range(y0, y1 + 1)) - set(series.index))
    if gaps:
        lines.append(f"För {text.years_listing(gaps)} saknas uppgift, och linjen är bruten där.")
    later = frame[(frame.measure.str.startswith("forandring")) & (frame.unit == "miljarder kronor")]
    used, changes = [], []
    for r in later.itertuples():
        when = str(r.period)
        if when.endswith("H1"):
            span = f"under första halvåret {when[:4]} jämfört med samma period året före"
        else:
            span = f"under {when} jämfört med året före"
        if when[:4].isdigit() and int(when[:4]) > y1:
            verb = "ökade" if r.value > 0 else "minskade"
            amount = keyed_reg(("inhyrd-personal", "forandring", when), r.value, text.number(abs(r.value), 1))
            changes.append(f"{verb} med {amount} miljarder kronor {span}")
            used.append(r)
    if changes:
        lines.append(f"Kostnaderna {text.listing(changes)}.")
    turned = any(r.value < 0 for r in used)
    lines.append("Den ökning betänkandet beskrev fortsatte därmed i flera år"
                 + (" men har på senare tid vänt nedåt." if turned else "."))
    secondary = (frame.source_type == "secondary").any()
    cost_pubs = text.listing(sorted({text.escape(p) for p in cost.source_publisher}))
    source = f"Kostnaderna per år i diagrammet kommer från {cost_pubs}"
    if used:
        later_pubs = text.listing(sorted({text.escape(r.source_publisher) for r in used}))
        source += f" och förändringarna efter {y1} från {later_pubs}"
    lines.append(source + (", som återger SKL och SKR (sekundärkällor)." if secondary else ".")
                 + f" SKL:s serie före {y0}, som betänkandets fördubbling bygger på, finns inte i data.")
    plotted = cost[["år", "value"]].rename(columns={"value": "miljarder_kronor"}).reset_index(drop=True)
    drawn = charts.with_gaps(plotted, "år", "miljarder_kronor")
    chart = alt.Chart(drawn).mark_line(point=True, color=charts.PALETTE[0], invalid=charts.BREAK_AT_GAPS).encode(
        x=alt.X("år:Q", title="År", axis=alt.Axis(format="d", values=list(range(y0, y1 + 1)))),
        y=alt.Y("miljarder_kronor:Q", title="Miljarder kronor", axis=alt.Axis(format=",.1f")),
        tooltip=[alt.Tooltip("år:Q", title="År", format="d"),
                 alt.Tooltip("miljarder_kronor:Q", title="Miljarder kronor", format=",.1f")]).properties(height=260)
    title = f"Kostnader för inhyrd personal, {text.council_span(y0, y1, definite=False)} {y0}–{y1}"
    fig = charts.figure(chart, name="inhyrd-personal", title=title, finding=lines[0], data=plotted,
                        provenance=cost,
                        headers={"år": "År", "miljarder_kronor": "Miljarder kronor"},
                        alt=charts.alt_text("Linjediagram", title, lines[0], plotted, "miljarder_kronor", "år", ""))
    return Section(" ".join(lines), [fig])


TURNOVER_WORDS = [(r";\s*staff group not stated in excerpt", "; personalgrupp anges inte"),
                  (r">=\s*", "minst "), (r"<=\s*", "högst "), (r"\bexkl\.", "utom"), (r"\bnov\b", "november")]


def turnover_words(s: str) -> str:
    """Scope and measure of a turnover figure in plain Swedish: no English notes from the collection, no '>='."""
    for pattern, words in TURNOVER_WORDS:
        s = re.sub(pattern, words, s)
    return s


def turnover_period(period: str) -> str:
    """'2015→2016' → '2015–2016', 'nov 2016–nov 2017' → 'november 2016 – november 2017'."""
    p = str(period).replace("→", "–")
    return turnover_words(p).replace("–november", " – november")


# What a national turnover figure measures, from the row's own description of its measure: the kinds cannot share
# one column, because a share of kommuner is not a share of staff.
TURNOVER_KINDS = [
    ("kommuner", lambda m: m.startswith("andel kommuner"),
     "Andel kommuner med en viss personalomsättning",
     "procenten är här en andel av kommunerna, inte av de anställda, och säger hur många kommuner som hade en "
     "personalomsättning inom ett visst intervall."),
    ("nyrekryteringar", lambda m: "nyrekrytering" in m,
     "Nyrekryteringar",
     "procenten är här nyrekryteringarna som andel av de anställda, alltså hur många som anställdes under året."),
    ("slutat", lambda m: True,
     "Anställda som slutade",
     "procenten är här en andel av de anställda, alltså hur många av dem som lämnade sin anställning under "
     "perioden. Avgränsningen skiljer sig mellan raderna (alla anställda, tillsvidareanställda eller akademiker)."),
]


def turnover_kind(measure: str) -> str:
    m = str(measure).casefold()
    return next(kind for kind, test, _, _ in TURNOVER_KINDS if test(m))


def national_turnover_points(db: Store) -> Section:
    frame = db.sql(f"SELECT period, scope, measure, value, {PROV} FROM personalomsattning ORDER BY period, scope")
    if frame.empty:
        return missing("Nationella uppgifter om personalomsättning saknas i data.")
    frame["kind"] = frame.measure.map(turnover_kind)
    blocks = ["Uppgifterna mäter olika saker och står därför i var sin tabell."]
    for kind, _, heading, explanation in TURNOVER_KINDS:
        part = frame[frame.kind == kind]
        if part.empty:
            continue
        rows = []
        for r in part.itertuples():
            source = links.md_link(text.escape(r.source_publisher), r.source_url)
            kind_ = " (sekundärkälla)" if r.source_type == "secondary" else ""
            rows.append((text.escape(turnover_period(r.period)), text.escape(turnover_words(r.scope)),
                         text.escape(turnover_words(r.measure)), text.number(r.value, 1), source + kind_))
        blocks.append(f"**{heading}:** {explanation}\n\n"
                      + markdown.table(["Period", "Avser", "Mått", "Procent", "Källa"], rows))
    return Section("\n\n".join(blocks))
