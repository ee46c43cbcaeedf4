"""Numeric claims as frames: the value, what it measures, of whom, when, and how it is asserted.

`extract_claims(text)` is pure: text in, `Claim` dataclasses out. quantities.py finds the numbers
and their units; this module reads each number's frame from the dependency parse of its sentence
(parse.py), because on news nobody on the team wrote the grammar carries over where word lists
did not:

* **property**: the counted or measured noun with its modifiers and the predicate it takes part
  in ("people killed", "rushing yards", "GPUs installed", "valuation", "spend"); for a measure
  such as "300 MW" the noun it measures ("capacity of 1.2 GW", "300 MW of capacity") or the verb
  it completes ("valued at $5 billion");
* **entity**: the owner of that noun: a possessor, an "of" object, or the subject of the clause,
  climbing relative clauses and conjunctions but never into an attribution ("police said", "AFP")
  or a dateline; pronouns take the last entity named. A count that is itself the subject of an
  event ("five people were killed") belongs to the story's event;
* **time_ref**: "current", or the earlier time or event the figure is dated to ("2004 quake",
  "last season", "previous generation");
* **scope**: planned, target, cumulative, per-period, part-of, change, or "" for a plain level;
* **modality**: reported, estimated, asked, hypothetical.

Web text keeps headings, bullets and tables as lines: a bullet's label ("Power Capacity: 300 MW")
or a table row's label names the property, and the heading above names the entity when the line
does not.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from . import places
from .counts import count_chunk
from .parse import parse
from .properties import ABBREVIATIONS
from .quantities import Quantity, find_quantities, mask_non_quantities
from .sentences import BULLET, Sentence, split_sentences
from .units import count_family, dimension_of, is_count_unit

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Token

__all__ = ["Claim", "Sentence", "extract_claims", "split_sentences", "claim_to_dict"]


@dataclass
class Claim:
    """One claim. `value` is in the canonical unit named by `unit` (see units.py)."""

    value: float | None  # None for a non-numeric claim (value_text)
    unit: str
    surface: str
    qualifier: str = "="
    low: float | None = None
    high: float | None = None
    subject: str = ""
    attribute: str = ""
    sentence: str = ""
    start: int = 0
    end: int = 0
    scope: str = ""
    raw_value: float | None = None
    raw_unit: str = ""
    # The frame (CONTRACT.md, claims): what is measured, of whom, when, how it is asserted.
    property: str = ""          # what is measured, in words: "people killed", "GPUs installed"
    entity: str = ""            # whom it is about, as named in the article
    time_ref: str = "current"   # "current" or the earlier time/event it refers to
    modality: str = "reported"  # reported | estimated | asked | hypothetical
    value_text: str | None = None  # a non-numeric value (a place, a partner)


def claim_to_dict(claim: Claim) -> dict:
    return asdict(claim)


# ---------------------------------------------------------------- the few words the grammar needs

# Verbs that carry no meaning of their own for what is measured ("has 220,000 GPUs").
_LIGHT_VERBS = {"be", "have", "include", "total", "number", "reach", "stand", "hit", "see", "get",
                "become", "remain", "contain", "feature", "boast", "comprise", "say", "put", "bring",
                "make", "give", "count", "top", "exceed", "surpass", "represent", "constitute"}
# Verbs that move a measured thing about ("260MW of capacity will go to", "take 500MW of power"):
# with a noun to name what is measured they add nothing; the noun alone is the property.
_HANDOVER_VERBS = {"go", "come", "take", "offer", "provide", "raise", "receive", "allocate", "dedicate",
                   "deliver", "supply", "secure", "obtain", "earmark", "assign", "reserve"}
# Verbs that attribute a statement to a speaker: their subject is a source, never an owner.
_ATTRIBUTION = {"say", "tell", "report", "announce", "state", "add", "confirm", "claim", "according",
                "note", "explain", "write", "estimate", "believe", "think", "show", "reveal",
                "indicate", "suggest", "disclose", "told"}
_CHANGE_VERBS = {"rise", "fall", "increase", "decrease", "drop", "climb", "grow", "decline", "jump",
                 "gain", "lose", "slip", "soar", "plunge", "surge", "slide", "sink", "tumble", "rally",
                 "cut", "raise", "boost", "reduce", "lower", "shed", "add", "expand", "shrink"}
_ASK_VERBS = {"ask", "seek", "demand", "request", "want", "propose", "bid", "sue", "claim"}
_ESTIMATE = {"estimate", "estimated", "approximately", "roughly", "about", "around", "some", "nearly",
             "almost", "believe", "expect", "project", "forecast", "projected", "expected"}
_PLAN = {"plan", "aim", "intend", "expect", "schedule", "set", "slate", "propose", "hope", "seek",
         "want", "target", "eventually", "future", "planned", "proposed", "due"}
_TARGET = {"target", "goal", "aim", "ambition", "objective"}
_CUMULATIVE = {"total", "so far", "to date", "in total", "altogether", "cumulative", "overall",
               "since"}
_PERIOD = {"year", "annum", "month", "week", "day", "quarter", "season", "game", "hour", "night",
           "annually", "yearly", "monthly", "weekly", "daily", "quarterly", "per"}
_PART = {"portion", "part", "share", "component", "remainder", "rest", "balance", "phase",
         "tranche", "installment", "first", "remaining", "additional", "another", "further",
         "initial", "including"}
_EARLIER = {"previous", "prior", "earlier", "last", "past", "preceding", "predecessor",
            "ago", "before", "original", "old"}
# Adjectives that qualify the number, not what is counted ("more than 5 other people").
_QUANT_WORDS = {"more", "less", "fewer", "other", "least", "most", "many", "several", "some",
                "new", "additional", "about", "nearly", "almost", "over", "under", "than", "only",
                "just", "roughly", "approximately", "around", "up", "to", "total", "estimated",
                "another", "first", "remaining", "further", "such", "same", "all", "each"}
_PRONOUNS = {"it", "its", "they", "their", "them", "he", "his", "she", "her", "this", "that", "what", "old",
             "which", "who", "whom", "whose", "these", "those", "we", "our", "i", "you"}
# Nouns that describe a thing named earlier ("the site", "the company"): they refer back.
_DESCRIPTIONS = {"site", "facility", "campus", "company", "firm", "plant", "cluster", "supercomputer",
                 "center", "centre", "system", "project", "town", "city", "substation", "startup",
                 "group", "business", "operator", "developer", "machine", "datacenter", "chip", "accelerator",
                 "processor"}
# Auxiliaries of what will or would be, not what happened.
_FUTURE_AUX = {"will", "would", "'ll", "shall"}
# Nouns that name a figure itself ("the headline number", "the final tally"), never its owner.
_FIGURE_NOUNS = {"number", "numbers", "figure", "figures", "tally", "total", "amount", "sum", "count"}
# Nouns that name an amount of something rather than a thing ("a 615-megawatt load", "a $12
# billion valuation"): a figure before one measures it, and the thing it is of owns the figure.
_MEASURE_NOUNS = {"load", "capacity", "demand", "draw", "footprint", "output", "consumption", "usage",
                  "valuation"}
_NOT_ENTITY_ENTS = {"DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "PERCENT", "ORDINAL"}
_EVENT_PREPS = {"in", "during", "at", "from", "after", "since"}
_DATELINE = re.compile(
    r"^\s*(?:(?:[A-Z][A-Za-z.]*\s*){0,4},?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s*)?\((?:[A-Z][\w .&\-]{1,30})\)"
    r"|[A-Z][A-Z .,'\-]{2,40}(?:,\s*[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+\.?)?\s*)?(?:\([A-Za-z .&\-]{2,30}\))?)"
    r"\s*[-–—:]+\s*")  # "MANILA (Reuters) -", "MEMPHIS, Tenn. —", "NEW ALBANY, Ohio --"
_REFERENCE = re.compile(r"(?<=\w)\[\d{1,3}\]")
_LABEL = re.compile(r"\s*(?:[-•*·▪◦–—]\s*)?([A-Z][A-Za-z0-9 &/\-’']{1,40}?):\s")
_DIMENSION_WORDS = {"power": "power", "energy": "energy", "information": "size", "length": "length",
                    "area": "area", "mass": "weight", "time": "duration", "ratio": "share",
                    "temperature": "temperature", "speed": "speed", "volume": "volume"}


@dataclass
class Frame:
    property: str = ""
    entity: str = ""
    time_ref: str = "current"
    scope: str = ""
    modality: str = "reported"
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- reading one number's frame

def _words(tokens: list[Token]) -> str:
    return " ".join(t.text for t in sorted(tokens, key=lambda t: t.i))


def _noun_modifiers(noun: Token, skip: set[int]) -> list[Token]:
    """Compound nouns and adjectives that say *what* is counted ("rushing yards", "permanent staff")."""
    out = []
    for c in noun.lefts:
        if c.i in skip or c.like_num or c.ent_type_ in _NOT_ENTITY_ENTS:
            continue
        if c.dep_ in ("compound", "amod", "nmod") and c.pos_ in ("NOUN", "ADJ", "VERB") \
                and c.lower_ not in _QUANT_WORDS and c.lower_ not in _EARLIER:
            out.append(c)
    return out


def _entity_text(tok: Token, skip: set[int] = frozenset()) -> str:
    """The name a token stands for: its compound and numbered parts ("Colossus 1", "Fort Worth"),
    not the ``skip`` tokens (the figure's own, "MW" in "xAI's 300 MW Colossus campus")."""
    parts = [tok]
    for c in tok.lefts:
        if c.i in skip or c.like_num or c.ent_type_ in _NOT_ENTITY_ENTS or _descriptor(c) \
                or any(x.like_num for x in c.subtree) or c.i > 0 and c.doc[c.i - 1].like_num:
            continue  # a figure or a kind before a name is no part of it ("the 240MW WLM-2 campus",
            # "the 300 MW Colossus campus", whose "MW" carries its number)
        if c.dep_ in ("compound", "nmod", "poss") and c.pos_ == "PROPN" or c.dep_ == "compound" and c.pos_ == "NOUN":
            parts.extend(x for x in c.subtree if x.dep_ not in ("case", "punct", "det"))
        elif c.dep_ == "amod" and c.pos_ == "PROPN":
            parts.append(c)
    for c in tok.rights:
        if c.dep_ in ("nummod", "compound", "appos") and (c.like_num or c.pos_ == "PROPN") and c.i == tok.i + 1:
            parts.append(c)
    parts = sorted(set(parts), key=lambda t: t.i)
    # a contiguous run around the head only
    idx = [t.i for t in parts]
    run = [tok]
    for t in reversed([p for p in parts if p.i < tok.i]):
        if t.i == run[0].i - 1 or t.i == run[0].i - 2 and tok.doc[t.i + 1].dep_ == "case":
            run.insert(0, t)
    for t in [p for p in parts if p.i > tok.i]:
        if t.i == run[-1].i + 1:
            run.append(t)
    del idx
    if tok.pos_ == "PROPN":  # "running back Jamaal Charles" -> "Jamaal Charles"
        while len(run) > 1 and run[0].pos_ not in ("PROPN", "NUM") and run[0].dep_ != "case":
            run.pop(0)
        for k in range(len(run) - 1, -1, -1):
            if run[k].pos_ == "NOUN" and run[k].i < tok.i:
                run = run[k + 1:]
                break
    text = tok.doc[run[0].i:run[-1].i + 1].text
    return text.strip(" ,.;:\"'“”’")


def _proper_in(noun: Token, skip: set[int] = frozenset()) -> Token | None:
    """A proper-noun modifier of a common noun ("the Colossus 1 supercomputer" -> Colossus), not
    one of the ``skip`` tokens (the figure's own, "GW" in "a 1.8 GW campus")."""
    for c in noun.lefts:
        if c.pos_ == "PROPN" and c.dep_ in ("compound", "nmod", "amod") and c.ent_type_ not in _NOT_ENTITY_ENTS \
                and c.i not in skip and not _descriptor(c) and (c.ent_type_ or any(ch.isupper() for ch in c.text)):
            return c  # not a lower-case word the tagger took for a name ("the site's onsite substation")
    return None


def _descriptor(tok: Token) -> bool:
    """Is a capitalised modifier a kind of thing rather than a name: a short acronym the parser
    knows as no entity ("an AI campus", "IT capacity", "a GPU cluster")? Outlets write it before
    the nouns of many different things, so it owns none of their figures."""
    return not tok.ent_type_ and tok.text.isalpha() and tok.text.isupper() and len(tok.text) <= 4


def _abbreviation(tok: Token) -> bool:
    """Is the token an abbreviation of a measured quantity (properties.ABBREVIATIONS: "Capex",
    "EBITDA")? The tagger takes it for a name when it is capitalised; it names what is measured."""
    return tok.lower_ in ABBREVIATIONS


def _is_name(tok: Token) -> bool:
    if _abbreviation(tok):
        return False
    if tok.text[:1].isupper() and any(c.dep_ == "nummod" and c.i == tok.i + 1 for c in tok.children):
        return True  # a numbered name the tagger took for a noun ("Colossus 1")
    if not any(ch.isupper() for ch in tok.text) and not tok.ent_type_:
        return False  # a lower-case word the tagger took for a name ("this closed-loop workflow")
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("ORG", "PERSON", "GPE", "FAC", "PRODUCT", "NORP", "LOC",
                                                    "EVENT", "WORK_OF_ART")


def _clause_verb(tok: Token) -> Token | None:
    """The verb whose clause holds `tok` (through prepositions and noun heads)."""
    t = tok
    while t.head.i != t.i:
        if t.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "agent", "dative", "npadvmod", "acomp") \
                and t.head.pos_ in ("VERB", "AUX"):
            return t.head
        if t.dep_ == "pobj" and t.head.dep_ in ("prep", "agent") and t.head.head.pos_ in ("VERB", "AUX"):
            return t.head.head
        if t.pos_ in ("VERB", "AUX"):
            return t
        t = t.head
    return t if t.pos_ in ("VERB", "AUX") else None


