"""Chapter tests: a store built from a copy of data/tables that each test may edit first (rows changed, dropped, added)."""
from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import pkgutil
import shutil
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from tillit.tables import store as store_mod
from tillit.tables.store import Store

ROOT = Path(__file__).resolve().parents[2]


class Tables:
    """Edits to the table CSVs of a data copy, made before the store is built (values are written as text)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def read(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.folder / f"{name}.csv", dtype=str, keep_default_na=False)

    def write(self, name: str, frame: pd.DataFrame) -> None:
        frame.to_csv(self.folder / f"{name}.csv", index=False, lineterminator="\n")

    def _mask(self, frame: pd.DataFrame, where: dict) -> pd.Series:
        mask = pd.Series(True, index=frame.index)
        for col, val in where.items():
            mask &= frame[col] == str(val)
        return mask

    def set(self, name: str, where: dict, **values) -> None:
        frame = self.read(name)
        mask = self._mask(frame, where)
        assert mask.any(), f"no row of {name} matches {where}"
        for col, val in values.items():
            frame.loc[mask, col] = "" if val is None else str(val)
        self.write(name, frame)

    def drop(self, name: str, where: dict | None = None) -> None:
        frame = self.read(name)
        self.write(name, frame[~self._mask(frame, where or {})] if where else frame.iloc[0:0])

    def add(self, name: str, rows: list[dict], like: dict | None = None) -> None:
        """Append rows; columns not given are copied from the first row matching `like` (or the first row)."""
        frame = self.read(name)
        template = frame[self._mask(frame, like)].iloc[0] if like else frame.iloc[0]
        new = pd.DataFrame([{**template.to_dict(), **{k: ("" if v is None else str(v)) for k, v in r.items()}}
                            for r in rows])
        self.write(name, pd.concat([frame, new], ignore_index=True))


@pytest.fixture(scope="session")
def base_data(tmp_path_factory) -> tuple[Path, Path]:
    """data/ copied once and its store built once; tests copy both and rebuild only the tables they change."""
    folder = tmp_path_factory.mktemp("chapters")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb", "raw", ".*"))
    path = folder / "base.duckdb"
    store_mod.build(path=path, data=data)
    return data, path


@pytest.fixture
def chapter_store(base_data, tmp_path) -> Callable[..., Store]:
    """`chapter_store(edit)`: a store from the default data after `edit(Tables)` has changed the CSVs."""
    opened: list[Store] = []
    counter = iter(range(1000))

    def make(edit: Callable[[Tables], None] | None = None) -> Store:
        n = next(counter)
        data, base = base_data
        target = tmp_path / f"data{n}"
        shutil.copytree(data, target)
        shutil.copyfile(base, tmp_path / f"store{n}.duckdb")
        if edit:
            edit(Tables(target / "tables"))
        store_mod.build(path=tmp_path / f"store{n}.duckdb", data=target)
        db = Store(tmp_path / f"store{n}.duckdb")
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


@pytest.fixture
def default_store(chapter_store) -> Store:
    return chapter_store()


class StubStore:
    """A stand-in store answering only the `_manifest` query, for checks of which tables an analyst has added."""

    def __init__(self, names: list[str]):
        self.names = names

    def sql(self, query: str, **params) -> pd.DataFrame:
        assert "_manifest" in query, query
        return pd.DataFrame({"name": self.names})


@pytest.fixture
def stub_store() -> type[StubStore]:
    return StubStore


def _package_sources(package) -> list[str]:
    """The sources of a package's submodules, each after the siblings it imports (so one namespace can run them)."""
    prefix = package.__name__ + "."
    modules = {info.name: importlib.import_module(prefix + info.name) for info in pkgutil.iter_modules(package.__path__)}
    needs = {name: {node.module[len(prefix):] for node in ast.walk(ast.parse(inspect.getsource(m)))
                    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(prefix)}
             for name, m in modules.items()}
    order: list[str] = []

    def visit(name: str) -> None:
        if name not in order:
            for other in sorted(needs[name]):
                visit(other)
            order.append(name)

    for name in sorted(modules):
        visit(name)
    # one namespace holds them all: a name defined in two modules would silently replace the other
    defined: dict[str, str] = {}
    for name, m in modules.items():
        for node in ast.parse(inspect.getsource(m)).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                assert node.name not in defined, f"{node.name} is defined in {defined[node.name]} and {name}"
                defined[node.name] = name
    return [inspect.getsource(modules[name]) for name in order]


def reworded(module, rewording: dict[str, str]):
    """A copy of a chapter module (or of all the modules of a chapter package, run in one namespace) with its
    sentences reworded (`old` → `new` in its source; each `old` must be there), for tests that show rewording changes
    no number's key."""
    sources = _package_sources(module) if hasattr(module, "__path__") else [inspect.getsource(module)]
    for old, new in rewording.items():
        assert any(old in source for source in sources), old
        sources = [source.replace(old, new) for source in sources]
    name = module.__name__.rsplit(".", 1)[-1] + "_reworded"
    copy = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader=None))
    prefix = module.__name__ + "."
    for source in sources:
        tree = ast.parse(source)
        # the siblings' names are already in the one namespace (reworded too): drop the imports that would fetch
        # the unreworded originals
        tree.body = [node for node in tree.body
                     if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith(prefix))]
        exec(compile(tree, name, "exec"), copy.__dict__)
    return copy
