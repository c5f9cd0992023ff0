"""The W3C Nu HTML checker (vnu.jar from npm, run with Java) over every built page: no errors."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from booktools import HTML, NO_BOOK, PAGES, ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# What the chart figures looked like before: a <details> after the <figcaption>, inside the <figure>. The checker
# must reject it, or a clean report on the book would prove nothing.
OLD_FIGURE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Gammal figur</title></head><body>
<figure><div role="img" aria-label="Diagram"></div><figcaption>Titel.</figcaption>
<details><summary>Siffrorna i diagrammet</summary><p>1</p></details></figure></body></html>"""


def _tools() -> str:
    java = shutil.which("java")
    missing = [what for what, ok in (("java (apt-get install default-jre-headless)", java),
                                     ("vnu.jar (npm ci)", VNU.is_file())) if not ok]
    if missing:
        message = "the W3C checker needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs both (.ci/run): a skip there would hide a missing install step
        pytest.skip(message)
    return java


def test_every_page_is_valid_html(tmp_path):
    java = _tools()
    if not PAGES:
        pytest.skip(NO_BOOK)
    old = tmp_path / "old-figure.html"
    old.write_text(OLD_FIGURE, encoding="utf-8")
    pages = [str(HTML / p.path) for p in PAGES] + [str(HTML / "search.html"), str(HTML / "genindex.html")]
    proc = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", str(old), *pages],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    control = [m for m in errors if m.get("url", "").endswith("old-figure.html")]
    assert any("details" in m["message"] and "figure" in m["message"] for m in control), \
        f"the checker did not reject the old figure markup: {control}"
    found = [f"{m.get('url', '').split('/html/')[-1]}:{m.get('lastLine', '?')}: {m['message']}"
             for m in errors if m not in control]
    assert not found, f"{len(found)} HTML errors (W3C Nu checker):\n" + "\n".join(found[:60])
