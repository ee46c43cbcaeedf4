"""Find the quantities written in one sentence: numbers with their magnitude, unit and bounds.

This is the lexical half of claim extraction (frames.py adds subject, attribute and scope).
It is rule based on purpose: news quantities follow a small grammar

    [qualifier] [currency] NUMBER [magnitude] [+] [unit | currency word | counted noun] [per UNIT]

and the hard part is not the grammar but what is *not* a quantity: model names (H100,
"Claude 3"), years and dates, times of day, list numbering, citation markers, phone
numbers and versions. Those are masked or filtered here, each by a named rule, so a wrong
call can be traced to the rule that made it.

Offsets are always into the full text given to `find_quantities`.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from .counts import _count_chunk
from .numbers import (
    _LABEL_WORDS,
    _MARGIN_NOUNS,
    _MONTH_WORDS,
    _STOP_CAPS,
    _WEEKDAYS,
    Core,
    digit_cores,
    mask_non_quantities,
    word_cores,
)
from .units import (
    _CASELESS,
    AMBIGUOUS_SHORT,
    COUNT_NOUNS,
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    DIMENSIONS,
    MAGNITUDE_SUFFIXES,
    MAGNITUDE_WORDS,
    SMALL_NUMBERS,
    UNITS,
    UnitSpec,
    dimension_of,
    singular,
)

__all__ = ["Quantity", "find_quantities", "mask_non_quantities", "plain_dollar"]


@dataclass
class Quantity:
    """One quantity as written. `value` is in the canonical unit; `raw_value` as written."""

    value: float
    unit: str
    start: int
    end: int
    qualifier: str = "="
    low: float | None = None
    high: float | None = None
    raw_value: float = 0.0
    raw_unit: str = ""
    factor: float = 1.0
    # how it was written, used by later rules
    has_currency: bool = False
    has_magnitude: bool = False
    has_unit: bool = False  # a physical unit, currency or counted noun follows or precedes
    is_count: bool = False
    is_word: bool = False
    num_start: int = 0
    num_end: int = 0
    digits: str = ""  # the digits as written ("220,000"), for precision
    noun_phrase: str = ""  # words between the number and the counted noun ("Nvidia AI")
    head_after: str = ""  # noun right after an adjectival quantity ("a 10 MW solar canopy")
    notes: list[str] = field(default_factory=list)
    kind_bare: bool = False  # a plain number core (not a fraction or multiplier word)


# ---------------------------------------------------------------- unit matching

def _alternation(keys: list[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_UNIT_KEYS = [k for k in UNITS if k]
_UNIT_RX = re.compile(rf"(?:{_alternation(_UNIT_KEYS)})(?![A-Za-z0-9²³])")
_UNIT_RX_CI = re.compile(rf"(?:{_alternation(sorted(_CASELESS))})(?![A-Za-z0-9²³])", re.I)
_CUR_WORD_RX = re.compile(rf"(?:{_alternation(list(CURRENCY_WORDS))})(?![A-Za-z])", re.I)
_CUR_PREFIX_RX = re.compile(
    rf"(?:{_alternation([k for k in CURRENCY_PREFIXES if not k.isalpha()])}"
    rf"|\b(?:{_alternation([k for k in CURRENCY_PREFIXES if k.isalpha()])}))\s?$",
)
_CUR_PREFIX_RX_CI = re.compile(r"\b(usd|eur|gbp|jpy|cny|rmb|inr|chf|cad|aud)\s?$", re.I)
_DOLLAR_PREFIXES = {"a": "AUD", "au": "AUD", "aud": "AUD", "c": "CAD", "ca": "CAD", "can": "CAD", "cad": "CAD",
                    "nz": "NZD", "nzd": "NZD", "hk": "HKD", "hkd": "HKD", "s": "SGD", "sgd": "SGD",
                    "mxn": "MXN", "us": "USD", "usd": "USD", "us.": "USD", "nt": "TWD"}
# "a $5 million round" is not Australian: a lone A or S counts only glued to the sign ("A$5m")
_DOLLAR_PREFIX_RX = re.compile(r"(?:^|(?<=[\s(\[\-–—\"“]))((?-i:A|S)(?=\$)|au|aud|c|ca|can|cad|nz|nzd|hk|hkd|sgd|mxn|us|"
                               r"usd|u\.s\.|nt)\s?\$\s?$", re.I)
_DIM_ADJ = re.compile(r"\s*(?:$|[.,;:)]|thick|long|wide|tall|high|deep|in diameter|across)")


def match_unit(rest: str, glued: bool) -> tuple[int, UnitSpec, str] | None:
    """Longest unit at the start of `rest` -> (length consumed, spec, written form)."""
    best: tuple[int, UnitSpec, str] | None = None
    for rx in (_UNIT_RX, _UNIT_RX_CI):
        m = rx.match(rest)
        if not m:
            continue
        form = m.group(0)
        spec = UNITS.get(form) or UNITS.get(form.lower())
        if spec is None:
            continue
        if best is None or len(form) > best[0]:
            best = (len(form), spec, form)
    if best is None and rest[:1].isupper() and rest[1:2].islower():
        # a title-case headline: "Get 4 Months of Music", "12 Hours Of Battery"
        m = _UNIT_RX.match(rest[:1].lower() + rest[1:])
        if m and len(m.group(0)) >= 3 and m.group(0).isalpha() and m.group(0) not in AMBIGUOUS_SHORT:
            best = (len(m.group(0)), UNITS[m.group(0)], rest[:len(m.group(0))])
    if best is None:
        return None
    length, spec, form = best
    if form[-1:].isalpha() and re.match(r"-[a-z]", rest[length:length + 2]) and not re.match(
            r"-(?:old|long|wide|high|deep|tall|thick|plus|scale|class)\b", rest[length:length + 8]) and not (
            spec.canonical == "m" and re.match(r"-(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven)\b",
                                               rest[length:length + 8], re.I)):
        return None  # "second-stage", "year-round": part of a compound word
    if form in AMBIGUOUS_SHORT or form.lower() in AMBIGUOUS_SHORT:
        if form in ("x", "X") and not glued:
            return None
        if form in ("in",) and not _DIM_ADJ.match(rest[length:]):
            return None
        if form in ("C", "F") and not glued and rest[length:length + 1] not in ("", " ", ".", ",", ")", "!"):
            return None
        if form in ("A", "V", "t", "g", "l", "s", "h", "b", "us", "pm", "mo", "ha") and not glued:
            # a lone letter after a space is usually a word or an initial, not a unit
            if form not in ("V", "t", "g", "s", "h", "l", "ha") or rest[length:length + 1] not in ("", " ", ".", ",", ";", ")", "/"):
                return None
    return best


# ---------------------------------------------------------------- words around numbers

_QUALIFIERS: list[tuple[str, str]] = [
    (r"more than|over|above|in excess of|upwards of|exceeding|exceeds?|exceeded|topp(?:ed|ing)|tops|"
     r"larger than|higher than|bigger than|"
     r"surpass(?:ed|ing|es)?|north of|just over|well over|well above|greater than|beyond|>", ">"),
    (r"at least|no less than|not less than|a minimum of|minimum of|no fewer than|≥|>=|"
     r"(?:higher|greater|larger|more) (?:than )?or equal (?:than|to)", ">="),
    (r"up to|as much as|as many as|as high as|as large as|at most|no more than|not more than|"
     r"a maximum of|maximum of|a max of|≤|<=|(?:lower|less|smaller) (?:than )?or equal (?:than|to)", "<="),
    (r"less than|fewer than|under|below|just under|just shy of|shy of|smaller than|lower than|<", "<"),
    (r"about|around|approximately|approx\.?|roughly|some|an estimated|estimated|circa|ca\.|c\.|"
     r"nearly|almost|close to|~|≈|an approximate|approximate|on the order of|in the region of|"
     r"more or less|or so", "~"),
]
_QUAL_RX = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=[(\"“‘'—–-]))(?P<q>" + "|".join(f"(?:{p})" for p, _ in _QUALIFIERS) + r")\s*$",
    re.I,
)
_QUAL_MAP = [(re.compile(rf"^(?:{p})$", re.I), q) for p, q in _QUALIFIERS]

_UP_VERBS = (r"rose|rises|rising|risen|increased?|increases|increasing|grew|grows|growing|grown|"
             r"jump(?:ed|s|ing)?|climb(?:ed|s|ing)?|surg(?:ed|es|ing)|soar(?:ed|s|ing)?|"
             r"gain(?:ed|s|ing)?|add(?:ed|s|ing)?|up|boost(?:ed|s|ing)?|expand(?:ed|s|ing)?|"
             r"rall(?:ied|ies|y)|advanc(?:ed|es|ing)|spik(?:ed|es)|improv(?:ed|es|ing)|"
             r"widen(?:ed|s)|lift(?:ed|s)|higher by|raised? by")
_DOWN_VERBS = (r"fell|falls?|falling|fallen|dropp(?:ed|ing)|drops?|declin(?:ed|es|ing)|"
               r"decreas(?:ed|es|ing)|slipp(?:ed|ing)|slips|slid|slides|sank|sinks|plung(?:ed|es)|"
               r"plummet(?:ed|s)?|tumbl(?:ed|es)|lost|loses|down|cut|cuts|cutting|reduc(?:ed|es|ing|e)|"
               r"lower(?:ed|s)|shr(?:ank|unk|inks)|trimm(?:ed|ing)|trims?|slash(?:ed|es|ing)?|"
               r"narrow(?:ed|s)|shav(?:ed|es|ing)|shave|eas(?:ed|es)|retreat(?:ed|s)|sheds?|shedding|"
               r"off|lower by")
_CHANGE_RX = re.compile(
    rf"(?:^|\s)(?P<v>{_UP_VERBS}|{_DOWN_VERBS})\s+(?P<by>by\s+)?(?:(?:up to|about|nearly|roughly|more than|over|"
    rf"almost|some|an estimated|around|just over|just under|a further|another|an additional)\s+)?$",
    re.I,
)
_UP_RX = re.compile(rf"^(?:{_UP_VERBS})$", re.I)
_PHRASAL_OFF = re.compile(
    r"\b(?:lay|lays|laid|laying|pay|pays|paid|paying|write|writes|wrote|written|writing|spin|spins|"
    r"spun|spinning|sell|sells|sold|selling|sign|signs|signed|kick|kicks|kicked|take|takes|took|"
    r"taken|taking|carve|carved|carving|fend|fended|stave|staved|ward|warded|round|rounded)\s*$", re.I)
_CHANGE_AFTER_RX = re.compile(
    r"\s*(?P<w>increase|rise|gain|jump|growth|improvement|boost|surge|hike|higher|more|faster|"
    r"larger|bigger|uplift|premium|decrease|decline|drop|fall|reduction|cut|lower|less|cheaper|"
    r"fewer|smaller|slower|discount|loss)\b",
    re.I,
)
_DOWN_AFTER = {"decrease", "decline", "drop", "fall", "reduction", "cut", "lower", "less", "cheaper",
               "fewer", "smaller", "slower", "discount", "loss"}

# A figure named as a density of a counted thing is per that thing ("rack densities of up to
# 123kW", "per-GPU power of 1.2kW", "power per server of 10kW"), as "123kW per rack" is.
# So is one given for things in the plural it follows ("racks of up to 130 kilowatts": each rack).
_PER_THING_RX = re.compile(
    r"\b(?:(?P<n>[A-Za-z]+)[- ](?:power[- ])?densit(?:y|ies)|per[- ](?P<n2>[A-Za-z]+)[- ]"
    r"(?:power|density|densities|draw|load)|(?:power|density|draw|load)\s+per\s+(?P<n3>[A-Za-z]+)"
    r"|(?P<n4>[A-Za-z]+s)(?=\s+of\b))"
    r"(?:\s+(?:of|at|reaching|reach|reaches|hitting|as high as|up to|to|around|about|above|over|of up to|"
    r"will|can|could|may|be|is|are|was|were|exceeding|topping|more than|nearly|roughly|approximately|some)){0,4}\s*$",
    re.I)

# A measure in a clause about each of a counted thing is per that thing ("Each rack in the
# building can draw up to 180 kilowatts"); a clause joined after it is about something else
# ("Each rack holds 72 GPUs, and the campus will draw 300 MW").
_NEXT_CLAUSE = r"(?:,\s*|\s+)(?:and|but|while|whereas)\s+(?:the|its|their|a|an|this|that|these|those)\b"
_EACH_THING_RX = re.compile(r"(?:^|[.;:!?\n]\s*|\band\s+)[Ee]ach\s+(?P<n>[A-Za-z]+)\b"
                            r"(?:(?!" + _NEXT_CLAUSE + r")[^.;:!?\n])*$")
# A figure followed by what it is for one of: "$45.70 a share", "130 kW a rack", "$47.50 in cash
# for each Ridgeline share", "9.6 terabytes a second". After "a", the thing must end its phrase:
# in "$5 billion a company spokesman said" the company is no denominator.
_PER_AFTER_RX = re.compile(
    r"\s+(?:in\s+(?:cash|stock)\s+)?(?:(?P<per>per|for\s+each|for\s+every|each)|an?)\s+"
    r"(?:[A-Z][\w.&'’-]*\s+){0,2}(?P<n>[A-Za-z][\w-]*)"
    r"(?(per)|(?=\s*(?:[,.;:!?)\n]|$)|\s+(?:in|on|at|for|and|or|to|from|with|by|of|was|is|were|are|which|that|the)\b))")
# "180 kW apiece", "50 MW each": per one of the counted things its clause is about.
_APIECE_RX = re.compile(r"\s+(?:apiece|each)\b")
_CLAUSE_START = re.compile(r"[.;:!?\n][^.;:!?\n]*$")


def _per_thing_after(text: str, pos: int, hi: int, unit: str) -> str | None:
    """The denominator a figure is written per after it (`_PER_AFTER_RX`, `_APIECE_RX`): a
    counted thing, or "a second" for a unit whose rate per second is a unit (B/s), or None."""
    m = _PER_AFTER_RX.match(text, pos, hi)
    if m:
        word = m.group("n")
        if word.lower() in ("second", "sec"):
            return "s" if f"{unit}/s" in DIMENSIONS else None
        return _counted(word)
    if _APIECE_RX.match(text, pos, hi):
        cm = _CLAUSE_START.search(text, 0, pos)
        clause = text[cm.start() + 1 if cm else 0:pos]
        for word in re.findall(r"[A-Za-z][\w-]*", clause):
            if singular(word) != word and _counted(word):
                return _counted(word)
    return None


_KNOWN_COUNTS = set(COUNT_NOUNS.values())
# one of these is a count that news reports ("one man died", "killed one child")
_PEOPLE = {"man", "woman", "child", "boy", "girl", "baby", "person", "soldier", "civilian", "officer",
           "policeman", "student", "teenager", "teen", "militant", "worker", "resident", "victim",
           "climber", "firefighter", "passenger", "driver", "pilot", "journalist", "doctor", "patient",
           "inmate", "prisoner", "suspect", "protester", "tourist", "fan", "player", "employee"}
_AUDIENCE_RX = re.compile(r"\s+(?:[a-z]+\s+)?(?:people|viewers|users|customers|subscribers|visitors|readers|"
                          r"listeners|households|homes|passengers|fans|voters|residents|members|downloads|"
                          r"players|followers|accounts|devices|shares|barrels|tonnes|tons)\b")
_INCHES_RX = re.compile(r"(?P<sep>\s?-\s?|,?\s(?:and\s)?)(?P<n>\d{1,2}|[A-Za-z]+)(?:\s?(?P<u>inches|inch|in\b|\"|”|″))?")
_FOLLOW_WORD = re.compile(r"[\s-]*([A-Za-z][A-Za-z'’.\-]*)")
# what follows "N times" when it multiplies something ("five times the legal limit", "3.3 times
# Blackwell Ultra", "ten times today's level", "2.5 times faster"); anything else counts occasions
_MULTIPLE_OF_RX = re.compile(
    r"\s+(?:the|as|that|what|its|his|her|their|our|this|more|less|"
    r"(?!(?:per|after|ever|never|later|earlier|under|over|other|together|whether|either|rather)\b)[a-z]+er\b|"
    r"[a-z]+\s?['’]\s?s\b|[A-Z$€£]|\d)")
_RATE_RX = re.compile(r"\s*(?:/|per\b|-an?-(?=[a-z])(?!share))\s*", re.I)  # "$2.49 per hour", "$6.99-a-month"
_VERB_HEAD_RX = re.compile(r"^(?:[a-z]{3,}ing|[a-z]{3,}(?<!e)ed|became|become|went|came|met|fought|spoke|said|were|are|"
                           r"had|have|did|do|made|took|left|sat|stood|got|began|knew|saw)$")
_INCH_MARK_RX = re.compile(r"\s?(?P<mark>[\"”″])(?=[\s+,.;:)\-]|$)")


def _is_inch_mark(text: str, lo: int, num_start: int, mark: str) -> bool:
    """A double prime is always inches; a straight or closing quote is, unless it closes a
    quotation opened earlier in the sentence ('he said "we sold 10" ...')."""
    if mark == "″":
        return True
    before = text[lo:num_start]
    quotes = len(re.findall(r'(?<!\d)(?<!\d )"', before))  # an earlier inch mark is no quotation
    return quotes % 2 == 0 and before.count("“") <= len(re.findall(r"(?<!\d)”", before))


def _match_currency_word(rest: str) -> tuple[int, str, float] | None:
    m = _CUR_WORD_RX.match(rest)
    if not m:
        return None
    w = m.group(0).lower()
    if w in ("pounds",) or w in ("pound",):
        return None  # decided by the caller (mass or money)
    code, f = CURRENCY_WORDS[w]
    return len(m.group(0)), code, f


_DOLLAR_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("AUD", re.compile(r"\bA\$|\bAU\$|\bAUD\b|\bAustralian dollars?\b")),
    ("CAD", re.compile(r"\bC\$|\bCA\$|\bCAD\b|\bCanadian dollars?\b")),
    ("NZD", re.compile(r"\bNZ\$|\bNZD\b|\bNew Zealand dollars?\b")),
    ("HKD", re.compile(r"\bHK\$|\bHKD\b|\bHong Kong dollars?\b")),
    ("SGD", re.compile(r"\bS\$|\bSGD\b|\bSingapore dollars?\b")),
]
_US_DOLLAR_RX = re.compile(r"\bUS\s?\$|\bU\.S\.\s?\$|\bUSD\b|\bU\.?S\.? dollars?\b|\bAmerican dollars?\b")
_PLAIN_DOLLAR = {"$", "dollar", "dollars", "bucks"}


@functools.lru_cache(maxsize=32)
def plain_dollar(text: str, default: str = "USD") -> str:
    """The currency a bare "$" stands for in this article.

    An Australian paper writes "A$50 million" once and "$20 million" after: the article's own
    markers decide. One other dollar named more often than the US dollar wins; otherwise the
    outlet's dollar (`default`, e.g. "AUD" for an Australian feed) or USD.
    """
    us = len(_US_DOLLAR_RX.findall(text))
    counts = [(len(rx.findall(text)), code) for code, rx in _DOLLAR_MARKERS]
    counts = [c for c in counts if c[0]]
    if len(counts) == 1 and counts[0][0] > us:
        return counts[0][1]
    if counts or us:
        return "USD" if us >= max((c[0] for c in counts), default=0) else default
    return default


def _quantity_from_core(text: str, core: Core, lo: int, hi: int, masked, dollar: str = "USD") -> Quantity | None:
    """Grow a numeric core into a quantity: magnitude, unit, currency, qualifier."""
    value = core.value
    start, end = core.start, core.end
    raw_unit = ""
    unit = ""
    factor = 1.0
    has_currency = False
    has_magnitude = core.magnitude_done and core.is_word and core.kind == "number" and value >= 100
    qualifier = core.qualifier
    glued_letters = bool(re.match(r"[A-Za-z]", text[end:end + 1])) and not core.is_word
    notes: list[str] = []
    # --- "minus five", "negative ten"
    neg = re.search(r"(?:^|\s)(minus|negative)\s+$", text[max(lo, start - 10):start], re.I)
    if neg:
        value = -value
        start = start - (len(text[max(lo, start - 10):start]) - neg.start(1))
    # --- currency before
    before = text[max(lo, start - 8):start]
    dm = _DOLLAR_PREFIX_RX.search(before)
    if dm and not core.is_word:
        # "C$300 million", "c $ 16.4 million", "hk $ 10 billion", "aud$ 15": a named dollar
        code = _DOLLAR_PREFIXES[dm.group(1).lower().replace(".", "")]
        unit, raw_unit, has_currency = code, dm.group(0).strip(), True
        start = start - (len(before) - dm.start())
        before = ""
    cm = _CUR_PREFIX_RX.search(before) or _CUR_PREFIX_RX_CI.search(before)
    if cm and not core.is_word or (cm and core.is_word and cm.group(0).strip() in ("$", "€", "£")):
        key = cm.group(0).strip()
        code = CURRENCY_PREFIXES.get(key) or CURRENCY_PREFIXES.get(key.upper()) or CURRENCY_PREFIXES.get(key.replace(" ", ""))
        if code:
            if key == "$":
                code = dollar
            unit, raw_unit, has_currency = code, key, True
            start = start - len(cm.group(0))
    pos = end
    # --- magnitude
    if not core.magnitude_done:
        m = re.compile(r"(?P<sp>[ \t]?-?)(?P<w>[A-Za-z]+)\b").match(text, pos, hi)
        if m:
            w = m.group("w")
            lw = w.lower()
            if lw in MAGNITUDE_WORDS:
                if lw == "hundred" and text[m.end():m.end() + 5] == " and ":
                    pass
                value *= MAGNITUDE_WORDS[lw]
                pos = m.end()
                has_magnitude = True
                # "two billion" style continuation: "1.2 million, ..." stops here
            elif m.group("sp") == "" and w in MAGNITUDE_SUFFIXES and (w.isupper() or lw in ("bn", "tn", "mn") or has_currency):
                nxt = text[m.end():m.end() + 1]
                unit_here = match_unit(text[pos:hi], glued=True)
                if not (unit_here and unit_here[0] > len(w)):
                    if not (w in ("B", "T", "M") and nxt == "/"):
                        value *= MAGNITUDE_SUFFIXES[w]
                        pos = m.end()
                        has_magnitude = True
                        glued_letters = False
            elif m.group("sp") == "" and w == "m" and _AUDIENCE_RX.match(text, m.end(), hi):
                value *= 1e6  # "6.1m people", "2m viewers": millions of a counted audience, not metres
                pos = m.end()
                has_magnitude = True
                glued_letters = False
            elif m.group("sp") == "" and lw in ("bn", "mn", "tn", "k") and not has_currency:
                value *= MAGNITUDE_SUFFIXES[lw]
                pos = m.end()
                has_magnitude = True
                glued_letters = False
    # --- plus / open-ended markers: "300+", "220,000-plus", "220,000 plus"
    pm = re.compile(r"(?:\+|-plus\b|\s?plus\b(?=\s+[A-Za-z]))").match(text, pos, hi)
    if pm and not (pm.group(0).strip() == "plus" and re.match(r"\s+(?:a|an|the|\$|\d)", text[pm.end():pm.end() + 4])):
        qualifier = ">="
        pos = pm.end()
    # --- unit after
    rest = text[pos:hi]
    glued = not rest[:1].isspace() and rest[:1] != "-"
    rest_stripped = rest
    skip = 0
    if rest.startswith(("-", " -", " ")):
        skip = len(rest) - len(rest.lstrip(" -"))
        if skip > 3 or skip == 3 and not rest.startswith(" - "):
            skip = 0  # "68 - yard drive" (tokenised "68-yard") still reaches its unit
        rest_stripped = rest[skip:]
    got = match_unit(rest_stripped, glued=glued and skip == 0)
    cur_word = _match_currency_word(rest_stripped)
    sym = re.match(r"(€|£|\$|¥|₹|₩)(?![\d])", rest_stripped)
    if sym and not has_currency and skip <= 1:
        cur_word = (1, CURRENCY_PREFIXES[sym.group(1)], 1.0)
    if cur_word and (got is None or cur_word[0] >= got[0]):
        n, code, f = cur_word
        if not has_currency:
            if rest_stripped[:n].lower() in _PLAIN_DOLLAR or rest_stripped[:n] == "$":
                code = dollar
            unit, raw_unit, factor, has_currency = code, rest_stripped[:n], f, True
        pos += skip + n
        got = None
    elif got is not None:
        n, spec, form = got
        if form.lower() in ("pound", "pounds"):
            # money after magnitude words ("20 million pounds"), mass otherwise
            if has_magnitude or has_currency:
                unit, raw_unit, factor, has_currency = "GBP", form, 1.0, True
            else:
                unit, raw_unit, factor = spec.canonical, form, spec.factor
            pos += skip + n
        elif has_currency and spec.canonical in ("m", "kg") and form in ("m", "b", "t"):
            pass  # "$10m" handled as magnitude earlier
        elif has_currency:
            pass  # "$5 billion" followed by something unit-like: keep the currency
        else:
            unit, raw_unit, factor = spec.canonical, form, spec.factor
            pos += skip + n
            glued_letters = False
    if not unit and core.kind == "number" and not core.is_word:
        im = _INCH_MARK_RX.match(text, pos, hi)
        if im and _is_inch_mark(text, lo, core.start, im.group("mark")):
            # '70"+ TV', 'a 10 " pipe': the inch mark, when it closes no quotation
            unit, raw_unit, factor = "m", "in", 0.0254
            pos = im.end()
            if text[pos:pos + 1] == "+":
                qualifier, pos = ">=", pos + 1
    if raw_unit.lower() in ("foot", "feet", "ft"):
        # "six-foot-five", "6 feet 2 inches", "5 ft 10 in": one height in two units
        im = _INCHES_RX.match(text, pos, hi)
        if im:
            inches = SMALL_NUMBERS.get(im.group("n").lower()) if not im.group("n").isdigit() else int(im.group("n"))
            if inches is not None and inches < 12 and (im.group("u") or im.group("sep").strip() == "-") \
                    and not re.match(r"\s?[,.]?\d", text[im.end():im.end() + 2]):
                value = value + inches / 12
                pos = im.end()
    is_count = False
    noun_phrase = ""
    if raw_unit.lower() == "times" and not _MULTIPLE_OF_RX.match(text, pos, hi):
        unit, is_count = "time", True  # "arrested five times before", not "five times the limit"
    if glued_letters and not unit:
        return None  # H100-style tokens were skipped earlier; "7H12", "5G", "2nd" land here
    if not unit and core.kind == "number" and core.is_word and core.value == 1 and re.match(
            r"\s+of\b", text[pos:pos + 4]):
        return None  # "one of the largest AI systems", "one of them": an idiom, not a count
    if not unit and core.kind == "number":
        cc = _count_chunk(text, pos, hi)
        if cc and core.value > 1 and _VERB_HEAD_RX.search(cc[2]) and singular(cc[2]) == cc[2] \
                and text[pos:pos + 1] != "-":
            cc = None  # "the two became close", "with the two rendezvousing": a verb, not what is counted
        if cc:
            cend, cunit, _head, noun_phrase = cc
            unit, raw_unit, is_count = cunit, _head, True
            spec = UNITS.get(_head.lower())
            if spec is not None and spec.canonical == "m":
                # "548 rushing yards": a length with a modifier in between, not a count of yards
                unit, factor, is_count = spec.canonical, spec.factor, False
            pos = cend
    if not unit and core.kind == "number" and core.value == 1 and core.is_word:
        pm_ = re.match(r"\s+([a-z]+)\b(?!['’])", text[pos:pos + 40])
        if not (pm_ and pm_.group(1) in _PEOPLE):
            pm_ = re.match(r"\s+[a-z]+\s+([a-z]+)\b(?!['’])", text[pos:pos + 40])
        if pm_ and pm_.group(1) in _PEOPLE:
            unit, raw_unit, is_count = pm_.group(1), pm_.group(1), True  # "one man died", "one armed militant"
            pos += pm_.end()

    if core.kind == "fraction" and not unit:
        unit = "fraction"
    if core.kind == "multiplier":
        unit = "x"
    # --- rates: "$2.49 per hour", "1.2 TB/s" (already a unit), "$0.10 per GPU-hour"
    if unit and not is_count:
        rm = _RATE_RX.match(text, pos, hi)
        if rm:
            rest2 = text[rm.end():hi]
            den = match_unit(rest2, glued=True)
            if den is None and re.match(r"[A-Z][a-z]+\b", rest2):
                den = match_unit(rest2[:1].lower() + rest2[1:], glued=True)  # "Save $5/Month"
            nm = re.match(r"(\d[\d,]*)\s+", rest2)
            den_count = None
            den_num = ""
            if nm:
                den_num = nm.group(1).replace(",", "")
                rest2b = rest2[nm.end():]
                den = match_unit(rest2b, glued=True)
                if den is None:
                    den_count = _count_chunk(text, rm.end() + nm.end() - 1, hi)
            elif den is None:
                den_count = _count_chunk(text, rm.end() - 1 if text[rm.end() - 1:rm.end()] == " " else rm.end(), hi)
            if den is not None:
                n2, spec2, _form2 = den
                if spec2.canonical not in ("x", "%"):
                    base = nm.end() if nm else 0
                    unit = f"{unit}/{(den_num + ' ') if den_num else ''}{spec2.canonical}"
                    factor = factor / spec2.factor
                    pos = rm.end() + base + n2
            elif den_count is not None:
                unit = f"{unit}/{(den_num + ' ') if den_num else ''}{den_count[1]}"
                pos = den_count[0]
    if unit and "/" not in unit and not is_count and unit not in ("%", "x", "fraction", "pp", "bp"):
        per = _per_thing_after(text, pos, hi, unit)
        if per:
            unit = f"{unit}/{per}"  # "$45.70 a share", "$47.50 in cash for each Ridgeline share"
        elif not has_currency:
            dm = _PER_THING_RX.search(text[max(lo, start - 60):start])
            thing = next((n for n in (dm.group("n"), dm.group("n2"), dm.group("n3"), dm.group("n4"))
                          if n), "") if dm else ""
            per = _counted(thing) if not dm or not dm.group("n4") or singular(thing) != thing else None
            em = None if per else _EACH_THING_RX.search(text[max(lo, start - 160):start])
            per = per or (_counted(em.group("n")) if em else None)
            if per:
                unit = f"{unit}/{per}"  # "rack densities of up to 123kW", "each rack can draw 180 kW"
    value = value * factor
    # --- qualifier before
    before = text[lo:start]
    qm = _QUAL_RX.search(before)
    if qm and qualifier == "=":
        word = qm.group("q")
        for rx, q in _QUAL_MAP:
            if rx.match(word.strip()):
                qualifier = q
                break
        start = qm.start("q") + lo
    if qualifier == ">" and unit in ("year", "month", "week", "day", "hour", "minute") and qm \
            and qm.group("q").lower() == "over":
        qualifier = "="  # "over four years" is a period, not a bound
    # "or so", "or more", "and up" after the quantity
    after = re.compile(r"\s+(?:or so|or more|and up|and above|or less|and below|or fewer)\b(?!\s*(?:\d|[a-z]+\s*\d|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|a\s))").match(text, pos, hi)
    if after:
        tail = after.group(0).strip()
        qualifier = {"or so": "~", "or more": ">=", "and up": ">=", "and above": ">=", "or less": "<=",
                     "and below": "<=", "or fewer": "<="}[tail]
        pos = after.end()
    # --- change: "rose 12%", "cut by half", "up 19 cents", "a 30% increase"
    before2 = text[lo:start]
    chm = _CHANGE_RX.search(before2)
    if chm and chm.group("v").lower() == "off" and _PHRASAL_OFF.search(before2[:chm.start("v")]):
        chm = None  # "lay off 15%", "paid off $2 billion", "wrote off": not a decrease of a level
    if chm and core.kind != "multiplier":
        verb = chm.group("v").lower()
        if chm.group("by") or unit in ("%", "pp", "bp", "x", "fraction") or verb in ("up", "down", "added", "adds", "adding", "add", "off") \
                or verb.startswith(("shav", "shed")):
            qualifier = "up" if _UP_RX.match(verb) else "down"
    elif core.kind != "multiplier" and re.search(r"\bby\s+(?:(?:up to|about|nearly|roughly|more than|over|almost|some|around)\s+)?$", before2):
        clause = re.split(r"[,;:()]", before2)[-1]
        vm = re.search(rf"\b(?P<v>{_UP_VERBS}|{_DOWN_VERBS})\b", clause, re.I)
        if vm and len(clause[vm.end():].split()) <= 8:
            qualifier = "up" if _UP_RX.match(vm.group("v")) else "down"
    if qualifier not in ("up", "down") and unit in ("%", "pp", "bp", "x") and core.kind != "multiplier":
        am = _CHANGE_AFTER_RX.match(text, pos, hi)
        if am:
            qualifier = "down" if am.group("w").lower() in _DOWN_AFTER else "up"
    q = Quantity(
        value=value, unit=unit, start=start, end=pos, qualifier=qualifier,
        raw_value=value / factor if factor else value, raw_unit=raw_unit, factor=factor,
        has_currency=has_currency, has_magnitude=has_magnitude, has_unit=bool(unit) and unit != "fraction",
        is_count=is_count, is_word=core.is_word, num_start=core.start, num_end=core.end,
        digits=core.digits, noun_phrase=noun_phrase, notes=notes,
        kind_bare=core.kind == "number" and not unit,
    )
    return q


def _is_name_number(text: str, q: Quantity, lo: int) -> bool:
    """'Colossus 1', 'Claude 3', 'Section 427', 'Quantum 200 Infiniband': a name, not a quantity."""
    if q.has_currency or (q.has_unit and not q.is_count) or q.is_word or q.qualifier != "=":
        return False
    before = text[lo:q.num_start]
    if q.has_magnitude and not q.has_currency:
        # "Claude-Ultra” 90B", "Llama 3.1 405B": a model size inside a name
        if not text[q.num_end:q.num_end + 1].isalpha():
            return False
        m2 = re.search(r"([A-Za-z][A-Za-z0-9.&'’\-]*)[”\"’']?[ \t\-]?(?:\d+(?:\.\d+)*[ \t])?$", before)
        if not m2:
            return False
        w2 = m2.group(1)
        return w2[0].isupper() and w2.lower().rstrip(".") not in _STOP_CAPS
    m = re.search(r"([A-Za-z][A-Za-z0-9.&'’\-]*)[”\"’']?[ \t\-]?$", before)
    if not m:
        return False
    word = m.group(1)
    lw = word.lower().rstrip(".")
    if q.is_count and q.has_unit and re.search(r"\w['’]s?$", word):
        return False  # "Lumenstack's 13 data centers": a possessor owns the count, it names no model
    if lw in _LABEL_WORDS or word.lower() in _LABEL_WORDS:
        return True
    if re.fullmatch(r"[a-z]{1,3}[A-Z][A-Za-z]*", word):
        return True  # "iOS 12", "iPhone 7 refurbs", "eBay 2": a camel-case product name
    if word[0].isupper() and lw not in _STOP_CAPS and lw not in _MONTH_WORDS and lw not in _WEEKDAYS:
        # sentence-initial words are handled by _STOP_CAPS; acronyms like "NVMe 8" are units, fine
        if q.is_count and word.isupper() and len(word) <= 4 and "," in q.digits:
            return False
        return True
    return False


def _is_glued_model(text: str, q: Quantity, lo: int) -> bool:
    """'Ascend 910C', 'Ryzen 9950X', 'Core 14900K': a model number whose last letter looks like
    a unit, right after a capitalised name."""
    if q.has_currency or q.is_count or q.is_word or not q.raw_unit or len(q.raw_unit) != 1:
        return False
    if text[q.num_end:q.num_end + 1] != q.raw_unit or text[q.num_end + 1:q.num_end + 2].isalnum():
        return False
    m = re.search(r"([A-Za-z][A-Za-z0-9\-]*)[ \t\-]$", text[lo:q.num_start])
    if not m:
        return False
    word = m.group(1)
    if re.fullmatch(r"[a-z]{1,3}[A-Z][A-Za-z]*", word):
        return True  # "iPhone 5s"
    return word[0].isupper() and word.lower() not in _STOP_CAPS and word.lower() not in _MONTH_WORDS


def _is_year(q: Quantity, text: str) -> bool:
    if q.has_currency or q.is_word or (q.has_unit and not q.is_count) or q.has_magnitude:
        return False
    if not re.fullmatch(r"\d{4}", q.digits):
        return False
    v = int(q.digits)
    return 1800 <= v <= 2100


_SUBUNIT_GAP_RX = re.compile(r"\s*(?:and\s+)?")
_SUBUNIT_WORDS = {"cent", "cents", "penny", "pence", "c"}


def _merge_subunits(text: str, qs: list[Quantity]) -> list[Quantity]:
    """'3 dollars 50 cents', 'thirteen dollars and forty-five cents', '15 dollars 50': one price.

    A whole number of a currency followed by fewer than 100 of its hundredths (named, or bare
    at the end of the clause) is one amount, not two."""
    out: list[Quantity] = []
    for q in qs:
        a = out[-1] if out else None
        if a is not None and a.has_currency and not a.has_magnitude and a.raw_value == int(a.raw_value) \
                and a.factor == 1.0 and _SUBUNIT_GAP_RX.fullmatch(text[a.end:q.start]) \
                and q.raw_value == int(q.raw_value) and 0 < q.raw_value < 100 and q.qualifier == "=":
            named = q.has_currency and q.raw_unit.lower() in _SUBUNIT_WORDS and q.unit == a.unit
            bare = not q.unit and re.match(r"\s*(?:[.,;:!?)]|$)", text[q.end:q.end + 2])
            if named or bare:
                a.value += q.raw_value / 100
                a.raw_value = a.value
                a.end = q.end
                continue
        out.append(q)
    return out


def _converted(text: str, a: Quantity, q: Quantity) -> bool:
    """'55 kilometers (34 miles)', 'about 60 metres (200 feet)', '€15 ($16)': a figure in
    brackets right after another of the same dimension in another unit restates it (rounded as
    the converter pleased). It is a quantity, but no second report of one: noted "converted",
    and frames.py leaves it uncompared."""
    if not (a.unit and q.unit and a.has_unit and q.has_unit) or a.is_count or q.is_count:
        return False
    if not re.fullmatch(r"\s?\(\s?", text[a.end:q.start]) or not re.match(r"\s?\)", text[q.end:q.end + 2]):
        return False
    if a.has_currency and q.has_currency:
        return a.raw_unit.lower() != q.raw_unit.lower() or a.unit != q.unit
    if dimension_of(a.unit) != dimension_of(q.unit) or a.raw_unit.lower() == q.raw_unit.lower():
        return False
    return abs(a.value - q.value) <= 0.15 * max(abs(a.value), abs(q.value))


def _drop_restated(text: str, qs: list[Quantity]) -> list[Quantity]:
    """'four (4) size options', 'thirty (30) days': the digits in brackets restate the word;
    '55 km (34 miles)': the bracket converts the figure before it (kept, noted)."""
    out: list[Quantity] = []
    for q in qs:
        a = out[-1] if out else None
        if a is not None and _converted(text, a, q):
            q.notes.append("converted")
        if a is not None and a.is_word and not q.is_word and q.raw_value == a.raw_value \
                and re.fullmatch(r"\s?\(\s?", text[a.num_end:q.num_start]) and text[q.num_end:q.num_end + 1] == ")":
            if not a.unit:
                got = match_unit(text[q.num_end + 1:].lstrip(), glued=False) \
                    if text[q.num_end + 1:q.num_end + 2] == " " else None
                cc = _count_chunk(text, q.num_end + 1, len(text)) if got is None else None
                if got is not None:
                    n, spec, form = got
                    a.unit, a.raw_unit, a.factor, a.has_unit = spec.canonical, form, spec.factor, True
                    a.value = a.raw_value * spec.factor
                    a.end = q.num_end + 2 + n
                elif cc:
                    a.unit, a.raw_unit, a.is_count, a.has_unit, a.end = cc[1], cc[2], True, True, cc[0]
            continue
        out.append(q)
    return out


_PROPORTION_RX = re.compile(r"\s+(?:in|out of)(?:\s+every)?\s+$")


def _merge_proportions(text: str, qs: list[Quantity]) -> list[Quantity]:
    """'one in five projects', '9 in 10 operators', 'two out of three' -> a fraction."""
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        a = qs[i]
        if i + 1 < len(qs):
            b = qs[i + 1]
            between = text[a.end:b.start] + " "
            whole = b.raw_value
            if (not a.unit and a.qualifier in ("=", "~") and _PROPORTION_RX.fullmatch(between)
                    and (not b.unit or b.is_count) and b.qualifier == "=" and 0 < a.raw_value < whole
                    and float(whole).is_integer() and not re.fullmatch(r"\d{4}", b.digits)):
                out.append(Quantity(
                    value=a.raw_value / whole, unit="fraction", start=a.start, end=b.num_end,
                    qualifier=a.qualifier, raw_value=a.raw_value / whole, has_unit=False,
                    is_word=a.is_word, num_start=a.num_start, num_end=b.num_end,
                    digits=f"{a.digits}/{b.digits}"))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


_SCORE_AFTER_RX = re.compile(
    r"\s*(?:\w+\s+)?(?:win|wins|victory|victories|triumph|drubbing|rout|defeat|loss|lead|edge|run|"
    r"score|decision|round|margin|vote|verdict|final|tie|draw|deficit|advantage|spurt|burst|streak|bulge|cushion)\b", re.I)
_RECORD_AFTER_RX = re.compile(
    r"\s*(?:record|start|mark|finish|season|(?:for|on|in|this)\s+(?:the\s+)?(?:season|year|road)|"
    r",?\s*(?:with\s+)?\d+\s*(?:KOs?|knockouts))\b", re.I)
_RECORD_BEFORE_RX = re.compile(
    r"(?:\brecord\s+(?:\w+\s+){0,2}(?:to|of|at|is|was)|\b(?:improv\w*|fell|falls|dropp\w*|moved|"
    r"rose|climbed|went|go|goes|sitting|stands?|stood|now)\s+(?:[\w\-]+\s+){0,4}(?:to|at)|\(|\(\d+\s?-\s?\d+\s?,)\s*$",
    re.I)
_SCORE_BEFORE_RX = re.compile(
    r"\b(?:score\s+of|won|beat|beats|defeated|defeats|edged|routed|lost|leads?|led|trailed|trails|tied)\s+"
    r"(?:\w+\s+){0,3}$", re.I)


def _score_or_record(text: str, qs: list[Quantity], i: int, lo: int, out: list[Quantity]) -> bool:
    """'31-24 win', 'a 9-14 start', '(52-3, 46 KOs)', '45-7-2': two or three counts, not a range.

    A range is written low-high, so a dash between whole numbers that fall ("31-24") or tie
    ("12-12") is a score; rising pairs are a record only when the words around say so
    ("improved their record to 7-6", "(2-13)", "a 9-14 start"). Each side becomes its own
    count: wins/losses(/draws) for a record, points for a score.
    """
    a, b = qs[i], qs[i + 1]
    if a.unit and not a.is_count or b.unit and not b.is_count or a.is_word or b.is_word:
        return False
    if not (float(a.raw_value).is_integer() and float(b.raw_value).is_integer()) or a.qualifier != "=":
        return False
    if "," in a.digits or "," in b.digits or a.raw_value < 0 or b.raw_value < 0:
        return False
    before = text[max(lo, a.start - 40):a.start]
    after_end = b.num_end
    chain = None
    if i + 2 < len(qs) and re.fullmatch(r"\s?[-–]\s?", text[b.end:qs[i + 2].start]) and not qs[i + 2].unit \
            and float(qs[i + 2].raw_value).is_integer():
        chain = qs[i + 2]
        after_end = chain.num_end
    after = text[after_end:after_end + 30]
    record = chain is not None or bool(_RECORD_AFTER_RX.match(after)) or bool(_RECORD_BEFORE_RX.search(before))
    record = record and max(a.raw_value, b.raw_value) < 300  # games in a season, fights in a career
    score = bool(_SCORE_AFTER_RX.match(after)) or bool(_SCORE_BEFORE_RX.search(before)) or a.raw_value >= b.raw_value
    if not (record or score):
        return False
    if record and not _SCORE_AFTER_RX.match(after):
        names = ["win", "loss", "draw"]
    else:
        noun = b.unit if b.is_count and b.unit not in ("win", "victory", "loss", "defeat", "lead", "start", "record",
                                                       "mark", "edge", "run", "score", "margin", "drubbing",
                                                       "tie", "draw", "deficit", "advantage", "spurt",
                                                       "burst", "streak", "bulge", "cushion", "rout", "triumph",
                                                       "thrashing", "blowout", "romp", "decision", "final",
                                                       "victory", "defeat", "loss", "win") else ""
        names = [noun or "point"] * 3
    parts = [a, b] + ([chain] if chain is not None else [])
    for k, p in enumerate(parts):
        out.append(Quantity(
            value=p.raw_value, unit=names[k], start=p.num_start, end=p.num_end, raw_value=p.raw_value,
            is_count=True, has_unit=True, num_start=p.num_start, num_end=p.num_end, digits=p.digits,
            notes=["score"]))
    if chain is not None:
        qs.pop(i + 2)
    return True


def _merge_ranges(text: str, qs: list[Quantity], lo: int) -> list[Quantity]:
    """'10-12 GW', 'between 5 and 7 billion', 'from 8 kW to 40 kW' -> one range quantity."""
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        a = qs[i]
        if i + 1 < len(qs):
            b = qs[i + 1]
            between = text[a.end:b.start]
            pre = text[max(lo, a.start - 9):a.start].lower()
            # a line break is no range ("- 300 MW\n- 2 GW": a list's bullets)
            conn = "\n" not in between and re.fullmatch(r"\s*(?:-|–|—|to|through|and|-\s*to)\s*", between)
            ok = bool(conn)
            if ok and "and" in between and not pre.rstrip().endswith("between"):
                ok = False
            if ok and between.strip() in ("-", "–", "—") and (a.unit and b.unit and a.unit != b.unit):
                ok = False
            if ok and a.qualifier in ("up", "down") or ok and b.qualifier in ("up", "down"):
                ok = False
            if ok and _is_year(a, text) and _is_year(b, text):
                ok = False  # "from 2004 to 2017": a span of years, which are not quantities
            if ok and between.strip() == "—" and a.is_word != b.is_word:
                ok = False  # "a design from 2015—one that it had tried": an aside, not a range
            if (ok and "to" in between or _CHANGE_GAP_RX.fullmatch(between)) and _change_from(text[lo:a.start]):
                # "cut water use from 290 million gallons to 45 million": two levels, the earlier
                # and the current one, never one range between them
                _share_units(a, b)
                a.notes.append("change-from")
                b.notes.append("change-to")
                out.extend((a, b))
                i += 2
                continue
            bounds = {a.qualifier, b.qualifier}
            if not ok and re.fullmatch(r"\s*(?:,|and|but|,\s*and|,\s*but)\s*", between) and (
                    bounds <= {">", ">=", "<", "<="} and len({q[0] for q in bounds}) == 2):
                floor, ceiling = (a, b) if a.qualifier[0] == ">" else (b, a)
                ok = floor.raw_value < ceiling.raw_value  # "more than 40 and less than 10" bounds nothing
            if (ok and between.strip() in ("-", "–") or re.fullmatch(r"\s?:\s?", between)) \
                    and _score_or_record(text, qs, i, lo, out):
                i += 2
                continue
            if ok and a.has_currency and not a.has_magnitude and not b.unit and b.has_magnitude \
                    and between.strip() in ("-", "–", "to") and b.qualifier == "=":
                # "$40-50 billion": the currency written on the low end, the scale on the high end
                b.unit, b.raw_unit, b.has_currency, b.has_unit = a.unit, a.raw_unit, True, True
                b.raw_value = b.value
                a.raw_value, a.has_magnitude = a.value, False
            compatible = (a.unit == b.unit) or (not a.unit or a.unit == "fraction") and b.unit
            # "$30 to $45 per megawatt-hour": the rate written once covers both ends
            rate_end = bool(a.unit) and b.unit.startswith(a.unit + "/") and a.has_currency == b.has_currency
            if ok and (compatible or rate_end):
                if rate_end:
                    a_val = a.raw_value * b.factor
                elif not a.unit or a.unit == "fraction" and b.unit != "fraction" or (
                        a.unit == b.unit and b.has_magnitude and not a.has_magnitude):
                    # "between $140 and $150 million": the scale written once covers both ends
                    a_raw = a.raw_value
                    mag = 1.0
                    if b.has_magnitude and not a.has_magnitude and b.raw_value > a_raw:
                        # "between 5 and 7 billion": the magnitude applies to both ends
                        for m in sorted({1e3, 1e6, 1e9, 1e12}, reverse=True):
                            if b.raw_value / m >= 1 and (b.raw_value / m) < 1e3 and abs(b.raw_value / m - round(b.raw_value / m, 6)) < 1e-9:
                                if a_raw < b.raw_value / m * 10:
                                    mag = m
                                break
                    a_val = a_raw * mag * b.factor
                else:
                    a_val = a.value
                lo_v, hi_v = sorted((a_val, b.value))
                r = Quantity(
                    value=(lo_v + hi_v) / 2, unit=b.unit, start=a.start, end=b.end, qualifier="range",
                    low=lo_v, high=hi_v, raw_value=(a_val / b.factor if b.factor else a_val),
                    raw_unit=b.raw_unit, factor=b.factor, has_currency=b.has_currency or a.has_currency,
                    has_magnitude=a.has_magnitude or b.has_magnitude, has_unit=b.has_unit, is_count=b.is_count,
                    is_word=a.is_word and b.is_word, num_start=a.num_start, num_end=b.num_end,
                    digits=a.digits + "-" + b.digits, noun_phrase=b.noun_phrase,
                )
                pre_full = text[lo:a.start]
                fm = re.search(r"\b(?:between|from)\s*$", pre_full, re.I)
                if fm:
                    r.start = fm.start() + lo
                out.append(r)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


# A verb or noun of change right before "from X to Y" makes it a move from one level to another
# ("rose from", "cut its water use from", "a reduction in PUE from"); without one it is a range
# ("temperatures from 18 to 27 C", "rates from $30 to $45").
_CHANGE_WORDS = (rf"{_UP_VERBS}|{_DOWN_VERBS}|go|goes|going|gone|went|mov(?:e|ed|es|ing)|"
                 r"chang(?:e|ed|es|ing)|shift(?:ed|s|ing)?|rais(?:e|ed|es|ing)|doubl(?:e|ed|es|ing)|"
                 r"tripl(?:e|ed|es|ing)|halv(?:e|ed|es|ing)|upgrad(?:e|ed|es|ing)|revis(?:e|ed|es|ing)|"
                 r"bump(?:ed|s|ing)?|scal(?:e|ed|es|ing)|ramp(?:ed|s|ing)?|bring|brings|brought|"
                 r"tak(?:e|es|ing)|took|taken|increase|reduction|decrease|decline|drop|fall|rise|growth|"
                 r"jump|expansion|improvement|upgrade|cut|shift|move|change|switch(?:ed|es|ing)?")
_CHANGE_FROM_RX = re.compile(
    rf"\b(?:{_CHANGE_WORDS})\b(?:\s+(?!(?:and|but|or|while|which|that)\b)[\w'’.-]+){{0,6}}?\s+from\s+"
    r"(?:(?:about|around|roughly|approximately|nearly|some|just|an estimated|more than|over|under|"
    r"less than|almost)\s+)?$", re.I)


# what may stand between a change's two levels: "from 290 million gallons a year to",
# "from 150MW of IT load today to"
_CHANGE_GAP_RX = re.compile(
    r"\s*(?:(?:a|an|per|each|every)\s+(?:year|month|week|day|quarter)\s+|of\s+(?:[A-Za-z][\w-]*\s+){1,4}?)?"
    r"(?:(?:today|now|currently|at present|at the moment)\s+)?(?:,\s*)?to\s*", re.I)


def _change_from(before: str) -> bool:
    """Does `before` (the text up to the first figure) end in a change's "from"?"""
    clause = re.split(r"[;:()]|,\s", before)[-1]
    return bool(_CHANGE_FROM_RX.search(clause))


