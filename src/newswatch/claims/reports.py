"""Independent reports: which report each article and each claim of a story belongs to, and
which claims are copies of another's.

Copying is not corroboration. One outlet's articles, near-duplicate texts, a wire's copy run
under its dateline, and sentences that credit one press release, wire or outlet of the story
are one report however many outlets print them. The claims stage counts a disagreement's sides
(how many independent reports, who reported a value first) by these reports and the
reliability stage votes and checks outlets by them; both read them from `claim_reports`, so
what users are shown and what the scores learn from cannot drift apart.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..stories.dedup import DisjointSets, Report, count_reports
from .sentences import split_sentences

__all__ = ["ArticleInfo", "StoryReports", "ReportedClaim", "ClaimReport", "story_reports", "claim_reports",
           "credited_source", "independent_reports", "reports_and_copies", "time_key"]


@dataclass(frozen=True)
class ArticleInfo:
    """An article of the story as the report counting sees it."""

    article_id: int
    source_id: int | None
    text: str = ""
    outlet: str = ""
    published: str | None = None


def time_key(published: str | None) -> tuple[int, str]:
    """Sort key of an ISO-8601 publication time: dated reports in time order, undated ones last."""
    return (1, "") if not published else (0, published)


# ---------------------------------------------------------------- articles

# Agencies whose copy other outlets run under their credit. A small closed class, so a list.
_WIRES = {
    "reuters": "reuters", "ap": "ap", "associated press": "ap", "afp": "afp",
    "agence france-presse": "afp", "agence france presse": "afp", "bloomberg": "bloomberg",
    "dpa": "dpa", "pti": "pti", "press trust of india": "pti", "xinhua": "xinhua", "upi": "upi",
    "ani": "ani", "ians": "ians", "kyodo": "kyodo", "yonhap": "yonhap", "efe": "efe", "ansa": "ansa",
    "pa media": "pa", "press association": "pa", "bernama": "bernama", "anadolu": "anadolu",
    "tass": "tass", "aap": "aap", "australian associated press": "aap", "cna": "cna",
    "dow jones": "dowjones", "dow jones newswires": "dowjones", "canadian press": "cp",
    "interfax": "interfax", "jiji press": "jiji", "kyodo news": "kyodo",
}
_WIRES_KEYS = {"wire:" + v for v in _WIRES.values()}
# Acronyms that are also everyday words or names ("Ani", "Ansa") credit a wire only in capitals;
# dpa writes its own name in lower case.
_CAPITALS_ONLY = {"ap", "afp", "ani", "upi", "pti", "aap", "cna", "ians", "efe", "ansa"}


def _wire_name(name: str) -> str:
    pattern = re.escape(name).replace(r"\ ", r"\s+")
    return f"(?-i:{pattern.upper()})" if name in _CAPITALS_ONLY else pattern


_WIRE_NAMES = "|".join(_wire_name(w) for w in sorted(_WIRES, key=len, reverse=True))
_THE = r"(?:the\s+)?"
# A name credits its outlet only where the proper name ends: "according to Fortune Business
# Insights", "the Bloomberg Billionaires Index" and "the Reuters Institute" name other bodies
# ("told Reuters Tuesday" and "By Tech Daily Staff" still credit theirs).
_NAME_ENDS = r"(?-i:(?!\s+(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|Staff\b)[A-Z0-9]))"
_CREDITED_WIRE = rf"(?:{_WIRE_NAMES})\b{_NAME_ENDS}"
# "Oct 6 (Reuters) -", "LONDON (AP) —", "By Reuters", "By The Associated Press", "Source: Reuters":
# the article is wire copy.
_DATELINE = re.compile(rf"\((?P<w>{_WIRE_NAMES})\)\s*[-—–:]|^\s*(?:by|source:|via)\s+{_THE}(?P<w2>{_WIRE_NAMES})\b",
                       re.I | re.M)
# A sentence that states where its figure comes from: a press release, a filing, or a wire
# ("according to The Associated Press", "according to a Reuters report", "Reuters reported",
# "as first reported by AP", "citing Reuters", "told Reuters", "per AP", "via Bloomberg", "(AP)").
_REPORT_NOUN = r"(?:report|story|article|tally|count|analysis|review)"
_CREDIT = re.compile(
    rf"\baccording\s+to\s+(?:an?\s+|the\s+|its\s+|their\s+)?(?:[\w\-'’]+\s+){{0,2}}?"
    rf"(?P<doc>press\s+release|statement|filing|announcement|news\s+release)\b"
    rf"|\b(?:said|stated|announced|disclosed)\s+in\s+(?:an?|the|its|their)\s+(?:[\w\-'’]+\s+){{0,2}}?"
    rf"(?P<doc2>press\s+release|statement|filing|announcement|news\s+release)\b"
    rf"|\b(?P<w>{_WIRE_NAMES})\s+(?:(?:has|had|first|earlier|previously|also)\s+)?"
    rf"(?:reports?|reported|said|says|cited|wrote|writes|calculated|tallied)\b"
    rf"|\baccording\s+to\s+(?:an?\s+|the\s+)?(?P<w2>{_CREDITED_WIRE})"
    rf"|\baccording\s+to\s+(?:an?|the)\s+(?:[\w\-]+\s+){{0,2}}?{_REPORT_NOUN}\s+(?:by|from|in)\s+{_THE}(?P<w4>{_CREDITED_WIRE})"
    rf"|\b(?:reported|cited|quoted|calculated)\s+(?:earlier\s+|first\s+)?by\s+{_THE}(?P<w5>{_CREDITED_WIRE})"
    rf"|\b(?:citing|told|tells|telling)\s+{_THE}(?P<w6>{_CREDITED_WIRE})"
    rf"|\b(?:per|via)\s+(?:an?\s+|the\s+)?(?P<w7>{_CREDITED_WIRE})"
    rf"|\((?P<w3>{_WIRE_NAMES})\)",
    re.I)
_CREDIT_WIRES = ("w", "w2", "w3", "w4", "w5", "w6", "w7")
# An outlet that is a wire itself: "AP", "The Associated Press", "Reuters", "Bloomberg News".
_OUTLET_WIRE = re.compile(rf"\s*{_THE}(?P<w>{_WIRE_NAMES})(?:\s+(?:news(?:\s+agency)?|newswire|wire|staff))?\s*",
                          re.I)


def _wire(name: str) -> str:
    name = " ".join(name.lower().split())
    return "wire:" + _WIRES.get(name, name)


def _outlet_wire(outlet: str) -> str | None:
    """The wire an outlet is (``wire:ap`` for "The Associated Press"), or None."""
    if _wire(outlet) in _WIRES_KEYS:
        return _wire(outlet)
    m = _OUTLET_WIRE.fullmatch(outlet)
    return _wire(m.group("w")) if m else None


def credited_source(text: str, *, dateline: bool = False) -> str | None:
    """The wire or document a text credits: ``wire:reuters``, ``doc:press release``; None when it
    credits none. With ``dateline`` only an article's opening credit counts (its first 400
    characters), which marks the whole article as wire copy."""
    if dateline:
        m = _DATELINE.search(text[:400])
        return _wire(m.group("w") or m.group("w2")) if m else None
    m = _CREDIT.search(text)
    if not m:
        return None
    doc = m.group("doc") or m.group("doc2")
    if doc:
        return "doc:" + " ".join(doc.lower().split()).replace("news release", "press release")
    return _wire(next(m.group(g) for g in _CREDIT_WIRES if m.group(g)))


def _outlet_key(name: str) -> str:
    """An outlet's name without a leading "The", spaces collapsed: how credits are matched."""
    words = name.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words)


