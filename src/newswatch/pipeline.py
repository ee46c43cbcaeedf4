"""The stage order: read this file to see what happens to a feed entry, and where.

    stage      selects (its pending rows in the store)          writes                              folder
    ---------  -----------------------------------------------  ----------------------------------  --------
    fetch      feeds whose next_fetch_at has come               articles (pending), feed schedule,  ingest/
                                                                fetch_errors
    extract    articles with no extracted_at                    articles.text, extract_method/note  ingest/
    embed      extracted articles without an embedding of the   embeddings                          stories/
               configured model, or one of an older text
    place      embedded articles without a story                stories, articles.story_id,         stories/
                                                                story_merges; queues regroup and
                                                                summary
    regroup    stories with regroup_pending                     story_moves, split-off stories      stories/
    summarise  stories with summary_pending                     stories.title, outlet/report counts stories/
    claims     articles whose claims_hash is not their text's;  claims (frames), claim_groups,      claims/
               stories whose claims changed                     discrepancies, discrepancy_sides
    reliability
               claim groups with no scored_at (new or           claim_groups.consensus_*,           reliability/
               regrouped); claims that lost their group         discrepancies.consensus_value,
                                                                claims.agreement/checked_at,
                                                                sources' scores, source_scores

``fetch`` runs first in ``run_once``; the daemon runs it per feed on each feed's own schedule
(daemon.py). ``process`` runs the rest, ``STAGES``, in order: the CLI (``run --once``,
``process``, ``process --stage NAME``), the daemon and the benchmarks all go through it. Each stage
finds its work in the store, never in memory handed on by the stage before, so any stage can
run alone and a run killed half way resumes where it stopped. A failure on one feed or article
is a row in ``fetch_errors`` and the batch goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from .claims import stage as claims
from .config import Config
from .errors import NewswatchError
from .ingest import stage as ingest
from .ingest.fetch import Fetcher
from .reliability import stage as reliability
from .store import Store
from .stories import stage as stories

__all__ = ["STAGES", "Stage", "fetch_feeds", "process", "run_once", "stage_names"]


@dataclass(frozen=True)
class Stage:
    """One processing stage: ``run(store, config)`` (plus the Fetcher when ``network``) does
    what is pending and returns its counts."""

    name: str
    run: Callable[..., dict[str, Any]]
    network: bool = False


STAGES: list[Stage] = [
    Stage("extract", ingest.extract_pending, network=True),
    Stage("embed", stories.embed_pending),
    Stage("place", stories.place_pending),
    Stage("regroup", stories.regroup_pending),
    Stage("summarise", stories.summarise_pending),
    Stage("claims", claims.run_claims),
    Stage("reliability", reliability.run_reliability),
]


def stage_names() -> list[str]:
    return ["fetch", *(s.name for s in STAGES)]


def fetch_feeds(store: Store, config: Config, fetcher: Fetcher, *, force: bool = False) -> ingest.FetchReport:
    """The fetch stage: poll every configured feed that is due (all of them with ``force``)."""
    return ingest.fetch_feeds(store, config, fetcher, force=force)


def process(store: Store, config: Config, fetcher: Fetcher | None = None, *,
            only: Collection[str] | None = None) -> dict[str, Any]:
    """Run the processing stages (or those named in ``only``) over whatever is pending, in
    order. Returns each stage's counts with the seconds it took."""
    if only is not None:
        unknown = set(only) - {s.name for s in STAGES}
        if unknown:
            raise NewswatchError(f"no stage {sorted(unknown)[0]!r}; the stages are "
                                 f"{', '.join(s.name for s in STAGES)}")
    counts: dict[str, Any] = {}
    for stage in STAGES:
        if only is not None and stage.name not in only:
            continue
        start = time.perf_counter()
        result = stage.run(store, config, fetcher) if stage.network else stage.run(store, config)
        counts[stage.name] = {**result, "seconds": round(time.perf_counter() - start, 3)}
    return counts


def run_once(store: Store, config: Config, fetcher: Fetcher, *, force: bool = False) -> dict[str, Any]:
    """Fetch every due feed, then process everything pending. Recorded in ``runs``."""
    run_id = store.start_run("run-once")
    try:
        start = time.perf_counter()
        fetched = fetch_feeds(store, config, fetcher, force=force)
        counts = {"fetch": {**fetched.as_dict(), "seconds": round(time.perf_counter() - start, 3)},
                  **process(store, config, fetcher)}
    except BaseException as exc:
        store.finish_run(run_id, "interrupted" if isinstance(exc, KeyboardInterrupt) else "error",
                         error=f"{type(exc).__name__}: {exc}")
        raise
    store.finish_run(run_id, "ok", counts)
    counts["errors"] = fetched.errors
    return counts
