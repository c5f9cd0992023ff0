"""Scale benchmark: a synthetic 10-million-row monthly sick-leave table, imported and aggregated with DuckDB vs pandas.

Run:  python benchmarks/scale.py            (about 10 million rows; add --rows N for another size)

The table is clearly synthetic (municipalities SYN0100…, occupations Y1000…, made-up numbers), is generated in a
temporary folder and deleted afterwards: it never touches data/ or the book. Each path runs in its own subprocess so
its peak memory (ru_maxrss) is its own. Both paths do the same work: read the CSV, check every row (percentages within
0–100, counts not negative, nothing missing) and aggregate to yearly sick leave per county and occupation major group,
weighted by the number of employees. The DuckDB path is the project's: the table is loaded into a store file once
(as `tillit store` does when a table file's checksum changes) and every notebook run queries the store; the pandas
path reads the CSV and aggregates on every run; a third, like-for-like DuckDB run checks and aggregates straight from
the CSV in one pass, as pandas does. The script prints time and peak memory for each step, and checks
that both paths give the same aggregate. Targets (issue 4): DuckDB at least 5× faster than pandas, below 1.5 GB."""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MONTHS, KOMMUNER, OCCUPATIONS = 120, 290, 288          # 120 × 290 × 288 = 10 022 400 rows
CHECK = ("sjukfranvaro_pct BETWEEN 0 AND 100 AND sjukdagar >= 0 AND anstallda >= 0 AND month IS NOT NULL "
         "AND kommun IS NOT NULL AND ssyk IS NOT NULL AND sjukfranvaro_pct IS NOT NULL")


def generate(path: Path, rows: int) -> int:
    """Write the synthetic CSV with DuckDB (deterministic, hash-based values); returns the row count."""
    import duckdb

    occupations = max(1, min(OCCUPATIONS, math.ceil(rows / (MONTHS * KOMMUNER))))
    n = min(rows, MONTHS * KOMMUNER * occupations)
    con = duckdb.connect()
    con.execute(f"""
        COPY (
          SELECT strftime(DATE '2015-01-01' + INTERVAL (i // ({KOMMUNER} * {occupations})) MONTH, '%Y-%m') AS month,
                 'SYN' || lpad(CAST(100 + ((i // {occupations}) % {KOMMUNER}) * 8 AS VARCHAR), 4, '0') AS kommun,
                 'Y' || CAST(1000 + (i % {occupations}) * 30 AS VARCHAR) AS ssyk,
                 CAST(hash(i, 'dagar') % 400 AS INTEGER) AS sjukdagar,
                 CAST(20 + hash(i, 'anst') % 180 AS INTEGER) AS anstallda,
                 round((hash(i, 'pct') % 1500) / 100.0, 2) AS sjukfranvaro_pct
          FROM range({n}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
    """)
    con.close()
    return n


AGGREGATE = """
    SELECT substr(month, 1, 4) AS year, substr(kommun, 4, 2) AS lan, substr(ssyk, 2, 1) AS major,
           sum(sjukfranvaro_pct * anstallda) / sum(anstallda) AS pct, sum(sjukdagar) AS days
    FROM sick GROUP BY ALL ORDER BY ALL"""


def run_duckdb_import(path: Path, store: Path) -> dict:
    """The store's load step: read the CSV into a DuckDB file (once, when the table file has changed)."""
    import duckdb

    con = duckdb.connect(str(store))
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET threads = {os.cpu_count() or 1}")
    con.execute(f"""CREATE TABLE sick AS SELECT * FROM read_csv('{path}', header = true, columns = {{
        'month': 'VARCHAR', 'kommun': 'VARCHAR', 'ssyk': 'VARCHAR', 'sjukdagar': 'INTEGER',
        'anstallda': 'INTEGER', 'sjukfranvaro_pct': 'DOUBLE'}})""")
    rows, bad = con.execute(f"SELECT count(*), count(*) FILTER (WHERE NOT ({CHECK})) FROM sick").fetchone()
    con.close()
    return {"rows": rows, "bad": bad}


def run_duckdb_query(store: Path) -> dict:
    """What a notebook does on every run: check and aggregate from the store (read-only, fresh process)."""
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    con.execute("SET memory_limit = '1GB'")
    rows, bad = con.execute(f"SELECT count(*), count(*) FILTER (WHERE NOT ({CHECK})) FROM sick").fetchone()
    result = con.execute(AGGREGATE).fetchall()
    return {"rows": rows, "bad": bad, "groups": len(result), "digest": _digest(result)}


