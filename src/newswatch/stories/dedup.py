"""Independent reports: how many outlets, and how many independent texts, a story has.

Agreement between five copies of one wire story is one report, not five. Two rules:

* several feeds of one outlet are one outlet (the caller passes the outlet, not the feed);
* near-duplicate texts (syndicated wire copy, lightly edited) are one report, whoever
  publishes them. Near-duplicates are found with MinHash over word 5-gram shingles
  (datasketch): its Jaccard estimate of shingle sets is high only for shared *wording*,
  while two independent reports of one event share facts and names but few 5-word runs.

Copies are grouped transitively (A~B and B~C make one report) with a small union-find.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from datasketch import MinHash

SHINGLE_WORDS = 5
NUM_PERM = 128
NEAR_DUPLICATE = 0.5  # estimated Jaccard of 5-gram shingles at or above which texts are copies

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Report:
    """One article of a story as the counting sees it."""

    id: Hashable
    outlet: Hashable
    text: str


@dataclass(frozen=True)
class ReportCounts:
    outlets: int
    independent: int
    groups: tuple[tuple[Hashable, ...], ...]  # article ids per independent report


def minhash(text: str) -> MinHash:
    """MinHash of a text's word 5-gram shingles (lower-cased; short texts use what they have)."""
    words = _TOKEN.findall(text.lower())
    m = MinHash(num_perm=NUM_PERM, seed=1)
    if len(words) < SHINGLE_WORDS:
        shingles = [" ".join(words)] if words else []
    else:
        shingles = [" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    m.update_batch([shingle.encode("utf-8") for shingle in shingles])  # one numpy pass, not one per shingle
    return m


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets (0..1)."""
    if not a.strip() or not b.strip():
        return 0.0
    return float(minhash(a).jaccard(minhash(b)))


class DisjointSets:
    """Union-find over the items 0..n-1: which have been joined, directly or through others.
    Reports are joined by near-duplicate text here and by outlet or credited wire in
    claims/reports.py."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        """Join j's set into i's (i's root stays the root)."""
        self.parent[self.find(j)] = self.find(i)


def count_reports(reports: Sequence[Report], threshold: float = NEAR_DUPLICATE) -> ReportCounts:
    """Distinct outlets and independent reports among a story's articles.

    An outlet whose several articles are all copies of other outlets' text adds an outlet but
    no report; an outlet's own two different articles are two reports (a news piece and an
    analysis). Empty texts count as their own report (nothing says they are copies).
    """
    items = list(reports)
    sets = DisjointSets(len(items))
    hashes = [minhash(r.text) if r.text and r.text.strip() else None for r in items]
    for i in range(len(items)):
        if hashes[i] is None:
            continue
        for j in range(i + 1, len(items)):
            if hashes[j] is not None and hashes[i].jaccard(hashes[j]) >= threshold:
                sets.union(i, j)
    groups: dict[int, list[Hashable]] = {}
    for i, r in enumerate(items):
        groups.setdefault(sets.find(i), []).append(r.id)
    return ReportCounts(
        outlets=len({r.outlet for r in items}),
        independent=len(groups),
        groups=tuple(tuple(g) for g in groups.values()),
    )
