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

Copies are not corroboration: within a group, claims whose articles share an independent report
key (claims/groups.py: an outlet's own articles, near-duplicate texts, credited wire copy) or
whose sentences credit the same press release, wire or outlet are one report; its original (the
wire for its own copy, else the first outlet to publish it) is checked for it, the others' claims
are copies and neither gain nor lose.
An outlet that echoes (its claims repeat the claim published just before them far more often
than the two outlets' reliabilities explain, judged from the follows stored with earlier
checks: truth.echo_probability) has each repeat joined to the report it repeats: one vote,
still checked as its own claim.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from typing import Any, NamedTuple

from ..claims.groups import (
    ArticleInfo,
    article_credits,
    credited_report,
    outlet_reports,
    reports_and_copies,
)
from ..claims.intervals import interval as allowed_interval
from ..claims.intervals import precision
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


def _time_key(published: str | None) -> tuple[int, str]:
    return (1, "") if not published else (0, published)


def group_item(group: dict[str, Any], claims: list[dict[str, Any]], reports: dict[int, str],
               outlets: Mapping[str, str] | None = None, copies: Collection[int] = (),
               credits: Mapping[int, Collection[str]] | None = None) -> Item:
    """A stored claim group as a truth-discovery item, in the group's unit.

    A claim's report is the press release, wire or outlet its sentence credits (``outlets``: the
    story's outlets and their report keys, claims/groups.outlet_reports; by default those of
    these claims), else its article's independent report. A claim is a copy, neither checked
    for nor against its outlet, when its article copies another's (``copies``: a wire's copy
    run under its dateline, a later near-duplicate) or its sentence credits a wire or outlet
    whose report is not its article's, unless its value is none that report's own articles
    give in the group (a misquote is its outlet's own claim). A claim whose sentence credits
    nothing but whose article credits a report elsewhere (``credits``: article id -> reports,
    claims/groups.article_credits; "Reuters first reported the deal") repeats that report when
    its value is one the report's own articles give. Whatever the feeds' times say,
    the wire is the original of its own copy. Otherwise the first outlet to publish a report is
    its original. Claims come in publication order, so one outlet's latest claim is its vote.
    Numbers carry what they allow as written (claims/intervals.py: the rounding of "220,000", "over", "about", a
    range), so a check agrees with the claims stage's sides of a discrepancy.
    """
    to_group = si_factor(group.get("unit") or "") or 1.0
    ordered = sorted(claims, key=lambda c: (_time_key(c.get("published")), c["article_id"],
                                            c.get("start") or 0, c["id"]))
    if outlets is None:
        outlets = {c["outlet"]: reports[c["article_id"]] for c in claims
                   if c.get("outlet") and c["article_id"] in reports}
    own_of = {c["id"]: reports.get(c["article_id"]) or f"article:{c['article_id']}" for c in claims}
    credit_of = {c["id"]: credited_report(c.get("sentence") or "", outlets) for c in claims}
    bounds = {c["id"]: _allowed(c) for c in claims if c.get("value") is not None}
    # what each report's own articles say in this group, to tell a repeat from a misquote
    said: dict[str, list[tuple[float, float]]] = {}
    for c in claims:
        if c["id"] in bounds and c["article_id"] not in copies and credit_of[c["id"]] in (None, own_of[c["id"]]):
            said.setdefault(own_of[c["id"]], []).append(bounds[c["id"]])

    def repeats(c: dict[str, Any], report: str) -> bool:
        """Does a claim give a value the report's own articles give in this group?"""
        return any(_overlap(bounds[c["id"]], b) for b in said[report])

    first_outlet: dict[str, int | None] = {}
    out = []
    for c in ordered:
        own, credit = own_of[c["id"]], credit_of[c["id"]]
        if credit is None and credits and c["id"] in bounds:
            credit = next((r for r in sorted(credits.get(c["article_id"], ()))
                           if r != own and r in said and repeats(c, r)), None)
        if credit and c["id"] in bounds and credit in said and not repeats(c, credit):
            credit = None  # "Vexa reported $31.5 billion" where Vexa's release says $35.1 billion
        report = credit or own
        if c["article_id"] in copies or (credit and credit != own and not credit.startswith("doc:")):
            copy = True
        else:
            copy = first_outlet.setdefault(report, c["source_id"]) != c["source_id"]
        common = {"source": str(c["source_id"]), "report": report, "copy": copy, "ref": c["id"]}
        if c.get("value") is None:
            if (c.get("value_text") or "").strip():
                out.append(Claim(text=c["value_text"].strip(), **common))
            continue
        unit, qualifier = c.get("unit") or "", c.get("qualifier") or "="
        factor = si_factor(unit) / to_group
        value = c["value"] * factor
        if qualifier in ("=", "") or qualifier not in ("~", ">", ">=", "<", "<=", "range"):
            r = min(max(precision(c.get("surface") or "", c["value"]), 0.001), 0.10)
            out.append(Claim(value=value, precision=2 * r * abs(value), **common))
            continue
        lo, hi = bounds[c["id"]]
        f = 1.0 / to_group
        out.append(Claim(value=value, qualifier=qualifier, low=lo * f, high=hi * f, **common))
    return Item(group["id"], out)


def _allowed(c: dict[str, Any]) -> tuple[float, float]:
    """The values (in the base unit) a stored claim allows as written."""
    return allowed_interval(c["value"], c.get("unit") or "", c.get("qualifier") or "=", c.get("surface") or "",
                            c.get("low"), c.get("high"))


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _si(c: dict[str, Any]) -> float:
    return float(f"{c['value'] * (si_factor(c.get('unit') or '') or 1.0):.9g}")


def group_items(group: dict[str, Any], claims: list[dict[str, Any]], reports: dict[int, str],
                outlets: Mapping[str, str] | None = None, copies: Collection[int] = (),
                credits: Mapping[int, Collection[str]] | None = None) -> list[Item]:
    """A stored claim group as the items to score: one (`group_item`), or two when an outlet
    gives one figure as it stands and another as planned ("64,000 GPUs today, 100,000 by 2027").

    The claims stage lets a planned figure meet a plain one, since outlets write one project's
    size both ways; but an outlet that states both, differently, says they are two quantities,
    and one vote per outlet would keep only whichever it wrote last. The present figures come
    first: their consensus is the group's.
    """
    def planned(c: dict[str, Any]) -> bool:
        return (c.get("scope") or "").strip().lower() == "planned"

    kinds: dict[Any, tuple[set[float], set[float]]] = {}
    for c in claims:
        if c.get("value") is not None:
            kinds.setdefault(c["source_id"], (set(), set()))[planned(c)].add(_si(c))
    if not any(now and plan - now for now, plan in kinds.values()):
        return [group_item(group, claims, reports, outlets, copies, credits)]
    return [group_item(group, [c for c in claims if not planned(c)], reports, outlets, copies, credits),
            group_item(group, [c for c in claims if planned(c)], reports, outlets, copies, credits)]


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


class _Story(NamedTuple):
    """How a story's articles count as reports (claims/groups.py)."""

    reports: dict[int, str]   # article id -> independent report key
    outlets: dict[str, str]   # outlet name -> its report key, what a credit to it repeats
    copies: set[int]          # articles that copy another's report
    credits: dict[int, set[str]]  # article id -> the reports it credits anywhere in its text


_Work = tuple[dict[str, Any], list[dict[str, Any]], _Story]


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
        reports, copies = reports_and_copies(articles)
        outlets = outlet_reports(articles, reports)
        story = _Story(reports, outlets, copies, {a.article_id: article_credits(a.text, outlets) for a in articles})
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
            items = group_items(g, members, story.reports, story.outlets, story.copies, story.credits)
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
