"""Stories: articles embedded and grouped into events (embed, cluster, regroup, dedup; stage.py)."""
