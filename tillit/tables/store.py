"""The DuckDB store: one table per catalog table, rebuilt table by table only when a table file's checksum changes."""
from __future__ import annotations

import functools
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

import duckdb

from tillit.tables.catalog import load_catalog, table_checksums
from tillit.core.files import atomic_path, repo_root

if TYPE_CHECKING:
    import pandas as pd

MANIFEST = "_manifest"
READS_MIME = "application/vnd.tillit.tables-read+json"   # the tables a notebook cell read (tillit/core/cell_records.py)


def default_path() -> Path:
    """$TILLIT_STORE, else data/tillit.duckdb in the project."""
    if os.environ.get("TILLIT_STORE"):
        return Path(os.environ["TILLIT_STORE"]).resolve()
    return repo_root() / "data" / "tillit.duckdb"


@dataclass
class StoreUpdate:
    path: Path
    rebuilt: list[str]
    unchanged: list[str]
    note: str | None = None   # e.g. the store was unreadable and has been rebuilt from data/tables


def _stored_checksums(path: Path) -> tuple[dict[str, str], str | None]:
    """The manifest of an existing store, read and checked (every table scanned, so a damaged block is found now and
    not in a notebook), and why it could not be used, if it could not."""
    if not path.exists():
        return {}, None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            rows = con.execute(f"SELECT name, sha256 FROM {MANIFEST}").fetchall()
            for name, _ in rows:
                con.execute(f'SELECT * FROM "{name}"').fetchall()
    except duckdb.Error as err:
        return {}, f"{type(err).__name__}: {' '.join(str(err).split())[:200]}"
    return dict(rows), None


def build(path: Path | None = None, data: Path | None = None, force: bool = False) -> StoreUpdate:
    """Bring the store up to date with data/tables: validate and load each changed table.

    Writes to a copy and renames it into place, so a failed validation leaves the previous store untouched."""
    path = Path(path or default_path())
    catalog = load_catalog(data)
    wanted = table_checksums(data)
    stored, problem = _stored_checksums(path)
    note = None
    if problem:
        note = (f"{path.name} was unreadable ({problem}); rebuilt from data/tables (it holds nothing else: "
                "no data was lost)")
        Path(str(path) + ".wal").unlink(missing_ok=True)   # a stale write-ahead log would be replayed into the new file
    if force:
        stored = {}
    changed = [n for n, s in wanted.items() if stored.get(n) != s]
    dropped = [n for n in stored if n not in wanted]
    if not changed and not dropped:
        return StoreUpdate(path, [], sorted(wanted))
    from tillit.tables.validate import load_table  # pandera is only needed when something changed

    frames = {name: load_table(name, data) for name in changed}  # validate everything before touching the store
    with atomic_path(path, suffix=".tmp") as tmp:
        tmp.unlink()   # DuckDB makes its own file: an empty one is not a database
        try:
            _write(path if stored else None, tmp, dropped, frames, catalog, wanted)
        finally:
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return StoreUpdate(path, sorted(changed), sorted(set(wanted) - set(changed)), note)


def _write(previous: Path | None, tmp: Path, dropped: list[str], frames: dict, catalog, wanted: dict[str, str]) -> None:
    """Fill `tmp`: a copy of the previous store (if any) with the dropped tables removed and the changed ones loaded."""
    if previous is not None and previous.exists():
        shutil.copyfile(previous, tmp)
    with duckdb.connect(str(tmp)) as con:
        con.execute(f"CREATE TABLE IF NOT EXISTS {MANIFEST} (name VARCHAR PRIMARY KEY, sha256 VARCHAR, rows BIGINT)")
        for name in dropped:
            con.execute(f'DROP TABLE IF EXISTS "{name}"')
            con.execute(f"DELETE FROM {MANIFEST} WHERE name = ?", [name])
        for name, frame in frames.items():
            _load(con, name, frame, catalog[name])
            con.execute(f"INSERT OR REPLACE INTO {MANIFEST} VALUES (?, ?, ?)", [name, wanted[name], len(frame)])


_SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE"}


def _load(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, table) -> None:
    cols = ", ".join(f'"{c.name}" {_SQL_TYPES[c.type]}' for c in table.columns.values())
    con.execute(f'CREATE OR REPLACE TABLE "{name}" ({cols})')
    con.register("_incoming", frame[list(table.columns)])
    con.execute(f'INSERT INTO "{name}" SELECT * FROM _incoming')
    con.unregister("_incoming")


SYSTEM_SCHEMAS = ("information_schema", "pg_catalog")


@functools.lru_cache(maxsize=1024)
def tables_in(query: str) -> frozenset[str]:
    """The tables a query reads, found by DuckDB's own parser (CTE names and system schemas left out); a query it
    cannot parse is an error here rather than a silent gap in the record of what a notebook read. Parsed once per
    distinct query, on one in-memory connection."""
    tree = json.loads(_parser().execute("SELECT json_serialize_sql(?)", [query]).fetchone()[0])
    if tree.get("error"):
        raise ValueError(f"DuckDB could not parse the query: {tree.get('error_message')}: {query[:200]}")
    tables: set[str] = set()
    ctes: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if (node.get("type") == "BASE_TABLE" and node.get("table_name")
                    and node.get("schema_name") not in SYSTEM_SCHEMAS):
                tables.add(node["table_name"])
            cte_map = node.get("cte_map")
            for entry in cte_map.get("map", []) if isinstance(cte_map, dict) else []:
                ctes.add(entry.get("key"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return frozenset(tables - ctes)


@functools.cache
def _parser() -> duckdb.DuckDBPyConnection:
    """An in-memory connection that only parses (json_serialize_sql reads no table)."""
    return duckdb.connect()


_unreported: set[str] = set()   # tables read since the last cell ended (see Store.sql)


def _take_reads() -> dict | None:
    if not _unreported:
        return None
    payload = {"version": 1, "tables": sorted(_unreported)}
    _unreported.clear()
    return payload


class Store:
    """A read-only connection to the store for notebooks: `store.sql("SELECT …", year=2014)` returns a DataFrame.

    Every table a query reads is recorded (`tables_read`); inside a notebook the tables each cell read also go out as
    an output, so the build keys the notebook's cache on the tables it really read (tillit/build/dependencies.py)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no store here; run `tillit store` (or `tillit build`) first")
        self.con = duckdb.connect(str(self.path), read_only=True)
        self.tables_read: set[str] = set()
        from tillit.core import cell_records

        cell_records.emit_after_each_cell(READS_MIME, _take_reads)

    def sql(self, query: str, **params) -> pd.DataFrame:
        # the store's own bookkeeping (the manifest, the system schemas) says which tables exist, not what they hold;
        # which tables exist follows data/catalog.yaml, which every notebook's key covers
        names = {n for n in tables_in(query) if not n.startswith("_")}
        self.tables_read |= names
        _unreported.update(names)
        return self.con.execute(query, params or None).fetchdf()

    def has_table(self, name: str) -> bool:
        """Whether the store holds `name` (a store built from data without that table's file has none)."""
        found = self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = $name",
                                 {"name": name}).fetchone()
        return bool(found[0])

    def checksums(self) -> dict[str, str]:
        return dict(self.con.execute(f"SELECT name, sha256 FROM {MANIFEST} ORDER BY name").fetchall())


    def close(self) -> None:
        self.con.close()


def connect(path: Path | str | None = None) -> Store:
    return Store(path or None)