def _subject(verb: Token) -> tuple[Token | None, Token]:
    """The subject of `verb`'s clause, climbing conjunctions, xcomp and relative clauses; the
    verb it was found on."""
    v = verb
    for _ in range(6):
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl"):
                if c.lower_ in ("which", "who", "that") and v.dep_ == "relcl":
                    return v.head, v
                return c, v
        if v.dep_ in ("conj", "xcomp", "advcl", "acl", "pcomp") and v.head.i != v.i:
            if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN") and v.head.pos_ == "PROPN":
                return v.head, v
            if v.dep_ == "acl":
                v = v.head
                nxt = _clause_verb(v)
                if nxt is None or nxt == v:
                    return None, verb
                v = nxt
                continue
            v = v.head
            continue
        break
    return None, verb


# Verbs that give their subject a level: "the toll stood at 12", "the PUE hovers around 1.1".
_LEVEL_VERBS = {"be", "stand", "hover", "sit", "remain", "stay", "come", "amount", "run", "reach", "total",
                "hit", "top", "rise", "climb", "grow", "jump", "fall", "drop", "increase", "decrease"}
_LEVEL_PREPS = {"at", "to", "around", "near", "about"}


def _level_subject(anchor: Token, relative: bool = False) -> Token | None:
    """The subject a figure gives the level of, when that subject is the quantity itself ("the
    cost was $2 million", "the PUE hovers at 1.12", "the death toll rose to 12"), or, for a
    ``relative`` figure (a percentage), the change of ("Kiteline's shares fell 7.4%", "H100
    prices have fallen 40 percent": the shares and the prices are what moved, and whose they
    are is their possessor): a common noun, or a bare acronym that is no entity the parser
    knows, never a name, a pronoun or a description of a thing ("the campus reached 300 MW" is
    the campus's figure)."""
    verb = anchor.head
    dep = anchor.dep_
    if dep == "appos" and anchor.head.dep_ in ("attr", "acomp") and anchor.head.head.lemma_ == "be" \
            and _after_colon(anchor):
        # "the capex number is absolutely bonkers: $24.1 billion": after the colon, the figure
        # the copula's subject is
        verb, dep = anchor.head.head, "attr"
    elif dep == "appos" and anchor.head.dep_ == "nsubj" and anchor.head.head.lemma_ == "be" and _after_colon(anchor):
        verb, dep = anchor.head.head, "attr"  # the parse hung the figure on that subject itself
    elif dep == "pobj" and anchor.head.lower_ in _LEVEL_PREPS and anchor.head.dep_ == "prep":
        verb = anchor.head.head
    elif relative and dep == "npadvmod" and verb.lemma_.lower() in _CHANGE_VERBS:
        pass
    elif dep not in ("attr", "acomp", "dobj"):
        return None
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in _LEVEL_VERBS | (_CHANGE_VERBS if relative else set()) \
            or dep == "dobj" and verb.lemma_.lower() not in ("reach", "total", "hit", "top"):
        return None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lower_ in _PRONOUNS or subj.lemma_.lower() in _DESCRIPTIONS:
        return None
    if subj.lemma_.lower() in _FIGURE_NOUNS | {"line"}:
        # "the capex number", "the revenue line": the figure's name is the word before
        subj = next((c for c in subj.children if c.dep_ == "compound" and c.i == subj.i - 1), subj)
    if (subj.pos_ == "NOUN" or _abbreviation(subj)) and subj.ent_type_ in ("", *_NOT_ENTITY_ENTS):
        return subj
    return None


def _after_colon(anchor: Token) -> bool:
    """Does the figure follow a colon (its own first token right after it)?"""
    first = min(t.i for t in anchor.subtree)
    return first > 0 and anchor.doc[first - 1].text == ":"


# "in total", "in all", "in return": idioms after an amount that say how it is counted or given,
# not what it is
_IN_IDIOMS = {"total", "all", "exchange", "return", "addition", "part", "advance", "full", "turn", "kind"}


def _in_what(toks: list[Token]) -> Token | None:
    """The bare noun an amount is "in" ("generated $3.1 billion in sales", "$40 million in
    damages"): what the money is, not when or where it is ("$2 billion in the quarter", "in
    Texas", "in 2025"), nor an idiom ("$6 billion in total")."""
    last = toks[-1]
    nxt = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
    if nxt is None or nxt.lower_ != "in" or nxt.dep_ != "prep" or nxt.head.i not in {t.i for t in toks}:
        return None
    noun = next((c for c in nxt.children if c.dep_ == "pobj"), None)
    if noun is None or noun.pos_ != "NOUN" or noun.i != nxt.i + 1 or noun.ent_type_ or \
            noun.lemma_.lower() in _PERIOD or noun.lower_ in _IN_IDIOMS or any(c.dep_ in ("det", "poss", "nummod") for c in noun.children):
        return None
    return noun


def _no_owner(tok: Token) -> bool:
    """A number, a date, a time or an amount owns no figure: "29 of 34 passes for 364 yards", "on
    March 13", "a campus on 1,100 acres that could use 1.2 gigawatts" (the parse hangs the
    clause on the acres; an amount is measured, it has no figures of its own)."""
    return tok.like_num or tok.pos_ == "NUM" or tok.ent_type_ in _NOT_ENTITY_ENTS


def _owner(noun: Token, exclude: set[int]) -> Token | None:
    """The possessor or "of" object of a measured noun ("xAI's Colossus", "the valuation of X")."""
    for c in noun.children:
        if c.dep_ == "poss" and c.i not in exclude:
            return c
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in ("of", "for", "at") :
            for p in c.children:
                if p.dep_ == "pobj" and p.i not in exclude and (_is_name(p) or _proper_in(p)):
                    return p
    return None


def _governing_verbs(verb: Token | None) -> list[Token]:
    """`verb` and the verbs whose clauses it sits in ("In 2004 a quake triggered a tsunami that
    killed 170,000", "Last season, he guided them to an 18-30 record"): a time said once at the
    head of a sentence dates the figures of its subordinate clauses too."""
    out: list[Token] = []
    v = verb
    while v is not None and v not in out and len(out) < 5:
        out.append(v)
        if v.dep_ not in ("relcl", "advcl", "xcomp", "conj", "acl", "pcomp") or v.head.i == v.i:
            break
        up = v.head
        v = up if up.pos_ in ("VERB", "AUX") else _clause_verb(up)
    return out


