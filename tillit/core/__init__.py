"""Foundations every stage uses: errors, schemas, safe file writes and hashes, links, the build lock, the chapter registry."""
