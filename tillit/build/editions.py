"""Editions: the book's keyed numbers, verdicts and table checksums frozen in a small committed record (editions/)."""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt
import json
from pathlib import Path
import re
import subprocess

import nbformat

from tillit.core.files import repo_root
from tillit.report import numbers
from tillit.tables.catalog import table_checksums

FOLDER = "editions"




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
