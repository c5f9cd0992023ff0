"""The DuckDB store: loads every table, reloads only changed ones, and keeps the old store when data is bad."""
import duckdb
import pytest

from tests.conftest import edit_csv_value
from tillit.tables import store
from tillit.core.errors import DataErrors


def test_build_then_noop_then_one_table(tmp_path, data_copy):
    path = tmp_path / "s.duckdb"
    first = store.build(path, data_copy)
    assert len(first.rebuilt) >= 15 and not first.unchanged
    assert store.build(path, data_copy).rebuilt == []
    edit_csv_value(data_copy / "tables" / "sjukfranvaro_landsting.csv",
                   {"period": "2017", "region_code": "01", "sex": "T"}, "value", "9.9")
    third = store.build(path, data_copy)
    assert third.rebuilt == ["sjukfranvaro_landsting"]
    db = store.connect(path)
    assert db.sql("SELECT value FROM sjukfranvaro_landsting WHERE period=2017 AND region_code='01' AND sex='T'"
                  ).value.tolist() == [9.9]
    assert db.sql("SELECT typeof(region_code) t FROM sjukfranvaro_landsting LIMIT 1").t[0] == "VARCHAR"


def test_bad_table_leaves_the_store_untouched(tmp_path, data_copy):
    path = tmp_path / "s.duckdb"
    store.build(path, data_copy)
    before = path.read_bytes()
    edit_csv_value(data_copy / "tables" / "patientenkat.csv", {"period": "2017", "region_code": "01", "sex": "T",
                   "measure": "delaktighet_involvering"}, "value", "120")
    with pytest.raises(DataErrors, match=r"patientenkat.csv, row \d+, column 'value'.*above the maximum 100"):
        store.build(path, data_copy)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_has_table_says_which_tables_the_store_holds(tmp_path, data_copy):
    path = tmp_path / "s.duckdb"
    store.build(path, data_copy)
    db = store.connect(path)
    assert db.has_table("patientenkat") and not db.has_table("no_such_table")
    assert not db.has_table("x' OR '1'='1")                     # a parameter, not pasted into the SQL
    assert db.tables_read == set()                              # asking is not reading a table


def test_store_is_read_only_for_notebooks(tmp_path, data_copy):
    path = tmp_path / "s.duckdb"
    store.build(path, data_copy)
    with pytest.raises((duckdb.Error, ValueError)):   # refused before it runs: the store reads with SELECT only
        store.connect(path).sql("DELETE FROM patientenkat")
    with duckdb.connect(str(path), read_only=True) as con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM patientenkat")      # and the connection itself is read-only


def test_missing_store_says_how_to_make_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `tillit store`"):
        store.connect(tmp_path / "none.duckdb")


def test_tables_in_finds_every_table_a_query_reads_and_no_cte():
    from tillit.tables.store import tables_in

    query = ('WITH t AS (SELECT * FROM sjukfall_yrke) SELECT * FROM t JOIN "bristindex" b USING (k) '
             "WHERE year = $year AND x IN (SELECT y FROM ihp)")
    assert tables_in(query) == {"sjukfall_yrke", "bristindex", "ihp"}


def test_tables_in_refuses_a_query_it_cannot_parse():
    import pytest

    from tillit.tables.store import tables_in

    with pytest.raises(ValueError, match="could not parse"):
        tables_in("SELEC nothing FROM")


def test_the_store_records_what_it_read(root):
    from tillit.tables.store import Store

    db = Store(root / "data" / "tillit.duckdb")
    db.sql("SELECT count(*) FROM sjukfall_yrke WHERE period = $p", p="2014")
    db.sql("SELECT 1")
    assert db.tables_read == {"sjukfall_yrke"}
    db.close()
