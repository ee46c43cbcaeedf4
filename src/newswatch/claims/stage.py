"""The claims + check stage: extract the numeric claims of new or changed articles, then
recompute the discrepancies of every story whose claims changed.

I/O lives here and in store.py; the decisions are the pure functions of frames.py (what the
numbers are) and check.py (which of them cannot all be true). The stage is re-runnable: an
article is re-read only when its text hash changed, a story re-checked only when the set of
its claims changed (re-extraction, or an article joining or leaving it), and a re-check
replaces the story's discrepancies in one transaction, never adding duplicates.
"""

from __future__ import annotations

import logging
import textwrap
from dataclasses import asdict
from typing import Any

from .check import ClaimRecord, Discrepancy, find_discrepancies
from .frames import extract_claims

log = logging.getLogger("newswatch.claims")

__all__ = ["run_claims", "check_story", "render_discrepancies", "discrepancy_rows"]


def discrepancy_rows(found: list[Discrepancy]) -> list[dict[str, Any]]:
    """Discrepancies as the store writes them (sides as lists of claim ids)."""
    return [{"subject": d.subject, "attribute": d.attribute, "unit": d.unit, "scope": d.scope,
             "severity": d.severity, "intra_article": d.intra_article,
             "sides": [[c.claim_id for c in s.claims] for s in d.sides]} for d in found]


def _record(row: dict[str, Any]) -> ClaimRecord:
    return ClaimRecord(
        claim_id=row["id"], article_id=row["article_id"], source_id=row.get("source_id"),
        value=row["value"] if row["value"] is not None else 0.0, unit=row["unit"] or "",
        surface=row["surface"] or "", qualifier=row["qualifier"] or "=", low=row.get("low"),
        high=row.get("high"), subject=row["subject"] or "", attribute=row["attribute"] or "",
        sentence=row["sentence"] or "", start=row.get("start") or 0, end=row.get("end") or 0,
        scope=row.get("scope") or "", story_id=row.get("story_id"))


def check_story(store: Any, story_id: int, claims_hash: str) -> int:
    """Recompute one story's discrepancies from its stored claims. Returns how many."""
    records = [_record(r) for r in store.story_claims(story_id)]
    found = find_discrepancies(records)
    store.replace_story_discrepancies(story_id, discrepancy_rows(found), claims_hash)
    return len(found)


def run_claims(store: Any, config: Any = None, *, limit: int = 2000) -> dict[str, int]:
    """Pipeline stage (after clustering): claims for pending articles, then discrepancies."""
    counts = {"articles": 0, "claims": 0, "failed": 0, "stories_checked": 0, "discrepancies": 0}
    for article in store.articles_pending_claims(limit):
        try:
            claims = extract_claims(article["text"] or "")
        except Exception as exc:  # noqa: BLE001 - one odd text must not stop the batch
            log.warning("claims: article %s: %s: %s", article["id"], type(exc).__name__, exc)
            store.record_error(kind="claims", message=f"claim extraction failed: {type(exc).__name__}: {exc}",
                               article_id=article["id"])
            counts["failed"] += 1
            claims = []
        store.replace_article_claims(article["id"], [asdict(c) for c in claims], article["content_hash"])
        counts["articles"] += 1
        counts["claims"] += len(claims)
    store.sync_claim_stories()
    for story_id, claims_hash in store.stories_needing_check():
        counts["discrepancies"] += check_story(store, story_id, claims_hash)
        counts["stories_checked"] += 1
    return counts


def _fmt_value(c: dict[str, Any]) -> str:
    return f"“{c['surface']}”"


def render_discrepancies(store: Any, story_id: int, width: int = 100) -> str:
    """The `show STORY_ID` block: each discrepancy, each side's values as written, with outlet,
    sentence and link."""
    found = store.story_discrepancies(story_id)
    if not found:
        return "No numeric discrepancies found in this story."
    lines = [f"{len(found)} numeric discrepanc{'y' if len(found) == 1 else 'ies'}:"]
    for d in found:
        where = " (within one article)" if d.get("intra_article") else ""
        scope = f", {d['scope']}" if d.get("scope") else ""
        unit = f" [{d['unit']}]" if d.get("unit") else ""
        lines.append(f"\n* {d['subject']}: {d['attribute']}{unit}{scope}, severity {d['severity']:.2f}{where}")
        sides: dict[int, list[dict[str, Any]]] = {}
        for c in d["claims"]:
            sides.setdefault(c["side"] or 0, []).append(c)
        for n, (_, claims) in enumerate(sorted(sides.items()), 1):
            values = ", ".join(dict.fromkeys(_fmt_value(c) for c in claims))
            lines.append(f"  side {n}: {values}")
            for c in claims:
                lines.append(f"    - {c['outlet']}: {_fmt_value(c)}  {c['url'] or ''}".rstrip())
                sentence = " ".join((c["sentence"] or "").split())
                lines.extend(textwrap.wrap(sentence, width=width, initial_indent="        > ",
                                           subsequent_indent="          "))
    return "\n".join(lines)
