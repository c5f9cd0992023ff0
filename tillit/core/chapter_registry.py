"""The chapter registry (notebooks/notebooks.yaml): each chapter's id, report heading, notebook and tables, written
once and checked against a declared schema; a chapter's title is its notebook's heading."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError

from tillit.core.files import repo_root
from tillit.core.errors import DataError
from tillit.core.schema import StrictModel, problems

REGISTRY = "notebooks/notebooks.yaml"


class NotebookSpec(StrictModel):
    """One chapter notebook: where it is, its title in the book, the report's heading it answers (if any), the
    tables it reads and its papermill parameters."""

    path: str = Field(pattern=r"^notebooks/[^/]+\.ipynb$")   # its first heading is the chapter's title
    report_heading: str | None = None
    tables: list[str] | Literal["*"]
    # the registered claims the page shows: its own chapter's, or all of them (the summary chapter); the tables
    # those claims read are added to `tables`
    claims: Literal["own", "all"] = "own"
    parameters: dict[str, Any] = Field(default_factory=dict)

    @property
    def chapter_id(self) -> str:
        """The id claims and links use: the notebook's file name without suffix ('3-5-kompetensforsorjning')."""
        return Path(self.path).stem


class TemplateSpec(StrictModel):
    """A notebook executed once per item of a vocabulary (one page per region)."""

    template: str
    output: str = Field(pattern=r"\{code\}")
    for_each: str
    parameter: str
    title: str
    tables: list[str]
    parameters: dict[str, Any] = Field(default_factory=dict)
    shared_data: list[str] | None = None   # overrides the registry-wide list for these pages


class NotebookRegistry(StrictModel):
    # data files the package reads while a notebook runs (the code a notebook imports is found by itself)
    shared_data: list[str]
    notebooks: dict[str, NotebookSpec]
    templates: dict[str, TemplateSpec] = Field(default_factory=dict)


class RegistryFileError(DataError):
    """notebooks/notebooks.yaml does not follow its schema: names the file, the entry and the field."""


def parse(path: Path) -> NotebookRegistry:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return NotebookRegistry.model_validate(raw)
    except ValidationError as err:
        raise RegistryFileError(str(path), None, None, "; ".join(problems(err))) from None


@cache
def _load(path: Path, mtime: float) -> NotebookRegistry:
    return parse(path)


def load(root: Path | None = None) -> NotebookRegistry:
    path = (root or repo_root()) / REGISTRY
    return _load(path, path.stat().st_mtime)


def notebook_title(path: Path) -> str:
    """A chapter's title, written once: the first Markdown heading of its notebook ('# 3.5 Bristande …')."""
    import json

    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            first = "".join(cell["source"]).split("\n")[0]
            if first.startswith("# "):
                return first[2:].strip()
            break
    raise RegistryFileError(str(path), None, None, "the notebook does not open with a '# ' heading (its title)")


def report_headings(root: Path | None = None) -> dict[str, str]:
    """Chapter id → the report's own heading, for the chapters that answer a section of the report."""
    found = {spec.chapter_id: spec.report_heading for spec in load(root).notebooks.values() if spec.report_heading}
    return dict(sorted(found.items()))