def _time_ref(tokens: list[Token], skip: set[int] = frozenset()) -> str:
    """An earlier time or event a figure is dated to, from the words attached to its noun and verb.
    The figure's own words (`skip`) date nothing: the "old" of "a 36-year-old man" is an age. A
    phrase that holds another figure dates that figure: in "rose to $5.1bn from $3.9bn a year
    earlier" the year earlier is the $3.9bn's, which it gets from its own preposition."""
    own_preps = [t.head for t in tokens if t is not None and t.dep_ == "pobj" and t.head.dep_ == "prep"
                 and (t.i in skip or not skip)]
    done = [t for t in tokens if t is not None and (t.i in skip or t.pos_ in ("PROPN", "NUM")
                                                    or t.ent_type_ in _NOT_ENTITY_ENTS)]
    for t in [*tokens, *own_preps, *(c for n in done for c in n.children if _object_gap(c, skip))]:
        if t is None:
            continue
        for c in t.children:
            if _at_the_time(c):
                return "at the time"  # an idiom of time alone, wherever the parse hangs the figure
            if skip and any(x.i in skip for x in c.subtree):
                continue
            if any(x.dep_ == "pobj" and any(w.like_num and w.ent_type_ not in ("DATE", "TIME") for w in x.subtree)
                   for x in c.children):
                continue  # "from $3.9bn a year earlier", "from 17.1% a year earlier": another figure's
            if c.lower_ in _EARLIER and c.dep_ in ("amod", "advmod", "npadvmod"):
                return _entity_text(t) if t.pos_ == "NOUN" else c.text.lower()
            if any(x.lower_ in ("double", "triple", "twice", "half", "than") for x in c.subtree):
                continue  # "double last year's total" compares, it does not date the figure
            if c.ent_type_ == "DATE" and c.dep_ in ("npadvmod", "nmod", "compound", "amod") or c.dep_ == "prep" \
                    and c.lower_ in ("in", "during", "on", "for", "at", "since", "from") \
                    and any(x.ent_type_ == "DATE" for x in c.children):
                span = [x for x in c.subtree]
                words = " ".join(x.text for x in span)
                if re.search(r"\b(?:19|20)\d{2}\b", words) and not re.search(r"\b(?:today|this|now)\b", words) \
                        or any(x.lower_ in _EARLIER for x in span):
                    return words if c.dep_ != "prep" else " ".join(x.text for x in span[1:])
            if c.dep_ == "nummod" and re.fullmatch(r"(?:19|20)\d{2}", c.text) or c.dep_ in ("compound", "nmod") \
                    and re.fullmatch(r"(?:19|20)\d{2}", c.text):
                return f"{c.text} {t.text}"
    return "current"


def _at_the_time(prep: Token) -> bool:
    """ "at the time" alone, the idiom for back then ("estimated at the time to be worth $10.6m a
    year"); "at the time of writing" or "at the same time" say something else."""
    if prep.dep_ != "prep" or prep.lower_ != "at":
        return False
    obj = next((o for o in prep.children if o.dep_ == "pobj"), None)
    return obj is not None and obj.lower_ == "time" \
        and [c.lower_ for c in obj.children if c.dep_ not in ("relcl", "acl")] == ["the"]


def _object_gap(clause: Token, figure: set[int]) -> bool:
    """Is a clause on a figure a past deed done to it, by a subject of its own ("the $1.1
    billion Halden invested in 2023", "the 500 MW it built last year")? Then the clause's time is
    the figure's: the amount is what was invested then. A clause whose subject is the thing
    itself ("the campus, which opened in 2019") or that describes it ("a campus announced in
    2025") tells when something happened to the thing, not which figure it had."""
    if clause.dep_ not in ("relcl", "acl") or clause.tag_ not in ("VBD", "VBN"):
        return False
    name = clause.head
    if clause.dep_ == "acl" and name.pos_ == "PROPN" and clause.i == name.i + 1 \
            and any(c.dep_ == "nummod" and c.i in figure for c in name.children):
        return True  # the parse read "the $1.1 billion Halden invested" as a name the figure sizes
    if not (name.i in figure or name.like_num or name.pos_ == "NUM" or name.ent_type_ in _NOT_ENTITY_ENTS):
        return False  # "the 300 MW campus Microsoft leased in 2024": the campus was leased then
    subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    return subj is not None and subj.lower_ not in ("which", "that", "who") \
        and not any(c.dep_ == "nsubjpass" or c.dep_ == "dobj" and c.lower_ not in ("that", "which")
                    for c in clause.children)


# Words that place a clause after or before another happening ("after the sale", "once the deal
# completes", "before agreeing to the sale"): the closed class of English temporal connectives.
_AFTER = {"after", "following", "upon"}
_BEFORE = {"before", "until", "prior"}
# Verbs that give what an owner has or keeps ("will run 46,000 GPUs", "had 65,200 GPUs", "employ
# 7,800 people"): a level on either side of a happening. A deed ("raised its estimate to 1.8GW",
# "agreed to pay $8.6bn" after the review or the talks) is the figure the happening led to.
_HOLDING = {"have", "run", "operate", "own", "hold", "employ", "keep", "retain", "leave", "control", "house",
            "field", "be", "remain", "stay", "stand", "total", "number", "count", "host", "support"}


def _event_time(verbs: list[Token]) -> str:
    """The time of a level said to be after or before a happening the story has named, or during
    a phase of one ("After the sale, Kiteline will run 46,000 GPUs", "had 65,200 GPUs before
    agreeing to the sale", "employ 7,800 people during construction"): the owner's stock or staff
    on either side of the story's event is not the event's own figure. A clause saying what
    happened first ("now has 72,000 GPUs after a second hall was commissioned", "agreeing to pay
    $8.6bn after a rival emerged") tells why a figure is new, and one saying when a plan is done
    ("will draw 865 MW once all six buildings are finished") is the plan's own time: neither is
    another time, and neither is a deed the happening led to ("Following the review, Acme raised
    its estimate to 1.8GW": the revised figure, which must meet the earlier one): only a verb of
    holding (`_HOLDING`) gives a level. "" when none is said. Dates are `_time_ref`'s."""
    if not verbs or verbs[0].lemma_.lower() not in _HOLDING:
        return ""
    for v in verbs:
        for c in v.children:
            word = c.lower_
            if c.dep_ == "advcl" and c.pos_ == "VERB" and word != "following":
                # "now has 72,000 GPUs after a second hall was commissioned": why it is now; "will
                # draw 865 MW once all six buildings are finished": the plan's own completion
                continue
            if c.dep_ not in ("prep", "advcl") or word not in _AFTER | _BEFORE | {"during"}:
                continue
            obj = next((o for o in c.children if o.dep_ in ("pobj", "pcomp", "dobj")), None)
            if obj is None or obj.ent_type_ in ("DATE", "TIME") or any(x.like_num for x in obj.subtree):
                continue  # "after 2027", "before March 13": a date, not a happening
            if word != "during" and obj.pos_ == "NOUN" and not any(d.dep_ in ("det", "poss") and d.lower_ not in ("a", "an")
                                              for d in obj.children):
                continue  # "after a rival suitor emerged", "after months of talks": not the story's happening
            if word == "during":
                return f"during {obj.lemma_.lower()}" if obj.pos_ == "NOUN" else ""
            return "after the event" if word in _AFTER else "before the event"
    return ""


_TALKS = {"talk", "discussion", "negotiation", "negotiate", "discuss"}


def _sought(chain: list[Token]) -> bool:
    """A figure applied for or under negotiation is asked for, not had: "applied for a $1bn loan",
    "in talks with banks about raising as much as $2.5bn"."""
    for v in chain:
        if v.lemma_.lower() == "apply" and any(c.lower_ == "for" for c in v.children):
            return True
        t = v
        for _ in range(3):  # "talks ... about raising", "negotiating to buy"
            if t.lemma_.lower() in _TALKS:
                return True
            if t.head.i == t.i:
                break
            t = t.head
    return False


def _of_a_part(chain: list[Token], anchor: Token) -> bool:
    """The clause is about a part named by its whole ("refit four of the nine rooms, giving them
    90 MW", "two of the five units will supply 400 MW"): the figure is that part's."""
    own = {t.i for t in anchor.subtree}
    for v in chain[:2]:
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.like_num and c.i not in own and anchor not in c.subtree \
                    and any(p.dep_ == "prep" and p.lower_ == "of" and any(
                        w.dep_ == "pobj" and (w.lower_ in ("the", "its", "their") or any(
                            d.dep_ in ("det", "poss") for d in w.children)) for w in p.children) for p in c.children):
                return True
    return False


# Nouns that name a part of a whole as the subject of its own clause ("the first phase will see
# two buildings"): what that clause counts is the part's
_PART_NOUNS = {"phase", "stage", "tranche", "portion", "part", "remainder", "rest", "balance", "installment"}


def _part_subject(chain: list[Token], prop_noun: Token | None) -> bool:
    """Is the figure's counted noun said of a part: it stands in apposition to a part ("the first
    phase, two buildings with 300 MW") or is what a clause whose subject is a part has ("the
    first phase will see two buildings")? Then it is the part's count, not the whole's."""
    heads = [prop_noun.head] if prop_noun is not None and prop_noun.dep_ == "appos" else []
    heads += [c for v in chain[:2] for c in v.children if c.dep_ in ("nsubj", "nsubjpass")
              and (prop_noun is None or prop_noun not in c.subtree)]  # not "the rest of the 13-hall campus"
    return any(h.lemma_.lower() in _PART_NOUNS or h.pos_ == "NOUN" and any(
        c.lower_ in _PART and c.dep_ in ("amod", "advmod", "compound") for c in h.children) for h in heads)


def _sizes(noun: Token) -> bool:
    """Is a counted noun joined to the thing it sizes ("the 13-hall campus", "a 12-building
    complex")? The count is that thing's, whatever the clause says the thing does."""
    return noun.dep_ in ("compound", "amod") and noun.head.i > noun.i and noun.head.pos_ in ("NOUN", "PROPN")


def _stock(noun: Token) -> bool:
    """Does a counted noun give how many of it its owner has, whatever its clause does with
    them? So it does with a possessor ("the campus's nine halls are never all shut down",
    "Lumenstack's 13 data centers are leased"), joined to the thing it sizes (`_sizes`) and as
    where other things are ("rents out GPUs across 14 data centers"): the verb is not what the
    count measures."""
    if any(c.dep_ == "poss" for c in noun.children) or _sizes(noun):
        return True
    return noun.dep_ == "pobj" and noun.head.lower_ in ("across", "among", "throughout")


