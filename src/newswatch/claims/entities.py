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

`story_owners` goes further for grouping: which owners the story makes known, distinct things
(surnames, titles, spelling variants, descriptions written before or in apposition to a name,
a company and what it possesses), so figures of two different players or firms are kept apart.

Reading who a single number belongs to is frames.py's work; this module only joins names.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

__all__ = ["entity_key", "resolve_story_entities", "different_versions", "story_owners"]

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


@lru_cache(maxsize=4096)
def _pattern(pattern: str) -> re.Pattern[str]:
    """A case-blind pattern, compiled once per process: a story's names are tried against each
    other again each time the story is regrouped, and more patterns than re's own cache holds."""
    return re.compile(pattern, re.I)


def _holding(names: list[str], texts: list[str]) -> dict[str, set[int]]:
    """Each name -> the indexes of the texts that hold it (in any case). A pattern that joins two
    names can only match in a text that holds both, so only those texts are searched."""
    return {n: {t for t, text in enumerate(texts) if rx.search(text)}
            for n, rx in ((n, _pattern(re.escape(n))) for n in dict.fromkeys(names))}


_LINK_GAP = re.compile(_LINK, re.I)


class _Spots:
    """Where each name starts in each of a story's texts (every start, in any case), found once
    per name and text. A pattern joining two names is compiled only where the text between some
    place of the one and some place of the other is what it allows (`gap`): compiling a
    pattern per pair of a long story's names cost more than searching with them."""

    def __init__(self, texts: list[str], holding: dict[str, set[int]]) -> None:
        self.texts, self.holding = texts, holding  # holding: `_holding` of the names asked about
        self._starts: dict[tuple[str, int], list[int]] = {}
        self._ends: dict[tuple[str, int, re.Pattern[str]], list[int]] = {}

    def starts(self, name: str, t: int) -> list[int]:
        key = (name, t)
        if key not in self._starts:
            found = _pattern(f"(?={re.escape(name)})").finditer(self.texts[t]) if t in self.holding[name] else ()
            self._starts[key] = [m.start() for m in found]
        return self._starts[key]

    def gap(self, first: str, then: str, t: int, between: re.Pattern[str]) -> bool:
        """Could ``then`` follow ``first`` in text t with only what ``between`` matches in
        between? (A name matches as many characters as it has, in any case; an assertion at
        the end of the gap is read as if the text ended there, which can only say yes more.)"""
        after = self.ends(first, t, between)
        return bool(after) and any(between.fullmatch(self.texts[t], e, j)
                                   for j in self.starts(then, t) for e in after if j >= e)

    def ends(self, name: str, t: int, between: re.Pattern[str]) -> list[int]:
        """Where ``name`` ends in text t followed by something ``between`` matches: only there
        can another name follow it with that in between (most places of a name have none)."""
        key = (name, t, between)
        if key not in self._ends:
            text = self.texts[t]
            self._ends[key] = [e for e in (s + len(name) for s in self.starts(name, t)) if between.match(text, e)]
        return self._ends[key]


def _follows(spots: _Spots, a: str, b: str, t: int) -> bool:
    """Does text t set `b` in apposition right after `a` ("A, the B" / "A (B)" / "A, also known as B")?
    Searched with the pair's own pattern only where the text between them may fit (`_Spots`)."""
    return spots.gap(a, b, t, _LINK_GAP) \
        and bool(_pattern(re.escape(a) + _LINK + re.escape(b) + r"\b").search(spots.texts[t]))


def _leads(a: str, others: list[str], spots: _Spots, texts: list[int]) -> bool:
    """Does a text set any of `others` in apposition after `a`? (A pair is only worth reading
    when this holds for one of its names.)"""
    return any(_follows(spots, a, o, t) for t in texts if spots.ends(a, t, _LINK_GAP) for o in others)


def _apposed(a: str, b: str, spots: _Spots, texts: list[int]) -> bool:
    """Does a text set `b` in apposition to `a` ("A, the B," / "A (B)" / "A, also known as B")?"""
    return any(_follows(spots, x, y, t) for x, y in ((a, b), (b, a)) for t in texts)


