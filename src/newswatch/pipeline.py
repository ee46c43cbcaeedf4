"""The one place that knows the order of the stages. The CLI and the scheduler both call it.

    fetch_feeds      poll due feeds, store new entries as pending articles
    process          extract -> (later issues) embed+cluster -> claims+check -> reliability

Each stage selects its pending rows from the store, works, and writes its results; a failure on
one feed or article is a row in ``fetch_errors`` and the rest of the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .config import Config
from .ingest.fetch import Fetcher
from .ingest.stage import extract_pending, fetch_feeds

__all__ = ["STAGES", "fetch_feeds", "process", "run_once"]
from .store import Store

# --- the whole job ---------------------------------------------------------------------------

Stage = Callable[[Store, Config], dict[str, Any]]

# Stages after extraction, in order. Later issues append theirs here (embed+cluster, then
# claims+check, then reliability); each takes (store, config) and returns its counts.
STAGES: list[tuple[str, Stage]] = []


def _stories_stage(store: Store, config: Config) -> dict[str, Any]:
    from .stories.stage import run_stories

    return run_stories(store, config)


STAGES.append(("stories", _stories_stage))


def _claims_stage(store: Store, config: Config) -> dict[str, Any]:
    from .claims.stage import run_claims

    return run_claims(store, config)


# Claims + discrepancies must run AFTER embed+cluster (claims take their article's story_id and
# each story is re-checked when its membership changes): insert clustering before this entry.
STAGES.append(("claims", _claims_stage))


def process(store: Store, config: Config, fetcher: Fetcher | None = None) -> dict[str, Any]:
    """Run every processing stage over whatever is pending, in order."""
    counts: dict[str, Any] = {"extract": extract_pending(store, config, fetcher).as_dict()}
    for name, stage in STAGES:
        counts[name] = stage(store, config)
    return counts


def run_once(store: Store, config: Config, fetcher: Fetcher, *, force: bool = False) -> dict[str, Any]:
    """Fetch every due feed, then process everything pending. Recorded in ``runs``."""
    run_id = store.start_run("run-once")
    try:
        fetched = fetch_feeds(store, config, fetcher, force=force)
        counts = {"fetch": fetched.as_dict(), **process(store, config, fetcher)}
    except BaseException as exc:
        store.finish_run(run_id, "interrupted" if isinstance(exc, KeyboardInterrupt) else "error",
                         error=f"{type(exc).__name__}: {exc}")
        raise
    store.finish_run(run_id, "ok", counts)
    counts["errors"] = fetched.errors
    return counts
