"""Chapter 3.6 (problemen har sin grund i styrning och ledning): each problem linked to its chapter and its key figure."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tillit.core import chapter_registry, markdown
from tillit.core.swedish import rounded
from tillit.report import numbers, text
from tillit.report.chapters import Section, detaljstyrning, helhet, kompetens, ledarskap, medborgarfokus, missing
from tillit.tables.catalog import load_catalog
from tillit.tables.store import Store


def _kompetens_key(db: Store) -> str | None:
    """The latest year where kommuner, landsting/regioner and the whole labour market all have sick leave: the gap in
    procentenheter (a difference between two shares), then the relative difference the report's claim uses."""
    ratios = kompetens.sector_ratios(kompetens.sector_sick_leave(db, 1990, 2100))
    if ratios.empty:
        return None
    year = int(ratios.index.max())
    r = ratios.loc[ratios.index.max()]
    k = lambda *p: numbers.key("sjukfranvaro-sektor", *p, year)  # noqa: E731
    kom, reg, all_ = (numbers.percent(k(n), v) for n, v in (("kommuner", r.kommuner), ("regioner", r.regioner),
                                                             ("arbetsmarknaden", r.arbetsmarknaden)))
    diffs = {n: float(rounded(v, 1) - rounded(r.arbetsmarknaden, 1)) for n, v in (("kommuner", r.kommuner),
                                                                                   ("regioner", r.regioner))}
    rel = {n: (v / r.arbetsmarknaden - 1) * 100 for n, v in (("kommuner", r.kommuner), ("regioner", r.regioner))}
    if all(d > 0 for d in diffs.values()) or all(d < 0 for d in diffs.values()):
        word = "högre" if diffs["kommuner"] > 0 else "lägre"
        p = [numbers.register(k(n, "mot-arbetsmarknaden", "procentenheter"), d, text.number(abs(d)))
             for n, d in diffs.items()]
        q = [numbers.register(k(n, "mot-arbetsmarknaden", "procent"), x, text.number(abs(x), 0)) for n, x in rel.items()]
        gap = (f"{p[0]} respektive {p[1]}\u00a0procentenheter {word} (relativt sett {q[0]} respektive "
               f"{q[1]}\u00a0procent {word}, det mått betänkandet använder)")
    else:
        gap = " och ".join(f"{text.difference_words(v, r.arbetsmarknaden)} arbetsmarknaden för {n}"
                           for n, v in (("kommunerna", r.kommuner), ("regionerna", r.regioner)))
    return (f"sjukfrånvaron {year} var {kom} i kommunerna och {reg} i {text.council_word(year)} mot {all_} på hela "
            f"arbetsmarknaden, {gap}")


@dataclass(frozen=True)
class Problem:
    section: str
    title: str
    page: str
    key: Callable[[Store], str | None]
    nearest: Callable[[Store], str | None] | None = None

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables the chapter's notebook reads, as the chapter registry (notebooks/notebooks.yaml) lists them."""
        for spec in chapter_registry.load().notebooks.values():
            if spec.path == f"notebooks/{self.page}" and spec.tables != "*":
                return tuple(spec.tables)
        return ()


PROBLEMS = [
    Problem("3.1", "Bristande medborgarfokus", "3-1-medborgarfokus.ipynb", medborgarfokus.key_figure),
    Problem("3.2", "Frånvaro av helhetsperspektiv", "3-2-helhetsperspektiv.ipynb", helhet.key_figure),
    Problem("3.3", "Detaljstyrning och administrativa tidstjuvar", "3-3-detaljstyrning.ipynb",
            detaljstyrning.key_figure),
    Problem("3.4", "Frånvarande ledarskap och bristande stöd till medarbetarna", "3-4-ledarskap.ipynb",
            ledarskap.key_figure, ledarskap.nearest_figure),
    Problem("3.5", "Bristande kompetensförsörjning och kunskapsutveckling", "3-5-kompetensforsorjning.ipynb",
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
    counted = numbers.register(numbers.key("nyckeltal", "antal-problem"), len(PROBLEMS) - len(without),
                               str(len(PROBLEMS) - len(without)))
    intro = (f"Nyckeltal ur data finns för {counted} av de {len(PROBLEMS)} problemen"
             + (f"; för {text.listing(without)} saknas det." if without else ".")
             )
    return Section(intro + "\n\n" + "\n".join(lines))


def evidence_table(db: Store) -> Section:
    """How much cited data each problem's chapter rests on: its data tables by title (linked to *Data och källor*),
    values, and the share from secondary sources."""
    stored = set(db.sql("SELECT name FROM _manifest").name)
    catalog = load_catalog().tables
    rows = []
    total = 0
    for p in PROBLEMS:
        link = f"[{p.section} {p.title}]({p.page})"
        present = [t for t in p.tables if t in stored]
        if not present:
            rows.append([link, "–", "0", "–"])
            continue
        union = " UNION ALL ".join(f'SELECT source_type FROM "{t}"' for t in present)
        counts = db.sql(f"SELECT count(*) AS n, count(*) FILTER (WHERE source_type = 'secondary') AS s FROM ({union})")
        n, s = int(counts.n.iloc[0]), int(counts.s.iloc[0])
        total += n
        k = lambda *parts: numbers.key("underlag", p.section, *parts)  # noqa: E731
        share = numbers.percent(k("andel-sekundar"), s / n * 100, 0) if n else "–"
        titles = "; ".join(f"[{text.escape(catalog[t].title)}](tabell-{t})" if t in catalog else "en tabell som lagts till"
                           for t in present)
        rows.append([link, titles, numbers.number(k("varden"), n, 0),
                     f"{numbers.number(k('sekundar'), s, 0)} ({share})"])
    if not total:
        return missing("Inga av de uppgifter som kapitel 3 bygger på finns i bokens data.")
    return Section("Underlaget per problem (samma data kan stödja flera problem):\n\n"
                   + markdown.table(["Problem", "Data", "Värden", "Varav från sekundärkällor"], rows))


def key_points(db: Store) -> Section:
    """'Det viktigaste' for 3.6: the report's conclusion, and how much of it the data can follow up."""
    from tillit.report.chapters import key_points as box

    with_data = 0
    for p in PROBLEMS:
        try:
            with_data += bool(p.key(db))
        except Exception:  # a table missing from the store counts as no key figure
            pass
    counted = numbers.register(numbers.key("nyckeltal", "antal-problem"), with_data, str(with_data))
    lines = ["Betänkandet drar slutsatsen att de fem problemen i kapitlet har sin grund i styrning och ledning, inte "
             "i enskilda medarbetares eller chefers agerande.",
             f"Data ger ett nyckeltal för {counted} av de {len(PROBLEMS)} problemen; slutsatsen om orsaken är "
             f"betänkandets egen bedömning och kan inte prövas med statistik."]
    k = _kompetens_key(db)
    if k:
        lines.append(_sentence(k))
    return box(lines)
