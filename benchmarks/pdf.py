"""Benchmark of the print edition: time of each step of `tillit pdf` (WeasyPrint), wall and CPU, pages and size,
and the same composed HTML printed by Chromium (Playwright on /usr/bin/chromium) for comparison. Needs a built book
(`tillit build`). Prints figures; it is not a test."""
from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def weasyprint_run(out: Path, cold: bool) -> dict:
    import weasyprint

    from tillit.build import pdf

    w0, c0 = time.perf_counter(), _cpu()
    source = pdf.compose(ROOT, chart_cache=not cold)
    w1, c1 = time.perf_counter(), _cpu()
    document = weasyprint.HTML(string=source, base_url=str(ROOT / "_build" / "html") + "/").render()
    w2, c2 = time.perf_counter(), _cpu()
    document.write_pdf(out)
    w3, c3 = time.perf_counter(), _cpu()
    return {"compose (HTML + vl-convert SVG)": (w1 - w0, c1 - c0), "layout (WeasyPrint render)": (w2 - w1, c2 - c1),
            "write PDF": (w3 - w2, c3 - c2), "total": (w3 - w0, c3 - c0), "pages": len(document.pages),
            "bytes": out.stat().st_size, "source": source}


def chromium_run(source: str, out: Path) -> dict:
    from playwright.sync_api import sync_playwright

    html_file = ROOT / "_build" / "html" / ".print-benchmark.html"
    html_file.write_text(source, encoding="utf-8")
    try:
        w0, c0 = time.perf_counter(), _cpu()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.goto(html_file.as_uri(), wait_until="load", timeout=600_000)
            page.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
                     header_template="<span></span>",
                     footer_template='<div style="font-size:9px;width:100%;text-align:center">'
                                     '<span class="pageNumber"></span></div>',
                     margin={"top": "22mm", "bottom": "22mm", "left": "22mm", "right": "20mm"}, outline=True)
            browser.close()
        w1, c1 = time.perf_counter(), _cpu()
    finally:
        html_file.unlink(missing_ok=True)
    import pypdf

    return {"total": (w1 - w0, c1 - c0), "pages": len(pypdf.PdfReader(out).pages), "bytes": out.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-chromium", action="store_true", help="Skip the Chromium comparison.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for cold in (True, False):
            w = weasyprint_run(Path(tmp) / "weasy.pdf", cold)
            print(f"WeasyPrint (what `tillit pdf` uses), charts {'drawn anew' if cold else 'from the cache'}:")
            for step in ("compose (HTML + vl-convert SVG)", "layout (WeasyPrint render)", "write PDF", "total"):
                wall, cpu = w[step]
                print(f"  {step:<34} {wall:7.1f} s wall {cpu:7.1f} s CPU")
            print(f"  {w['pages']} pages, {w['bytes'] / 1e6:.1f} MB; target < {TARGET_SECONDS} s: "
                  f"{'met' if w['total'][0] < TARGET_SECONDS else 'NOT met'} (wall)")
        if not args.no_chromium:
            c = chromium_run(w["source"], Path(tmp) / "chromium.pdf")
            print("Chromium print-to-PDF of the same HTML (no contents page numbers, no running heads):")
            print(f"  total {c['total'][0]:7.1f} s wall {c['total'][1]:7.1f} s CPU; {c['pages']} pages, "
                  f"{c['bytes'] / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
