"""One writer at a time per project: `tillit build`, `import`, `fetch`, `store`, `claims` and `compile-facts` hold
the project's lock.

The lock is an OS file lock (filelock) on a file outside the project (in the system's temp folder, named after the
project's path), so it never shows up in `git status`, and the operating system releases it when the process ends,
however it ends (a `kill -9` included). A second command waits for the first (saying so) up to $TILLIT_LOCK_TIMEOUT
seconds (default one hour), then stops with a clear message."""
from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from tillit.core.files import sha256

DEFAULT_TIMEOUT = 3600.0


class Busy(Exception):
    """Another tillit command holds the project's lock and did not finish in time."""


def lock_path(root: Path) -> Path:
    digest = sha256(str(Path(root).resolve()))[:16]
    return Path(tempfile.gettempdir()) / f"tillit-{digest}.lock"


def _owner_path(root: Path) -> Path:
    return lock_path(root).with_suffix(".owner")


def holder(root: Path) -> str:
    """Who holds the lock, as far as it said: 'tillit build (pid 123, since 12:03:04 UTC)'."""
    try:
        info = json.loads(_owner_path(root).read_text(encoding="utf-8"))
        return f"tillit {info['command']} (pid {info['pid']}, since {info['since']})"
    except (OSError, ValueError, KeyError):
        return "another tillit command"


def _timeout() -> float:
    value = os.environ.get("TILLIT_LOCK_TIMEOUT")
    try:
        return float(value) if value not in (None, "") else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


@contextmanager
def project_lock(root: Path, command: str, echo=print, timeout: float | None = None) -> Iterator[None]:
    """Hold the project's lock for the duration of the block; wait (saying so) while another command holds it."""
    root = Path(root).resolve()
    lock = FileLock(str(lock_path(root)))
    timeout = _timeout() if timeout is None else timeout
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if timeout <= 0:
            raise Busy(f"{holder(root)} is running in {root}; try again when it has finished") from None
        echo(f"waiting: {holder(root)} is running in {root} (up to {timeout:.0f} s, TILLIT_LOCK_TIMEOUT) …")
        started = time.monotonic()
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise Busy(f"{holder(root)} is still running in {root} after {timeout:.0f} s; try again when it has "
                       "finished (or set TILLIT_LOCK_TIMEOUT)") from None
        echo(f"lock acquired after {time.monotonic() - started:.1f} s")
    owner = _owner_path(root)
    try:
        since = datetime.now(timezone.utc).strftime("%H:%M:%S UTC")
        owner.write_text(json.dumps({"command": command, "pid": os.getpid(), "since": since}), encoding="utf-8")
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()
