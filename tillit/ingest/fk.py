"""Försäkringskassan: open-data long CSV, statistics-API JSON (dimensions + observations, `rojd`) and XLSX → catalog tables."""
from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from tillit.core.errors import DataError
from tillit.ingest.parsed import Context, NoTableFits, Parsed
from tillit.ingest.reading import array_lines, decode, load_json, read_delimited, with_lines
from tillit.ingest.cells import clean, label, label_column, lookup, number, number_column
from tillit.ingest.http import Client, FetchError, RawStore, Stored

PUBLISHER = "Försäkringskassan"
TITLE_DIAGNOS = "Försäkringskassan öppna data: pågående sjukfall med sjukpenning per diagnoskapitel, riket, kvartal"
TITLE_SJPT = "Försäkringskassan statistik-API: sjukpenningtal per län, månad"

DIAGNOS_COLUMNS = ("ar", "kvartal", "diagnoskapitel_kod", "diagnoskapitel_text", "antal", "andel",
                   "antal_kvinnor", "andel_kvinnor", "antal_man", "andel_man")
_SEX_COLUMNS = (("T", "antal", "andel"), ("K", "antal_kvinnor", "andel_kvinnor"), ("M", "antal_man", "andel_man"))
_STATUS_NOTE = {"noll": "noll/ej tillämpligt (-)", "undertryckt": "undertryckt (..)"}
_ALL = {"all", "alla", "samtliga", "totalt", "riket", "00", "hela landet"}


def looks_like_csv(header: list[str]) -> bool:
    names = {h.strip().strip('"').casefold() for h in header}
    return "diagnoskapitel_kod" in names or ("ar" in names and ({"kvartal", "manad"} & names) and "ind_id" not in names)


# --- rows for sjukfall_diagnos, shared by CSV and XLSX ------------------------------------------------------------

def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean("" if value is None else value)


def _texts(column: pd.Series) -> pd.Series:
    """_text for a whole column, each distinct value converted once."""
    return column.map({v: _text(v) for v in pd.unique(column)})


def _check(frame: pd.DataFrame, column: str, pattern: str, what: str, file: str, lines, col_name) -> pd.Series:
    texts = _texts(frame[column])
    bad = ~texts.str.fullmatch(pattern)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(file, int(lines[i]), col_name(column), f"{frame[column].iloc[i]!r} is not {what}")
    return texts


