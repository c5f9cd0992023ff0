"""The default data, compiled from ../shared/data/facts/*.csv into the tables of data/tables/ with the citation on every
row: `compile` (reading facts, provenance, putting a table together), `tables` (one compiler per table), `overlaps`
(several sources for one cell)."""
from tillit.ingest.facts import tables as _tables  # noqa: F401 (registers every table's compiler)
from tillit.ingest.facts.compile import (COMPILERS, FILE_COMPILERS, LEFT_OUT, OVERLAP_TABLE, Skip, compile_overlaps,
                                         compile_table, compiler, default_facts_dir, read_facts, url_and_remark,
                                         with_provenance)
from tillit.ingest.facts.overlaps import resolve_overlaps
from tillit.ingest.facts.tables import resolve_repeated_keys, series_break_flag

__all__ = ["COMPILERS", "FILE_COMPILERS", "LEFT_OUT", "OVERLAP_TABLE", "Skip", "compile_overlaps", "compile_table",
           "compiler", "default_facts_dir", "read_facts", "resolve_overlaps", "resolve_repeated_keys",
           "series_break_flag", "url_and_remark", "with_provenance"]
