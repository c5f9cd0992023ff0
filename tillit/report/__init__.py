"""Stage 4 — report: Swedish wording, charts, maps, keyed numbers and the chapter logic the notebooks call."""
