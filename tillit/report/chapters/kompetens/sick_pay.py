"""Sjukpenningtal per län: two years compared in text, table and a map of the change."""
from __future__ import annotations

import pandas as pd

from tillit.report import maps, text
from tillit.report.chapters import Section, missing
from tillit.tables.catalog import vocab
from tillit.tables.store import Store
from tillit.report.chapters.kompetens.shared import PROV, REPORT_YEAR, keyed_count, keyed_phrase, keyed_reg


def sick_pay_years(db: Store) -> tuple[pd.DataFrame, list[str]]:
    """Sjukpenningtal per län for women and men in the yearly periods where every län has both sexes."""
    frame = db.sql(f"""SELECT period, region_code, sex, value, {PROV} FROM sjukpenningtal_lan
                       WHERE sex IN ('K', 'M') AND length(period) = 4 ORDER BY period, region_code, sex""")
    n = len([c for c in vocab("region").labels if c != "00"])
    per = frame[frame.region_code != "00"].groupby(["period", "sex"]).region_code.nunique().unstack()
    full = [p for p, r in per.iterrows() if all(r.get(s, 0) == n for s in ("K", "M"))]
    return frame[frame.period.isin(full)], sorted(full)


def sick_pay_sentences(word: str, wide: pd.DataFrame, change: pd.Series, y0: str, y1: str) -> tuple[str, pd.Series, pd.Series]:
    """For one sex: riket's change, how many län fell and rose, and where it rose and fell most. `wide` holds the
    values per region_code and year, `change` the change per län (the shown values' difference)."""
    regions = vocab("region")
    key = ("sjukpenningtal", word)
    out = []
    if "00" in wide.index and wide.loc["00", [y0, y1]].notna().all():
        moved = text.change_words(wide.loc["00", y0], wide.loc["00", y1], unit="dagar")
        verb, _, rest = moved.partition(" ")
        out.append(f"För {word} {verb} sjukpenningtalet i riket "
                   f"{keyed_phrase((*key, 'riket', f'{y0}-{y1}'), wide.loc['00', y1], rest)} per försäkrad mellan {y0} "
                   f"och {y1}.")
    up, down = change[change > 0], change[change < 0]
    same = len(change) - len(up) - len(down)
    counts = []
    if len(down):
        counts.append(f"minskade i {keyed_count((*key, 'lan-minskade', y1), len(down))}")
    if len(up):
        counts.append(f"ökade i {keyed_count((*key, 'lan-okade', y1), len(up))}")
    if same:
        counts.append(f"var oförändrat i {keyed_count((*key, 'lan-oforandrade', y1), same)}")
    first, *rest = counts
    where = f"{first} av de {keyed_count((*key, 'lan-antal', y1), len(change))} länen"
    verb, _, tail = where.partition(" ")
    sentence = text.listing([f"Det {where}" if out else f"För {word} {verb} det {tail}", *rest])
    extremes = []
    for verb, part, pick in (("ökade", up, up.idxmax if len(up) else None), ("minskade", down, down.idxmin if len(down) else None)):
        if pick is None:
            continue
        c = pick()
        shown = keyed_reg((*key, regions.label(c), "forandring", f"{y0}-{y1}"), part[c], text.number(abs(part[c]), 1))
        extremes.append(f"mest {verb} det {text.place(regions.label(c))} (med {shown} dagar)")
    out.append(sentence + ("; " + " och ".join(extremes) if extremes else "") + ".")
    return " ".join(out), up, down


def sick_pay_by_lan(db: Store) -> Section:
    """Sjukpenningtal per län: the report's year (or the nearest before it) against the latest, for women and men,
    as maps of the change and sentences on which län rose and fell and what riket did."""
    frame, years = sick_pay_years(db)
    if len(years) < 2:
        return missing("Sjukpenningtal per län och kön finns inte för två hela år i data.")
    before = [y for y in years if int(y) <= REPORT_YEAR]
    y0, y1 = (before[-1] if before else years[0]), years[-1]
    lines = [f"Sjukpenningtalet är antalet utbetalda dagar med sjukpenning, arbetsskadesjukpenning eller "
             f"rehabiliteringspenning per försäkrad i åldern 16–64 år. Det gäller alla försäkrade, inte bara anställda "
             f"i välfärden. I bokens data finns det per län för kvinnor och män var för sig, för {y0} och {y1}."]
    figs, directions = [], {}
    for sex in ("K", "M"):
        word = text.sex_label(sex).lower()
        part = frame[frame.sex == sex]
        wide = part.pivot_table(index="region_code", columns="period", values="value")
        per = (wide[y1].round(1) - wide[y0].round(1)).drop("00", errors="ignore")
        said, up, down = sick_pay_sentences(word, wide, per, y0, y1)
        lines.append(said)
        directions[sex] = (len(up), len(down))
        cols = ["source_publisher", "source_title", "source_url", "source_type"]
        prov = part[part.period.isin([y0, y1])].drop_duplicates("source_title")[cols]
        values = per.rename("förändring").astype(float).reset_index().assign(**prov.iloc[-1].to_dict())
        # riket is left out of the map; its rows carry every source of the two years into the source line
        values = pd.concat([values, prov.assign(region_code="00", förändring=float("nan"))], ignore_index=True)
        finding = said
        figs.append(maps.lan_choropleth(values, "förändring", name=f"sjukpenningtal-forandring-{word}-{y0}-{y1}",
                                        title=f"Sjukpenningtal för {word}, förändring {y0}–{y1}",
                                        finding=finding, unit="dagar", legend_title="Förändring, dagar",
                                        decimals=1, diverging=True, height=440))
    fell = [text.sex_label(s).lower() for s, (u, d) in directions.items() if d > u]
    rose = [text.sex_label(s).lower() for s, (u, d) in directions.items() if u > d]
    if fell and not rose:
        lines.append(f"I de flesta län var sjukpenningtalet alltså lägre {y1} än {y0}, för både kvinnor och män"
                     if len(fell) == 2 else f"I de flesta län var sjukpenningtalet för {fell[0]} lägre {y1} än {y0}")
        lines[-1] += "; kartorna visar förändringen i dagar (orange: ökning, blå: minskning)."
    elif rose and not fell:
        lines.append(f"I de flesta län var sjukpenningtalet högre {y1} än {y0}; kartorna visar förändringen i dagar "
                     f"(orange: ökning, blå: minskning).")
    else:
        lines.append("Kartorna visar förändringen i dagar (orange: ökning, blå: minskning).")
    source = text.listing(sorted({text.escape(p) for p in frame[frame.period.isin([y0, y1])].source_publisher}))
    lines.append(f"Uppgifterna kommer från {source}, som återger Försäkringskassan"
                 + (" (sekundärkälla)." if (frame.source_type == "secondary").any() else "."))
    return Section(" ".join(lines), figs)
