"""The stories stages: embed, place, regroup, summarise (in pipeline.STAGES order).

The only module of stories/ that touches the Store: it moves rows between the store and the
pure decisions of embed.py, cluster.py (place, the function the ECB+ benchmark measures),
regroup.py and dedup.py. Each stage selects its own pending rows (embeddings missing or stale,
articles without a story, stories queued by ``regroup_pending`` and ``summary_pending``), so any
of them can run alone and a killed run resumes. Story ids are the database's: a story keeps its
id when articles join it; a merge keeps the older id and records the other in story_merges.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Any

from ..config import Config
from ..store import Store, iso, parse_iso, utcnow
from . import cluster, dedup, embed, regroup

log = logging.getLogger("newswatch.stories")

EMBED_BATCH = 64


def _model(config: Config) -> str | None:
    embedding = getattr(config, "embedding", None)
    return getattr(embedding, "model", None) if embedding is not None else None


def embed_pending(store: Store, config: Config, *, limit: int = 5000) -> dict[str, int]:
    """Embed extracted articles that have no embedding of the configured model or a stale one."""
    model = _model(config)
    name = embed.model_name(model)
    pending = store.articles_pending_embedding(name, limit)
    counts = {"embedded": 0, "unchanged": 0, "empty": 0}
    if not pending:
        return counts
    todo: list[tuple[dict[str, Any], str, str]] = []
    keep: list[tuple[int, str | None]] = []
    for row in pending:
        text = embed.embedding_text(row.get("title"), row.get("text"))
        if not text:
            counts["empty"] += 1
            continue
        digest = embed.text_hash(text)
        if digest == row.get("old_text_hash"):
            # the part we embed did not change (e.g. only the tail of the text): keep the vector
            keep.append((row["id"], row.get("content_hash")))
            counts["unchanged"] += 1
            continue
        todo.append((row, text, digest))
    if keep:
        store.keep_embeddings(keep)
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        vectors = embed.encode([t for _, t, _ in batch], model=model)
        store.save_embeddings([
            {"article_id": row["id"], "model": name, "text_hash": digest,
             "content_hash": row.get("content_hash"), "dims": int(vec.shape[0]),
             "vector": embed.to_blob(vec)}
            for (row, _, digest), vec in zip(batch, vectors, strict=True)
        ])
        counts["embedded"] += len(batch)
    return counts


def story_from_row(row: dict[str, Any]) -> cluster.StoryState:
    """The clustering state of a stored story."""
    entities, numbers, years, terms = cluster.profile_from_json(
        json.loads(row.get("profile") or "{}"))
    return cluster.StoryState(
        id=row["id"],
        centroid=embed.from_blob(row["centroid"]),
        size=int(row.get("article_count") or 1),
        entities=entities,
        numbers=numbers,
        years=years,
        terms=terms,
        first_seen=parse_iso(row.get("first_seen")),
        last_seen=parse_iso(row.get("last_seen")),
        members=[],
    )


def story_to_row(story: cluster.StoryState) -> dict[str, Any]:
    return {
        "id": story.id,
        "centroid": embed.to_blob(story.centroid),
        "profile": json.dumps(cluster.profile_to_json(story), sort_keys=True),
        "article_count": story.size,
        "first_seen": iso(story.first_seen),
        "last_seen": iso(story.last_seen),
    }


def article_time(row: dict[str, Any], latest_story: datetime | None) -> datetime:
    """The time an article is placed at: its publication date, else when it was discovered.

    An undated article discovered long after the newest stored news (a backfill, an ingest of
    old files) is placed at the newest news instead: "discovered now" says nothing about when
    it happened, and the newest stories are the likeliest home for it.
    """
    published = parse_iso(row.get("published"))
    if published is not None:
        return published
    discovered = parse_iso(row.get("discovered_at")) or utcnow()
    if latest_story is not None and discovered > latest_story:
        return latest_story
    return discovered


def place_pending(store: Store, config: Config, params: cluster.ClusterParams | None = None,
                  *, limit: int = 5000, cache: bool = True) -> dict[str, int]:
    """Place every embedded article that has no story; each placed story is queued for
    regrouping and summarising (in the placement's transaction). Returns counts.

    ``cache`` keeps decoded story states between articles of this run (this run is the only
    writer of stories); the scale benchmark turns it off to time the database path alone.
    """
    params = params or cluster.ClusterParams()
    name = embed.model_name(_model(config))
    counts = {"placed": 0, "new_stories": 0, "joined": 0, "merges": 0}
    states: dict[int, cluster.StoryState] = {}
    window = timedelta(days=params.window_days)
    latest = store.latest_story_time()
    for row in store.articles_to_cluster(name, limit):
        when = article_time(row, latest)
        article = cluster.ArticleFeatures(
            id=row["id"],
            embedding=embed.from_blob(row["vector"]),
            title=row.get("title") or "",
            evidence=cluster.extract_evidence(row.get("title"), row.get("text")),
            published=when,
        )
        if not cache:
            states.clear()
        ids = store.candidate_story_ids(when - window, when + window)
        missing = [i for i in ids if i not in states]
        for r in store.story_rows(missing):
            states[r["id"]] = story_from_row(r)
        candidates = [states[i] for i in ids if i in states]
        placed = cluster.place(article, candidates, params)
        merges = [(m[0].id, m[1].id, float(m[2])) for m in placed.merges]
        story_id = store.save_placement(article.id, story_to_row(placed.story), merges)
        placed.story.id = story_id
        states[story_id] = placed.story
        for gone in placed.removed:
            states.pop(gone, None)
        latest = max(latest, when) if latest else when
        counts["placed"] += 1
        counts["new_stories" if placed.created else "joined"] += 1
        counts["merges"] += len(merges)
        for from_id, into_id, score in merges:
            log.info("merged story %s into %s (score %.2f)", from_id, into_id, score)
    return counts


_EVIDENCE: OrderedDict[tuple[int, str | None], cluster.Evidence] = OrderedDict()
EVIDENCE_CACHE = 2_000  # articles (about 30 kB each): a daemon batch's neighbourhood, not the archive


def _evidence(row: dict[str, Any]) -> cluster.Evidence:
    """An article's evidence, remembered per (article, text hash) across runs of one process."""
    key = (row["id"], row.get("content_hash"))
    found = _EVIDENCE.get(key)
    if found is None:
        found = cluster.extract_evidence(row.get("title"), row.get("text"))
        _EVIDENCE[key] = found
        if len(_EVIDENCE) > EVIDENCE_CACHE:
            _EVIDENCE.popitem(last=False)
    else:
        _EVIDENCE.move_to_end(key)
    return found


def regroup_window(store: Store, config: Config, touched: set[int],
                   params: cluster.ClusterParams | None = None) -> dict[str, int]:
    """Reconsider the stories around the ones this run touched (regroup.regroup): split a
    story holding two events, move an article another story now fits better. The stories
    looked at are the touched ones and their nearest neighbours in their own time windows
    (regroup.neighbourhood), so the cost follows the batch, not the archive. Every story that
    changed is queued for summarising. Returns counts."""
    params = params or cluster.ClusterParams()
    counts = {"splits": 0, "moves": 0}
    if not touched:
        return counts
    name = embed.model_name(_model(config))
    window = timedelta(days=params.window_days)
    touched_states = {r["id"]: story_from_row(r) for r in store.story_rows(sorted(touched))
                      if r.get("centroid") and r.get("merged_into") is None}
    around: dict[int, list[int]] = {}  # each touched story's own window, not their union
    for story_id, story in touched_states.items():
        if story.first_seen is not None and story.last_seen is not None:
            around[story_id] = store.candidate_story_ids(story.first_seen - window,
                                                         story.last_seen + window)
    wanted = set().union(*around.values()) - touched if around else set()
    candidates = {r["id"]: cluster.StoryState(
        id=r["id"], centroid=embed.from_blob(r["centroid"]),
        first_seen=parse_iso(r["first_seen"]), last_seen=parse_iso(r["last_seen"]))
        for r in store.story_directions(sorted(wanted))}
    near = regroup.neighbourhood(touched_states, candidates, params, around)
    members: dict[int, list[cluster.ArticleFeatures]] = {}
    for row in store.window_members(near, name):
        members.setdefault(row["story_id"], []).append(cluster.ArticleFeatures(
            id=row["id"],
            embedding=embed.from_blob(row["vector"]),
            title=row.get("title") or "",
            evidence=_evidence(row),
            published=article_time(row, None),
        ))
    temporary = itertools.count(-1, -1)
    result = regroup.regroup(members, params, lambda: next(temporary), set(touched_states))
    if not result.moves:
        store.regrouped(touched)
        return counts
    real = store.save_regrouping(
        {k: story_to_row(s) for k, s in result.stories.items()},
        [(m.article_id, m.from_story, m.into_story, m.reason, m.score) for m in result.moves],
        result.emptied, done=touched)
    counts["splits"] = len(result.new_ids)
    counts["moves"] = sum(1 for m in result.moves if m.reason != "split")
    for m in result.moves:
        log.info("article %s moved from story %s to %s (%s, score %.2f)", m.article_id,
                 real.get(m.from_story, m.from_story), real.get(m.into_story, m.into_story),
                 m.reason, m.score)
    return counts


def regroup_pending(store: Store, config: Config,
                    params: cluster.ClusterParams | None = None) -> dict[str, int]:
    """The regroup stage: the stories queued since they last gained articles (placement queues
    them; a run killed before regrouping leaves them queued)."""
    return regroup_window(store, config, set(store.stories_to_regroup()), params)


def summarise(store: Store, story_ids: set[int]) -> int:
    """Recompute title, outlet count and independent-report count of the given stories, and
    take them off the summary queue. Returns how many still had articles."""
    done = 0
    for story_id in sorted(story_ids):
        members = store.story_members(story_id)
        if not members:  # merged away or emptied: nothing to summarise
            store.summarised([story_id])
            continue
        titled = [(m.get("title") or "", embed.from_blob(m["vector"]))
                  for m in members if m.get("vector")]
        row = store.story(story_id) or {}
        centroid = embed.from_blob(row["centroid"]) if row.get("centroid") else None
        title = cluster.representative_title(titled, centroid) or (members[0].get("title") or "")
        reports = dedup.count_reports(
            [dedup.Report(m["id"], m["source_id"], m.get("text") or "") for m in members])
        store.save_story_summary(story_id, title=title, article_count=len(members),
                                 outlet_count=reports.outlets, report_count=reports.independent)
        done += 1
    return done


def summarise_pending(store: Store, config: Config) -> dict[str, int]:
    """The summarise stage: every story queued by placement or regrouping."""
    return {"stories_updated": summarise(store, set(store.stories_to_summarise()))}
