"""Where a thing the story is about is: place claims, and when two places can both be true.

A place claim is a non-numeric claim (``value_text``) with the property ``location``: the site of
a facility, campus, plant or supercomputer, read from the parse of its sentence:

* a locative verb and its place: "Colossus 1 is located in Memphis, Tennessee", "the
  supercomputer housed at SpaceX's Texas data center", a list item "Located near Memphis";
* a facility noun and its place: "a data center in Abilene, Texas", "xAI's Memphis supercomputer";
* a label: "Location: Memphis, Tennessee".

Where a person is, where something was announced, a company's base ("based in"), several sites at
once ("facilities in Texas and Florida") and another site of the company ("its second data center
in ...") are not the facility's location and give no claim. A dateline is never read (frames.py
cuts it off before parsing).

Places are compared by level: locality, region (a country's first-level subdivision) and
country. The levels of a name come from ISO 3166 (the ``pycountry`` package: countries and
their subdivisions, installed offline); a locality's region only from the text itself ("Memphis,
Tennessee"). Two places disagree only when a level both know differs: "Memphis, Tennessee"
agrees with "Tennessee" and with "Memphis", and disagrees with "Texas"; "Memphis" alone and
"Texas" are left undecided, so they agree. A name that is a country and a region, or a region of
two countries ("Georgia"), has no known level. "near X" or "outside X" (qualifier ``~``) keeps
X's region and country, not X itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["PLACE_PROPERTY", "LABELS", "PlaceMention", "facility_name", "wants_parse", "read_places", "label_places", "place_key",
           "compatible", "merge", "specificity", "with_container"]

PLACE_PROPERTY = "location"

# Verbs whose place is where their subject (or the noun they modify) stands.
_LOCATIVE = {"be", "locate", "house", "site", "situate", "build", "construct", "host", "sit", "lie", "place",
             "position", "install", "operate", "run", "establish"}
# Prepositions that give the place itself.
_AT = {"in", "at", "near", "outside", "inside", "within"}
# Nouns for one site: its place is the site's location.
_FACILITY = {"facility", "campus", "plant", "site", "factory", "supercomputer", "cluster", "datacenter",
             "center", "centre", "fab", "complex", "hub", "warehouse", "refinery", "mine", "farm",
             "station", "substation", "supercluster", "installation", "building"}
# Words that make a site another one than the story's ("its second data center", "a new campus").
_OTHER_SITE = {"second", "third", "another", "other", "new", "additional", "next", "future", "former",
               "previous", "old", "first", "planned", "proposed"}
LABELS = {"location", "located", "site", "where"}
_NEGATION = {"not", "never", "n't", "no"}
_PERSONAL = {"i", "we", "you", "he", "she", "they", "me", "us", "him", "her", "them"}
_PLAN_AUX = {"will", "would", "could", "may", "might", "shall"}

# Cheap test before a sentence is parsed: a locative word or a facility noun, and a capital past
# the sentence's first word.
_CUE = re.compile(r"\b(?:locat\w*|hous(?:ed|es|ing)|sited|situated|built|sits|lies|hosted|"
                  r"data\s*cent(?:er|re)s?|facilit(?:y|ies)|campus|plant|supercomputer|supercluster|site)\b"
                  r"|\b(?:is|are|was|were)\s+(?:in|near|outside)\s+(?-i:[A-Z])", re.I)


def wants_parse(sentence: str) -> bool:
    """Could this sentence hold a place claim? (Decides which sentences are worth parsing.)"""
    return bool(_CUE.search(sentence)) and bool(re.search(r"\s[A-Z][a-z]", sentence))


@dataclass
class PlaceMention:
    """A place given for a thing, as found in one parsed sentence."""

    value_text: str      # the place as written: "Memphis, Tennessee"
    start: int           # character offsets of the place in the parsed text
    end: int
    located: Token | None  # the thing that is there (None: the sentence does not name it)
    scope: str = ""      # "planned" for a site to be built
    qualifier: str = "="  # "~" for a place the thing is near


# ---------------------------------------------------------------- reading places from a parse

def _place_spans(doc: Doc) -> list[list[Span]]:
    """Geopolitical names, with the containers written after them ("Memphis, Tennessee")."""
    ents = [e for e in doc.ents if e.label_ == "GPE"]
    out: list[list[Span]] = []
    used: set[int] = set()
    for k, e in enumerate(ents):
        if k in used:
            continue
        path = [e]
        j = k
        while j + 1 < len(ents) and ents[j + 1].start == path[-1].end + 1 and doc[path[-1].end].text == ",":
            j += 1
            path.append(ents[j])
            used.add(j)
        out.append(path)
    return out


def _subject_of(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubjpass", "nsubj"):
            return c
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head  # "the supercomputer housed at ...", "a campus that sits in ..."
    return None


def _is_facility(tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in _FACILITY and tok.tag_ not in ("NNS", "NNPS") \
        and not any(c.lower_ in _OTHER_SITE and c.dep_ in ("amod", "advmod", "det", "compound") for c in tok.children)


def _named(tok: Token) -> bool:
    """A name the tagger may call a noun: capitalised inside the sentence, or numbered ("Colossus 1")."""
    if not tok.text[:1].isupper():
        return False
    return tok.pos_ == "PROPN" or tok.i > tok.sent.start or any(c.dep_ == "nummod" for c in tok.children)


def facility_name(noun: Token) -> Token | None:
    """The name a facility noun carries ("the Colossus 1 supercomputer", "the supercomputer,
    Colossus,"), never its place ("the Memphis supercomputer") or a measure ("a 1 GW campus")."""
    for c in noun.children:
        if c.dep_ == "appos" and _named(c) and c.ent_type_ != "GPE":
            return c
    if noun.dep_ == "appos" and _named(noun.head) and noun.head.ent_type_ != "GPE":
        return noun.head  # "Morningside Recovery, a treatment facility in Newport Beach"
    for c in noun.lefts:
        if c.dep_ in ("compound", "nmod", "amod") and _named(c) and c.ent_type_ not in ("GPE", "LOC") \
                and not (c.i > 0 and c.doc[c.i - 1].like_num):
            return c
    return None


def _planned(verb: Token) -> bool:
    chain = [verb, *list(verb.ancestors)[:3]]
    return any(c.lower_ in _PLAN_AUX and c.dep_ == "aux" for t in chain for c in t.children) \
        or any(t.lemma_.lower() in ("plan", "propose", "intend", "aim") for t in chain)


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in _NEGATION and c.dep_ in ("advmod", "neg") for c in tok.children)


