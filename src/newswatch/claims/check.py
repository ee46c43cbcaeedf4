"""Discrepancies: claims about the same thing in one story that cannot all be true together.

`find_discrepancies(records)` is pure. It

1. drops claims that say too little to compare (no subject, a bare number, a generic
   percentage or change, a count of a thing we have no name for);
2. groups the rest by (subject, attribute, unit dimension, scope, level-or-change); subjects
   are normalised ("xAI's Colossus 1 supercomputer" -> "colossus 1") and near-identical
   spellings are merged, but "Colossus 1" and "Colossus 2" never are;
3. turns each claim into the interval of values it allows, qualifier-aware:

   | qualifier | interval around the written value v |
   |---|---|
   | `=` | v ± rounding of the digits as written ("220,000" ± 5,000, capped at 10 %) |
   | `~` | v ± max(rounding, 10 %) |
   | `>`, `>=` | [v, 1.25 v]: "over 220,000" agrees with 230,000, not with 1 million |
   | `<`, `<=` | [0.75 v, v] |
   | `range` | [low, high] widened by rounding |

4. sweeps the intervals into *sides* (claims that can all hold at once); more than one side
   is a discrepancy, listing every claim on every side.

Severity is the relative gap between the farthest sides, (hi - lo) / max(|hi|, |lo|), in
[0, 1]: 40 MW vs 300 MW is 0.87, PUE 1.08 vs 1.12 is 0.04. A contradiction inside a single
article counts only for headline attributes (GPU count, power, PUE, money...), because one
article listing several values of, say, storage is usually describing several components.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .frames import Claim
from .units import COUNT_NOUNS, dimension_of, si_factor

__all__ = ["ClaimRecord", "Discrepancy", "Side", "find_discrepancies", "claim_interval", "subject_key",
           "same_subject"]


@dataclass
class ClaimRecord:
    """A stored claim with where it came from (the check needs the article to judge sides)."""

    claim_id: int
    article_id: int
    source_id: int | None
    value: float
    unit: str
    surface: str = ""
    qualifier: str = "="
    low: float | None = None
    high: float | None = None
    subject: str = ""
    attribute: str = ""
    sentence: str = ""
    start: int = 0
    end: int = 0
    scope: str = ""
    story_id: int | None = None

    @classmethod
    def from_claim(cls, claim: Claim, claim_id: int, article_id: int, source_id: int | None,
                   story_id: int | None = None) -> ClaimRecord:
        return cls(claim_id=claim_id, article_id=article_id, source_id=source_id, value=claim.value,
                   unit=claim.unit, surface=claim.surface, qualifier=claim.qualifier, low=claim.low,
                   high=claim.high, subject=claim.subject, attribute=claim.attribute,
                   sentence=claim.sentence, start=claim.start, end=claim.end, scope=claim.scope,
                   story_id=story_id)


@dataclass
class Side:
    """Claims that can all be true together, and the values they jointly allow."""

    low: float
    high: float
    claims: list[ClaimRecord] = field(default_factory=list)

    @property
    def value(self) -> float:
        vals = [c.value * si_factor(c.unit) for c in self.claims]
        return sum(vals) / len(vals)


@dataclass
class Discrepancy:
    subject: str
    attribute: str
    unit: str
    scope: str
    severity: float
    sides: list[Side]
    intra_article: bool = False

    @property
    def claim_ids(self) -> list[int]:
        return [c.claim_id for s in self.sides for c in s.claims]


# Compared even when all claims come from one article: figures an article states once for the
# whole thing, so two different values are a contradiction, not two components.
_HEADLINE = {"gpu_count", "power", "pue", "headcount", "valuation", "market_cap", "funding",
             "revenue", "investment", "deal_value", "land_area", "floor_area", "server_count",
             "rack_count", "data_center_count", "layoffs"}
_NOT_COMPARED = {"number", "multiplier", "fraction", "change", "percentage", "sources", "duration", ""}
# Compared inside one article: figures a thing has exactly one of at a time. Power, money and
# counts in one article are usually components (a lease, a building, the turbines; a loan and a
# round), so two of them are a contradiction only an order of magnitude apart (a slip such as
# "50,000" and "5,000" GPUs).
_SINGLE_VALUED = {"pue", "valuation", "market_cap", "headcount"}
_SLIP_RATIO = 5.0
_GENERIC_WORDS = {"the", "a", "an", "supercomputer", "supercluster", "cluster", "data", "center",
                  "centre", "datacenter", "site", "facility", "campus", "system", "inc", "corp",
                  "ltd", "llc", "co", "company", "ai", "project", "deal", "plc", "centers",
                  "centres", "datacenters", "corporation", "incorporated", "limited"}
# Words that end a company's full name and are often dropped: "Talen Energy" is "Talen",
# "Lambda Labs" is "Lambda". ("Google Cloud" is not "Google": cloud is not among them.)
_CORPORATE_SUFFIXES = {"energy", "technologies", "technology", "holdings", "group", "labs", "lab",
                       "systems", "networks", "computing", "semiconductor", "semiconductors",
                       "electronics", "international", "global", "partners", "capital",
                       "ventures", "infrastructure", "industries", "platforms", "solutions",
                       "enterprises", "communications", "power", "motors", "sa", "se", "ag", "nv",
                       "ab", "asa", "oyj", "kk"}


def subject_key(subject: str) -> str:
    """'xAI’s Colossus 1 supercomputer' -> 'colossus 1' (possessors and generic nouns dropped)."""
    s = subject.replace("’", "'").strip(" \"'“”").lower()
    if "'s " in s:
        s = s.split("'s ")[-1]
    s = re.sub(r"'s$", "", s)
    toks = [t for t in re.split(r"[\s\-–_/]+", s) if t and t not in _GENERIC_WORDS]
    return " ".join(toks)


def same_subject(a: str, b: str) -> bool:
    """Do two subject keys name the same thing? (See `_same_subject`.)"""
    return _same_subject(a, b)


def _same_subject(a: str, b: str) -> bool:
    if a == b:
        return True
    if not a or not b:
        return False
    da = re.findall(r"\d+", a)
    db = re.findall(r"\d+", b)
    if da != db:
        return False  # Colossus 1 vs Colossus 2, or Colossus vs Colossus 1
    ta, tb = a.split(), b.split()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if short and long_[:len(short)] == short and all(t in _CORPORATE_SUFFIXES for t in long_[len(short):]):
        return True  # "talen" and "talen energy"
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


def _precision(surface: str, value: float) -> float:
    """Relative half-unit of the last significant digit as written ("220,000" -> 5000/220000)."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", surface)
    if not m:
        return 0.05
    digits = m.group(0).replace(",", "")
    try:
        written = float(digits)
    except ValueError:
        return 0.05
    if written == 0:
        return 0.05
    if "." in digits:
        half = 0.5 * 10 ** -len(digits.split(".")[1])
    else:
        stripped = digits.rstrip("0")
        zeros = len(digits) - len(stripped)
        half = 0.5 * 10**zeros
    return half / abs(written)


