"""The reliability stage: score the claim groups the claims stage (re)wrote, then re-score the
outlets whose claims they checked.

The one module of the reliability package that talks to the store, and the store is its queue:
a group is pending while its ``scored_at`` is NULL. Each pending group is scored with the
outlets' reliabilities as they stand now as vote weights (truth.score_item); its claims' checks
are stored on the claims, and each outlet touched gets its Beta posterior again from the sum of
its stored checks and its prior. The batch is then scored again with those posteriors until its
consensus settles (the fixed point, over the new groups only), so a dispute between a careful
and a careless outlet is decided by what their other claims showed. Nothing is recomputed over
the archive, and a regrouped story comes back pending with its groups, whose new checks replace
the old ones. One transaction per batch of stories, so a run killed half way resumes where it
stopped.

Copies are not corroboration: a claim votes with its independent report and a copy neither
gains nor loses, both as claims/reports.claim_reports decides (an outlet's own articles,
near-duplicate texts, credited wire copy, credits in sentences and articles, followed through
the reports they credit; a misquote is the outlet's own claim), the same reports the claims
stage counts for a discrepancy's sides.
An outlet that echoes (its claims repeat the claim published just before them far more often
than the two outlets' reliabilities explain, judged from the follows stored with earlier
checks: truth.echo_probability) has each repeat joined to the report it repeats: one vote,
still checked as its own claim.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from ..claims.groups import claim_record, maxima_compared, stated_maximum
from ..claims.intervals import interval as allowed_interval
from ..claims.intervals import precision
from ..claims.reports import (
    ArticleInfo,
    ClaimReport,
    ReportedClaim,
    StoryReports,
    claim_reports,
    story_reports,
    time_key,
)
from ..claims.units import si_factor
from ..store import Store, iso, utcnow
from .truth import (
    DEFAULT_PRIOR,
    FIRST_PARTY,
    Claim,
    Item,
    Params,
    echo_probability,
    follow_records,
    mark_echoes,
    posterior,
    score_item,
)

log = logging.getLogger("newswatch.reliability")

__all__ = ["run_reliability", "group_item", "group_items", "PARAMS"]

# News states bounds ("over 220,000 GPUs") as often as points; when three outlets give the same
# bound and one a far-off point, the bound's value must be able to win.
# A wrong figure in the news can be any of many numbers (another figure of the story, a typo, a
# unit slip), not one of the few wrong values that recur in the public benchmarks' tables, so
# two outlets seldom agree on one exact wrong figure by chance: with n = 20, two independent
# reports by outlets at the default prior outweigh one report by an outlet right 99 % of the
# time, while one report against one is still decided by the two outlets' records alone.
PARAMS = Params(bound_candidates=True, n_false=20.0)
# Rounds of re-scoring a batch with the reliabilities its own checks give; the consensus
# settles in two or three, the bound only stops a dispute that flips back and forth.
ROUNDS = 6
_SCORE_FIELDS = ("reliability", "reliability_low", "reliability_high", "agreed", "disagreed")


def group_item(group: dict[str, Any], claims: list[dict[str, Any]], story: StoryReports,
               roles: Mapping[int, ClaimReport] | None = None) -> Item:
    """A stored claim group as a truth-discovery item, in the group's unit.

    Each claim votes with its independent report and is a copy, neither checked for nor
    against its outlet, as claims/reports.claim_reports decides (``roles``; by default over
    these claims and ``story``, the story's reports): the same reports the claims stage
    counts for a discrepancy's sides. Claims come in publication order, so one outlet's latest
    claim is its vote. Numbers carry what they allow as written (claims/intervals.py: the
    rounding of "220,000", "over", "about", a range), so a check agrees with the claims
    stage's sides of a discrepancy.
    """
    to_group = si_factor(group.get("unit") or "") or 1.0
    ordered = sorted(claims, key=lambda c: (time_key(c.get("published")), c["article_id"],
                                            c.get("start") or 0, c["id"]))
    if roles is None:
        roles = claim_reports([_reported(c) for c in claims], story)
    records = {c["id"]: claim_record(c) for c in ordered}
    # stated maxima the claims stage compares as the values they state ("up to 1,400 watts"
    # beside "rated at 1,400W") are checked as such, not as bounds below them
    as_written = {i for i, r in records.items() if stated_maximum(r)} if maxima_compared(list(records.values())) \
        else set()
    out = []
    for c in ordered:
        role = roles[c["id"]]
        common = {"source": str(c["source_id"]), "report": role.report, "copy": role.copy, "ref": c["id"]}
        if c.get("value") is None:
            if (c.get("value_text") or "").strip():
                out.append(Claim(text=c["value_text"].strip(), **common))
            continue
        unit, qualifier = c.get("unit") or "", c.get("qualifier") or "="
        factor = si_factor(unit) / to_group
        value = c["value"] * factor
        if qualifier in ("=", "") or qualifier not in ("~", ">", ">=", "<", "<=", "range") or c["id"] in as_written:
            r = min(max(precision(c.get("surface") or "", c["value"]), 0.001), 0.10)
            out.append(Claim(value=value, precision=2 * r * abs(value), **common))
            continue
        lo, hi = _allowed(c)
        f = 1.0 / to_group
        out.append(Claim(value=value, qualifier=qualifier, low=lo * f, high=hi * f, **common))
    return Item(group["id"], out)


def _reported(c: dict[str, Any]) -> ReportedClaim:
    return ReportedClaim(c["id"], c["article_id"], c.get("source_id"), c.get("sentence") or "",
                         c.get("published"), _allowed(c) if c.get("value") is not None else None)


def _allowed(c: dict[str, Any]) -> tuple[float, float]:
    """The values (in the base unit) a stored claim allows as written."""
    return allowed_interval(c["value"], c.get("unit") or "", c.get("qualifier") or "=", c.get("surface") or "",
                            c.get("low"), c.get("high"))


def _si(c: dict[str, Any]) -> float:
    return float(f"{c['value'] * (si_factor(c.get('unit') or '') or 1.0):.9g}")


def group_items(group: dict[str, Any], claims: list[dict[str, Any]], story: StoryReports) -> list[Item]:
    """A stored claim group as the items to score: one (`group_item`), or two when an outlet
    gives one figure as it stands and another as planned ("64,000 GPUs today, 100,000 by 2027").

    The claims stage lets a planned figure meet a plain one, since outlets write one project's
    size both ways; but an outlet that states both, differently, says they are two quantities,
    and one vote per outlet would keep only whichever it wrote last. The present figures come
    first: their consensus is the group's. Reports are decided over the whole group, as the
    claims stage decides them.
    """
    def planned(c: dict[str, Any]) -> bool:
        return (c.get("scope") or "").strip().lower() == "planned"

    kinds: dict[Any, tuple[set[float], set[float]]] = {}
    for c in claims:
        if c.get("value") is not None:
            kinds.setdefault(c["source_id"], (set(), set()))[planned(c)].add(_si(c))
    roles = claim_reports([_reported(c) for c in claims], story)
    if not any(now and plan - now for now, plan in kinds.values()):
        return [group_item(group, claims, story, roles)]
    return [group_item(group, [c for c in claims if not planned(c)], story, roles),
            group_item(group, [c for c in claims if planned(c)], story, roles)]


def _first_party(config: Any) -> dict[str, bool]:
    """Each configured outlet: is one of its feeds its own releases (``kind: first-party``)?"""
    flags: dict[str, bool] = {}
    for feed in getattr(config, "feeds", None) or []:
        flags[feed.source] = flags.get(feed.source, False) or feed.kind == "first-party"
    return flags


def _accuracy(rows: dict[int, dict[str, Any]]) -> dict[str, float]:
    """Vote weights: each outlet's current reliability, its prior's mean before its first score."""
    out = {}
    for sid, r in rows.items():
        prior = FIRST_PARTY if r.get("first_party") else DEFAULT_PRIOR
        out[str(sid)] = r["reliability"] if r.get("reliability") is not None else prior.mean
    return out


_Work = tuple[dict[str, Any], list[dict[str, Any]], StoryReports]


def _gather(store: Store, story_ids: list[int]) -> tuple[list[_Work], set[int]]:
    """The pending groups of these stories, each with its claims and how its story's articles
    count as reports, and the outlets whose checks they may change."""
    groups = store.pending_groups(story_ids)
    touched: set[int] = set()
    work = []
    for story_id in story_ids:
        story_groups = [g for g in groups if g["story_id"] == story_id]
        if not story_groups:
            continue
        claims = store.story_claims(story_id)
        with_claims = {c["article_id"] for c in claims}
        story_articles = store.story_report_articles(story_id)
        touched |= {a["source_id"] for a in story_articles}
        articles = [ArticleInfo(article_id=a["id"], source_id=a["source_id"], text=a["text"] or "",
                                outlet=a["outlet"] or "", published=a["published"])
                    for a in story_articles if a["id"] in with_claims]
        story = story_reports(articles)
        for g in story_groups:
            members = [c for c in claims if c.get("group_id") == g["id"]]
            touched |= {c["source_id"] for c in members}
            work.append((g, members, story))
    return work, touched


def _score_work(store: Store, work: list[_Work], reported: set[int]) -> list[dict[str, Any]]:
    """Score each group with the outlets' reliabilities as stored now. A group that fails is
    recorded once (its id joins ``reported``) and written unscored."""
    outlets = {c["source_id"] for _, cs, _ in work for c in cs}
    evidence = store.echo_evidence(outlets) if PARAMS.detect_echo else {}
    followed = {prev for ev in evidence.values() for prev, _, _ in ev}
    rows = store.sources_to_score(outlets | followed)
    weights = _accuracy(rows)
    authorities = {str(sid) for sid, r in rows.items() if r.get("first_party")}
    echoers = {str(sid) for sid, ev in evidence.items() if ev and echo_probability(
        str(sid), [(str(prev), same, n) for prev, same, n in ev], weights, PARAMS).probability
        > PARAMS.dep_threshold}
    out = []
    for g, members, story in work:
        row = {"group_id": g["id"], "consensus_value": None, "consensus_text": None, "checks": {},
               "failed": False, "undecided": False}
        try:
            items = group_items(g, members, story)
            row["follows"] = {ref: (int(prev), same) for item in items
                              for ref, _, prev, same in follow_records(item)}
            if echoers:
                items = mark_echoes(items, echoers)
            scored, *others = [score_item(item, weights, PARAMS, decisive=authorities) for item in items]
        except Exception as exc:  # noqa: BLE001 - one hostile group must not stop the batch
            if g["id"] not in reported:
                reported.add(g["id"])
                log.warning("reliability: group %s: %s: %s", g["id"], type(exc).__name__, exc)
                store.record_error(kind="reliability", message=f"claim group {g['id']} (story {g['story_id']}): "
                                                               f"scoring failed: {type(exc).__name__}: {exc}")
            row["failed"] = True
            out.append(row)
            continue
        if scored is not None:
            row.update(consensus_value=scored.value, consensus_text=scored.text,
                       checks={check.ref: check.agreement for check in scored.checks},
                       undecided=scored.value is None and scored.text is None)
        for other in others:
            if other is not None:
                row["checks"].update((check.ref, check.agreement) for check in other.checks)
        out.append(row)
    return out


def _outcome(rows: list[dict[str, Any]]) -> dict[int, tuple]:
    return {r["group_id"]: (r["consensus_value"], r["consensus_text"], sorted(r["checks"].items(), key=repr))
            for r in rows}


def _score_batch(store: Store, story_ids: list[int], extra: set[int], now: str, changed: set[int],
                 counts: dict[str, int]) -> None:
    """Score the pending groups of these stories and re-score their outlets, then again with
    the reliabilities those checks give, until the batch's consensus stops changing (at most
    ROUNDS times): the fixed point of truth.discover over the new groups, the archive's checks
    held. Scored once, a fresh store's first batch would weigh every outlet at its prior, so a
    sloppy outlet's figure would tie a careful one's."""
    work, touched = _gather(store, story_ids)
    touched |= extra
    rows: list[dict[str, Any]] | None = None
    reported: set[int] = set()
    for _ in range(ROUNDS):
        new = _score_work(store, work, reported)
        if rows is not None and _outcome(new) == _outcome(rows):
            break
        rows = new
        store.save_group_scores(rows, now)
        changed |= _rescore_sources(store, touched, now, changed)
    for row in rows or []:
        counts["groups_failed" if row["failed"] else "groups"] += 1
        counts["undecided"] += row["undecided"]
        counts["checked_claims"] += len(row["checks"])


def _rescore_sources(store: Store, source_ids: Iterable[int], now: str, written: set[int]) -> set[int]:
    """Each outlet's posterior from its stored checks and its prior; written (with a history
    row) only when it changed. An outlet never checked stays unscored. Returns those changed."""
    ids = set(source_ids)
    current = store.sources_to_score(ids)
    sums = store.check_sums(ids)
    changed = []
    for sid in sorted(ids):
        cur = current.get(sid)
        if cur is None:
            continue
        n, agreed, disagreed = sums.get(sid, (0, 0.0, 0.0))
        if n == 0 and cur["reliability"] is None:
            continue
        prior = FIRST_PARTY if cur["first_party"] else DEFAULT_PRIOR
        mean, low, high = posterior(agreed, disagreed, prior, PARAMS.interval)
        new = {"id": sid, "checked_claims": n, "reliability": round(mean, 6), "reliability_low": round(low, 6),
               "reliability_high": round(high, 6), "agreed": round(agreed, 6), "disagreed": round(disagreed, 6)}
        if cur["checked_claims"] == n and all(
                cur[k] is not None and abs(cur[k] - new[k]) < 1e-6 for k in _SCORE_FIELDS):
            continue
        changed.append(new)
    store.save_source_scores(changed, now, rescored=ids, written=written)
    return {r["id"] for r in changed}


def run_reliability(store: Store, config: Any = None, *, batch: int = 200) -> dict[str, int]:
    """Pipeline stage (after claims): score every pending claim group, ``batch`` stories per
    transaction, and re-score the outlets they touch. Returns counts: groups scored, claims
    checked, groups left undecided (a tie), groups that failed, outlets whose score changed."""
    counts = {"groups": 0, "checked_claims": 0, "undecided": 0, "groups_failed": 0, "sources_changed": 0}
    # a changed first-party flag changes that outlet's prior
    pending_sources = set(store.set_first_party(_first_party(config))) if config is not None else set()
    seen: set[int] = set()
    changed: set[int] = set()
    now = iso(utcnow()) or ""
    first = True
    while True:
        story_ids = [s for s in store.pending_group_stories(batch) if s not in seen]
        if not story_ids and not first:
            break
        seen.update(story_ids)
        with store.transaction():
            touched = set(pending_sources)
            if first:
                touched |= set(store.clear_orphan_checks()) | set(store.sources_pending_rescore())
            _score_batch(store, story_ids, touched, now, changed, counts)
        pending_sources = set()
        first = False
        if not story_ids:
            break
    counts["sources_changed"] = len(changed)
    return counts