def _located_by_verb(verb: Token) -> tuple[bool, Token | None]:
    """(is this a locative statement, the thing located) for a verb whose place is given."""
    lemma = verb.lemma_.lower()
    if lemma not in _LOCATIVE or _negated(verb):
        return False, None
    subj = _subject_of(verb)
    if subj is None:
        # "Located near Memphis" (a list item): the thing is named above, not here
        return verb.dep_ == "ROOT" and lemma in ("locate", "house", "site", "situate"), None
    if lemma == "be" and not (_is_facility(subj) or subj.ent_type_ in ("FAC", "PRODUCT")
                              or any(c.dep_ == "nummod" for c in subj.children)):
        return False, None  # "Musk was in Memphis": where someone or something happened to be
    if subj.lower_ in _PERSONAL or subj.ent_type_ in ("PERSON", "NORP") and subj.pos_ == "PROPN" \
            and not _is_facility(subj):
        return False, None
    if subj.ent_type_ in ("ORG", "GPE") and not _is_facility(subj) and lemma not in ("locate", "house", "site", "situate"):
        return False, None  # "xAI built ... in Memphis": the company acting, not where it is
    if subj.pos_ == "NOUN" and not _is_facility(subj) and not _named(subj):
        return False, None  # "the deal was built in Texas", "workers based in Memphis"
    if subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children):
        return False, None  # several things in one place
    if any(c.lower_ in _OTHER_SITE and c.dep_ in ("amod", "det") for c in subj.children):
        return False, None
    return True, subj


def read_places(doc: Doc) -> list[PlaceMention]:
    """Place claims of one parsed sentence (see the module docstring)."""
    out: list[PlaceMention] = []
    for path in _place_spans(doc):
        head = path[0].root
        if any(c.dep_ == "conj" for c in head.children) or head.dep_ == "conj" or _negated(head):
            continue  # "in Texas and Florida": two places
        located: Token | None = None
        found = False
        near = False
        scope_verb: Token | None = None
        if head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.lower_ in _AT:
            prep = head.head
            near = prep.lower_ in ("near", "outside")
            owner = prep.head
            if owner.pos_ in ("VERB", "AUX"):
                found, located = _located_by_verb(owner)
                scope_verb = owner
            elif _is_facility(owner):
                found, located = True, owner  # "a data center in Abilene, Texas"
        elif head.dep_ in ("compound", "nmod", "amod") and _is_facility(head.head):
            noun = head.head  # "SpaceX's Texas data center", "the Memphis supercomputer"
            found, located = True, noun
            if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ in _AT \
                    and noun.head.head.pos_ in ("VERB", "AUX"):
                # "the supercomputer housed at SpaceX's Texas data center": the place of what is housed
                ok, thing = _located_by_verb(noun.head.head)
                if ok and thing is not None:
                    located = thing
                scope_verb = noun.head.head
            elif noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("VERB", "AUX"):
                found = False  # "expanding into the Memphis plant": a thing done there
        if not found:
            continue
        if located is not None and located.lower_ in _PERSONAL:
            continue
        written = ", ".join(" ".join(s.text.split()) for s in path).strip(" ,;:")
        scope = "planned" if scope_verb is not None and _planned(scope_verb) else ""
        out.append(PlaceMention(written, path[0].start_char, path[-1].end_char, located, scope,
                                "~" if near else "="))
    return out