def claim_interval(c: ClaimRecord) -> tuple[float, float]:
    """The values (in the dimension's base unit) that the claim allows."""
    f = si_factor(c.unit)
    r = min(max(_precision(c.surface, c.value), 0.001), 0.10)
    q = c.qualifier
    if q == "range" and c.low is not None and c.high is not None:
        lo, hi = c.low * f, c.high * f
        return lo - abs(lo) * r, hi + abs(hi) * r
    v = c.value * f
    if q == "~":
        r = max(r, 0.10)
        return v - abs(v) * r, v + abs(v) * r
    if q in (">", ">="):
        return v - abs(v) * 0.001, v + abs(v) * 0.25
    if q in ("<", "<="):
        return v - abs(v) * 0.25, v + abs(v) * 0.001
    return v - abs(v) * r, v + abs(v) * r


def _comparable(c: ClaimRecord) -> bool:
    if not subject_key(c.subject) or c.attribute in _NOT_COMPARED:
        return False
    dim = dimension_of(c.unit)
    if dim.startswith("count:") and c.unit not in set(COUNT_NOUNS.values()):
        return False
    if dim == "number" and c.attribute != "pue":
        return False
    return True


def _sides(claims: list[ClaimRecord]) -> list[Side]:
    items = sorted(((claim_interval(c), c) for c in claims), key=lambda t: (t[0][0], t[0][1]))
    sides: list[Side] = []
    for (lo, hi), c in items:
        if sides and lo <= sides[-1].high:
            s = sides[-1]
            s.low, s.high = max(s.low, lo), min(s.high, hi)
            s.claims.append(c)
        else:
            sides.append(Side(lo, hi, [c]))
    return sides


def _conflicting(sides: list[Side], attribute: str) -> bool:
    """Can the sides not all be true? Across outlets: two articles whose figures share no side.
    Inside one article: only for single-valued attributes, or figures far apart (see above)."""
    by_article: dict[int, set[int]] = {}
    for k, s in enumerate(sides):
        for c in s.claims:
            by_article.setdefault(c.article_id, set()).add(k)
    arts = list(by_article.values())
    if any(not (a & b) for i, a in enumerate(arts) for b in arts[i + 1:]):
        return True
    for ks in arts:
        if len(ks) < 2 or attribute not in _HEADLINE:
            continue
        if attribute in _SINGLE_VALUED:
            return True
        vals = sorted(abs(sides[k].value) for k in ks)
        if vals[0] > 0 and vals[-1] / vals[0] >= _SLIP_RATIO:
            return True
    return False


def find_discrepancies(claims: list[ClaimRecord]) -> list[Discrepancy]:
    """Discrepancies among the claims of one story, most severe first."""
    groups: dict[tuple[str, str, str, str], list[tuple[str, ClaimRecord]]] = {}
    for c in claims:
        if not _comparable(c):
            continue
        kind = "change" if c.qualifier in ("up", "down") else "level"
        key = (c.attribute, dimension_of(c.unit), c.scope or "", kind)
        groups.setdefault(key, []).append((subject_key(c.subject), c))
    out: list[Discrepancy] = []
    for (attribute, _dim, scope, _kind), members in groups.items():
        # merge near-identical subjects
        clusters: list[tuple[str, list[ClaimRecord]]] = []
        for skey, c in members:
            for ckey, lst in clusters:
                if _same_subject(skey, ckey):
                    lst.append(c)
                    break
            else:
                clusters.append((skey, [c]))
        for _ckey, lst in clusters:
            if len(lst) < 2:
                continue
            sides = _sides(lst)
            if len(sides) < 2 or not _conflicting(sides, attribute):
                continue
            articles = {c.article_id for c in lst}
            intra = len(articles) == 1
            vals = [s.value for s in sides]
            lo, hi = min(vals), max(vals)
            denom = max(abs(lo), abs(hi)) or 1.0
            severity = round((hi - lo) / denom, 4)
            names = [c.subject for c in lst if c.subject]
            subject = max(set(names), key=names.count) if names else ""
            units = [c.unit for c in lst]
            out.append(Discrepancy(subject=subject, attribute=attribute,
                                   unit=max(set(units), key=units.count), scope=scope,
                                   severity=severity, sides=sides, intra_article=intra))
    out.sort(key=lambda d: -d.severity)
    return out