def _share_units(a: Quantity, b: Quantity) -> None:
    """'from 290 to 45 million gallons', 'from 290 million gallons to 45 million': the unit (and
    the scale) written at one end of a change covers the other."""
    if not a.unit and b.unit:
        mag = 1.0
        if b.has_magnitude and not a.has_magnitude:
            for m in (1e12, 1e9, 1e6, 1e3):
                if b.raw_value / m >= 1 and abs(b.raw_value / m - round(b.raw_value / m, 6)) < 1e-9:
                    mag = m if a.raw_value < b.raw_value / m * 10 else 1.0
                    break
        a.raw_value *= mag
        a.unit, a.raw_unit, a.factor = b.unit, b.raw_unit, b.factor
        a.value = a.raw_value * b.factor
        a.has_currency, a.is_count, a.has_magnitude = b.has_currency, b.is_count, a.has_magnitude or mag > 1
        a.has_unit = b.has_unit
    elif not b.unit and a.unit and a.unit not in ("x", "fraction"):
        b.unit, b.raw_unit, b.factor = a.unit, a.raw_unit, a.factor
        b.value = b.raw_value * a.factor
        b.has_currency, b.is_count, b.has_unit = a.has_currency, a.is_count, a.has_unit


_NOUN_BEFORE_RX = re.compile(
    r"\b(?P<n>[A-Za-z]+(?: [A-Za-z]+)??)\s+(?:(?P<v>stood|stands|was|were|is|are|reached|hit|totall?ed|"
    r"numbered|rose|fell|grew|climbed|dropped|shrank|jumped|increased|decreased|declined)\s+)?"
    r"(?P<p>from|to|at|of|by|totall?ing|numbering)?\s*"
    r"(?:(?:about|around|roughly|nearly|some|almost|just|over|under|more than|fewer than|less than|"
    r"an estimated|approximately)\s+)?$", re.I)


