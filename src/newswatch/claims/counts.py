"""What a number counts: the noun phrase after it ("over 220,000 Nvidia GPUs" -> GPU).

News counts things in open-ended ways ("12 new transmission projects", "600,000 Ascend 910C
dies", "4,096 H100 SXM5 devices", "32 GPU cabinets"), so the counted noun is read from the
phrase, not looked up alone: the phrase ends at its first plural noun (so "10 operators expect
rack densities" counts operators), a known counted noun inside it wins when it is the head
(units.COUNT_NOUNS gives its canonical name), brand and model words may stand in between, and
words that are units or quantifier words ("times", "percent", "more") are never the thing
counted. Split from quantities.py, which grows numbers into quantities.
"""

from __future__ import annotations

import re

from .units import COUNT_NOUNS, singular

__all__ = ["count_chunk", "CHUNK_STOP"]

# Words before a bare number that make it a label, not a quantity ("Phase 2", "Section 427").
_CHUNK_STOP = {
    "of", "in", "on", "at", "for", "from", "to", "with", "by", "into", "across", "over", "under",
    "per", "a", "an", "the", "and", "or", "but", "nor", "as", "than", "that", "which", "who",
    "whom", "whose", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had",
    "will", "would", "can", "could", "may", "might", "should", "must", "shall", "do", "does",
    "did", "said", "says", "say", "including", "each", "every", "this", "these", "those",
    "it", "its", "they", "their", "them", "he", "she", "his", "her", "we", "our", "you", "your",
    "i", "my", "me", "us", "if", "when", "while", "after", "before", "since", "until",
    "because", "so", "yet", "also", "not", "no", "there", "here", "now", "then", "about",
    "around", "between", "through", "during", "within", "without", "against", "among",
    "via", "up", "down", "out", "off", "more", "less", "fewer", "most", "least", "just",
    "only", "even", "still", "already", "again", "ago", "apiece", "year-on-year",
    "plus", "versus", "vs", "vs.", "like", "such", "all", "both", "either", "neither",
    "according", "where", "how", "what", "why", "earlier", "later", "higher", "lower",
    "compared", "respectively", "total", "combined", "altogether", "overall", "annually",
    "worth", "valued", "priced", "delivering", "using", "running", "making", "bringing", "giving", "taking", "costing",
    "powered", "connected", "interconnected", "distributed", "based", "located", "built",
    "housed", "deployed", "installed", "planned", "expected", "estimated", "used", "sold",
    "shipped", "bought", "added", "cut", "run", "runs", "work", "works", "come", "comes",
    "go", "goes", "make", "makes", "get", "gets", "need", "needs", "power", "powers",
}
_LY_ADJECTIVES = {"daily", "weekly", "monthly", "quarterly", "yearly", "early", "supply", "assembly",
                  "family", "ally", "only"}
_GENERIC_HEADS = {"device", "unit", "card", "module", "system", "board", "instance", "piece"}
_GPU_MODEL_RX = re.compile(r"^(?:[A-Z]{1,3}\d{2,4}[A-Za-z]{0,3}|MI\d{3}[A-Z]?|TPU(?:v\d)?|Blackwell|Hopper|"
                           r"Rubin|Ampere|Gaudi\d?|Trainium\d?|Inferentia\d?)$")
_RACK_SCALE = re.compile(r"^(?:NVL\d+|DGX|HGX|SuperPOD|UltraServer|UltraCluster|Pod)$")
_NOT_A_COUNT_NOUN = {
    "times", "time", "percent", "per", "cent", "other", "others", "more", "less", "years",
    "year", "old", "new", "different", "additional", "extra", "further", "major", "key",
    "largest", "biggest", "top", "first", "last", "next", "previous", "such", "same", "own",
    "several", "many", "few", "live", "remain", "stay", "survive", "say", "go",
}


# Words after a number that are units or quantifier words, never the thing counted.
_HYPHEN_ADJECTIVES = {"high", "long", "wide", "deep", "tall", "old", "strong", "thick", "large",
                      "big", "odd", "ish", "like", "based", "way", "hi", "low", "small", "short"}
_UNIT_LIKE_WORDS = {"times", "time", "percent", "per", "cent", "years", "year", "old", "point",
                    "more", "less", "others", "other", "magnitude"}
# Capitalised words and model tokens that may stand between a number and its noun.
_NAME_PART = re.compile(r"^(?:[A-Z][A-Za-z]+|[A-Z]{1,5}\d*[A-Za-z]?|\d+[A-Z][A-Za-z]?|[A-Z]+\d+[A-Za-z]*)$")

