"""Editions: freeze the book's keyed numbers, verdicts and table checksums in a small committed record, and compare
the current build with an edition (the "Vad har ändrats?" page, `tillit diff`, `tillit import --dry-run`)."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tillit.report import numbers
from tillit.tables.catalog import table_checksums
from tillit.core.files import repo_root

FOLDER = "editions"
CHANGE_PAGE = Path("book") / "_generated" / "andringar.md"
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-(\d+))?$")


@dataclass(frozen=True)
class Entry:
    """A keyed number in an edition: value, displayed text, kind, the page it stands on and its anchor there."""

    value: float | None
    text: str
    kind: str
    page: str
    anchor: str | None

    def as_list(self) -> list:
        """As stored (the page is stored once per chapter, not per number)."""
        return [self.value, self.text, self.kind, self.anchor]


@dataclass
class Edition:
    name: str                      # "2026-11-30" ("" for the current, unfrozen build)
    commit: str
    tables: dict[str, str]
    numbers: dict[str, Entry]
    chapters: dict[str, str] = field(default_factory=dict)  # page id → chapter title, in book order
    pages: dict[str, str] = field(default_factory=dict)     # page id → page path ('notebooks/3-4-ledarskap')


def page_id(notebook: Path, root: Path) -> str:
    """'notebooks/3-4-ledarskap.ipynb' → '3-4'; other pages keep their file stem ('hallare-slutsatserna', 'region-01')."""
    stem = notebook.stem
    m = re.match(r"^(\d+-\d+)-", stem)
    return m.group(1) if m else stem


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


class DuplicateKey(ValueError):
    pass


def current(root: Path | None = None) -> Edition:
    """The numbers of the executed notebooks as they are now (what the next edition would freeze)."""
    from tillit.build import run

    root = root or repo_root()
    jobs = {str(j.path.relative_to(root).with_suffix("")): j for j in run.jobs(root)}
    from tillit.build.pdf import toc_pages

    toc = [page for page, _ in toc_pages(root)]   # the book's order, patterns taken in
    order = [p for p in toc if p in jobs] + sorted(p for p in jobs if p not in toc)
    found: dict[str, Entry] = {}
    chapters: dict[str, str] = {}
    pages: dict[str, str] = {}
    for page in order:
        job = jobs[page]
        if not job.path.is_file():
            continue
        pid = page_id(job.path, root)
        chapters[pid] = job.title or pid
        pages[pid] = page
        for rec in numbers.records_of_notebook(nbformat.read(job.path, as_version=4)):
            k = f"{pid}/{rec.key}"
            entry = Entry(rec.value, rec.text, rec.kind, page, rec.anchor)
            if k in found and Entry(entry.value, entry.text, entry.kind, entry.page, found[k].anchor) == found[k]:
                continue  # the same number shown again in a later passage: it links to where it first stands
            if k in found and found[k] != entry:
                raise DuplicateKey(f"{page}: key {k} registered twice with different numbers "
                                   f"({found[k].text!r} and {entry.text!r}); give the numbers distinct keys")
            found[k] = entry
    return Edition("", _git(root, "rev-parse", "HEAD"), table_checksums(root / "data"), found, chapters, pages)


# --- the committed record --------------------------------------------------------------------------------------------

def dumps(ed: Edition) -> str:
    """Sorted JSON with one number per line, so `git diff` between editions reads number by number."""
    def line(k, v):
        return f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, separators=(', ', ': '))}"

    head = [f'"edition": {json.dumps(ed.name)}', f'"commit": {json.dumps(ed.commit)}']
    tables = ",\n".join(line(k, v) for k, v in sorted(ed.tables.items()))
    chapters = ",\n".join(line(k, [v, ed.pages.get(k, "")]) for k, v in ed.chapters.items())
    nums = ",\n".join(line(k, v.as_list()) for k, v in sorted(ed.numbers.items()))
    return ("{\n" + ",\n".join(head) + ',\n"tables": {\n' + tables + '\n},\n"chapters": {\n' + chapters +
            '\n},\n"numbers": {\n' + nums + "\n}\n}\n")


def loads(s: str) -> Edition:
    data = json.loads(s)
    chapters = {k: v[0] for k, v in data["chapters"].items()}
    pages = {k: v[1] for k, v in data["chapters"].items()}
    numbers_ = {k: Entry(v[0], v[1], v[2], pages.get(k.split("/", 1)[0], ""), v[3]) for k, v in data["numbers"].items()}
    return Edition(data["edition"], data["commit"], data["tables"], numbers_, chapters, pages)


def _sort_key(path: Path) -> tuple:
    m = _NAME.match(path.stem)
    return (m.group(1), int(m.group(2) or 1)) if m else ("", 0)


def list_editions(root: Path | None = None) -> list[Path]:
    folder = (root or repo_root()) / FOLDER
    return sorted((p for p in folder.glob("*.json") if _NAME.match(p.stem)), key=_sort_key) if folder.is_dir() else []


def load(name: str | None = None, root: Path | None = None) -> Edition | None:
    """An edition by name ('2026-11-30'), or the latest; None when there is none."""
    root = root or repo_root()
    if name:
        path = root / FOLDER / f"{name}.json"
        if not path.is_file():
            known = ", ".join(p.stem for p in list_editions(root)) or "none"
            raise FileNotFoundError(f"no edition {name!r} in {FOLDER}/ (editions: {known})")
        return loads(path.read_text(encoding="utf-8"))
    paths = list_editions(root)
    return loads(paths[-1].read_text(encoding="utf-8")) if paths else None


def freeze(root: Path | None = None, today: dt.date | None = None) -> Path:
    """Write editions/<date>.json from the current notebooks (a second edition the same day gets '-2', '-3' …)."""
    root = root or repo_root()
    ed = current(root)
    date = (today or dt.date.today()).isoformat()
    folder = root / FOLDER
    folder.mkdir(exist_ok=True)
    name, n = date, 1
    while (folder / f"{name}.json").exists():
        n += 1
        name = f"{date}-{n}"
    ed.name = name
    path = folder / f"{name}.json"
    path.write_text(dumps(ed), encoding="utf-8")
    return path


# --- comparing ---------------------------------------------------------------------------------------------------------

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
