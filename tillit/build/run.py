"""Execute the book's notebooks with papermill, re-running one only when its code, parameters or input data change."""
from __future__ import annotations

import json
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from tillit.build import dependencies
from tillit.core import chapter_registry
from tillit.core.files import atomic_path, content_key, repo_root, sha256
from tillit.tables.catalog import load_catalog, table_checksums

REGISTRY = "notebooks/notebooks.yaml"
KERNEL = "python3"


@dataclass(frozen=True)
class Job:
    """One notebook to execute: where it is, what it reads, which parameters it gets."""

    name: str
    path: Path            # the executed notebook (committed with outputs)
    source: Path          # the notebook whose code is run (== path, or the template for fanned-out pages)
    tables: tuple[str, ...]
    parameters: dict = field(default_factory=dict, hash=False)
    title: str = ""
    shared_data: tuple[str, ...] | None = None  # overrides the registry-wide shared_data for this entry


def load_registry(root: Path | None = None) -> dict:
    """notebooks/notebooks.yaml, checked against its schema (tillit/core/chapter_registry.py), as a plain mapping."""
    return chapter_registry.load(root).model_dump(exclude_none=True)


def jobs(root: Path | None = None, overrides: dict | None = None) -> list[Job]:
    """Every notebook of the book, templates fanned out (one page per item), with parameters merged from the
    registry and `overrides` (only the parameters a notebook declares are passed to it)."""
    root = root or repo_root()
    registry = load_registry(root)
    catalog = load_catalog(root / "data")
    out = []
    by_chapter = claim_tables(root)
    for name, spec in (registry.get("notebooks") or {}).items():
        path = root / spec["path"]
        # a chapter shows its claims' status, so it also reads the tables those claims need
        extra = by_chapter.get("*" if spec.get("claims") == "all" else path.stem, set())
        out.append(_job(name, path, path, spec, {}, overrides, catalog, title=chapter_registry.notebook_title(path),
                        extra_tables=extra))
    for name, spec in (registry.get("templates") or {}).items():
        template = root / spec["template"]
        for item in fan_out_items(spec, root):
            target = root / spec["output"].format(**item)
            out.append(_job(f"{name}-{item['code']}", target, template, spec,
                            {spec["parameter"]: item["code"]}, overrides, catalog, title=item.get("label", "")))
    return out


def fan_out_items(spec: dict, root: Path) -> list[dict]:
    from tillit.tables.catalog import vocab

    voc = vocab(spec["for_each"], root / "data")
    codes = spec.get("codes") or sorted(voc.labels)
    return [{"code": c, "label": voc.label(c)} for c in codes]


def claim_tables(root: Path) -> dict[str, set[str]]:
    """chapter id → tables read by the claims registered for that chapter (data/claims.yaml), "*" for all."""
    path = root / "data" / "claims.yaml"
    if not path.is_file():
        return {}
    out: dict[str, set[str]] = {}
    for claim in yaml.safe_load(path.read_text(encoding="utf-8")).get("claims") or []:
        out.setdefault(claim.get("chapter", ""), set()).update(claim.get("tables") or {})
        out.setdefault("*", set()).update(claim.get("tables") or {})
    return out


def _job(name, path, source, spec, fixed, overrides, catalog, title="", extra_tables=()) -> Job:
    declared = spec.get("tables", [])
    if declared == "*":
        declared = list(catalog.tables)
    tables = tuple(sorted(set(declared) | set(extra_tables)))
    for t in tables:
        catalog[t]  # raises a clear KeyError for a table the catalog does not know
    params = dict(spec.get("parameters") or {})
    for key, value in (overrides or {}).items():
        if key in params and value is not None:
            params[key] = value
    params.update(fixed)
    data_files = tuple(spec["shared_data"]) if spec.get("shared_data") is not None else None
    return Job(name, path, source, tables, params, title or spec.get("title", ""), data_files)


def code_of(nb: nbformat.NotebookNode) -> str:
    """The code that runs: code cells except papermill's injected parameters."""
    return "\n\x00".join(dependencies.code_cells(nb))


