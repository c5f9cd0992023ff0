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
    from tillit.facts import compile_table, default_facts_dir
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
            frames[name] = validate_frame(compile_table(name, facts_dir), table, f"compiled {name} (from facts/{table.facts})")
        for name, frame in frames.items():
            path = write_table(frame, catalog[name])
            click.echo(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: {len(frame)} rows")
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
@click.option("--no-pdf", is_flag=True, help="Do not write the print edition (by default it is rewritten with the book).")
def build(store_path, year_from, year_to, force, jobs_n, only, no_book, no_pdf):
    """Validate data, update the store, run changed notebooks (papermill) and build the book into _build/html,
    with its print edition (_build/html/det-goda-motet.pdf) and the "Vad har ändrats?" page.

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
    from tillit import editions

    try:
        editions.write_change_page(root)
    except editions.DuplicateKey as err:
        _fail(str(err))
    book.update_toc(root, [(str(j.path.relative_to(root).with_suffix("")), j.title)
                           for j in every_job if j.source != j.path])
    if not no_book:
        try:
            html, rebuilt = book.build(root, force=force, echo=click.echo)
        except book.BookFailed as err:
            _fail(str(err))
        from tillit import pdf as pdf_mod

        if not no_pdf and (rebuilt or not (html / pdf_mod.PDF_NAME).is_file()):
            _write_pdf(root, None, required=False)
    click.echo(f"done in {time.perf_counter() - t0:.1f} s ({len(report.ran)} notebooks ran, {len(report.skipped)} cached)")


@main.command()
def edition():
    """Freeze the current book as an edition: editions/<date>.json with the commit, every table's checksum, every
    keyed number (value and displayed text) and every claim's verdict. Run after `tillit build`; commit the file."""
    from tillit import editions
    from tillit.catalog import repo_root

    root = repo_root()
    try:
        path = editions.freeze(root)
    except editions.DuplicateKey as err:
        _fail(str(err))
    ed = editions.load(path.stem, root)
    verdicts = sum(1 for k, e in ed.numbers.items() if e.kind == "claim" and k.count("/") == 3)
    click.echo(f"{path.relative_to(root)}: {len(ed.numbers) - verdicts} numbers, {verdicts} verdicts, "
               f"{len(ed.tables)} tables (commit {ed.commit[:12] or 'unknown'})")
    editions.write_change_page(root)


@main.command()
@click.option("--since", default=None, help="The edition to compare with (e.g. 2026-11-30; default: the latest).")
def diff(since):
    """Every keyed number and verdict that differs between an edition and the current notebooks (run `tillit build`
    first), per chapter, old → new; the tables whose checksum changed; new and vanished numbers."""
    from tillit import editions
    from tillit.catalog import repo_root

    root = repo_root()
    try:
        old = editions.load(since, root)
    except FileNotFoundError as err:
        _fail(str(err))
    if old is None:
        click.echo("No edition yet: freeze one with `tillit edition`.")
        return
    click.echo(editions.terminal(editions.compare(old, editions.current(root))), nl=False)


def _write_pdf(root, output, required: bool = True):
    from tillit import pdf as pdf_mod

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
    from tillit.catalog import repo_root

    _write_pdf(repo_root(), output)



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
        grade = f" ({row.grade})" if isinstance(row.grade, str) and row.status != claims_mod.UNTESTABLE else ""
        click.echo(f"{row.id:<50} {row.basis:<18} {row.status}{grade}{year}")
    counts = results.groupby(["basis", "status"]).size()
    click.echo("\n" + "\n".join(f"{b}: {s} {n}" for (b, s), n in counts.items()))


if __name__ == "__main__":
    main()
