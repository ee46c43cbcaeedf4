"""The claims stage: frames for the claims of new or changed articles, then the claim groups and
discrepancies of every story whose set of claims changed.

The one module of the claims package that talks to the store. It selects its own pending work
(an article is re-read only when its text hash changed; a story is regrouped only when the set
of its claim ids changed: re-extraction, or an article joining or leaving it) and writes each
story's groups, discrepancies and sides in one transaction, replacing the old ones, so a re-run
never duplicates. An article or a story that fails is skipped, counted and recorded as an error
row; the batch goes on.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from .frames import Claim, extract_claims, read_ahead
from .groups import (
    ArticleInfo,
    ClaimRecord,
    StoryAnalysis,
    analyse_story,
    claim_record,
    texts_to_compare,
)
from .properties import phrase_vectors

log = logging.getLogger("newswatch.claims")

__all__ = ["run_claims", "group_story", "analysis_rows"]

# Articles whose first-read sentences go to the parser in one call.
ARTICLES_PER_PARSE = 32
# Stories whose texts go to the model in one call (their claims are held in memory meanwhile).
STORIES_PER_CALL = 64


def analysis_rows(found: StoryAnalysis) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Groups and discrepancies as Store.replace_story_groups writes them."""
    groups = [{"entity": g.entity, "property": g.property, "unit": g.unit, "scope": g.scope,
               "time_ref": g.time_ref, "claims": [c.claim_id for c in g.claims], "outlets": g.outlets,
               "independent_reports": g.independent_reports} for g in found.groups]
    discrepancies = []
    for d in found.discrepancies:
        g = found.groups[d.group]
        discrepancies.append({
            "group": d.group, "subject": g.entity, "attribute": g.property, "unit": g.unit, "scope": g.scope,
            "kind": d.kind, "severity": d.severity, "intra_article": d.intra_article,
            "sides": [{"value": s.value, "value_text": s.value_text, "outlets": s.outlets,
                       "independent_reports": s.independent_reports, "claims": [c.claim_id for c in s.claims],
                       "first_article_id": s.first.article_id, "first_source_id": s.first.source_id,
                       "first_published": s.first.published} for s in d.sides]})
    return groups, discrepancies


def _load_story(store: Any, story_id: int) -> tuple[list[ClaimRecord], list[ArticleInfo]]:
    """A story's stored claims, and its articles that have claims."""
    records = [claim_record(r) for r in store.story_claims(story_id)]
    with_claims = {r.article_id for r in records}
    articles = [ArticleInfo(article_id=a["id"], source_id=a["source_id"], text=a["text"] or "",
                            outlet=a["outlet"] or "", published=a["published"])
                for a in store.story_report_articles(story_id) if a["id"] in with_claims]
    return records, articles


def _write_story(store: Any, story_id: int, claims_hash: str, records: list[ClaimRecord],
                 articles: list[ArticleInfo]) -> tuple[int, int]:
    found = analyse_story(records, articles)
    groups, discrepancies = analysis_rows(found)
    store.replace_story_groups(story_id, groups, discrepancies, claims_hash)
    return len(groups), len(discrepancies)


def group_story(store: Any, story_id: int, claims_hash: str) -> tuple[int, int]:
    """Regroup one story from its stored claims. Returns how many groups and discrepancies."""
    return _write_story(store, story_id, claims_hash, *_load_story(store, story_id))


def _encode_stories(stories: list[tuple[list[ClaimRecord], list[ArticleInfo]]]) -> None:
    """Encode the texts that grouping will compare for all these stories in one model call (the
    vectors are kept for the process): one call per story costs far more, most stories giving
    the model a few small batches. A failure here is left to each story's own grouping, which
    encodes what it needs and reports what fails."""
    texts: list[str] = []
    try:
        for records, _ in stories:
            texts.extend(texts_to_compare(records))
        phrase_vectors(texts)
    except Exception as exc:  # noqa: BLE001 - only a shortcut: each story is still grouped on its own
        log.debug("claims: encoding %d stories' texts at once failed: %s", len(stories), exc)