def _diagnos_frame(frame: pd.DataFrame, lines, file: str, col_name=lambda c: c) -> pd.DataFrame:
    """A frame with the canonical columns (DIAGNOS_COLUMNS) → sjukfall_diagnos rows (one per sex), vectorised."""
    frame = frame.reset_index(drop=True)
    lines = np.asarray(lines)
    years = _check(frame, "ar", r"\d{4}", "a year", file, lines, col_name)
    quarters = _check(frame, "kvartal", r"[1-4]", "a quarter (1–4)", file, lines, col_name)
    codes = label_column(_texts(frame["diagnoskapitel_kod"]), file, lines, col_name("diagnoskapitel_kod"))
    empty = codes == ""
    if empty.any():
        raise DataError(file, int(lines[int(empty.to_numpy().argmax())]), col_name("diagnoskapitel_kod"),
                        "the diagnosis chapter code is empty")
    names = label_column(_texts(frame["diagnoskapitel_text"]), file, lines, col_name("diagnoskapitel_text"))
    counts = {}
    for sex, count_col, share_col in _SEX_COLUMNS:   # every cell checked, in column order
        counts[sex] = number_column(frame[count_col], file, lines, col_name(count_col))
        number_column(frame[share_col], file, lines, col_name(share_col))  # shares are not stored, but must be numbers
    parts = []
    for sex, count_col, _ in _SEX_COLUMNS:
        values, markers = counts[sex]
        missing = values.isna() & ~markers.isin(["..", "-"])
        if missing.any():
            raise DataError(file, int(lines[int(missing.to_numpy().argmax())]), col_name(count_col),
                            "the cell is empty; Försäkringskassan marks missing values with '..' (suppressed) or '-' (zero)")
        status = np.where(values.notna(), "värde", np.where(markers == "..", "undertryckt", "noll"))
        parts.append(pd.DataFrame({
            "period": years + "K" + quarters, "year": years.astype(int), "quarter": quarters.astype(int),
            "diagnosis_code": codes, "diagnosis": names, "sex": sex,
            "value": values.where(markers != "-", 0.0), "status": status,
            "note": pd.Series(status).map(_STATUS_NOTE), "_line": lines, "_src_value": col_name(count_col)}))
    out = pd.concat(parts, ignore_index=True)
    order = np.lexsort((out["sex"].map({"T": 0, "K": 1, "M": 2}).to_numpy(), out["_line"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def resolve_repeats(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Rows the publisher repeats: identical repeats keep the first; repeats with different values keep one row
    with no value and status 'motstridig' whose note lists the published values and their lines (as tillit.ingest.facts)."""
    key = ["period", "diagnosis_code", "sex"]
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return frame, 0
    keep = frame[~frame.duplicated(key, keep="first")].copy()
    for _, group in frame[repeated].groupby(key, sort=False):
        values = set(group["value"].dropna())
        if len(values) > 1:
            first = group.index[0]
            listed = "; ".join(f"{v:g} (rad {n})" for v, n in zip(group["value"], group["_line"]) if v == v)
            keep.loc[first, ["value", "status", "note"]] = [
                None, "motstridig", f"källan anger olika värden för samma kvartal, diagnos och kön: {listed}"]
    return keep.reset_index(drop=True), int(repeated.sum() - frame[repeated].drop_duplicates(key).shape[0])


def _finish_diagnos(rows, ctx: Context, fmt: str, title: str, parsed: Parsed | None = None) -> Parsed:
    parsed = parsed or Parsed(format=fmt, publisher=PUBLISHER)
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    if frame.empty:
        parsed.add("sjukfall_diagnos", frame)
        return parsed
    frame, repeated = resolve_repeats(frame)
    if repeated:
        parsed.notes.append(f"{repeated} values the publisher repeats were merged (where they differ: status motstridig)")
    frame = frame.assign(source_publisher=PUBLISHER, source_title=ctx.source_title or title, source_url=ctx.source_url,
                         source_type="primary", quote=None)
    parsed.add("sjukfall_diagnos", frame, {"period": "ar+kvartal", "year": "ar", "quarter": "kvartal",
                                           "diagnosis_code": "diagnoskapitel_kod", "diagnosis": "diagnoskapitel_text"})
    return parsed


# --- open-data CSV ---------------------------------------------------------------------------------------------------

def parse_csv(raw: bytes, ctx: Context) -> Parsed:
    file = ctx.file
    text = decode(raw, file, ("utf-8",), sep=",")
    first = text.split("\n", 1)[0]
    names = [h.strip().strip('"').casefold() for h in re.split(r"[,;\t]", first)]
    if "diagnoskapitel_kod" not in names and "diagnoskapitel_text" not in names:
        raise NoTableFits(file, 1, None, f"no catalog table fits this Försäkringskassan file (columns: {', '.join(names)}); "
                          "the CSV with a table is 'pågående sjukfall per diagnoskapitel' (sjukfall_diagnos). "
                          "Sjukpenningtal per län comes through the statistics API JSON (tillit fetch fk).")
    table = read_delimited(text, file, required=DIAGNOS_COLUMNS, known=DIAGNOS_COLUMNS)
    return _finish_diagnos(_diagnos_frame(table.frame, table.lines, file), ctx, "fk-csv", TITLE_DIAGNOS)


# --- XLSX with two header rows ------------------------------------------------------------------------------------------

_XLSX_FIXED = {"år": "ar", "ar": "ar", "kvartal": "kvartal", "diagnoskapitel kod": "diagnoskapitel_kod",
               "diagnoskod": "diagnoskapitel_kod", "kod": "diagnoskapitel_kod", "diagnoskapitel": "diagnoskapitel_text",
               "diagnoskapitel text": "diagnoskapitel_text", "diagnoskapitel (text)": "diagnoskapitel_text",
               "benämning": "diagnoskapitel_text"}
_XLSX_SEX = {"totalt": "", "samtliga": "", "alla": "", "kvinnor": "_kvinnor", "män": "_man", "man": "_man"}


def _xlsx_column(top: str, sub: str) -> str | None:
    top, sub = clean(top).casefold(), clean(sub).casefold()
    if not sub and top in _XLSX_FIXED:
        return _XLSX_FIXED[top]
    if top in _XLSX_SEX and sub:
        measure = "antal" if sub.startswith("antal") else "andel" if sub.startswith("andel") else None
        return f"{measure}{_XLSX_SEX[top]}" if measure else None
    return None


def parse_xlsx(raw: bytes, ctx: Context) -> Parsed:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    file = ctx.file
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a broken zip
        raise DataError(file, None, None, f"not a readable XLSX workbook ({type(err).__name__}: {err})") from None
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    head = next((i for i, r in enumerate(rows) if any(clean(c or "").casefold() in ("år", "ar") for c in r)), None)
    if head is None or head + 1 >= len(rows):
        raise DataError(file, 1, None, "no header row with 'År' found in the first sheet")
    top, sub = list(rows[head]), list(rows[head + 1])
    width = max(len(top), len(sub))
    top += [None] * (width - len(top))
    sub += [None] * (width - len(sub))
    names, filled = {}, ""
    for i in range(width):
        filled = clean(top[i]) if top[i] not in (None, "") else filled  # merged cells: only the first holds the text
        name = _xlsx_column(filled if top[i] in (None, "") else clean(top[i]), clean(sub[i] or ""))
        if name is None and (top[i] not in (None, "") or sub[i] not in (None, "")):
            heading = " / ".join(clean(x) for x in (filled, sub[i]) if x not in (None, ""))
            raise DataError(file, head + 1, f"{get_column_letter(i + 1)} ({heading})",
                            "unexpected column in the two header rows (expected År, Kvartal, Diagnoskapitel, then "
                            "Totalt/Kvinnor/Män × Antal/Andel)")
        if name:
            if name in names.values():
                raise DataError(file, head + 1, get_column_letter(i + 1), f"column {name} appears twice")
            names[i] = name
    missing = [c for c in DIAGNOS_COLUMNS if c not in names.values()]
    if missing:
        raise DataError(file, head + 2, missing[0], f"required column {missing[0]!r} is missing from the header rows")
    letters = {name: f"{get_column_letter(i + 1)} ({name})" for i, name in names.items()}

    body = [(n, list(row) + [None] * (width - len(row))) for n, row in enumerate(rows[head + 2:], start=head + 3)
            if not all(c in (None, "") for c in row)]
    if not body:
        raise DataError(file, head + 3, None, "the sheet has header rows but no data rows")
    frame = pd.DataFrame({name: [("" if r[i] is None else r[i]) for _, r in body] for i, name in names.items()},
                         dtype=object)
    return _finish_diagnos(_diagnos_frame(frame, [n for n, _ in body], file, lambda c: letters.get(c, c)), ctx,
                           "fk-xlsx", TITLE_DIAGNOS)


# --- statistics API JSON -------------------------------------------------------------------------------------------------

def looks_like_api(data) -> bool:
    return (isinstance(data, list) and bool(data) and isinstance(data[0], dict)
            and "dimensions" in data[0] and "observations" in data[0])


def looks_like_meta(data) -> bool:
    return isinstance(data, dict) and ("filter" in data or "table" in data) and ("key" in data or "title" in data)


def parse_meta(raw: bytes, ctx: Context) -> Parsed:
    """meta.json of an FK dataset: labels for dimension codes (e.g. diagnosis chapter names) and the title."""
    text = decode(raw, ctx.file, ("utf-8",))
    data = load_json(text, ctx.file)
    labels: dict[str, dict[str, str]] = {}
    dims = (data.get("filter") or {}).get("dimension") or []
    if isinstance(dims, dict):
        dims = [dict(v, key=k) for k, v in dims.items()]
    for dim in dims:
        if isinstance(dim, dict) and isinstance(dim.get("values"), list):
            labels[str(dim.get("key"))] = {str(v.get("key")): label(v.get("label", v.get("key")), ctx.file, 1,
                                                                     f"filter.dimension.{dim.get('key')}")
                                           for v in dim["values"] if isinstance(v, dict)}
    parsed = Parsed(format="fk-meta", publisher=PUBLISHER)
    parsed.meta["fk_labels"] = labels
    title = data.get("title") or data.get("label")
    if title:
        parsed.meta["fk_title"] = label(title, ctx.file, 1, "title")
    parsed.notes.append(f"metadata for {data.get('key', ctx.file)} (no values in the file)")
    return parsed


def _dim(dims: dict, *names: str):
    for name in names:
        if name in dims:
            return name, dims[name]
    return None, None


def parse_api(raw: bytes, ctx: Context) -> Parsed:
    file = ctx.file
    text = decode(raw, file, ("utf-8",))
    data = load_json(text, file)
    if not looks_like_api(data):
        raise DataError(file, 1, None, "not a Försäkringskassan statistics-API response (expected a list of "
                        "{\"dimensions\": …, \"observations\": …})")
    lines = array_lines(text)
    first_dims = data[0]["dimensions"]
    first_obs = data[0]["observations"]
    if any(k.startswith("diagnoskapitel") for k in first_dims) and "antal" in first_obs:
        return _api_diagnos(data, lines, ctx)
    if "sjukpenningtal" in first_obs and any(k in first_dims for k in ("lan", "lan_kod")):
        return _api_sjukpenningtal(data, lines, ctx)
    raise NoTableFits(file, None, None, f"no catalog table fits this Försäkringskassan dataset (dimensions: "
                      f"{', '.join(first_dims)}; observations: {', '.join(first_obs)}); tables that take FK API data: "
                      "sjukfall_diagnos (diagnoskapitel × kvartal, antal) and sjukpenningtal_lan (län × månad)")


def _observation(rec: dict, name: str, file: str, line: int) -> tuple[float | None, bool]:
    obs = rec["observations"].get(name)
    if not isinstance(obs, dict):
        raise DataError(file, line, f"observations.{name}", f"the record has no observation {name!r}")
    value, _ = number(obs.get("value"), file, line, f"observations.{name}.value")
    return value, bool(obs.get("rojd"))


def _is_total(value) -> bool:
    return clean(value).casefold() in _ALL


def _api_diagnos(data: list, lines: list[int], ctx: Context) -> Parsed:
    file = ctx.file
    labels = ctx.meta.get("fk_labels", {})
    parsed = Parsed(format="fk-json", publisher=PUBLISHER)
    rows, unnamed = [], 0
    for line, rec in with_lines(data, lines):
        dims = rec.get("dimensions") or {}
        code_key, code = _dim(dims, "diagnoskapitel_kod", "diagnoskapitel")
        year = clean(dims.get("ar", ""))
        quarter = clean(dims.get("kvartal", ""))
        if not quarter:
            raise DataError(file, line, "dimensions.kvartal", "sjukfall_diagnos holds quarters; this dataset has no "
                            "'kvartal' dimension (monthly data cannot be mapped)")
        if not re.fullmatch(r"\d{4}", year):
            raise DataError(file, line, "dimensions.ar", f"{dims.get('ar')!r} is not a year")
        quarter = quarter[-1] if re.fullmatch(r"(\d{4}\s*[KQ])?[1-4]", quarter) else None
        if quarter is None:
            raise DataError(file, line, "dimensions.kvartal", f"{dims.get('kvartal')!r} is not a quarter (1–4)")
        others = {k: v for k, v in dims.items() if k not in (code_key, "ar", "kvartal", "kon", "kon_kod",
                                                             "diagnoskapitel_text")}
        not_total = [k for k, v in others.items() if not _is_total(v)]
        if not_total:
            parsed.skip(f"breakdown by {', '.join(not_total)} (the table holds national totals)")
            continue
        _, sex_text = _dim(dims, "kon_kod", "kon")
        sex = lookup("sex", sex_text if sex_text is not None else "T", file, line, "dimensions.kon_kod", {"all": "T"})
        code = label(code, file, line, f"dimensions.{code_key}")
        name = dims.get("diagnoskapitel_text") or labels.get(code_key or "", {}).get(code)
        code = "Samtliga" if code.casefold() in ("all", "samtliga") else code
        if name is None:
            name, unnamed = code, unnamed + 1
        value, rojd = _observation(rec, "antal", file, line)
        status = "undertryckt" if rojd else "värde"
        if rojd:
            value = None
        elif value is None:
            parsed.skip("value null but not marked rojd")
            continue
        rows.append({"period": f"{year}K{quarter}", "year": int(year), "quarter": int(quarter), "diagnosis_code": code,
                     "diagnosis": label(name, file, line, "diagnoskapitel"), "sex": sex, "value": value,
                     "status": status, "note": "röjd (sekretess) hos källan" if rojd else None, "_line": line,
                     "_src_value": "observations.antal.value"})
    parsed = _finish_diagnos(rows, ctx, "fk-json", ctx.meta.get("fk_title") or TITLE_DIAGNOS, parsed)
    if unnamed:
        parsed.warnings.append(f"{unnamed} rows have no diagnosis chapter name: the code is used as the name "
                               "(import the dataset's meta.json together with it for the names)")
    return parsed


def _api_sjukpenningtal(data: list, lines: list[int], ctx: Context) -> Parsed:
    from tillit.ingest.cells import region_code

    file = ctx.file
    parsed = Parsed(format="fk-json", publisher=PUBLISHER)
    rows = []
    for line, rec in with_lines(data, lines):
        dims = rec.get("dimensions") or {}
        lan_key, lan = _dim(dims, "lan_kod", "lan")
        year, month = clean(dims.get("ar", "")), clean(dims.get("manad", ""))
        if not re.fullmatch(r"\d{4}", year) or not re.fullmatch(r"\d{1,2}", month) or not 1 <= int(month) <= 12:
            raise DataError(file, line, "dimensions.manad", f"{year!r}/{month!r} is not a year and month")
        others = {k: v for k, v in dims.items() if k not in (lan_key, "ar", "manad", "lan_namn")}
        not_total = [k for k, v in others.items() if not _is_total(v)]
        if not_total:
            parsed.skip(f"breakdown by {', '.join(not_total)} (the table holds totals only)")
            continue
        code = "00" if _is_total(lan) else region_code(lan, file, line, f"dimensions.{lan_key}")
        value, rojd = _observation(rec, "sjukpenningtal", file, line)
        if rojd or value is None:
            parsed.skip("suppressed (rojd) or missing values")
            continue
        rows.append({"period": f"{year}-{int(month):02d}", "region_code": code, "sex": "T", "value": value,
                     "source_publisher": PUBLISHER, "source_title": ctx.source_title or ctx.meta.get("fk_title") or TITLE_SJPT,
                     "source_url": ctx.source_url, "source_type": "primary", "quote": None, "note": None,
                     "_line": line, "_src_value": "observations.sjukpenningtal.value"})
    parsed.add("sjukpenningtal_lan", rows, {"region_code": "dimensions.lan_kod", "period": "dimensions.ar+manad"})
    if not rows:
        raise DataError(file, None, None, "no values to import: " + ("; ".join(parsed.skipped) or "empty"))
    return parsed


# --- live fetch ----------------------------------------------------------------------------------------------

def fetch(client: Client, raw: RawStore, dataset: str, table: str, params: dict[str, str] | None = None) -> list[Stored]:
    """A Försäkringskassan statistics-API table (JSON) with the dataset's meta.json (labels for codes)."""
    if not dataset or not table:
        raise FetchError("fk: name the dataset and its table, e.g. --dataset sjp-pagaende-sjukfall-diagnos "
                         "--fk-table SJPPagSjukfallDiagnosKvartal")
    stored = [raw.save(client.get(f"{dataset}/meta.json"), f"fk-{dataset}-meta.json")]
    stored.append(raw.save(client.get(f"{dataset}/{table}.json", params=params or None), f"fk-{dataset}-{table}.json"))
    return stored
