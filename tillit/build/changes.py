"""What changed between two editions: the comparison, the terminal summary and the 'Vad har ändrats?' page."""
from __future__ import annotations

from dataclasses import dataclass
import html
from pathlib import Path

from tillit.build.editions import Edition, Entry, current, load
from tillit.core.files import repo_root

CHANGE_PAGE = Path("book") / "_generated" / "andringar.md"   # the 'Vad har ändrats?' page


@dataclass
class Change:
    key: str
    old: Entry | None
    new: Entry | None

    @property
    def entry(self) -> Entry:
        return self.new or self.old  # type: ignore[return-value]

    @property
    def is_verdict(self) -> bool:
        """A claim's status (not one of the numbers it was judged on)."""
        parts = self.key.split("/")
        return self.entry.kind == "claim" and len(parts) == 4 and parts[1] == "pastaende"


@dataclass
class Diff:
    since: Edition
    now: Edition
    changed: list[Change]
    added: list[Change]
    removed: list[Change]
    tables: list[tuple[str, str | None, str | None]]  # table, old checksum, new checksum

    @property
    def numbers_changed(self) -> int:
        return sum(not c.is_verdict for c in self.changed)

    @property
    def verdicts_changed(self) -> int:
        return sum(c.is_verdict for c in self.changed)

    @property
    def empty(self) -> bool:
        return not (self.changed or self.added or self.removed or self.tables)


def _differs(a: Entry, b: Entry) -> bool:
    if a.text != b.text or a.kind != b.kind:
        return True
    if a.value is None or b.value is None:
        return a.value != b.value
    return abs(a.value - b.value) > 1e-9 * max(1.0, abs(a.value), abs(b.value))


def compare(since: Edition, now: Edition) -> Diff:
    changed, added, removed = [], [], []
    for k in sorted(set(since.numbers) | set(now.numbers)):
        old, new = since.numbers.get(k), now.numbers.get(k)
        if old is None:
            added.append(Change(k, None, new))
        elif new is None:
            removed.append(Change(k, old, None))
        elif _differs(old, new):
            changed.append(Change(k, old, new))
    tables = [(t, since.tables.get(t), now.tables.get(t)) for t in sorted(set(since.tables) | set(now.tables))
              if since.tables.get(t) != now.tables.get(t)]
    return Diff(since, now, changed, added, removed, tables)


def _count(n: int, one: str, many: str) -> str:
    """'1 bedömning', '3 bedömningar', 'inga bedömningar'."""
    return f"inga {many}" if n == 0 else f"{n} {one if n == 1 else many}"


def summary(d: Diff) -> str:
    """'14 tal och 2 bedömningar har ändrats sedan utgåvan 2026-11-30.'"""
    since = f"sedan utgåvan {d.since.name}" if d.since.name else "jämfört med boken som den är byggd nu"
    if d.empty:
        return f"Inga tal och inga bedömningar har ändrats {since}."
    head = f"{_count(d.numbers_changed, 'tal', 'tal')} och {_count(d.verdicts_changed, 'bedömning', 'bedömningar')}"
    verb = "har ändrats"
    extra = []
    if d.added:
        extra.append(f"{_count(len(d.added), 'nytt tal', 'nya tal')}")
    if d.removed:
        extra.append(f"{_count(len(d.removed), 'tal', 'tal')} som inte längre finns")
    tail = f" Dessutom {' och '.join(extra)}." if extra else ""
    sentence = f"{head} {verb} {since}.{tail}"
    return sentence[0].upper() + sentence[1:]


def _by_chapter(d: Diff, changes: list[Change]) -> dict[str, list[Change]]:
    order = list(d.now.chapters) + [c for c in d.since.chapters if c not in d.now.chapters]
    out: dict[str, list[Change]] = {c: [] for c in order}
    for c in changes:
        out.setdefault(c.key.split("/", 1)[0], []).append(c)
    return {k: v for k, v in out.items() if v}


def _title(d: Diff, pid: str) -> str:
    return d.now.chapters.get(pid) or d.since.chapters.get(pid) or pid


def _what(key: str) -> str:
    """The key without its page id: 'sjukfranvaro-kon/riket/kvinnor/2017'."""
    return key.split("/", 1)[1]


def terminal(d: Diff) -> str:
    """The diff as `tillit diff` prints it."""
    lines = [summary(d)]
    if d.tables:
        lines.append("\nTabeller med ny kontrollsumma: " + ", ".join(t for t, _, _ in d.tables))
    for title, changes in (("Ändrade", d.changed), ("Nya", d.added), ("Borta", d.removed)):
        if not changes:
            continue
        lines.append(f"\n{title}:")
        for pid, items in _by_chapter(d, changes).items():
            lines.append(f"  {_title(d, pid)}")
            for c in items:
                old = c.old.text if c.old else "–"
                new = c.new.text if c.new else "–"
                lines.append(f"    {c.key}: {old} → {new}")
    return "\n".join(lines) + "\n"