def label_places(doc: Doc, label: str) -> list[PlaceMention]:
    """The place that a "Location: ..." line gives (its first geopolitical name, at the start)."""
    if label.strip().lower() not in LABELS:
        return []
    for path in _place_spans(doc):
        if path[0].start <= 2:
            written = ", ".join(" ".join(s.text.split()) for s in path).strip(" ,;:")
            near = any(t.lower_ == "near" for t in doc[:path[0].start])
            return [PlaceMention(written, path[0].start_char, path[-1].end_char, None, "", "~" if near else "=")]
        break
    return []


def with_container(value: str, text: str) -> str:
    """A lone locality with the container its article writes after it elsewhere ("Memphis" in an
    article that says "Memphis, Tennessee" is "Memphis, Tennessee")."""
    if "," in value or _level(value)[0]:
        return value
    for m in re.finditer(re.escape(value) + r",\s+([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,2})", text):
        if _level(m.group(1))[0] in ("region", "country"):
            return f"{value}, {m.group(1)}"
    return value


# ---------------------------------------------------------------- comparing places

def _key(name: str) -> str:
    t = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", t.replace(".", "")))


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """ISO 3166 names: country name -> its codes; first-level subdivision name -> countries."""
    import pycountry

    countries: dict[str, set[str]] = {}
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None), c.alpha_3):
            if n:
                countries.setdefault(_key(n), set()).add(c.alpha_2)
        countries.setdefault(_key(c.alpha_2), set()).add(c.alpha_2)
    # "the United States" as news writes it: the article's word dropped by _key's caller
    regions: dict[str, set[str]] = {}
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None):
            continue
        regions.setdefault(_key(s.name), set()).add(s.country_code)
    return countries, regions


def _level(name: str) -> tuple[str, str]:
    """("country" | "region" | "", the country code) of a name; "" when unknown or ambiguous."""
    k = _key(re.sub(r"^(?:the)\s+", "", name.strip(), flags=re.I))
    countries, regions = _gazetteer()
    c, r = countries.get(k, set()), regions.get(k, set())
    if c and not r and len(c) == 1:
        return "country", next(iter(c))
    if r and not c and len(r) == 1:
        return "region", next(iter(r))
    return ("ambiguous" if c or r else ""), ""


def place_key(value: str, qualifier: str = "=") -> str:
    """A place as "locality|region|country" keys, each empty when not known ("Memphis,
    Tennessee" -> "memphis|tennessee|us"; near it, qualifier "~" -> "|tennessee|us")."""
    names = [n.strip() for n in value.split(",") if n.strip()]
    if names and not _level(names[0])[0]:
        words = names[0].split()
        for cut in range(1, len(words)):  # "Memphis Tennessee" written without its comma
            if _level(" ".join(words[cut:]))[0] in ("region", "country"):
                names[:1] = [" ".join(words[:cut]), " ".join(words[cut:])]
                break
    locality = region = country = ""
    for k, n in enumerate(names):
        level, code = _level(n)
        if level == "country":
            country = country or code.lower()
        elif level == "region":
            region = region or _key(n)
            country = country or code.lower()
        elif k == 0 and not level:
            locality = _key(n)
        elif level == "ambiguous" and k == 0:
            return f"?{_key(n)}||"  # known only as written: agrees with everything but another name
    if qualifier == "~":
        locality = ""
    return f"{locality}|{region}|{country}"


def _parts(key: str) -> list[str]:
    return (key.split("|") + ["", "", ""])[:3]


def compatible(a: str, b: str) -> bool:
    """Can two place keys both be true (no level both know differs)?"""
    if a.startswith("?") or b.startswith("?"):
        return True
    return all(not x or not y or x == y for x, y in zip(_parts(a), _parts(b), strict=True))


def merge(a: str, b: str) -> str:
    """The place both keys describe (each level from whichever knows it)."""
    if a.startswith("?"):
        return b
    if b.startswith("?"):
        return a
    return "|".join(x or y for x, y in zip(_parts(a), _parts(b), strict=True))


def specificity(key: str) -> int:
    """How many levels a key knows."""
    return 0 if key.startswith("?") else sum(1 for x in _parts(key) if x)
