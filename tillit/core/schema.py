"""Declared schemas for the project's YAML files (catalog, chapter registry, claims registry): a strict pydantic
base and one way to turn validation errors into messages that name the entry and the field."""
from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
import yaml

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictModel(BaseModel):
    """A mapping as written in a YAML file: unknown fields are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def one_of(field: str, values: Iterable[str], what: str):
    """A validator for a model's `field`: the value must be one of `values` (read when a file is checked, so a
    registry of names can grow); the message lists them."""
    def check(cls, value: str) -> str:
        known = list(values)
        if value not in known:
            raise ValueError(f"unknown {what} {value!r} (known: {', '.join(known)})")
        return value

    return field_validator(field)(classmethod(check))


def problems(err: ValidationError, entry_parts: int = 2, known: list[str] | None = None) -> list[str]:
    """One message per problem: "tables 'ihp': field 'columns.value.type': …" (the first `entry_parts` parts of the
    location name the entry; 0 when the model is the entry itself). `known` lists the fields for unknown ones."""
    out = []
    for problem in err.errors():
        loc = [str(part) for part in problem["loc"]]
        entry = ""
        if entry_parts and len(loc) > entry_parts - 1:
            entry = f"{loc[0]} {loc[1]!r}: " if entry_parts == 2 and len(loc) > 1 else f"{loc[0]}: "
            field = ".".join(loc[entry_parts:]) or loc[-1]
        else:
            field = ".".join(loc) or "entry"
        if problem["type"] == "extra_forbidden":
            message = f"unknown field (known: {', '.join(known)})" if known else "unknown field"
        elif problem["type"] == "missing":
            message = "missing field"
        else:
            message = problem["msg"]
        out.append(f"{entry}field {field!r}: {message}")
    return out


def list_lines(text: str, key: str) -> list[int]:
    """The line (1-based) on which each entry of the list under the top-level `key` starts, for errors that name the
    line; empty when the text is not a mapping with such a list (the schema then says what is wrong)."""
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for name, value in root.value:
        if name.value == key and isinstance(value, yaml.SequenceNode):
            return [node.start_mark.line + 1 for node in value.value]
    return []
