"""Stage 1 — ingest: one module per publisher (its file formats and its live fetcher), the importer, the default-data compiler."""
