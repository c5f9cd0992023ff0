"""Tests for tillit.claims: the registry of the report's claims, its checks, and claims re-tested on changed data."""
from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from tillit import claims, store
from tillit.claims import FAILS, HOLDS, LATEST_YEAR, REPORT_YEAR, UNTESTABLE, RegistryError, RegistryErrors

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
    bad = good.replace("omkring 85 procent\n", "omkring 95 procent\n").replace("3-5-kompetensforsorjning", "3-9-x")
    with pytest.raises(RegistryErrors) as err:
        claims.load_registry(write_registry(tmp_path, bad))
    assert "unknown chapter" in str(err.value) and "not words from the quote" in str(err.value)


# --- evaluating on the default data -----------------------------------------------------------------------------

def test_every_claim_evaluates_with_two_rows(results, registry):
    assert list(results.columns[:3]) == ["id", "chapter", "section"]
    assert len(results) == 2 * len(registry)
    assert set(results["basis"]) == {REPORT_YEAR, LATEST_YEAR}
    assert set(results["status"]) <= {HOLDS, FAILS, UNTESTABLE}
    assert results["reason"].str.len().min() > 0


def test_at_least_ten_claims_are_evaluable(results):
    evaluable = results.loc[results["status"] != UNTESTABLE, "id"].unique()
    assert len(evaluable) >= 10


def test_untestable_reasons_name_the_missing_data(results):
    rows = results[(results["status"] == UNTESTABLE)]
    assert rows["reason"].str.contains("saknas|finns inte|bara").all()


def status(results, claim_id: str, basis: str) -> pd.Series:
    return results[(results["id"] == claim_id) & (results["basis"] == basis)].iloc[0]


def test_known_results_on_default_data(results):
    row = status(results, "kommuner-landsting-procent-hogre-sjukfranvaro", REPORT_YEAR)
    assert (row["status"], row["year"]) == (HOLDS, 2017)
    assert "89,19" in row["reason"]  # Swedish decimal comma
    # the 2014 occupation claim is tested on 2014 sick cases per 1 000 (not the report's sick days), with a caveat
    report = status(results, "vard-omsorg-nastan-dubbelt", REPORT_YEAR)
    latest = status(results, "vard-omsorg-nastan-dubbelt", LATEST_YEAR)
    assert report["year"] == 2014 and report["status"] in (HOLDS, FAILS) and "sjukfall per 1 000" in report["reason"]
    assert latest["year"] == 2021 and latest["status"] in (HOLDS, FAILS) and "sjukfall per 1 000" in latest["reason"]
    # hired staff: 2011 is missing
    assert set(results.loc[results["id"] == "inhyrd-personal-nastan-fordubblats", "status"]) == {UNTESTABLE}
    # an "in all landsting" claim with two landsting in data cannot be confirmed
    assert status(results, "sjukskoterskor-slutat-okat-alla-landsting", REPORT_YEAR)["status"] == UNTESTABLE
    # a continuous claim is tested once the data hold more than one year (2014 and 2021 for vård och omsorg)
    continuous = status(results, "vard-omsorg-kontinuerligt-over", LATEST_YEAR)
    assert continuous["status"] in (HOLDS, FAILS) and continuous["year"] == 2021


# --- the status follows the data ----------------------------------------------------------------------------------

def test_status_flips_when_the_sick_leave_of_kommuner_changes(changed, registry):
    claim = by_id(registry, "kommuner-landsting-procent-hogre-sjukfranvaro")
    match = {"period": "2017", "sector": "kommuner", "series": "skr_sjukfranvaroredovisning", "sex": "T",
             "measure": "sjukfranvaro_pct"}
    con = changed([("sjukfranvaro_sektor", match, "value", "5.0")])
    result = claims.evaluate(claim, con)
    assert result.report.status == FAILS
    assert result.latest.status == HOLDS  # 2021 is unchanged


