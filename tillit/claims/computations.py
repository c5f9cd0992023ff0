"""Claims whose test is awkward in SQL: named Python computations over the store, one row per year."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from tillit.tables.catalog import vocab

if TYPE_CHECKING:  # pragma: no cover
    from tillit.claims.schema import Claim


@dataclass(frozen=True)
class Computation:
    name: str
    func: Callable[[object, Claim], pd.DataFrame]
    tables: dict[str, tuple[str, ...]]


FUNCTIONS: dict[str, Computation] = {}


def computation(name: str, tables: dict[str, Iterable[str]]):
    """Register a Python computation for claims whose test is awkward in SQL; it returns one row per year."""

    def register(func):
        FUNCTIONS[name] = Computation(name, func, {t: tuple(c) for t, c in tables.items()})
        return func

    return register


@computation("nurses_leaving_since",
             tables={"omsattning_sjukskoterskor": ["period", "region_code", "measure", "value"]})
def nurses_leaving_since(store, claim: Claim) -> pd.DataFrame:
    """Per year after the base year (param `basar`): the smallest ratio, over landsting, of nurses leaving
    (excluding retirements) that year to the base year; n_covered/n_required count landsting with both years."""
    base = int(claim.param_values["basar"])
    frame = store.sql(
        "SELECT period, region_code, value FROM omsattning_sjukskoterskor "
        "WHERE measure = 'slutat_exkl_pension_per_100'"
    )
    n_landsting = len([code for code in vocab("region").labels if code != "00"])
    base_values = frame[frame["period"] == base].set_index("region_code")["value"]
    later = frame[(frame["period"] > base) & frame["region_code"].isin(base_values.index)]
    rows = []
    for year, group in later.groupby("period"):
        ratios = group.set_index("region_code")["value"] / base_values.reindex(group["region_code"]).to_numpy()
        rows.append({"year": int(year), "value": float(ratios.min()), "okade_landsting": int((ratios > 1).sum()),
                     "n_covered": len(ratios), "n_required": n_landsting})
    return pd.DataFrame(rows, columns=["year", "value", "okade_landsting", "n_covered", "n_required"])


_MONEY = {"miljarder kronor": 1e9, "miljoner kronor": 1e6}


def hired_staff_growth(store) -> pd.DataFrame:
    """Per year: the cost of hired staff in the landsting/regioner, the year before and the percent growth. The growth
    comes first from a stated increase over the year before ('ökning … jämfört med ÅÅÅÅ') and that year's cost,
    otherwise from the two years' costs: the costs are only given rounded to 0,1 miljarder kronor, and two rounded
    costs can move a growth rate by several percentage points. Costs come from inhyrd_personal; the regions' series
    (inhyrd_personal_regioner, riket, all staff) fills years it lacks. The chapter text uses the same rows."""
    frame = store.sql("SELECT period, measure, value, unit FROM inhyrd_personal")
    later = store.sql("SELECT period, value, unit FROM inhyrd_personal_regioner "
                      "WHERE region_code = '00' AND staff_group = 'alla' AND measure = 'kostnad'")
    cost: dict[int, float] = {}
    increase: dict[int, tuple[int, float]] = {}
    for row in frame.itertuples(index=False):
        if not str(row.period).isdigit() or row.unit not in _MONEY:
            continue
        year, amount = int(row.period), float(row.value) * _MONEY[row.unit]
        if row.measure == "kostnad för inhyrd personal":
            cost[year] = amount
        match = re.fullmatch(r"ökning av kostnad för inhyrd personal jämfört med (\d{4})", str(row.measure))
        if match:
            increase[year] = (int(match.group(1)), amount)
    for row in later.itertuples(index=False):
        if str(row.period).isdigit() and row.unit in _MONEY:
            cost.setdefault(int(row.period), float(row.value) * _MONEY[row.unit])
    rows = []
    for year in sorted(cost):
        stated = increase.get(year, (None,))[0] == year - 1
        before = cost[year] - increase[year][1] if stated else cost.get(year - 1)
        if before:
            rows.append({"year": year, "kostnad_mdkr": cost[year] / 1e9, "foregaende_ar_mdkr": before / 1e9,
                         "okning_mdkr": (cost[year] - before) / 1e9, "okning_procent": 100 * (cost[year] / before - 1),
                         "uppgiven_okning": int(stated)})
    return pd.DataFrame(rows, columns=["year", "kostnad_mdkr", "foregaende_ar_mdkr", "okning_mdkr", "okning_procent",
                                       "uppgiven_okning"])


@computation("hired_staff_cost_growth",
             tables={"inhyrd_personal": ["period", "measure", "value", "unit"],
                     "inhyrd_personal_regioner": ["period", "region_code", "staff_group", "measure", "value", "unit"]})
def hired_staff_cost_growth(store, claim: Claim) -> pd.DataFrame:
    """Per year: the percent growth of the cost of hired staff from the year before (see hired_staff_growth)."""
    return hired_staff_growth(store)
