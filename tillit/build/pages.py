"""Book pages generated at build time: the build stamp and the "Data och källor" page rendered from the catalog."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from typing import TYPE_CHECKING

from tillit.core import links, markdown
from tillit.report import citations, text
from tillit.tables.catalog import load_catalog, table_checksums

if TYPE_CHECKING:
    from tillit.tables.store import Store

GENERATED = Path("book") / "_generated"


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def build_stamp(root: Path, today: dt.date | None = None) -> str:
    """Markdown: build date, git commit and the sha256 of every data table."""
    commit = _git(root, "rev-parse", "--short=12", "HEAD") or "okänd"
    dirty = bool(_git(root, "status", "--porcelain", "--untracked-files=no"))
    today = today or dt.date.today()
    lines = [f"Byggd {today.isoformat()} från commit `{commit}`" + (" (med ändringar som inte är incheckade)" if dirty else "") + ".",
             "", markdown.table(["Tabell", "Kontrollsumma (sha256, första 16 tecken)"],
                                [[f"[{name}](tabell-{name})", f"`{digest[:16]}`"]
                                 for name, digest in sorted(table_checksums(root / "data").items())])]
    return "\n".join(lines) + "\n"


IDENTIFIER = __import__("re").compile(r"\b([A-Za-z0-9]+(?:_[A-Za-z0-9]+)+)\b")


def prose(s: object) -> str:
    """Catalog text for the page: escaped, with identifiers (table and column names, codes) shown as code."""
    parts = IDENTIFIER.split(str(s))
    return "".join(f"`{p}`" if i % 2 else text.escape(p) for i, p in enumerate(parts))


def data_sources(root: Path, store: Store) -> str:
    """Markdown for every catalog table: description, coverage computed from the data, sources with links, gaps."""
    catalog = load_catalog(root / "data")
    out = []
    for name, table in catalog.tables.items():
        rows = store.sql(f'SELECT count(*) AS n FROM "{name}"').n.iloc[0]
        if "period" in table.columns:
            # periods that start with a year; free-text periods (a source's own wording) are not a range end
            periods = store.sql(f"""SELECT min(CAST(period AS VARCHAR)) a, max(CAST(period AS VARCHAR)) b FROM "{name}"
                                    WHERE regexp_matches(CAST(period AS VARCHAR), '^[0-9]{{4}}')""").iloc[0]
            span = (f", perioder {text.escape(text.period_label(periods.a))}–{text.escape(text.period_label(periods.b))}"
                    if isinstance(periods.a, str) else "")
        else:
            span = ""
        sources = store.sql(f'''SELECT source_publisher, source_title, source_url, source_type, count(*) AS n
                                FROM "{name}" GROUP BY ALL ORDER BY source_type, source_publisher, source_title''')
        out.append(f"(tabell-{name})=\n## {text.escape(table.title)}\n")
        out.append(f"{prose(table.description)}\n")
        out.append(f"- **Tabell:** `{name}` ({text.number(rows, 0)} rader{span})")
        out.append(f"- **Täckning:** {prose(table.coverage)}")
        if table.missing:
            out.append(f"- **Saknas:** {prose(table.missing)}")
        out.append("- **Kolumner:** " + "; ".join(
            f"`{c.name}` ({prose(c.description)}{', ' + text.escape(c.unit) if c.unit else ''})"
            for c in table.columns.values() if c.name not in catalog.provenance))
        out.append("- **Källor:**")
        for s in sources.itertuples():
            kind = "primärkälla" if s.source_type == "primary" else "sekundärkälla"
            title = text.escape(citations.swedish_title(s.source_title))  # no English remarks in reader text
            link = links.md_link(title, s.source_url)
            out.append(f"  - {link} – {text.escape(s.source_publisher)}, {kind}, {s.n} {'värde' if s.n == 1 else 'värden'}")
        out.append("")
    return "\n".join(out)


def inputs_key(root: Path, today: dt.date | None = None) -> str:
    """What the generated pages depend on: commit, working-tree state, date, catalog, vocabularies and table data."""
    from tillit.core.files import file_sha256, sha256

    parts = [_git(root, "rev-parse", "HEAD"), _git(root, "status", "--porcelain", "--untracked-files=no"),
             (today or dt.date.today()).isoformat(), file_sha256(root / "data" / "catalog.yaml"),
             file_sha256(root / "data" / "vocab.yaml"), file_sha256(root / "data" / "coverage.yaml"),
             _git(root, "log", "-1", "--format=%H", "--", "data/tables"),
             *sorted(table_checksums(root / "data").values())]
    return sha256("\n".join(parts))


def chapter_tables(root: Path) -> dict[str, set[str]]:
    """The tables each chapter page reads (notebook stem, or the template's stem for fanned-out pages)."""
    from tillit.build import run

    out: dict[str, set[str]] = {}
    for job in run.jobs(root):
        out.setdefault(job.source.stem, set()).update(job.tables)
    return out


def write_generated(root: Path, store_path: Path) -> list[Path]:
    """Write the generated includes when their inputs changed (so an unchanged build stays a no-op)."""
    from tillit.tables.store import connect

    folder = root / GENERATED
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / ".inputs-key"
    key = inputs_key(root)
    if key_file.is_file() and key_file.read_text() == key:
        return []
    from tillit.report import coverage, freshness

    store = connect(store_path)
    written = []
    pages = [("build-stamp.md", build_stamp(root)), ("data-och-kallor.md", data_sources(root, store)),
             ("farskhet.md", freshness.freshness_markdown(root, store)),
             ("tackning.md", coverage.coverage_markdown(root, store))]
    pages += [(f"{freshness.NOTICE_DIR}/{name}.md", freshness.chapter_notice(store, tables))
              for name, tables in chapter_tables(root).items()]
    for fname, body in pages:
        path = folder / fname
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != body:
            path.write_text(body, encoding="utf-8")
            written.append(path)
    store.close()
    key_file.write_text(key)
    return written
