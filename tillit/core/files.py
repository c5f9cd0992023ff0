"""Files: where the project is, writing a file so that a half-written one never exists, and content hashes."""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def repo_root() -> Path:
    """The project folder: $TILLIT_ROOT, else the nearest folder above cwd holding data/catalog.yaml, else the package's parent."""
    if os.environ.get("TILLIT_ROOT"):
        return Path(os.environ["TILLIT_ROOT"]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "catalog.yaml").is_file() and (folder / "_config.yml").is_file():
            return folder
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return repo_root() / "data"


@contextmanager
def atomic_path(path: Path, suffix: str = "", folder: Path | None = None) -> Iterator[Path]:
    """A temporary path beside `path` (or in `folder`) to write to; moved over `path` only when the block succeeds.

    The temporary file is removed on any failure (also KeyboardInterrupt), so readers see the old file or the new one,
    never half of one. Its name starts with a dot so that git, Sphinx and globbing skip it."""
    path = Path(path)
    where = Path(folder) if folder else path.parent
    where.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=where)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if tmp.exists():
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: Path, content: bytes | str) -> Path:
    """Write bytes (or UTF-8 text, newlines as given) to `path` atomically: temp file in the same folder, then rename."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def sha256(content: bytes | str) -> str:
    """The SHA-256 hex digest of bytes (or UTF-8 text)."""
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    return sha256(Path(path).read_bytes())


def content_key(parts: Iterable[bytes | str | Path]) -> str:
    """One hash over several inputs, in order: text, bytes, or files (hashed by content, not name or date).

    Each part is length-prefixed so that ("ab", "c") and ("a", "bc") differ. Every cache key in the build is made
    with this: a rebuild is needed exactly when one of the declared inputs changed."""
    h = hashlib.sha256()
    for part in parts:
        data = Path(part).read_bytes() if isinstance(part, Path) else (part.encode("utf-8") if isinstance(part, str) else part)
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()