# "nine of the 10", "17 of his team's first 24 points", "five of Creighton ’ s first eight":
# a part named by the whole it is part of (a determiner or a possessor, then at most two words)
_PART_OF_RX = re.compile(r"\s+of\s+(?:the|its|their|our|his|her|this|these|those|[A-Z][\w.-]*\s?['’]\s?s)"
                         r"(?:\s+(?:[a-z][\w-]*\s?['’]\s?s|[a-z][\w-]*)){0,2}\s+")
_OF_THE_RX = re.compile(r"\s+of\s+(?:the|its|their|our|his|her|these|those|[A-Z][\w.-]*\s?['’]\s?s)\s")
_COLLECTIVE_NOUNS = {"staff", "headcount", "workforce", "personnel", "fleet"}


def _inherit_units(text: str, qs: list[Quantity], lo: int) -> None:
    """'45 and 50 mg', 'up from 4,000', 'nine of the 10 customers': a bare number takes the unit next to it."""
    for i, q in enumerate(qs):
        if q.unit:
            continue
        # "support staff from 9,000 to 5,000", "headcount of 5,000", "GPUs to 100,000":
        # a known counted noun right before the number names what it counts
        nm = _NOUN_BEFORE_RX.search(text[max(lo, q.num_start - 60):q.num_start])
        if nm and not nm.group("p") and (nm.group("v") or "").lower() not in ("reached", "hit", "totaled",
                                                                               "totalled", "numbered"):
            nm = None
        if nm:
            noun = nm.group("n").lower().replace("’", "'")
            last = noun.split()[-1]
            unit = COUNT_NOUNS.get(noun) or COUNT_NOUNS.get(last)
            collective = last in _COLLECTIVE_NOUNS
            plural = singular(last).lower() != last
            if (nm.group("p") or "").lower() == "of" and not collective or not (collective or plural):
                unit = None  # "a company of 500" is not 500 companies
            if unit:
                q.unit, q.raw_unit, q.is_count = unit, nm.group("n"), True
                continue
        if q.qualifier == "range":
            continue
        if i > 0 and q.kind_bare and re.match(r"\s*(?:[.;!?)]|$)", text[q.end:q.end + 2]) \
                and not re.search(r"\b(?:from|than|versus|vs\.?|to|by|of)\s*$", text[qs[i - 1].end:q.start]):
            # "Each server holds 16 chips; an UltraServer links 64.": the count named before
            prev = [p for p in qs[:i] if p.is_count and p.unit != "time"]
            if prev and len({p.unit for p in prev}) == 1:
                q.unit, q.raw_unit, q.is_count = prev[-1].unit, prev[-1].raw_unit, True
                continue
        if i + 1 < len(qs):
            b = qs[i + 1]
            between = text[q.end:b.start]
            if between in (" ",) and b.unit and not b.is_count:
                cc = _count_chunk(text, b.end, len(text))
                if cc:
                    q.unit, q.raw_unit, q.is_count = cc[1], cc[2], True
                    continue
            if b.unit and b.unit not in ("x", "fraction") and re.fullmatch(r"\s*(?:,|and|or|,\s*and|,\s*or)\s*", between) and not b.has_currency:
                q.unit, q.raw_unit, q.factor = b.unit, b.raw_unit, b.factor
                q.value = q.raw_value * b.factor
                q.is_count = b.is_count
                continue
            if b.unit and b.is_count and _PART_OF_RX.fullmatch(between):
                q.unit, q.raw_unit, q.is_count = b.unit, b.raw_unit, True
                continue
        if q.kind_bare:
            # "123 of the planes", "40 of its stores": a part named by its whole's plural noun
            om = _OF_THE_RX.match(text, q.end)
            cc = _count_chunk(text, om.end() - 1, len(text)) if om else None
            if cc and singular(cc[2]).lower() != cc[2].lower() and not (i + 1 < len(qs) and qs[i + 1].start < cc[0]):
                q.unit, q.raw_unit, q.is_count = cc[1], cc[2], True
                continue
        if i > 0:
            a = qs[i - 1]
            between = text[a.end:q.start]
            if a.unit and a.unit not in ("x", "fraction", "%") and q.kind_bare and re.fullmatch(
                    r",?\s+(?:of|among)\s+(?:which|whom|them|those|these)\s+", between):
                # "1,100 acres, of which about 400 will be used for solar"
                q.unit, q.raw_unit, q.factor = a.unit, a.raw_unit, a.factor
                q.value = q.raw_value * a.factor
                q.has_currency, q.is_count = a.has_currency, a.is_count
                continue
            if a.unit and a.unit not in ("x", "fraction", "%") and re.search(
                    r"\b(?:from|than|versus|vs\.?|compared (?:with|to)|against)\s*$", between) and len(between) < 60:
                q.unit, q.raw_unit, q.factor = a.unit, a.raw_unit, a.factor
                q.value = q.raw_value * a.factor
                q.has_currency = a.has_currency
                q.is_count = a.is_count


