"""nbval over the committed, executed notebooks: re-running them reproduces every output exactly, and a single
changed data value makes nbval fail (so the check can fail)."""
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, edit_csv_value
from tillit.build import run
from tillit.tables import store

NOTEBOOKS = sorted({j.path for j in run.jobs(ROOT)})


def nbval(path, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "--nbval", "--nbval-current-env",
         "-q", str(path)], cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module", autouse=True)
def default_store():
    store.build()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_reproduces_its_outputs(path):
    proc = nbval(path)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_nbval_fails_when_one_value_changes(tmp_path, data_copy):
    """Change the 2021 sick leave of kommuner in a copy of the data; the 3.5 chapter must no longer validate."""
    edit_csv_value(data_copy / "tables" / "sjukfranvaro_sektor.csv",
                   {"period": "2021", "sector": "kommuner", "measure": "sjukfranvaro_pct", "sex": "T"}, "value", "7.1")
    changed = tmp_path / "changed.duckdb"
    store.build(changed, data_copy)
    env = dict(os.environ, TILLIT_STORE=str(changed))
    proc = nbval(ROOT / "notebooks" / "3-5-kompetensforsorjning.ipynb", env)
    assert proc.returncode != 0
    assert "failed" in proc.stdout.splitlines()[-1]
