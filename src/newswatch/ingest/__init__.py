"""Ingest: feeds in, article text out (fetch, robots, polling, feeds, extract; stage.py)."""
