"""The page's key points ('Det viktigaste') and what newer data shows against the report's picture."""
from __future__ import annotations

import pandas as pd

from tillit.report import text
from tillit.report.chapters import Section, key_points
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.sectors import sector_ratios, sector_sick_leave
from tillit.report.chapters.kompetens.shared import NBSP, REPORT_YEAR, keyed_count, keyed_diff, keyed_num, keyed_reg
from tillit.report.chapters.kompetens.shortage import SHORTAGE, shortage_groups, shortage_year
from tillit.report.chapters.kompetens.sick_pay import sick_pay_sentences, sick_pay_years


def _gap_at(ratios: pd.DataFrame, year: int) -> tuple[int, pd.Series] | None:
    """The sector ratios of the latest year at or before `year`."""
    before = ratios[ratios.index <= year]
    if before.empty:
        return None
    y = int(before.index.max())
    return y, before.loc[y]


def _then_now(key: tuple, then: tuple[int, float, float], now: tuple[int, float, float]) -> str:
    """'89 och 93 procent högre' for (year, a, b) then and now, each number keyed by its year."""
    (y0, a0, b0), (y1, a1, b1) = then, now
    d0, d1 = (a0 / b0 - 1) * 100, (a1 / b1 - 1) * 100
    s0 = keyed_reg((*key, y0), d0, text.number(abs(d0), 0))
    s1 = keyed_reg((*key, y1), d1, text.number(abs(d1), 0))
    w0, w1 = ("högre" if d0 >= 0 else "lägre"), ("högre" if d1 >= 0 else "lägre")
    if w0 == w1:
        return f"{s0} och {s1}{NBSP}procent {w1}"
    return f"{s0}{NBSP}procent {w0} och {s1}{NBSP}procent {w1}"


MARGIN = 0.05  # a change in the ratio to the labour market smaller than this (5 percentage points) is 'the same'


def gap_status(then: pd.Series, now: pd.Series) -> dict[str, str]:
    """For kommuner and landsting/regioner: has the ratio to the labour market 'vuxit', 'minskat' or stayed 'samma'?"""
    out = {}
    for group in ("kommuner", "regioner"):
        d = now[f"{group}_ratio"] - then[f"{group}_ratio"]
        out[group] = "vuxit" if d >= MARGIN else "minskat" if d <= -MARGIN else "samma"
    return out


def sick_leave_key_sentences(db: Store) -> list[str]:
    """What the sector data say now against the report's picture: the gap then and now in one sentence."""
    ratios = sector_ratios(sector_sick_leave(db, 1990, 2100))
    if ratios.empty:
        return ["Kommuner, landsting/regioner och hela arbetsmarknaden finns inte för samma år i data, så "
                "betänkandets jämförelse kan inte göras om."]
    last = int(ratios.index.max())
    r = ratios.loc[last]
    then = _gap_at(ratios, REPORT_YEAR)
    if not then or then[0] >= last:
        councils = text.council_word(last)
        return [f"År {last} var sjukfrånvaron "
                f"{keyed_diff(('skillnad-mot-arbetsmarknaden', 'kommuner', last), r.kommuner, r.arbetsmarknaden)} i "
                f"kommunerna och {keyed_diff(('skillnad-mot-arbetsmarknaden', 'landsting-regioner', last), r.regioner, r.arbetsmarknaden)} "
                f"i {councils} än på hela arbetsmarknaden."]
    y0, r0 = then
    status = gap_status(r0, r)
    councils = text.council_span(y0, last)
    k = _then_now(("skillnad-mot-arbetsmarknaden", "kommuner"), (y0, r0.kommuner, r0.arbetsmarknaden),
                  (last, r.kommuner, r.arbetsmarknaden))
    g = _then_now(("skillnad-mot-arbetsmarknaden", "landsting-regioner"), (y0, r0.regioner, r0.arbetsmarknaden),
                  (last, r.regioner, r.arbetsmarknaden))
    figures = f"den var {k} i kommunerna ({y0} och {last}) och {g} i {councils}"
    sk, sg = status["kommuner"], status["regioner"]
    if sk == sg == "samma":
        return [f"Sjukfrånvarons skillnad mot hela arbetsmarknaden är i stort sett densamma som när betänkandet "
                f"skrevs: {figures}."]
    if sk == sg:
        return [f"Sjukfrånvarons skillnad mot hela arbetsmarknaden har {sk} sedan betänkandet skrevs: {figures}."]
    words = {"vuxit": "vuxit", "minskat": "minskat", "samma": "legat kvar på ungefär samma nivå"}
    return [f"Sedan betänkandet skrevs har sjukfrånvarons skillnad mot hela arbetsmarknaden {words[sk]} för kommunerna och "
            f"{words[sg]} för {councils}: {figures}."]


def _shortage_counts(db: Store) -> tuple[int, str, str] | None:
    """(the assessment year, how many welfare occupations have a shortage, how many there are), keyed."""
    years = db.sql("SELECT DISTINCT period FROM bristindex WHERE ssyk IS NOT NULL ORDER BY period").period.tolist()
    if not years:
        return None
    year = shortage_year([int(y) for y in years])
    groups, _ = shortage_groups(db, year)
    return (year, keyed_count(("bristindex", "brist", year), int((groups.value >= SHORTAGE).sum())),
            keyed_count(("bristindex", "yrken", year), len(groups)))


