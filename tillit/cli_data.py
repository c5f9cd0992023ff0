"""The `tillit import` and `tillit fetch` commands: bring publishers' files into data/tables."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from tillit.core.errors import DataError, DataErrors, grouped

MAX_SHOWN = 30


def _errors(err: DataError | DataErrors) -> list[DataError]:
    return err.errors if isinstance(err, DataErrors) else [err]


def _fail_data(err: DataError | DataErrors) -> None:
    lines = grouped(_errors(err))   # the same error on many rows is one line naming the rows
    for line in lines[:MAX_SHOWN]:
        click.secho(f"error: {line}", fg="red", err=True)
    if len(lines) > MAX_SHOWN:
        click.secho(f"… and {len(lines) - MAX_SHOWN} more errors", fg="red", err=True)
    click.secho("nothing was written to data/tables", err=True)
    sys.exit(1)


def _options(period, population) -> dict:
    return {k: v for k, v in (("period", period), ("population", population)) if v}


def _formats() -> list[str]:
    from tillit.ingest.formats import FORMATS

    return list(FORMATS)


@click.command("import", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(_formats()), default=None,
              help="The publisher format; detected from the content when left out.")
@click.option("--table", default=None, help="Import only into this catalog table (e.g. sjukfranvaro_landsting).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The data folder (default: data/ in the project).")
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@click.option("--replace", is_flag=True,
              help="Overwrite values that differ from those already in data/tables (each one is listed).")
@click.option("--source-url", default=None, help="Where the file was downloaded from (kept on every row).")
@click.option("--source-title", default=None, help="The source's title, when the file does not carry one.")
@click.option("--period", default=None, help="IHP: the survey year, when the table does not say it.")
@click.option("--population", default=None, help="IHP: the population (adults 18+, 65+, sicker adults …).")
def import_command(files, fmt, table, data_dir, dry_run, replace, source_url, source_title, period, population):
    """Import publishers' FILES into data/tables: validated, merged, provenance on every row.

    New periods, regions or occupations are added. A value that differs from one already in data/tables is
    reported (file, row, column, both values) and nothing is written (exit status 1). Every import is logged
    in data/raw/imports.csv with the file's sha256. Several files given together are one import: all or nothing.

    Formats: SCB PxWeb CSV and JSON-stat2, Kolada API JSON, Försäkringskassan CSV/JSON/XLSX, Arbetsförmedlingen
    Yrkesprognoser and Yrkesbarometer JSON, Öppna jämförelser data lists, Commonwealth Fund/Vårdanalys IHP tables.
    See docs/importing.md."""
    from tillit.core.files import repo_root
    from tillit.cli import held
    from tillit.ingest.importer import import_files

    try:
        with held(data_dir.resolve().parent if data_dir else repo_root(), "import"):
                report = import_files(list(files), data=data_dir, fmt=fmt, table=table,
                                  source_urls={Path(f): source_url for f in files} if source_url else None,
                                  source_title=source_title, options=_options(period, population),
                                  dry_run=dry_run, replace=replace)
    except (DataError, DataErrors) as err:
        _fail_data(err)
    click.echo(report.summary())
    if dry_run and report.merged and data_dir is None:
        from tillit.build import changes

        click.echo("\npreview: re-running the notebooks that read the changed tables on a temporary copy …")
        try:
            change = changes.preview(report.merged)
        except Exception as err:  # the import check stands on its own; a preview that fails must say so
            click.secho(f"preview failed: {err}", fg="red", err=True)
            sys.exit(1)
        click.echo("Så skulle boken ändras (ingenting är skrivet):\n" + changes.terminal(change), nl=False)


def _pairs(values: tuple[str, ...], option: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"{value!r}: use NAME=value1,value2", param_hint=option)
        name, _, codes = value.partition("=")
        out[name.strip()] = [c.strip() for c in codes.split(",") if c.strip()]
    return out


@click.command("fetch", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source", type=click.Choice(["scb", "kolada", "fk", "jobtech", "who"]))
@click.option("--base-url", default=None,
              help="API root (default: the publisher's; or $TILLIT_SCB_URL, $TILLIT_KOLADA_URL, $TILLIT_FK_URL, "
                   "$TILLIT_JOBTECH_URL, $TILLIT_WHO_URL).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The data folder (default: data/ in the project).")
@click.option("--kpi", "kpis", multiple=True, help="kolada: KPI id (repeatable), e.g. N00090.")
@click.option("--municipality", "municipalities", multiple=True,
              help="kolada: municipality/region id (repeatable; default: riket, the kommuner in data/vocab.yaml "
                   "and every region).")
@click.option("--years", default=None, help="kolada: years, e.g. 2015-2021 or 2016,2018 (default: 2010 to now).")
@click.option("--table-id", default=None, help="scb: the PxWebApi 2 table id.")
@click.option("--select", multiple=True, help="scb: VARIABLE=code1,code2 (repeatable; default: every value).")
@click.option("--lang", default="sv", show_default=True, help="scb: metadata language.")
@click.option("--dataset", default=None,
              help="fk: the dataset (e.g. sjp-pagaende-sjukfall-diagnos); jobtech: yrkesprognoser or yrkesbarometer.")
@click.option("--fk-table", default=None, help="fk: the table within the dataset.")
@click.option("--param", "params", multiple=True, help="fk: query parameter NAME=value (repeatable).")
@click.option("--path", default=None, help="jobtech: a file path under the base URL instead of a named dataset.")
@click.option("--indicator", "indicators", multiple=True, help="who: GHO indicator code (repeatable), e.g. HWF_0001.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Read timeout per request (seconds).")
@click.option("--retries", type=int, default=5, show_default=True, help="Attempts per request.")
@click.option("--no-import", is_flag=True, help="Only store the raw responses under data/raw.")
@click.option("--dry-run", is_flag=True, help="Store the raw responses and check the import, but write no table.")
@click.option("--replace", is_flag=True, help="As for `tillit import`.")
def fetch_command(source, base_url, data_dir, kpis, municipalities, years, table_id, select, lang, dataset, fk_table,
                  params, path, indicators, timeout, retries, no_import, dry_run, replace):
    """Fetch SOURCE (scb, kolada, fk, jobtech, who) over HTTP and import it.

    Requests have timeouts, are retried with exponential backoff (Retry-After is honoured), follow paging and keep
    to the publisher's rate limit. Every raw response is stored under data/raw/<source>/ and listed with its
    sha256 and retrieval time in data/raw/fetches.csv; then all of them are imported as one `tillit import`."""
    from tillit.core.files import repo_root
    from tillit.cli import held
    from tillit.ingest.fetch import FetchError, fetch

    try:
        param_pairs = {k: ",".join(v) for k, v in _pairs(params, "--param").items()}
        with held(data_dir.resolve().parent if data_dir else repo_root(), "fetch"):
            result = fetch(source, data=data_dir, base=base_url, do_import=not no_import, dry_run=dry_run,
                           timeout=(10.0, timeout), attempts=retries, import_options={"replace": replace},
                           kpis=list(kpis), municipalities=list(municipalities) or None, years=years,
                           table=table_id, select=_pairs(select, "--select"), lang=lang, dataset=dataset,
                           fk_table=fk_table, params=param_pairs, path=path,
                           indicators=list(indicators))
    except FetchError as err:
        click.secho(f"error: {err}", fg="red", err=True)
        sys.exit(1)
    except (DataError, DataErrors) as err:
        click.secho("the raw responses are kept under data/raw for inspection", err=True)
        _fail_data(err)
    for item in result.stored:
        click.echo(f"stored {item.path} ({item.sha256[:12]}, {item.url})")
    if result.report:
        click.echo(result.report.summary())
