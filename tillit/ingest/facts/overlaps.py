"""Several facts rows for one cell: which value a table uses and why, the others kept in the table kalloverlapp."""
from __future__ import annotations



import pandas as pd


# --- several facts rows for one cell ---------------------------------------------------------------------------

def _decimals(text) -> int:
    text = str(text or "").strip().replace(",", ".")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _same_value(a, b, decimals_a: int, decimals_b: int) -> str:
    """'samma värde', 'samma värde avrundat' (the more precise rounds to the other) or 'olika värden'."""
    if pd.isna(a) and pd.isna(b):
        return "samma värde"
    if pd.isna(a) or pd.isna(b):
        return "olika värden"
    if abs(float(a) - float(b)) < 1e-9:
        return "samma värde"
    coarse = min(decimals_a, decimals_b)
    if abs(round(float(a), coarse) - round(float(b), coarse)) < 1e-9:
        return "samma värde avrundat"
    return "olika värden"


def _number_text(value) -> str:
    from tillit.core.swedish import fixed as number

    if pd.isna(value):
        return "inget värde"
    return number(float(value), max(0, _decimals(f"{float(value):g}")))


def _reason(used: pd.Series, alt: pd.Series, files: list[str]) -> str:
    if used["source_type"] == "primary" and alt["source_type"] != "primary":
        return (f"Boken använder utgivarens egen siffra ({used['source_publisher']}, primärkälla) framför "
                f"återgivningen ({alt['source_publisher']}, sekundärkälla).")
    if _decimals(used["_value_text"]) > _decimals(alt["_value_text"]):
        return "Boken använder den mer precisa siffran (fler decimaler)."
    used_file, alt_file = used["source_ref"].split(":")[0], alt["source_ref"].split(":")[0]
    if used_file != alt_file:
        return (f"Lika precisa källor av samma slag: boken använder {used_file}, som står först bland tabellens "
                f"källfiler i katalogen.")
    return "Samma källfil anger cellen två gånger: boken använder raden som står först."


def _cell_text(row: pd.Series, key: list[str]) -> str:
    return ", ".join(f"{k}={'' if pd.isna(row[k]) else row[k]}" for k in key)


def resolve_overlaps(frame: pd.DataFrame, table_name: str, key: list[str], files: list[str]) -> tuple[pd.DataFrame, list[dict]]:
    """One row per key. Where several facts rows give the same cell, rank them (primary before secondary, more
    decimals before fewer, facts file listed first, line first), keep the first and return the others as overlap
    records with the outcome and the reason. A used value that another source contradicts gets a note saying so."""
    if frame.empty or not key:
        return frame, []
    frame = frame.reset_index(drop=True)
    frame["_file_rank"] = [files.index(ref.split(":")[0].removeprefix("facts/")) if ref.split(":")[0].removeprefix("facts/") in files
                           else len(files) for ref in frame["source_ref"]]
    frame["_line"] = [int(ref.rsplit(":", 1)[1]) if ref.rsplit(":", 1)[-1].isdigit() else 0 for ref in frame["source_ref"]]
    frame["_rank_type"] = (frame["source_type"] != "primary").astype(int)
    frame["_rank_decimals"] = [-_decimals(t) for t in frame["_value_text"]]
    keys = frame[key].astype(object).where(frame[key].notna(), "\x00").astype(str).agg("\x1f".join, axis=1)
    repeated = keys.duplicated(keep=False)
    if not repeated.any():
        return frame, []
    keep = pd.Series(True, index=frame.index)
    overlaps = []
    for _, group in frame[repeated].groupby(keys[repeated], sort=False):
        ranked = group.sort_values(["_rank_type", "_rank_decimals", "_file_rank", "_line"], kind="stable")
        used = ranked.iloc[0]
        contradicted = []
        for i, alt in ranked.iloc[1:].iterrows():
            keep[i] = False
            outcome = _same_value(used["value"], alt["value"], _decimals(used["_value_text"]), _decimals(alt["_value_text"]))
            if outcome == "olika värden":
                contradicted.append(f"{_number_text(alt['value'])} ({alt['source_publisher']}, {alt['source_ref']})")
            overlaps.append({
                "table_name": table_name, "cell": _cell_text(used, key), "alternative_ref": alt["source_ref"],
                "value": alt["value"], "used_value": used["value"], "used_ref": used["source_ref"],
                "outcome": outcome, "reason": _reason(used, alt, files),
                **{c: alt[c] for c in ("source_publisher", "source_title", "source_url", "source_type", "quote", "note",
                                       "source_ref")}})
        if contradicted:
            note = used["note"] if isinstance(used["note"], str) and used["note"] else ""
            remark = "Annan källa anger " + "; ".join(contradicted) + " (se tabellen kalloverlapp)."
            frame.at[used.name, "note"] = f"{note} | {remark}" if note else remark
    return frame[keep].reset_index(drop=True), overlaps


