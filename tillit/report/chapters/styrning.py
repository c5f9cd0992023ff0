"""Chapter 3.6 (problemen har sin grund i styrning och ledning): each problem linked to its chapter and its key figure."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tillit.report import text
from tillit.report.chapters import Section, detaljstyrning, helhet, kompetens, ledarskap, medborgarfokus, missing
from tillit.tables.store import Store


def _kompetens_key(db: Store) -> str | None:
    """The latest year where kommuner, landsting/regioner and the whole labour market all have sick leave."""
    ratios = kompetens.sector_ratios(kompetens.sector_sick_leave(db, 1990, 2100))
    if ratios.empty:
        return None
    year = int(ratios.index.max())
    r = ratios.loc[ratios.index.max()]
    return (f"sjukfrånvaron {year} var {text.percent(r.kommuner)} i kommunerna och {text.percent(r.regioner)} i "
            f"{text.council_word(year)} mot {text.percent(r.arbetsmarknaden)} på hela arbetsmarknaden "
            f"({text.percent_difference(r.kommuner, r.arbetsmarknaden)} respektive "
            f"{text.percent_difference(r.regioner, r.arbetsmarknaden)})")


@dataclass(frozen=True)
class Problem:
    section: str
    title: str
    page: str
    tables: tuple[str, ...]
    key: Callable[[Store], str | None]
    nearest: Callable[[Store], str | None] | None = None


PROBLEMS = [
    Problem("3.1", "Bristande medborgarfokus", "3-1-medborgarfokus.ipynb", ("ihp", "patientenkat"),
            medborgarfokus.key_figure),
    Problem("3.2", "Frånvaro av helhetsperspektiv", "3-2-helhetsperspektiv.ipynb",
            ("patientenkat", "ihp", "halsopersonal_oecd", "halsopersonal_who"), helhet.key_figure),
    Problem("3.3", "Detaljstyrning och administrativa tidstjuvar", "3-3-detaljstyrning.ipynb",
            ("tidsanvandning_socialsekreterare",), detaljstyrning.key_figure),
    Problem("3.4", "Frånvarande ledarskap och bristande stöd till medarbetarna", "3-4-ledarskap.ipynb",
            ("tidsanvandning_socialsekreterare", "sjukfranvaro_landsting"), ledarskap.key_figure,
            ledarskap.nearest_figure),
    Problem("3.5", "Bristande kompetensförsörjning och kunskapsutveckling", "3-5-kompetensforsorjning.ipynb",
            ("sjukfranvaro_sektor", "sjukfranvaro_landsting", "personalnyckeltal_kommun", "sjukfall_yrke",
             "sjukfall_diagnos", "bristindex", "omsattning_sjukskoterskor", "personalomsattning", "inhyrd_personal"),
            _kompetens_key),
]


def _sentence(s: str) -> str:
    s = s.strip()
    return (s[:1].upper() + s[1:] + ("" if s.endswith(".") else ".")) if s else s


def key_figures(db: Store) -> Section:
    """One line per problem: a link to its chapter and the key figure computed from the data it rests on."""
    lines, without = [], []
    for p in PROBLEMS:
        reason = ""
        try:
            figure = p.key(db)
            nearest = p.nearest(db) if p.nearest and not figure else None
        except Exception as exc:  # a table missing from the store: say so rather than fail the synthesis
            figure = nearest = None
            reason = f" ({type(exc).__name__})"
        link = f"**[{p.section} {p.title}]({p.page})**"
        if figure:
            lines.append(f"- {link}: {_sentence(figure)}")
        else:
            without.append(p.section)
            lines.append(f"- {link}: Data saknas för ett nyckeltal{reason}."
                         + (f" Närmast i data: {_sentence(nearest)}" if nearest else ""))
    intro = (f"Nyckeltal ur data finns för {len(PROBLEMS) - len(without)} av de {len(PROBLEMS)} problemen"
             + (f"; för {text.listing(without)} saknas det." if without else ".")
             )
    return Section(intro + "\n\n" + "\n".join(lines))


def evidence_table(db: Store) -> Section:
    """How much cited data each problem's chapter rests on: tables, values, and the share from secondary sources."""
    stored = set(db.sql("SELECT name FROM _manifest").name)
    rows = ["| Problem | Tabeller | Värden | Varav från sekundärkällor |", "|---|---|---|---|"]
    total = 0
    for p in PROBLEMS:
        present = [t for t in p.tables if t in stored]
        if not present:
            rows.append(f"| [{p.section} {p.title}]({p.page}) | – | 0 | – |")
            continue
        union = " UNION ALL ".join(f'SELECT source_type FROM "{t}"' for t in present)
        counts = db.sql(f"SELECT count(*) AS n, count(*) FILTER (WHERE source_type = 'secondary') AS s FROM ({union})")
        n, s = int(counts.n.iloc[0]), int(counts.s.iloc[0])
        total += n
        share = text.percent(s / n * 100, 0) if n else "–"
        rows.append(f"| [{p.section} {p.title}]({p.page}) | {', '.join(f'`{t}`' for t in present)} | "
                    f"{text.number(n, 0)} | {text.number(s, 0)} ({share}) |")
    if not total:
        return missing("Inga av tabellerna som kapitel 3 bygger på finns i data.")
    return Section("Underlaget per problem (en tabell kan stödja flera problem):\n\n" + "\n".join(rows))


def key_points(db: Store) -> Section:
    """'Det viktigaste' for 3.6: the report's conclusion, and how much of it the data can follow up."""
    from tillit.report.chapters import key_points as box

    with_data = 0
    for p in PROBLEMS:
        try:
            with_data += bool(p.key(db))
        except Exception:  # a table missing from the store counts as no key figure
            pass
    lines = ["Betänkandet drar slutsatsen att de fem problemen i kapitlet har sin grund i styrning och ledning, inte "
             "i enskilda medarbetares eller chefers agerande.",
             f"Data ger ett nyckeltal för {with_data} av de {len(PROBLEMS)} problemen; slutsatsen om orsaken är "
             f"betänkandets egen bedömning och kan inte prövas med statistik."]
    k = _kompetens_key(db)
    if k:
        lines.append(_sentence(k))
    return box(lines)
