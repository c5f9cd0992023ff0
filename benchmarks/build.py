"""Benchmark of `tillit build` on a fresh copy of the project: clean build, no-op rebuild, one-table change,
per-notebook times and page weights. Prints figures; it is not a test."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_NOOP_SPEEDUP = 10
TARGET_PAGE_BYTES = 300_000


def copy_project(target: Path) -> None:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\n")
    for rel in filter(None, files):
        if (ROOT / rel).is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, target / rel)


def tillit(project: Path, *args: str) -> tuple[float, str]:
    env = dict(os.environ, TILLIT_ROOT=str(project))
    env.pop("TILLIT_STORE", None)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tillit.cli", *args], cwd=project, env=env, capture_output=True, text=True)
    secs = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"tillit {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return secs, proc.stdout


def bump_one_value(table: Path) -> None:
    """Change the last digit of the first numeric value of the table (a realistic one-value revision)."""
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    col = header.index("value")
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        if re.fullmatch(r"\d+(\.\d+)?", cells[col]):
            cells[col] = str(float(cells[col]) + 1)
            lines[i] = ",".join(cells)
            break
    table.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--table", default="sjukfall_diagnos", help="table changed for the one-table rebuild")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        copy_project(project)
        clean, out = tillit(project, "build", "--force", "--jobs", str(args.jobs))
        per_nb = sorted(((float(s), n) for n, s in re.findall(r"done\s+(\S+) \(([\d.]+) s\)", out)), reverse=True)
        noop, noop_out = tillit(project, "build", "--jobs", str(args.jobs))
        bump_one_value(project / "data" / "tables" / f"{args.table}.csv")
        one, one_out = tillit(project, "build", "--jobs", str(args.jobs))
        reran = re.search(r"\((\d+) notebooks ran, (\d+) cached\)", one_out)
        html = project / "_build" / "html"
        pages = sorted(((p.stat().st_size, p.relative_to(html)) for p in html.rglob("*.html")
                        if p.name not in ("genindex.html", "search.html")), reverse=True)
        bundle = (html / "_static" / "vega-bundle.js").stat().st_size

    print(f"clean build (--force, {args.jobs} jobs): {clean:7.1f} s  ({len(per_nb)} notebooks)")
    print(f"no-op rebuild:                     {noop:7.1f} s  → {clean / noop:.1f}× faster than clean "
          f"(target ≥ {TARGET_NOOP_SPEEDUP}×: {'met' if clean / noop >= TARGET_NOOP_SPEEDUP else 'NOT met'})")
    print(f"rebuild after changing {args.table}: {one:7.1f} s  ({reran[1]} notebooks re-ran, {reran[2]} cached)")
    print("per-notebook execution times (s):")
    for secs, name in per_nb:
        print(f"  {secs:6.1f}  {name}")
    print(f"page weights (HTML only; shared Vega bundle {bundle / 1e3:.0f} kB loaded once for all pages):")
    over = 0
    for size, rel in pages:
        over += size > TARGET_PAGE_BYTES
        print(f"  {size / 1e3:7.1f} kB  {rel}")
    print(f"pages over {TARGET_PAGE_BYTES / 1e3:.0f} kB: {over} of {len(pages)}")


if __name__ == "__main__":
    main()
