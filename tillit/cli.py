"""The `tillit` command: compile the default data, validate, build the store, run the notebooks and build the book."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click

from tillit.core.errors import DataError, DataErrors, grouped


def _fail(message: str, code: int = 1):
    click.secho(message, fg="red", err=True)
    sys.exit(code)


@contextmanager
def held(root: Path, command: str):
    """Hold the project's lock (tillit/core/lock.py) for a command that writes; a clear message when it stays busy."""
    from tillit.core.lock import Busy, project_lock

    try:
        with project_lock(root, command, echo=lambda m: click.echo(m, err=True)):
            yield
    except Busy as err:
        _fail(f"error: {err}")


class LazyGroup(click.Group):
    """A group whose heavier subcommands are imported only when used (keeps `tillit build` start-up short)."""

    lazy = {"import": "tillit.cli_data:import_command", "fetch": "tillit.cli_data:fetch_command"}

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx, name):
        if name in self.lazy:
            import importlib

            module, attr = self.lazy[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Det goda mötet: a living version of SOU 2018:47, built from cited open data.

    The data path: publisher files → data/tables (validated against data/catalog.yaml) → DuckDB store →
    notebooks (papermill) → Jupyter Book in _build/html."""


@main.command("compile-facts")
@click.option("--facts", "facts_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with the shared facts tables (default: ../shared/data/facts beside the project).")
@click.argument("tables", nargs=-1)
def compile_facts(facts_dir, tables):
    """(Re)compile the default data in data/tables from the shared facts tables, citations kept on every row."""
    from tillit.tables.catalog import load_catalog
    from tillit.core.files import repo_root
    from tillit.ingest.facts import default_facts_dir

    catalog = load_catalog()
    facts_dir = facts_dir or default_facts_dir()
    if not facts_dir.is_dir():
        _fail(f"{facts_dir}: no facts folder here (use --facts)")
    with held(repo_root(), "compile-facts"):
        _compile(catalog, facts_dir, tables)


def _compile(catalog, facts_dir, tables):
    from tillit.ingest.facts import LEFT_OUT, OVERLAP_TABLE, compile_table
    from tillit.tables.validate import validate_frame, write_table

    try:
        # validate every table before writing any, so a bad facts file changes nothing
        frames = {}
        for name in tables or catalog.tables:
            table = catalog[name]
            origin = ", ".join(f"facts/{f}" for f in table.facts) or "the other tables"
            frames[name] = validate_frame(compile_table(name, facts_dir), table, f"compiled {name} (from {origin})")
        for name, frame in frames.items():
            path = write_table(frame, catalog[name])
            click.echo(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: {len(frame)} rows")
        for line in dict.fromkeys(LEFT_OUT):
            click.echo(line)
        if OVERLAP_TABLE in frames:
            overlaps = frames[OVERLAP_TABLE]
            differing = overlaps[overlaps.outcome == "olika värden"]
            click.echo(f"{len(overlaps)} cells given by two sources ({len(differing)} with different values; "
                       f"see data/tables/{OVERLAP_TABLE}.csv):")
            for row in differing.itertuples():
                click.echo(f"  {row.table_name} [{row.cell}]: uses {row.used_value:g} ({row.used_ref}), "
                           f"not {row.value:g} ({row.alternative_ref})")
    except (DataError, DataErrors) as err:
        _fail(str(err))


@main.command("compile-geo")
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="GeoJSON of the 21 län (default: ../shared/geo/swedish_regions.geojson).")
def compile_geo(source):
    """Compile the län boundaries into _static/tillit-lan.json, the one map file every page shares."""
    from tillit.report import maps

    try:
        path = maps.compile_geo(source)
    except (FileNotFoundError, ValueError) as err:
        _fail(f"error: {err}")
    click.echo(f"{path}: {path.stat().st_size / 1000:.0f} kB")


@main.command()
def validate():
    """Validate every table in data/tables against the catalog; errors name file, row and column."""
    from tillit.tables.catalog import load_catalog
    from tillit.tables.validate import load_table

    problems = []
    for name in load_catalog().tables:
        try:
            frame = load_table(name)
            click.echo(f"ok  {name} ({len(frame)} rows)")
        except DataErrors as err:
            problems.extend(err.errors)
    if problems:
        lines = grouped(problems)
        _fail("\n".join(lines[:50]) + (f"\n… and {len(lines) - 50} more" if len(lines) > 50 else ""))


@main.command()
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Store file (default: $TILLIT_STORE or data/tillit.duckdb).")
@click.option("--force", is_flag=True, help="Reload every table.")
def store(store_path, force):
    """Build or update the DuckDB store from data/tables (only tables whose checksum changed)."""
    from tillit.tables import store as store_mod
    from tillit.core.files import repo_root

    try:
        with held(repo_root(), "store"):
            update = store_mod.build(store_path, force=force)
    except DataErrors as err:
        _fail(str(err))
    if update.note:
        click.secho(f"note: {update.note}", fg="yellow")
    click.echo(f"store {update.path}: {len(update.rebuilt)} tables loaded, {len(update.unchanged)} unchanged")


@main.command()
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Store file (default: $TILLIT_STORE or data/tillit.duckdb).")
@click.option("--year-from", type=int, default=None, help="First year shown in the chapters (parameter year_from).")
@click.option("--year-to", type=int, default=None, help="Last year shown in the chapters (parameter year_to).")
@click.option("--force", is_flag=True, help="Re-run every notebook and rebuild the whole book.")
@click.option("--jobs", "-j", "jobs_n", type=int, default=1, show_default=True, help="Notebooks run in parallel.")
@click.option("--only", multiple=True, help="Run only these notebooks (names from notebooks/notebooks.yaml).")
@click.option("--no-book", is_flag=True, help="Run the notebooks but do not build the HTML book.")
@click.option("--no-pdf", is_flag=True, help="Do not write the print edition (by default it is rewritten with the book).")
def build(store_path, year_from, year_to, force, jobs_n, only, no_book, no_pdf):
    """Validate data, update the store, run changed notebooks (papermill) and build the book into _build/html,
    with its print edition (_build/html/det-goda-motet.pdf) and the "Vad har ändrats?" page.

    A notebook is re-executed only when its code, its parameters or the checksums of the tables it reads change.
    A failing notebook stops the build; _build/html keeps the last good book."""
    from tillit.core.files import repo_root

    t0 = time.perf_counter()
    root = repo_root()
    click.echo(f"project: {root}")
    with held(root, "build"):
        _build(root, t0, store_path, year_from, year_to, force, jobs_n, only, no_book, no_pdf)


def _build(root, t0, store_path, year_from, year_to, force, jobs_n, only, no_book, no_pdf):
    from tillit.build import book, run
    from tillit.tables import store as store_mod

    removed = run.remove_leftovers(root)
    if removed:
        click.echo(f"removed {len(removed)} temporary file(s) left by an interrupted run: "
                   + ", ".join(str(p.relative_to(root)) for p in removed[:5]) + (" …" if len(removed) > 5 else ""))
    try:
        update = store_mod.build(store_path)
    except DataErrors as err:
        _fail(str(err))
    if update.note:
        click.secho(f"note: {update.note}", fg="yellow")
    click.echo(f"store: {len(update.rebuilt)} tables loaded, {len(update.unchanged)} unchanged ({update.path})")
    overrides = {"year_from": year_from, "year_to": year_to}
    every_job = run.jobs(root, overrides)
    all_jobs = every_job
    if only:
        unknown = set(only) - {j.name for j in every_job}
        if unknown:
            _fail(f"unknown notebook(s): {', '.join(sorted(unknown))}")
        all_jobs = [j for j in every_job if j.name in only]
    try:
        report = run.run_all(all_jobs, force=force, jobs_n=jobs_n,
                             store_path=str(update.path) if store_path else None, root=root, echo=click.echo)
    except run.NotebookFailed as err:
        _fail(f"notebook failed: {err}\nThe book was not built; _build/html keeps the last good build.")
    from tillit.build import pages

    pages.write_generated(root, update.path)
    from tillit.build import changes, editions

    try:
        changes.write_change_page(root)
    except editions.DuplicateKey as err:
        _fail(str(err))
    if not no_book:
        try:
            html, rebuilt = book.build(root, force=force, echo=click.echo)
        except book.BookFailed as err:
            _fail(str(err))
        from tillit.build import pdf as pdf_mod

        if not no_pdf and (rebuilt or not (html / pdf_mod.PDF_NAME).is_file()):
            _write_pdf(root, None, required=False)
    click.echo(f"done in {time.perf_counter() - t0:.1f} s ({len(report.ran)} notebooks ran, {len(report.skipped)} cached)")


@main.command()
def edition():
    """Freeze the current book as an edition: editions/<date>.json with the commit, every table's checksum, every
    keyed number (value and displayed text) and every claim's verdict. Run after `tillit build`; commit the file."""
    from tillit.build import changes, editions
    from tillit.core.files import repo_root

    root = repo_root()
    try:
        path = editions.freeze(root)
    except editions.DuplicateKey as err:
        _fail(str(err))
    ed = editions.load(path.stem, root)
    verdicts = sum(1 for k, e in ed.numbers.items() if e.kind == "claim" and k.count("/") == 3)
    click.echo(f"{path.relative_to(root)}: {len(ed.numbers) - verdicts} numbers, {verdicts} verdicts, "
               f"{len(ed.tables)} tables (commit {ed.commit[:12] or 'unknown'})")
    changes.write_change_page(root)


@main.command()
@click.option("--since", default=None, help="The edition to compare with (e.g. 2026-11-30; default: the latest).")
def diff(since):
    """Every keyed number and verdict that differs between an edition and the current notebooks (run `tillit build`
    first), per chapter, old → new; the tables whose checksum changed; new and vanished numbers."""
    from tillit.build import changes, editions
    from tillit.core.files import repo_root

    root = repo_root()
    try:
        old = editions.load(since, root)
    except FileNotFoundError as err:
        _fail(str(err))
    if old is None:
        click.echo("No edition yet: freeze one with `tillit edition`.")
        return
    click.echo(changes.terminal(changes.compare(old, editions.current(root))), nl=False)


def _write_pdf(root, output, required: bool = True):
    from tillit.build import pdf as pdf_mod

    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except (OSError, ImportError) as err:
        message = (f"pdf: WeasyPrint cannot start ({err}); install Debian's libpango-1.0-0, libpangoft2-1.0-0 and "
                   "fonts-dejavu-core, then run `tillit pdf`")
        if required:
            _fail(message)
        click.secho(message + " (the book was built without its PDF)", fg="yellow", err=True)
        return
    try:
        result = pdf_mod.build(root, output)
    except pdf_mod.PdfFailed as err:
        _fail(str(err))
    click.echo(f"pdf: {result.path.relative_to(root) if result.path.is_relative_to(root) else result.path} "
               f"({result.pages} pages, {result.path.stat().st_size / 1e6:.1f} MB, {result.seconds:.1f} s)")


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the PDF (default: _build/html/det-goda-motet.pdf, linked from the start page).")
def pdf(output):
    """The print edition: one PDF of the whole book from the built HTML (run `tillit build` first), with title
    page, contents with page numbers, charts as vector graphics, their tables and sources, and the verdicts."""
    from tillit.core.files import repo_root

    _write_pdf(repo_root(), output)



@main.command()
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The list of live sources (default: data/sources.yaml).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The data folder (default: data/ in the project).")
@click.option("--only", multiple=True, help="Fetch only these sources (names in sources.yaml; repeatable).")
@click.option("--dry-run", is_flag=True, help="Fetch and check the import, write no table, build nothing.")
@click.option("--replace", is_flag=True, help="As for `tillit import`: overwrite differing values (each one is listed).")
@click.option("--no-build", is_flag=True, help="Import, but do not build the book afterwards.")
@click.option("--jobs", "-j", "jobs_n", type=int, default=2, show_default=True, help="Notebooks run in parallel in the build.")
@click.pass_context
def refresh(ctx, sources_file, data_dir, only, dry_run, replace, no_build, jobs_n):
    """Fetch every live source in data/sources.yaml, import them as ONE import, then build the book.

    Raw responses are kept under data/raw/<source>/ (sha256 and time in data/raw/fetches.csv). If any response is
    bad or any value conflicts with one already in data/tables, every conflict is listed (file, row, column, both
    values) and nothing is written. Sources whose ids are not filled in are listed as skipped."""
    from tillit.build.refresh import refresh as run_refresh
    from tillit.core.files import repo_root
    from tillit.ingest.fetch import FetchError

    try:
        # fetching and importing write data/raw and data/tables: one writer at a time (the build below takes the
        # lock again for itself)
        with held(data_dir.resolve().parent if data_dir else repo_root(), "refresh"):
            result = run_refresh(data_dir, sources_file, list(only) or None, dry_run=dry_run, replace=replace,
                                 echo=click.echo)
    except FetchError as err:
        _fail(f"error: {err}")
    except (DataError, DataErrors) as err:
        errors = err.errors if isinstance(err, DataErrors) else [err]
        _fail("\n".join(f"error: {e}" for e in errors[:30]) + (f"\n… and {len(errors) - 30} more" if len(errors) > 30 else "")
              + "\nnothing was written to data/tables (the raw responses are kept under data/raw)")
    click.echo(result.report.summary())
    if result.skipped:
        click.echo(f"{len(result.skipped)} source(s) not configured: {', '.join(result.skipped)}")
    if dry_run or no_build:
        return
    ctx.invoke(build, jobs_n=jobs_n)


@main.command()
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Store file (default: $TILLIT_STORE or data/tillit.duckdb).")
@click.option("--chapter", default=None, help="Only claims of this chapter id (e.g. 3-5-kompetensforsorjning).")
def claims(store_path, chapter):
    """Re-test the report's claims (data/claims.yaml) on the store and print each status."""
    import pandas as pd

    from tillit.claims import api as claims_mod
    from tillit.tables import store as store_mod

    from tillit.core.files import repo_root

    try:
        with held(repo_root(), "claims"):   # it brings the store up to date first
            update = store_mod.build(store_path)
        if update.note:
            click.secho(f"note: {update.note}", fg="yellow")
        results = claims_mod.evaluate_all(store_mod.connect(update.path))
    except (DataError, DataErrors) as err:
        _fail(str(err))
    if chapter:
        results = results[results["chapter"] == chapter]
    for row in results.itertuples():
        year = "" if pd.isna(row.year) else f" {int(row.year)}"
        grade = f" ({row.grade})" if isinstance(row.grade, str) and row.status != claims_mod.UNTESTABLE else ""
        click.echo(f"{row.id:<50} {row.basis:<18} {row.status}{grade}{year}")
    # counts per evaluation and status, in the statuses' own order (verdicts, indications, descriptions, untestable)
    counts = results.groupby(["basis", "status"]).size()
    lines = [f"{basis}: {status} {counts[(basis, status)]}" for basis in claims_mod.BASES
             for status in claims_mod.STATUSES if (basis, status) in counts.index]
    click.echo("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
