"""Tests for tillit.core.chapter_registry: the chapter registry's schema, and each chapter's id and title written once."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tillit.claims import api as claims
from tillit.core import chapter_registry
from tillit.core.chapter_registry import RegistryFileError

ROOT = Path(__file__).resolve().parent.parent


def test_the_registry_follows_its_schema():
    registry = chapter_registry.load(ROOT)
    assert "kompetensforsorjning" in registry.notebooks and "region" in registry.templates


def test_a_chapter_title_is_written_once_in_its_notebook():
    from tillit.build import run

    jobs = {j.name: j for j in run.jobs(ROOT)}
    for name, spec in chapter_registry.load(ROOT).notebooks.items():
        nb = json.loads((ROOT / spec.path).read_text(encoding="utf-8"))
        first = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
        assert "".join(first["source"]).split("\n")[0] == f"# {jobs[name].title}", spec.path
    assert jobs["kompetensforsorjning"].title.startswith("3.5 ")
    raw = yaml.safe_load((ROOT / chapter_registry.REGISTRY).read_text(encoding="utf-8"))
    assert not [n for n, entry in raw["notebooks"].items() if "title" in entry]   # the schema refuses one, too


def test_a_notebook_without_a_heading_is_a_clear_error(tmp_path):
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": ["Ingen rubrik"]}]}), encoding="utf-8")
    with pytest.raises(RegistryFileError, match="does not open with a '# ' heading"):
        chapter_registry.notebook_title(path)


def test_claims_take_their_chapters_from_the_registry():
    headings = chapter_registry.report_headings(ROOT)
    assert claims.CHAPTERS == headings
    assert list(headings) == sorted(headings)
    assert headings["3-5-kompetensforsorjning"].startswith("3.5 ")


def test_schema_errors_name_file_entry_and_field(tmp_path):
    (tmp_path / "notebooks").mkdir()
    raw = yaml.safe_load((ROOT / chapter_registry.REGISTRY).read_text(encoding="utf-8"))
    raw["notebooks"]["ledarskap"]["tabels"] = ["x"]
    raw["notebooks"]["styrning"]["path"] = "somewhere/else.ipynb"
    path = tmp_path / chapter_registry.REGISTRY
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryFileError) as err:
        chapter_registry.parse(path)
    message = str(err.value)
    assert str(path) in message
    assert "notebooks 'ledarskap': field 'tabels': unknown field" in message
    assert "notebooks 'styrning': field 'path'" in message
