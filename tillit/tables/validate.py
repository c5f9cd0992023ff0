"""Validate tables against the catalog with pandera; every failure becomes a DataError naming file, row and column."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from tillit.tables.catalog import Table, load_catalog, vocab
from tillit.core.links import UnsafeUrl, check_url
from tillit.core.files import atomic_path
from tillit.core.errors import DataError, DataErrors

_DTYPES = {"string": str, "integer": "Int64", "number": "float64"}
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]")


URL_RULE = "is not an absolute http(s) address (only https:// or http:// source links are accepted)"


def _is_source_url(value) -> bool:
    try:
        check_url(None if pd.isna(value) else value)
    except UnsafeUrl:
        return False
    return True


def schema_for(table: Table) -> pa.DataFrameSchema:
    """A pandera schema built from the catalog entry: types, closed lists, vocabularies, bounds, unique key."""
    columns = {}
    for col in table.columns.values():
        checks = []
        if col.vocab:
            voc = vocab(col.vocab)
            codes = sorted(voc.labels)
            message = f"is not a known {col.vocab} code ({', '.join(codes[:8])}, …)"
            if voc.pattern is None:
                checks.append(pa.Check.isin(codes, error=message))
            else:
                checks.append(pa.Check(lambda s, v=voc: s.map(lambda x: pd.isna(x) or str(x) in v), error=message))
        if col.allowed:
            checks.append(pa.Check.isin(list(col.allowed), error=f"is not one of {', '.join(col.allowed)}"))
        if col.min is not None:
            checks.append(pa.Check.ge(col.min, error=f"is below the minimum {col.min:g}"))
        if col.max is not None:
            checks.append(pa.Check.le(col.max, error=f"is above the maximum {col.max:g}"))
        if col.type == "string":
            checks.append(pa.Check(lambda s: ~s.astype(str).str.contains(_MARKUP), element_wise=False,
                                   error="contains HTML or script markup"))
        if col.format == "url":
            checks.append(pa.Check(_is_source_url, element_wise=True, error=URL_RULE))
        columns[col.name] = pa.Column(_DTYPES[col.type], checks, nullable=col.nullable, coerce=True, required=True)
    return pa.DataFrameSchema(columns, strict=True, unique=table.key or None, report_duplicates="all",
                              name=table.name, ordered=False)


def _describe(check: str, case, column: str | None) -> str:
    if check.startswith("coerce_dtype"):
        kind = "a whole number" if "Int" in check else "a number"
        return f"{case!r} is not {kind}"
    if check == "not_nullable":
        return "value is missing"
    if check == "column_in_schema":
        return f"unexpected column {case!r}"
    if check == "column_in_dataframe":
        return f"required column {case!r} is missing"
    if check in ("multiple_fields_uniqueness", "field_uniqueness"):
        return "duplicate key: another row has the same key"
    if check.startswith("dtype("):
        return f"wrong type {case!r}"
    return f"{case!r} {check}"


def to_data_errors(err: SchemaErrors, file: str, line_of, table_key: list[str] | None = None) -> list[DataError]:
    errors = []
    cases = err.failure_cases
    for _, case in cases.iterrows():
        index = case.get("index")
        row = line_of(index) if index is not None and not pd.isna(index) else None
        column = case.get("column")
        column = None if column is None or pd.isna(column) else column
        check = str(case.get("check"))
        if check in ("column_in_schema", "column_in_dataframe"):
            column = str(case.get("failure_case"))
        errors.append(DataError(file, row, column, _describe(check, case.get("failure_case"), column)))
    # where a column could not be converted, the checks that ran on the raw text only add noise
    coerce_failed = {e.column for e in errors if e.message.endswith(("is not a number", "is not a whole number"))}
    errors = [e for e in errors if e.column not in coerce_failed
              or e.message.endswith(("is not a number", "is not a whole number"))]
    # a repeated key is one message per row, naming the key columns
    key_cols = "+".join(table_key) if table_key else None
    errors = [DataError(e.file, e.row, key_cols, e.message) if e.message.startswith("duplicate key") else e
              for e in errors]
    # one message per (row, column, text), in file order
    unique = {(e.row or 0, e.column or "", e.message): e for e in errors}
    return [unique[k] for k in sorted(unique)]



def validate_frame(frame: pd.DataFrame, table: Table, file: str, line_of=lambda i: int(i) + 2) -> pd.DataFrame:
    """The frame coerced to the catalog's types; DataErrors naming file, row (via line_of(index)) and column otherwise."""
    if frame.empty and len(frame.columns) == 0:
        raise DataErrors([DataError(file, None, None, "the file is empty")])
    try:
        return schema_for(table).validate(frame, lazy=True)
    except SchemaErrors as err:
        raise DataErrors(to_data_errors(err, file, line_of, table.key)) from None


def read_csv_table(path: Path) -> pd.DataFrame:
    """A table CSV as text (only empty cells are missing); typing is the schema's job."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DataErrors([DataError(str(path), None, None, f"not UTF-8 text ({err.reason} at byte {err.start})")]) from None
    except pd.errors.EmptyDataError:
        raise DataErrors([DataError(str(path), None, None, "the file is empty")]) from None
    except pd.errors.ParserError as err:
        raise DataErrors([DataError(str(path), None, None, f"not a well-formed CSV: {err}")]) from None


def load_table(name: str, data: Path | None = None) -> pd.DataFrame:
    """Read and validate data/tables/<name>.csv."""
    table = load_catalog(data)[name]
    path = table.path(data)
    return validate_frame(read_csv_table(path), table, _display(path))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def sort_table(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    keys = [k for k in table.key if k in frame]
    return frame.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)


def write_table(frame: pd.DataFrame, table: Table, data: Path | None = None) -> Path:
    """Write a validated table atomically (temp file + rename), rows sorted by key, so a half-written file never exists."""
    frame = sort_table(frame[list(table.columns)], table)
    path = table.path(data)
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    return path