def _scope_and_modality(span_toks: list[Token], anchor: Token, verb: Token | None, q: Quantity,
                        prop_noun: Token | None) -> tuple[str, str]:
    chain: list[Token] = []
    v = verb
    while v is not None and len(chain) < 6:
        chain.append(v)
        if v.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("as", "because", "since") for c in v.children) \
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
            break  # "will require liquid cooling, as the chip is rated at 1,400W": a reason keeps its own tense
        if v.dep_ in ("xcomp", "conj", "ccomp", "advcl", "relcl", "acl", "pcomp") and v.head.i != v.i:
            v = v.head
        else:
            break
    own_chain = chain[:next((k + 1 for k, t in enumerate(chain) if t.dep_ == "conj"), len(chain))]
    lemmas = {t.lemma_.lower() for t in own_chain}
    aux = {c.lower_ for t in own_chain for c in t.children if c.dep_ in ("aux", "auxpass") or c.tag_ == "MD"}
    sent_words = {t.lower_ for t in anchor.sent}
    near = {t.lower_ for t in anchor.subtree} | {c.lower_ for c in anchor.head.children}
    # modality
    modality = "reported"
    marks = {c.lower_ for t in chain for c in t.children if c.dep_ == "mark"}
    said = _asserting_chain(own_chain)
    if marks & {"if", "unless"} or ("would" in aux and "have" in aux) \
            or aux & _MAY and _conditioned(own_chain, anchor) or _negated(said) and not _subject_figure(anchor, prop_noun):
        modality = "hypothetical"
    elif {t.lemma_.lower() for t in said} & _ASK_VERBS or _sought(said):
        modality = "asked"
    elif lemmas & {"estimate", "believe", "project", "forecast"} or "estimated" in near or q.qualifier == "~":
        modality = "estimated"
    # scope
    if any(t.tag_ in ("JJR", "RBR") and t.i > anchor.i
           for t in (anchor.head, *(anchor.children if anchor.like_num else ()))):
        return "change", modality  # a difference: "four years older", "13 more than Buford"
    preps = {anchor.head.lower_} if anchor.dep_ == "pobj" else set()
    if q.qualifier in ("up", "down") or "by" in preps and lemmas & _CHANGE_VERBS \
            or lemmas & _CHANGE_VERBS and anchor.dep_ in ("dobj", "npadvmod") and q.unit in ("%", "pp", "bp"):
        return "change", modality
    if (prop_noun is not None and {c.lower_ for c in prop_noun.children} & _TARGET) or lemmas & _TARGET \
            or prop_noun is not None and prop_noun.lemma_ in _TARGET:
        return "target", modality
    after = [t for t in anchor.doc[span_toks[-1].i + 1: span_toks[-1].i + 7]]
    if len(after) > 2 and after[0].lower_ == "of":
        after = after[2:]  # "2 million gallons of water a day"
    after_words = " ".join(t.lower_ for t in after)
    if re.match(r"(?:a|per|each|every|an)\s+(?:year|annum|month|week|day|quarter|season|game|hour|night)\b"
                r"(?!\s+(?:ago|earlier|before|later|prior)\b)", after_words) or after and after[0].lower_ in _PERIOD and after[0].lower_.endswith("ly") \
            or q.has_currency and _period_modifies(anchor, chain, prop_noun):
        return "per-period", modality
    left = {t.lower_ for t in anchor.subtree if t.i < span_toks[0].i} | {t.lower_ for t in anchor.ancestors
                                                                         if t.dep_ == "prep"}
    if left & _PART or _of_a_part(chain, anchor) or q.is_count and _part_subject(chain, prop_noun) \
            or any(c.lower_ in _PART and c.i < anchor.i
                           for t in ([prop_noun] if prop_noun is not None else []) for c in t.children):
        return "part-of", modality
    if ("will" in aux or "would" in aux or "could" in aux or "may" in aux or lemmas & _PLAN
            or sent_words & {"planned", "proposed"} and near & {"planned", "proposed"}) and modality != "hypothetical":
        return "planned", modality
    text_after = anchor.doc[span_toks[-1].i + 1:].text.lower()[:40]
    summed = {t.lower_ for t in (*anchor.subtree, *anchor.head.children)  # not "a third of the total"
              if not (t.dep_ == "pobj" and t.head.lower_ == "of")}
    if summed & {"total", "cumulative", "altogether"} and q.has_currency \
            or re.match(r"\s*(?:so far|to date|in total)\b", text_after) or _totalled(prop_noun, own_chain[:1], span_toks):
        return "cumulative", modality
    return "", modality


_MAY = {"could", "would", "might"}
# What sets up a condition: the mark of an "if" clause, or a participle that supposes ("assuming
# 90 percent utilization", "supposing", "provided").
_CONDITIONS = {"if", "unless", "assuming", "supposing", "provided", "providing"}


def _asserting_chain(chain: list[Token]) -> list[Token]:
    """The verbs that assert, ask for or deny a figure: its own clause and the clauses it
    completes ("voted to ask Marlowe to repay $23m", "faces a demand to repay $23m"), up to an
    adverbial or relative clause, whose verb is another statement ("voted to seek the money after
    an audit found 87 people": the audit's finding is not what was sought)."""
    return chain[:next((k + 1 for k, t in enumerate(chain) if t.dep_ in ("advcl", "relcl")), len(chain))]


def _negated(chain: list[Token]) -> bool:
    """Does a negation govern the figure's own verb or a verb it completes ("they're not going
    to employ a thousand people"; `_subject_figure` tells a denial of what a subject does)? A denied figure asserts no value of anything. A statement
    about the clause is not a denial of it ("did not say when the 13-hall campus would open")."""
    own = chain[:next((k + 1 for k, t in enumerate(chain) if t.dep_ != "xcomp"), len(chain))]
    return any(c.dep_ == "neg" for t in own if t.pos_ in ("VERB", "AUX") for c in t.children)


def _subject_figure(anchor: Token, noun: Token | None) -> bool:
    """Is the figure (or the noun it counts) its clause's subject? What is denied of a subject is
    what it does ("the campus's nine halls are never all shut down"), not how many there are."""
    return any(t is not None and t.dep_ in ("nsubj", "nsubjpass") for t in (anchor, noun))


def _conditioned(chain: list[Token], anchor: Token) -> bool:
    """Is a clause with "could", "would" or "might" under a condition outside the figure ("could
    eventually hold 40,000 GPUs if it is built out to 200 MW", "assuming 90 percent utilization,
    those GPUs would bring in $290m")? The figure is what would be, not what is or is planned.
    A condition counts when its clause hangs from the figure's own verbs, however deep the
    parse puts it."""
    own = {t.i for t in anchor.subtree}
    verbs = {t.i for t in chain}
    for t in anchor.sent:
        if t.lower_ not in _CONDITIONS or t.i in own or not (t.dep_ == "mark" or t.pos_ == "VERB"):
            continue
        h = t
        for _ in range(8):
            if h.i in verbs:
                return True
            if h.head.i == h.i:
                break
            h = h.head
    return False


_QUARTER = {"quarter", "quarters", "quarterly", "q1", "q2", "q3", "q4"}
_TOTAL_WORDS = {"total", "cumulative", "combined", "aggregate", "overall"}


def _totalled(prop_noun: Token | None, verbs: list[Token], span_toks: list[Token]) -> bool:
    """Is the figure a sum of many: its property says so ("total funding", "combined capacity")
    or the verb it completes is qualified by "in total", "to date", "so far" anywhere in its
    clause ("has raised $9.8bn in GPU-backed debt in total")? A figure inside another phrase of the
    clause ("after facilities of $1.9bn") is not what the words sum up."""
    if prop_noun is not None and (prop_noun.lower_ == "total" or any(
            c.lower_ in _TOTAL_WORDS and c.dep_ in ("amod", "compound", "nmod") for c in prop_noun.children)):
        return True  # "bringing its total to $9.8 billion", "total funding", "combined capacity"
    span = {t.i for t in span_toks}
    for v in verbs:
        if not any(t.head == v or t.head.head == v and t.head.dep_ == "prep" for t in span_toks):
            continue  # "after facilities of $1.9bn": a figure inside another phrase of the clause
        for c in v.children:
            words = {w.lower_ for w in c.children}
            if span & {t.i for t in c.subtree}:
                continue
            if c.dep_ == "prep" and (c.lower_ == "in" and "total" in words or c.lower_ == "to" and "date" in words) \
                    or c.dep_ == "advmod" and (c.lower_ in ("altogether", "cumulatively") or c.lower_ == "far" and "so" in words):
                return True
    return False


# A reporting period named by its end: "the period ended Sept. 30", "the three months to
# September", "the nine months ending June 30".
_PERIOD_END = re.compile(
    r"\s+(?:ended|ending|to|through|thru)\s+(?:(?:the\s+)?end\s+of\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:\s|,|$)", re.I)
_PERIOD_NOUNS = {"period", "month", "week", "half", "year", "quarter"}


def _fiscal_period(w: Token) -> bool:
    """Is the word a reporting period named by the date it ends ("in the period ended Sept. 30",
    "in the three months to September"), or a half of a year ("in the first half")?"""
    lemma = w.lemma_.lower()
    if lemma not in _PERIOD_NOUNS:
        return False
    if lemma == "half" and any(c.lower_ in ("first", "second") for c in w.children):
        return True
    return bool(_PERIOD_END.match(w.doc.text, w.idx + len(w.text)))


def _period_modifies(anchor: Token, chain: list[Token], prop_noun: Token | None) -> bool:
    """Is a quarter the period of this figure ("revenue of $4bn in the first quarter", "quarterly
    revenue", "first-quarter sales")? A quarter elsewhere in the sentence dates something else
    ("a $2bn plant, with work starting in the first quarter")."""
    # the figure's own verb and the verbs it completes ("expected to report"); not a verb it is
    # an aside to ("raised $410m in the quarter, valuing it at $3.9bn")
    own = chain[:next((k + 1 for k, v in enumerate(chain) if v.dep_ != "xcomp"), len(chain))]
    targets = {t.i for t in own} | ({prop_noun.i} if prop_noun is not None else set())
    t = anchor
    while t.head.i != t.i and len(targets) < 20:
        if t.dep_ != "conj":  # "$5bn in the quarter and $18bn for the year": a sibling, not a modifier
            targets.add(t.i)
        if t.pos_ in ("VERB", "AUX"):
            break
        t = t.head
    targets.add(t.i)
    for w in anchor.sent:
        if w.lower_ not in _QUARTER and not _fiscal_period(w):
            continue
        h = w.head
        if w.dep_ == "pobj" and h.dep_ == "prep":
            h = h.head  # "in the quarter", "for the quarter"
        if h.i in targets or w.i in targets:
            return True
    return False


