"""Stage 5 — build: run the notebooks, build the book, freeze editions, print the PDF, refresh from live sources."""