def run_duckdb_csv(path: Path) -> dict:
    """Like for like with pandas: check and aggregate straight from the CSV in one pass, no store (in memory)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET threads = {os.cpu_count() or 1}")
    # the dialect is known (we wrote the file), so DuckDB need not sniff it
    con.execute(f"""CREATE VIEW sick_csv AS SELECT * FROM read_csv('{path}', header = true, auto_detect = false,
        delim = ',', quote = '"', escape = '"', columns = {{
        'month': 'VARCHAR', 'kommun': 'VARCHAR', 'ssyk': 'VARCHAR', 'sjukdagar': 'INTEGER',
        'anstallda': 'INTEGER', 'sjukfranvaro_pct': 'DOUBLE'}})""")
    grouped = con.execute(f"""
        SELECT substr(month, 1, 4) AS year, substr(kommun, 4, 2) AS lan, substr(ssyk, 2, 1) AS major,
               sum(sjukfranvaro_pct * anstallda) / sum(anstallda) AS pct, sum(sjukdagar) AS days,
               count(*) AS n, count(*) FILTER (WHERE NOT ({CHECK})) AS bad
        FROM sick_csv GROUP BY ALL ORDER BY ALL""").fetchall()
    result = [r[:5] for r in grouped]
    return {"rows": sum(r[5] for r in grouped), "bad": sum(r[6] for r in grouped), "groups": len(result),
            "digest": _digest(result)}


def run_pandas(path: Path) -> dict:
    import pandas as pd

    frame = pd.read_csv(path, dtype={"month": str, "kommun": str, "ssyk": str, "sjukdagar": "int64",
                                     "anstallda": "int64", "sjukfranvaro_pct": "float64"})
    ok = (frame["sjukfranvaro_pct"].between(0, 100) & (frame["sjukdagar"] >= 0) & (frame["anstallda"] >= 0)
          & frame[["month", "kommun", "ssyk", "sjukfranvaro_pct"]].notna().all(axis=1))
    frame["weighted"] = frame["sjukfranvaro_pct"] * frame["anstallda"]
    keys = [frame["month"].str[:4].rename("year"), frame["kommun"].str[3:5].rename("lan"),
            frame["ssyk"].str[1:2].rename("major")]
    grouped = frame.groupby(keys, sort=True).agg(w=("weighted", "sum"), n=("anstallda", "sum"), days=("sjukdagar", "sum"))
    result = [(y, lan, m, w / n, int(d)) for (y, lan, m), w, n, d in
              zip(grouped.index, grouped["w"], grouped["n"], grouped["days"])]
    return {"rows": len(frame), "bad": int((~ok).sum()), "groups": len(result), "digest": _digest(result)}


def _digest(result: list) -> list:
    """A compact fingerprint of the aggregate to compare the two paths (first rows, rounded)."""
    return [[str(r[0]), str(r[1]), str(r[2]), round(float(r[3]), 6), int(r[4])] for r in sorted(result)[:5]]


def child(engine: str, path: Path) -> None:
    started = time.perf_counter()
    store = path.with_suffix(".duckdb")
    if engine == "duckdb-import":
        out = run_duckdb_import(path, store)
    elif engine == "duckdb-query":
        out = run_duckdb_query(store)
    elif engine == "duckdb-csv":
        out = run_duckdb_csv(path)
    else:
        out = run_pandas(path)
    out["seconds"] = time.perf_counter() - started
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux
    print(json.dumps(out))


def measure(engine: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", engine, str(path)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=MONTHS * KOMMUNER * OCCUPATIONS)
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "CSV"), help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, default=None, help="where to write the synthetic CSV (default: a temp folder)")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="tillit-scale-", dir=args.dir) as tmp:
        path = Path(tmp) / "synthetic_sjukfranvaro_manad_kommun_yrke.csv"
        started = time.perf_counter()
        rows = generate(path, args.rows)
        print(f"synthetic table: {rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB CSV "
              f"(generated in {time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f} before the runs)")
        results = {engine: measure(engine, path) for engine in ("duckdb-import", "duckdb-query", "duckdb-csv", "pandas")}
    imp, query, pandas = results["duckdb-import"], results["duckdb-query"], results["pandas"]
    direct = results["duckdb-csv"]
    print(f"{'':34s}{'time':>9s}{'peak memory':>14s}")
    print(f"{'DuckDB: CSV → store (once)':34s}{imp['seconds']:8.1f}s{imp['peak_mb']:11.0f} MB")
    print(f"{'DuckDB: check + aggregate (per run)':34s}{query['seconds']:8.1f}s{query['peak_mb']:11.0f} MB")
    print(f"{'DuckDB: CSV → check + aggregate':34s}{direct['seconds']:8.1f}s{direct['peak_mb']:11.0f} MB")
    print(f"{'pandas: CSV → check + aggregate':34s}{pandas['seconds']:8.1f}s{pandas['peak_mb']:11.0f} MB")
    per_run = pandas["seconds"] / query["seconds"]
    end_to_end = pandas["seconds"] / (imp["seconds"] + query["seconds"])
    like_for_like = pandas["seconds"] / direct["seconds"]
    peak = max(imp["peak_mb"], query["peak_mb"], direct["peak_mb"])
    same = (query["digest"] == pandas["digest"] and query["groups"] == pandas["groups"]
            and query["rows"] == pandas["rows"] == imp["rows"] == direct["rows"] and query["bad"] == pandas["bad"] == 0
            and direct["digest"] == pandas["digest"] and direct["bad"] == 0)
    print(f"speed-up per notebook run (store vs pandas): {per_run:.1f}×  (target ≥ 5×: {'met' if per_run >= 5 else 'NOT met'})")
    print(f"speed-up CSV → result, like for like:       {like_for_like:.1f}×  (target ≥ 5×: "
          f"{'met' if like_for_like >= 5 else 'NOT met'})")
    print(f"speed-up store load + first run together:   {end_to_end:.1f}×")
    print(f"DuckDB peak memory: {peak:.0f} MB  (target < 1500 MB: {'met' if peak < 1500 else 'NOT met'})")
    print(f"load average after the runs: {os.getloadavg()[0]:.1f} (other work on the machine slows both paths)")
    print(f"rows {query['rows']:,}, failing checks {query['bad']}, groups {query['groups']}; "
          f"DuckDB and pandas agree: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