def _versions_apart(uf: _Union, keys: list[str], a: str, b: str) -> bool:
    """Would joining a's and b's clusters make two numbered members of one family one thing? A
    comma reads as apposition in "Compared with the CX-300, the CX-400 offers...", and one such
    join would put every figure of the new model with the old one's."""
    ra, rb = uf.find(a), uf.find(b)
    left = [k for k in keys if uf.find(k) == ra]
    right = [k for k in keys if uf.find(k) == rb]
    return any(different_versions(x, y) for x in left for y in right)


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
        holding = _holding([display[k] for k in keys], texts)
        named_in = {k: holding[display[k]] for k in keys}
        spots = _Spots(texts, holding)
        leads = {k: _leads(display[k], [display[o] for o in keys if o != k and named_in[o] & named_in[k]],
                           spots, sorted(named_in[k]))
                 for k in keys}
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                shared = named_in[a] & named_in[b]
                if shared and (leads[a] or leads[b]) and uf.find(a) != uf.find(b) \
                        and _apposed(display[a], display[b], spots, sorted(shared)) \
                        and not _versions_apart(uf, keys, a, b):
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


@lru_cache(maxsize=65536)
def different_versions(a: str, b: str) -> bool:
    """Are two names different numbered members of one family ("Colossus 1" and "Colossus 2",
    "CX-300" and "CX-400", "H100" and "H200")? Such names are never one thing, however alike the
    sentences about them read. (Kept per pair of names: grouping asks it of every pair of a
    story's claims, whose owners are a few names.)"""
    ka, kb = _owned(entity_key(a)), _owned(entity_key(b))
    if re.match(r"\d", ka) or re.match(r"\d", kb):
        return False  # "2 GW Hyperion" names a figure, not a version
    da, db = _digits(ka), _digits(kb)
    if not da or not db or da == db:
        return False
    stem_a, stem_b = re.sub(r"[\d\s\-.]+", " ", ka).split(), re.sub(r"[\d\s\-.]+", " ", kb).split()
    return bool(stem_a) and stem_a == stem_b


# Titles and descriptions that stand before a person's name ("Sgt. Mario Ruiz", "Englishman Robert
# Buckley"): the name without them is the same person.
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sgt", "sergeant", "officer", "detective", "det", "lt",
           "capt", "captain", "gen", "general", "col", "president", "gov", "governor", "sen", "senator",
           "rep", "judge", "justice", "prof", "professor", "coach", "ceo", "chief", "minister", "prime",
           "rev", "st", "sir", "dame", "lord", "lady", "prince", "princess", "king", "queen", "rb", "qb",
           "wr", "te"}
_JOINERS = {"of", "de", "del", "la", "le", "van", "von", "der", "da", "and", "for", "the", "bin", "al"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
           "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
           "saturday", "sunday"}


def _bare(key: str) -> str:
    """A key without leading titles and the possessor ("sgt. mario ruiz" -> "mario ruiz")."""
    words = _owned(key).split()
    while len(words) > 1 and words[0].strip(".") in _TITLES:
        words = words[1:]
    return " ".join(words)


def _is_proper(name: str, texts: list[str]) -> bool:
    """Is an owner a proper name? It has a capital letter, is no date, and the story never
    writes it in lower case (a capitalised "Showrunner" opening a sentence is a description)."""
    if not any(ch.isupper() for ch in name) or name.strip().lower() == "the event":
        return False
    if any(w[0].islower() and w not in _JOINERS for w in re.findall(r"[^\W\d_][\w'’.\-]*", _owned(name))):
        return False  # "Australian man" describes; every word of a name is capitalised
    words = entity_key(name).replace("'s ", " ").split()
    if not words or any(w.strip(".,") in _MONTHS for w in words) or any(ch.isdigit() for ch in words[0]):
        return False
    low = re.compile(r"(?<![\w.])" + re.escape(name.strip().lower()) + r"\b")
    if any(low.search(t) for t in texts):
        return False
    if len(words) > 1 or not texts:
        return True
    # one capitalised word is a name only where a sentence does not open with it
    inside = re.compile(r"[\w,;:)]\s+" + re.escape(name.strip()) + r"\b")
    return any(inside.search(t) for t in texts)


def _spelling_variants(a: str, b: str) -> bool:
    """Two spellings of one long name ("duncan rait" and "duncan raite"): one edit apart, same
    word count, no digits."""
    if len(a) < 8 or len(b) < 8 or a == b or _digits(a) or _digits(b) or len(a.split()) != len(b.split()):
        return False
    if a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


