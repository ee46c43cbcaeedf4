"""One name per thing within a story: the aliases outlets use for the same entity.

Outlets name one thing differently: "xAI's Colossus", "Colossus 1", "the Memphis supercomputer";
"Northbeam Compute" and "Northbeam". Claims only meet in a group when their entities do, so
`resolve_story_entities` maps every entity name used by a story's claims to one canonical name:

* spellings that normalise alike (case, articles, possessive marks) are one;
* a possessed name is the name ("xAI's Colossus" is "Colossus");
* a shorter name that starts a longer one is it ("Northbeam" and "Northbeam Compute"), and an
  unnumbered name is its numbered form when the story has only one ("Colossus" and "Colossus 1");
  numbered names that differ never meet ("Colossus 1" and "Colossus 2");
* the story's own texts tie a name to a description when one stands in apposition to the other
  ("Colossus 1, xAI's Memphis supercomputer, ...", "the Memphis supercomputer (Colossus 1)").

Reading who a single number belongs to is frames.py's work; this module only joins names.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["entity_key", "resolve_story_entities", "different_versions"]

_ARTICLES = {"the", "a", "an", "its", "their", "this", "that"}


def entity_key(name: str) -> str:
    """'The xAI’s  Colossus 1' -> "xai's colossus 1" (case, quotes, articles and spacing removed)."""
    s = name.replace("’", "'").replace("`", "'").strip(" \"'“”.,;:").lower()
    words = [w for w in re.split(r"\s+", s) if w and w not in _ARTICLES]
    return " ".join(words)


def _owned(key: str) -> str:
    """The possessed part of a key ("xai's colossus" -> "colossus")."""
    return key.split("'s ", 1)[1] if "'s " in key else key


def _digits(key: str) -> list[str]:
    return re.findall(r"\d+", key)


class _Union:
    def __init__(self, items: list[str]) -> None:
        self.parent = {x: x for x in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


# What sets one name in apposition to another: "A, the B", "A (B)", "A, also known as B".
_LINK = r"\s*(?:,|\(|\bis\b|\bwas\b|,?\s*(?:also\s+)?(?:known|called|dubbed|nicknamed)\s+(?:as\s+)?)\s*" \
        r"(?:the\s+|a\s+|an\s+|its\s+|[\w.\-]+['’]s\s+)?"


def _leads(a: str, others: list[str], texts: list[str]) -> bool:
    """Does a text set any of `others` in apposition after `a`? (One pattern for all of them:
    a pair is only worth reading when this holds for one of its names.)"""
    if not others:
        return False
    rx = re.compile(re.escape(a) + _LINK + "(?:" + "|".join(map(re.escape, others)) + r")\b", re.I)
    return any(rx.search(t) for t in texts)


def _apposed(a: str, b: str, texts: list[str]) -> bool:
    """Does a text set `b` in apposition to `a` ("A, the B," / "A (B)" / "A, also known as B")?"""
    for x, y in ((a, b), (b, a)):
        rx = re.compile(re.escape(x) + _LINK + re.escape(y) + r"\b", re.I)
        if any(rx.search(t) for t in texts):
            return True
    return False


def resolve_story_entities(names: list[str], texts: list[str] | None = None) -> dict[str, str]:
    """Map every entity name used by a story's claims to one canonical name for that story, so
    "xAI's Colossus", "Colossus 1" and "the Memphis supercomputer" meet when the story says they
    are one thing. `texts` are the story's article texts (optional: without them only the names'
    own forms are compared). Empty names map to ""."""
    present = [n for n in names if n and entity_key(n)]
    keys = sorted({entity_key(n) for n in present})
    uf = _Union(keys)
    owned = {k: _owned(k) for k in keys}
    by_owned: dict[str, list[str]] = {}
    for k in keys:
        by_owned.setdefault(owned[k], []).append(k)
    for group in by_owned.values():
        for k in group[1:]:
            uf.join(group[0], k)
    bases = sorted(set(owned.values()))
    for a in bases:
        for b in bases:
            if a >= b and not b.startswith(a):
                continue
            if a == b:
                continue
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            if not long_.startswith(short + " "):
                continue
            ds, dl = _digits(short), _digits(long_)
            if ds and ds != dl:
                continue  # "colossus 1" is not "colossus 12 rack"
            if not ds and dl:
                numbered = {tuple(_digits(x)) for x in bases if x.startswith(short + " ") and _digits(x)}
                if len(numbered) != 1:
                    continue  # "Colossus" with both "Colossus 1" and "Colossus 2" in the story
            uf.join(by_owned[short][0], by_owned[long_][0])
    if texts:
        display = {entity_key(n): n for n in present}
        # Apposition needs both names in one text, one right after the other: find once per name
        # the texts that hold it and whether another name follows it there, then read only the
        # pairs that can be (a long story has a hundred names, few ever side by side).
        named_in = {k: {t for t, text in enumerate(texts) if rx.search(text)}
                    for k, rx in ((k, re.compile(re.escape(display[k]), re.I)) for k in keys)}
        leads = {k: _leads(display[k], [display[o] for o in keys if o != k], [texts[t] for t in sorted(named_in[k])])
                 for k in keys}
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                shared = named_in[a] & named_in[b]
                if shared and (leads[a] or leads[b]) and uf.find(a) != uf.find(b) \
                        and _apposed(display[a], display[b], [texts[t] for t in sorted(shared)]):
                    uf.join(a, b)
    # the canonical name of a cluster: its most used form, proper names first
    counts = Counter(entity_key(n) for n in present)
    clusters: dict[str, list[str]] = {}
    for k in keys:
        clusters.setdefault(uf.find(k), []).append(k)
    canon: dict[str, str] = {}
    for members in clusters.values():
        best = max(members, key=lambda k: (bool(_digits(k)), counts[k], -len(k)))
        for k in members:
            canon[k] = owned[best]
    return {n: canon.get(entity_key(n), "") if n else "" for n in names}


def different_versions(a: str, b: str) -> bool:
    """Are two names different numbered members of one family ("Colossus 1" and "Colossus 2",
    "CX-300" and "CX-400", "H100" and "H200")? Such names are never one thing, however alike the
    sentences about them read."""
    ka, kb = _owned(entity_key(a)), _owned(entity_key(b))
    if re.match(r"\d", ka) or re.match(r"\d", kb):
        return False  # "2 GW Hyperion" names a figure, not a version
    da, db = _digits(ka), _digits(kb)
    if not da or not db or da == db:
        return False
    stem_a, stem_b = re.sub(r"[\d\s\-.]+", " ", ka).split(), re.sub(r"[\d\s\-.]+", " ", kb).split()
    return bool(stem_a) and stem_a == stem_b