def read_frame(doc: Doc, lo: int, hi: int, q: Quantity, label: str = "") -> Frame:
    """The frame of the quantity at characters [lo, hi) of `doc`'s text."""
    toks = [t for t in doc if t.idx < hi and t.idx + len(t.text) > lo]
    if not toks:
        return Frame()
    inside = {t.i for t in toks}
    heads = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    anchor = heads[-1] if heads else toks[-1]
    count = is_count_unit(q.unit.split("/")[0]) and q.is_count  # "72 GPUs" and "72 GPUs per rack" alike
    added = q.qualifier == "up" and _adds_new(anchor, q)
    if added:
        q.qualifier = "="  # "plans to add 84K GPUs": the size of what is added, as "to buy 84,000 GPUs"
    frame = Frame()
    if anchor.dep_ == "conj" and anchor.head.i < toks[0].i and any(t.like_num for t in anchor.head.subtree):
        frame.notes.append("conj")  # "$5 billion in the quarter and $18 billion for the year"
    prop_noun: Token | None = None
    words: list[Token] = []
    verb: Token | None = None
    measured = anchor
    tally = "score" in q.notes
    if not tally and dimension_of(q.unit) == "time" and anchor.head.lower_ == "old" and anchor.head.i not in inside:
        old = anchor.head
        person = old.head if old.pos_ == "ADJ" and old.dep_ == "amod" and old.head.pos_ in ("NOUN", "PROPN") else None
        return _age(person, old, toks, anchor, q, inside)
    elif "age" in q.notes:  # "Gray, 16, was shot"
        person = anchor.head if anchor.dep_ == "appos" and anchor.head.pos_ in ("NOUN", "PROPN") else None
        return _age(person, anchor, toks, anchor, q, inside)
    if tally:
        # one side of a score or record ("a 9-14 record", "leading 24-20") is half a figure:
        # kept with its owner but never compared (no property). Compared alone, the sides of
        # other teams, games and seasons met, and the number itself headed the property
        # ("9 occupy", "10 moved"). A record in brackets right after a name is that name's.
        first = min((t for t in anchor.doc if t.i <= anchor.i and t.like_num and anchor.i - t.i <= 4
                     and all(x.like_num or x.pos_ in ("SYM", "PUNCT") for x in anchor.doc[t.i:anchor.i + 1])),
                    key=lambda t: t.i, default=anchor)
        if first.i >= 2 and anchor.doc[first.i - 1].text == "(":
            named = anchor.doc[first.i - 2]
            if named.pos_ in ("PROPN", "NOUN") and (_is_name(named) or named.pos_ == "PROPN"):
                frame.entity = _entity_text(named)
                frame.notes.append("name")
                return frame
    elif count:
        # the counted noun is inside the span: "5 people", "over 220,000 Nvidia GPUs"
        nouns = [t for t in toks if t.pos_ in ("NOUN", "PROPN") and not t.like_num and t.ent_type_ != "ORG"]
        prop_noun = nouns[-1] if nouns else anchor
        words = [prop_noun] + _noun_modifiers(prop_noun, inside - {prop_noun.i})
        words += [t for t in toks if t.dep_ == "compound" and t.pos_ == "NOUN" and t.head == prop_noun
                  and t not in words]
    elif anchor.dep_ in ("nummod", "compound", "amod", "npadvmod", "quantmod", "nmod") \
            and anchor.head.pos_ in ("NOUN", "PROPN", "ADJ"):
        # the number modifies a noun: "a 300 MW campus", "54 charges", "37-year-old"
        head = anchor.head
        while (head.pos_ == "ADJ" or head.pos_ == "PROPN" and _descriptor(head)) \
                and head.dep_ in ("amod", "compound") and head.head.pos_ in ("NOUN", "PROPN"):
            head = head.head  # "a 10 MW solar canopy", "a 1.8 GW AI campus"
        while head.pos_ in ("NOUN", "PROPN") and head.dep_ == "compound" and head.head.i > head.i \
                and (head.head.pos_ == "NOUN" or head.pos_ == "NOUN" and head.head.pos_ == "PROPN"):
            head = head.head  # "a 180 MW data center campus", "a 1.2 GW AI campus": the campus
        if head.pos_ == "NOUN" and head.lemma_.lower() in _MEASURE_NOUNS and (q.has_unit or q.has_currency):
            # "represents a 615-megawatt load", "at a $12 billion valuation": the noun is what
            # the figure measures; its owner is found as for "a load of 615 MW"
            prop_noun = head
            words = [head] + _noun_modifiers(head, inside)
        elif head.pos_ == "ADJ" or q.has_unit or q.has_currency:
            dim = _DIMENSION_WORDS.get(dimension_of(q.unit).split(":")[0], "value" if q.has_currency else "")
            words = [head] if head.pos_ == "ADJ" else []
            frame.property = dim if not words else _words(words)
            measured = head
            if head.pos_ in ("NOUN", "PROPN") and not (head.pos_ == "NOUN" and head.lemma_ in ("year", "day")):
                # "a 1.2 GW AI campus", "a 64K Nvidia cluster": in a noun phrase that introduces
                # a new thing, a name before the noun says what kind it is, not which one
                new_thing = head.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("a", "an")
                                                        for c in head.children)
                named = None if new_thing else _proper_in(head, inside)
                frame.entity = _entity_text(named or head, inside) if named or _is_name(head) and not _descriptor(head) \
                    else ""
                if not frame.entity:
                    own = _owner(head, inside)
                    frame.entity = _entity_text(own) if own is not None else ""
                if not frame.entity and new_thing and dimension_of(q.unit) != "time":
                    frame.entity = _builder(head, inside)
                    if frame.entity:
                        frame.notes.append("name")
                if not frame.entity and head.pos_ == "NOUN":
                    frame.entity = _words([head] + _noun_modifiers(head, inside))
                    frame.notes.append("described")
        else:
            prop_noun = head
            words = [head] + _noun_modifiers(head, inside)
    else:
        # a measure or a bare number: the noun it measures or the verb it completes
        of_child = next((p for t in toks for c in t.rights if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj" and not p.like_num), None)
        nxt = doc[toks[-1].i + 1] if toks[-1].i + 1 < len(doc) else None
        if of_child is None and nxt is not None and nxt.lower_ == "of" and nxt.head.pos_ in ("VERB", "AUX"):
            # "offer 20MW of capacity": the parse hung "of capacity" on the verb, but it names
            # what the figure measures (a bare noun the tagger took for an adjective, "of bandwidth",
            # too)
            of_child = next((p for p in nxt.children if p.dep_ == "pobj" and not p.like_num
                             and (p.pos_ == "NOUN" or p.pos_ == "ADJ" and not list(p.children))), None)
        if of_child is None and q.has_currency:
            of_child = _in_what(toks)  # "$3.1 billion in sales"
        if of_child is not None and (q.has_unit or q.has_currency):
            prop_noun = of_child  # "300 megawatts of capacity"
            words = [of_child] + _noun_modifiers(of_child, inside)
        elif anchor.dep_ == "pobj" and anchor.head.dep_ in ("prep",) and anchor.head.head.pos_ in ("NOUN", "PROPN") \
                and anchor.head.lower_ in ("of", "at", "for"):
            prop_noun = anchor.head.head  # "a valuation of $5 billion", "capacity of 1.2 GW"
            words = [prop_noun] + _noun_modifiers(prop_noun, inside)
        elif toks[0].i >= 2 and doc[toks[0].i - 1].lower_ == "of" and doc[toks[0].i - 2].pos_ == "NOUN" \
                and (q.has_unit or q.has_currency) and doc[toks[0].i - 2].ent_type_ not in _NOT_ENTITY_ENTS:
            # "rack densities of up to 123kW" where the parse lost the "of": the noun right before it
            prop_noun = doc[toks[0].i - 2]
            words = [prop_noun] + _noun_modifiers(prop_noun, inside)
        elif (obj := _moved_object(anchor, inside)) is not None:
            prop_noun = obj  # "taking total IT capacity to 240MW", "cut prices by 10%"
            words = [obj] + _noun_modifiers(obj, inside)
        elif (subj := _level_subject(anchor, q.unit in _RELATIVE_UNITS)) is not None:
            prop_noun = subj  # "the cost was $2 million", "the PUE hovers at 1.12"
            words = [subj] + _noun_modifiers(subj, inside)
            frame.notes.append("copula")
        elif anchor.dep_ == "appos" and anchor.head.pos_ == "PROPN" and not q.has_unit and _aside(anchor):
            frame.property = "age" if 0 < q.value < 120 and float(q.value).is_integer() else ""
            frame.entity = _entity_text(anchor.head)
    if frame.property and frame.entity:
        verb = _clause_verb(measured)
        frame.time_ref = _time_ref([measured, *_governing_verbs(verb)], inside)
        if frame.time_ref == "current" and verb is not None:
            frame.time_ref = _event_time(_governing_verbs(verb)) or "current"
        frame.scope, frame.modality = _scope_and_modality(toks, anchor, verb, q, None)
        return frame
    # the predicate: the verb the noun (or the number) takes part in
    carrier = prop_noun if prop_noun is not None else anchor
    verb = _clause_verb(carrier)
    pred = ""
    speaks = verb is not None and verb.lemma_.lower() in _ATTRIBUTION and not (added and verb == anchor.head)
    if verb is not None and verb.lemma_.lower() not in _LIGHT_VERBS and not speaks \
            and not (words and verb.lemma_.lower() in _HANDOVER_VERBS):
        pred = verb.text.lower() if verb.tag_ in ("VBN", "VBD") else verb.lemma_.lower()
    if count and prop_noun is not None and _stock(prop_noun):
        pred = ""
    if tally:
        frame.property = ""
    elif words:
        frame.property = " ".join([_words(words).lower()] + ([pred] if pred and pred not in _words(words).lower() else []))
    elif label:
        frame.property = label.lower()
    elif pred:
        frame.property = pred
        frame.notes.append("verb")  # named by its verb only
    else:
        frame.property = _DIMENSION_WORDS.get(dimension_of(q.unit).split(":")[0], "") or (
            "value" if q.has_currency else "")
    # the entity: possessor or "of" object of the measured noun, else the clause's subject
    own = _owner(prop_noun, inside) if prop_noun is not None else None
    if own is None and count and prop_noun is not None and _sizes(prop_noun):
        own = prop_noun.head  # "the rest of the 13-hall campus": the campus's halls
    if own is None and prop_noun is not None and prop_noun.pos_ == "NOUN":
        own = _proper_in(prop_noun, inside) if not count else None
    if own is not None and _no_owner(own):
        own = None
    if own is not None and (own.lower_ in _PRONOUNS or own.pos_ == "NOUN" and own.lemma_.lower() in _DESCRIPTIONS):
        frame.notes.append("pronoun")  # "its capacity", "the site's capacity": the thing named before
    elif own is not None:
        frame.entity = _entity_text(own)
        if _is_name(own):
            frame.notes.append("name")
    elif verb is not None and (total := _total_of(verb, anchor)) is not None:
        # "operates two smaller facilities, totaling about 40 MW": the sum of those things
        frame.entity = _words([total] + _noun_modifiers(total, inside))
        frame.notes.append("described")
    elif verb is not None:
        subj, on = _subject(verb)
        if subj is not None and (subj.i in inside or subj == carrier or subj.head == carrier and subj.dep_ != "poss"
                                 or carrier.head == subj and carrier.dep_ == "compound" or subj.dep_ == "expl"):
            subj = None  # the figure is itself the subject: "five people were killed", "there were 3 blasts"
            if any(c.tag_ == "TO" and c.dep_ == "aux" for c in on.children):
                # ... of a finite verb: "will pay for 48,000 GPUs to be installed" tells no event; the
                # sentence names no owner, and the last name before (a lender) is no better a guess
                # than the story's own thing
                frame.notes.append("story")
            elif any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in on.children):
                # ... of what will be: "350 people would work at the Dunkirk site" is the story's
                # thing's plan, not an event that happened to people
                frame.notes.append("story")
            elif "copula" not in frame.notes:
                frame.notes.append("event")
        if subj is not None and _no_owner(subj):
            subj = None
        if subj is not None and (subj.lemma_.lower() in _ATTRIBUTION or on.lemma_.lower() in _ATTRIBUTION
                                 and not (added and on == anchor.head)):
            subj = None
        if subj is not None:
            if subj.pos_ == "NOUN" and _proper_in(subj) is not None:
                subj = _proper_in(subj)
            named_as = next((c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN" and _is_name(c)
                             and c.ent_type_ not in _NOT_ENTITY_ENTS), None) if subj.pos_ == "NOUN" else None
            if named_as is not None:
                subj = named_as  # "The US cloud company Halden has opened ...": the name beside the description
            own2 = _owner(subj, inside) if subj.pos_ == "NOUN" else None
            if own2 is not None and subj.lemma_ in ("company", "firm", "site", "facility", "campus"):
                subj = own2
            described = subj.pos_ == "NOUN" and subj.lemma_.lower() in _DESCRIPTIONS
            frame.entity = "" if subj.lower_ in _PRONOUNS or described else _entity_text(subj)
            bound = _bound_name(subj) if subj.lower_ in _PRONOUNS or described else None
            if bound is not None:
                frame.entity = _entity_text(bound)  # "Acme says its project represents ...": Acme's
                frame.notes.append("name")
            elif described:
                frame.notes.append("pronoun")
            elif _is_name(subj):
                frame.notes.append("name")
            if _time_ref([subj], inside) != "current":
                frame.time_ref = _time_ref([subj], inside)
            if subj.lower_ in _PRONOUNS:
                frame.notes.append("pronoun")
        if "event" in frame.notes:
            for c in (verb.children if verb is not None else []):
                if c.dep_ == "prep" and c.lower_ in _EVENT_PREPS:
                    for p in c.children:
                        if p.dep_ == "pobj" and p.pos_ == "NOUN" and p.ent_type_ not in _NOT_ENTITY_ENTS:
                            tr = _time_ref([p])
                            if tr != "current":
                                frame.time_ref = tr
            frame.entity = "the event"
    nodes = [n for n in (prop_noun, anchor) if n is not None] + _governing_verbs(verb)
    if frame.time_ref == "current":
        frame.time_ref = _time_ref(nodes, inside)
    if frame.time_ref == "current" and verb is not None and "event" not in frame.notes \
            and not (count and prop_noun is not None and _stock(prop_noun)):
        # (a possessor's count is its stock whatever its clause does: "Vantor's 13 halls will
        # stay open during the work")
        frame.time_ref = _event_time(_governing_verbs(verb)) or "current"
    frame.scope, frame.modality = _scope_and_modality(toks, anchor, verb, q, prop_noun)
    return frame


def _total_of(verb: Token, anchor: Token) -> Token | None:
    """The counted things a participle after them sums ("operates two facilities, totaling
    40 MW", "runs nine sites, combining 165 MW"): the object of the clause it trails, when a number
    counts it. The figure is those things' together, not one of the subject's own."""
    if verb.tag_ != "VBG" or verb.dep_ != "advcl" or anchor.head != verb or anchor.dep_ != "dobj":
        return None
    obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
    if obj is None or obj.pos_ != "NOUN" or not any(c.dep_ == "nummod" for c in obj.children):
        return None
    return obj


_RELATIVE_UNITS = {"%", "pp", "bp", "x", "fraction"}


def _adds_new(anchor: Token, q: Quantity) -> bool:
    """Is a figure the object of "add" with nothing it is added to ("plans to add 84K GPUs", "the
    economy added 200,000 jobs")? Then it counts the things added, a level of its own, as
    "will buy 84,000 GPUs" does. Added *to* something ("add 1 GW to the campus", "added 500 MW,
    bringing it to 1.2 GW") or a relative figure ("shares added 3%") is that thing's change."""
    verb = anchor.head
    if anchor.dep_ != "dobj" or verb.lemma_.lower() != "add" or q.unit in _RELATIVE_UNITS:
        return False
    return not any(t.lower_ == "to" and t.dep_ == "prep" or t.dep_ == "advcl" for t in verb.subtree)


_BINDING = {"it", "its", "they", "their", "them"}  # pronouns that may take a subject above them


def _bound_name(ref: Token) -> Token | None:
    """The name a pronoun or a described thing ("it", "its project") refers to inside its own
    sentence: the named subject of a clause it is embedded in, named before it ("Acme says its
    project will draw 615 MW", "Acme said it would spend $5 billion"), or of an adverbial clause
    before it ("When Acme won the tax break, it promised 150 jobs"). A pronoun binds to these
    before any name the sentences before gave."""
    if ref.pos_ == "NOUN" and not any(c.dep_ == "poss" and c.lower_ in _BINDING for c in ref.children) \
            or ref.pos_ != "NOUN" and ref.lower_ not in _BINDING:
        return None  # "the project": a thing named before; "that": the noun its clause is on
    pronoun = ref.lower_ if ref.pos_ != "NOUN" else next(c.lower_ for c in ref.children if c.dep_ == "poss"
                                                          and c.lower_ in _BINDING)
    if ref.dep_ in ("nsubj", "nsubjpass"):
        # "When Marlowe won a tax break in 2021, it promised 150 jobs": an adverbial clause before
        # the pronoun names whom it means
        for clause in (c for c in ref.head.children if c.dep_ == "advcl" and c.i < ref.i):
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lower_ not in _PRONOUNS and _is_name(subj) \
                    and subj.ent_type_ not in _NOT_ENTITY_ENTS and not _dateline_town(subj):
                return subj if _agrees(pronoun, subj) else None
    v = ref.head
    for _ in range(8):
        if v.head.i == v.i:
            break
        if v.dep_ in ("ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pcomp", "prep", "pobj") or v.pos_ != "VERB":
            v = v.head
        else:
            break
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < ref.i), None)
        if subj is not None and subj.lower_ not in _PRONOUNS and _is_name(subj) \
                and subj.ent_type_ not in _NOT_ENTITY_ENTS and not _dateline_town(subj):
            return subj if _agrees(pronoun, subj) else None
    return None