def _counted(word: str) -> str | None:
    """The counted thing a word names, by its canonical name ("racks", "Rack" -> "rack"), or None."""
    return COUNT_NOUNS.get(word) or COUNT_NOUNS.get(singular(word)) or COUNT_NOUNS.get(singular(word).lower())


# "72 GPUs per rack", "72 GPUs and 36 "Grace" CPUs per rack" (the "per" closes the list)
_PER_COUNT_RX = re.compile(r"(?:\s*(?:,\s*)?(?:and|&)\s+[\d.,]+\s+[^\d.;:,()]{1,30}?)?\s+(?:per|each|every)\s+([A-Za-z][\w-]*)")


def _per_thing_counts(text: str, qs: list[Quantity]) -> None:
    """'72 GPUs per rack', '72 GPUs and 36 CPUs per rack': a count per counted thing is a rate
    ('GPU/rack'), never the total of those things; one "per" after a list covers the list."""
    for k in range(len(qs) - 1, -1, -1):
        q = qs[k]
        if not q.is_count or "/" in q.unit or not q.unit:
            continue
        m = _PER_COUNT_RX.match(text, q.end)
        word = m.group(1) if m else ""
        per = _counted(word)
        if not per and k + 1 < len(qs) and "/" in qs[k + 1].unit and qs[k + 1].is_count \
                and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[q.end:qs[k + 1].start]):
            per = qs[k + 1].unit.split("/", 1)[1]
        if per and per != q.unit:
            q.unit = f"{q.unit}/{per}"


