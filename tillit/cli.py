"""The `tillit` command: compile the default data, validate, build the store, run the notebooks and build the book."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from tillit.errors import DataError, DataErrors


def _fail(message: str, code: int = 1):
    click.secho(message, fg="red", err=True)
    sys.exit(code)


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
    from tillit.catalog import load_catalog
    from tillit.facts import LEFT_OUT, OVERLAP_TABLE, compile_table, default_facts_dir
    from tillit.validate import validate_frame, write_table

    catalog = load_catalog()
    facts_dir = facts_dir or default_facts_dir()
    if not facts_dir.is_dir():
        _fail(f"{facts_dir}: no facts folder here (use --facts)")
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


@main.command()
def validate():
    """Validate every table in data/tables against the catalog; errors name file, row and column."""
    from tillit.catalog import load_catalog
    from tillit.validate import load_table

    problems = []
    for name in load_catalog().tables:
        try:
            frame = load_table(name)
            click.echo(f"ok  {name} ({len(frame)} rows)")
        except DataErrors as err:
            problems.extend(err.errors)
    if problems:
        _fail("\n".join(str(p) for p in problems[:50]) + (f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""))


@main.command()
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Store file (default: $TILLIT_STORE or data/tillit.duckdb).")
@click.option("--force", is_flag=True, help="Reload every table.")
def store(store_path, force):
    """Build or update the DuckDB store from data/tables (only tables whose checksum changed)."""
    from tillit import store as store_mod

    try:
        update = store_mod.build(store_path, force=force)
    except DataErrors as err:
        _fail(str(err))
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
def build(store_path, year_from, year_to, force, jobs_n, only, no_book):
    """Validate data, update the store, run changed notebooks (papermill) and build the book into _build/html.

    A notebook is re-executed only when its code, its parameters or the checksums of the tables it reads change.
    A failing notebook stops the build; _build/html keeps the last good book."""
    from tillit import book, run
    from tillit import store as store_mod
    from tillit.catalog import repo_root

    t0 = time.perf_counter()
    root = repo_root()
    click.echo(f"project: {root}")
    try:
        update = store_mod.build(store_path)
    except DataErrors as err:
        _fail(str(err))
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
    from tillit import pages

    pages.write_generated(root, update.path)
    book.update_toc(root, [(str(j.path.relative_to(root).with_suffix("")), j.title)
                           for j in every_job if j.source != j.path])
    if not no_book:
        try:
            book.build(root, force=force, echo=click.echo)
        except book.BookFailed as err:
            _fail(str(err))
    click.echo(f"done in {time.perf_counter() - t0:.1f} s ({len(report.ran)} notebooks ran, {len(report.skipped)} cached)")



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
    from tillit.fetch import FetchError
    from tillit.refresh import refresh as run_refresh

    try:
        result = run_refresh(data_dir, sources_file, list(only) or None, dry_run=dry_run, replace=replace, echo=click.echo)
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

    from tillit import claims as claims_mod
    from tillit import store as store_mod

    try:
        update = store_mod.build(store_path)
        results = claims_mod.evaluate_all(store_mod.connect(update.path))
    except (DataError, DataErrors) as err:
        _fail(str(err))
    if chapter:
        results = results[results["chapter"] == chapter]
    for row in results.itertuples():
        year = "" if pd.isna(row.year) else f" {int(row.year)}"
        click.echo(f"{row.id:<55} {row.basis:<12} {row.status}{year}")
    counts = results.groupby(["basis", "status"]).size()
    click.echo("\n" + "\n".join(f"{b}: {s} {n}" for (b, s), n in counts.items()))


if __name__ == "__main__":
    main()