def _read_ahead(texts: list[str]) -> None:
    """frames.read_ahead: these articles' first parses in one parser call. A failure here is left
    to each article's own extraction, which parses what it needs and reports what fails."""
    try:
        read_ahead(texts)
    except Exception as exc:  # noqa: BLE001 - only a shortcut
        log.debug("claims: parsing %d articles at once failed: %s", len(texts), exc)


def _extract(text: str) -> tuple[list[Claim], list[str]]:
    """The claims of a text. When the whole-document pass fails, each paragraph is read on its
    own (losing only cross-paragraph references) and a paragraph that fails is skipped; returns
    the claims and one message per skipped part."""
    try:
        return extract_claims(text), []
    except Exception as exc:  # noqa: BLE001 - hostile text must not lose the article
        first = f"{type(exc).__name__}: {exc}"
    claims: list[Claim] = []
    errors = [f"whole text: {first}"]
    offset = 0
    for part in text.split("\n"):
        try:
            found = extract_claims(part)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"characters {offset}-{offset + len(part)}: {type(exc).__name__}: {exc}")
            found = []
        for c in found:
            c.start += offset
            c.end += offset
        claims.extend(found)
        offset += len(part) + 1
    return claims, errors


def run_claims(store: Any, config: Any = None, *, limit: int = 2000) -> dict[str, int]:
    """Pipeline stage (after clustering): claims for pending articles, then groups and
    discrepancies for the stories whose claims changed."""
    counts = {"articles": 0, "claims": 0, "failed": 0, "parts_skipped": 0, "stories_checked": 0,
              "stories_failed": 0, "groups": 0, "discrepancies": 0}
    articles = store.articles_pending_claims(limit)
    for n, article in enumerate(articles):
        if n % ARTICLES_PER_PARSE == 0:
            _read_ahead([a["text"] or "" for a in articles[n:n + ARTICLES_PER_PARSE]])
        claims, errors = _extract(article["text"] or "")
        if errors:
            log.warning("claims: article %s: %s", article["id"], errors[0])
            counts["failed"] += 1
            counts["parts_skipped"] += len(errors) - 1
            store.record_error(kind="claims", message=("claim extraction failed, read by paragraph: "
                                                       + "; ".join(errors))[:2000], article_id=article["id"])
        store.replace_article_claims(article["id"], [asdict(c) for c in claims], article["content_hash"])
        counts["articles"] += 1
        counts["claims"] += len(claims)
    store.sync_claim_stories()
    pending = store.stories_needing_check()
    for first in range(0, len(pending), STORIES_PER_CALL):
        loaded: list[tuple[int, str, list[ClaimRecord], list[ArticleInfo]]] = []
        for story_id, claims_hash in pending[first:first + STORIES_PER_CALL]:
            try:
                loaded.append((story_id, claims_hash, *_load_story(store, story_id)))
            except Exception as exc:  # noqa: BLE001 - one story must not stop the others
                _story_failed(store, counts, story_id, exc)
        _encode_stories([(records, articles) for _, _, records, articles in loaded])
        for story_id, claims_hash, records, articles in loaded:
            try:
                n_groups, n_found = _write_story(store, story_id, claims_hash, records, articles)
            except Exception as exc:  # noqa: BLE001 - one story must not stop the others
                _story_failed(store, counts, story_id, exc)
                continue
            counts["stories_checked"] += 1
            counts["groups"] += n_groups
            counts["discrepancies"] += n_found
    return counts


def _story_failed(store: Any, counts: dict[str, int], story_id: int, exc: Exception) -> None:
    log.warning("claims: story %s: %s: %s", story_id, type(exc).__name__, exc)
    store.record_error(kind="claims", message=f"story {story_id}: grouping failed: "
                                              f"{type(exc).__name__}: {exc}")
    counts["stories_failed"] += 1
