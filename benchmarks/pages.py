"""Benchmark of the built book as a reader's browser gets it: serves _build/html on 127.0.0.1 with gzip and reports,
per page, the bytes transferred (at load, and after every chart is drawn), the time until every chart is drawn when the
reader scrolls through the page, and the Lighthouse scores when Lighthouse is installed (`npm ci` installs it as an
optional dependency; it runs Debian's chromium). Prints figures; it is not a test.

    python benchmarks/pages.py                       # every page; Lighthouse on the chapter pages
    python benchmarks/pages.py --lighthouse all      # Lighthouse on every page (about 20 s a page)
    python benchmarks/pages.py --pages 'notebooks/3-*' --lighthouse none
"""
from __future__ import annotations

import argparse
import fnmatch
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTML = Path(os.environ.get("TILLIT_BOOK_HTML") or ROOT / "_build" / "html")
CHROMIUM = os.environ.get("TILLIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".inv"}
# Targets from issue 14 (mobile profile)
TARGET_PERFORMANCE = 90
TARGET_TBT_MS = 200
TARGET_ACCESSIBILITY = 100
def is_chapter(rel: str) -> bool:
    """The chapter pages: the notebooks at the top of notebooks/ (not the regional profiles below it)."""
    return rel.startswith("notebooks/") and rel.count("/") == 1


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed (once, kept in memory) when the browser accepts it: like a production server."""

    cache: dict[Path, bytes] = {}
    lock = threading.Lock()

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (path.suffix not in COMPRESSIBLE or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        with self.lock:
            body = self.cache.get(path)
            if body is None:
                body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def pages(pattern: str | None) -> list[str]:
    out = []
    for p in sorted(HTML.rglob("*.html")):
        rel = p.relative_to(HTML).as_posix()
        if rel.split("/")[0] in ("_static", "_sources") or rel in ("genindex.html", "index.html"):
            continue
        if pattern is None or fnmatch.fnmatch(rel, pattern):
            out.append(rel)
    return out


# Bytes that crossed the wire (transferSize: headers + compressed body) for the page and everything it loaded so far.
BYTES_JS = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    return {total: (nav ? nav.transferSize : 0) + res.reduce((s, r) => s + (r.transferSize || 0), 0),
            requests: res.length + 1, html: nav ? nav.transferSize : 0,
            js: res.filter(r => r.name.split('?')[0].endsWith('.js')).reduce((s, r) => s + (r.transferSize || 0), 0)};
}"""
CLS_JS = """() => new Promise(resolve => {
    let cls = 0;
    new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value; })
        .observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(cls), 50);
})"""


def browse(base: str, rels: list[str]) -> list[dict]:
    """Per page, in a fresh context (empty cache) at a phone-sized viewport: load, then scroll to each chart in turn."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for rel in rels:
            ctx = browser.new_context(locale="sv-SE", viewport={"width": 412, "height": 823})
            tab = ctx.new_page()
            tab.goto(base + rel, wait_until="load")
            tab.wait_for_load_state("networkidle")
            at_load = tab.evaluate(BYTES_JS)
            charts = tab.locator(".tillit-vega")
            n = charts.count()
            drawn_at_load = tab.locator(".tillit-vega[data-drawn]").count()
            start = time.perf_counter()
            per_chart = []
            for i in range(n):
                t0 = time.perf_counter()
                charts.nth(i).scroll_into_view_if_needed()
                tab.wait_for_function("el => !!el.dataset.drawn", arg=charts.nth(i).element_handle(), timeout=60_000)
                per_chart.append(time.perf_counter() - t0)
            all_drawn = time.perf_counter() - start
            failed = tab.locator('.tillit-vega[data-drawn="failed"]').count()
            tab.wait_for_load_state("networkidle")
            after = tab.evaluate(BYTES_JS)
            cls = tab.evaluate(CLS_JS)
            results.append({"page": rel, "charts": n, "drawn_at_load": drawn_at_load, "failed": failed,
                            "bytes_load": at_load["total"], "bytes_html": at_load["html"], "bytes_js": at_load["js"],
                            "requests": at_load["requests"], "bytes_all": after["total"],
                            "first_chart_s": per_chart[0] if per_chart else None,
                            "slowest_later_chart_s": max(per_chart[1:]) if len(per_chart) > 1 else None,
                            "all_charts_s": all_drawn if n else None, "cls": cls})
            ctx.close()
        browser.close()
    return results


def lighthouse(base: str, rel: str, out_dir: Path) -> dict | None:
    """Lighthouse (mobile profile, its default throttling) on one page; None when it fails."""
    out = out_dir / (rel.replace("/", "_") + ".json")
    profile = tempfile.mkdtemp(prefix="lh-profile-")
    cmd = [str(LIGHTHOUSE), base + rel, "--quiet", "--output=json", f"--output-path={out}",
           f"--chrome-path={CHROMIUM}", "--only-categories=performance,accessibility,best-practices,seo",
           f"--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
           f"--user-data-dir={profile}"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if proc.returncode != 0 or not out.is_file():
        print(f"  lighthouse failed on {rel}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    report = json.loads(out.read_text(encoding="utf-8"))
    cats, audits = report["categories"], report["audits"]
    return {"performance": round(cats["performance"]["score"] * 100),
            "accessibility": round(cats["accessibility"]["score"] * 100),
            "best_practices": round(cats["best-practices"]["score"] * 100), "seo": round(cats["seo"]["score"] * 100),
            "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt_ms": audits["total-blocking-time"]["numericValue"], "cls": audits["cumulative-layout-shift"]["numericValue"],
            "bytes": audits["total-byte-weight"]["numericValue"]}


def _kb(n: float | None) -> str:
    return "" if n is None else f"{n / 1024:.0f}"


def _s(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", help="only pages matching this glob (relative to _build/html)")
    parser.add_argument("--lighthouse", default="chapters", choices=["chapters", "all", "none"],
                        help="which pages Lighthouse audits (default: the chapter pages, notebooks/*.html)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out",
                        help="folder for the Lighthouse JSON reports")
    args = parser.parse_args()
    if not (HTML / "index.html").is_file():
        sys.exit(f"no built book in {HTML}: run `tillit build` first")
    rels = pages(args.pages)
    server, base = serve(HTML)
    try:
        print(f"{len(rels)} pages from {HTML}, served with gzip at {base} (phone viewport 412×823, empty cache)\n")
        rows = browse(base, rels)
        head = (f"{'page':44} {'charts':>6} {'at load':>7} {'KiB load':>8} {'KiB JS':>6} {'req':>4} {'KiB all':>7} "
                f"{'1st chart s':>11} {'all charts s':>12} {'CLS':>6}")
        print(head)
        print("-" * len(head))
        for r in rows:
            print(f"{r['page']:44} {r['charts']:6} {r['drawn_at_load']:7} {_kb(r['bytes_load']):>8} "
                  f"{_kb(r['bytes_js']):>6} {r['requests']:4} {_kb(r['bytes_all']):>7} {_s(r['first_chart_s']):>11} "
                  f"{_s(r['all_charts_s']):>12} {r['cls']:6.3f}")
        failed = sum(r["failed"] for r in rows)
        print(f"\ncharts that failed to draw: {failed}")
        print("'at load': charts drawn before any scrolling; 'KiB load': transferred at load (gzip); 'KiB all': "
              "after scrolling to every chart; '1st chart s': scroll to the first chart until drawn (includes "
              "fetching the Vega bundle); 'all charts s': scrolling chart by chart until the last is drawn.")

        if args.lighthouse == "none":
            return
        if not LIGHTHOUSE.is_file():
            print(f"\nLighthouse: not installed ({LIGHTHOUSE}); `npm ci` installs it (optional dependency)")
            return
        targets = rels if args.lighthouse == "all" else [r for r in rels if is_chapter(r)]
        args.out.mkdir(parents=True, exist_ok=True)
        version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
        print(f"\nLighthouse {version}, mobile profile (simulated throttling), against {CHROMIUM}; reports in {args.out}")
        head = f"{'page':44} {'perf':>4} {'a11y':>4} {'best':>4} {'seo':>4} {'LCP s':>6} {'TBT ms':>6} {'CLS':>6} {'KiB':>6}"
        print(head)
        print("-" * len(head))
        scores = []
        for rel in targets:
            lh = lighthouse(base, rel, args.out)
            if lh is None:
                print(f"{rel:44} (failed)")
                continue
            scores.append(lh)
            print(f"{rel:44} {lh['performance']:4} {lh['accessibility']:4} {lh['best_practices']:4} {lh['seo']:4} "
                  f"{lh['lcp_s']:6.2f} {lh['tbt_ms']:6.0f} {lh['cls']:6.3f} {_kb(lh['bytes']):>6}")
        if scores:
            met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
            print(f"\nperformance ≥ {TARGET_PERFORMANCE} on every audited page: "
                  f"{met(all(s['performance'] >= TARGET_PERFORMANCE for s in scores))} "
                  f"(lowest {min(s['performance'] for s in scores)})")
            print(f"total blocking time < {TARGET_TBT_MS} ms: {met(all(s['tbt_ms'] < TARGET_TBT_MS for s in scores))} "
                  f"(highest {max(s['tbt_ms'] for s in scores):.0f} ms)")
            print(f"accessibility = {TARGET_ACCESSIBILITY}: "
                  f"{met(all(s['accessibility'] >= TARGET_ACCESSIBILITY for s in scores))} "
                  f"(lowest {min(s['accessibility'] for s in scores)})")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
