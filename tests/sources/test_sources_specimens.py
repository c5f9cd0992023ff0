"""The publishers' real files in ../shared/data/native (when present): each imports cleanly and agrees with the
default data (no conflicts); the SCB wage table, which no catalog table holds, is refused with a clear message."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from importkit import NATIVE, project_copy  # noqa: E402

from tillit.ingest.importer import import_files  # noqa: E402
from tillit.ingest.formats import NoTableFits  # noqa: E402

pytestmark = pytest.mark.skipif(not NATIVE.is_dir(), reason="../shared/data/native is not here")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return project_copy(tmp_path_factory, tmp_path_factory.mktemp("specimens") / "project")


def specimen(name: str) -> Path:
    path = NATIVE / name
    if not path.exists():
        pytest.skip(f"{name} is not among the specimens")
    return path


def test_oppna_jamforelser_data_list_agrees_with_the_default_data(data):
    report = import_files([specimen("socialstyrelsen_skl_en_god_vard_datalista.csv")], data=data, dry_run=True)
    sick, patients = report.changes["sjukfranvaro_landsting"], report.changes["patientenkat"]
    assert (sick.added, sick.unchanged) == (0, 709)
    assert (patients.added, patients.unchanged) == (0, 330)
    assert patients.rounded > 0            # the default data keeps these values rounded to two decimals


def test_fk_open_data_agrees_with_the_default_data(data):
    report = import_files([specimen("fk_pagaende_sjukfall_diagnos_riket_kvartal.csv")], data=data, dry_run=True)
    change = report.changes["sjukfall_diagnos"]
    assert (change.added, change.unchanged, change.replaced) == (0, 4032, [])
    assert any("repeats" in n for n in report.notes)


def test_af_yrkesprognoser_adds_the_occupations_not_yet_in_the_book(data):
    report = import_files([specimen("af_Yrkesprognos.json")], data=data, dry_run=True)
    change = report.changes["bristindex"]
    assert change.unchanged == 58 and change.added == 396


def test_scb_wage_table_has_no_table(data):
    with pytest.raises(NoTableFits, match="no catalog table fits this SCB table"):
        import_files([specimen("scb_pxweb_lon_region_sektor_ssyk_2017.csv")], data=data, dry_run=True)