def test_status_flips_to_untestable_when_the_year_is_removed(changed, registry):
    claim = by_id(registry, "kommuner-landsting-procent-hogre-sjukfranvaro")
    match = {"period": "2017", "sector": "kommuner", "series": "skr_sjukfranvaroredovisning"}
    result = claims.evaluate(claim, changed([("sjukfranvaro_sektor", match, "value", None)]))
    assert result.report.status == UNTESTABLE and "2017 saknas" in result.report.reason


def test_status_flips_when_the_time_study_changes(changed, registry):
    claim = by_id(registry, "socialsekreterare-12-procent")
    match = {"activity": "direkt tid med barn och vuxna"}
    con = changed([("tidsanvandning_socialsekreterare", match, "value", "12.0")])
    assert claims.evaluate(claim, con).report.status == HOLDS


def test_a_counterexample_in_partial_data_refutes_a_universal_claim(changed, registry):
    claim = by_id(registry, "sjukskoterskor-slutat-okat-alla-landsting")
    match = {"period": "2015", "region_code": "20", "measure": "slutat_exkl_pension_per_100"}
    result = claims.evaluate(claim, changed([("omsattning_sjukskoterskor", match, "value", "1.5")]))
    assert result.report.status == FAILS and "2 av 21 landsting" in result.report.reason


def test_a_continuous_claim_fails_on_one_bad_year(changed, registry):
    claim = by_id(registry, "vard-omsorg-kontinuerligt-over")
    match = {"period": "2021", "occupation": "Samtliga yrken"}
    result = claims.evaluate(claim, changed([("sjukfall_yrke", match, "value", "400")]))
    assert result.latest.status == FAILS


def test_a_python_computation_follows_the_data(changed, registry):
    claim = by_id(registry, "inhyrd-personal-17-procent")
    match = {"period": "2016", "measure": "ökning av kostnad för inhyrd personal jämfört med 2015"}
    result = claims.evaluate(claim, changed([("inhyrd_personal", match, "value", "300")]))
    assert result.report.status == FAILS


# --- Markdown -----------------------------------------------------------------------------------------------------

def test_markdown_table_has_one_line_per_claim_and_links(results, registry):
    links = {"3-5-kompetensforsorjning": "kapitel/3-5.html"}
    table = claims.markdown_table(results, links)
    lines = table.strip().split("\n")
    assert lines[0].startswith("| Påstående |") and len(lines) == 2 + len(registry)
    assert "](kapitel/3-5.html)" in table
    assert "[3.3" not in table  # no link given for 3.3: title without link
    assert all(line.count("|") - line.count("\\|") == 5 for line in lines)


def test_claim_badges_for_one_chapter(results, registry):
    text = claims.claim_badges(results, "3-3-detaljstyrning")
    wanted = [c for c in registry if c.chapter == "3-3-detaljstyrning"]
    assert text.count("\n- ") + text.startswith("- ") == len(wanted)
    assert "**håller inte** 2017" in text and "Motsägelse" in text
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
    """)
    frame = claims.evaluate_all(default_store, path)
    table = claims.markdown_table(frame, {"3-3-detaljstyrning": "a b.html"})
    badges = claims.claim_badges(frame, "3-3-detaljstyrning")
    for text in (table, badges):
        assert "<script>" not in text and "<b>" not in text
        assert "\\<script\\>" in text and "\\*17 procent\\*" in text and "\\[länk\\]" in text
    assert "\\|" in table and "(a%20b.html)" in table


def test_chapter_badges_filter_by_section():
    """Each section of a chapter shows exactly its own claims beside its quotes."""
    from tillit import claims_view

    all_35 = claims_view.badges("3-5-kompetensforsorjning").markdown.count("\n- ") + 1
    parts = [claims_view.badges("3-5-kompetensforsorjning", section=s).markdown.count("\n- ") + 1
             for s in ("3.5.1", "3.5.2", "3.5.3", "3.5.4", "3.5.5")]
    assert sum(parts) == all_35
    both = claims_view.badges("3-5-kompetensforsorjning", section=["3.5.1", "3.5.5"]).markdown.count("\n- ") + 1
    assert both == parts[0] + parts[4]