def shortage_key_sentence(db: Store) -> str | None:
    counts = _shortage_counts(db)
    if not counts:
        return None
    year, short, total = counts
    return (f"Bristen på sökande finns kvar: i Arbetsförmedlingens bedömning för {year} råder brist i {short} av de "
            f"{total} välfärdsyrken som boken följer.")


def key_points_kompetens(db: Store) -> Section:
    """'Det viktigaste' for 3.5: the report's picture, the latest sick-leave gap and shortage, and what changed."""
    lines = ["Betänkandet beskrev en sjukfrånvaro i kommuner och landsting långt över arbetsmarknadens, hög "
             "personalomsättning och brist på sökande i många välfärdsyrken."]
    lines += sick_leave_key_sentences(db)
    shortage = shortage_key_sentence(db)
    if shortage:
        lines.append(shortage)
    return key_points(lines[:4])


def key_points_medarbetarna(db: Store) -> Section:
    """'Det viktigaste' for 2.1: shortage and sick leave among welfare staff, then and now."""
    lines = ["Betänkandet pekade på brist på utbildad personal och på en sjukfrånvaro bland välfärdens medarbetare som "
             "länge legat över genomsnittet på arbetsmarknaden."]
    shortage = shortage_key_sentence(db)
    if shortage:
        lines.append(shortage)
    lines += sick_leave_key_sentences(db)
    return key_points(lines[:4])


def newer_data(db: Store) -> Section:
    """What newer data show against the report's picture, one item per series: continued, turned, or ended."""
    items = []
    ratios = sector_ratios(sector_sick_leave(db, 1990, 2100))
    if not ratios.empty:
        then = _gap_at(ratios, REPORT_YEAR)
        status = set(gap_status(then[1], ratios.iloc[-1]).values()) if then else set()
        head = ("består" if status == {"samma"} else "har vuxit" if status == {"vuxit"} else
                "har minskat" if status == {"minskat"} else "har utvecklats olika" if status else "")
        items.append(f"**Sjukfrånvaron i kommuner och landsting/regioner{' – skillnaden ' + head if head else ''}.** "
                     + sick_leave_key_sentences(db)[0])
    cost = db.sql("""SELECT period, measure, value FROM inhyrd_personal_regioner
                     WHERE region_code = '00' AND staff_group = 'alla' AND unit = 'miljarder kronor' ORDER BY period""")
    costs = cost[cost.measure == "kostnad"]
    if len(costs) > 1:
        y1 = int(costs.period.max())
        later = cost[cost.measure.str.startswith("forandring") & (cost.period.str[:4].astype(int) > y1)]
        head = ("vände nedåt" if len(later) and later.value.iloc[-1] < 0 else
                "fortsatte uppåt" if len(later) else "ingen uppgift efter " + str(y1))
        steps = [f"steg till {keyed_num(('inhyrd-personal', 'kostnad', y1), costs.value.iloc[-1], 1)} miljarder kronor {y1}"]
        for r in later.itertuples():
            when = str(r.period)
            label = f"första halvåret {when[:4]} (mot samma period året före)" if when.endswith("H1") else when
            amount = keyed_reg(("inhyrd-personal", "forandring", when), r.value, text.number(abs(r.value), 1))
            steps.append(f"{'ökade' if r.value > 0 else 'minskade'} med {amount} miljarder kronor {label}")
        sentence = "Kostnaderna " + text.listing(steps)
        items.append(f"**Inhyrd personal – {head}.** {sentence}.")
    diag = db.sql("SELECT max(period) p FROM sjukfall_diagnos WHERE value IS NOT NULL").p.iloc[0]
    if diag:
        items.append(f"**Psykiatriska diagnoser – serien slutar.** Bokens data går bara till "
                     f"{text.period_label(diag)}, så det går inte att se om ökningen fortsatte.")
    frame, years = sick_pay_years(db)
    if len(years) >= 2:
        before = [y for y in years if int(y) <= REPORT_YEAR]
        y0, y1 = (before[-1] if before else years[0]), years[-1]
        women = frame[frame.sex == "K"].pivot_table(index="region_code", columns="period", values="value")
        change = (women[y1].round(1) - women[y0].round(1)).drop("00", errors="ignore")
        down, up = int((change < 0).sum()), int((change > 0).sum())
        head = ("lägre i de flesta län" if down > len(change) / 2 else "högre i de flesta län" if up > len(change) / 2
                else "blandad bild")
        said, _, _ = sick_pay_sentences("kvinnor", women, change, y0, y1)
        items.append(f"**Sjukpenningtalet per län – {head}.** {said} Sjukpenningtalet gäller alla försäkrade, inte "
                     f"bara välfärdens anställda.")
    counts = _shortage_counts(db)
    if counts:
        year, short, total = counts
        items.append(f"**Brist på sökande – finns kvar.** I Arbetsförmedlingens bedömning för {year} råder brist i "
                     f"{short} av de {total} välfärdsyrken som boken följer.")
    items.append("**Personalomsättning – ingen serie.** Det finns fortfarande ingen officiell statistik över "
                 "personalomsättning i kommuner och regioner, bara enstaka uppgifter.")
    return Section("\n".join(f"- {i}" for i in items))
