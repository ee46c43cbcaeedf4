"""Shared fixtures: every test runs with a clean environment, a store on tmp_path when it asks
for one, and the bundled sample site when it needs the network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newswatch import pipeline
from newswatch.config import Config
from newswatch.sample_server import SampleServer
from newswatch.store import Store

STORY_STAGES = ("embed", "place", "regroup", "summarise")

# The seed and sample stories group right only when frames.py resolves their entities ("Colossus",
# "Colossus 1") and matches their properties ("rack power", "power capacity"); until it does, their
# tests fail for that reason alone (the grouping itself is tested with frames written out).
seed_frames = pytest.mark.xfail(strict=False, reason="depends on frames.py resolving the seed story's "
                                "entities and matching its properties")


def record_power_conflict(store: Store, story_id: int, agree: list[int], other: list[int]) -> None:
    """Record a story's one power group as a conflict: ``agree`` say 300 MW, ``other`` 40 MW (the
    discrepancy the digest and view tests read)."""
    store.replace_story_groups(story_id, [
        {"entity": "campus", "property": "power", "unit": "W", "claims": agree + other,
         "outlets": len(agree + other), "independent_reports": len(agree + other)}], [
        {"group": 0, "subject": "campus", "attribute": "power", "unit": "W", "severity": 0.9, "kind": "conflict",
         "sides": [{"value": 3e8, "outlets": len(agree), "independent_reports": len(agree), "claims": agree},
                   {"value": 4e7, "outlets": len(other), "independent_reports": len(other), "claims": other}]}], "h")


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the user's config or database, or reaches a model hub (llm's conftest)."""
    for name in ("NEWSWATCH_CONFIG", "NEWSWATCH_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated store in the test's own folder."""
    with Store(tmp_path / "news.db") as opened:
        yield opened


@pytest.fixture
def sample_server() -> Iterator[SampleServer]:
    """The bundled sample news site on 127.0.0.1 (what `newswatch demo` serves)."""
    with SampleServer() as server:
        yield server


def run_stories(store: Store, config: Config) -> dict[str, Any]:
    """The stories stages as the pipeline runs them, their counts in one dict (no seconds)."""
    counts: dict[str, Any] = {}
    for stage in pipeline.process(store, config, only=STORY_STAGES).values():
        counts.update({k: v for k, v in stage.items() if k != "seconds"})
    return counts


def counting_encoder(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A fresh vector cache whose model is a fake that records each call's texts (deterministic
    unit vectors from the text's hash), so what grouping sends to the model can be counted."""
    import hashlib

    import numpy as np

    from newswatch.claims import alignment, properties
    from newswatch.claims import stage as claims_stage
    from newswatch.stories import embed

    calls: list[list[str]] = []

    def fake(texts: list[str], batch_size: int = 32) -> Any:
        calls.append(list(texts))
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest(), dtype=np.uint8).astype(np.float32)
                for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32).reshape(len(texts), 32)

    fresh = embed.TextVectors()
    monkeypatch.setattr(embed, "encode_by_length", fake)
    monkeypatch.setattr(properties, "phrase_vectors", fresh)
    monkeypatch.setattr(alignment, "_encode_unique", fresh)
    monkeypatch.setattr(claims_stage, "phrase_vectors", fresh, raising=False)
    return calls
