"""`tillit refresh`: fetch every live source named in data/sources.yaml, import them all as one import, then build."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from tillit.tables.catalog import load_catalog
from tillit.core.files import data_dir
from tillit.core.errors import DataError
from tillit.core.schema import YAML_LOADER, StrictModel, list_lines, one_of, problems
from tillit.ingest.fetch import SOURCES, FetchError, Stored, fetch
from tillit.ingest.importer import ImportReport, import_files

SOURCES_FILE = "sources.yaml"
# the options each fetcher needs before it can run (an empty one = not configured yet)
REQUIRED = {"kolada": ("kpis",), "scb": ("table_id",), "fk": ("dataset", "fk_table"), "jobtech": ("dataset",),
            "who": ("indicators",)}
# sources.yaml option → keyword of tillit.ingest.fetch.fetch
OPTIONS = {"kpis": "kpis", "municipalities": "municipalities", "years": "years", "table_id": "table",
           "select": "select", "lang": "lang", "dataset": "dataset", "fk_table": "fk_table", "params": "params",
           "path": "path", "indicators": "indicators"}


class SourceSpec(StrictModel):
    """One live source as data/sources.yaml writes it: the fetcher, its options (null = not configured yet), the
    tables it feeds and a note for readers of `tillit refresh`."""

    name: str = Field(min_length=1)
    source: str
    tables: list[str] = Field(min_length=1)
    note: str = ""
    kpis: list[str] | None = None
    municipalities: list[str] | None = None
    years: str | int | None = None
    table_id: str | None = None
    select: dict[str, str | list[str]] | None = None
    lang: str | None = None
    dataset: str | None = None
    fk_table: str | None = None
    params: dict[str, str | int | float] | None = None
    path: str | None = None
    indicators: list[str] | None = None

    _known_fetcher = one_of("source", SOURCES, "source")


class SourcesFile(StrictModel):
    sources: list[dict] = Field(min_length=1)


@dataclass
class Source:
    name: str
    source: str
    options: dict
    tables: list[str]
    note: str = ""

    @property
    def missing(self) -> list[str]:
        return [o for o in REQUIRED[self.source] if not self.options.get(o)]


@dataclass
class RefreshResult:
    fetched: dict[str, list[Stored]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)      # source name → why
    report: ImportReport | None = None


def load_sources(path: Path | None = None, data: Path | None = None) -> list[Source]:
    """data/sources.yaml checked against its schema (SourceSpec), the catalog's tables and repeated names; a
    DataError names the file, the entry's line and the field."""
    path = Path(path) if path else (data or data_dir()) / SOURCES_FILE
    if not path.is_file():
        raise DataError(str(path), None, None, "no such file (it lists the live sources `tillit refresh` fetches)")
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.load(text, Loader=YAML_LOADER) or {}
        listed = SourcesFile.model_validate(raw if isinstance(raw, dict) else {"sources": raw})
    except yaml.YAMLError as err:
        raise DataError(str(path), None, None, f"not valid YAML: {err}") from None
    except ValidationError as err:
        raise DataError(str(path), None, "sources", "; ".join(problems(err, entry_parts=0))) from None
    catalog = load_catalog(data)
    lines = list_lines(text, "sources")
    out, seen = [], set()
    for i, entry in enumerate(listed.sources, 1):
        line = lines[i - 1] if i <= len(lines) else None
        where = f"sources[{i}]"
        try:
            spec = SourceSpec.model_validate(entry)
        except ValidationError as err:
            raise DataError(str(path), line, where,
                            "; ".join(problems(err, entry_parts=0, known=list(SourceSpec.model_fields)))) from None
        if spec.name in seen:
            raise DataError(str(path), line, where, f"the name {spec.name!r} is used twice")
        seen.add(spec.name)
        for table in spec.tables:
            if table not in catalog.tables:
                raise DataError(str(path), line, f"{where}.tables", f"no table named {table!r} in the catalog")
        options = {k: getattr(spec, k) for k in OPTIONS if k in entry}
        out.append(Source(spec.name, spec.source, options, list(spec.tables), spec.note.strip()))
    return out


def _fetch_options(src: Source) -> dict:
    opts = {OPTIONS[k]: v for k, v in src.options.items() if v not in (None, "", [])}
    if "municipalities" in opts:
        opts["municipalities"] = [str(m) for m in opts["municipalities"]]
    if "years" in opts:
        opts["years"] = str(opts["years"])
    if "params" in opts:
        opts["params"] = {str(k): str(v) for k, v in opts["params"].items()}
    if "select" in opts:
        opts["select"] = {str(k): [str(c) for c in (v if isinstance(v, list) else [v])] for k, v in opts["select"].items()}
    return opts


def refresh(data: Path | None = None, sources_file: Path | None = None, only: list[str] | None = None,
            dry_run: bool = False, replace: bool = False, now: datetime | None = None, echo=print) -> RefreshResult:
    """Fetch every configured source (raw responses stored and logged), then import all responses in one go."""
    data = Path(data) if data else data_dir()
    sources = load_sources(sources_file, data)
    if only:
        unknown = set(only) - {s.name for s in sources}
        if unknown:
            raise DataError(str(sources_file or data / SOURCES_FILE), None, None,
                            f"unknown source(s) {', '.join(sorted(unknown))}")
        sources = [s for s in sources if s.name in only]
    result = RefreshResult()
    for src in sources:
        if src.missing:
            result.skipped[src.name] = f"not configured ({', '.join(src.missing)} empty in sources.yaml): {src.note}"
            echo(f"skip  {src.name}: {result.skipped[src.name]}")
            continue
        try:
            fetched = fetch(src.source, data=data, do_import=False, now=now, **_fetch_options(src))
        except FetchError as err:
            raise FetchError(f"{src.name}: {err} (the responses fetched so far are kept under data/raw; "
                             "nothing was imported)") from None
        result.fetched[src.name] = fetched.stored
        echo(f"fetch {src.name}: {len(fetched.stored)} responses")
    files = [s for stored in result.fetched.values() for s in stored if not s.path.name.endswith("-metadata.json")]
    if not files:
        raise FetchError("no source is configured: nothing was fetched (see data/sources.yaml)")
    result.report = import_files([s.path for s in files], data=data, source_urls={s.path: s.url for s in files},
                                 dry_run=dry_run, replace=replace, now=now)
    return result
