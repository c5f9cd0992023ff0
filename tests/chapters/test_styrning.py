"""Chapter 3.6: the synthesis links each problem to its chapter and its key figure, recomputed from a temporary store."""
from __future__ import annotations

from tillit.report.chapters import styrning as ch

FUNDAMENTAL = ("There are some good things in our health care system, but fundamental changes are needed to make it "
               "work better")
CHAPTER_TABLES = sorted({t for p in ch.PROBLEMS for t in p.tables})


def test_sentence():
    assert ch._sentence("sjukfrånvaron var hög") == "Sjukfrånvaron var hög."
    assert ch._sentence("Klar.") == "Klar."


def test_problems_link_to_existing_chapter_pages(root):
    assert [p.section for p in ch.PROBLEMS] == ["3.1", "3.2", "3.3", "3.4", "3.5"]
    for p in ch.PROBLEMS:
        assert (root / "notebooks" / p.page).exists(), p.page


def test_kompetens_key(default_store, chapter_store):
    line = ch._kompetens_key(default_store)
    assert line.startswith("sjukfrånvaron 2021 var 7,7\u00a0procent i kommunerna")
    # a gap between two shares in procentenheter first; the relative difference the claim uses after, labelled
    assert "3,7 respektive 2,4\u00a0procentenheter högre (relativt sett 93 respektive 60\u00a0procent högre" in line
    assert ch._kompetens_key(chapter_store(lambda t: t.drop("sjukfranvaro_sektor"))) is None


def test_key_figures_default(default_store):
    md = ch.key_figures(default_store).markdown
    assert "Nyckeltal ur data finns för 4 av de 5 problemen; för 3.4 saknas det." in md
    assert "**[3.1 Bristande medborgarfokus](3-1-medborgarfokus.ipynb)**: I IHP 2016 hade Sverige den högsta andelen" in md
    assert "(3-5-kompetensforsorjning.ipynb)**: Sjukfrånvaron 2021" in md
    assert "Data saknas för ett nyckeltal. Närmast i data: 11\u00a0procent" in md


def test_key_figures_follow_the_data(chapter_store):
    db = chapter_store(lambda t: t.set("ihp", {"period": "2016", "country": "Sweden", "item": FUNDAMENTAL}, value=30))
    assert "den lägsta andelen av de 11 länderna som ansåg att vården behöver grundläggande förändringar (30\u00a0procent)" \
        in ch.key_figures(db).markdown


def test_key_figures_missing(chapter_store):
    db = chapter_store(lambda t: [t.drop("ihp"), t.drop("patientenkat")])
    md = ch.key_figures(db).markdown
    assert "för 2 av de 5 problemen; för 3.1, 3.2 och 3.4 saknas det." in md


def test_evidence_table(default_store, chapter_store):
    md = ch.evidence_table(default_store).markdown
    assert "| [3.3 Detaljstyrning och administrativa tidstjuvar](3-3-detaljstyrning.ipynb) | " \
           "[Utredande socialsekreterares tidsanvändning 2017](tabell-tidsanvandning_socialsekreterare) | 9 | " \
           "7 (78\u00a0procent) |" in md
    assert "`" not in md  # no internal table name as reader text; the titles link to *Data och källor*
    assert "(tabell-halsopersonal_who)" in md.split("3.2 Frånvaro")[1].split("\n")[0]  # the chapter's own tables
    db = chapter_store(lambda t: t.drop("tidsanvandning_socialsekreterare", {"source_publisher": "Metro"}))
    assert "| 6 | 4 (67\u00a0procent) |" in ch.evidence_table(db).markdown


def test_problem_tables_follow_the_chapter_registry_and_the_synthesis_reads_them_all(root):
    from tillit.core import chapter_registry

    specs = {s.path: s for s in chapter_registry.load(root).notebooks.values()}
    for p in ch.PROBLEMS:
        assert list(p.tables) == specs[f"notebooks/{p.page}"].tables
    assert set(CHAPTER_TABLES) <= set(specs["notebooks/3-6-styrning.ipynb"].tables)


def test_evidence_table_missing(chapter_store):
    section = ch.evidence_table(chapter_store(lambda t: [t.drop(name) for name in CHAPTER_TABLES]))
    assert section.markdown.startswith(":::{admonition} Data saknas")