def _outlet_name(name: str) -> str:
    """Pattern of an outlet's name as a sentence writes it: its words as configured (capitals
    matter: "The Information" is not "the information"), a leading "The" either way or left out."""
    words = _outlet_key(name).split()
    lead = r"(?:[Tt]he\s+)?" if words != name.split() else ""
    return lead + r"\s+".join(re.escape(w) for w in words)


@functools.lru_cache(maxsize=256)
def _outlet_credit(names: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(dateline, sentence) patterns crediting one of these outlets, as `_DATELINE` and
    `_CREDIT` credit a wire, without "<name> said" (a company's own newsroom is an outlet too,
    and "Acme said" is news about it, not a repeat of its release)."""
    # a blank name would credit whatever follows "according to"
    alts = "|".join(_outlet_name(n) for n in sorted(names, key=len, reverse=True) if _outlet_key(n)) or "(?!)"
    n = rf"(?-i:{alts})(?![\w]){_NAME_ENDS}"
    dateline = re.compile(rf"\((?P<o>{n})\)\s*[-—–:]|^\s*(?:by|source:|via)\s+(?P<o2>{n})", re.I | re.M)
    sentence = re.compile(
        rf"\baccording\s+to\s+(?:an?\s+|the\s+)?(?P<o>{n})"
        rf"|\baccording\s+to\s+(?:an?|the)\s+(?:[\w\-]+\s+){{0,2}}?{_REPORT_NOUN}\s+(?:by|from|in)\s+(?P<o2>{n})"
        rf"|(?<![\w])(?P<o3>{n})(?:'s|’s)?\s+(?:(?:has|had|first|earlier|previously|also)\s+)?"
        rf"(?:reports?|reported|wrote|writes)\b"
        rf"|\b(?:reported|cited|quoted)\s+(?:earlier\s+|first\s+)?by\s+(?P<o4>{n})"
        rf"|\b(?:citing|told|tells|telling)\s+(?P<o5>{n})"
        rf"|\b(?:per|via)\s+(?:an?\s+|the\s+)?(?P<o6>{n})",
        re.I)
    return dateline, sentence


def _credited_outlet(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    if not m:
        return None
    return _outlet_key(next(g for g in m.groups() if g))


def independent_reports(articles: Sequence[ArticleInfo]) -> dict[int, str]:
    """Each article's independent report key: one outlet's articles, near-duplicate copies and
    copies credited to one wire (with the wire's own articles) share a key."""
    return reports_and_copies(articles)[0]


def reports_and_copies(articles: Sequence[ArticleInfo]) -> tuple[dict[int, str], set[int]]:
    """Report keys (see independent_reports) and the articles that are copies of another's
    text: a near-duplicate published after its earliest twin, or wire copy run by an outlet
    other than the wire. Copies never count as the first to report a figure. A report that
    holds a wire's articles is named for the wire (``wire:reuters``), the key a sentence
    crediting that wire gets from `credited_source`, so "according to Reuters" in another
    outlet's article is the wire's own report, not a second one."""
    items = list(articles)
    sets = DisjointSets(len(items))

    index = {a.article_id: i for i, a in enumerate(items)}
    copies: set[int] = set()
    first_of: dict[str, int] = {}
    wire_of: dict[int, str] = {}  # article index -> the wire it is or runs
    source_of = {_outlet_key(a.outlet): a.source_id for a in items if a.outlet}
    dateline = _outlet_credit(tuple(sorted(source_of)))[0] if source_of else None
    for i, a in enumerate(items):
        keys = [f"source:{a.source_id}"]
        own = _outlet_wire(a.outlet) if a.outlet else None
        credit = credited_source(a.text or "", dateline=True)
        if credit:
            keys.append(credit)
            if credit != own:
                copies.add(a.article_id)  # an outlet running the wire's copy
        # another outlet of the story credited in the dateline ("(Tech Daily) -"): its copy
        named = _credited_outlet(dateline, (a.text or "")[:400]) if dateline else None
        if named and source_of[named] != a.source_id:
            keys.append(f"source:{source_of[named]}")
            copies.add(a.article_id)
        if own:
            keys.append(own)  # the wire's own articles
        if credit or own:
            wire_of[i] = own or credit
        for key in keys:
            if key in first_of:
                sets.union(first_of[key], i)
            else:
                first_of[key] = i
    for grp in count_reports([Report(a.article_id, a.source_id, a.text or "") for a in items]).groups:
        # the original of near-duplicates: not a credited copy, then the earliest published
        members = sorted(grp, key=lambda aid: (aid in copies, time_key(items[index[aid]].published), aid))
        copies.update(members[1:])
        for other in grp[1:]:
            sets.union(index[grp[0]], index[other])
    names: dict[int, str] = {}
    for i in sorted(wire_of):
        names.setdefault(sets.find(i), wire_of[i])
    reports = {a.article_id: names.get(sets.find(i), f"report:{items[sets.find(i)].article_id}")
               for i, a in enumerate(items)}
    return reports, copies


# ---------------------------------------------------------------- a story's credits


@dataclass
class StoryReports:
    """How a story's articles count as reports, worked out once per story (`story_reports`)."""

    reports: Mapping[int, str] = field(default_factory=dict)  # article id -> independent report key
    copies: frozenset[int] = frozenset()  # articles that copy another's report (`reports_and_copies`)
    outlets: Mapping[str, str] = field(default_factory=dict)  # outlet name -> its report key
    credits: Mapping[int, frozenset[str]] = field(default_factory=dict)  # article id -> reports it credits
    _keyed: dict[str, str] = field(init=False, repr=False, default_factory=dict)
    _named: re.Pattern[str] | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self._keyed = {_outlet_key(name): report for name, report in self.outlets.items()}
        self._named = _outlet_credit(tuple(sorted(self.outlets)))[1] if self.outlets else None

    def report_of(self, article_id: int) -> str:
        """An article's report key; an article the story did not count is a report of its own."""
        return self.reports.get(article_id) or f"article:{article_id}"

    def credit(self, text: str) -> str | None:
        """The report a sentence repeats: the wire or document it credits (`credited_source`),
        else the report of the story's outlet it credits by name ("according to The Register",
        "as first reported by Tech Daily"). None when it credits none."""
        credit = credited_source(text)
        if credit or self._named is None:
            return credit
        named = _credited_outlet(self._named, text)
        return self._keyed.get(named) if named else None

    def article_credits(self, text: str) -> frozenset[str]:
        """The wires and outlets of the story an article credits anywhere ("Reuters first
        reported the deal on Monday"), whichever sentence its figures are in; press releases
        are left out, since most articles about a company quote one somewhere."""
        found = (self.credit(text[s.start:s.end]) for s in split_sentences(text))
        return frozenset(r for r in found if r and not r.startswith("doc:"))


def story_reports(articles: Sequence[ArticleInfo]) -> StoryReports:
    """Reports, copies, outlets and article credits of a story's articles, worked out once so that
    every group of the story (`claim_reports`) reads the same ones."""
    reports, copies = reports_and_copies(articles)
    story = StoryReports(reports, frozenset(copies),
                         {a.outlet: reports[a.article_id] for a in articles if a.outlet})
    story.credits = {a.article_id: story.article_credits(a.text or "") for a in articles}
    return story


# ---------------------------------------------------------------- a group's claims


@dataclass(frozen=True)
class ReportedClaim:
    """What deciding a claim's report needs of it."""

    claim_id: int
    article_id: int
    source_id: int | None
    sentence: str = ""
    published: str | None = None
    allows: tuple[float, float] | None = None  # the values it allows as written (numeric claims)


class ClaimReport(NamedTuple):
    """A claim's independent report, and whether it only repeats it."""

    report: str  # the independent report the claim belongs to
    copy: bool  # repeats another outlet's report: neither its first reporter nor checked for it


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def claim_reports(claims: Sequence[ReportedClaim], story: StoryReports) -> dict[int, ClaimReport]:
    """Each claim of one group: its independent report and whether it is a copy.

    A claim's report is its article's, unless it credits another: its sentence credits a press
    release, wire or outlet of the story, or (its sentence crediting nothing) its article
    credits a wire or outlet elsewhere and the claim gives a value that report's own articles
    give here. A credited value the credited report's own articles never give is a misquote,
    the outlet's own claim. A report whose own claim of the value credits another report passes
    the claim on to it, to the end of the chain: "as first reported by Bloomberg", where
    Bloomberg wrote "the company said in a statement", is the statement's report. A claim is a
    copy when its article copies another's (a wire's copy run under its dateline, a later
    near-duplicate: whatever the feeds' times say, the wire is the original of its own copy),
    when it credits a wire or outlet, or when another outlet published its report first in
    this group (two outlets quoting one press release): the first outlet to publish a report is
    its original. Claims are taken in publication order whatever order they come in.
    """
    ordered = sorted(claims, key=lambda c: (time_key(c.published), c.article_id))
    own = {c.claim_id: story.report_of(c.article_id) for c in ordered}
    # what each report's own articles (copies left out) give in this group
    given: dict[str, list[ReportedClaim]] = {}
    for c in ordered:
        if c.article_id not in story.copies:
            given.setdefault(own[c.claim_id], []).append(c)

    def same_value(c: ReportedClaim, d: ReportedClaim) -> bool:
        return c.allows is None or d.allows is None or _overlap(c.allows, d.allows)

    def gives_values(report: str) -> bool:
        return any(d.allows is not None for d in given.get(report, ()))

    def repeats(c: ReportedClaim, report: str) -> bool:
        return any(d.allows is not None and same_value(c, d) for d in given.get(report, ()))

    via: dict[int, str | None] = {}  # claim -> the other report it repeats
    for c in ordered:
        credit = story.credit(c.sentence or "")
        if credit is None and c.allows is not None:
            credit = next((r for r in sorted(story.credits.get(c.article_id, ()))
                           if r != own[c.claim_id] and repeats(c, r)), None)
        if credit and c.allows is not None and gives_values(credit) and not repeats(c, credit):
            credit = None  # "Vexa reported $31.5 billion" where Vexa's release says $35.1 billion
        via[c.claim_id] = credit if credit != own[c.claim_id] else None

    def follow(c: ReportedClaim, report: str) -> str:
        """The end of the chain of credits from a report, through its own claims of c's value."""
        seen = {own[c.claim_id], report}
        while True:
            nxt = next((via[d.claim_id] for d in given.get(report, ())
                        if via[d.claim_id] and same_value(c, d)), None)
            if nxt is None or nxt in seen:
                return report
            seen.add(nxt)
            report = nxt

    first_outlet: dict[str, int | None] = {}
    out = {}
    for c in ordered:
        credit = via[c.claim_id]
        report = follow(c, credit or own[c.claim_id])
        copy = c.article_id in story.copies or bool(credit and not credit.startswith("doc:"))
        if not copy:
            copy = first_outlet.setdefault(report, c.source_id) != c.source_id
        out[c.claim_id] = ClaimReport(report, copy)
    return out
