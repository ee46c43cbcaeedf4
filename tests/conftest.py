"""Shared fixtures and helpers for the tests."""

from __future__ import annotations

from typing import Any

from newswatch import pipeline
from newswatch.config import Config
from newswatch.store import Store

STORY_STAGES = ("embed", "place", "regroup", "summarise")


def run_stories(store: Store, config: Config) -> dict[str, Any]:
    """The stories stages as the pipeline runs them, their counts in one dict (no seconds)."""
    counts: dict[str, Any] = {}
    for stage in pipeline.process(store, config, only=STORY_STAGES).values():
        counts.update({k: v for k, v in stage.items() if k != "seconds"})
    return counts