def _link(c: Change, prefix: str) -> str:
    e = c.entry
    href = f"{prefix}{e.page}.html" + (f"#{e.anchor}" if e.anchor else "")
    return f'<a href="{html.escape(href)}"><code>{html.escape(_what(c.key))}</code></a>'


def _cell(s: str) -> str:
    return html.escape(s).replace("|", "\\|")


def page_markdown(d: Diff | None, prefix: str = "../") -> str:
    """The body of the "Vad har ändrats?" page: summary, changed tables, and per chapter old → new with links."""
    if d is None:
        return ("Det finns ännu ingen tidigare utgåva att jämföra med. När en utgåva har frysts med "
                "`tillit edition` visar sidan här varje tal och varje bedömning som har ändrats sedan dess.\n")
    lines = [f"**{summary(d)}**", "",
             f"Utgåvan {d.since.name} frystes från commit `{d.since.commit[:12]}`. Jämförelsen gäller boken som den "
             "är byggd nu.", ""]
    if d.tables:
        lines += ["## Tabeller med nya data", "",
                  "Dessa tabeller har ändrats (ny kontrollsumma) sedan utgåvan: "
                  + ", ".join(f"`{t}`" for t, _, _ in d.tables) + ".", ""]
    sections = (("Ändrade tal och bedömningar", d.changed, "Tidigare", "Nu"),
                ("Nya tal", d.added, None, "Nu"),
                ("Tal som inte längre finns", d.removed, "Tidigare", None))
    for heading, changes, old_head, new_head in sections:
        if not changes:
            continue
        lines += [f"## {heading}", ""]
        for pid, items in _by_chapter(d, changes).items():
            lines += [f"### {_cell(_title(d, pid))}", ""]
            heads = ["Vad"] + [h for h in (old_head, new_head) if h]
            lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
            for c in items:
                cells = [_link(c, prefix)]
                if old_head:
                    cells.append(_cell(c.old.text) if c.old else "–")
                if new_head:
                    cells.append(_cell(c.new.text) if c.new else "–")
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    if d.tables and not (d.changed or d.added or d.removed):
        lines.append("De nya data ändrar inget av talen eller bedömningarna i boken.")
    return "\n".join(lines).rstrip() + "\n"


def write_change_page(root: Path | None = None) -> bool:
    """Regenerate the include of the "Vad har ändrats?" page; True when it changed."""
    root = root or repo_root()
    latest = load(root=root)
    body = page_markdown(compare(latest, current(root)) if latest else None)
    path = root / CHANGE_PAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_text(encoding="utf-8") == body:
        return False
    path.write_text(body, encoding="utf-8")
    return True


def preview(tables: dict, root: Path | None = None, jobs_n: int = 2, echo=None) -> Diff:
    """What an import would change in the book, before anything is written: the project's data and notebooks are
    copied to a temporary folder, the new tables written there, the notebooks that read them re-run, and the result
    compared with the book as it is now."""
    import shutil
    import tempfile

    from tillit.build import run
    from tillit.tables import store as store_mod
    from tillit.tables.catalog import load_catalog
    from tillit.tables.validate import write_table

    root = root or repo_root()
    now = current(root)
    with tempfile.TemporaryDirectory(prefix="tillit-preview-") as tmp:
        copy = Path(tmp) / "project"
        ignore = shutil.ignore_patterns("*.duckdb", "raw", ".*", ".ipynb_checkpoints")
        for folder in ("data", "notebooks"):
            shutil.copytree(root / folder, copy / folder, ignore=ignore)
        shutil.copy2(root / "_toc.yml", copy / "_toc.yml")
        # cache keys cover the package code the notebooks import
        shutil.copytree(root / "tillit", copy / "tillit", ignore=shutil.ignore_patterns("__pycache__"))
        catalog = load_catalog(copy / "data")
        for name, frame in tables.items():
            write_table(frame, catalog[name], copy / "data")
        update = store_mod.build(copy / "data" / "tillit.duckdb", data=copy / "data")
        run.run_all(run.jobs(copy), jobs_n=jobs_n, store_path=str(update.path), root=copy,
                    echo=echo or (lambda *_a, **_k: None))
        after = current(copy)
    since = Edition("", now.commit, now.tables, now.numbers, now.chapters, now.pages)
    return compare(since, after)
