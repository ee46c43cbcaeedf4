"""Claim groups and discrepancies: which claims of a story measure the same thing, and where
they cannot all be true.

`analyse_story(claims, articles)` is pure. It

1. counts **independent reports** (reports.py, shared with the reliability stage): one outlet's
   articles, near-duplicate copies, a wire's copy run under its dateline and claims whose
   sentence credits one press release, wire or outlet of the story are one report;
2. **groups** the claims that measure one quantity: claims of one time (the figure a sentence
   compares its own with, "up from 150 MW", is a baseline's time; changes reported days apart
   are two periods), one unit dimension and one scope (a planned figure and a total meet a
   plain one) are clustered by alignment.py's learned probability that two claims are one
   quantity (property, entity as resolved across the story by entities.resolve_story_entities,
   masked context, unit, crowding), raised where their frames agree (one named owner, unit,
   scope and property, however the sentences differ) and where a report of a later news cycle
   says it revises an earlier report's figure of that owner ("raised its offer, agreeing to
   pay"), most where a later report says its figure changed from the earlier report's value
   ("1.8GW, up from the 1.2GW"), lowered for two owners the story makes different known things
   (entities.story_owners), average linkage. What someone imagines (modality `hypothetical`)
   and claims with no property stay ungrouped: they are kept, never compared; what someone asks
   for (`asked`) meets only what others report was asked. A group exists whether its claims agree or not: agreement is
   evidence too;
3. splits each group into **sides** of values that can all hold (intervals.py: qualifiers and
   the rounding of the digits as written), and calls a group with more than one side within
   an order of magnitude of each other a **discrepancy** of one kind (values further apart are
   two quantities the grouping could not tell apart, not one figure misreported). The pair
   score alone joins many such quantities on real news, so two more tests keep a side out:
   an article that gives values on two sides without saying it revises or contradicting itself
   about one named thing tells them apart (only its side nearest the other reports' figures
   stays), and a conflict's side more than CONFLICT_SPAN from the majority's figure is another
   quantity, unless it is a slip of a unit or a zero, both sides only bound their figures, or it
   names the majority's owner (for a count, with its property word for word):

   * `conflict`: two independent reports disagree about the same time;
   * `update`: the reports on each side follow each other in time and the latest side either has
     two or more reports or says it revises ("rose to", "revised", "now stands at", a word that
     governs its figure; undated reports are ordered by the one side that says so), or every
     figure is a minimum of an event's count ("at least five people"), a tally still being made.
     A figure a later news cycle gives as new is never one side with an earlier approximation
     it only meets through "about";
   * `intra-article`: only one article disagrees with itself (in two sentences: two values in one
     sentence are parts or a comparison), without telling a revision.

   Claims of one article or of copies of one report never make a conflict between outlets.

   On news nobody here wrote, most one-article "contradictions" were two different things the
   article measures (each player's yards, two ages), so an intra-article contradiction needs
   exactly two values of one property, word for word, about a named entity (not the story's
   event); a property with no word in it ("26") is no property.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np

from ..stories.dedup import DisjointSets
from . import intervals
from .alignment import (
    FEATURES,
    context_texts,
    crowding_counts,
    encode_texts,
    feature_matrices,
    same_quantity_matrix,
)
from .entities import different_versions, resolve_story_entities, story_owners
from .parse import nouns
from .properties import SAME_PROPERTY, property_key
from .reports import ArticleInfo, ReportedClaim, claim_reports, story_reports, time_key
from .units import dimension_of, is_count_unit, si_factor

__all__ = ["ClaimRecord", "claim_record", "ArticleInfo", "Group", "Discrepancy", "DiscrepancySide", "StoryAnalysis",
           "analyse_story", "group_claims", "find_discrepancy", "NOT_COMPARED_MODALITIES", "story_entities",
           "candidates", "texts_to_compare", "maxima_compared", "stated_maximum"]

NOT_COMPARED_MODALITIES = {"hypothetical"}
# What someone asks for is a figure of its own: outlets reporting one demand ("voted to demand it
# repay $23.4 million") can disagree on it, but it never meets what was offered, paid or had.
ASKED = "asked"
EVENT_ENTITY = "the event"  # frames.py's entity for "5 people were killed": the story's own event


@dataclass
class ClaimRecord:
    """A stored claim with its frame and the article it came from."""

    claim_id: int
    article_id: int
    source_id: int | None
    value: float | None
    unit: str = ""
    surface: str = ""
    qualifier: str = "="
    low: float | None = None
    high: float | None = None
    entity: str = ""
    property: str = ""
    time_ref: str = "current"
    scope: str = ""
    modality: str = "reported"
    value_text: str | None = None
    sentence: str = ""
    published: str | None = None  # the article's publication time, ISO-8601 UTC, or None
    outlet: str = ""
    baseline: bool = False  # what its sentence compares another figure with (set by group_claims)
    # the values (base unit) of the figures its sentence says it changed from, "1.8GW, up from the
    # 1.2GW" (set by group_claims)
    previous: tuple[tuple[float, float], ...] = ()
    # a sum its own article tells apart from a figure it adds up (set by group_claims)
    running_total: bool = False


def claim_record(row: Mapping[str, Any]) -> ClaimRecord:
    """A stored claim row (the store's ``story_claims``) as a record, for both stages that read one."""
    return ClaimRecord(
        claim_id=row["id"], article_id=row["article_id"], source_id=row.get("source_id"),
        value=row.get("value"), unit=row.get("unit") or "", surface=row.get("surface") or "",
        qualifier=row.get("qualifier") or "=", low=row.get("low"), high=row.get("high"),
        entity=row.get("entity") or "", property=row.get("property") or "",
        time_ref=row.get("time_ref") or "current", scope=row.get("scope") or "",
        modality=row.get("modality") or "reported", value_text=row.get("value_text"),
        sentence=row.get("sentence") or "", published=row.get("published"), outlet=row.get("outlet") or "")


@dataclass
class Group:
    """Claims of one story about the same property of the same entity at the same time."""

    entity: str
    property: str
    unit: str
    scope: str
    time_ref: str
    claims: list[ClaimRecord] = field(default_factory=list)
    reports: dict[int, str] = field(default_factory=dict)  # claim id -> independent report key
    copies: set[int] = field(default_factory=set)  # claim ids that repeat another outlet's report

    @property
    def outlets(self) -> int:
        return len({c.source_id for c in self.claims})

    def report_of(self, claim: ClaimRecord) -> str:
        """The independent report a claim belongs to (its article until reports are counted)."""
        return self.reports.get(claim.claim_id) or f"article:{claim.article_id}"

    @property
    def independent_reports(self) -> int:
        return len({self.report_of(c) for c in self.claims})


@dataclass
class DiscrepancySide:
    """Claims of a discrepancy that can all be true together."""

    value: float | None
    value_text: str | None
    claims: list[ClaimRecord]
    outlets: int
    independent_reports: int
    first: ClaimRecord  # the first report of this value (copies excluded)


@dataclass
class Discrepancy:
    group: int  # index into StoryAnalysis.groups
    kind: str  # conflict | update | intra-article
    severity: float
    sides: list[DiscrepancySide]
    intra_article: bool  # some article also contradicts itself

    @property
    def majority(self) -> int:
        """The side most independent reports take (then most outlets, then the first reported)."""
        order = sorted(range(len(self.sides)), key=lambda k: (
            -self.sides[k].independent_reports, -self.sides[k].outlets,
            time_key(self.sides[k].first.published), k))
        return order[0]


@dataclass
class StoryAnalysis:
    groups: list[Group]
    discrepancies: list[Discrepancy]
    ungrouped: list[ClaimRecord]


# ---------------------------------------------------------------- grouping

def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _scope(c: ClaimRecord) -> str:
    scope = _norm(c.scope)
    if not scope and c.qualifier in ("up", "down"):
        return "change"  # "up 12%" is a change, never a level
    return scope


def _scope_class(c: ClaimRecord) -> str:
    """Scopes that never meet. "planned" meets a plain level: outlets write one project's figure
    as "plans a 1.2 GW campus" and as "the 1.2GW campus" (alignment.py weighs the difference).
    So does "cumulative": a plain figure of a deal or a toll is its total ("a €2.6bn deal" and
    "worth €2.6bn in total"); a part, a period's share or a change never is."""
    scope = _scope(c)
    if c.running_total:
        return "cumulative"
    return "" if scope in ("planned", "cumulative") else scope


# A sum a sentence says was reached, not one that simply is: brought or taken to its figure, "so
# far", "to date", or what an owner "has raised/spent/won".
_RUNNING = re.compile(
    r"\b(?:so\s+far|to\s+date|thus\s+far"
    r"|(?:bring|brings|bringing|brought|take|takes|taking|took|lift|lifts|lifting|lifted|push|pushes|pushing|pushed"
    r"|boost|boosts|boosting|boosted)\b[^.;]*?\bto\b"
    r"|(?:has|have|had)\s+(?:now\s+|so\s+far\s+|already\s+)?(?:\w+ed|spent|won|lent|sold|paid|built|made|sunk|put))\b",
    re.I)


# A figure spread over several things ("operates 110,000 GPUs across four data centers", "3,000
# staff in 12 offices" is not read: "in" also dates and places one thing).
_SPREAD = re.compile(
    r"\W*(?:[\w.'’-]+\s+){0,3}?(?:across|spread\s+over|over\s+(?:its|their))\s+(?:its\s+|their\s+|the\s+)?"
    r"(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens\s+of|several|multiple|many"
    r"|hundreds\s+of)\s+[a-z]", re.I)


def _spread(c: ClaimRecord) -> bool:
    """Is the figure a sum over several things its sentence counts right after it ("about 110,000
    GPUs across four sites")? Where its article also gives a plain figure of that dimension that
    it is not, the plain one is one of those things' and the spread one their sum."""
    at = (c.sentence or "").find(c.surface) if c.surface else -1
    return at >= 0 and bool(_SPREAD.match(c.sentence, at + len(c.surface)))


def mark_running_totals(claims: Sequence[ClaimRecord], canon: Mapping[str, str]) -> None:
    """Mark the totals that are not the figure of one deal, build or event: an article that gives
    a total its sentence says was reached ("bringing its total funding to", "has raised ... in
    total", "so far") or spreads over several things (`_spread`) and, for the same owner and time, a plain figure of the same dimension that
    it is not ("raised $500m, bringing its total funding to $1.9bn") says they are two
    quantities. Such a total meets only other totals. A total no figure of its article
    contradicts ("worth €2.6bn in total") stays the deal's, and so does a whole that simply is
    ("the total cost is $2.1bn"), whose other figures are its parts ("the state will contribute
    $400m"), not deals it sums."""
    by_article: dict[int, list[ClaimRecord]] = {}
    for c in claims:
        c.running_total = False
        if c.value is not None and not c.baseline:
            by_article.setdefault(c.article_id, []).append(c)

    def owner(c: ClaimRecord) -> str:
        return canon.get(c.entity, c.entity) if c.entity else ""

    for same in by_article.values():
        for c in same:
            spread = _spread(c)
            if not spread and (_scope(c) != "cumulative" or not _RUNNING.search(c.sentence or "")):
                continue
            b = _bounds(c)
            c.running_total = any(
                _scope(o) in ("", "planned") and _time(o) == _time(c)
                and not (spread and (_spread(o) or o.sentence == c.sentence))  # not the things it counts
                and (_same_dimension(dimension_of(o.unit), dimension_of(c.unit)) if spread
                     else dimension_of(o.unit) == dimension_of(c.unit))
                and (not owner(o) or not owner(c) or owner(o) == owner(c))
                and isinstance(b, tuple) and isinstance(ob := _bounds(o), tuple)
                and (ob[1] < b[0] or b[1] < ob[0] and not spread)  # a sum over things exceeds each
                for o in same if o is not c)


def _time(c: ClaimRecord) -> str:
    return BASELINE if c.baseline else _norm(c.time_ref) or "current"


BASELINE = "baseline"  # the time of a figure a sentence compares its own with
# Words that set up the figure after them as what another is compared with ("up from 150MW",
# "compared with an average of 17kW", "versus 128", "bigger than the 450MW"); "more than" and
# "less than" are qualifiers, not comparisons. A bare "from" is a comparison only in "from X to
# Y" ("buy 1,000 MW from the 1,200 MW plant" names a source).
_LEAD = r"\s+(?:(?:an?|the|its|their|average|of|about|approximately|around|roughly|some|nearly|just|only)\s+){0,4}$"
# A figure placed beside another one the sentence points to ("well inside the 350 basis points
# the company paid last year", "below the 20 kW a typical rack draws", "counted 87 employees, short
# of the 150 jobs it agreed to create"): another thing's or a target, never what the level was.
_BESIDE_WORDS = r"\b(?:inside|below|above|beneath|short\s+of)(?=\s+(?:the|its|their)\s)"
_BESIDE = re.compile(_BESIDE_WORDS + _LEAD, re.I)
_COMPARED = re.compile(
    r"(?:\b(?:up|down)\s+from|\bcompared\s+(?:with|to)|\bversus|\bvs\.?|\bagainst|(?<!more)(?<!less)(?<!fewer)\s+than"
    # a change from another figure ("a tightening from the 350 basis points", "an increase from")
    r"|\b(?:tighten|widen|narrow|increas|decreas|reduc|cut|rise|rising|drop|fall|falling|jump|climb|improv|shift|mov)\w*"
    r"\s+from"
    # a figure placed beside another one the sentence points to (`_BESIDE`)
    r"|" + _BESIDE_WORDS + r")"
    + _LEAD, re.I)
_FROM = re.compile(r"\bfrom" + _LEAD, re.I)
_TO_NEXT = re.compile(r"^[^.;,]{0,60}?\bto\s+(?:(?:about|around|roughly|approximately|nearly|some|just)\s+)?[$€£\d]", re.I)


def mark_baselines(claims: Sequence[ClaimRecord]) -> None:
    """Mark the figures a sentence compares another one of the same dimension with: "240 MW, up
    from 150 MW today", "132 kW per rack, compared with an average of 17 kW", "16 lasers versus
    128 for pluggables". Such a figure is an earlier time's or another thing's, never the level the
    sentence reports, so it only meets other outlets' baselines (`_time`)."""
    by_sentence: dict[tuple[int, str], list[ClaimRecord]] = {}
    for c in claims:
        c.previous = ()
        if c.value is not None and c.sentence.strip():
            by_sentence.setdefault((c.article_id, " ".join(c.sentence.split())), []).append(c)
    for same in by_sentence.values():
        for c in same:
            at = c.sentence.find(c.surface) if c.surface else -1
            if at < 0:
                continue
            before, after = c.sentence[max(0, at - 60):at], c.sentence[at + len(c.surface):]
            if _FROM.search(before) and _TO_NEXT.search(after):
                c.baseline = True  # "from about 290 million gallons a year to 45 million"
            elif _COMPARED.search(before):
                dim = dimension_of(c.unit)
                c.baseline = any(o is not c and o.surface != c.surface
                                 and _same_dimension(dim, dimension_of(o.unit)) for o in same)
        _link_previous(same, beside={id(c) for c in same if c.baseline and _beside(c)})


def _beside(c: ClaimRecord) -> bool:
    """Is a baseline one its sentence only places its figure beside (`_BESIDE`)?"""
    at = c.sentence.find(c.surface) if c.surface else -1
    return at >= 0 and bool(_BESIDE.search(c.sentence[max(0, at - 60):at]))


def _link_previous(same: Sequence[ClaimRecord], beside: set[int] = frozenset()) -> None:
    """Give each baseline of a sentence to the figure of its dimension nearest to it that is
    no baseline: in "will top out at 1.8GW, up from the 1.2GW" the 1.2GW is what the 1.8GW
    was, which tells which earlier report's figure the new one revises. A baseline the figure
    is only set beside (``beside``: ids, `_BESIDE`) is no earlier value of it: "87 employees,
    short of the 150 jobs" revises nothing."""
    levels = [c for c in same if not c.baseline and c.sentence.find(c.surface) >= 0 and c.surface]
    for b in same:
        at = b.sentence.find(b.surface) if b.surface else -1
        bounds = _bounds(b)
        if not b.baseline or id(b) in beside or at < 0 or isinstance(bounds, str):
            continue
        dim = dimension_of(b.unit)
        near = [c for c in levels if _same_dimension(dim, dimension_of(c.unit))]
        if near:
            c = min(near, key=lambda c: abs(c.sentence.find(c.surface) - at))
            c.previous = (*c.previous, bounds)


def comparable(c: ClaimRecord) -> bool:
    """Can this claim be compared at all? It needs a property and a value, and must be asserted
    (reported or estimated) or asked for, not imagined (an asked figure meets only other asked
    ones: `candidates`). A claim whose owner the parse could not name belongs to the story's
    main entity (story_entities)."""
    if not any(ch.isalpha() for ch in c.property):
        return False
    if _norm(c.modality) in NOT_COMPARED_MODALITIES:
        return False
    return c.value is not None or bool((c.value_text or "").strip())


def _same_dimension(a: str, b: str) -> bool:
    """One dimension; a bare number ("220,000+" in a table of GPUs) also counts the things a
    count of the same property counts."""
    if a == b:
        return True
    return "number" in (a, b) and any(d.startswith("count:") for d in (a, b))


# A dateline opening a line: the town in capitals, then its region, a date, a wire credit or a
# dash ("LISBON, Nov 12 (Reuters) -", "DALLAS and WILMINGTON, Ohio, Nov. 17", "WILMINGTON - The").
_DATELINE_TOWN = re.compile(
    r"^[ \t]*(?P<town>[A-Z][A-Z.'\-]+(?:[ \t]+(?:and[ \t]+)?[A-Z][A-Z.'\-]+)*)"
    r"(?=,[ \t]*(?:[A-Z][a-z]|[A-Z]\.|\d)|[ \t]*\(|[ \t]+[-\u2013\u2014]{1,2}[ \t])", re.M)


def _dateline_towns(texts: Sequence[str]) -> set[str]:
    """The words of the towns the story's articles are datelined in ("lisbon", "wilmington")."""
    return {w.lower() for t in texts for m in _DATELINE_TOWN.finditer(t)
            for w in m.group("town").split() if w != "and"}


def _is_dateline(name: str, towns: set[str]) -> bool:
    """Is an owner only the dateline's town in capitals? The parse falls back to the first name of
    a paragraph, which in wire copy is where it was written, not whose figure it is."""
    words = name.split()
    return bool(words) and name.isupper() and all(w.lower().strip(".,") in towns for w in words)


def story_entities(claims: Sequence[ClaimRecord], texts: Sequence[str] = (),
                   towns: set[str] | None = None) -> dict[str, str]:
    """Each entity name the story's claims use -> its one name in the story (see entities.py).
    A figure whose owner the parse names only as a common noun ("the site", "the package",
    "buildings"), as a dateline's town ("LISBON"; ``towns``: `_dateline_towns` of the texts,
    read from them when not given), or not at all (key ""), belongs, in a story about one
    thing, to the story's main named entity."""
    names = sorted({c.entity for c in claims if c.entity})
    canon = resolve_story_entities(names, [t for t in texts if t]) if names else {}
    towns = _dateline_towns(texts) if towns is None else towns
    datelined = {n for n in names if _is_dateline(n, towns)}
    named = Counter(canon.get(c.entity) or c.entity for c in claims
                    if c.entity and any(ch.isupper() for ch in c.entity) and _norm(c.entity) != EVENT_ENTITY
                    and c.entity not in datelined)
    main = named.most_common(1)[0][0] if named else ""
    for n in names:
        if main and (not any(ch.isupper() for ch in n) or n in datelined) and _norm(n) != EVENT_ENTITY:
            canon[n] = main
    out = {n: canon.get(n) or n for n in names}
    out[""] = main
    return out


def _known_owners(claims: Sequence[ClaimRecord], texts: Sequence[str], towns: set[str]) -> dict[str, str]:
    """entities.story_owners for the story's owners, less dateline ``towns`` (where a report
    was written, not whose figure it is)."""
    names = sorted({c.entity for c in claims if c.entity and not _is_dateline(c.entity, towns)})
    return story_owners(names, list(texts)) if names else {}


def candidates(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Could two comparable claims measure one quantity by their frames' hard facts alone? One
    time, one scope, text with text and numbers of one dimension, not two values of one sentence
    (a sentence giving two values of one dimension measures two things), and not the figures of
    two numbered members of one family ("Colossus 1" and "Colossus 2")."""
    if different_versions(a.entity, b.entity):
        return False
    if a.article_id == b.article_id and " ".join(a.sentence.split()) == " ".join(b.sentence.split()) \
            and a.sentence.strip():
        return False
    if _time(a) != _time(b) or _scope_class(a) != _scope_class(b) or (a.value is None) != (b.value is None) \
            or _asked(a) != _asked(b):
        return False
    if {_scope(a), _scope(b)} == {"planned", ""} and _said_now(a if _scope(a) == "" else b):
        return False  # "currently operates 22,000 GPUs" is not what "plans to add 84K GPUs" plans
    if (_scope(a) == "change" or _moved_level(a) and _moved_level(b)) \
            and _days_apart(a.published, b.published) > CHANGE_DAYS:
        return False
    return a.value is None or _same_dimension(dimension_of(a.unit), dimension_of(b.unit))


# A word saying a figure is the level today, in the figure's own clause ("currently operates
# 22,000 GPUs", "runs 22,000 GPUs today").
_NOW = re.compile(r"\b(?:currently|now|today|at present|presently|already)\b", re.I)


def _said_now(c: ClaimRecord) -> bool:
    """Is a plain level said to be the level now? Then it is what exists, never a plan's figure
    (which meets a plain level only because outlets drop the "plans" of a project's size)."""
    sentence = c.sentence or ""
    at = sentence.find(c.surface) if c.surface else -1
    if at < 0:
        return False
    before = re.split(r"[,;:()\u2014]", sentence[:at])[-1]
    after = re.split(r"[,;:()\u2014]|\.\s|\.$", sentence[at + len(c.surface):])[0]
    return bool(_NOW.search(before) or _NOW.search(after))


# A percentage move that ends at the figure: "shares fell 7.4% to $21.30", "rose 3% to about 410".
_PERCENT_MOVE = re.compile(
    r"\d[\d.,]*\s*(?:%|percent|per\s+cent)\s+to\s+(?:about\s+|around\s+|roughly\s+|approximately\s+|nearly\s+)?$",
    re.I)


def _moved_level(c: ClaimRecord) -> bool:
    """Is a figure where a percentage move ended ("shares fell 7.4% to $21.30")? It is a quote of
    something that moves all the time (a share price, a rate, an index) at its report's moment:
    two such quotes days apart are two moments, neither a revision nor a disagreement."""
    at = (c.sentence or "").find(c.surface) if c.surface else -1
    return at > 0 and bool(_PERCENT_MOVE.search(c.sentence[max(0, at - 40):at]))


# A change ("shares rose 6.4%", "up 12%") is over the period that ends when it is reported: reports
# published further apart than this describe two periods, never one figure.
CHANGE_DAYS = 1.5


def _days_apart(a: str | None, b: str | None) -> float:
    """Days between two ISO-8601 publication times; 0 when either is unknown or unreadable."""
    try:
        return abs((datetime.fromisoformat(a.replace("Z", "+00:00")) -
                    datetime.fromisoformat(b.replace("Z", "+00:00"))).total_seconds()) / 86400 if a and b else 0.0
    except (TypeError, ValueError):
        return 0.0


# Average pair probability (alignment.py) above which two sets of claims merge. The model is
# calibrated on ECB+, where a story holds many figures of one kind; 0.2 is where flagged
# disagreements on ECB+ odd topics and the AI-infrastructure dev set found the most real ones
# (benchmarks/claims_realnews.py, benchmarks/claims_blind.py), measured at 0.2-0.5.
SAME_QUANTITY = 0.2

# How much less likely two claims are one quantity when the story makes their owners two different
# known things ("Thomas" and "Bush"). Not zero: the parse sometimes names the wrong owner (a
# modifier, "a TSMC switch die"), and a hard rule then splits a real figure's reports.
OWNERS_APART = 0.3

# How many times more likely two claims are one quantity when their frames agree (`_frames_agree`)
# on one property word for word, or on a close property phrase: the odds of the learned score
# are multiplied by this, so a pair the sentences keep far apart stays apart.
SAME_PROPERTY_ODDS = 10.0
CLOSE_PROPERTY_ODDS = 4.0
# ... and when a report of a later news cycle says it revises (`_revises`); far more when a later
# report says its figure changed from the earlier report's value ("up from the 1.2GW").
REVISION_ODDS = 4.0
PREVIOUS_ODDS = 20.0


def _asked(c: ClaimRecord) -> bool:
    return _norm(c.modality) == ASKED


def _block(c: ClaimRecord) -> tuple[str, str, bool, str, bool]:
    """Claims of different blocks are never candidates: one time, scope class, kind of value,
    dimension (counts and bare numbers share one, `_same_dimension` decides within it) and
    whether it is asked for."""
    dim = "" if c.value is None else dimension_of(c.unit)
    if dim == "number" or dim.startswith("count:"):
        dim = "count"
    return _time(c), _scope_class(c), c.value is None, dim, _asked(c)


def _cluster(items: Sequence[ClaimRecord], canon: dict[str, str],
             owners: dict[str, str] | None = None) -> list[list[int]]:
    """Average-linkage clustering of claims by alignment.py's pair probability: the two sets
    whose pairs are on average most likely one quantity merge while that average is at least
    SAME_QUANTITY and no pair of them is ruled out by `candidates`; a pair whose known
    ``owners`` (entities.story_owners) differ counts OWNERS_APART of its probability. Each block of claims that
    could meet (`_block`) is clustered alone, which keeps a long story's cost down. Sets come
    back in order of their first claim."""
    # how crowded each article is with figures of a dimension, counted over asserted figures as
    # the score was fitted (asked figures were never compared then)
    counts = crowding_counts([c for c in items if not _asked(c)])
    parts = _blocks(items)
    # figures with a partner only: text claims are compared by their property and owner
    # (_same_text_property), and a figure no pair may join is never compared
    compared = _partnered(parts)
    encode_texts(compared, [canon.get(c.entity, c.entity) for c in compared])  # one model call per story
    out: list[list[int]] = []
    for members, part, ok in parts:
        out.extend([members[k] for k in found] for found in _cluster_block(part, ok, canon, counts, owners or {}))
    return sorted((sorted(m) for m in out), key=lambda m: m[0])


def _blocks(items: Sequence[ClaimRecord]) -> list[tuple[list[int], list[ClaimRecord], np.ndarray]]:
    """The blocks of claims that could meet (`_block`): the indexes of each block's claims in
    ``items``, the claims, and which pairs of them may meet (`_allowed`)."""
    blocks: dict[tuple[str, str, bool, str, bool], list[int]] = {}
    for k, c in enumerate(items):
        blocks.setdefault(_block(c), []).append(k)
    parts = [(members, [items[k] for k in members]) for members in blocks.values()]
    return [(members, part, _allowed(part)) for members, part in parts]


def _partnered(parts: Sequence[tuple[list[int], list[ClaimRecord], np.ndarray]]) -> list[ClaimRecord]:
    """The figures that at least one other claim of their block may meet: only their contexts
    are ever compared."""
    return [c for _, part, ok in parts for c, any_ in zip(part, ok.any(axis=1), strict=True)
            if any_ and c.value is not None]


def texts_to_compare(claims: Sequence[ClaimRecord]) -> list[str]:
    """The texts group_claims will encode for a story's claims, for encoding several stories'
    texts in one model call, which costs far less than one call per story. The claims are not
    changed. Owners are taken as written, not resolved across the story (resolving them is most
    of grouping's own cost), so a claim without a sentence, or a rare running total, may be left
    to the story's own model call."""
    copies = [replace(c) for c in claims]
    mark_baselines(copies)
    mark_running_totals(copies, {})
    compared = [c for c in _partnered(_blocks([c for c in copies if comparable(c)])) if c.sentence]
    return context_texts(compared, [c.entity for c in compared])


def _allowed(items: Sequence[ClaimRecord]) -> np.ndarray:
    """`candidates` of every pair of a block, as a symmetric (n, n) boolean array."""
    n = len(items)
    allowed = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(i + 1, n):
            allowed[i, j] = allowed[j, i] = candidates(items[i], items[j])
    return allowed


_PERSONAL = re.compile(r"\b(?:he|she|his|her|him)\b", re.I)


def _owners_apart(items: Sequence[ClaimRecord], owners: dict[str, str]) -> np.ndarray:
    """Pairs whose owners the story makes two different known things (entities.story_owners);
    an unknown owner is apart from none. An owner counts only where the claim's own sentence
    names it, or refers to a person the parse took from an earlier sentence ("he had five
    catches"); an owner carried over to an impersonal sentence is the parse's guess."""
    who = np.array([owners.get(c.entity, "") if c.entity and (c.entity in c.sentence or _PERSONAL.search(c.sentence))
                    else "" for c in items], dtype=object)
    known = who != ""
    return (who[:, None] != who[None, :]) & known[:, None] & known[None, :]


def _cluster_block(items: Sequence[ClaimRecord], allowed: np.ndarray, canon: dict[str, str],
                   counts: Counter, known: dict[str, str]) -> list[list[int]]:
    n = len(items)
    if not allowed.any():
        return [[i] for i in range(n)]
    owners = [canon.get(c.entity, c.entity) for c in items]
    apart = _owners_apart(items, known)
    if all(c.value is None for c in items):
        prob = _same_text_property(items, owners)
    else:
        features = feature_matrices(items, owners, EVENT_ENTITY, counts, encoded=allowed.any(axis=1))
        odds = np.where(apart, 1.0, np.maximum(_frames_agree(items, features), _revises(items, features)))
        prob = same_quantity_matrix(features)
        prob = prob * odds / (prob * odds + 1.0 - prob)
    prob = np.where(apart, prob * OWNERS_APART, prob)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    total = prob.copy()  # sum of pair probabilities between two live sets
    ok = allowed.copy()  # every pair between two live sets allowed
    size = np.ones(n)
    while len(members) > 1:
        avg = np.where(ok, total / np.outer(size, size), -1.0)
        i, j = divmod(int(np.argmax(avg)), n)
        if not avg[i, j] >= SAME_QUANTITY:  # also stops on NaN
            break
        i, j = min(i, j), max(i, j)
        members[i].extend(members.pop(j))
        size[i] += size[j]
        total[i, :] += total[j, :]
        total[:, i] = total[i, :]
        ok[i, :] &= ok[j, :]
        ok[:, i] = ok[i, :]
        ok[j, :] = ok[:, j] = False
        ok[i, i] = False
    return list(members.values())


# What frames.py calls a figure whose sentence names nothing it measures: its dimension's word.
# Two such figures share no property, only a unit.
_GENERIC_PROPERTIES = {"power", "energy", "size", "length", "area", "weight", "duration", "share",
                       "temperature", "speed", "volume", "value"}


def _named_properties(items: Sequence[ClaimRecord]) -> list[bool]:
    """Does each claim's property name what it measures? Not when it is only its dimension's
    word ("power") or only a verb of its sentence ("paid", "compared": frames.py's fallback when
    no noun names the figure), which many different figures of one story share."""
    keys = [property_key(c.property) for c in items]
    generic = [not k or k in _GENERIC_PROPERTIES for k in keys]
    found = iter(nouns([c.sentence for c, g in zip(items, generic, strict=True) if not g]))
    out = []
    for k, g in zip(keys, generic, strict=True):
        if g:
            out.append(False)
            continue
        words = set(k.split())
        # a word of the sentence names it, spelled out as the property is ("Capex" for "capital expenditure")
        out.append(any(set(property_key(w).split()) <= words and property_key(w) for w in next(found)))
    return out


def _frames_agree(items: Sequence[ClaimRecord], features: np.ndarray) -> np.ndarray:
    """How many times likelier than the learned score says each pair is one quantity, because
    their frames agree however differently their sentences are written: one named owner as
    resolved across the story, one unit, one scope (a plan is not a level), and one property that
    names what it measures (`_named_properties`). Outlets rewrite a figure's sentence freely
    ("rated at 1.4 kW" / "the chip draws 1,400 watts") and a trade story holds many figures of one
    dimension, so the score, fitted on news whose sentences about one figure look alike, leaves
    such pairs apart.

    Only measures agree so: one property is one normal form ("a PUE of 1.21" and, in another
    sentence of the same article, "the PUE settles at 1.35"), or, between two articles, a phrase
    the model puts within SAME_PROPERTY. Counts never do: their property is the counted noun and
    a verb, which one owner's different counts share (a player's touchdowns scored in a game and
    in a season, a fleet's GPUs before and after a merger)."""
    sim, same_owner, same_unit, same_article = (features[FEATURES.index(name)] for name in (
        "property_similarity", "same_entity", "same_unit", "same_article"))
    keys = np.array([property_key(c.property) for c in items], dtype=object)
    numeric = np.array([c.value is not None and not is_count_unit(c.unit) for c in items], dtype=bool)
    named_it = iter(_named_properties([c for c, m in zip(items, numeric, strict=True) if m]))  # parses: measures only
    named = np.array([bool(m) and next(named_it) for m in numeric], dtype=bool)  # a measure with a named property
    same_key = (keys[:, None] == keys[None, :]) & named[:, None] & named[None, :]
    close = (sim >= SAME_PROPERTY) & named[:, None] & named[None, :] & (same_article < 0.5)
    # A figure whose sentence names nothing it measures ("a 180 MW campus", "Calder will take
    # 520 megawatts", "the chip is rated at 1,400W") gives its owner's figure of that unit, so
    # it is as likely another outlet's report of a named one ("320MW of firm capacity") as two
    # close phrases are; a plan and a level meet here as they do in `candidates`. Only while its
    # article gives that owner no other value of the unit (then the owner's figure is not one:
    # "also runs a 600-megawatt campus" beside the new campus's 1.4 gigawatts), and never for
    # money, of which one company has many (a contract's value, its valuation, its spending).
    # (a figure of a thing the article only describes, "a 300MW chunk", is a part, not a second figure)
    described = np.array([not any(ch.isupper() for ch in c.entity) for c in items])
    values = np.array([c.value if c.value is not None else np.nan for c in items], dtype=float)
    other_value = (same_article > 0.5) & (same_owner > 0.5) & ~described[None, :] \
        & ~np.isclose(values[:, None], values[None, :])
    money = np.array([dimension_of(c.unit).startswith("money") for c in items])
    # the owner must be named in the figure's own sentence, not carried over by the parse
    # ("Its predecessor made do with 192GB" is not the company's chip's memory)
    in_sentence = np.array([bool(c.entity) and c.entity in (c.sentence or "") for c in items])
    unnamed = numeric & ~named & ~money & ~other_value.any(axis=1) & in_sentence
    # ... and what it meets is a named measure or such a figure too, never one of an owner's
    # several unnamed figures (which of them would it be?)
    partner = numeric & ~money & (named | unnamed)
    scope_class = np.array([_scope_class(c) for c in items], dtype=object)
    loose = (unnamed[:, None] & partner[None, :] | partner[:, None] & unnamed[None, :]) & (same_article < 0.5) \
        & (scope_class[:, None] == scope_class[None, :])
    # An owner the parse names only by a description ("its first building", "the quake") or not
    # at all may be a part of the story's main thing or another of its kind (an aftershock),
    # which story_entities files under the main thing: the frames agree only on a named owner.
    scope = np.array([_scope(c) for c in items], dtype=object)
    owned = (same_owner > 0.5) & (same_unit > 0.5) & ~described[:, None] & ~described[None, :]
    agree = owned & (scope[:, None] == scope[None, :])
    # Counts agree only as an owner's stock of one thing (`_stock_count`), one of them written as
    # the owner's (`_owned_stock`): "the campus will have eight buildings" and "the rest of the
    # seven-building campus"; a player's "had six touchdowns" and "had two touchdowns" (a season
    # and a game) are left to the learned score. A count that sizes its owner
    # ("the 12-building campus") names the thing as it is built, so it meets a plan's count too;
    # two plain counts of one owner meet only at one scope (it "has" 200,000 GPUs and "will have"
    # a million are a level and a plan).
    stock = np.array([_stock_count(c) for c in items], dtype=bool)
    sizes = np.array([stock[k] and _sizes_its_owner(c) for k, c in enumerate(items)], dtype=bool)
    owns = np.array([stock[k] and _owned_stock(c) for k, c in enumerate(items)], dtype=bool)
    unit = np.array([c.unit for c in items], dtype=object)
    level = (scope[:, None] == scope[None, :]) | (scope_class[:, None] == scope_class[None, :]) \
        & (sizes[:, None] | sizes[None, :])
    counted = owned & stock[:, None] & stock[None, :] & (unit[:, None] == unit[None, :]) & level \
        & (owns[:, None] | owns[None, :])
    return np.where(agree & same_key | counted, SAME_PROPERTY_ODDS,
                    np.where(agree & close | owned & loose, CLOSE_PROPERTY_ODDS, 1.0))


def _stock_count(c: ClaimRecord) -> bool:
    """Is a count how many of a thing its owner has: its property is only the counted words of
    its own figure ("eight buildings", "the campus's nine halls", "over 220,000 Nvidia GPUs"),
    with no verb of what was done to them ("people killed", "jobs created", "GPUs added"),
    which one owner's different counts share (a game's and a season's touchdowns scored)."""
    if not is_count_unit(c.unit) or c.value is None:
        return False
    words = property_key(c.property).split()
    shown = set(property_key(re.sub(r"[-‐‑]", " ", c.surface or "")).split())
    return bool(words) and all(w in shown for w in words)


# a count joined to the noun it sizes: "a 12-building campus", "the seven-building campus"
_SIZING = re.compile(r"[\w.,]+[-‐‑][A-Za-z][\w-]*")


def _sizes_its_owner(c: ClaimRecord) -> bool:
    """Is a count written as a modifier of the thing it sizes ("the finished 12-building campus")?"""
    return bool(_SIZING.fullmatch((c.surface or "").strip()))


_POSSESSOR = re.compile(r"\w['’]s?\s+$")


def _owned_stock(c: ClaimRecord) -> bool:
    """Is a count written as its owner's whole stock of the thing: sizing the owner ("the
    12-building campus") or right after a possessor ("the campus's nine halls", "Lumenstack's 13
    data centers")? What an owner "had" or "got" in a sentence may be one game's or one part's."""
    if _sizes_its_owner(c):
        return True
    at = (c.sentence or "").find(c.surface) if c.surface else -1
    return at > 0 and bool(_POSSESSOR.search(c.sentence[max(0, at - 40):at]))


def _revised_figure(c: ClaimRecord) -> bool:
    """Does a word of revision govern this figure: one before it in its sentence with no other
    number between ("raised its offer, agreeing to pay about $8.6 billion", "has swelled to $25
    billion")? In "shares rose 6% to $46, giving a market value of $5.7 billion" the rise is the
    share price's, not the market value's."""
    sentence = c.sentence or ""
    at = sentence.find(c.surface) if c.surface else -1
    if at < 0:
        return False
    if c.previous or _CHANGED_FROM.match(sentence, at + len(c.surface)):
        return True  # "will top out at 1.8GW, up from the 1.2GW": the figure a change ends at
    before = list(_REVISION.finditer(sentence, 0, at))
    if not before:
        return False
    between = sentence[before[-1].end():at]
    return not any(ch.isdigit() for ch in between) or bool(_CHANGE_THEN.fullmatch(between))


# what may stand between a word of revision and the new level it governs: the change ("rose 6%
# to", "raised by $800 million to") or the old level ("raised its offer from $7.8 billion to")
_CHANGE_THEN = re.compile(
    r"\s+(?:[\w'’]+\s+){0,3}?(?:by\s+|from\s+)?(?:about\s+|around\s+|roughly\s+|some\s+)?"
    r"[$€£]?\d[\d.,]*\s*(?:%|percent|per\s+cent|[a-z]{0,12})\s+to\s+"
    r"(?:about\s+|around\s+|roughly\s+|approximately\s+|nearly\s+|some\s+)?", re.I)
# what follows a figure that is the new level of a change: "1.8GW, up from"
_CHANGED_FROM = re.compile(r"[\s,;(\u2013\u2014-]*(?:up|down)\s+from\b", re.I)


def _revises(items: Sequence[ClaimRecord], features: np.ndarray) -> np.ndarray:
    """REVISION_ODDS for each pair where one claim's sentence says it revises that figure
    (`_revised_figure`) and the other is an earlier report's figure of the same named owner, unit
    and scope, published more than CHANGE_DAYS before. The revision rewords the figure's
    sentence ("pay" against "valuing"), so the learned score alone keeps the old and the new
    figure apart and the update is never seen; a report of the same news cycle is left to the
    score (outlets disagreeing, not a revision)."""
    n = len(items)
    out = np.ones((n, n))
    revising = [_revised_figure(c) for c in items]
    if not any(revising):
        return out
    same_owner, same_unit, same_article = (features[FEATURES.index(name)] for name in (
        "same_entity", "same_unit", "same_article"))
    for i in (k for k in range(n) if revising[k]):
        for j in range(n):
            a, b = items[i], items[j]
            if same_article[i, j] > 0.5 or not (a.published and b.published) or b.published >= a.published \
                    or _days_apart(a.published, b.published) <= CHANGE_DAYS:
                continue
            if _was(a, b):
                out[i, j] = out[j, i] = PREVIOUS_ODDS
            elif same_owner[i, j] > 0.5 and same_unit[i, j] > 0.5 and _scope(a) == _scope(b):
                out[i, j] = out[j, i] = REVISION_ODDS
    return out


def _was(new: ClaimRecord, old: ClaimRecord) -> bool:
    """Does ``new``'s sentence say its figure changed from ``old``'s value ("1.8GW, up from the
    1.2GW")? Then the old figure, reported earlier, is the same quantity before the change,
    whoever the parse took each figure to belong to."""
    bounds = _bounds(old)
    if isinstance(bounds, str) or not _same_dimension(dimension_of(new.unit), dimension_of(old.unit)):
        return False
    return any(lo <= bounds[1] and bounds[0] <= hi for lo, hi in new.previous)


def _same_text_property(items: Sequence[ClaimRecord], owners: Sequence[str]) -> np.ndarray:
    """Non-numeric claims are one quantity when they give one property of one owner: the
    extractor names such a property exactly ("location"), and their sentences hold the values
    themselves, which the learned score (blind to numbers only) would read as context."""
    prop = np.array([_norm(c.property) for c in items], dtype=object)
    owner = np.array([_norm(o) for o in owners], dtype=object)
    named = np.array([bool(o) and o != EVENT_ENTITY for o in owner])
    return ((prop[:, None] == prop[None, :]) & (owner[:, None] == owner[None, :]) & named[:, None]).astype(float)


def group_claims(claims: Sequence[ClaimRecord], texts: Sequence[str] = ()) -> tuple[list[Group], list[ClaimRecord]]:
    """Group a story's claims (see the module docstring); ``texts`` are the story's article texts,
    which tell which names are one entity. Returns the groups, in order of their first claim, and
    the claims left ungrouped."""
    towns = _dateline_towns(texts)
    canon = story_entities(claims, texts, towns)
    mark_baselines(claims)
    mark_running_totals(claims, canon)
    ungrouped = [c for c in claims if not comparable(c)]
    items = [c for c in claims if comparable(c)]
    groups = [Group(entity="", property="", unit="", scope=_scope(items[members[0]]),
                    time_ref=_time(items[members[0]]), claims=[items[k] for k in members])
              for members in _cluster(items, canon, _known_owners(claims, texts, towns))] if items else []
    # Each owner as the story writes it most (canonical names are lower-cased keys); a group of
    # ownerless figures is the story's main entity's.
    spellings = Counter((canon.get(c.entity, c.entity), c.entity) for c in claims if c.entity)
    shown: dict[str, str] = {}
    for (key, name), _ in sorted(spellings.items(), key=lambda kv: (-any(ch.isupper() for ch in kv[0][1]), -kv[1])):
        shown.setdefault(key, name)
    for g in groups:
        owners = Counter(c.entity for c in g.claims if c.entity and not _is_dateline(c.entity, towns))
        g.entity = owners.most_common(1)[0][0] if owners else shown.get(canon.get("", ""), "")
        units = Counter(c.unit for c in g.claims if c.unit) or Counter([""])
        g.unit = units.most_common(1)[0][0]
        g.property = Counter(c.property for c in g.claims).most_common(1)[0][0]
    return groups, ungrouped


# ---------------------------------------------------------------- discrepancies

_REVISION = re.compile(
    r"\b(?:rose|risen|rises|rising|climbed|increased|grew|grown|jumped|swelled|surged|raised|"
    r"revised|revises|revising|upgraded|downgraded|lowered|updated|corrected|"
    r"now\s+(?:stands?|totals?|at|reaches|reached|numbers?|is|are|has|have|says?|expects?|plans?|estimates?)|"
    r"has\s+since|"
    r"(?:fell|dropped|declined|decreased)\s+to|up\s+from|down\s+from|latest\s+(?:figure|count|tally|estimate))\b",
    re.I)



def _bounds(c: ClaimRecord) -> tuple[float, float] | str:
    if c.value is None:
        return intervals.text_bounds(c.property, c.value_text or "", c.qualifier or "=")
    return intervals.interval(c.value, c.unit, c.qualifier or "=", c.surface, c.low, c.high)


def _is_update(by_report: dict[str, set[int]], report_time: dict[str, str | None],
               side_claims: list[list[ClaimRecord]], one_source: bool = False,
               revised: Mapping[str, set[int]] | None = None) -> bool:
    """Do the sides follow each other in time, the latest one confirmed by two reports or by
    words of revision that govern its figure (`_says_it_revises`)? Each report must hold one
    side, or tell its own revision: a report whose claims on one of its sides say they revise
    (``revised``: report -> those sides) holds that side, and its other figures are the history
    it recounts ("now says 1.8GW; the filing had described 1.2GW"). Undated reports have no order of their own: the side that says it revises is the
    latest, when it is the only one that does and no dated report contradicts it. With
    ``one_source`` (articles of one report: an outlet's own articles, copies of one text) a
    later figure is that source revising itself, so the order alone is enough."""
    told = {r: s & (revised or {}).get(r, set()) for r, s in by_report.items()}
    by_report = {r: told[r] if len(s) > 1 and len(told[r]) == 1 else s for r, s in by_report.items()}
    if any(len(s) != 1 for s in by_report.values()):
        return False
    side_of = {r: next(iter(s)) for r, s in by_report.items()}
    if len(set(side_of.values())) < 2:
        return False
    revising = [k for k, claims in enumerate(side_claims) if any(_says_it_revises(c) for c in claims)]
    if not all(report_time[r] for r in by_report):
        if len(revising) != 1:
            return False
        last_times = [report_time[r] for r in by_report if side_of[r] == revising[0] and report_time[r]]
        earlier_times = [report_time[r] for r in by_report if side_of[r] != revising[0] and report_time[r]]
        return not (last_times and earlier_times and max(earlier_times) >= min(last_times))
    runs: list[tuple[int, list[str]]] = []  # (side, reports) in time order
    for r in sorted(by_report, key=lambda r: time_key(report_time[r])):
        if runs and runs[-1][0] == side_of[r]:
            runs[-1][1].append(r)
        elif any(s == side_of[r] for s, _ in runs):
            return False  # a side returns after another: outlets disagree, not a revision
        else:
            runs.append((side_of[r], [r]))
    for (_, earlier), (_, later) in zip(runs, runs[1:], strict=False):
        if max(report_time[r] or "" for r in earlier) >= min(report_time[r] or "" for r in later):
            return False  # published together: a disagreement, not a revision
    last_side, last_reports = runs[-1]
    return last_side in revising or one_source or len(last_reports) >= 2


def _says_it_revises(c: ClaimRecord) -> bool:
    """Does a claim's sentence say its figure revises an earlier one? A word of revision must
    govern the figure (`_revised_figure`): in "McDermott now has 2,029 points in 106 games" the
    points are new, not the games. A figure not found as written in its sentence falls back on
    any word of revision in it."""
    if c.surface and c.surface in (c.sentence or ""):
        return _revised_figure(c)
    return bool(_REVISION.search(c.sentence or ""))


def _running_count(by_report: dict[str, set[int]], report_time: dict[str, str | None],
                   side_claims: list[list[ClaimRecord]]) -> bool:
    """Is every figure a minimum of an event's count ("killing at least five people", "more than
    200 injured")? Such figures never contradict each other: each report gives a tally still
    being made as far as it has got, and the highest minimum is the latest news. Only a count
    no name owns is an event's tally: "over 220,000 GPUs" in Colossus 1 against "over 1 million"
    is a named thing's size, which outlets disagree on. With dates, a later report's minimum must
    not be below an earlier one's (sides are in order of value)."""
    if not all(c.value is not None and c.qualifier in (">", ">=") and is_count_unit(c.unit)
               and (_norm(c.entity) == EVENT_ENTITY or not any(ch.isupper() for ch in c.entity))
               for claims in side_claims for c in claims):
        return False
    if any(len(s) != 1 for s in by_report.values()):
        return False
    dated = sorted((report_time[r] or "", next(iter(s))) for r, s in by_report.items() if report_time[r])
    return all(not (t1 < t2 and k1 > k2) for i, (t1, k1) in enumerate(dated) for t2, k2 in dated[i + 1:])


def _one_quantity(claims: list[ClaimRecord], kept: list[ClaimRecord]) -> bool:
    """Do the claims one article gives on two sides of a group state one quantity, so that the
    article contradicts itself? They must give one property: every claim of the group word for
    word, or the article's all its owner's stock of one counted thing, one of them written as the
    owner's (`_stock_count`, `_owned_stock`: "will have eight buildings" and "the rest of the
    seven-building campus"). And one scope: what an owner
    has and what it will have ("has eight halls today", "will have eleven halls") are a level
    and a plan, unless a count sizes its owner ("the 12-building campus"), which names the thing
    as it is built."""
    if not (len({_norm(c.property) for c in kept}) == 1
            or len({c.unit for c in claims}) == 1 and len({property_key(c.property) for c in claims}) == 1
            and all(_stock_count(c) for c in claims) and any(_owned_stock(c) for c in claims)):
        return False
    return len({_scope(c) for c in claims}) == 1 or len({_scope_class(c) for c in claims}) == 1 \
        and any(_stock_count(c) and _sizes_its_owner(c) for c in claims)


def _contradicts_itself(claims: list[ClaimRecord], side_of: dict[int, int]) -> bool:
    """Does an article give values on two sides in different sentences? Two values in one
    sentence are parts, a comparison or a range ("8 PB of flash and 200 PB of disk"), not a
    contradiction."""
    seen: dict[int, dict[int, set[str]]] = {}
    for c in claims:
        seen.setdefault(c.article_id, {}).setdefault(side_of[c.claim_id], set()).add(
            " ".join((c.sentence or f"#{c.claim_id}").split()))
    for by_side in seen.values():
        sentences = list(by_side.values())
        for i, a in enumerate(sentences):
            if any(x != y for b in sentences[i + 1:] for x in a for y in b):
                return True
    return False


# Outlets that misreport one figure stay within an order of magnitude of each other (a toll of
# 5 against 50 as reports come in); values further apart, from different articles, within one
# group are different quantities the pair score could not tell apart (a player's game and season
# yards, the injured and a town's population), so they never make one disagreement. The
# exception is a slip of a unit or a zero ("52 gigawatts" for 52 MW, "$4.2 billion" for $4.2
# million): the same digits a power of ten apart are one figure misreported, and two different
# quantities seldom share their digits by chance.
ONE_FIGURE_SPAN = 10.0
SLIP_TOLERANCE = 0.02  # relative: how close to a power of ten a ratio must be to read as a slip


def _slip(low: float, high: float) -> bool:
    """Whether ``high`` is ``low`` times a power of ten (>= 10), within SLIP_TOLERANCE."""
    ratio = high / low
    if not math.isfinite(ratio):
        return False  # a value the parser overflowed ("999…9 MW" of 400 digits) is no slip
    exponent = round(math.log10(ratio))
    return exponent >= 1 and abs(high / (low * 10 ** exponent) - 1) <= SLIP_TOLERANCE


_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _written(surface: str) -> str:
    """A figure's number as written, without thousands separators: "1,400-acre" -> "1400",
    "$6.25bn" -> "6.25"."""
    m = _FIGURE.search(surface or "")
    return m.group().replace(",", "") if m else ""


def _transposed(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Whether two figures of one magnitude are written with the same digits, two of them
    swapped (1,400 and 4,100 acres; 14 and 41 miles): the commonest slip of a figure keyed by
    hand, so the two are one figure misreported however far apart they are."""
    va, vb = (c.value * (si_factor(c.unit) or 1.0) if c.value is not None else 0.0 for c in (a, b))
    if va <= 0 or vb <= 0 or max(va, vb) >= 10 * min(va, vb):
        return False
    wa, wb = _written(a.surface), _written(b.surface)
    if len(wa) != len(wb) or wa.find(".") != wb.find("."):
        return False  # 1,400 and 410 share "14"/"41" only once zeros are dropped: not one keying
    da, db = wa.replace(".", ""), wb.replace(".", "")
    diff = [k for k in range(len(da)) if len(da) == len(db) and da[k] != db[k]]
    return len(diff) == 2 and da[diff[0]] == db[diff[1]] and da[diff[1]] == db[diff[0]]


def _one_figure(found: list[intervals.Side[ClaimRecord]], group: Group) -> list[intervals.Side[ClaimRecord]]:
    """The sides that can be reports of one figure: numeric sides, in order of value, are cut
    where a value is more than ONE_FIGURE_SPAN times the one before it (unless it is a slip of
    a unit or a zero, `_slip`), and of the parts that still disagree (more than one side), else
    of all, the one with the most independent reports (then claims) is kept. Parts where one
    article gives values of one property, word for word, stay together: that article
    contradicts itself (as an intra-article contradiction is judged, `find_discrepancy`). Text
    values, and groups with a zero or negative value ("no one was hurt" against "two hurt",
    changes), are left whole."""
    values = [statistics.median(c.value * (si_factor(c.unit) or 1.0) for c in s.items if c.value is not None)
              if s.text is None and any(c.value is not None for c in s.items) else None for s in found]
    if any(v is None or v <= 0 for v in values):
        return found
    part = list(range(len(found)))  # side -> its part, a run of sides (union-find by article below)
    for k in range(1, len(found)):
        if values[k] <= ONE_FIGURE_SPAN * values[k - 1] or _slip(values[k - 1], values[k]):
            part[k] = part[k - 1]
    sets = DisjointSets(len(found))
    first_side: dict[tuple[int, str], int] = {}
    for k, s in enumerate(found):
        sets.union(k, part[k])
        for c in s.items:
            sets.union(k, first_side.setdefault((c.article_id, _norm(c.property)), k))
    parts: dict[int, list[int]] = {}
    for k in range(len(found)):
        parts.setdefault(sets.find(k), []).append(k)
    best = max(parts.values(), key=lambda ks: (len(ks) > 1, len({group.report_of(c) for k in ks for c in found[k].items}),
                                              sum(len(found[k].items) for k in ks)))
    return [found[k] for k in best]


# words that state a maximum ("up to 132 kW", "as much as $2bn", "a maximum of 1,400 workers")
_UP_TO = re.compile(r"^\s*(?:up\s+to|as\s+(?:much|many)\s+as|an?\s+max(?:imum)?\s+of)\b", re.I)


def _maxima_bounds(c: ClaimRecord) -> tuple[float, float] | str:
    """A claim's interval when a group's stated maxima are compared: "up to 132 kW" as the
    maximum it states, every other claim as `_bounds`."""
    if stated_maximum(c):
        return intervals.interval(c.value, c.unit, "=", c.surface)
    return _bounds(c)


def _sides(claims: list[ClaimRecord]) -> list[intervals.Side[ClaimRecord]]:
    """The sides of a group's claims. "Up to X" allows any value up to X ("up to $100 billion"
    agrees with "$90 billion"), but two reports of one quantity that each state its maximum state
    one maximum: when their maxima differ ("up to 1,100 workers", "up to 1,700 workers"), the
    maxima are the values compared. So they are when another report gives a maximum's value as
    the quantity's own ("draws up to 1,200 watts", "rated at 1,200W"): the maximum is then a
    rating, the figure itself, which "rated at 1,000W" contradicts."""
    if maxima_compared(claims):
        return intervals.sides(claims, _maxima_bounds)
    return _split_later_figures(intervals.sides(claims, _bounds))


def stated_maximum(c: ClaimRecord) -> bool:
    """Does the claim state a maximum ("up to 132 kW", "as many as", "a maximum of")?"""
    return c.value is not None and c.qualifier in ("<", "<=") and bool(_UP_TO.match(c.surface or ""))


def maxima_compared(claims: Sequence[ClaimRecord]) -> bool:
    """Are a group's stated maxima compared as the values they state (`_sides`)? When two
    articles' maxima disagree, or another article gives a maximum's value as the figure itself.
    The reliability stage checks claims against the same values."""
    maxima = [c for c in claims if stated_maximum(c)]
    if not maxima:
        return False
    if len({c.article_id for c in maxima}) >= 2 and len(intervals.sides(maxima, _maxima_bounds)) >= 2:
        return True
    return _maximum_given(maxima, [c for c in claims if not stated_maximum(c)])


def _maximum_given(maxima: list[ClaimRecord], others: list[ClaimRecord]) -> bool:
    """Does a plain figure of another article agree with a stated maximum as written ("up to
    1,200 watts" and "1,200 watts")?"""
    for m in maxima:
        b = _maxima_bounds(m)
        for o in others:
            ob = _bounds(o)
            if o.article_id != m.article_id and o.qualifier == "=" and isinstance(b, tuple) \
                    and isinstance(ob, tuple) and ob[0] <= b[1] and b[0] <= ob[1]:
                return True
    return False


def _as_written(c: ClaimRecord) -> tuple[float, float] | str:
    """A claim's interval from the rounding of its digits alone: "about $7.8 billion" as 7.75-7.85."""
    if c.value is not None and c.qualifier == "~":
        return intervals.interval(c.value, c.unit, "=", c.surface, c.low, c.high)
    return _bounds(c)


def _apart_as_written(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Do two numeric claims' values, read as written (`_as_written`), share no point?"""
    x, y = _as_written(a), _as_written(b)
    return not isinstance(x, str) and not isinstance(y, str) and (x[1] < y[0] or y[1] < x[0])


def _split_later_figures(found: list[intervals.Side[ClaimRecord]]) -> list[intervals.Side[ClaimRecord]]:
    """Split off, from a side, the claims of reports published more than CHANGE_DAYS before a
    later report's distinct figure: one that a word of revision governs (`_revised_figure`) or
    that the later report states exactly. "About" allows 10 % either way, so "about $7.8
    billion" and, two weeks later, "raised its offer, agreeing to pay about $8.6 billion" share
    a point; but the later report gives a new figure, not the old one's slack, and read as
    written the two never meet. Claims of one news cycle keep the approximation's tolerance:
    outlets round one figure differently."""
    out: list[intervals.Side[ClaimRecord]] = []
    for side in found:
        dated = [c for c in side.items if c.published and c.value is not None] if side.text is None else []
        later = sorted((c for c in dated if c.qualifier == "=" or _revised_figure(c)), key=lambda c: c.published or "")
        for new in later:
            old = [c for c in dated if (c.published or "") < (new.published or "")
                   and _days_apart(c.published, new.published) > CHANGE_DAYS]
            if old and all(_apart_as_written(c, new) for c in old):
                gone = {c.claim_id for c in old}
                rest = [c for c in side.items if c.claim_id not in gone]
                out.extend(intervals.sides(old, _bounds) + intervals.sides(rest, _bounds))
                break
        else:
            out.append(side)
    numeric = sorted((s for s in out if s.text is None), key=lambda s: (s.low, s.high))
    return numeric + [s for s in out if s.text is not None]


def _majority_side(found: Sequence[intervals.Side[ClaimRecord]], group: Group) -> int:
    """The side most independent reports give (then most outlets, then most claims, then the
    first), as `Discrepancy.majority` orders a discrepancy's sides."""
    return min(range(len(found)), key=lambda k: (-len({group.report_of(c) for c in found[k].items}),
                                                 -len({c.source_id for c in found[k].items}),
                                                 -len(found[k].items), k))


def _middle(side: intervals.Side[ClaimRecord]) -> float:
    return (side.low + side.high) / 2


def _told_apart(found: list[intervals.Side[ClaimRecord]], group: Group,
                article_reports: Mapping[int, str]) -> list[intervals.Side[ClaimRecord]]:
    """The sides of a disagreement between reports, less those an article tells apart from a
    side nearer another report's figure. An article that gives values on two sides, neither
    saying one revises the other nor giving one named owner's property word for word
    (`_same_frame`, `_one_quantity`: then it contradicts itself), names two quantities the group has joined (a
    game's and a season's touchdowns, the dead of two districts, two quakes' magnitudes): an
    article seldom contradicts itself. Of its sides the one nearest a value other reports give
    is the figure they give; its others, with every claim on them, are other quantities."""
    def report(c: ClaimRecord) -> str:
        return article_reports.get(c.article_id, f"article:{c.article_id}")

    if any(s.text is not None for s in found) or len({report(c) for s in found for c in s.items}) < 2:
        return found
    by_article: dict[int, set[int]] = {}
    for k, s in enumerate(found):
        for c in s.items:
            by_article.setdefault(c.article_id, set()).add(k)
    kept = [c for s in found for c in s.items]
    dropped: set[int] = set()
    for article, ks in by_article.items():
        own = [c for k in ks for c in found[k].items if c.article_id == article]
        if len(ks) < 2 or any(_says_it_revises(c) for c in own) \
                or all(_same_frame(a, b) for a in own for b in own) \
                or _norm(group.entity) not in ("", EVENT_ENTITY) and _one_quantity(own, kept):
            continue
        mine = {report(c) for c in own}
        others = [_middle(s) for s in found if any(report(c) not in mine for c in s.items)]
        dropped |= ks - {min(ks, key=lambda k: (_distance(_middle(found[k]), others), k))}
    return [s for k, s in enumerate(found) if k not in dropped]


def _distance(value: float, others: Sequence[float]) -> float:
    """How far a value is from the nearest of others, as a ratio (log) when both are positive."""
    return min((abs(math.log(value / o)) if value > 0 and o > 0 else abs(value - o) for o in others), default=0.0)


def _same_owner(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Do two claims name one owner, by a name (not a description or the story's event)?"""
    owner = _norm(a.entity)
    return bool(owner) and owner == _norm(b.entity) and owner != EVENT_ENTITY and any(ch.isupper() for ch in a.entity)


def _same_frame(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Do two claims name one owner (a name, not a description or the story's event) and one
    property word for word ("Colossus 1", "GPUs installed")? Then their values are that owner's
    one figure, however far apart."""
    return _same_owner(a, b) and bool(property_key(a.property)) and property_key(a.property) == property_key(b.property)


# Reports of one figure at one time that disagree (a conflict, not a count growing as reports
# come in) stay within this factor of the figure most of them give: a digit misread, a rounding,
# a count taken an hour apart. A value further off is another quantity the pair score could not
# tell apart (the injured against the dead, a game's yards against a season's), unless it is the
# same digits a power of ten apart (`_slip`) or with two digits swapped (`_transposed`), or the
# frames say it is the same quantity.
CONFLICT_SPAN = 2.5


def _bounded(side: intervals.Side[ClaimRecord]) -> bool:
    """Does a side only bound its figure ("at least five", "more than two dozen", "up to 300")?
    A bound is not the figure, so how far it is from another value says little."""
    return all(c.qualifier in (">", ">=", "<", "<=") for c in side.items)


def _near_majority(found: list[intervals.Side[ClaimRecord]], group: Group) -> list[intervals.Side[ClaimRecord]]:
    """The numeric sides within CONFLICT_SPAN of the majority side's value (or a slip of it, or
    its digits with two swapped),
    those that only bound their figure facing a majority that does too ("at least five" against
    "at least 50"), and those that name the majority's owner: one named thing's measure
    (`_same_owner`), or its count of one property word for word (`_same_frame`), is that figure
    misreported however far off ("Colossus 1 draws 40 MW" against "over 300 MW"); a description's
    count ("the event", "people") is what the pair score could not tell apart."""
    if any(s.text is not None for s in found):
        return found
    majority = found[_majority_side(found, group)]
    m = _middle(majority)

    def near(s: intervals.Side[ClaimRecord]) -> bool:
        # two figures below zero ("a loss of minus $5 million") compare by their size
        lo, hi = sorted((abs(m), abs(_middle(s)))) if m < 0 and _middle(s) < 0 else sorted((m, _middle(s)))
        return lo > 0 and (hi <= CONFLICT_SPAN * lo or _slip(lo, hi)) or _bounded(s) and _bounded(majority) \
            or any(_same_frame(a, b) or _same_owner(a, b) and not is_count_unit(a.unit)
                   or _transposed(a, b)
                   for a in s.items for b in majority.items)

    return [s for s in found if s is majority or near(s)]


def find_discrepancy(group: Group, article_reports: Mapping[int, str], index: int = 0) -> Discrepancy | None:
    """The discrepancy of one group, or None when all its values can hold together. Only sides
    within one order of magnitude of each other disagree (`_one_figure`), less those an article
    tells apart (`_told_apart`), and in a conflict only those near the majority's figure
    (`_near_majority`); the others stay in the group, which records agreement, but out of the
    discrepancy. ``article_reports`` (each article's report, reports.py) tells a conflict between
    reports from copies of one report disagreeing; a side's count of reports and its first
    reporter come from the claims' own reports and copies (``group.reports``, ``group.copies``:
    `claim_reports`)."""
    found = _told_apart(_one_figure(_sides(group.claims), group), group, article_reports)
    d = _judge(found, group, article_reports, index)
    if d is not None and d.kind == "conflict":
        near = _near_majority(found, group)
        if len(near) < len(found):
            return _judge(near, group, article_reports, index)
    return d


def _judge(found: list[intervals.Side[ClaimRecord]], group: Group, article_reports: Mapping[int, str],
           index: int) -> Discrepancy | None:
    """The discrepancy these sides of a group make, of its kind, or None."""
    if len(found) < 2:
        return None
    kept = [c for s in found for c in s.items]
    side_of: dict[int, int] = {c.claim_id: k for k, s in enumerate(found) for c in s.items}
    by_article: dict[int, set[int]] = {}
    by_report: dict[str, set[int]] = {}
    report_time: dict[str, str | None] = {}
    for c in kept:
        k = side_of[c.claim_id]
        by_article.setdefault(c.article_id, set()).add(k)
        rep = article_reports.get(c.article_id, f"article:{c.article_id}")
        by_report.setdefault(rep, set()).add(k)
        t = c.published
        if rep not in report_time or time_key(t) < time_key(report_time[rep]):
            report_time[rep] = t
    intra = _contradicts_itself(kept, side_of)
    reps = list(by_report.values())
    cross = any(not (a & b) for i, a in enumerate(reps) for b in reps[i + 1:])
    side_claims = [s.items for s in found]
    if cross:
        revised: dict[str, set[int]] = {}
        for c in kept:
            if _says_it_revises(c):
                revised.setdefault(article_reports.get(c.article_id, f"article:{c.article_id}"), set()).add(
                    side_of[c.claim_id])
        kind = "update" if _is_update(by_report, report_time, side_claims, revised=revised) \
            or _running_count(by_report, report_time, side_claims) else "conflict"
    elif intra:
        # "3 people died; the toll later rose to 4": an article telling its own revision
        revised = any(_REVISION.search(c.sentence or "") for c in kept)
        if revised:
            kind = "update"
        elif len(found) == 2 and _norm(group.entity) not in ("", EVENT_ENTITY) \
                and any(_one_quantity([c for c in kept if c.article_id == a], kept)
                        for a, ks in by_article.items() if len(ks) > 1):
            kind = "intra-article"
        else:
            return None
    else:
        arts = list(by_article.values())
        if not any(not (a & b) for i, a in enumerate(arts) for b in arts[i + 1:]):
            return None
        # Copies of one report disagree: only a revision over time is worth showing.
        per_article = {f"article:{a}": s for a, s in by_article.items()}
        times = {f"article:{c.article_id}": c.published for c in kept}
        if not _is_update(per_article, times, side_claims, one_source=True):
            return None
        kind = "update"
    sides = [_side(s, group) for s in found]
    numeric = [s.value * si_factor(group.unit) for s in sides if s.value is not None]
    sev = 1.0 if any(s.value is None for s in sides) else intervals.severity(numeric)
    return Discrepancy(group=index, kind=kind, severity=sev, sides=sides, intra_article=intra)


def _side(side: intervals.Side[ClaimRecord], group: Group) -> DiscrepancySide:
    claims = side.items
    value = None
    value_text = None
    if side.text is not None:
        value_text = Counter((c.value_text or "").strip() for c in claims).most_common(1)[0][0]
    else:
        f = si_factor(group.unit) or 1.0
        value = statistics.median_low(c.value * si_factor(c.unit) for c in claims if c.value is not None) / f
    originals = [c for c in claims if c.claim_id not in group.copies] or claims
    first = min(originals, key=lambda c: (time_key(c.published), c.article_id, c.claim_id))
    return DiscrepancySide(value=value, value_text=value_text, claims=list(claims),
                           outlets=len({c.source_id for c in claims}),
                           independent_reports=len({group.report_of(c) for c in claims}), first=first)


def _reported(c: ClaimRecord) -> ReportedClaim:
    allows = _bounds(c) if c.value is not None else None
    return ReportedClaim(c.claim_id, c.article_id, c.source_id, c.sentence or "", c.published,
                         allows if isinstance(allows, tuple) else None)


def analyse_story(claims: Iterable[ClaimRecord], articles: Sequence[ArticleInfo]) -> StoryAnalysis:
    """Groups and discrepancies of one story's claims (discrepancies most severe first)."""
    story = story_reports(articles)
    groups, ungrouped = group_claims(list(claims), [a.text for a in articles])
    found: list[Discrepancy] = []
    for n, g in enumerate(groups):
        roles = claim_reports([_reported(c) for c in g.claims], story)
        g.reports = {cid: r.report for cid, r in roles.items()}
        g.copies = {cid for cid, r in roles.items() if r.copy}
        d = find_discrepancy(g, story.reports, n)
        if d is not None:
            found.append(d)
    found.sort(key=lambda d: (-d.severity, d.group))
    return StoryAnalysis(groups=groups, discrepancies=found, ungrouped=ungrouped)
