"""Records a running notebook hands to the build: after each cell, what the cell recorded goes out as one output of
our own MIME type (the book does not render it, nbval compares it like any output), and the build reads it back
from the executed notebook. Keyed numbers and the tables a notebook read travel this way; nothing is scraped."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

_sources: dict[str, Callable[[], Any]] = {}
_installed = False


def emit_after_each_cell(mime: str, take: Callable[[], Any]) -> None:
    """After every cell, call `take()` and display what it returns (if anything) under `mime`. Outside IPython
    nothing is emitted and the records stay with their owner."""
    _sources[mime] = take
    _install()


def _flush(*_args) -> None:
    from IPython.display import display

    for mime, take in _sources.items():
        payload = take()
        if payload:
            display({mime: payload}, raw=True)


def _install() -> None:
    global _installed
    if _installed:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.events.register("post_run_cell", _flush)
    _installed = True


def outputs_of(nb, mime: str) -> list:
    """Every payload of type `mime` in an executed notebook's outputs, in document order."""
    return [output["data"][mime] for cell in nb.cells for output in cell.get("outputs", [])
            if mime in output.get("data", {})]
