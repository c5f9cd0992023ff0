"""Crash safety: one writer at a time (the project lock), leftovers of an interrupted run removed, the book swapped in
without a moment with no book. (A build killed with SIGKILL is tested end to end in test_build.py.)"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from importkit import FIXTURES, checksums, project_copy  # noqa: E402

from tillit.build import run  # noqa: E402
from tillit.build import book
from tillit.core.lock import Busy, holder, project_lock  # noqa: E402

HOLD = ("import sys, time; from pathlib import Path; from tillit.core.lock import project_lock\n"
        "with project_lock(Path(sys.argv[1]), 'build'):\n"
        "    print('held', flush=True); time.sleep(float(sys.argv[2]))\n")


def _tillit(root: Path, *args: str, timeout_env: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TILLIT_ROOT=str(root), TILLIT_LOCK_TIMEOUT=timeout_env)
    return subprocess.run([sys.executable, "-m", "tillit.cli", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)


def test_a_second_build_exits_with_a_clear_message_while_the_lock_is_held(tmp_path):
    with project_lock(tmp_path, "build"):
        assert "tillit build (pid" in holder(tmp_path)
        done = _tillit(tmp_path, "build", timeout_env="0")
    assert done.returncode == 1
    assert f"tillit build (pid {os.getpid()}" in done.stderr and "is running in" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "_build").exists(), "the refused build touched the project"


def test_the_lock_is_free_again_after_the_block_and_after_an_error(tmp_path):
    with pytest.raises(RuntimeError):
        with project_lock(tmp_path, "build"):
            raise RuntimeError("boom")
    with project_lock(tmp_path, "build", timeout=0):
        with pytest.raises(Busy, match="is running in"):
            with project_lock(tmp_path, "import", timeout=0):
                pass


def test_a_killed_holder_releases_the_lock(tmp_path):
    holder_proc = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder_proc.stdout.readline().strip() == "held"
        with pytest.raises(Busy):
            with project_lock(tmp_path, "build", timeout=0):
                pass
    finally:
        holder_proc.kill()   # SIGKILL: no clean-up code runs
        holder_proc.wait()
    with project_lock(tmp_path, "build", timeout=5):
        pass


HOLD_UNTIL_TOLD = ("import sys; from pathlib import Path; from tillit.core.lock import project_lock\n"
                   "with project_lock(Path(sys.argv[1]), 'build'):\n"
                   "    print('held', flush=True); sys.stdin.readline()\n")


def test_an_import_waits_for_a_running_build_then_runs(tmp_path, tmp_path_factory):
    data = project_copy(tmp_path_factory, tmp_path / "project")
    before = checksums(data.parent)
    holder_proc = subprocess.Popen([sys.executable, "-c", HOLD_UNTIL_TOLD, str(data.parent)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
    env = dict(os.environ, TILLIT_ROOT=str(data.parent), TILLIT_LOCK_TIMEOUT="120")
    try:
        assert holder_proc.stdout.readline().strip() == "held"
        importer = subprocess.Popen([sys.executable, "-m", "tillit.cli", "import", str(FIXTURES / "oj_datalista.csv"),
                                     "--data", str(data), "--dry-run"], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        first = importer.stderr.readline()
        assert first.startswith("waiting: tillit build (pid"), first
        assert importer.poll() is None, "the import must wait while the build holds the lock"
        holder_proc.stdin.write("release\n")
        holder_proc.stdin.flush()
        out, err = importer.communicate(timeout=300)
    finally:
        holder_proc.kill()
        holder_proc.wait()
    assert importer.returncode == 0, err
    assert "lock acquired after" in err and "dry run: nothing written" in out
    assert checksums(data.parent) == before


def test_leftovers_of_an_interrupted_run_are_removed_and_nothing_else(tmp_path):
    keep = ["notebooks/regioner/region-17.ipynb", "data/tables/ihp.csv", "data/raw/imports.csv", "data/raw/.gitkeep",
            "data/tillit.duckdb", "notebooks/.ipynb_checkpoints/.x.abcdefgh.ipynb"]
    leftovers = ["notebooks/regioner/.region-17.ehj8yba4.ipynb", "notebooks/.3-1-medborgarfokus.q_3kd9x1.ipynb",
                 "data/tables/.ihp.csv.a1b2c3d4", "data/raw/.imports.csv.zz9_8yx7", "data/raw/scb/.resp.json.k3j4h5g6",
                 "data/.tillit.duckdb.abc12345.tmp", "data/.tillit.duckdb.abc12345.tmp.wal",
                 "_build/.tmp/region-01.8s7d6f5g.ipynb"]
    for rel in keep + leftovers:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    removed = run.remove_leftovers(tmp_path)
    assert sorted(str(p.relative_to(tmp_path)) for p in removed) == sorted(leftovers)
    assert all((tmp_path / rel).exists() for rel in keep)
    assert not (tmp_path / "_build" / ".tmp").exists()


def test_notebook_temp_files_are_made_outside_the_tracked_folders(tmp_path, monkeypatch):
    """execute() writes papermill's output under _build/.tmp, never beside the committed notebook."""
    seen = []
    import tempfile

    real = tempfile.mkstemp
    monkeypatch.setattr(tempfile, "mkstemp", lambda *a, **k: seen.append(k.get("dir")) or real(*a, **k))
    job = run.Job("x", tmp_path / "notebooks" / "x.ipynb", tmp_path / "missing-template.ipynb", ())
    with pytest.raises(Exception):
        run.execute(job, "key", None, root=tmp_path)   # the template is missing: fails after the temp file is made
    assert seen == [tmp_path / "_build" / ".tmp"]
    assert not list((tmp_path / "notebooks").glob(".*"))


@pytest.mark.parametrize("atomic", [True, False], ids=["exchange", "two-renames"])
def test_the_book_swap_never_leaves_the_reader_without_a_book(tmp_path, monkeypatch, atomic):
    if not atomic:
        monkeypatch.setattr(book, "_exchange", lambda a, b: False)
    html = tmp_path / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("book 0")
    misses, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                (html / "index.html").read_text()
            except OSError:
                misses.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(1, 200):
            staged = tmp_path / "_build" / ".html.new"
            staged.mkdir()
            (staged / "index.html").write_text(f"book {n}")
            book.swap_in(staged, html)
    finally:
        stop.set()
        reader.join()
    assert (html / "index.html").read_text() == "book 199"
    assert not (tmp_path / "_build" / ".html.new").exists() and not (tmp_path / "_build" / ".html.old").exists()
    if atomic:
        assert not misses, f"{len(misses)} reads found no book"


def test_a_refresh_waits_for_no_one_while_a_build_holds_the_lock(tmp_path):
    """`tillit refresh` writes data/raw and data/tables: with the lock held and no waiting it stops at once, with the
    holder named, and fetches nothing."""
    with project_lock(tmp_path, "build"):
        done = _tillit(tmp_path, "refresh", "--no-build", timeout_env="0")
    assert done.returncode == 1
    assert f"tillit build (pid {os.getpid()}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "raw").exists(), "the refused refresh fetched something"