def _agrees(pronoun: str, name: Token) -> bool:
    """Can the pronoun stand for the name: "they" only for many ("Ford passed the likes of Scott
    and Miller because they could play ..." is not Ford), "it" never for a person, and a
    company is one thing ("Marlowe Data Centers ..., it promised")."""
    # a company's name is one thing however plural its last word ("Marlowe Data Centers", "Vantor Systems")
    many = name.tag_ in ("NNS", "NNPS") and name.ent_type_ != "ORG" or any(c.dep_ == "conj" for c in name.children)
    if pronoun in ("they", "their", "them"):
        return many
    return not many and name.ent_type_ != "PERSON"


def _builder(thing: Token, inside: set[int]) -> str:
    """The named subject of the clause that introduces a new thing ("Nordvik Data will build a
    180 MW campus", "Brightforge AI unveiled plans for a 1,200MW campus"): the thing is that
    subject's, and so is the figure that sizes it. Outlets write the same figure as "Nordvik's
    campus will have 180 megawatts", so the campus as its own owner kept the two apart. A
    thing the subject "also" builds or runs is another than the one the story is about."""
    for acl in (c for c in thing.children if c.dep_ == "acl"):  # "a campus proposed by Amazon"
        agent = next((p for a in acl.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"), None)
        if agent is not None and _is_name(agent) and agent.ent_type_ not in _NOT_ENTITY_ENTS:
            return _entity_text(agent)
    verb = _clause_verb(thing)
    if verb is None or verb.lemma_.lower() in _ATTRIBUTION:
        return ""
    if any(c.lower_ == "also" for c in verb.children):
        return ""  # "Highplains will also build a 300 MW battery": another thing than the story's
    subj, on = _subject(verb)
    if subj is None or subj.i in inside or on.lemma_.lower() in _ATTRIBUTION or not _is_name(subj) \
            or subj.ent_type_ in _NOT_ENTITY_ENTS or subj.ent_type_ in ("GPE", "LOC"):
        return ""  # a place that approves or hosts a new thing is where it is, not whose
    return _entity_text(subj)


def _moved_object(anchor: Token, inside: set[int]) -> Token | None:
    """The thing a verb moves to, from or by a figure: its object ("taking total IT capacity at
    the site to 240MW", "raised output from 5 GW to 8 GW", "cut prices by 10%")."""
    if anchor.dep_ != "pobj" or anchor.head.lower_ not in ("to", "from", "by") or anchor.head.head.pos_ != "VERB":
        return None
    return next((c for c in anchor.head.head.children if c.dep_ == "dobj" and c.pos_ == "NOUN"
                 and not c.like_num and c.i not in inside and c.ent_type_ not in _NOT_ENTITY_ENTS), None)


def _aside(num: Token) -> bool:
    """ "Gray, 16, was shot": a bare number set off by a comma right after a name (an age), not
    one item of a list ("IE6, 7, 8") or a figure after a dash ("seven bullets - three to the back")."""
    doc = num.doc
    before = doc[num.i - 1] if num.i > 0 else None
    after = doc[num.i + 1: num.i + 3]
    if before is None or before.text != "," or num.i < 2 or not doc[num.i - 2].text[:1].isalpha():
        return False
    return not (len(after) == 2 and after[0].text in (",", "and", "or") and after[1].like_num)


def _age(person: Token | None, old: Token, toks: list[Token], anchor: Token, q: Quantity,
         inside: set[int]) -> Frame:
    """ "a 36-year-old climber", "32-year-old Englishman Robert Buckley", "Gray, 16,", "the
    23-year-old finished": an age of the person it describes, not a duration (which would meet
    every other span of years in the story) nor a count of what the verb does ("16 shot")."""
    frame = Frame(property="age")
    while person is not None and person.dep_ == "compound" and person.head.pos_ == "PROPN":
        person = person.head  # "Englishman Robert Buckley": the name, not the description
    if person is not None and (_is_name(person) or _proper_in(person) is not None):
        frame.entity = _entity_text(person)
        frame.notes.append("name")
    elif person is not None:
        frame.entity = _words([person] + _noun_modifiers(person, inside)).strip()
        frame.notes.append("described")
    else:
        frame.notes.append("pronoun")  # "the 23-year-old": the person named before
    verb = _clause_verb(old)
    frame.time_ref = _time_ref([old] + ([verb] if verb is not None else []), inside)
    frame.scope, frame.modality = _scope_and_modality(toks, anchor, verb, q, None)
    return frame


# ---------------------------------------------------------------- coarse labels (the contract's attribute)

def _attribute(unit: str, prop: str, q: Quantity) -> str:
    """A coarse label kept for the public contract: the dimension, or what a count counts."""
    dim = dimension_of(unit)
    if is_count_unit(unit):
        fam = count_family(unit)
        return "gpu_count" if fam == "accelerator" else f"{unit.replace(' ', '_').lower()}_count"
    if dim == "number" and ("pue" in prop.lower() or "power usage effectiveness" in prop.lower()):
        return "pue"
    if dim.startswith("money"):
        return prop.split()[-1] if prop else "amount"
    return {"ratio": "percentage", "number": "number", "time": "duration"}.get(dim, dim.split(":")[0] or "number")


# ---------------------------------------------------------------- the document pass

def _dateline_end(text: str, st: Sentence) -> int:
    m = _DATELINE.match(text, st.start, st.end) if st.first_in_line else None
    return m.end() if m and m.end() < st.end else st.start


def _label(text: str, st: Sentence) -> tuple[str, int]:
    m = _LABEL.match(text, st.start, st.end) if st.first_in_line and st.kind != "table" else None
    if m:
        return m.group(1), m.end()
    return "", st.start


def _fallback(notes: list[str], label: str, kind: str, last_entity: Callable[[], str], lab_entity: str,
              ctx_entity: Callable[[], str]) -> str:
    """The owner of a claim whose sentence does not name it: the thing named before, or the
    line's label or the heading above (a list item or a labelled line belongs to its heading).
    The thing named before and the heading's name are asked for only when needed: each may
    need sentences parsed that nothing else reads."""
    if "pronoun" in notes or not (label or kind in ("list", "table")):
        return last_entity() or lab_entity or ctx_entity()
    return lab_entity or ctx_entity() or ("" if kind == "table" else last_entity())


def _body(text: str, st: Sentence) -> tuple[str, int]:
    """A sentence's label and where its body starts (after the label, a dateline or a bullet)."""
    label, body = _label(text, st)
    body = max(body, _dateline_end(text, st))
    bm = BULLET.match(text, body) if st.kind == "list" else None
    if bm:
        body = bm.end()
    if st.kind == "table":
        cells = [c for c in text[st.start:st.end].split("|") if c.strip()]
        label = cells[0].strip() if cells else ""
    return label, body


@dataclass
class _Plan:
    """What extract_claims reads in a text before any parse: its sentences, those with figures
    or places (``by_sentence``: body start, quantities, label) and the parser's input for each."""

    sents: list[Sentence]
    placed: set[int]
    docs: _Docs
    by_sentence: dict[int, tuple[int, list[Quantity], str]]
    first: list[int]  # the sentences parsed first, in one call: those with figures or places


def _plan(text: str) -> _Plan | None:
    """The plan of `text`'s extraction; None when it has no figure and no place."""
    if not text or not text.strip():
        return None
    sents = split_sentences(text)
    masks = mask_non_quantities(text)
    found: list[tuple[Sentence, int, list[Quantity], str]] = []
    placed: set[int] = set()  # sentences that may give a place
    for st in sents:
        qs = [q for q in find_quantities(text, st.start, st.end, masks) if q.start < q.end]
        label, body = _body(text, st)
        if st.kind != "table" and (places.wants_parse(text[body:st.end]) or label.lower() in places.LABELS):
            placed.add(id(st))
        if qs or id(st) in placed:
            found.append((st, body, qs, label))
    if not found:
        return None
    # every sentence when the text has figures (subjects carry over; headings name things), else
    # only those that may give a place; parsed when first read (_Docs)
    body_of = {id(st): body for st, body, _, _ in found}
    numeric = any(qs for _, _, qs, _ in found)
    # reference markers ("data center[1]") glue onto words and break the parse: blanked, same length
    plain = _REFERENCE.sub(lambda m: " " * len(m.group()), text)
    # a sentence without figures is read after its dateline too: "SANTA CLARA, Calif. (AP) — Lumora
    # unveiled" names Lumora, not the wire, as the thing the next sentences' figures are about
    docs = _Docs([plain[body_of[id(st)] if id(st) in body_of else _dateline_end(text, st):st.end]
                  if st.kind != "table" and (numeric or id(st) in placed) else "" for st in sents])
    by_sentence = {id(st): (body, qs, label) for st, body, qs, label in found}
    return _Plan(sents, placed, docs, by_sentence, [k for k, st in enumerate(sents) if id(st) in by_sentence])


# Plans made by read_ahead, each taken by the extract_claims of its text.
_ahead: dict[str, _Plan | None] = {}


def read_ahead(texts: list[str]) -> None:
    """Plan the extraction of each of `texts` and parse the sentences each reads first, all in one
    parser call: the parser costs far less per sentence in one long batch than in one call per
    article, and a sentence's parse does not depend on its batch. extract_claims of each text
    then starts from its plan. A text whose plan fails is left for extract_claims to report."""
    _ahead.clear()
    plans: dict[str, _Plan | None] = {}
    for text in dict.fromkeys(texts):
        try:
            plans[text] = _plan(text)
        except Exception:  # noqa: BLE001,S112 - extract_claims meets and reports the same error
            continue
    wanted = [(p, k) for p in plans.values() if p is not None for k in p.first]
    for (p, k), doc in zip(wanted, parse([p.docs.texts[k] for p, k in wanted]), strict=True):
        p.docs.keep(k, doc)
    _ahead.update(plans)


def extract_claims(text: str) -> list[Claim]:
    """All claims in `text`, in text order: numeric claims, and the places of the things the
    text is about (places.py; ``value`` None, ``value_text`` the place). Never raises on odd input."""
    plan = _ahead.pop(text) if text in _ahead else _plan(text)
    if plan is None:
        return []
    sents, placed, docs, by_sentence = plan.sents, plan.placed, plan.docs, plan.by_sentence
    docs.read(plan.first)  # one parser call for them all
    claims: list[Claim] = []
    last = _LastEntity(docs, sents)
    prev: Claim | None = None
    earlier: tuple[Claim, Frame] | None = None  # the first level of a change, "from X" in "from X to Y"
    for k, st in enumerate(sents):
        if id(st) not in by_sentence:
            if st.kind == "text":
                last.passed(k)
            continue
        doc = docs[k]
        subj = _carried_subject(doc)
        body, qs, label = by_sentence[id(st)]
        lab_entity, lab_prop = _read_label(label, docs.known()) if label else ("", "")

        def ctx_entity(k: int = k) -> str:
            for j in range(k - 1, -1, -1):  # the nearest heading or lead-in above that names something
                if sents[j].kind == "heading" or text[sents[j].start:sents[j].end].rstrip().endswith(":"):
                    found_name = _name_in(text[sents[j].start:sents[j].end], docs.known())
                    if found_name or sents[j].kind == "heading":
                        return found_name
            return ""

        for q in qs:
            if st.kind == "table" and not q.unit and label:
                cc = count_chunk(" " + label, 0, len(label) + 1)
                if cc:
                    q.unit, q.is_count = cc[1], True
            if st.kind == "table" or q.start < body:
                frame = Frame(property=lab_prop, entity=lab_entity)
            else:
                frame = read_frame(doc, q.start - body, q.end - body, q, lab_prop)
            if "conj" in frame.notes and prev is not None and prev.sentence == text[st.start:st.end] \
                    and dimension_of(prev.unit) == dimension_of(q.unit):
                # "$5 billion in the quarter and $18 billion for the year" share a property;
                # "793 yards and six touchdowns" do not (the touchdowns name their own)
                frame.property, frame.entity = prev.property, prev.entity or frame.entity
            if "change-from" in q.notes and frame.time_ref == "current":
                frame.time_ref = "earlier"  # "cut from 290 million gallons to 45 million": the level before
            if "converted" in q.notes:
                frame.property = ""  # "55 km (34 miles)": shown, but no second report to compare
            if not q.unit and re.search(r"\bPUE\b|power usage effectiveness", text[st.start:st.end], re.I):
                frame.property = "PUE"  # a plain ratio named only by its acronym, often in brackets
            if frame.entity and (frame.entity.lower() == frame.property.lower()
                                 or frame.entity.split()[-1] in _FIGURE_NOUNS):
                # "the PUE hovers at 1.12", "the headline number is a monster: 2.1GW": the
                # subject is the quantity, not whose it is (a name in capitals, "Total", is a name)
                frame.entity = ""
                frame.notes.append("pronoun")
            if not frame.entity and "event" not in frame.notes and "story" not in frame.notes:
                frame.entity = _fallback(frame.notes, label, st.kind, lambda subj=subj: _named_before(last, subj),
                                         lab_entity, ctx_entity)
            if frame.entity and ("name" in frame.notes or q.start < body or st.kind == "table"):
                last.set(frame.entity)
            if "change-to" in q.notes and earlier is not None and earlier[0].sentence == text[st.start:st.end]:
                _share_change(earlier[0], earlier[1], frame, q)
            attribute = _attribute(q.unit, frame.property, q)
            claims.append(Claim(
                value=q.value, unit=q.unit, surface=text[q.start:q.end], qualifier=q.qualifier,
                low=q.low, high=q.high, subject=frame.entity, attribute=attribute,
                sentence=text[st.start:st.end], start=q.start, end=q.end, scope=frame.scope,
                raw_value=q.raw_value, raw_unit=q.raw_unit, property=frame.property, entity=frame.entity,
                time_ref=frame.time_ref, modality=frame.modality,
            ))
            prev = claims[-1]
            earlier = (prev, frame) if "change-from" in q.notes else None
        if id(st) in placed:
            claims.extend(_place_claims(text, st, body, doc, label, (last.value, lab_entity, ctx_entity)))
        # a name that only speaks ("Acme said") is no new topic, but the first name an article
        # gives is its topic whatever its verb ("Brightforge AI said Tuesday it will spend ..."),
        # unless it is a dateline's town in capitals the parse took for the subject
        if subj is not None and st.kind == "text" \
                and (subj.head.lemma_ not in _ATTRIBUTION or not _dateline_town(subj) and not last.value()) \
                and not any(c.property.lower() == _entity_text(subj).lower() for c in claims[len(claims) - len(qs):]):
            last.set(_entity_text(subj))
    claims.sort(key=lambda c: c.start)
    return claims


def _named_before(last: _LastEntity, subj: Token | None) -> str:
    """The thing a figure refers back to ("it", "the campus's eight halls"): the last one named,
    or, when the article has named nothing yet, its sentence's named subject, even one that only
    speaks ("Corvane Data Centers ... said it will replace the cooling in six of the campus's
    eight halls"): the first name an article gives is its topic."""
    named = last.value()
    if named or subj is None or _dateline_town(subj) \
            or any(t.lower_ in ("they", "their", "them") and not _agrees(t.lower_, subj) for t in subj.doc):
        return named  # "Ford passed Scott and Miller because they could play ...": not Ford's
    return _entity_text(subj)


def _dateline_town(subj: Token) -> bool:
    """A name in capitals that a dateline's punctuation or a place tag follows ("KAJAANI, Finland
    —", "MEMPHIS (AP) —"): a town the parse took for a subject. "IBM said" is a company."""
    if not _entity_text(subj).isupper():
        return False
    nxt = subj.doc[subj.i + 1] if subj.i + 1 < len(subj.doc) else None
    return nxt is None or nxt.text in (",", "(", "—", "–", "-", "--", ":") or subj.ent_type_ in ("GPE", "LOC")


def _share_change(before: Claim, before_frame: Frame, frame: Frame, q: Quantity) -> None:
    """The two levels of a change measure one thing: "from 150MW of IT load today to 260MW" names
    it once, and "from 290 million gallons a year to 45 million" gives the period once."""
    def weak(prop: str, f: Frame) -> bool:  # named by a verb, or by nothing ("from 4,000 to 9,000 GPUs")
        return "verb" in f.notes or not any(ch.isalpha() for ch in prop)
    if weak(frame.property, frame) and not weak(before.property, before_frame):
        frame.property = before.property
    elif weak(before.property, before_frame) and not weak(frame.property, frame):
        before.property = frame.property
        before.attribute = _attribute(before.unit, frame.property, q)
    if before.scope == "per-period" and not frame.scope:
        frame.scope = "per-period"


def _place_claims(text: str, st: Sentence, body: int, doc: Doc, label: str,
                  context: tuple[Callable[[], str], str, Callable[[], str]]) -> list[Claim]:
    """The place claims of one sentence; the located thing's name as for a number's owner
    (``context``: the last entity named, the label's and the heading's)."""
    out = []
    for m in places.read_places(doc) + places.label_places(doc, label):
        thing = m.located
        notes: list[str] = []
        if thing is not None:
            named = places.facility_name(thing) if thing.pos_ == "NOUN" else None
            if named is None and not _is_name(thing):
                # "a rehab facility in Malibu", "the parliament building in Athens": which thing
                # is there is not said, and the last name before is as often a person or a town
                continue
            entity = _entity_text(named if named is not None else thing)
        else:  # a list item or labelled line ("Located near Memphis"): its heading's thing
            entity = _fallback(notes, label, st.kind, *context)
        value = places.with_container(m.value_text, text)
        out.append(Claim(
            value=None, unit="", surface=text[body + m.start:body + m.end], qualifier=m.qualifier, subject=entity,
            attribute=places.PLACE_PROPERTY, sentence=text[st.start:st.end], start=body + m.start,
            end=body + m.end, scope=m.scope, property=places.PLACE_PROPERTY, entity=entity, value_text=value))
    return out


def _carried_subject(doc: Doc) -> Token | None:
    """The named subject of a sentence's main verb, which later sentences' figures may belong to:
    a name, or the name that owns a common noun ("Lumora's new accelerator")."""
    for t in doc:
        if t.dep_ not in ("nsubj", "nsubjpass") or t.head.dep_ != "ROOT":
            continue
        if t.pos_ == "NOUN" and not _is_name(t):
            t = next((c for c in t.children if c.dep_ == "poss" and _is_name(c)), t)
        if _is_name(t) and t.ent_type_ not in _NOT_ENTITY_ENTS:
            return t
    return None


class _Docs:
    """An article's sentences, parsed when first read: the parse is most of what extraction
    costs, and most sentences of news carry no figure. The sentences with a figure are read
    first in one parser call; a sentence before one is read only when a figure needs the thing
    named before it, and the rest only when a heading or label needs the names the article uses
    (known). What each sentence's parse says does not depend on when it is read."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self._docs: dict[int, Doc] = {}
        self._known: list[str] | None = None

    def read(self, indexes: list[int]) -> None:
        """Parse these sentences now (one parser call), if not yet parsed."""
        todo = [k for k in dict.fromkeys(indexes) if k not in self._docs]
        self._docs.update(zip(todo, parse([self.texts[k] for k in todo]), strict=True))

    def keep(self, k: int, doc: Doc) -> None:
        """Sentence k's parse, made elsewhere."""
        self._docs[k] = doc

    def __getitem__(self, k: int) -> Doc:
        if k not in self._docs:
            self.read([k])
        return self._docs[k]

    def known(self) -> list[str]:
        """_known_names of the whole article (every sentence parsed)."""
        if self._known is None:
            self.read(list(range(len(self.texts))))
            self._known = _known_names([self._docs[k] for k in range(len(self.texts))])
        return self._known


class _LastEntity:
    """The thing named last before the sentence being read: set by a figure's owner or the named
    subject of a prose sentence. The prose sentences passed since it was last set are parsed
    only when a figure asks for it, nearest first, until one names a subject."""

    def __init__(self, docs: _Docs, sents: list[Sentence], chunk: int = 3) -> None:
        self.docs, self.sents, self.chunk = docs, sents, chunk
        self._value = ""
        self._passed: list[int] = []  # prose sentences since, not read yet

    def set(self, name: str) -> None:
        self._value, self._passed = name, []

    def passed(self, k: int) -> None:
        self._passed.append(k)

    def value(self) -> str:
        speaker = ""  # the earliest name that only speaks: the topic when nothing else is named
        while self._passed:
            nearest = self._passed[-self.chunk:]
            self.docs.read(nearest[::-1])
            for k in reversed(nearest):
                subj = _carried_subject(self.docs[k])
                if subj is not None and subj.head.lemma_ not in _ATTRIBUTION:
                    self.set(_entity_text(subj))
                    return self._value
                if subj is not None and not _dateline_town(subj):
                    speaker = _entity_text(subj)
            del self._passed[-self.chunk:]
        if not self._value and speaker:
            self.set(speaker)
        return self._value


_NAME_ENTS = {"ORG", "PRODUCT", "FAC", "GPE", "PERSON", "LOC", "EVENT"}


def _known_names(docs: list[Doc]) -> list[str]:
    """Names the article's prose uses (named entities, numbered names such as "Colossus 1"),
    longest first: headings and labels are title-cased, so a name is only trusted there when
    the prose names it too."""
    names: set[str] = set()
    for doc in docs:
        if len(doc) < 6:
            continue  # headings and labels themselves are not evidence
        for e in doc.ents:
            if e.label_ in _NAME_ENTS and not (e.text.isupper() and len(e.text) <= 4):
                names.add(e.text.strip(" ,.;:\"'“”’"))
        for t in doc:
            if t.pos_ == "PROPN" and any(c.dep_ == "nummod" and c.i == t.i + 1 for c in t.children):
                names.add(_entity_text(t))
    return sorted((n for n in names if len(n) > 1), key=lambda n: (-len(n), n))  # ties in a fixed order


def _name_in(text: str, known: list[str]) -> str:
    for n in known:
        if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text):
            return n
    return ""


def _read_label(label: str, known: list[str]) -> tuple[str, str]:
    """(entity, property) of a label such as "GPUs in Colossus 1" or "Colossus 1 power capacity"."""
    entity = _name_in(label, known)
    rest = label.replace(entity, " ") if entity else label
    words = [w for w in re.findall(r"[A-Za-z][\w\-]*", rest.lower()) if w not in ("in", "of", "the", "a", "an", "for")]
    return entity, " ".join(words)
