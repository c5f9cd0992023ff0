"""Tests for tillit.claims: the registry of the report's claims, its checks, and claims re-tested on changed data."""
from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from tillit import claims
from tillit.tables import store
from tillit.claims import (FAILS, FOLLOW_UP, HOLDS, LATER_PERIOD, OTHER_DIRECTION, PROXY, REPORT_PERIOD,
                           SAME_DIRECTION, SAME_PERIOD, UNTESTABLE, VERDICTS, RegistryError, RegistryErrors)

ROOT = Path(__file__).resolve().parent.parent


# --- fixtures -------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def registry() -> list[claims.Claim]:
    return claims.load_registry(ROOT / "data" / "claims.yaml")


@pytest.fixture(scope="module")
def default_store_path(tmp_path_factory) -> Path:
    """A store built from the project's default data, in a temporary folder (the project's own store is untouched)."""
    path = tmp_path_factory.mktemp("store") / "default.duckdb"
    project_store = ROOT / "data" / "tillit.duckdb"
    if project_store.is_file():
        shutil.copyfile(project_store, path)  # build() below then only rebuilds tables whose files changed
    store.build(path=path, data=ROOT / "data")
    return path


@pytest.fixture(scope="module")
def default_store(default_store_path):
    con = store.connect(default_store_path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def results(default_store, registry) -> pd.DataFrame:
    return claims.evaluate_all(default_store, registry)


@pytest.fixture
def changed(tmp_path, default_store_path):
    """Change table cells in a copy of data/ and return a store built from it: changed(table, match, column, value)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb", "raw", ".*"))
    path = tmp_path / "s.duckdb"
    shutil.copyfile(default_store_path, path)  # only the changed tables are rebuilt
    opened = []

    def change(edits: list[tuple[str, dict, str, str | None]]):
        for table, match, column, value in edits:
            csv = data / "tables" / f"{table}.csv"
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            mask = pd.Series(True, index=frame.index)
            for key, wanted in match.items():
                mask &= frame[key] == wanted
            assert mask.sum() >= 1, f"no row of {table} matches {match}"
            if value is None:
                frame = frame[~mask]
            else:
                frame.loc[mask, column] = value
            frame.to_csv(csv, index=False, lineterminator="\n")
        store.build(path=path, data=data)
        con = store.connect(path)
        opened.append(con)
        return con

    yield change
    for con in opened:
        con.close()


def by_id(registry, claim_id: str) -> claims.Claim:
    return next(c for c in registry if c.id == claim_id)


def write_registry(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text("claims:\n" + textwrap.indent(textwrap.dedent(entries), "  "), encoding="utf-8")
    return path


GOOD_ENTRY = """
- id: test-kommuner
  chapter: 3-5-kompetensforsorjning
  section: "3.5.2"
  line: 4138
  quote: Jämfört med arbetsmarknaden i stort har kommuner omkring 85 procent högre sjukfrånvaro.
  claim_type: ratio
  report_year: 2017
  expect: omkring 85 procent
  missing: Saknas.
  needs: {{publisher: SKR, table: Sjukfrånvaro i kommuner, years: "2017"}}
  evidence: {{measure: samma, note: SKR:s sjukfrånvaroredovisning.}}
  finding: kommunerna låg {{value:1}} procent över
  tables:
    {table}: [period, sector, {column}, value]
  sql: |
    SELECT period AS year, 100 * (max(value) FILTER (WHERE sector = 'kommuner') /
           max(value) FILTER (WHERE sector = 'arbetsmarknaden') - 1) AS value
    FROM {table} GROUP BY period
"""


# --- the registry -------------------------------------------------------------------------------------------------

def test_registry_has_enough_claims_with_known_chapters(registry):
    assert len(registry) >= 30
    assert len({c.id for c in registry}) == len(registry)
    assert {c.chapter for c in registry} <= set(claims.CHAPTERS)
    assert {c.claim_type for c in registry} <= set(claims.CLAIM_TYPES)
    assert {"2.1", "3.1.1", "3.2.3", "3.3.1", "3.4.1", "3.5.2", "3.5.4"} <= {c.section for c in registry}


def test_quotes_occur_in_the_report_at_their_lines(registry):
    seed = claims.seed_path(ROOT / "data" / "claims.yaml")
    if seed is None or not seed.is_file():
        pytest.skip(f"the report text {seed} is not available here")
    text = seed.read_text(encoding="utf-8")
    assert claims.quote_problems(registry, text) == []
    # and the check does catch a quote that is not there
    fake = claims.Claim(**{**by_id(registry, "socialsekreterare-tva-procent").__dict__, "quote": "Endast tre procent"})
    assert claims.quote_problems([fake], text)


def test_normalize_text_joins_hyphenated_line_breaks():
    assert claims.normalize_text("förtro-\nende för IHP-\nstudien i hälso- \noch  sjukvård") == \
        "förtroende för IHP-studien i hälso- och sjukvård"


def test_contradictions_are_recorded(registry):
    timme = by_id(registry, "socialsekreterare-dryg-timme")
    assert timme.contradiction.claim == "socialsekreterare-12-procent"
    assert timme.contradiction.line == by_id(registry, "socialsekreterare-12-procent").line
    assert "12 procent" in by_id(registry, "socialsekreterare-12-procent").quote
    assert by_id(registry, "chefer-dubbelt-sa-manga-medarbetare").contradiction.claim == "chefer-50-mot-10-medarbetare"


def test_expectations_come_from_the_quotes(registry):
    for claim in registry:
        for text in claim.expect.values():
            if text != "sant":
                source = claim.quote + " " + (claim.definition or "")
                assert claims.normalize_text(text).casefold() in source.casefold()
        assert claim.expectations  # every tolerance can be read


def test_unknown_table_fails_naming_claim_table_and_file(tmp_path):
    path = write_registry(tmp_path, GOOD_ENTRY.format(table="no_such_table", column="sex"))
    with pytest.raises(RegistryError) as err:
        claims.load_registry(path)
    message = str(err.value)
    assert "test-kommuner" in message and "no_such_table" in message and str(path) in message


def test_unknown_column_fails_naming_claim_column_and_file(tmp_path):
    path = write_registry(tmp_path, GOOD_ENTRY.format(table="sjukfranvaro_sektor", column="no_such_column"))
    with pytest.raises(RegistryError) as err:
        claims.load_registry(path)
    message = str(err.value)
    assert "test-kommuner" in message and "no_such_column" in message and "sjukfranvaro_sektor" in message
    assert str(path) in message and re.search(r"row \d+", message)


def test_query_using_an_undeclared_column_fails(tmp_path):
    entry = GOOD_ENTRY.format(table="sjukfranvaro_sektor", column="sex").replace(
        "tables:\n    sjukfranvaro_sektor: [period, sector, sex, value]",
        "tables:\n    sjukfranvaro_sektor: [period, value]")
    with pytest.raises(RegistryError, match=r"test-kommuner.*(sector|Binder)"):
        claims.load_registry(write_registry(tmp_path, entry))


def test_a_good_entry_loads_and_several_problems_are_listed(tmp_path):
    good = GOOD_ENTRY.format(table="sjukfranvaro_sektor", column="sex")
    assert [c.id for c in claims.load_registry(write_registry(tmp_path, good))] == ["test-kommuner"]
    bad = good.replace("3-5-kompetensforsorjning", "3-9-x").replace("claim_type: ratio", "claim_type: x")
    with pytest.raises(RegistryErrors) as err:
        claims.load_registry(write_registry(tmp_path, bad))
    assert "field 'chapter'" in str(err.value) and "unknown chapter" in str(err.value)
    assert "field 'claim_type'" in str(err.value)
    wrong_words = good.replace("omkring 85 procent\n", "omkring 95 procent\n")
    with pytest.raises(RegistryError, match="not words from the quote"):
        claims.load_registry(write_registry(tmp_path, wrong_words))


def test_schema_names_file_line_claim_and_field(tmp_path):
    good = GOOD_ENTRY.format(table="sjukfranvaro_sektor", column="sex")
    path = write_registry(tmp_path, good.replace("  evidence: {measure: samma,", "  evidence: {measure: kanske,")
                          .replace("  line: 4138", "  line: 4138\n  colour: red"))
    with pytest.raises(RegistryErrors) as err:
        claims.load_registry(path)
    message = str(err.value)
    assert str(path) in message and "row 3" in message and "test-kommuner" in message
    assert "field 'evidence.measure'" in message and "field 'colour': unknown field" in message


def test_a_computed_claim_must_grade_its_evidence(tmp_path):
    good = GOOD_ENTRY.format(table="sjukfranvaro_sektor", column="sex")
    no_grade = "\n".join(line for line in good.split("\n") if not line.startswith("  evidence:"))
    with pytest.raises(RegistryError, match="field 'evidence'"):
        claims.load_registry(write_registry(tmp_path, no_grade))


# --- evaluating on the default data -----------------------------------------------------------------------------

def test_every_claim_evaluates_with_two_rows(results, registry):
    assert list(results.columns[:3]) == ["id", "chapter", "section"]
    assert len(results) == 2 * len(registry)
    assert set(results["basis"]) == {REPORT_PERIOD, FOLLOW_UP}
    assert set(results["status"]) <= set(claims.STATUSES)
    assert results["sentence"].str.len().min() > 0


def test_at_least_ten_claims_are_evaluable(results):
    evaluable = results.loc[results["status"] != UNTESTABLE, "id"].unique()
    assert len(evaluable) >= 10


def test_every_claim_names_the_data_a_fair_test_needs(registry):
    for claim in registry:
        assert claim.needs.publisher and claim.needs.table and re.search(r"\d{4}", claim.needs.years), claim.id


def status(results, claim_id: str, basis: str) -> pd.Series:
    return results[(results["id"] == claim_id) & (results["basis"] == basis)].iloc[0]


def test_no_verdict_rests_on_a_proxy(results, registry):
    verdicts = results[results["status"].isin(VERDICTS)]
    assert len(verdicts) > 0
    assert set(verdicts["grade"]) <= {SAME_PERIOD, LATER_PERIOD}
    same = {c.id for c in registry if c.same_measure}
    assert set(verdicts["id"]) <= same
    proxies = results[results["grade"] == PROXY]
    assert set(proxies["status"]) <= {SAME_DIRECTION, OTHER_DIRECTION, UNTESTABLE}


def test_a_verdict_for_the_report_period_is_on_the_report_year(results):
    own = results[(results["basis"] == REPORT_PERIOD) & (results["grade"] == SAME_PERIOD)]
    assert (own["year"] == own["report_year"]).all()
    # an earlier year than the report's is another period: at most an indication
    earlier = results[(results["basis"] == REPORT_PERIOD) & (results["year"] < results["report_year"])]
    assert set(earlier["grade"]) <= {PROXY}


def test_every_follow_up_is_after_the_report_year(results):
    tested = results[(results["basis"] == FOLLOW_UP) & results["year"].notna()]
    assert len(tested) > 0
    assert (tested["year"] > tested["report_year"]).all()


def test_the_reported_mismatches_are_gone(results, registry):
    # trust "in institutions and each other" is not judged on whether health care needs fundamental changes
    assert not by_id(registry, "fortroende-institutioner-internationellt-hogt").testable
    assert set(results.loc[results["id"] == "fortroende-institutioner-internationellt-hogt", "status"]) == {UNTESTABLE}
    # a claim pinned to 2014 is judged on 2014 only; 2021 is a separate follow-up, and sick cases per 1 000
    # (another measure than sick days) can only indicate
    report = status(results, "vard-omsorg-nastan-dubbelt", REPORT_PERIOD)
    follow_up = status(results, "vard-omsorg-nastan-dubbelt", FOLLOW_UP)
    assert pd.isna(report["year"]) or report["year"] == 2014
    assert follow_up["grade"] == PROXY and follow_up["status"] in (SAME_DIRECTION, OTHER_DIRECTION)
    assert "sjukfall per 1 000" in follow_up["evidence"]
    # Vårdanalys's follow-up judged on another source: an indication, never a verdict
    assert set(results.loc[results["id"] == "patientdelaktighet-forsamring", "status"]) <= \
        {SAME_DIRECTION, OTHER_DIRECTION, UNTESTABLE}
    # the report's own arithmetic "(12 procent utgör en timme …)" holds: 1/8 = 12,5 procent
    twelve = status(results, "socialsekreterare-12-procent", REPORT_PERIOD)
    assert (twelve["status"], twelve["grade"], twelve["value"]) == (HOLDS, SAME_PERIOD, 12.5)


def test_one_claim_read_one_way_care_staff_highest(registry, results):
    a = by_id(registry, "vard-omsorg-hogst-figur-3-6")
    b = by_id(registry, "vard-omsorg-hogst-sjukfranvaro")
    assert a.sql == b.sql and a.expect == b.expect
    for basis in (REPORT_PERIOD, FOLLOW_UP):
        ra, rb = status(results, a.id, basis), status(results, b.id, basis)
        if pd.notna(ra["year"]) and pd.notna(rb["year"]) and ra["year"] == rb["year"]:
            assert ra["values"]["plats"] == rb["values"]["plats"]


def test_known_results_on_default_data(results):
    row = status(results, "kommuner-landsting-procent-hogre-sjukfranvaro", REPORT_PERIOD)
    assert (row["status"], row["grade"], row["year"]) == (HOLDS, SAME_PERIOD, 2017)
    assert "89,2 procent högre" in row["sentence"]  # Swedish decimal comma, from the finding template
    assert "”omkring 85 procent” medger 76,5–93,5" in row["sentence"]
    follow_up = status(results, "kommuner-landsting-procent-hogre-sjukfranvaro", FOLLOW_UP)
    assert (follow_up["grade"], follow_up["year"]) == (LATER_PERIOD, 2021)
    assert follow_up["sentence"].startswith("Uppföljning: håller (samma mått, senare period, 2021)")
    # "in all landsting" with two landsting in data cannot be confirmed
    assert status(results, "sjukskoterskor-slutat-okat-alla-landsting", REPORT_PERIOD)["status"] == UNTESTABLE


def test_sentences_carry_no_code_notation(results):
    for sentence in results["sentence"]:
        assert not re.search(r"\(1 = ja\)|plats uppifrån 1|_|\{|\}|\d{4}K\d|[a-zåäö]\d\b", sentence), sentence


# --- the status follows the data ----------------------------------------------------------------------------------

def test_status_flips_when_the_sick_leave_of_kommuner_changes(changed, registry):
    claim = by_id(registry, "kommuner-landsting-procent-hogre-sjukfranvaro")
    match = {"period": "2017", "sector": "kommuner", "series": "skr_sjukfranvaroredovisning", "sex": "T",
             "measure": "sjukfranvaro_pct"}
    con = changed([("sjukfranvaro_sektor", match, "value", "5.0")])
    result = claims.evaluate(claim, con)
    assert result.report.status == FAILS
    assert result.follow_up.status == HOLDS  # 2021 is unchanged


def test_a_missing_report_year_gives_an_indication_from_an_earlier_year(changed, registry):
    claim = by_id(registry, "kommuner-landsting-procent-hogre-sjukfranvaro")
    match = {"period": "2017", "sector": "kommuner", "series": "skr_sjukfranvaroredovisning"}
    result = claims.evaluate(claim, changed([("sjukfranvaro_sektor", match, "value", None)]))
    assert result.report.year == 2016 and result.report.grade == PROXY
    assert result.report.status in (SAME_DIRECTION, OTHER_DIRECTION)
    assert any("2017 saknas" in note for note in result.report.notes)


def test_status_flips_when_the_time_study_changes(changed, registry):
    claim = by_id(registry, "socialsekreterare-tva-procent")
    match = {"activity": "direkta möten med barn och unga"}
    con = changed([("tidsanvandning_socialsekreterare", match, "value", "6.0")])
    assert claims.evaluate(claim, con).report.status == FAILS


def test_a_counterexample_in_partial_data_refutes_a_universal_claim(changed, registry):
    claim = by_id(registry, "sjukskoterskor-slutat-okat-alla-landsting")
    match = {"period": "2015", "region_code": "20", "measure": "slutat_exkl_pension_per_100"}
    result = claims.evaluate(claim, changed([("omsattning_sjukskoterskor", match, "value", "1.5")]))
    assert result.report.status == FAILS and any("2 av 21 landsting" in n for n in result.report.notes)


def test_an_ordering_is_judged_on_its_own_year(changed, registry):
    claim = by_id(registry, "kommun-landsting-stat-ordning")
    match = {"period": "2013", "sector": "staten", "series": "arbetsgivarverket", "sex": "T",
             "measure": "sjukfranvaro_pct"}
    result = claims.evaluate(claim, changed([("sjukfranvaro_sektor", match, "value", "9.0")]))
    assert result.report.status == HOLDS  # the ordering is judged per year: 2013 does not touch 2017


def test_a_continuous_claim_fails_on_one_bad_year(changed, registry):
    claim = by_id(registry, "valfard-sjukfranvaro-hogre-over-tid")
    assert claim.continuous and not claim.same_measure
    match = {"period": "2013", "sector": "arbetsmarknaden", "series": "arbetsgivarverket"}
    result = claims.evaluate(claim, changed([("sjukfranvaro_sektor", match, "value", "9.0")]))
    assert result.report.status == OTHER_DIRECTION  # one bad year breaks a claim about "en längre tid"
    assert "håller inte 2013" in " ".join(result.report.notes)


def test_a_python_computation_follows_the_data(changed, registry):
    claim = by_id(registry, "inhyrd-personal-17-procent")
    match = {"period": "2016", "measure": "ökning av kostnad för inhyrd personal jämfört med 2015"}
    result = claims.evaluate(claim, changed([("inhyrd_personal", match, "value", "300")]))
    assert result.report.status == FAILS


# --- what readers see ---------------------------------------------------------------------------------------------

def test_summary_separates_verdicts_follow_ups_and_indications(results):
    text = claims.summary_markdown(results)
    own = results[(results["basis"] == REPORT_PERIOD) & (results["grade"] == SAME_PERIOD)
                  & results["status"].isin(VERDICTS)]
    holds = int((own["status"] == HOLDS).sum())
    assert f"Av de {len(own)} domar som kan fällas på betänkandets eget mått och period håller {holds}" in text
    assert "| Prövning | Underlag | Håller | Håller inte |" in text  # no empty header cell
    assert "| Indikation | Underlag | Pekar åt samma håll | Pekar åt ett annat håll |" in text
    assert "61 procent" not in text


def test_chapter_tables_link_each_claim_to_its_anchor(results, registry):
    links = {c: f"{c}.ipynb" for c in claims.CHAPTERS}
    text = claims.chapter_tables(results, links)
    for claim in registry:
        assert f"<pastaende-{claim.id}>`" in text
    assert text.count("### ") == len({c.chapter for c in registry})


def test_claim_badges_for_one_chapter(results, registry):
    text = claims.claim_badges(results, "3-3-detaljstyrning")
    wanted = [c for c in registry if c.chapter == "3-3-detaljstyrning"]
    assert text.count("(pastaende-") == len(wanted)
    assert "**Håller** (samma mått och period, 2017)" in text and "Motsägelse" in text
    assert "3.5.2" not in text
    assert "Inga kvantitativa påståenden" in claims.claim_badges(results, "3-6-styrning")


def test_text_from_the_registry_is_escaped(tmp_path, default_store):
    path = write_registry(tmp_path, """
        - id: test-escape
          chapter: 3-3-detaljstyrning
          section: "3.3.1"
          line: 1
          quote: "Kostnaden var <script>x</script> | *17 procent* [länk](http://x)"
          claim_type: share
          report_year: 2016
          expect: 17 procent
          missing: "Saknas & <b>ingen</b> data."
          needs: {publisher: "<i>X</i>", table: "Tabell", years: "2016"}
    """)
    frame = claims.evaluate_all(default_store, path)
    table = claims.chapter_tables(frame, {"3-3-detaljstyrning": "a b.html"})
    badges = claims.claim_badges(frame, "3-3-detaljstyrning")
    for text in (table, badges):
        assert "<script>" not in text and "<b>" not in text
        assert "\\<script\\>" in text and "\\*17 procent\\*" in text and "\\[länk\\]" in text
    assert "\\|" in table and "(a%20b.html)" in table
    assert "<i>" not in badges


def test_chapter_badges_filter_by_section():
    """Each section of a chapter shows exactly its own claims beside its quotes."""
    from tillit.report import claims_view

    all_35 = claims_view.badges("3-5-kompetensforsorjning").markdown.count("(pastaende-")
    parts = [claims_view.badges("3-5-kompetensforsorjning", section=s).markdown.count("(pastaende-")
             for s in ("3.5.1", "3.5.2", "3.5.3", "3.5.4", "3.5.5")]
    assert sum(parts) == all_35
    both = claims_view.badges("3-5-kompetensforsorjning", section=["3.5.1", "3.5.5"]).markdown.count("(pastaende-")
    assert both == parts[0] + parts[4]


def test_readers_see_quotes_without_footnote_numbers(results):
    quotes = " ".join(results["quote"])
    assert "landstinget4" not in quotes and "brist5" not in quotes
    assert "kommunen/ landstinget bedriver" in quotes and "stor brist på" in quotes


@pytest.mark.parametrize("verbatim,shown", [
    ("Totalt var drygt 1,3 miljoner personer sysselsatta", "Totalt var drygt 1,3 miljoner personer sysselsatta"),
    ("I figur 3.6 framgår att vård- och omsorgspersonal", "I figur 3.6 framgår att vård- och omsorgspersonal"),
    ("har Sverige sämre resultat än de andra länderna (se figur 3.1).",
     "har Sverige sämre resultat än de andra länderna (se figur 3.1)."),
    ("hamnar Sverige allra sist i jämförelserna (se figur 3.3).", "hamnar Sverige allra sist i jämförelserna (se figur 3.3)."),
    ("vid en jämförelse med övriga länder i mätningen (se figur 3.4).",
     "vid en jämförelse med övriga länder i mätningen (se figur 3.4)."),
    ("(Fredriksson & Vlachos 2011; SOU 2017:35).", "(Fredriksson & Vlachos 2011; SOU 2017:35)."),
    ("råder en stor brist5 på sökande.", "råder en stor brist på sökande."),
    ("hur väl kommunen/ landstinget4 bedriver", "hur väl kommunen/ landstinget bedriver"),
    ("i hälso- och sjukvården.5 Nästa", "i hälso- och sjukvården. Nästa"),
])
def test_reader_quotes_drop_footnote_markers_but_keep_numbers(verbatim, shown):
    assert claims.render.reader_quote(verbatim) == shown


def _quote_pattern(shown: str) -> re.Pattern:
    """The shown quote as a pattern over the report text: any whitespace between words, and a footnote marker
    (one or two digits) allowed right after a word or after its punctuation, nothing else."""
    marker = r"(?:\d{1,2})?"
    parts = []
    for token in shown.split():
        word = re.fullmatch(r"(.*[a-zåäöéü])([.,;:)]*)", token)
        if word:  # a word, perhaps with punctuation: a marker may follow the word or the punctuation
            parts.append(re.escape(word.group(1)) + marker + re.escape(word.group(2)) + (marker if word.group(2) else ""))
        else:
            parts.append(re.escape(token))
    return re.compile(r"\s+".join(parts))


def test_every_quote_readers_see_is_in_the_report(results):
    seed = claims.seed_path(ROOT / "data" / "claims.yaml")
    if seed is None or not seed.is_file():
        pytest.skip(f"the report text {seed} is not available here")
    text = claims.normalize_text(seed.read_text(encoding="utf-8"))
    shown = set(results["quote"]) | {q.split(": ”", 1)[1].rstrip("”") for q in results["contradiction"].dropna()}
    missing = [q for q in shown if not _quote_pattern(q).search(text)]
    assert not missing, missing
    # the numbers of every quote survive: a digit dropped from '1,3' or '3.6' would fail the search above
    assert not _quote_pattern("drygt 1, miljoner personer").search(text)
    assert not _quote_pattern("I figur 3. framgår").search(text)