def _count_chunk(text: str, pos: int, hi: int) -> tuple[int, str, str, str] | None:
    """Counted noun after a number: (end offset, canonical unit, head as written, phrase)."""
    toks: list[tuple[int, int, str]] = []
    p = pos
    for _ in range(6):
        m = re.compile(r"[ \t]*(?:-\s?)?([A-Za-z0-9][A-Za-z0-9'’\-&]*)").match(text, p, hi)
        if not m:
            break
        word = m.group(1).rstrip("-")
        if word.lower() in _CHUNK_STOP and word != "US" or word.lower().endswith(("ly",)) and len(word) > 4 \
                and word.lower() not in _LY_ADJECTIVES:
            break
        toks.append((m.start(1), m.start(1) + len(word), word))
        p = m.start(1) + len(word)
        if text[p:p + 1] in (",", ";", ":", ".", "(", ")", "!", "?", "—", "–", "/", "\"", "”"):
            break
    if not toks:
        return None
    if text[pos:pos + 1] == "-" and toks[0][0] == pos + 1:
        # "two-storey hall", "8-GPU servers": the hyphenated word is the unit
        toks = toks[:1]
    # the noun phrase ends at its first plural noun: "10 operators expect rack densities" counts
    # operators, "five data center projects" counts projects
    np_end = next((k for k, t in enumerate(toks) if _plural_token(t[2])), None)
    if np_end is not None:
        toks = toks[:np_end + 1]
    # longest known counted noun, the last one in the phrase wins ("32 GPU cabinets" -> cabinet)
    best = None
    for i in range(len(toks)):
        for j in range(min(len(toks), i + 4), i, -1):
            phrase = " ".join(t[2] for t in toks[i:j]).lower().replace("’", "'")
            if phrase in COUNT_NOUNS:
                cand = (toks[j - 1][1], COUNT_NOUNS[phrase], text[toks[i][0]:toks[j - 1][1]], i)
                # a later noun wins ("32 GPU cabinets" -> cabinet), unless it ends a longer one
                # ("graphics processors" is a GPU, not a processor)
                if best is None or cand[3] >= best[3] and cand[0] != best[0]:
                    best = cand
                break
    if best is not None and np_end is not None and best[0] != toks[np_end][1]:
        best = None  # a known noun inside the phrase modifies its plural head
    if best is not None:
        end, unit, head, i0 = best
        if unit in ("device",) or unit in _GENERIC_HEADS:
            if any(_RACK_SCALE.match(t[2]) for t in toks[:i0]):
                unit = "system"  # "2,300 GB300 NVL72 systems" are racks of 72 GPUs, not GPUs
            elif any(_GPU_MODEL_RX.match(t[2]) for t in toks[:i0]):
                unit = "GPU"
        return end, unit, head, text[pos:toks[i0][0]].strip()
    # a GPU model standing alone: "4,096 H100s" / "4,096 H100 SXM5 devices"
    for k, t in enumerate(toks):
        if _GPU_MODEL_RX.match(t[2].rstrip("s")) and (k == len(toks) - 1 or toks[k + 1][2].lower().rstrip("s") in _GENERIC_HEADS):
            end = toks[k + 1][1] if k + 1 < len(toks) else t[1]
            rack = any(_RACK_SCALE.match(x[2]) for x in toks[:k + 1])
            return end, "system" if rack else "GPU", text[toks[0][0] if rack else t[0]:end], ""
    # otherwise: the first plural noun of the phrase, past modifiers and names
    # ("22 goals", "12 new transmission projects", "600,000 Ascend 910C dies")
    first = toks[0][2]
    hyphened = text[pos:pos + 1] == "-"
    if first.lower() in _UNIT_LIKE_WORDS:
        return None
    if not first.isalpha() and not ("-" in first and hyphened) and not _NAME_PART.match(first):
        return None
    head_t = None
    for k, t in enumerate(toks[:4]):
        w = t[2]
        lw = w.lower()
        if re.fullmatch(r"[a-z][a-z\-']*", w):
            if lw in _NOT_A_COUNT_NOUN:
                if k == 0 and lw in _UNIT_LIKE_WORDS:
                    return None
                continue  # "four largest cloud providers", "40 new hires"
            if _is_plural_noun(w):
                head_t = t
                break
            if hyphened and k == 0:
                if lw in _HYPHEN_ADJECTIVES:
                    return None  # "12-high stacks", "a 5-strong team"
                head_t = t  # "two-storey hall": the hyphenated word is the unit
                break
            continue  # a singular modifier: "transmission projects"
        if re.fullmatch(r"[A-Z]{2,5}s", w) and (k == len(toks) - 1 or not toks[k + 1][2][:1].isupper()):
            return t[1], w[:-1], w, text[pos:t[0]].strip()  # "46 KOs", "four TDs", "three CEOs"
        if re.fullmatch(r"[A-Z][a-z]+(?:ans|ers|ites|ists|ots|ats)", w) and k == len(toks) - 1 and k < 2:
            return t[1], singular(w), w, text[pos:t[0]].strip()  # "three Gazans", "two Democrats"
        if _NAME_PART.match(w):
            continue  # a brand or model inside the phrase: "Ascend 910C dies"
        break
    if head_t is None:
        # a lone singular noun closing the phrase ("one ban", "a 1 percent stake" is not here)
        t = toks[0]
        if len(toks) > 1 or not re.fullmatch(r"[a-z][a-z\-']*", t[2]) or first.lower() in _NOT_A_COUNT_NOUN \
                or t[2].endswith("ed") and not hyphened:
            return None  # "1,000 demonstrated": a verb, not a noun
        head_t = t
    head = singular(head_t[2])
    if head.lower() in _NOT_A_COUNT_NOUN or len(head) < 3:
        return None
    return head_t[1], head.lower(), head_t[2], text[pos:head_t[0]].strip()


def _plural_token(word: str) -> bool:
    """Does this token close a counted noun phrase (a plural: "GPUs", "people", "H100s")?"""
    lw = word.lower().replace("’", "'")
    if lw in COUNT_NOUNS:
        return singular(lw).lower() != lw
    if _GPU_MODEL_RX.match(word[:-1]) and word.endswith("s"):
        return True
    return bool(re.fullmatch(r"[a-z][a-z\-']*", word)) and _is_plural_noun(word)


def _is_plural_noun(word: str) -> bool:
    """A lowercase word that reads as a plural noun ("projects", "dies"), not "process"."""
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return True  # "30 young men", "six children"
    # "graphics", "electronics", "analytics": mass nouns that modify the counted one
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ics", "'s", "’s"))


_IRREGULAR_PLURALS = {"men", "women", "children", "people", "feet", "teeth", "mice", "geese", "lives",
                      "wives", "knives", "leaves", "halves", "shelves", "wolves", "thieves", "oxen"}


# public names for the other modules
count_chunk = _count_chunk
CHUNK_STOP = _CHUNK_STOP