# What stands between a name and a description of it written after it: "Duncan Rait, 36, an
# Australian climber"; before it, only spaces: "Australian man Duncan Rait".
_DESCRIBED_GAP = r"\s*,\s*(?:\d+\s*,\s*)?(?:the|a|an|[\w.\-]+['’]s)\s+(?:[\w\-]+\s+){0,2}"
_DESCRIBED = re.compile(_DESCRIBED_GAP, re.I)
_SPACES = re.compile(r"\s+")


def story_owners(names: list[str], texts: list[str] | None = None) -> dict[str, str]:
    """Which owners of a story's claims are known to be which thing: name -> an identity key,
    for names the story makes a proper name or ties to one; names left out are unknown.

    Two claims whose owners have different identity keys are about different things ("Thomas"
    and "Bush", "Kimani Gray" and the sergeant named "Mario Ruiz"). Beyond
    resolve_story_entities' joins, a name is its spelling variants, its form with titles or
    descriptions before it ("Englishman Robert Buckley"), its surname or given name alone when
    one full name in the story has it, a description written right before it or in apposition
    ("Australian man Duncan Rait", "Duncan Rait, 36, an Australian climber"), and a company is its
    possession ("xAI's Colossus" ties xAI and Colossus): outlets name one owner all these ways, and
    a wrongly split owner would hide a real disagreement."""
    texts = [t for t in (texts or []) if t]
    present = sorted({n for n in names if n and entity_key(n)})
    canon = resolve_story_entities(present, texts)
    proper = {n for n in present if _is_proper(n, texts)}
    keys = sorted({entity_key(n) for n in present})
    uf = _Union(keys)
    for n in present:
        if entity_key(canon[n]) in uf.parent:
            uf.join(entity_key(n), entity_key(canon[n]))
    proper_keys = {entity_key(n) for n in proper}
    bare = {k: _bare(k) for k in keys}
    for k in keys:
        if "'s " in k and k.split("'s ", 1)[0] in uf.parent:
            uf.join(k, k.split("'s ", 1)[0])  # the possessor owns what it possesses
    pk = sorted(proper_keys)
    for i, a in enumerate(pk):
        for b in pk[i + 1:]:
            ba, bb = bare[a], bare[b]
            wa, wb = ba.split(), bb.split()
            if ba == bb or _spelling_variants(ba, bb) or \
                    (len(wa) > 1 and len(wb) > 1 and wa[0] == wb[0] and wa[-1] == wb[-1] and not _digits(ba + bb)):
                uf.join(a, b)
                continue
            short, long_ = sorted((ba, bb), key=len)
            if not (long_.endswith(" " + short) or long_.startswith(short + " ")) or _digits(short) != _digits(long_):
                continue
            # the short form names one person only when a single longer proper name has it
            holders = {uf.find(k) for k in pk if bare[k] != short and
                       (bare[k].endswith(" " + short) or bare[k].startswith(short + " "))}
            if len(holders) == 1:
                uf.join(a, b)
    if texts:
        display = {entity_key(n): n for n in present}
        described = [k for k in keys if k not in proper_keys and not _digits(k) and k != "event"]
        holding = _holding([display[k] for k in pk + described], texts)
        spots = _Spots(texts, holding)
        for d in described:
            found = None
            for p in pk:
                shared = holding[display[p]] & holding[display[d]]
                if not shared:
                    continue
                x, y = re.escape(display[p]), re.escape(display[d])
                # the pair's pattern is searched only where the text between them may fit
                if any((spots.gap(display[d], display[p], t, _SPACES) or spots.gap(display[p], display[d], t, _DESCRIBED))
                       and _pattern(rf"\b{y}\s+{x}\b|\b{x}{_DESCRIBED_GAP}{y}\b").search(texts[t])
                       for t in sorted(shared)):
                    if found is not None and uf.find(found) != uf.find(p):
                        found = None  # described as two different people: leave it unknown
                        break
                    found = p
            if found is not None:
                uf.join(found, d)
                proper_keys.add(d)
    known_roots = {uf.find(k) for k in proper_keys}
    return {n: uf.find(entity_key(n)) for n in present if uf.find(entity_key(n)) in known_roots}
