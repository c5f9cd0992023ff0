"""Merging an import into the tables: each key is added, left as it is, replaced on request, or a conflict that
stops the import; values that agree when rounded to two decimals are the same value."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tillit.core.errors import DataError, DataErrors
from tillit.tables.catalog import Table, load_catalog
from tillit.tables.validate import load_table

ROUNDED_DECIMALS = 2  # values that agree to two decimals are the same value (see compare_cells)


@dataclass
class TableChange:
    table: str
    added: int = 0
    unchanged: int = 0
    rounded: int = 0
    replaced: list[str] = field(default_factory=list)
    rows_after: int = 0


def norm(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def compared_columns(table: Table) -> list[str]:
    """Columns whose difference is a conflict: numbers and closed lists outside the key (labels are not compared)."""
    provenance = set(load_catalog().provenance)
    return [c.name for c in table.columns.values()
            if not c.key and c.name not in provenance and (c.type in ("integer", "number") or c.allowed)]


def key_strings(frame: pd.DataFrame, table: Table) -> pd.Series:
    """One string per row joining its key columns (missing values spelled out), for vectorised matching."""
    if not table.key:
        return pd.Series([str(i) for i in range(len(frame))], index=frame.index, dtype=object)
    parts = []
    for name in table.key:
        col = frame[name]
        if table.columns[name].type == "integer":
            text = pd.to_numeric(col, errors="coerce").astype("Int64").astype(str)
        else:
            text = col.astype(object).where(col.notna(), "<NA>").astype(str)
        parts.append(text.astype(object).where(col.notna(), "\x00NA").reset_index(drop=True))
    out = parts[0]
    for part in parts[1:]:
        out = out + "\x1f" + part
    return out


def compare_cells(old: pd.Series, new: pd.Series, numeric: bool) -> tuple[np.ndarray, np.ndarray]:
    """(same, agree once rounded) for two aligned columns: the more precise value rounded to two decimals equals
    the other, which has at most two decimals (the default data keeps some publishers' values rounded so)."""
    old_na, new_na = old.isna().to_numpy(), new.isna().to_numpy()
    both, one = old_na & new_na, old_na ^ new_na
    if not numeric:
        equal = (old.astype(object).astype(str).to_numpy() == new.astype(object).astype(str).to_numpy())
        return both | (~one & ~old_na & equal), np.zeros(len(old), dtype=bool)
    a = pd.to_numeric(old, errors="coerce").astype("float64").to_numpy()
    b = pd.to_numeric(new, errors="coerce").astype("float64").to_numpy()
    with np.errstate(invalid="ignore"):
        close = np.isclose(a, b, rtol=1e-9, atol=1e-9)
        ra, rb = np.round(a, ROUNDED_DECIMALS), np.round(b, ROUNDED_DECIMALS)
        a_coarse, b_coarse = np.isclose(ra, a, atol=1e-9), np.isclose(rb, b, atol=1e-9)
        near = ~close & ((a_coarse & np.isclose(rb, a, atol=1e-9)) | (b_coarse & np.isclose(ra, b, atol=1e-9)))
    valid = ~old_na & ~new_na
    return both | (valid & close), valid & near


@dataclass
class Merged:
    """One table after an import: what changed, the conflicts (nothing is written if there is one), and the new table
    (None when nothing was added or replaced)."""

    change: TableChange
    conflicts: list[DataError]
    frame: pd.DataFrame | None


def merge_table(name: str, parts: list, tbl: Table, data: Path, replace: bool) -> Merged:
    """Merge the validated rows of every file of one import into `name` (vectorised: a table of a million rows merges
    in seconds). `parts` holds (incoming file, its validated rows); a key given twice in one import is an error."""
    key = tbl.key
    columns = list(tbl.columns)
    existing = load_table(name, data) if tbl.path(data).exists() else pd.DataFrame(columns=columns)
    new = pd.concat([valid[columns] for _, valid in parts], ignore_index=True)
    owner = np.concatenate([np.full(len(valid), k) for k, (_, valid) in enumerate(parts)])
    local = np.concatenate([np.arange(len(valid)) for _, valid in parts])
    new_keys = key_strings(new, tbl)
    repeated = new_keys.duplicated()
    if repeated.any():   # the same key in two files of one import
        i = int(repeated.to_numpy().argmax())
        j = int((new_keys == new_keys.iloc[i]).to_numpy().argmax())
        inc, other = parts[owner[i]][0], parts[owner[j]][0]
        raise DataErrors([inc.error(int(local[i]), None, f"duplicate key: the same {', '.join(key)} as row "
                                    f"{other.lines[int(local[j])]} of {other.info.display}")])
    position = pd.Index(key_strings(existing, tbl)).get_indexer(new_keys)
    present = position >= 0
    change = TableChange(name, added=int((~present).sum()))
    old = existing.iloc[position[present]].reset_index(drop=True)
    now_rows = new[present].reset_index(drop=True)
    differs = {}
    rounded = np.zeros(len(now_rows), dtype=bool)
    for c in compared_columns(tbl):
        same, near = compare_cells(old[c], now_rows[c], numeric=tbl.columns[c].type in ("integer", "number"))
        differs[c] = ~(same | near)
        rounded |= near
    any_diff = np.zeros(len(now_rows), dtype=bool)
    for d in differs.values():
        any_diff |= d
    change.unchanged = int((~any_diff).sum())
    change.rounded = int((rounded & ~any_diff).sum())
    where_present = np.flatnonzero(present)
    combined = existing.copy()
    conflicts: list[DataError] = []
    for r in np.flatnonzero(any_diff):
        i = int(where_present[r])
        inc = parts[owner[i]][0]
        where = ", ".join(f"{c}={norm(now_rows.at[r, c])}" for c in key)
        differing = [c for c, d in differs.items() if d[r]]
        if replace:
            combined.iloc[int(position[i])] = now_rows.loc[r, columns]
            change.replaced.extend(f"{name} [{where}] {c}: {norm(old.at[r, c])} → {norm(now_rows.at[r, c])}"
                                   for c in differing)
            continue
        for c in differing:
            conflicts.append(inc.error(int(local[i]), c, f"conflicts with data/tables/{name}.csv row "
                                       f"{int(position[i]) + 2} ({where}, from {old.at[r, 'source_ref']}): "
                                       f"existing {c} {norm(old.at[r, c])!s}, new {norm(now_rows.at[r, c])!s}; "
                                       "nothing was written (correct the file, or import with --replace to "
                                       "overwrite deliberately)"))
    if change.added:
        combined = pd.concat([combined, new[~present]], ignore_index=True)
    change.rows_after = len(combined)
    return Merged(change, conflicts, combined if (change.added or change.replaced) else None)