def code_checksum(root: Path, source: Path, data_files: list[str]) -> str:
    """One hash over the package modules the notebook's code imports (derived: tillit/build/dependencies.py) and the
    data files the package reads while it runs (the registry's shared_data): editing a chapter module re-runs only
    the notebooks that import it."""
    modules = dependencies.code_closure(root, dependencies.notebook_code(source))
    files = modules + [root / rel for rel in sorted(data_files) if (root / rel).is_file()]
    return content_key(part for f in files for part in (str(f.relative_to(root)), f))


def cache_key(job: Job, checksums: dict[str, str], code: str, tables: list[str] | None = None) -> str:
    """The notebook's key: its code and Markdown, its parameters, the code it imports, and the checksums of the
    tables it read when it last ran (`tables`; the registry's list until it has run with recording)."""
    nb = nbformat.read(job.source, as_version=4)
    read = sorted(tables) if tables is not None else list(job.tables)
    blob = json.dumps({
        "code": code_of(nb),
        "markdown": [c.source for c in nb.cells if c.cell_type == "markdown"],
        "parameters": job.parameters,
        "tables": {t: checksums.get(t) for t in read},
        "shared_code": code,
    }, sort_keys=True, ensure_ascii=False)
    return sha256(blob)


def recorded(path: Path) -> dict:
    """The `tillit` metadata an executed notebook was written with (cache key, tables read); empty when the notebook
    is missing or unreadable (it then simply runs again). Read once per notebook and build."""
    if not path.exists():
        return {}
    try:
        return dict(nbformat.read(path, as_version=4).metadata.get("tillit", {}))
    except Exception:
        return {}


def recorded_tables(path: Path) -> list[str] | None:
    """The tables an executed notebook recorded reading, None if it has no record."""
    return recorded(path).get("tables_read")


@dataclass(frozen=True)
class KeyInputs:
    """What a job's cache key is made of, apart from the tables it will read: passed to the worker, which makes the
    final key once the notebook has run and its reads are known."""

    checksums: dict
    code: str


def key_inputs(all_jobs: list[Job], root: Path) -> dict[Job, KeyInputs]:
    checksums = table_checksums(root / "data")
    registry = load_registry(root)
    code_sums: dict[tuple, str] = {}
    out = {}
    for job in all_jobs:
        data_files = list(job.shared_data if job.shared_data is not None else registry.get("shared_data", []))
        memo = (job.source, tuple(data_files))
        if memo not in code_sums:
            code_sums[memo] = code_checksum(root, job.source, data_files)
        out[job] = KeyInputs(checksums, code_sums[memo])
    return out


def current_keys(all_jobs: list[Job], root: Path) -> dict[Job, str]:
    """The cache key each job would have now: its code, parameters, imported modules, and the current checksums of
    the tables it read last time."""
    return {job: cache_key(job, k.checksums, k.code, recorded(job.path).get("tables_read"))
            for job, k in key_inputs(all_jobs, root).items()}


def stored_key(path: Path) -> str | None:
    """The cache key an executed notebook was made with."""
    return recorded(path).get("cache_key")


def strip_volatile(nb: nbformat.NotebookNode, key: str, job: Job) -> nbformat.NotebookNode:
    """Drop timestamps, durations and absolute paths so an unchanged re-run leaves the file byte-identical; record
    the tables the notebook read."""
    params = dict(nb.metadata.get("papermill", {}).get("parameters", {}))
    if "store" in params:
        params["store"] = job.parameters.get("store", "")   # the store it ran on is a place, not a parameter value
    nb.metadata.pop("papermill", None)
    nb.metadata["tillit"] = {"cache_key": key, "parameters": params, "tables": list(job.tables)}
    read = dependencies.tables_read(nb)
    if read is not None:
        nb.metadata["tillit"]["tables_read"] = read
    if job.title:
        nb.metadata["tillit"]["title"] = job.title
    if job.source != job.path and job.title:
        # a page fanned out from a template gets its own title as its first heading (papermill cannot set it)
        first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
        if first is not None and first.source.lstrip().startswith("# "):
            first.source = f"# {job.title}"
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]  # readers of the book need not see it
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.pop("id", None)
    nb.nbformat_minor = 4
    return nb


TMP = Path("_build") / ".tmp"   # a build's temporary files: ignored by git, emptied by the next build
# temporary files older versions (and killed imports/fetches) left beside the files they were replacing
_LEFTOVER = re.compile(r"^\.(?:.+\.ipynb|.+\.[A-Za-z0-9_]{8}|tillit\.duckdb\..+\.tmp(?:\.wal)?)$")


