"""Editions: the committed record, the comparison, the "Vad har ändrats?" page and `tillit diff`; end to end, one value
changed in a copy of the data shows as exactly that number (and the verdicts that may depend on it)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, edit_csv_value
from tillit.build import changes, editions
from tillit.build.editions import Edition, Entry


def _edition(name: str, numbers: dict[str, tuple], tables: dict[str, str] | None = None) -> Edition:
    entries = {k: Entry(v, t, kind, "notebooks/3-4-ledarskap", anchor) for k, (v, t, kind, anchor) in numbers.items()}
    return Edition(name, "abc123", tables or {"t1": "aa", "t2": "bb"}, entries,
                   {"3-4": "3.4 Frånvarande ledarskap"}, {"3-4": "notebooks/3-4-ledarskap"})


OLD = _edition("2026-11-30", {
    "3-4/sjuk/riket/2017": (6.7, "6,7\u00a0procent", "text", None),
    "3-4/fig-x/skane/2017": (5.0, "5,0", "chart", "fig-x"),
    "3-4/pastaende/c1/rapportens-period": (2017, "håller (samma mått, 2017)", "claim", "pastaende-c1"),
    "3-4/gone/2016": (1.0, "1,0", "text", None),
})
NEW = _edition("", {
    "3-4/sjuk/riket/2017": (6.9, "6,9\u00a0procent", "text", None),
    "3-4/fig-x/skane/2017": (5.0, "5,0", "chart", "fig-x"),
    "3-4/pastaende/c1/rapportens-period": (2017, "håller inte (samma mått, 2017)", "claim", "pastaende-c1"),
    "3-4/new/2018": (2.0, "2,0", "text", None),
}, tables={"t1": "aa", "t2": "cc"})


def test_compare_finds_changed_new_and_vanished_numbers_and_tables():
    d = changes.compare(OLD, NEW)
    assert [c.key for c in d.changed] == ["3-4/pastaende/c1/rapportens-period", "3-4/sjuk/riket/2017"]
    assert [c.key for c in d.added] == ["3-4/new/2018"] and [c.key for c in d.removed] == ["3-4/gone/2016"]
    assert d.tables == [("t2", "bb", "cc")]
    assert (d.numbers_changed, d.verdicts_changed) == (1, 1)
    assert changes.summary(d) == ("1 tal och 1 bedömning har ändrats sedan utgåvan 2026-11-30. "
                                   "Dessutom 1 nytt tal och 1 tal som inte längre finns.")
    only_new = changes.compare(OLD, _edition("", {**{k: (e.value, e.text, e.kind, e.anchor) for k, e in OLD.numbers.items()},
                                                   "3-4/new/2018": (2.0, "2,0", "text", None)}))
    assert changes.summary(only_new) == ("Inga tal och inga bedömningar har ändrats sedan utgåvan 2026-11-30. "
                                          "Dessutom 1 nytt tal.")
    assert changes.compare(OLD, OLD).empty
    assert changes.summary(changes.compare(OLD, OLD)).startswith("Inga tal och inga bedömningar har ändrats")


def test_change_page_links_each_number_to_where_it_stands():
    md = changes.page_markdown(changes.compare(OLD, NEW))
    assert md.startswith("**1 tal och 1 bedömning har ändrats sedan utgåvan 2026-11-30.")
    assert "### 3.4 Frånvarande ledarskap" in md and "`t2`" in md
    assert ('| <a href="../notebooks/3-4-ledarskap.html"><code>sjuk/riket/2017</code></a> | 6,7\u00a0procent | '
            '6,9\u00a0procent |') in md
    assert 'href="../notebooks/3-4-ledarskap.html#pastaende-c1"' in md
    assert "fig-x" not in md  # unchanged numbers are not listed
    assert "ingen tidigare utgåva" in changes.page_markdown(None)


def test_terminal_output_lists_old_and_new():
    out = changes.terminal(changes.compare(OLD, NEW))
    assert "3-4/sjuk/riket/2017: 6,7\u00a0procent → 6,9\u00a0procent" in out
    assert "Tabeller med ny kontrollsumma: t2" in out


def test_record_is_sorted_one_number_per_line_and_round_trips():
    text = editions.dumps(NEW)
    assert editions.loads(text).numbers == NEW.numbers
    data = json.loads(text)
    assert list(data["numbers"]) == sorted(data["numbers"])
    assert sum(1 for line in text.splitlines() if line.startswith('  "3-4/')) == len(NEW.numbers)


def test_committed_edition_matches_the_committed_notebooks():
    """The committed edition is of this book: loading it works and every key it holds has the current key format."""
    latest = editions.load(root=ROOT)
    assert latest is not None, "no edition committed under editions/"
    now = editions.current(ROOT)
    assert set(latest.tables) == set(now.tables)
    assert len(latest.numbers) > 1000 and all(k.split("/", 1)[0] in latest.chapters for k in latest.numbers)


# --- end to end on a copy of the project ------------------------------------------------------------------------------

def _tillit(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TILLIT_ROOT=str(project))
    env.pop("TILLIT_STORE", None)
    return subprocess.run([sys.executable, "-m", "tillit.cli", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=1200)


@pytest.fixture(scope="module")
def changed_project(tmp_path_factory):
    """A copy of the project frozen as an edition, then one value changed and the notebooks re-run."""
    target = tmp_path_factory.mktemp("edition") / "project"
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\n")
    for rel in filter(None, files):
        if (ROOT / rel).is_file() and not rel.startswith("editions/"):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, target / rel)
    frozen = _tillit(target, "edition")
    assert frozen.returncode == 0, frozen.stderr[-2000:]
    edit_csv_value(target / "data" / "tables" / "tidsanvandning_socialsekreterare.csv",
                   {"source_publisher": "Akademikern", "activity": "administration"}, "value", "12.0")
    built = _tillit(target, "build", "--jobs", "2", "--no-book")
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    return target


# One edited cell (Akademikern's administration share, 11 → 12) reaches exactly these numbers: the 3.3 chart row, the
# 3.3 prose that cites it and the sum it is part of, and the 3.4 sentence that cites it again.
EXPECTED_CHANGES = {"3-3/tidsanvandning-2017/akademikern/administration": (11.0, 12.0),
                    "3-3/tidsanvandning/akademikern/administration/2017": (11.0, 12.0),
                    "3-3/tidsanvandning/akademikern/summa-redovisat/2017": (68.0, 69.0),
                    "3-4/administration/akademikern/administration/2017": (11.0, 12.0)}


def test_one_changed_value_shows_as_exactly_that_number(changed_project):
    since = editions.load(root=changed_project)
    d = changes.compare(since, editions.current(changed_project))
    assert [t for t, _, _ in d.tables] == ["tidsanvandning_socialsekreterare"]
    assert not d.added and not d.removed
    plain = {c.key: (c.old.value, c.new.value) for c in d.changed if c.entry.kind != "claim"}
    assert plain == EXPECTED_CHANGES
    # a verdict may change only if its claim reads the changed table
    registry = yaml.safe_load((changed_project / "data" / "claims.yaml").read_text(encoding="utf-8"))["claims"]
    readers = {c["id"] for c in registry if "tidsanvandning_socialsekreterare" in (c.get("tables") or {})}
    for c in d.changed:
        if c.entry.kind == "claim":
            assert c.key.split("/")[2] in readers, c.key


def test_diff_command_and_change_page_show_the_change(changed_project):
    out = _tillit(changed_project, "diff")
    assert out.returncode == 0, out.stderr
    assert "3-4/administration/akademikern/administration/2017: 11\u00a0procent → 12\u00a0procent" in out.stdout
    assert "tidsanvandning_socialsekreterare" in out.stdout
    page = (changed_project / changes.CHANGE_PAGE).read_text(encoding="utf-8")
    assert page.startswith(f"**{len(EXPECTED_CHANGES)} tal och ")
    assert "<code>administration/akademikern/administration/2017</code>" in page
    assert "11\u00a0procent | 12\u00a0procent" in page


def test_import_preview_shows_the_change_and_writes_nothing():
    """What `tillit import --dry-run` prints at the end: the book's changes computed on a temporary copy."""
    from tillit.tables.catalog import table_checksums
    from tillit.tables.validate import load_table

    before = table_checksums(ROOT / "data")
    frame = load_table("tidsanvandning_socialsekreterare", ROOT / "data")
    mask = (frame["source_publisher"] == "Akademikern") & (frame["activity"] == "administration")
    assert mask.sum() == 1
    frame.loc[mask, "value"] = 12.0
    d = changes.preview({"tidsanvandning_socialsekreterare": frame}, root=ROOT)
    plain = {c.key: (c.old.value, c.new.value) for c in d.changed if c.entry.kind != "claim"}
    assert plain == EXPECTED_CHANGES
    assert changes.summary(d).endswith("jämfört med boken som den är byggd nu.")
    assert table_checksums(ROOT / "data") == before
