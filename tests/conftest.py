"""Shared fixtures: the repository root and a temporary copy of data/ with its own store."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (catalog, vocab, tables) without the store."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("*.duckdb", "raw", ".*"))
    return target


def edit_csv_value(path: Path, match: dict, column: str, value: str) -> None:
    """Change one cell of a table CSV (the rows where all `match` columns equal the given text)."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    mask = pd.Series(True, index=frame.index)
    for k, v in match.items():
        mask &= frame[k] == v
    assert mask.sum() >= 1, f"no row matches {match} in {path}"
    frame.loc[mask, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")