def remove_leftovers(root: Path) -> list[Path]:
    """Delete what an interrupted run left behind (call it holding the project lock, tillit/core/lock.py): the build's
    temp folder, half-built book folders, and hidden temp files next to notebooks, tables and raw files."""
    removed: list[Path] = []
    tmp = root / TMP
    if tmp.is_dir():
        removed += [p for p in tmp.rglob("*") if p.is_file()]
        shutil.rmtree(tmp, ignore_errors=True)
    candidates = [*(root / "notebooks").rglob(".*.ipynb"), *(root / "data" / "tables").glob(".*"),
                  *(root / "data" / "raw").rglob(".*"), *(root / "data").glob(".tillit.duckdb.*")]
    for path in candidates:
        if path.is_file() and _LEFTOVER.match(path.name) and ".ipynb_checkpoints" not in path.parts:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def execute(job: Job, inputs: KeyInputs, store_path: str | None, root: Path | None = None) -> tuple[str, float]:
    """Run one notebook (cwd = its folder) into a temp file under _build/.tmp, strip it, then move it over the
    committed one (a killed run leaves nothing in notebooks/). A store other than the default is passed as the
    notebook's `store` parameter. The cache key is made after the run, from the tables the notebook really read."""
    import papermill as pm

    start = time.perf_counter()
    parameters = dict(job.parameters)
    if store_path and "store" in parameters:
        parameters["store"] = str(store_path)
    with atomic_path(job.path, suffix=".ipynb", folder=(root or repo_root()) / TMP) as tmp:
        pm.execute_notebook(
            str(job.source), str(tmp), parameters=parameters, kernel_name=KERNEL, cwd=str(job.path.parent),
            progress_bar=False, log_output=False, report_mode=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # quiet the kernel's transport warning
        )
        nb = nbformat.read(tmp, as_version=4)
        key = cache_key(job, inputs.checksums, inputs.code, dependencies.tables_read(nb))
        nbformat.write(strip_volatile(nb, key, job), tmp)
    return job.name, time.perf_counter() - start


class NotebookFailed(Exception):
    pass


@dataclass
class RunReport:
    ran: dict[str, float]
    skipped: list[str]


def run_all(all_jobs: list[Job], *, force: bool = False, jobs_n: int = 1, store_path: str | None = None,
            root: Path | None = None, echo=print) -> RunReport:
    root = root or repo_root()
    todo, skipped = [], []
    inputs = key_inputs(all_jobs, root)
    for job, k in inputs.items():
        meta = recorded(job.path)
        if not force and meta.get("cache_key") == cache_key(job, k.checksums, k.code, meta.get("tables_read")):
            skipped.append(job.name)
        else:
            todo.append((job, k))
    echo(f"notebooks: {len(todo)} to run, {len(skipped)} up to date")
    ran: dict[str, float] = {}
    if not todo:
        return RunReport(ran, skipped)
    if jobs_n <= 1:
        for job, key in todo:
            echo(f"  running {job.path.relative_to(root)} …")
            ran[job.name] = _guarded(job, key, store_path, root)[1]
            echo(f"  done    {job.path.relative_to(root)} ({ran[job.name]:.1f} s)")
        return RunReport(ran, skipped)
    with ProcessPoolExecutor(max_workers=jobs_n) as pool:
        futures = {pool.submit(_guarded, job, key, store_path, root): job for job, key in todo}
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                name, secs = fut.result()
            except NotebookFailed:
                for other in futures:
                    other.cancel()
                raise
            ran[name] = secs
            echo(f"  done    {job.path.relative_to(root)} ({secs:.1f} s)")
    return RunReport(ran, skipped)


def _guarded(job: Job, key: KeyInputs, store_path: str | None, root: Path | None = None) -> tuple[str, float]:
    from papermill.exceptions import PapermillExecutionError

    try:
        return execute(job, key, store_path, root)
    except PapermillExecutionError as err:
        raise NotebookFailed(f"{job.source} ({job.name}) failed in cell {err.exec_count}: {err.ename}: {err.evalue}") from None
    except Exception as err:  # kernel died, bad parameters, …
        raise NotebookFailed(f"{job.source} ({job.name}) failed: {type(err).__name__}: {err}") from None
