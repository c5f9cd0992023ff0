"""What a notebook depends on, derived rather than declared: the package modules its code imports (followed through
the package, imports inside functions included) and the tables it read when it last ran."""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import nbformat

PACKAGE = "tillit"


def imported_modules(source: str) -> set[str]:
    """Dotted names a piece of Python imports, with every `from X import y` also giving `X.y` (y may be a module)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:   # a cell with IPython magics: its imports are found line by line below
        return set().union(*(imported_modules(line.strip()) for line in source.splitlines()
                             if line.strip().startswith(("import ", "from "))))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def module_file(root: Path, name: str) -> Path | None:
    """The file of a package module ('tillit.report.text' → tillit/report/text.py), None for anything else."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = root.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _with_parents(root: Path, name: str) -> list[Path]:
    """A module's file and the __init__.py of every package above it (importing a module runs them all)."""
    parts = name.split(".")
    files = [module_file(root, ".".join(parts[:i])) for i in range(1, len(parts) + 1)]
    return [f for f in files if f is not None]


@cache
def _module_imports(path: Path, mtime: float) -> frozenset[str]:
    return frozenset(imported_modules(path.read_text(encoding="utf-8")))


def code_closure(root: Path, source: str) -> list[Path]:
    """Every package file that running `source` can execute: its imports, then theirs, to the end, sorted."""
    seen: set[Path] = set()
    todo = [n for n in imported_modules(source)]
    while todo:
        name = todo.pop()
        for path in _with_parents(root, name):
            if path in seen:
                continue
            seen.add(path)
            todo.extend(_module_imports(path, path.stat().st_mtime))
    return sorted(seen)


def code_cells(nb: nbformat.NotebookNode) -> list[str]:
    """The code that runs in a notebook: its code cells, papermill's injected parameters left out."""
    return [c.source for c in nb.cells
            if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])]


def notebook_code(path: Path) -> str:
    """The code cells of a notebook, joined into one text to follow its imports."""
    return "\n".join(code_cells(nbformat.read(path, as_version=4)))


def tables_read(nb: nbformat.NotebookNode) -> list[str] | None:
    """The tables an executed notebook recorded reading (tillit.tables.store emits them after each cell), sorted;
    None when the notebook carries no record (never run with recording)."""
    from tillit.core import cell_records
    from tillit.tables.store import READS_MIME

    payloads = cell_records.outputs_of(nb, READS_MIME)
    if not payloads:
        return None
    return sorted({t for p in payloads for t in p.get("tables", [])})
