"""Arbetsförmedlingen/JobTech: Yrkesprognoser JSON (bristvärde 1–5) and Yrkesbarometer JSON (categories) → bristindex."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from tillit.core.errors import DataError
from tillit.ingest.parsed import Context, Parsed
from tillit.ingest.reading import array_lines, decode, load_json, with_lines
from tillit.ingest.cells import clean, label, number, ssyk_code
from tillit.ingest.http import Client, FetchError, RawStore, Stored

JOBTECH = {
    "yrkesprognoser": ("https://data.jobtechdev.se", "yrkesprognoser/current/Yrkesprognos.json"),
    "yrkesbarometer": ("https://data.arbetsformedlingen.se", "prognoser/yrkesbarometer.json"),
}

PUBLISHER = "Arbetsförmedlingen"
TITLE_PROGNOS = "Arbetsförmedlingen: Yrkesprognoser (Yrkesprognos.json), bristindex per SSYK 2012, riket"
TITLE_BAROMETER = "Arbetsförmedlingen: Yrkesbarometer (yrkesbarometer.json), rekryteringssituation, riket"

# Yrkesbarometer's categorical recruitment situation → the 1–5 bristindex scale of Yrkesprognoser
# (1 = stort överskott på arbetskraft / mycket hård konkurrens, 3 = balans, 5 = stor brist). The barometer's three
# main categories sit on the middle steps; "paradox" (shortage and surplus at once) and null have no place on the
# scale and are left out. Documented in docs/importing.md and tested in tests/sources/test_af.py.
CROSSWALK = {
    "stort överskott": 1.0,
    "överskott": 2.0,
    "balans": 3.0,
    "brist": 4.0,
    "stor brist": 5.0,
}
NOT_ON_SCALE = {"paradox"}
_NATIONAL = {"riket", "00", "sverige", "hela landet", "0"}



_AF_NAME = [re.compile(r"yrkesverksamma (.+?) i Sverige"), re.compile(r"^Bedömningen för (.+?) är en samlad bedömning")]


def occupation_from_ingress(text: str) -> str | None:
    """The occupation named in an Arbetsförmedlingen Yrkesprognos ingress ("Det finns cirka N yrkesverksamma X i Sverige")."""
    for pattern in _AF_NAME:
        m = pattern.search(text)
        if m:
            name = m[1].strip()
            return name[:1].upper() + name[1:]
    return None

def kind_of(data) -> str | None:
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        return None
    first = data[0]
    if "bristvarde" in first:
        return "yrkesprognos"
    if "rekryteringssituation" in first:
        return "yrkesbarometer"
    return None


def _base(title: str, ctx: Context) -> dict:
    return {"source_publisher": PUBLISHER, "source_title": ctx.source_title or title, "source_url": ctx.source_url,
            "source_type": "primary"}


def _records(raw: bytes, ctx: Context, kind: str, expected: str, required: tuple[str, ...]):
    """(line, record) for each element of an Arbetsförmedlingen JSON list of one kind (`kind_of`), each checked to be
    an object with the `required` keys; the errors name the file, the line and the key."""
    text = decode(raw, ctx.file, ("utf-8",))
    data = load_json(text, ctx.file)
    if kind_of(data) != kind:
        raise DataError(ctx.file, 1, None, f"not an Arbetsförmedlingen {expected}")
    for line, rec in with_lines(data, array_lines(text)):
        if not isinstance(rec, dict):
            raise DataError(ctx.file, line, None, "each element must be an object")
        for key in required:
            if key not in rec:
                raise DataError(ctx.file, line, key, f"the record has no {key!r}")
        yield line, rec


def parse_prognos(raw: bytes, ctx: Context) -> Parsed:
    file = ctx.file
    parsed = Parsed(format="af-yrkesprognos", publisher=PUBLISHER)
    rows = []
    base = _base(TITLE_PROGNOS, ctx)
    expected = "Yrkesprognoser file (expected a JSON list of {ar, geografi, ssyk, bristvarde, ingress, …})"
    for line, rec in _records(raw, ctx, "yrkesprognos", expected, ("ar", "ssyk", "bristvarde")):
        geo = clean(rec.get("geografi", "Riket"))
        if geo.casefold() not in _NATIONAL:
            parsed.skip(f"geografi {geo} (the table is national)")
            continue
        datatyp = clean(rec.get("datatyp", "Bristindex"))
        if datatyp.casefold() != "bristindex":
            parsed.skip(f"datatyp {datatyp}")
            continue
        year = clean(rec["ar"])
        if not re.fullmatch(r"\d{4}", year):
            raise DataError(file, line, "ar", f"{rec['ar']!r} is not a year")
        ssyk = ssyk_code(rec["ssyk"], file, line, "ssyk")
        value, marker = number(rec["bristvarde"], file, line, "bristvarde")
        if value is None:
            parsed.skip("no bristvärde")
            continue
        ingress = label(rec.get("ingress") or "", file, line, "ingress")
        name = clean(rec.get("yrke") or rec.get("namn") or "") or occupation_from_ingress(ingress)
        if not name:
            raise DataError(file, line, "ingress", "no occupation name: the record has no 'yrke' and the ingress does "
                            "not name one ('… yrkesverksamma X i Sverige')")
        rows.append({"period": int(year), "ssyk": ssyk, "occupation": label(name, file, line, "ingress"),
                     "value": value, **base, "quote": ingress or None,
                     "note": "prognosår; yrkesnamn framgår av ingresstexten (quote)", "_line": line,
                     "_src_value": "bristvarde"})
    parsed.add("bristindex", rows, {"period": "ar", "ssyk": "ssyk", "occupation": "ingress"})
    if not rows:
        raise DataError(file, None, None, "no values to import: " + ("; ".join(parsed.skipped) or "the list is empty"))
    return parsed


def crosswalk(category) -> float | None:
    """The 1–5 bristindex value for a Yrkesbarometer category; None for paradox/null; KeyError for unknown words."""
    if category is None:
        return None
    key = clean(category).casefold()
    if key in NOT_ON_SCALE or key == "":
        return None
    return CROSSWALK[key]


def _round_year(omgang, file: str, line: int) -> int:
    m = re.fullmatch(r"(\d{4})(?:\s*[-–/:]\s*[12]|\s*[HhVv][tT]?)?", clean(omgang))
    if not m:
        raise DataError(file, line, "omgang", f"{omgang!r} is not a round like 2026-1")
    return int(m[1])


def parse_barometer(raw: bytes, ctx: Context) -> Parsed:
    file = ctx.file
    parsed = Parsed(format="af-yrkesbarometer", publisher=PUBLISHER)
    rows, rounds = [], {}
    base = _base(TITLE_BAROMETER, ctx)
    expected = "Yrkesbarometer file (expected a JSON list of {yb_yrke, lan, ssyk, rekryteringssituation, omgang, …})"
    for line, rec in _records(raw, ctx, "yrkesbarometer", expected, ("yb_yrke", "ssyk", "rekryteringssituation", "omgang")):
        lan = clean(rec.get("lan", "00"))
        if lan.casefold() not in _NATIONAL:
            parsed.skip("county rows (the table is national)")
            continue
        year = _round_year(rec["omgang"], file, line)
        rounds.setdefault(year, set()).add(clean(rec["omgang"]))
        try:
            value = crosswalk(rec["rekryteringssituation"])
        except KeyError:
            raise DataError(file, line, "rekryteringssituation", f"{rec['rekryteringssituation']!r} is not a known "
                            f"category ({', '.join([*CROSSWALK, *NOT_ON_SCALE])}, or null)") from None
        if value is None:
            parsed.skip(f"rekryteringssituation {rec['rekryteringssituation'] or 'null'} (no place on the 1–5 scale)")
            continue
        name = label(rec["yb_yrke"], file, line, "yb_yrke")
        if not name:
            raise DataError(file, line, "yb_yrke", "the occupation name is empty")
        codes = [c for c in re.split(r"[,;\s]+", clean(rec["ssyk"])) if c] if not isinstance(rec["ssyk"], (int, float)) \
            else [str(int(rec["ssyk"]))]
        if not codes:
            raise DataError(file, line, "ssyk", "the SSYK list is empty")
        situation = clean(rec["rekryteringssituation"])
        for code in codes:
            rows.append({"period": year, "ssyk": ssyk_code(code, file, line, "ssyk"), "occupation": name,
                         "value": value, **base,
                         "quote": optional_text(rec.get("text_rekryteringssituation"), file, line),
                         "note": f"Yrkesbarometern omgång {clean(rec['omgang'])}: rekryteringssituation '{situation}' "
                                 f"→ {value:g} enligt omvandlingsnyckeln i docs/importing.md"
                                 + (f"; yrket omfattar SSYK {', '.join(codes)}" if len(codes) > 1 else ""),
                         "_line": line, "_src_value": "rekryteringssituation"})
    several = {y: sorted(r) for y, r in rounds.items() if len(r) > 1}
    if several:
        year, names = next(iter(several.items()))
        raise DataError(file, None, "omgang", f"the file holds several rounds for {year} ({', '.join(names)}); "
                        "bristindex has one value per year: import one round at a time")
    parsed.add("bristindex", rows, {"period": "omgang", "ssyk": "ssyk", "occupation": "yb_yrke"})
    if not rows:
        raise DataError(file, None, None, "no values to import: " + ("; ".join(parsed.skipped) or "the list is empty"))
    return parsed


def optional_text(text, file: str, line: int) -> str | None:
    if text in (None, ""):
        return None
    return label(text, file, line, "text_rekryteringssituation") or None


# --- live fetch ----------------------------------------------------------------------------------------------

def fetch(client: Client, raw: RawStore, dataset: str, path: str | None = None) -> list[Stored]:
    """Arbetsförmedlingen's open data files: Yrkesprognoser or Yrkesbarometer (JSON)."""
    if dataset not in JOBTECH and not path:
        raise FetchError(f"jobtech: --dataset must be one of {', '.join(JOBTECH)} (or give --path)")
    default_host, default_path = JOBTECH.get(dataset, (None, None))
    url = client.url(path or default_path) if client.base else urljoin(default_host + "/", default_path)
    return [raw.save(client.get(url), f"jobtech-{dataset or 'file'}.json")]