_ONLY_RX = re.compile(r"\b(?:only|just|exactly)\s+$", re.I)
_RANK_AFTER_RX = re.compile(r"\s?-?\s?(?:seed(?:ed)?|caliber|calibre)\b", re.I)


def _not_an_amount(text: str, q: Quantity, lo: int) -> bool:
    """Numbers that name a basis, a rank or a model rather than measure an amount.

    "in 2006 dollars" is a price basis; "a two-seeded team" is a
    rank; ".38 caliber" names a cartridge.
    """
    if q.has_currency and re.fullmatch(r"(?:18|19|20)\d\d", q.digits) and not q.has_magnitude \
            and re.search(r"\bin\s+(?:constant\s+)?$", text[max(lo, q.start - 16):q.start]):
        return True
    if not q.unit and _RANK_AFTER_RX.match(text, q.num_end):
        return True
    if q.unit == "m" and re.match(r"(?:yards?|yd)$", q.raw_unit, re.I) and re.match(r"\s+line\b", text[q.end:q.end + 6]):
        return True  # "the Colts 16-yard line": a place on the field, not a distance
    if not q.unit and _LABEL_LIST_RX.search(text[max(lo, q.start - 60):q.start]):
        return True  # "Internet Explorer versions 6, 7, 8, and 9"
    if q.is_word and q.raw_value == 0 and q.unit not in ("%", "°") \
            and re.fullmatch(r"(?:-\s?[a-z]+s?|\s[a-z]*[^s\W])", text[q.num_end:q.end], re.I):
        # "a zero-day flaw", "zero-days", "zero-emission buses": zero joined to a noun names a
        # kind of thing; an amount of nothing takes the plural ("zero days", "zero degrees")
        return True
    if q.unit == "fraction" and q.digits.lower().endswith("half") and q.end == q.num_end \
            and re.match(r"\s?-\s?[A-Za-z]", text[q.num_end:q.num_end + 4]):
        return True  # "half-brothers", "Half-sister": a kinship, not half of something
    return False


