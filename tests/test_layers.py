"""The package's stage folders form a path: a module imports only from its own stage or from stages before it."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tillit"
# The data path, first to last. A stage may import from itself and from any stage listed before it.
STAGES = ["core", "tables", "ingest", "claims", "report", "build"]


def imported_stages(path: Path) -> list[tuple[int, str]]:
    """(line, stage) for every `tillit.<stage>` a module imports, including imports inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "tillit" and len(parts) > 1 and parts[1] in STAGES:
                found.append((node.lineno, parts[1]))
    return found


def stage_modules():
    for stage in STAGES:
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            yield stage, path


def test_every_module_lives_in_a_stage_folder():
    loose = sorted(p.name for p in PACKAGE.glob("*.py")) 
    assert loose == ["__init__.py", "cli.py", "cli_data.py"], loose


@pytest.mark.parametrize(("stage", "path"), list(stage_modules()), ids=lambda v: str(v).rsplit("tillit/", 1)[-1])
def test_imports_point_only_back_along_the_path(stage, path):
    allowed = set(STAGES[: STAGES.index(stage) + 1])
    wrong = [f"line {line}: imports tillit.{other}" for line, other in imported_stages(path) if other not in allowed]
    assert not wrong, f"{path.relative_to(PACKAGE.parent)} ({stage}) " + "; ".join(wrong)


def test_every_module_says_what_it_is_for():
    silent = [str(p.relative_to(PACKAGE.parent)) for _, p in stage_modules()
              if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert not silent, silent


def test_the_checker_sees_a_backward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from tillit.build import run\n", encoding="utf-8")
    assert imported_stages(module) == [(2, "build"), (2, "build")]
