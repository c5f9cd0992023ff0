"""Stage 2 — tables: the catalog of tables, their validation, and the DuckDB store the notebooks read."""