_LABEL_LIST_RX = re.compile(
    r"\b(?:versions?|releases?|models?|chapters?|sections?|pages?|episodes?|weeks?|rounds?|games?|"
    r"seasons?|routes?|exits?|gates?)\s+(?:\d+(?:\.\d+)?,?\s+(?:and\s+|or\s+|&\s+)?)*$", re.I)
_AGE_BEFORE_RX = re.compile(
    r"(?:(?:[A-Z][\w.'’\-]*|\b(?:actress|actor|singer|star|player|man|woman|boy|girl|teen|teenager|suspect|"
    r"victim|driver|officer|mother|father|son|daughter|wife|husband|brother|sister|student|coach|rapper|"
    r"model|comedian|climber|inmate|gunman|pilot|guard|forward|quarterback|pitcher|striker))\)?,|,\s+now|\baged?)\s+$")


def _mark_age(text: str, q: Quantity, lo: int) -> None:
    """'King, 39, a clerk', 'Timmons, now 16,': an age after a name is a number of years."""
    if q.unit or q.is_word or not re.fullmatch(r"\d{1,3}", q.digits) or not 0 < q.raw_value < 120:
        return
    if re.search(r"\d\s?,\s?$", text[max(lo, q.start - 4):q.start]) or re.match(r"\s?,\s?(?:and\s+)?\d", text[q.end:q.end + 8]):
        return  # "Windows XP, Vista, 7, 8": a list of numbers, not an age
    if _AGE_BEFORE_RX.search(text[max(lo, q.start - 30):q.start]) and re.match(
            r"\s?[,)]|\s[–—-]\s|\s+(?:was|is|were|has|had|who|of|from|and|or)\b", text[q.end:q.end + 6]):
        q.unit, q.raw_unit, q.has_unit = "year", "", True
        q.notes.append("age")
    elif re.search(r"\b(?:I['’]m|I am|(?:he|she)(?:['’]s| is| was)|I was)\s+$", text[max(lo, q.start - 10):q.start]) \
            and re.match(r"\s?[,.;(]|\s+(?:and|but|when|now)\b", text[q.end:q.end + 6]):
        q.unit, q.raw_unit, q.has_unit = "year", "", True
        q.notes.append("age")  # "I'm 74 and was tempted", "since I was 17 ("
    elif re.search(r"\bage\s+$", text[max(lo, q.start - 5):q.start]) and re.match(r"\s?[,.;)]|$", text[q.end:q.end + 2]) \
            or re.fullmatch(r"\s*At\s+", text[lo:q.start]) and text[q.end:q.end + 1] == ",":
        q.unit, q.raw_unit, q.has_unit = "year", "", True
        q.notes.append("age")  # "retired at age 43.", "At 16, he went"
    elif re.search(r"\b(?:at|by|from|until|since|under|over)\s+the\s+age\s+of\s+$", text[max(lo, q.start - 24):q.start],
                   re.I):
        q.unit, q.raw_unit, q.has_unit = "year", "", True
        q.notes.append("age")  # "at the age of 9"


