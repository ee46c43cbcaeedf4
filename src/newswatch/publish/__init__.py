"""Publish: what users read (terminal output now; the digest, Datasette and mail later)."""
