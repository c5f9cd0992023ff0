"""`tillit build` end to end on a clean copy of the project: every notebook runs, the result is byte-identical to the
committed notebooks, a second build is a no-op, a one-table change re-runs only its readers, and a failing notebook
leaves the last good book in place."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.conftest import ROOT, edit_csv_value

pytestmark = pytest.mark.xdist_group("clean-build")


def tillit(project: Path, *args: str) -> subprocess.CompletedProcess:
    if args and args[0] == "build":  # the print edition has its own tests (test_pdf.py); here it only adds time
        args = (*args, "--no-pdf")
    env = dict(os.environ, TILLIT_ROOT=str(project))
    env.pop("TILLIT_STORE", None)
    return subprocess.run([sys.executable, "-m", "tillit.cli", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=1800)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the files git knows about (committed or not ignored), as a fresh clone would have them."""
    target = tmp_path_factory.mktemp("clone") / "project"
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\n")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / rel)
    return target


@pytest.fixture(scope="module")
def clean_build(project):
    proc = tillit(project, "build", "--force", "--jobs", "2")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


def test_clean_build_builds_every_page(project, clean_build):
    html = project / "_build" / "html"
    from tillit.build.pdf import toc_pages

    pages = [page for page, _ in toc_pages(project)]
    assert len(pages) >= 37 and "notebooks/regioner/region-09" in pages   # the patterns take in chapters and regions
    for entry in pages:
        assert (html / f"{entry}.html").is_file(), entry
    assert (html / "_static" / "vega-bundle.js").stat().st_size > 500_000
    assert "notebooks: " in clean_build.stdout and "book: built" in clean_build.stdout


def test_executed_notebooks_equal_the_committed_ones(project, clean_build):
    """Execution is deterministic and the committed outputs are current (timestamps stripped)."""
    different = []
    for nb in sorted((project / "notebooks").rglob("*.ipynb")):
        rel = nb.relative_to(project)
        if "templates" in rel.parts:
            continue
        if nb.read_bytes() != (ROOT / rel).read_bytes():
            different.append(str(rel))
    assert not different, f"re-executed notebooks differ from the committed ones: {different}"
    text = (project / "notebooks" / "3-5-kompetensforsorjning.ipynb").read_text()
    assert "start_time" not in text and "iopub" not in text


def test_second_build_is_a_noop(project, clean_build):
    proc = tillit(project, "build")
    assert proc.returncode == 0
    assert re.search(r"notebooks: 0 to run, \d+ up to date", proc.stdout)
    assert "book: up to date" in proc.stdout


def test_one_table_change_reruns_only_its_readers(project, clean_build):
    readers = {j for j in _readers(project, "sjukfall_diagnos")}
    assert readers and "medarbetarna" not in readers
    table = project / "data" / "tables" / "sjukfall_diagnos.csv"
    backup = table.read_bytes()
    edit_csv_value(table, {"period": "2018K4", "diagnosis_code": "F00-F99", "sex": "T"}, "value", "1.0")
    try:
        proc = tillit(project, "build", "--no-book")
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert f"notebooks: {len(readers)} to run" in proc.stdout
        assert "1 tables loaded" in proc.stdout
    finally:
        table.write_bytes(backup)
        tillit(project, "build", "--no-book")


def _readers(project: Path, table: str) -> list[str]:
    from tillit.build import run

    return [j.name for j in run.jobs(project) if table in j.tables]


def test_failing_notebook_stops_the_build_and_keeps_the_book(project, clean_build):
    index = project / "_build" / "html" / "index.html"
    before = index.read_bytes()
    path = project / "notebooks" / "2-1-medarbetarna.ipynb"
    original = path.read_bytes()
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('trasig data')"))
    nbformat.write(nb, path)
    try:
        proc = tillit(project, "build")
        assert proc.returncode != 0
        assert "2-1-medarbetarna.ipynb" in proc.stderr and "ValueError: trasig data" in proc.stderr
        assert "_build/html keeps the last good build" in proc.stderr
        assert index.read_bytes() == before
        assert path.read_bytes() != original  # the broken source is still the analyst's to fix; not overwritten
    finally:
        path.write_bytes(original)


def test_edited_static_file_reaches_the_book(project, clean_build):
    """Sphinx skips static files when no page is out of date; an edit to _static/ must still be published."""
    css = project / "_static" / "tillit.css"
    original = css.read_text()
    css.write_text(original + "\n/* edited */\n")
    try:
        proc = tillit(project, "build")
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "/* edited */" in (project / "_build" / "html" / "_static" / "tillit.css").read_text()
    finally:
        css.write_text(original)


def test_a_build_killed_mid_run_leaves_the_book_served_and_the_tree_clean(project, clean_build):
    """`kill -9` during `tillit build --jobs 2`: the last good book is readable throughout, the killed build leaves
    nothing that git sees, the next build removes what it left (and what older versions left beside notebooks), and
    `git status` stays clean."""
    import signal
    import threading
    import time

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True).stdout

    if not (project / ".git").exists():
        git("init", "-q")
        git("add", "-A")
        git("-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "the project as built")
    assert git("status", "--porcelain") == ""
    served = [project / "_build" / "html" / "index.html", project / "_build" / "html" / "book" / "index.html"]
    before = [p.read_bytes() for p in served]
    misses: list[str] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            for path, content in zip(served, before):
                try:
                    if path.read_bytes() != content:
                        misses.append(f"{path} changed")
                except OSError as err:
                    misses.append(f"{path}: {err}")
            time.sleep(0.01)

    env = dict(os.environ, TILLIT_ROOT=str(project))
    env.pop("TILLIT_STORE", None)
    thread = threading.Thread(target=reader)
    thread.start()
    proc = subprocess.Popen([sys.executable, "-m", "tillit.cli", "build", "--force", "--jobs", "2"], cwd=project,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not list((project / "_build" / ".tmp").glob("*.ipynb")):   # notebooks are being executed
            assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
            time.sleep(0.05)
        time.sleep(1.0)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        stop.set()
        thread.join()
    assert proc.returncode == -signal.SIGKILL
    assert not misses, misses[:5]
    assert git("status", "--porcelain") == "", "the killed build left files git sees"
    assert list((project / "_build" / ".tmp").glob("*.ipynb")), "the killed build's temp files are under _build/.tmp"
    stray = project / "notebooks" / "regioner" / ".region-17.ehj8yba4.ipynb"   # as builds before this fix left them
    stray.write_text("{}")
    done = tillit(project, "build", "--jobs", "2")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "temporary file(s) left by an interrupted run" in done.stdout
    assert not stray.exists() and not (project / "_build" / ".tmp").exists()
    assert git("status", "--porcelain") == ""
    assert (project / "_build" / "html" / "index.html").read_bytes() == before[0]