_STAFF_BEFORE_RX = re.compile(r"\b(?:employ|employs|employed|employing|hire|hires|hired|hiring|workforce of|"
                              r"staff of|headcount of)\s+(?:\w+\s+){0,2}$", re.I)
_STAFF_AFTER_RX = re.compile(r"\s+(?:\w+\s+)?(?:work|works|worked|working|are employed|were employed)\b", re.I)


def _mark_staff(text: str, q: Quantity, lo: int) -> None:
    """'employs 2,300 people', '48,000 people work there': people who are staff count as employees."""
    if q.unit != "person":
        return
    if _STAFF_BEFORE_RX.search(text[max(lo, q.start - 40):q.start]) or _STAFF_AFTER_RX.match(text, q.end):
        q.unit = "employee"


def _finite(q: Quantity) -> bool:
    """Whether a quantity's values are real numbers: 400 nines overflow to infinity, which no
    comparison, consensus or JSON output can use."""
    return all(math.isfinite(v) for v in (q.value, q.low, q.high) if v is not None)


def find_quantities(text: str, lo: int = 0, hi: int | None = None,
                    masks: list[tuple[int, int, str]] | None = None,
                    outlet_dollar: str = "USD") -> list[Quantity]:
    """All quantities in text[lo:hi], offsets into `text` (the whole article, when there is one);
    figures no float holds ("1e400", 400 nines) are none.

    `outlet_dollar` is the currency a bare "$" means at this outlet ("AUD" for an Australian
    paper); the article's own markers ("A$", "C$", "US$") take precedence.
    """
    dollar = plain_dollar(text, outlet_dollar)
    if hi is None:
        hi = len(text)
    if masks is None:
        masks = mask_non_quantities(text)
    local = [(a, b) for a, b, _ in masks if b > lo and a < hi]

    def masked(pos: int) -> bool:
        return any(a <= pos < b for a, b in local)

    cores = digit_cores(text, lo, hi, masked) + word_cores(text, lo, hi, masked)
    cores.sort(key=lambda c: c.start)
    # drop cores nested inside an earlier one
    kept: list[Core] = []
    for c in cores:
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    qs: list[Quantity] = []
    last_end = lo
    for c in kept:
        if c.start < last_end:
            continue
        q = _quantity_from_core(text, c, lo, hi, masked, dollar)
        if q is None:
            continue
        if qs and q.start < qs[-1].end:
            q.start = max(q.start, qs[-1].end)
        qs.append(q)
        last_end = q.end
    qs = _drop_restated(text, qs)
    qs = _merge_proportions(text, qs)
    qs = _merge_subunits(text, qs)
    qs = _merge_ranges(text, qs, lo)
    _inherit_units(text, qs, lo)
    _per_thing_counts(text, qs)
    out: list[Quantity] = []
    name_end = -1
    for q in qs:
        if "score" not in q.notes and (_is_year(q, text) or _is_name_number(text, q, lo)
                                       or _is_glued_model(text, q, lo)):
            name_end = q.end
            continue
        if name_end >= 0 and not q.unit and re.fullmatch(r"\s*(?:,|and|or|&|,\s*and|/)\s*", text[name_end:q.start]):
            name_end = q.end  # "Internet Explorer 8 and 9": the second model number of a name
            continue
        if _not_an_amount(text, q, lo):
            continue
        _mark_age(text, q, lo)
        _mark_staff(text, q, lo)
        # skip "thousands of", vague plural scales never reach here; skip bare zero-width
        if q.end <= q.start or not _finite(q):
            continue
        if q.is_word and q.raw_value == 1 and q.digits.lower() in ("one", "a", "an") and q.qualifier == "=" \
                and (not q.unit or q.is_count and q.unit not in _KNOWN_COUNTS and q.unit not in _PEOPLE) \
                and not (q.is_count and _ONLY_RX.search(text[max(lo, q.start - 8):q.start])) \
                and not (q.is_count and q.unit in _MARGIN_NOUNS and text[q.num_end:q.num_end + 1] == "-"):
            continue  # "One striking innovation", "on one side", "phase-one capacity"
        out.append(q)
    return out
